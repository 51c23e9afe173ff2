# shellcheck shell=bash
# helpers.bash: what every integration test shares. Each test gets a sandbox
# LAN of its own (contrib/sandbox.sh), deleted in teardown even when it fails:
#
#   switch "lan" (a bridge)  --  gw     10.9.0.1/24, 2001:db8::1/64 (gateway and outside host)
#                            --  node1  10.9.0.2/24, NIC lan0, default route via gw
#
# The hook under test is $OMV_HOOK (default: the build/ tree's), so the same
# suite runs against the ASan build.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OMV_HOOK=${OMV_HOOK:-$REPO/build/hooks/oci-macvlan-hook}
# shellcheck source=SCRIPTDIR/../../contrib/sandbox.sh
. "$REPO/contrib/sandbox.sh"

# A prefix no other test, file or parallel run shares.
setup_lan() {
	[ -x "$OMV_HOOK" ] || fail "no hook at $OMV_HOOK: build it (meson setup build && ninja -C build) or set OMV_HOOK"
	sandbox_init "omvt$$-${BATS_SUITE_TEST_NUMBER}"
	lan_create lan
	lan_host gw 10.9.0.1/24
	on gw ip addr add 2001:db8::1/64 dev lan0 nodad
	lan_host node1 10.9.0.2/24 10.9.0.1
}

teardown_lan() {
	[ -n "${SANDBOX_PREFIX:-}" ] && sandbox_destroy
}

# setup_networks: a networks.d and a state dir (leases) of the test's own.
setup_networks() {
	export OCI_MACVLAN_NETWORKS_DIR=$BATS_TEST_TMPDIR/networks OCI_MACVLAN_STATE_DIR=$BATS_TEST_TMPDIR/state
	mkdir -p "$OCI_MACVLAN_NETWORKS_DIR"
}

# network NAME JSON: defines network NAME.
network() {
	printf '%s\n' "$2" >"$OCI_MACVLAN_NETWORKS_DIR/$1.json"
}

# on_network ID [K=V...]: a new bare container in node1 attached to network
# lan as ID; sets C to its pid.
on_network() {
	bare_container node1
	C=$BARE_PID
	attach node1 "$1" "$C" oci-macvlan/network=lan "${@:2}"
}

# kill_container PID: kills a container's process and waits until it is gone.
kill_container() {
	kill -KILL "$1"
	while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}

# poststop ID PID: the hook's poststop for a container of network lan, in node1.
poststop() {
	hook_in node1 poststop < <(oci_state "$1" "$2" oci-macvlan/network=lan | jq -c '.status = "stopped"')
}

# requires WHAT...: skips the test, saying why, unless each is available.
requires() {
	local what
	for what in "$@"; do
		case $what in
		runc | crun | podman | strace)
			command -v "$what" >/dev/null || skip "needs $what (apt-get install $what)"
			;;
		busybox_static)
			if ! /bin/busybox true 2>/dev/null || ldd /bin/busybox >/dev/null 2>&1; then
				skip "needs a static /bin/busybox for the rootfs (apt-get install busybox-static)"
			fi
			;;
		kernel_vlan)
			kernel_has_vlan || skip "this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q)"
			;;
		*) fail "requires: unknown requirement \"$what\"" ;;
		esac
	done
}

# Tried in a throwaway namespace: can a VLAN link be created at all?
kernel_has_vlan() {
	unshare --net sh -c 'ip link add v0 type veth peer name v1 &&
		ip link add link v0 name v0.2 type vlan id 2' >/dev/null 2>&1
}

# in_ns WHERE CMD...: runs CMD in a sandbox host's namespace (WHERE is a
# name such as node1) or in a container's (WHERE is its pid).
in_ns() {
	local where=$1
	shift
	if [[ $where =~ ^[0-9]+$ ]]; then
		nsenter -t "$where" -n -- "$@"
	else
		on "$where" "$@"
	fi
}

# hook_in HOST [ARG...] < STATE: the hook, run in HOST's namespace as a runtime runs it.
hook_in() {
	on "$1" "$OMV_HOOK" "${@:2}"
}

# attach HOST ID PID [K=V...]: the hook fed a state with these annotations.
attach() {
	oci_state "$2" "$3" "${@:4}" | hook_in "$1"
}

# link_field WHERE IFNAME JQ: a field of `ip -d -j link show` for one link, e.g. .mtu
link_field() {
	in_ns "$1" ip -d -j link show dev "$2" </dev/null | jq -r ".[0] | $3"
}

# addresses WHERE IFNAME: its global addresses, ADDR/PREFIX, one a line.
addresses() {
	in_ns "$1" ip -j addr show dev "$2" scope global </dev/null |
		jq -r '.[0].addr_info[] | select(.local) | "\(.local)/\(.prefixlen)"'
}

# routes WHERE 4|6: the routes not added by the kernel itself, "DST[ via GW] dev DEV".
routes() {
	in_ns "$1" ip -"$2" -j route show </dev/null | jq -r '.[] | select(.protocol != "kernel") |
		"\(.dst)\(if .gateway then " via \(.gateway)" else "" end) dev \(.dev)"'
}

# link_list WHERE: every link with what identifies it, one a line, to compare
# before and after: "INDEX NAME KIND MAC mtu MTU FLAGS".
link_list() {
	in_ns "$1" ip -d -j link show </dev/null | jq -r '.[] |
		"\(.ifindex) \(.ifname) \(.linkinfo.info_kind // "-") \(.address) mtu \(.mtu) \(.flags | join(","))"'
}

# pings WHERE IP: one echo request answered (waits at most 2 s for it).
pings() {
	in_ns "$1" ping -c 1 -w 2 -q "$2" >/dev/null
}

# assert_refused HOST PID LINE CMD...: CMD (a hook run) exits 1 printing
# exactly LINE, and neither HOST's links nor container PID's changed.
assert_refused() {
	local host=$1 pid=$2 line=$3 before
	shift 3
	before=$(link_list "$host" && link_list "$pid")
	run -1 "$@"
	assert_output "$line"
	assert_equal "$(link_list "$host" && link_list "$pid")" "$before"
}

# wait_listening WHERE PORT: until a TCP socket listens on PORT there (at most 10 s).
wait_listening() {
	for _ in $(seq 100); do
		[ -n "$(in_ns "$1" ss -Htln "sport = :$2" </dev/null)" ] && return
		sleep 0.1
	done
	fail "nothing listens on TCP port $2 in $1"
}

# hooks_dir DIR: DIR holds configs/oci-macvlan-hook.json as installed, but
# running the hook under test ($OMV_HOOK), for podman's and nsrun's --hooks-dir.
hooks_dir() {
	mkdir -p "$1"
	sed "s|@HOOK_PATH@|$OMV_HOOK|" "$REPO/configs/oci-macvlan-hook.json.in" >"$1/oci-macvlan-hook.json"
}
