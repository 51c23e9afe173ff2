#!/usr/bin/env bash
# contrib/bench/firstping.sh: how long until a new container is on the LAN.
#
#   contrib/bench/firstping.sh [-n N] [--build DIR]
#
# Times N runs (default 20) per case of a busybox container (contrib/mkrootfs.sh)
# whose command pings the LAN's gateway (`ping -c1 -W1`, retried until it is
# answered) and then prints a line, from the start command until that line:
#   nsrun   nsrun run --rm with oci-macvlan-hook as its createRuntime hook:
#           a bridge-mode macvlan on lan0 with an address and default route
#   podman  podman run --rm --rootfs on a macvlan network (-d macvlan,
#           parent lan0) with the same kind of address (--ip) and gateway,
#           through the network backend `podman info` reports (netavark on
#           Debian 12 with the netavark package installed, else CNI)
# Both run in the same sandbox host h1, alternating; the gateway is host gw.
# The container's teardown (--rm) is not in the numbers. Prints medians and
# p90s and the ratio against the SPEC target (podman/nsrun >= 20x). Timings
# never fail the script; a run that fails does.
#
# podman gets only temporary directories of the bench: its storage (vfs),
# runroot, tmpdir, network config dir and containers.conf (CONTAINERS_CONF),
# storage.conf (CONTAINERS_STORAGE_CONF); cgroupfs, runc, fixed ulimits (this
# machine may not raise rlimits). Outside them podman 4.3 keeps netavark's
# IPAM database in its fixed /run/containers/networks (root's network run dir,
# not configurable); the entries of the bench's network omvping go with each
# container. Needs root, util-linux, iproute2,
# busybox-static, podman and runc. Everything lives in namespaces named
# omvping<pid>-*, deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=contrib/sandbox.sh
. contrib/sandbox.sh
# shellcheck source=contrib/bench/common.sh
. contrib/bench/common.sh

n=20
build=build
gw=10.9.0.1

options n=-n build=--build -- "$@"
positive -n "$n"
needs_root
nsrun=$build/launcher/nsrun hook=$build/hooks/oci-macvlan-hook
built nsrun nsrun
built hook oci-macvlan-hook
needs "podman runc" podman runc

work=$(mktemp -d /tmp/omvping.XXXXXX)
sandbox_init "omvping$$"
podman=(podman --root "$work/storage" --runroot "$work/run" --tmpdir "$work/tmp" --storage-driver vfs
	--cgroup-manager cgroupfs --runtime runc --network-config-dir "$work/net")
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
cleanup() {
	set +e
	for dir in /run/nsrun/"$SANDBOX_PREFIX"-*; do
		[ -e "$dir" ] && "$nsrun" delete -f "${dir##*/}" >/dev/null 2>&1
	done
	[ -d "$work/storage" ] && on h1 "${podman[@]}" rm -f -a >/dev/null 2>&1
	sandbox_destroy
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/net" "$work/tmp"
cat >"$work/containers.conf" <<EOF
[engine]
events_logger = "file"
events_logfile_path = "$work/events.log"
[network]
network_config_dir = "$work/net"
EOF
cat >"$work/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/run"
EOF
rootfs=$work/rootfs
contrib/mkrootfs.sh "$rootfs" >/dev/null

lan_create lan
lan_host gw "$gw/16"
lan_host h1 10.9.0.2/16 "$gw"
backend=$(on h1 "${podman[@]}" info --format '{{.Host.NetworkBackend}}') || die "podman info failed"
on h1 "${podman[@]}" network create -d macvlan -o parent=lan0 -o mode=bridge --subnet 10.9.0.0/16 \
	--gateway "$gw" omvping >/dev/null || die "podman network create failed"

# The container's command: ping the gateway until it answers, then say so.
ping_cmd="until ping -c1 -W1 $gw >/dev/null 2>&1; do :; done; echo up"

# time_jobs: runs in h1. Reads "CASE I" lines, runs each, prints
# "CASE MICROSECONDS" (start to the container's "up"); stops at a failure.
time_jobs() {
	local c i t0 t1 line
	while read -r c i; do
		t0=$EPOCHREALTIME
		case $c in
		nsrun)
			exec 3< <("$nsrun" run --rm --name "$SANDBOX_PREFIX-$i" --hook "createRuntime:$hook" \
				--annotation oci-macvlan/parent=lan0 --annotation oci-macvlan/mode=bridge \
				--annotation "oci-macvlan/address=10.9.1.$((10 + i % 200))/16" \
				--annotation "oci-macvlan/gateway=$gw" "$rootfs" /bin/sh -c "$ping_cmd" </dev/null 2>"$work/err")
			;;
		podman)
			exec 3< <("${podman[@]}" run --rm --network omvping --ip "10.9.2.$((10 + i % 200))" \
				--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --rootfs "$rootfs" \
				/bin/sh -c "$ping_cmd" </dev/null 2>"$work/err")
			;;
		esac
		read -r line <&3 || line=
		t1=$EPOCHREALTIME
		cat <&3 >/dev/null
		exec 3<&-
		wait $! || line="exit status $?"
		if [ "$line" != up ]; then
			echo "$c run $i failed ($line): $(cat "$work/err")" >&2
			return 1
		fi
		t0=${t0//[.,]/} t1=${t1//[.,]/}
		echo "$c $((10#$t1 - 10#$t0))"
	done
}

# A warm-up round, then n rounds, the cases alternating which goes first.
for ((i = -1; i < n; i++)); do
	if ((i % 2)); then echo "podman $((i + 1))" "nsrun $((i + 1))"; else echo "nsrun $((i + 1))" "podman $((i + 1))"; fi
done | tr ' ' '\n' | paste -d' ' - - >"$work/jobs"
echo "firstping.sh: $n runs per case, podman's network backend: $backend" >&2
on h1 env work="$work" nsrun="$nsrun" hook="$hook" rootfs="$rootfs" gw="$gw" ping_cmd="$ping_cmd" \
	SANDBOX_PREFIX="$SANDBOX_PREFIX" bash -c "podman=($(printf '%q ' "${podman[@]}")); $(declare -f time_jobs); time_jobs" \
	<"$work/jobs" | tail -n +3 >"$work/times" || die "a run failed"

declare -A med p90
for c in nsrun podman; do read -r "med[$c]" "p90[$c]" < <(stats "$work/times" "$c"); done
podman_ratio=$(ratio "${med[podman]}" "${med[nsrun]}")

printf '\nstart until the first ping is answered, %d per case (%s, %d cores)\n\n' "$n" "$(uname -r)" "$(nproc)"
printf '%-46s %10s %10s\n' case 'median µs' 'p90 µs'
printf '%-46s %10d %10d\n' "nsrun run --rm + oci-macvlan-hook" "${med[nsrun]}" "${p90[nsrun]}"
printf '%-46s %10d %10d\n' "podman $(podman --version | cut -d' ' -f3) run --rm, $backend macvlan" \
	"${med[podman]}" "${p90[podman]}"
printf '\n%-46s %10s %10s %10s\n' target value wanted ''
printf '%-46s %9sx %10s %10s\n' "podman / nsrun (medians)" "$podman_ratio" '>= 20x' "$(check "$podman_ratio" '>=' 20)"
