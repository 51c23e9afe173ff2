#!/usr/bin/env bats
# Each bad input: exit status 1, the exact error line, and neither node1's
# links nor the container's changed afterwards.

load helpers

setup() {
	setup_lan
	bare_container node1
	C=$BARE_PID
}

teardown() {
	teardown_lan
}

# refuses LINE K=V...: the hook, fed these annotations for container C, refuses with LINE.
refuses() {
	assert_refused node1 "$C" "$1" attach node1 c1 "$C" "${@:2}"
}

# refuses_state LINE JQ: the same for a valid state for C edited by the jq filter JQ.
refuses_state() {
	assert_refused node1 "$C" "$1" hook_in node1 \
		< <(oci_state c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 | jq -c "$2")
}

@test "unknown key" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/colour: unknown key' \
		oci-macvlan/parent=lan0 oci-macvlan/colour=blue
}

@test "bad CIDR" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/address: "10.9.0.300/24" is not an address in CIDR form (ADDR/PREFIX)' \
		oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.300/24
	refuses 'oci-macvlan-hook: c1: oci-macvlan/address: "10.9.0.10" is not an address in CIDR form (ADDR/PREFIX)' \
		oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10
}

@test "gateway outside every subnet" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/gateway: 10.8.0.1 is outside every IPv4 subnet of oci-macvlan/address' \
		oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24,2001:db8::10/64 oci-macvlan/gateway=10.8.0.1
}

@test "two gateways of one family" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/gateway: 10.9.0.1 and 10.9.0.2 are two IPv4 gateways; at most one per family' \
		oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/gateway=10.9.0.1,10.9.0.2
}

@test "MTU out of range" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/mtu: 67 is out of range 68..65535' \
		oci-macvlan/parent=lan0 oci-macvlan/mtu=67
	refuses 'oci-macvlan-hook: c1: oci-macvlan/mtu: 70000 is out of range 68..65535' \
		oci-macvlan/parent=lan0 oci-macvlan/mtu=70000
}

@test "MTU above the parent's" {
	refuses "oci-macvlan-hook: c1: oci-macvlan/mtu: 9000 is above parent lan0's MTU 1500" \
		oci-macvlan/parent=lan0 oci-macvlan/mtu=9000
}

@test "multicast MAC" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/mac: 01:00:5e:00:00:01 is a multicast address, not a unicast one' \
		oci-macvlan/parent=lan0 oci-macvlan/mac=01:00:5e:00:00:01
}

@test "bad mode" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/mode: "bridged" is not a macvlan mode (bridge, private, vepa, passthru, source)' \
		oci-macvlan/parent=lan0 oci-macvlan/mode=bridged
}

@test "VLAN id out of range" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/vlan: 0 is out of range 1..4094' \
		oci-macvlan/parent=lan0 oci-macvlan/vlan=0
	refuses 'oci-macvlan-hook: c1: oci-macvlan/vlan: 4095 is out of range 1..4094' \
		oci-macvlan/parent=lan0 oci-macvlan/vlan=4095
}

@test "duplicate ifname in oci-macvlan/interfaces" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/interfaces[1].ifname: "eth0" is already used by interfaces[0]' \
		'oci-macvlan/interfaces=[{"parent": "lan0"}, {"parent": "lan0", "ifname": "eth0"}]'
}

@test "missing parent interface" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/parent: interface "nosuch0" does not exist' \
		oci-macvlan/parent=nosuch0 oci-macvlan/address=10.9.0.10/24
}

@test "no parent annotation and no default route" {
	bare_container gw
	assert_refused gw "$BARE_PID" \
		'oci-macvlan-hook: c1: oci-macvlan/parent: there is no default route to take the parent from' \
		attach gw c1 "$BARE_PID" oci-macvlan/address=10.9.0.10/24
}

@test "bad JSON in oci-macvlan/interfaces" {
	refuses 'oci-macvlan-hook: c1: oci-macvlan/interfaces: not valid JSON: parse error: premature EOF' \
		'oci-macvlan/interfaces=[{"parent": "lan0"'
	refuses 'oci-macvlan-hook: c1: oci-macvlan/interfaces: must be a non-empty JSON array of objects' \
		'oci-macvlan/interfaces={"parent": "lan0"}'
}

@test "state that is not JSON, or empty" {
	assert_refused node1 "$C" 'oci-macvlan-hook: state: not valid JSON: lexical error: invalid string in json text.' \
		hook_in node1 <<<'not json'
	assert_refused node1 "$C" "oci-macvlan-hook: state: the input is empty; the runtime passes the container's state on stdin" \
		hook_in node1 </dev/null
}

@test "state over 1 MiB" {
	local state=$BATS_TEST_TMPDIR/state.json
	oci_state c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 |
		jq -c --rawfile pad <(head -c 1048576 /dev/zero | tr '\0' x) '.annotations.pad = $pad' >"$state"
	assert_refused node1 "$C" 'oci-macvlan-hook: state: input is larger than 1048576 bytes' \
		hook_in node1 <"$state"
}

@test "missing or wrong-typed id" {
	refuses_state 'oci-macvlan-hook: state: "id" is missing' 'del(.id)'
	refuses_state 'oci-macvlan-hook: state: "id" must be a string, not number' '.id = 5'
}

@test "missing or wrong-typed pid" {
	refuses_state "oci-macvlan-hook: c1: state: \"pid\" is missing or 0: the container's process is needed" 'del(.pid)'
	refuses_state "oci-macvlan-hook: c1: state: \"pid\" is missing or 0: the container's process is needed" '.pid = 0'
	refuses_state 'oci-macvlan-hook: c1: state: "pid" must be an integer, not string' '.pid |= tostring'
	refuses_state 'oci-macvlan-hook: c1: state: "pid" -3 is out of range' '.pid = -3'
}

@test "pid of a process that is gone" {
	local dead
	dead=$(sh -c 'echo $$')
	assert_refused node1 "$C" "oci-macvlan-hook: c1: container process $dead is gone" \
		attach node1 c1 "$dead" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24
}

@test "pid sharing the host's network namespace is refused" {
	host_process node1
	assert_refused node1 "$C" "oci-macvlan-hook: c1: container process $HOST_PID shares the hook's network namespace; the container needs a network namespace of its own" \
		attach node1 c1 "$HOST_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24
}

@test "a VLAN on a kernel without 802.1Q support is refused with a clear error" {
	! kernel_has_vlan || skip "this kernel has 802.1Q VLAN support"
	refuses 'oci-macvlan-hook: c1: oci-macvlan/vlan: 100: cannot create lan0.100: this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q, module 8021q)' \
		oci-macvlan/parent=lan0 oci-macvlan/vlan=100 oci-macvlan/address=10.9.0.10/24
}

@test "a failure after the links were made undoes every interface" {
	# The second interface's MAC is the first's: the kernel refuses it only
	# when the link comes up, after both links exist in the container.
	refuses 'oci-macvlan-hook: c1: oci-macvlan/interfaces[1].mac: 02:00:0a:09:00:0a is already used on parent lan0 (by the parent or another macvlan)' \
		'oci-macvlan/interfaces=[{"parent": "lan0", "mac": "02:00:0a:09:00:0a", "address": "10.9.0.10/24", "gateway": "10.9.0.1"},
			{"parent": "lan0", "mac": "02:00:0a:09:00:0a", "address": "10.9.0.11/24"}]'
	run routes "$C" 4
	assert_output ''
}

@test "a hook killed at any point of the attach leaves nothing in the host namespace" {
	requires strace
	local trace=$BATS_TEST_TMPDIR/trace before call n
	local ann=(oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24,2001:db8::10/64 oci-macvlan/gateway=10.9.0.1)
	before=$(link_list node1)
	# LeakSanitizer cannot run under ptrace; the ASan build's other checks still do.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	# Each netlink message the attach sends or receives is a point to kill it
	# at: SIGKILL on entering the Nth sendmsg, then the Nth recvmsg.
	run on node1 strace -f -qq -o "$trace" -e trace=sendmsg,recvmsg "$OMV_HOOK" < <(oci_state c1 "$C" "${ann[@]}")
	assert_success
	for call in sendmsg recvmsg; do
		[ "$(grep -c "$call(" "$trace")" -ge 5 ]
		for n in $(seq "$(grep -c "$call(" "$trace")"); do
			bare_container node1
			run -137 on node1 strace -f -qq -o /dev/null -e trace="$call" \
				-e inject="$call":signal=KILL:when="$n" "$OMV_HOOK" \
				< <(oci_state c1 "$BARE_PID" "${ann[@]}")
			assert_equal "$(link_list node1)" "$before"
		done
	done
}
