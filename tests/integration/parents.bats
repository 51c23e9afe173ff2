#!/usr/bin/env bats
# Shared parents: a network's promiscuous parent and the VLAN links
# (PARENT.ID) the hook creates, counted per container and taken back at the
# last poststop only when the hook made them.

load helpers

setup() {
	setup_lan
	setup_networks
	network lan '{"parent": "lan0", "promisc": true, "subnets": [{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1"}]}'
}

teardown() {
	teardown_lan
}

# promisc: "on" or "off", lan0's own promiscuous flag in node1 (what
# `ip link set promisc` sets; .promiscuity also counts the kernel's own
# use, e.g. for the macvlans' MAC addresses on a NIC without a filter).
promisc() {
	link_field node1 lan0 'if (.flags | index("PROMISC")) then "on" else "off" end'
}

@test "promisc: true turns the parent's promiscuous mode on while containers use it, off after the last poststop" {
	assert_equal "$(promisc)" off
	on_network c1
	local c1=$C
	assert_equal "$(promisc)" on
	on_network c2
	attach node1 c2 "$C" oci-macvlan/network=lan # the same container twice counts once
	assert_equal "$(promisc)" on
	run poststop c1 "$c1"
	assert_success
	assert_equal "$(promisc)" on
	run poststop c2 "$C"
	assert_success
	assert_equal "$(promisc)" off
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/refs/promisc/lan0" ]
}

@test "two containers of a pod (one netns, two ids) each hold the parent's promiscuous mode" {
	network lan2 '{"parent": "lan0", "promisc": true, "subnets": [{"subnet": "10.10.0.0/24"}]}'
	on_network c1
	attach node1 c1-sidecar "$C" oci-macvlan/network=lan2 oci-macvlan/ifname=eth1
	run poststop c1 "$C"
	assert_equal "$(promisc)" on
	run poststop c1-sidecar "$C"
	assert_equal "$(promisc)" off
}

@test "promiscuous mode an admin turned on before the first container stays on" {
	on node1 ip link set lan0 promisc on
	on_network c1
	assert_equal "$(promisc)" on
	run poststop c1 "$C"
	assert_success
	assert_equal "$(promisc)" on
}

@test "a failed attach does not leave promiscuous mode on" {
	network lan '{"parent": "lan0", "promisc": true, "mtu": 9000, "subnets": [{"subnet": "10.9.0.0/24"}]}'
	bare_container node1
	assert_refused node1 "$BARE_PID" "oci-macvlan-hook: c1: oci-macvlan/mtu: 9000 is above parent lan0's MTU 1500" \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	assert_equal "$(promisc)" off
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/refs/promisc/lan0" ]
}

@test "a promisc that is not a boolean names the file and the key" {
	network lan '{"parent": "lan0", "promisc": "yes", "subnets": [{"subnet": "10.9.0.0/24"}]}'
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		"oci-macvlan-hook: c1: oci-macvlan/network: $OCI_MACVLAN_NETWORKS_DIR/lan.json: promisc: must be true or false, not string" \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	assert_equal "$(promisc)" off
}

@test "gc drops the references of containers that are gone and turns promiscuous mode off" {
	on_network c1
	local gone=$C
	kill_container "$gone"
	run hook_in node1 gc
	assert_success
	assert_line "promisc lan0: dropped container c1 (process $gone is gone)"
	assert_equal "$(promisc)" off
}

@test "a VLAN link the hook creates is up with its parent's MTU, kept while a container uses it, deleted at the last poststop" {
	requires kernel_vlan
	on node1 ip link set lan0 mtu 1400
	network lan '{"parent": "lan0", "vlan": 100, "subnets": [{"subnet": "10.100.0.0/24"}]}'
	on_network c1
	local c1=$C
	assert_equal "$(link_field node1 lan0.100 '.linkinfo.info_data.id')" 100
	assert_equal "$(link_field node1 lan0.100 '.mtu')" 1400
	assert_equal "$(link_field node1 lan0.100 '.flags | index("UP") != null')" true
	assert_equal "$(link_field "$c1" eth0 .link_index)" "$(link_field node1 lan0.100 .ifindex)"
	on_network c2
	run poststop c1 "$c1"
	assert_success
	assert_equal "$(link_field node1 lan0.100 '.linkinfo.info_data.id')" 100
	run poststop c2 "$C"
	assert_success
	run -1 on node1 ip link show lan0.100
}

@test "a VLAN link an admin made is never deleted" {
	requires kernel_vlan
	on node1 ip link add link lan0 name lan0.100 type vlan id 100
	on node1 ip link set lan0.100 up
	network lan '{"parent": "lan0", "vlan": 100, "subnets": [{"subnet": "10.100.0.0/24"}]}'
	on_network c1
	run poststop c1 "$C"
	assert_success
	assert_equal "$(link_field node1 lan0.100 '.linkinfo.info_data.id')" 100
}

@test "a network's VLAN on a kernel without 802.1Q support is refused, and nothing is counted or left on" {
	! kernel_has_vlan || skip "this kernel has 802.1Q VLAN support"
	network lan '{"parent": "lan0", "promisc": true, "vlan": 100, "subnets": [{"subnet": "10.100.0.0/24"}]}'
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c1: oci-macvlan/vlan: 100: cannot create lan0.100: this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q, module 8021q)' \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	assert_equal "$(promisc)" off
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/refs/vlan/lan0.100" ]
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/refs/promisc/lan0" ]
	assert [ ! -e "$OCI_MACVLAN_STATE_DIR/leases/lan" ] || assert_equal "$(cat "$OCI_MACVLAN_STATE_DIR/leases/lan")" ''
}
