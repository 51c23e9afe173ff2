#!/usr/bin/env bats
# The hook fed a state by hand, for a bare container: a process with a
# network namespace of its own inside host node1 (see helpers.bash).

load helpers

setup() {
	setup_lan
	bare_container node1
	C=$BARE_PID
}

teardown() {
	teardown_lan
}

@test "every key of the single-interface form, as ip -d reports it in the container" {
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 \
		oci-macvlan/address=10.9.0.10/24,2001:db8::10/64 \
		oci-macvlan/gateway=10.9.0.1,2001:db8::1 \
		"oci-macvlan/routes=10.20.0.0/16 via 10.9.0.254,192.168.5.0/24,2001:db8:5::/48 via 2001:db8::fe" \
		oci-macvlan/mtu=1400 oci-macvlan/mac=02:00:0a:09:00:0a \
		oci-macvlan/mode=private oci-macvlan/ifname=net0
	assert_success
	assert_output ''

	assert_equal "$(link_field "$C" net0 .linkinfo.info_kind)" macvlan
	assert_equal "$(link_field "$C" net0 .linkinfo.info_data.mode)" private
	assert_equal "$(link_field "$C" net0 .mtu)" 1400
	assert_equal "$(link_field "$C" net0 .address)" 02:00:0a:09:00:0a
	assert_equal "$(link_field "$C" net0 .operstate)" UP
	# Its parent is node1's lan0: the link index seen from the container.
	assert_equal "$(link_field "$C" net0 .link_index)" "$(link_field node1 lan0 .ifindex)"
	run addresses "$C" net0
	assert_output $'10.9.0.10/24\n2001:db8::10/64'
	run routes "$C" 4
	assert_output - <<-EOF
		default via 10.9.0.1 dev net0
		10.20.0.0/16 via 10.9.0.254 dev net0
		192.168.5.0/24 dev net0
	EOF
	run routes "$C" 6
	assert_line 'default via 2001:db8::1 dev net0'
	assert_line '2001:db8:5::/48 via 2001:db8::fe dev net0'
	assert_equal "${#lines[@]}" 2
}

@test "the container pings the gateway over IPv4 and IPv6" {
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 \
		oci-macvlan/address=10.9.0.10/24,2001:db8::10/64 oci-macvlan/gateway=10.9.0.1,2001:db8::1
	assert_success
	pings "$C" 10.9.0.1
	pings "$C" 2001:db8::1
}

@test "defaults: eth0 in bridge mode on the default route's interface, with the parent's MTU" {
	run attach node1 c1 "$C" oci-macvlan/address=10.9.0.10/24
	assert_success
	assert_equal "$(link_field "$C" eth0 .linkinfo.info_data.mode)" bridge
	assert_equal "$(link_field "$C" eth0 .link_index)" "$(link_field node1 lan0 .ifindex)"
	assert_equal "$(link_field "$C" eth0 .mtu)" 1500
	run routes "$C" 4
	assert_output ''
	pings "$C" 10.9.0.1
}

@test "oci-macvlan/interfaces: two interfaces on two parents, each on its own LAN" {
	lan_create lan2
	lan_host gw2 10.10.0.1/24
	lan_nic node1 lan1 10.10.0.2/24
	run attach node1 c1 "$C" 'oci-macvlan/interfaces=[
		{"parent": "lan0", "address": "10.9.0.10/24", "gateway": "10.9.0.1", "mac": "02:00:0a:09:00:0a"},
		{"parent": "lan1", "address": ["10.10.0.10/24"], "routes": "10.30.0.0/16 via 10.10.0.1", "mtu": 1400}]'
	assert_success
	assert_equal "$(link_field "$C" eth0 .link_index)" "$(link_field node1 lan0 .ifindex)"
	assert_equal "$(link_field "$C" eth1 .link_index)" "$(link_field node1 lan1 .ifindex)"
	assert_equal "$(link_field "$C" eth0 .address)" 02:00:0a:09:00:0a
	assert_equal "$(link_field "$C" eth1 .mtu)" 1400
	run addresses "$C" eth1
	assert_output 10.10.0.10/24
	run routes "$C" 4
	assert_output $'default via 10.9.0.1 dev eth0\n10.30.0.0/16 via 10.10.0.1 dev eth1'
	pings "$C" 10.9.0.1
	pings "$C" 10.10.0.1
}

@test "a container without oci-macvlan/ annotations is left alone" {
	local before
	before=$(link_list node1 && link_list "$C")
	run attach node1 c1 "$C" org.opencontainers.image.title=web io.kubernetes.pod.name=web-1
	assert_success
	assert_output ''
	assert_equal "$(link_list node1 && link_list "$C")" "$before"
	run link_list "$C"
	assert_output --regexp '^1 lo '
	assert_equal "${#lines[@]}" 1
}

@test "attaching twice with the same annotations succeeds and leaves one interface" {
	local ann=(oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24,2001:db8::10/64
		oci-macvlan/gateway=10.9.0.1 oci-macvlan/mac=02:00:0a:09:00:0a)
	run attach node1 c1 "$C" "${ann[@]}"
	assert_success
	local before
	before=$(link_list node1 && link_list "$C")
	run attach node1 c1 "$C" "${ann[@]}"
	assert_success
	assert_output ''
	assert_equal "$(link_list node1 && link_list "$C")" "$before"
	run addresses "$C" eth0
	assert_output $'10.9.0.10/24\n2001:db8::10/64'
	pings "$C" 10.9.0.1
}

@test "attaching again with different annotations fails and changes nothing" {
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24
	assert_success
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: oci-macvlan/ifname: eth0 already exists in the container and its mode differs' \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/mode=private
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: oci-macvlan/ifname: eth0 already exists in the container and its MTU differs' \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/mtu=1400
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: oci-macvlan/ifname: eth0 already exists in the container and it lacks a requested address' \
		attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24
	run addresses "$C" eth0
	assert_output 10.9.0.10/24
}

@test "stage from argv: createRuntime and prestart attach, poststop does nothing" {
	local stage
	for stage in createRuntime prestart; do
		bare_container node1
		run hook_in node1 "$stage" < <(oci_state c1 "$BARE_PID" oci-macvlan/address=10.9.0.10/24)
		assert_success
		assert_equal "$(link_field "$BARE_PID" eth0 .linkinfo.info_kind)" macvlan
	done

	# poststop, even with a status that would mean attach, changes nothing.
	local before
	before=$(link_list node1 && link_list "$C")
	run hook_in node1 poststop < <(oci_state c1 "$C" oci-macvlan/address=10.9.0.10/24)
	assert_success
	assert_output ''
	assert_equal "$(link_list node1 && link_list "$C")" "$before"
}

@test "stage from the state's status without argv: creating and created attach, stopped does nothing" {
	local status
	for status in creating created; do
		bare_container node1
		run hook_in node1 < <(oci_state c1 "$BARE_PID" oci-macvlan/address=10.9.0.10/24 |
			jq -c --arg s "$status" '.status = $s')
		assert_success
		assert_equal "$(link_field "$BARE_PID" eth0 .linkinfo.info_kind)" macvlan
	done

	local before
	before=$(link_list node1 && link_list "$C")
	run hook_in node1 < <(oci_state c1 "$C" oci-macvlan/address=10.9.0.10/24 | jq -c '.status = "stopped"')
	assert_success
	assert_output ''
	assert_equal "$(link_list node1 && link_list "$C")" "$before"
}

@test "poststop after an attach leaves the interface to die with the namespace" {
	run attach node1 c1 "$C" oci-macvlan/address=10.9.0.10/24
	assert_success
	local before
	before=$(link_list node1 && link_list "$C")
	run hook_in node1 poststop < <(oci_state c1 "$C" oci-macvlan/address=10.9.0.10/24 | jq -c '.status = "stopped"')
	assert_success
	assert_equal "$(link_list node1 && link_list "$C")" "$before"
}

@test "a stage the hook does not run at is refused" {
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: stage "poststart": the hook runs at prestart or createRuntime (attach) and poststop (release)' \
		hook_in node1 poststart < <(oci_state c1 "$C" oci-macvlan/address=10.9.0.10/24)
	assert_refused node1 "$C" \
		'oci-macvlan-hook: c1: stage "running": the hook runs at prestart or createRuntime (attach) and poststop (release)' \
		hook_in node1 < <(oci_state c1 "$C" oci-macvlan/address=10.9.0.10/24 | jq -c '.status = "running"')
}

@test "annotations come from bundle/config.json when the state has none" {
	local bundle=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$bundle"
	jq '.annotations = {"oci-macvlan/parent": "lan0", "oci-macvlan/address": "10.9.0.10/24",
		"oci-macvlan/gateway": "10.9.0.1"}' "$REPO/configs/runc-config.json" >"$bundle/config.json"
	run hook_in node1 createRuntime < <(oci_state c1 "$C" | jq -c --arg b "$bundle" '.bundle = $b | del(.annotations)')
	assert_success
	run addresses "$C" eth0
	assert_output 10.9.0.10/24
	pings "$C" 10.9.0.1
}

@test "a VLAN annotation puts the macvlan on PARENT.ID, created when missing" {
	requires kernel_vlan
	run attach node1 c1 "$C" oci-macvlan/parent=lan0 oci-macvlan/vlan=100 oci-macvlan/address=10.100.0.10/24
	assert_success
	assert_equal "$(link_field node1 lan0.100 .linkinfo.info_data.id)" 100
	assert_equal "$(link_field "$C" eth0 .link_index)" "$(link_field node1 lan0.100 .ifindex)"
	run addresses "$C" eth0
	assert_output 10.100.0.10/24
}
