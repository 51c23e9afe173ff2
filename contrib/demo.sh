#!/usr/bin/env bash
# contrib/demo.sh: two runc containers put straight onto a sandbox LAN by
# oci-macvlan-hook. Everything happens in network namespaces this script
# creates and deletes again; run as root after a build (contrib/quickstart.sh
# demo does both).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=contrib/sandbox.sh
. contrib/sandbox.sh

hook=${OMV_HOOK:-$PWD/build/hooks/oci-macvlan-hook}
work=$(mktemp -d /tmp/oci-macvlan-demo.XXXXXX)
sandbox_init "omvdemo$$"
containers=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

runc_() { on node1 runc --root "$work/runc" "$@"; }

# stop ID: kills the container and deletes it (runc runs poststop then).
stop() {
	runc_ kill "$1" KILL 2>/dev/null || true
	for _ in $(seq 50); do
		runc_ state "$1" 2>/dev/null | grep -q '"stopped"' && break
		sleep 0.1
	done
	runc_ delete -f "$1" 2>/dev/null || true
}

cleanup() {
	local c
	for c in "${containers[@]}"; do stop "$c"; done
	sandbox_destroy
	rm -rf "$work"
}
trap cleanup EXIT

# A runc bundle from configs/runc-config.json with the hook and annotations;
# the hook finds the demo's networks.d and keeps its leases in $work.
start() {
	local name=$1 id="$SANDBOX_PREFIX-$1" bundle="$work/$1"
	shift
	mkdir -p "$bundle"
	jq --arg hook "$hook" --arg host "$name" --argjson ann "$(jq -n '$ARGS.named' "$@")" \
		--arg nets "OCI_MACVLAN_NETWORKS_DIR=$work/networks" --arg state "OCI_MACVLAN_STATE_DIR=$work/state" '
		.process.args = ["sleep", "3600"] | .hostname = $host | .root.path = "../rootfs" |
		.hooks.createRuntime[0].path = $hook | .hooks.poststop[0].path = $hook |
		.hooks.createRuntime[0].env = [$nets, $state] | .hooks.poststop[0].env = [$nets, $state] |
		.annotations = $ann' configs/runc-config.json >"$bundle/config.json"
	runc_ run -d --bundle "$bundle" "$id" </dev/null >/dev/null || return
	containers+=("$id")
}

in_container() {
	printf '%s$ %s\n' "$1" "${*:2}"
	runc_ exec "$SANDBOX_PREFIX-$1" "${@:2}"
}

say "A sandbox LAN: a switch, a gateway 10.9.0.1 and host node1 whose NIC is lan0 (10.9.0.2)"
lan_create lan
lan_host gw 10.9.0.1/24
lan_host node1 10.9.0.2/24 10.9.0.1
contrib/mkrootfs.sh "$work/rootfs" >/dev/null

say "runc starts 'web' and 'db' on node1; the hook gives each a macvlan on lan0"
start web --arg oci-macvlan/parent lan0 --arg oci-macvlan/address 10.9.0.10/24 \
	--arg oci-macvlan/gateway 10.9.0.1
start db --arg oci-macvlan/parent lan0 --arg oci-macvlan/address 10.9.0.11/24 \
	--arg oci-macvlan/gateway 10.9.0.1 --arg oci-macvlan/mac 02:00:0a:09:00:0b
in_container web ip addr show eth0
in_container web ip route

say "The containers reach each other and the gateway directly on the LAN"
in_container web ping -c 2 -W 1 10.9.0.11
in_container web ping -c 1 -W 1 10.9.0.1
in_container db ping -c 1 -W 1 10.9.0.1

say "The gateway sees each container as a host of its own, with its own MAC"
printf 'gw$ ip neigh show dev lan0\n'
on gw ip neigh show dev lan0

say "A named network hands out addresses; its host shim lets node1 reach its own containers"
mkdir -p "$work/networks"
cat >"$work/networks/lan.json" <<'EOF'
{
  "parent": "lan0",
  "subnets": [{ "subnet": "10.9.0.0/24", "gateway": "10.9.0.1", "ip_range": "10.9.0.64/27" }],
  "host_shim": { "address": "10.9.0.254/24" }
}
EOF
printf 'node1$ cat /etc/oci-macvlan/networks.d/lan.json\n'
cat "$work/networks/lan.json"
start app --arg oci-macvlan/network lan
in_container app ip -4 addr show eth0
app=$(runc_ exec "$SANDBOX_PREFIX-app" ip -4 -o addr show eth0 | awk '{ sub("/.*", "", $4); print $4 }')
printf 'node1$ ip -4 -br addr show omv-lan; ip route show dev omv-lan\n'
on node1 ip -4 -br addr show omv-lan
on node1 ip route show dev omv-lan
printf 'node1$ ping -c 1 -W 1 %s\n' "$app"
on node1 ping -c 1 -W 1 "$app"
printf 'node1$ cat /run/oci-macvlan/leases/lan\n'
cat "$work/state/leases/lan"

say "When the network's last container stops, its lease and the shim go"
stop "$SANDBOX_PREFIX-app"
printf 'node1$ cat /run/oci-macvlan/leases/lan\n'
cat "$work/state/leases/lan"
printf 'node1$ ip -br link\n'
on node1 ip -br link

say "Bad annotations are refused with one clear line, and nothing is left behind"
if start bad --arg oci-macvlan/parent lan0 --arg oci-macvlan/mtu 9000 2>"$work/err"; then
	echo "unexpected: the container started"
	exit 1
fi
grep -o 'oci-macvlan-hook: [^\\"]*' "$work/err" | head -n 1
printf 'node1$ ip -br link\n'
on node1 ip -br link

say "Done: the sandbox LAN is deleted on exit"
