#!/usr/bin/env bash
# contrib/bench/attach.sh: how long one attach takes, on a sandbox LAN.
#
#   contrib/bench/attach.sh [-n N] [--hook PATH]
#
# Times N attaches (a bridge-mode macvlan on lan0 with an address and a default
# route, into a fresh container network namespace each) of
#   hook@1     oci-macvlan-hook in host h1, whose only link besides lo is lan0
#   cni        the CNI macvlan plugin + static IPAM doing the same, also in h1
#   hook@1000  oci-macvlan-hook in host h2, where lan0 carries 1000 macvlans
#   dad        hook@1's attach with oci-macvlan/dad=on (ARP probes before the
#              address), in host h3 (so its probes and timers stay out of h1)
#   alloc@1    oci-macvlan/network=one instead of an address, in h3: a network
#              file in a temporary $OCI_MACVLAN_NETWORKS_DIR whose lease file
#              (temporary $OCI_MACVLAN_STATE_DIR) holds 1 lease
#   alloc@1000 the same with network many, whose lease file holds 1000 leases
#              at the start of its range (the allocator skips all of them)
# plus, for reference, /bin/true (a process start) and `hook --version` (the
# hook's start without an attach). Prints medians and p90s, the ratios against
# the SPEC targets (CNI/hook >= 8x, hook@1000/hook@1 <= 1.3x,
# alloc@1000/alloc@1 <= 1.3x), what DAD adds (dad - hook@1, against the 300 ms
# after which the hook gives up) and the peak memory (GNU time's max RSS)
# against 4 MiB. The lease files are rewritten before each batch of 50, so
# alloc@1 sees 1 to 50 leases and alloc@1000 1000 to 1049 (those of the
# batch's earlier attaches; their containers live until the batch ends). Timings never fail the script; a
# failed attach or an attach that did not leave the asked-for eth0, address
# and route (checked after each batch, outside the timing) does.
#
# Each batch is timed by one bash already in the host's namespace, which forks
# every command itself and reads $EPOCHREALTIME around it: nsenter is not in
# the numbers, each program's own process start is. hook@1 and cni alternate.
# Needs root, util-linux, iproute2, containernetworking-plugins and GNU time.
# Everything lives in namespaces named omvbench<pid>-*, deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=contrib/sandbox.sh
. contrib/sandbox.sh
# shellcheck source=contrib/bench/common.sh
. contrib/bench/common.sh

n=200
hook=build/hooks/oci-macvlan-hook
cni=/usr/lib/cni
batch=50
links=1000
gw=10.9.0.1

options n=-n hook=--hook -- "$@"
positive -n "$n"
needs_root
built hook oci-macvlan-hook
needs "containernetworking-plugins time" "$cni/macvlan" "$cni/static" /usr/bin/time

work=$(mktemp -d /tmp/omvbench.XXXXXX)
sandbox_init "omvbench$$"
trap 'set +e; sandbox_destroy; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# time_jobs HOOK CNIDIR: runs in a host's namespace. Reads "CASE PID INPUT"
# lines (CASE 2 is the CNI plugin, 5 and 6 the hook with the bench's networks
# and state, 1, 3 and 4 the hook, true, version), runs each,
# prints "CASE MICROSECONDS"; stops at the first failure.
time_jobs() {
	local c pid in t0 t1 rc
	while read -r c pid in; do
		rc=0
		t0=$EPOCHREALTIME
		case $c in
		5 | 6) OCI_MACVLAN_NETWORKS_DIR=$work/networks OCI_MACVLAN_STATE_DIR=$work/state \
			"$1" createRuntime ;;
		2) CNI_COMMAND=ADD CNI_NETNS=/proc/$pid/ns/net CNI_IFNAME=eth0 CNI_PATH=$2 \
			CNI_CONTAINERID=bench$pid "$2/macvlan" ;;
		true) /bin/true ;;
		version) "$1" --version ;;
		*) "$1" createRuntime ;;
		esac <"$in" >"$work/out" 2>&1 || rc=$?
		t1=$EPOCHREALTIME
		if [ $rc != 0 ]; then
			echo "$c (container $pid) failed with status $rc: $(cat "$work/out")" >&2
			return 1
		fi
		t0=${t0//[.,]/} t1=${t1//[.,]/}
		echo "$c $((10#$t1 - 10#$t0))"
	done
}

# run_jobs HOST JOBFILE: times JOBFILE's lines in HOST, appends to times.
run_jobs() {
	on "$1" env work="$work" bash -c "$(declare -f time_jobs); time_jobs \"\$@\"" \
		time_jobs "$hook" "$cni" <"$2" >>"$work/times" || die "an attach failed"
}

# Container I of case C (1 hook@1, 2 cni, 3 hook@1000, 4 dad) gets
# 10.9.C.(10+I%200)/16; of 5 and 6 (alloc) one the allocator picks, in
# 10.9.16.0/20 (network one) and 10.9.32.0/20 (network many): a pattern.
addr() {
	case $1 in
	5) echo '10\.9\.[12][0-9]\.[0-9]*' ;;
	6) echo '10\.9\.[34][0-9]\.[0-9]*' ;;
	*) echo "10.9.$1.$((10 + $2 % 200))" ;;
	esac
}

# networks: the networks one and many on lan0, in $work/networks.
networks() {
	mkdir -p "$work/networks" "$work/state/leases"
	for net in one:16 many:32; do
		cat >"$work/networks/${net%:*}.json" <<-EOF
			{"parent": "lan0", "mode": "bridge",
			 "subnets": [{"subnet": "10.9.0.0/16", "gateway": "$gw", "ip_range": "10.9.${net#*:}.0/20"}]}
		EOF
	done
}

# leases: network one's lease file with 1 lease, many's with 1000, all held
# by this script (alive, so none is stale), from the first address of their
# ranges on (10.9.16.0 and 10.9.32.0 are host addresses of the /16).
leases() {
	local start netns k
	start=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
	netns=$(stat -L -c %i /proc/$$/ns/net)
	for net in one:16:1 many:32:1000; do
		IFS=: read -r name third count <<<"$net"
		for ((k = 0; k < count; k++)); do
			echo "10.9.$((third + k / 256)).$((k % 256))/16 lease$k eth0 $$ $start $netns"
		done >"$work/state/leases/$name"
	done
}

# input C PID ADDR FILE: the hook's state or the plugin's config for one attach.
input() {
	if [ "$1" = 2 ]; then
		cat >"$4" <<-EOF
			{"cniVersion": "1.0.0", "name": "omvbench", "type": "macvlan",
			 "master": "lan0", "mode": "bridge",
			 "ipam": {"type": "static",
			          "addresses": [{"address": "$3/16", "gateway": "$gw"}],
			          "routes": [{"dst": "0.0.0.0/0"}]}}
		EOF
	elif [ "$1" = 5 ] || [ "$1" = 6 ]; then
		oci_state "bench$2" "$2" "oci-macvlan/network=$([ "$1" = 5 ] && echo one || echo many)" >"$4"
	else
		oci_state "bench$2" "$2" oci-macvlan/parent=lan0 oci-macvlan/mode=bridge \
			"oci-macvlan/address=$3/16" "oci-macvlan/gateway=$gw" \
			"oci-macvlan/dad=$([ "$1" = 4 ] && echo on || echo off)" >"$4"
	fi
}

# verify PID ADDR: eth0 is an up bridge-mode macvlan with ADDR and the default route.
verify() {
	local got
	got=$(nsenter -t "$1" -n sh -c 'ip -d -o link show dev eth0 && ip -4 -o addr show dev eth0 &&
		ip -4 route show default' 2>&1) || die "container $1: no eth0: $got"
	if ! grep -q 'state UP.*macvlan mode bridge' <<<"$got" || ! grep -q "inet $2/16 " <<<"$got" ||
		! grep -q "^default via $gw dev eth0" <<<"$got"; then
		die "container $1: eth0 is not as asked ($2/16 via $gw, bridge mode, up): $got"
	fi
}

lan_create lan
lan_host h1 10.9.0.2/16 "$gw"
lan_host h2 10.9.0.3/16 "$gw"
lan_host h3 10.9.0.4/16 "$gw"
for cmd in "add x@ link lan0 type macvlan mode bridge" "set x@ addrgenmode none" "set x@ up"; do
	for ((i = 0; i < links; i++)); do echo "link ${cmd//@/$i}"; done |
		ip -n "$SANDBOX_PREFIX-h2" -batch - || die "could not make $links macvlans in h2"
done
links_h1=$(($(ip -n "$SANDBOX_PREFIX-h1" -o link show | wc -l) - 1))
links_h2=$(($(ip -n "$SANDBOX_PREFIX-h2" -o link show | wc -l) - 1))
host_of=(- h1 h1 h2 h3 h3 h3)
networks
leases

# Peak memory: one attach per case under GNU time, max RSS in KiB.
declare -A rss
for c in 1 2 3 6; do
	bare_container "${host_of[c]}"
	input "$c" "$BARE_PID" "$(addr "$c" 250)" "$work/mem.in"
	if [ "$c" = 2 ]; then
		set -- env CNI_COMMAND=ADD "CNI_NETNS=/proc/$BARE_PID/ns/net" CNI_IFNAME=eth0 \
			"CNI_PATH=$cni" CNI_CONTAINERID=benchmem "$cni/macvlan"
	elif [ "$c" = 6 ]; then
		set -- env "OCI_MACVLAN_NETWORKS_DIR=$work/networks" "OCI_MACVLAN_STATE_DIR=$work/state" \
			"$hook" createRuntime
	else
		set -- "$hook" createRuntime
	fi
	on "${host_of[c]}" /usr/bin/time -f %M -o "$work/mem" "$@" <"$work/mem.in" >"$work/out" 2>&1 ||
		die "case $c failed under /usr/bin/time: $(cat "$work/out")"
	verify "$BARE_PID" "$(addr "$c" 250)"
	rss[$c]=$(tail -n 1 "$work/mem")
done

echo "attach.sh: $n attaches per case; h1 has $links_h1 link(s) besides lo, h2 has $links_h2" >&2
: >"$work/times"
for ((start = 0; start < n; start += batch)); do
	end=$((start + batch < n ? start + batch : n))
	: >"$work/h1.jobs"
	: >"$work/h2.jobs"
	: >"$work/h3.jobs"
	pids=()
	leases
	for ((i = start; i < end; i++)); do
		# hook@1 and cni alternate which goes first, and so do alloc@1 and alloc@1000.
		for c in $((i % 2 ? 2 : 1)) $((i % 2 ? 1 : 2)) 3 $((i % 2 ? 6 : 5)) $((i % 2 ? 5 : 6)) 4; do
			bare_container "${host_of[c]}"
			pids[c * batch + i - start]=$BARE_PID
			input "$c" "$BARE_PID" "$(addr "$c" "$i")" "$work/$c.$i.in"
			echo "$c $BARE_PID $work/$c.$i.in" >>"$work/${host_of[c]}.jobs"
		done
		printf 'true - /dev/null\nversion - /dev/null\n' >>"$work/h1.jobs"
	done
	run_jobs h1 "$work/h1.jobs"
	run_jobs h2 "$work/h2.jobs"
	run_jobs h3 "$work/h3.jobs"
	for ((i = start; i < end; i++)); do
		for c in 1 2 3 4 5 6; do verify "${pids[c * batch + i - start]}" "$(addr "$c" "$i")"; done
	done
	# Every container of the batch is gone before the next: no pid reuse.
	kill -KILL "${SANDBOX_PIDS[@]}"
	wait 2>/dev/null || true
	SANDBOX_PIDS=()
	rm -f "$work"/*.in
	echo "attach.sh: $end/$n" >&2
done

declare -A med p90
for c in 1 2 3 4 5 6 true version; do read -r "med[$c]" "p90[$c]" < <(stats "$work/times" "$c"); done

cni_ratio=$(ratio "${med[2]}" "${med[1]}")
links_ratio=$(ratio "${med[3]}" "${med[1]}")
alloc_ratio=$(ratio "${med[6]}" "${med[5]}")
dad_us=$((med[4] - med[1]))

printf '\noci-macvlan-hook attach, %d per case (%s, %d cores)\n\n' "$n" "$(uname -r)" "$(nproc)"
printf '%-42s %10s %10s %10s\n' case 'median µs' 'p90 µs' 'max RSS KiB'
printf '%-42s %10d %10d %10d\n' "hook@1: host with $links_h1 link" "${med[1]}" "${p90[1]}" "${rss[1]}"
printf '%-42s %10d %10d %10d\n' "cni: macvlan + static IPAM, same host" "${med[2]}" "${p90[2]}" "${rss[2]}"
printf '%-42s %10d %10d %10d\n' "hook@1000: host with $links_h2 links" "${med[3]}" "${p90[3]}" "${rss[3]}"
printf '%-42s %10d %10d\n' "dad: hook@1 with oci-macvlan/dad=on" "${med[4]}" "${p90[4]}"
printf '%-42s %10d %10d\n' "alloc@1: network=one, 1 lease" "${med[5]}" "${p90[5]}"
printf '%-42s %10d %10d %10d\n' "alloc@1000: network=many, 1000 leases" "${med[6]}" "${p90[6]}" "${rss[6]}"
printf '%-42s %10d %10d\n' "(reference) /bin/true" "${med[true]}" "${p90[true]}"
printf '%-42s %10d %10d\n' "(reference) hook --version" "${med[version]}" "${p90[version]}"
printf '\n%-42s %10s %10s %10s\n' target value wanted ''
printf '%-42s %9sx %10s %10s\n' "cni / hook@1 (medians)" "$cni_ratio" '>= 8x' "$(check "$cni_ratio" '>=' 8)"
printf '%-42s %9sx %10s %10s\n' "hook@1000 / hook@1 (medians)" "$links_ratio" '<= 1.3x' "$(check "$links_ratio" '<=' 1.3)"
printf '%-42s %9sx %10s %10s\n' "alloc@1000 / alloc@1 (medians)" "$alloc_ratio" '<= 1.3x' "$(check "$alloc_ratio" '<=' 1.3)"
printf '%-42s %7d µs %10s %10s\n' "dad - hook@1 (medians; ~150-170 ms)" "$dad_us" '< 300 ms' "$(check "$dad_us" '<' 300000)"
for c in 1 3 6; do
	printf '%-42s %6s KiB %10s %10s\n' "$(case $c in 1) echo hook@1 ;; 3) echo hook@$links ;; *) echo alloc@1000 ;; esac) peak memory (max RSS)" "${rss[$c]}" \
		'< 4096' "$(check "${rss[$c]}" '<' 4096)"
done
