#!/usr/bin/env bats
# Named networks (networks.d) and their address leases: SCENARIOS.md 6.
# Network "lan": parent lan0, 10.9.0.0/24 handing out 10.9.0.16/28 but
# never 10.9.0.16 (an aux address), and 2001:db8::/64 handing out
# 2001:db8::100/120; gateways 10.9.0.1 and 2001:db8::1.

load helpers

setup() {
	setup_lan
	setup_networks
	network lan '{"parent": "lan0", "subnets": [
		{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1", "ip_range": "10.9.0.16/28",
		 "aux_addresses": {"shim": "10.9.0.16"}},
		{"subnet": "2001:db8::/64", "gateway": "2001:db8::1", "ip_range": "2001:db8::100/120"}]}'
}

teardown() {
	teardown_lan
}

# leases NAME [STATE_DIR]: the lease file of network NAME, "ADDRESS ID IFNAME" a line.
leases() {
	local file=${2:-$OCI_MACVLAN_STATE_DIR}/leases/$1
	[ ! -e "$file" ] || cut -d' ' -f1-3 "$file"
}

@test "a network alone: an address of each family from its ranges, its gateways, a lease each" {
	on_network c1
	run addresses "$C" eth0
	assert_output $'10.9.0.17/24\n2001:db8::100/64'
	run routes "$C" 4
	assert_output 'default via 10.9.0.1 dev eth0'
	run routes "$C" 6
	assert_output 'default via 2001:db8::1 dev eth0'
	pings "$C" 10.9.0.1
	pings "$C" 2001:db8::1
	run leases lan
	assert_output $'10.9.0.17/24 c1 eth0\n2001:db8::100/64 c1 eth0'
}

@test "the network's parent, mode and MTU; the container's own keys win" {
	network lan '{"parent": "lan0", "mode": "private", "mtu": 1400,
		"subnets": [{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1"}]}'
	on_network c1
	assert_equal "$(link_field "$C" eth0 .linkinfo.info_data.mode)" private
	assert_equal "$(link_field "$C" eth0 .mtu)" 1400
	assert_equal "$(link_field "$C" eth0 .link_index)" "$(link_field node1 lan0 .ifindex)"
	run addresses "$C" eth0
	assert_output 10.9.0.2/24 # .1 is the gateway; node1's own .2 is not the network's to know
	on_network c2 oci-macvlan/mode=vepa oci-macvlan/mtu=1300
	assert_equal "$(link_field "$C" eth0 .linkinfo.info_data.mode)" vepa
	assert_equal "$(link_field "$C" eth0 .mtu)" 1300
}

@test "a static address is checked against the network and leased, so it is never handed out" {
	on_network c1 oci-macvlan/address=10.9.0.17/24
	run addresses "$C" eth0
	assert_output $'10.9.0.17/24\n2001:db8::100/64'
	on_network c2
	run addresses "$C" eth0
	assert_output $'10.9.0.18/24\n2001:db8::101/64'

	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c3: oci-macvlan/address: 10.8.0.5/24 is outside every subnet of network "lan"' \
		attach node1 c3 "$BARE_PID" oci-macvlan/network=lan oci-macvlan/address=10.8.0.5/24
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c3: oci-macvlan/address: 10.9.0.18 is leased to container c2 in network "lan"' \
		attach node1 c3 "$BARE_PID" oci-macvlan/network=lan oci-macvlan/address=10.9.0.18/24
	run leases lan
	refute_output --partial c3
}

@test "attaching twice keeps the same addresses and leases; poststop releases them for the next container" {
	on_network c1
	local before
	before=$(leases lan)
	run attach node1 c1 "$C" oci-macvlan/network=lan
	assert_success
	assert_equal "$(leases lan)" "$before"
	run addresses "$C" eth0
	assert_output $'10.9.0.17/24\n2001:db8::100/64'

	run hook_in node1 poststop < <(oci_state c1 "$C" oci-macvlan/network=lan | jq -c '.status = "stopped"')
	assert_success
	run leases lan
	assert_output ''
	on_network c2
	run addresses "$C" eth0
	assert_output $'10.9.0.17/24\n2001:db8::100/64'
}

# pod_member PID: a second container in container PID's network namespace
# (a pod under CRI-O); sets M to its pid.
pod_member() {
	sandbox_spawn node1 nsenter -t "$1" -n -- sleep 3600
	M=$SPAWNED_PID
}

# pod_leases IPV4 IPV6: the leases of lan are c1's and c1-app's lines for each.
pod_leases() {
	run leases lan
	assert_output "$1 c1 eth0
$1 c1-app eth0
$2 c1 eth0
$2 c1-app eth0"
}

@test "two containers of a pod (one netns, two ids) share the interface; each holds its addresses" {
	on_network c1
	pod_member "$C"
	run attach node1 c1-app "$M" oci-macvlan/network=lan
	assert_success
	run addresses "$M" eth0
	assert_output $'10.9.0.17/24\n2001:db8::100/64'
	assert_equal "$(link_list "$C" | grep -c ' macvlan ')" 1
	pod_leases 10.9.0.17/24 2001:db8::100/64

	# The pod's first container goes; the interface lives on in c1-app's
	# namespace, and so do its addresses.
	kill_container "$C"
	run poststop c1 "$C"
	assert_success
	run leases lan
	assert_output $'10.9.0.17/24 c1-app eth0\n2001:db8::100/64 c1-app eth0'
	on_network c2
	run addresses "$C" eth0
	assert_output $'10.9.0.18/24\n2001:db8::101/64'
	run attach node1 c1-app "$M" oci-macvlan/network=lan
	assert_success
	run poststop c1-app "$M"
	run leases lan
	assert_output $'10.9.0.18/24 c2 eth0\n2001:db8::101/64 c2 eth0'
}

@test "gc drops a gone pod container's lines and keeps the pod's addresses for the others" {
	on_network c1
	pod_member "$C"
	attach node1 c1-app "$M" oci-macvlan/network=lan
	kill_container "$C"
	run "$OMV_HOOK" gc
	assert_success
	assert_line "network lan: released 10.9.0.17 of container c1 (process $C is gone)"
	run leases lan
	assert_output $'10.9.0.17/24 c1-app eth0\n2001:db8::100/64 c1-app eth0'
}

@test "a pod's static address is its own, not a second container's conflict" {
	on_network c1 oci-macvlan/address=10.9.0.20/24
	pod_member "$C"
	run attach node1 c1-app "$M" oci-macvlan/network=lan oci-macvlan/address=10.9.0.20/24
	assert_success
	pod_leases 10.9.0.20/24 2001:db8::100/64
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c2: oci-macvlan/address: 10.9.0.20 is leased to container c1 in network "lan"' \
		attach node1 c2 "$BARE_PID" oci-macvlan/network=lan oci-macvlan/address=10.9.0.20/24
}

@test "a failed attach gives its leases back" {
	network lan '{"parent": "lan0", "mtu": 9000, "subnets": [{"subnet": "10.9.0.0/24"}]}'
	bare_container node1
	assert_refused node1 "$BARE_PID" "oci-macvlan-hook: c1: oci-macvlan/mtu: 9000 is above parent lan0's MTU 1500" \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	run leases lan
	assert_output ''
}

@test "gc drops the leases of containers that are gone and keeps the others" {
	on_network c1
	local gone=$C
	on_network c2
	kill_container "$gone"
	run "$OMV_HOOK" gc
	assert_success
	assert_output - <<-EOF
		network lan: released 10.9.0.17 of container c1 (process $gone is gone)
		network lan: released 2001:db8::100 of container c1 (process $gone is gone)
	EOF
	run leases lan
	assert_output $'10.9.0.18/24 c2 eth0\n2001:db8::101/64 c2 eth0'
}

@test "64 hooks started at once on one network get 64 distinct addresses" {
	network lan '{"parent": "lan0", "subnets": [{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1",
		"ip_range": "10.9.0.64/26"}]}'
	local i pids=() hooks=()
	for i in $(seq 64); do
		bare_container node1
		pids+=("$BARE_PID")
	done
	for i in $(seq 64); do
		attach node1 "c$i" "${pids[i - 1]}" oci-macvlan/network=lan &
		hooks+=($!)
	done
	for i in "${hooks[@]}"; do
		wait "$i"
	done
	run leases lan
	assert_equal "${#lines[@]}" 64
	assert_equal "$(cut -d' ' -f1 <<<"$output" | sort -u | wc -l)" 64
	for i in 1 33 64; do
		run addresses "${pids[i - 1]}" eth0
		assert_output "$(awk -v id="c$i" '$2 == id { print $1 }' "$OCI_MACVLAN_STATE_DIR/leases/lan")"
	done
}

@test "a full range is a clear error, and nothing is left behind" {
	network lan '{"parent": "lan0", "subnets": [{"subnet": "10.9.0.0/30", "gateway": "10.9.0.1"}]}'
	on_network c1
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c2: oci-macvlan/network: "lan" has no free IPv4 address left' \
		attach node1 c2 "$BARE_PID" oci-macvlan/network=lan
	run leases lan
	assert_output '10.9.0.2/30 c1 eth0'
}

@test "an undefined network and a bad network file name the file and the key" {
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		"oci-macvlan-hook: c1: oci-macvlan/network: network \"nosuch\" is not defined: no $OCI_MACVLAN_NETWORKS_DIR/nosuch.json" \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=nosuch
	network bad '{"parent": "lan0", "subnets": [{"subnet": "10.9.0.0/24", "gateway": "10.8.0.1"}]}'
	assert_refused node1 "$BARE_PID" \
		"oci-macvlan-hook: c1: oci-macvlan/network: $OCI_MACVLAN_NETWORKS_DIR/bad.json: subnets[0].gateway: 10.8.0.1 is outside the subnet" \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=bad
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/leases/bad" ]
}

@test "the example network in configs/ works as shipped, with lan0 as its parent" {
	sed 's/"eth1"/"lan0"/' "$BATS_TEST_DIRNAME/../../configs/networks.d/lan.json" >"$OCI_MACVLAN_NETWORKS_DIR/example.json"
	bare_container node1
	attach node1 c1 "$BARE_PID" oci-macvlan/network=example
	run addresses "$BARE_PID" eth0
	assert_output $'192.168.1.128/24\n2001:db8:1::1000/64'
	run routes "$BARE_PID" 4
	assert_output 'default via 192.168.1.1 dev eth0'
}

# two_hosts_conflict JSON-SUBNETS CIDR: node1 and node2 each keep their own
# leases for the same network (dad on); node2's container is handed the
# address node1's container has (CIDR), and DAD refuses it.
two_hosts_conflict() {
	network lan '{"parent": "lan0", "dad": true, "subnets": ['"$1"']}'
	lan_host node2 10.9.0.3/24 10.9.0.1
	on_network c1
	local owner=$C mac
	mac=$(link_field "$owner" eth0 .address)
	run addresses "$owner" eth0
	assert_output "$2"
	bare_container node2
	OCI_MACVLAN_STATE_DIR=$BATS_TEST_TMPDIR/state-node2 assert_refused node2 "$BARE_PID" \
		"oci-macvlan-hook: c2: oci-macvlan/address: ${2%/*} is already in use on lan0 by $mac" \
		attach node2 c2 "$BARE_PID" oci-macvlan/network=lan
	run leases lan "$BATS_TEST_TMPDIR/state-node2"
	assert_output ''
}

@test "two hosts allocating from one IPv4 range: DAD catches the address the other host's container has" {
	two_hosts_conflict '{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1", "ip_range": "10.9.0.16/28"}' 10.9.0.16/24
}

@test "two hosts allocating from one IPv6 range: DAD catches the address the other host's container has" {
	two_hosts_conflict '{"subnet": "2001:db8::/64", "gateway": "2001:db8::1", "ip_range": "2001:db8::100/120"}' 2001:db8::100/64
}
