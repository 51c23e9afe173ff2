#!/usr/bin/env bash
# contrib/bench/datapath.sh: macvlan against veth + Linux bridge, between two
# containers on one host of a sandbox LAN.
#
#   contrib/bench/datapath.sh [-t SECONDS] [-c PINGS] [-r ROUNDS] [--hook PATH]
#
# Two pairs of containers (network namespaces of their own) in host h1:
#   macvlan  eth0 is a bridge-mode macvlan on h1's lan0, attached by the hook
#   veth     eth0 is a veth whose peer is a port of a Linux bridge in h1
# Each round measures, on both pairs in turn, iperf3 TCP throughput (one
# stream, -t SECONDS, default 5) and ping latency (-c PINGS, default 100, at
# 0.01 s intervals; median and average rtt), and prints, over the rounds (-r,
# default 3), the median throughput, the pooled ping statistics and the
# ratios macvlan/veth. Needs root, iproute2, iperf3, iputils-ping and jq.
# Everything lives in namespaces named omvdata<pid>-*, deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=contrib/sandbox.sh
. contrib/sandbox.sh
# shellcheck source=contrib/bench/common.sh
. contrib/bench/common.sh

secs=5
pings=100
rounds=3
hook=build/hooks/oci-macvlan-hook

options secs=-t pings=-c rounds=-r hook=--hook -- "$@"
positive -t "$secs"
positive -c "$pings"
positive -r "$rounds"
needs_root
built hook oci-macvlan-hook
needs "iperf3 iputils-ping jq" iperf3 ping jq

work=$(mktemp -d /tmp/omvdata.XXXXXX)
sandbox_init "omvdata$$"
srv=""  # the running iperf3 server, a child of this shell
trap 'set +e; [ -z "$srv" ] || kill "$srv"; sandbox_destroy; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

lan_create lan
lan_host h1 10.9.0.2/16
h1="$SANDBOX_PREFIX-h1"
ip -n "$h1" link add br1 type bridge forward_delay 0 stp_state 0
ip -n "$h1" link set br1 up

# inside PID CMD...: runs CMD in container PID's network namespace.
inside() {
	local pid=$1
	shift
	nsenter -t "$pid" -n -- "$@"
}

# macvlan_container ADDR: a container whose eth0 the hook attaches on lan0.
macvlan_container() {
	bare_container h1
	oci_state "data$BARE_PID" "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/mode=bridge \
		"oci-macvlan/address=$1/16" | on h1 "$hook" createRuntime || die "the hook failed"
}

# veth_container ADDR: a container whose eth0 is a veth, its peer on br1 in h1.
veth_container() {
	bare_container h1
	ip -n "$h1" link add "v$BARE_PID" type veth peer name eth0 netns "/proc/$BARE_PID/ns/net"
	ip -n "$h1" link set "v$BARE_PID" master br1 up
	inside "$BARE_PID" ip addr add "$1/16" dev eth0
	inside "$BARE_PID" ip link set eth0 up
}

declare -A client server
for kind in macvlan veth; do
	net=$([ $kind = macvlan ] && echo 1 || echo 2)
	"${kind}_container" "10.9.$net.1"
	client[$kind]=$BARE_PID
	"${kind}_container" "10.9.$net.2"
	server[$kind]=$BARE_PID
	# A check outside the measurement: the link type is what the row says.
	inside "${client[$kind]}" ip -d -o link show dev eth0 | grep -q " $kind " ||
		die "$kind client's eth0 is not a $kind"
	inside "${client[$kind]}" ping -c 1 -W 2 -q "10.9.$net.2" >/dev/null || die "$kind: no ping between the containers"
done

# measure KIND ADDR: one iperf3 run and one ping run, client to server.
measure() {
	local kind=$1 addr=$2
	inside "${server[$kind]}" iperf3 -s -1 -B "$addr" >/dev/null &
	srv=$!
	until inside "${server[$kind]}" ss -Hltn sport = :5201 | grep -q .; do sleep 0.05; done
	inside "${client[$kind]}" iperf3 -c "$addr" -t "$secs" -J >"$work/iperf.json" ||
		die "$kind: iperf3 failed: $(jq -r .error "$work/iperf.json" 2>/dev/null)"
	wait "$srv" || true
	srv=""
	jq -r '.end.sum_received.bits_per_second' "$work/iperf.json" >>"$work/$kind.bps"
	inside "${client[$kind]}" ping -n -c "$pings" -i 0.01 "$addr" |
		sed -n 's/.* time=\([0-9.]*\) ms$/\1/p' >>"$work/$kind.rtt"
}

for ((r = 1; r <= rounds; r++)); do
	echo "datapath.sh: round $r/$rounds" >&2
	# Alternate which goes first.
	if ((r % 2)); then order="macvlan veth"; else order="veth macvlan"; fi
	for kind in $order; do
		measure "$kind" "10.9.$([ "$kind" = macvlan ] && echo 1 || echo 2).2"
	done
done

# median FILE; avg FILE
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.6g\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
avg() { awk '{ s += $1 } END { printf "%.6g\n", s / NR }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -A gbps rtt_med rtt_avg lost
for kind in macvlan veth; do
	gbps[$kind]=$(awk -v b="$(median "$work/$kind.bps")" 'BEGIN { printf "%.2f", b / 1e9 }')
	rtt_med[$kind]=$(awk -v t="$(median "$work/$kind.rtt")" 'BEGIN { printf "%.1f", t * 1000 }')
	rtt_avg[$kind]=$(awk -v t="$(avg "$work/$kind.rtt")" 'BEGIN { printf "%.1f", t * 1000 }')
	lost[$kind]=$((rounds * pings - $(wc -l <"$work/$kind.rtt")))
done

printf '\nmacvlan vs veth + bridge, two containers on one host (%s, %d cores)\n' "$(uname -r)" "$(nproc)"
printf 'iperf3: 1 TCP stream, %d s, median of %d rounds; ping: %d x %d at 0.01 s\n\n' \
	"$secs" "$rounds" "$rounds" "$pings"
printf '%-18s %14s %16s %14s %6s\n' path 'TCP Gbit/s' 'rtt median us' 'rtt avg us' lost
for kind in macvlan veth; do
	printf '%-18s %14s %16s %14s %6s\n' "$kind$([ "$kind" = veth ] && echo ' + bridge')" "${gbps[$kind]}" \
		"${rtt_med[$kind]}" "${rtt_avg[$kind]}" "${lost[$kind]}"
done
printf '\nmacvlan / veth: throughput %sx, rtt median %sx, rtt avg %sx\n' \
	"$(ratio "${gbps[macvlan]}" "${gbps[veth]}")" "$(ratio "${rtt_med[macvlan]}" "${rtt_med[veth]}")" \
	"$(ratio "${rtt_avg[macvlan]}" "${rtt_avg[veth]}")"
