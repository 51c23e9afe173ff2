# shellcheck shell=bash
# sandbox.sh: a simulated LAN made of network namespaces, for tests, the demo
# and the benchmarks. Source it; nothing here touches the machine's own
# network namespace or sends traffic outside the namespaces it creates.
#
#   sandbox_init [PREFIX]          per-run prefix (default omv<pid>); sets SANDBOX_PREFIX
#   lan_create [NAME]              the "switch": a bridge br0 in namespace PREFIX-NAME (lan)
#   lan_host NAME [CIDR [GW]]      a "host": namespace PREFIX-NAME whose NIC lan0 is a veth
#                                  plugged into the switch, with an address and default route
#   lan_nic HOST NIC [CIDR]        one more NIC for host HOST, a veth plugged into the
#                                  current switch (the last lan_create) at port p-HOST-NIC
#   lan_port NAME                  the switch port of host NAME (for hairpin etc.)
#   sandbox_ns NAME                path of namespace NAME (/run/netns/PREFIX-NAME)
#   on NAME CMD...                 runs CMD in host NAME's network namespace (nsenter)
#   bare_container HOST            starts a process with a network namespace of its own
#                                  inside HOST; sets BARE_PID to its pid
#   host_process HOST              starts a process in HOST's own network namespace
#                                  (no namespace of its own); sets HOST_PID to its pid
#   sandbox_spawn HOST [WRAPPER...] -- CMD...
#                                  starts CMD in the background in HOST, through WRAPPER
#                                  (e.g. nsenter -t PID -n), killed by sandbox_destroy;
#                                  sets SPAWNED_PID to CMD's own pid, not a wrapper's
#   oci_state ID PID [K=V...]      prints an OCI state JSON with those annotations
#   sandbox_destroy                kills what it started and deletes every PREFIX- namespace

sandbox_init() {
	SANDBOX_PREFIX=${1:-omv$$}
	SANDBOX_PIDS=()
	export SANDBOX_PREFIX
}

sandbox_ns() {
	printf '/run/netns/%s-%s' "$SANDBOX_PREFIX" "$1"
}

on() {
	local name=$1
	shift
	nsenter --net="$(sandbox_ns "$name")" -- "$@"
}

lan_create() {
	local lan=${1:-lan}
	SANDBOX_LAN=$lan
	ip netns add "$SANDBOX_PREFIX-$lan" || return
	ip -n "$SANDBOX_PREFIX-$lan" link set lo up
	ip -n "$SANDBOX_PREFIX-$lan" link add br0 type bridge
	ip -n "$SANDBOX_PREFIX-$lan" link set br0 up
	# Frames between hosts are what the tests look at: let the bridge
	# forward at once and never filter through the host's firewall.
	ip -n "$SANDBOX_PREFIX-$lan" link set br0 type bridge forward_delay 0 stp_state 0
}

lan_port() {
	printf 'p-%s' "$1"
}

lan_host() {
	local name=$1 cidr=${2:-} gw=${3:-}
	ip netns add "$SANDBOX_PREFIX-$name" || return
	ip -n "$SANDBOX_PREFIX-$name" link set lo up
	lan_plug "$name" lan0 "$(lan_port "$name")" "$cidr" || return
	if [ -n "$gw" ]; then
		ip -n "$SANDBOX_PREFIX-$name" route add default via "$gw"
	fi
}

lan_nic() {
	lan_plug "$1" "$2" "p-$1-$2" "${3:-}"
}

# lan_plug HOST NIC PORT [CIDR]: a veth NIC in HOST, its peer PORT on the switch.
lan_plug() {
	local ns="$SANDBOX_PREFIX-$1" nic=$2 port=$3 cidr=${4:-}
	ip link add "$nic" netns "$ns" type veth peer name "$port" netns "$SANDBOX_PREFIX-$SANDBOX_LAN" || return
	ip -n "$SANDBOX_PREFIX-$SANDBOX_LAN" link set "$port" master br0 up
	ip -n "$ns" link set "$nic" up
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$nic.accept_dad=0"
	if [ -n "$cidr" ]; then
		ip -n "$ns" addr add "$cidr" dev "$nic" nodad 2>/dev/null || ip -n "$ns" addr add "$cidr" dev "$nic"
	fi
}

bare_container() {
	sandbox_spawn "$1" unshare --net --fork -- sleep 3600
	# shellcheck disable=SC2034 # for the caller
	BARE_PID=$SPAWNED_PID
}

host_process() {
	sandbox_spawn "$1" -- sleep 3600
	# shellcheck disable=SC2034 # for the caller
	HOST_PID=$SPAWNED_PID
}

sandbox_spawn() {
	local host=$1 pidfile wrapper=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		wrapper+=("$1")
		shift
	done
	shift
	pidfile=$(mktemp)
	# shellcheck disable=SC2016 # $$ is the child shell's pid, on purpose
	on "$host" "${wrapper[@]}" sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$pidfile" "$@" \
		</dev/null >/dev/null 2>&1 3>&- &
	while [ ! -s "$pidfile" ]; do sleep 0.01; done
	SPAWNED_PID=$(cat "$pidfile")
	SANDBOX_PIDS+=("$SPAWNED_PID")
	rm -f "$pidfile"
}

oci_state() {
	local id=$1 pid=$2 first=1 kv
	shift 2
	printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","pid":%s,"bundle":"/nonexistent","annotations":{' "$id" "$pid"
	for kv in "$@"; do
		[ $first = 1 ] || printf ','
		first=0
		json_kv "${kv%%=*}" "${kv#*=}"
	done
	printf '}}\n'
}

# One "key":"value" pair, with the value's quotes, backslashes, newlines
# and tabs escaped.
json_kv() {
	local v=${2//\\/\\\\}
	v=${v//\"/\\\"}
	v=${v//$'\n'/\\n}
	v=${v//$'\t'/\\t}
	printf '"%s":"%s"' "$1" "$v"
}

sandbox_destroy() {
	local pid ns
	for pid in "${SANDBOX_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	SANDBOX_PIDS=()
	for ns in $(ip netns list | awk '{print $1}' | grep "^$SANDBOX_PREFIX-"); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns"
	done
}
