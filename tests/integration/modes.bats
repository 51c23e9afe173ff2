#!/usr/bin/env bats
# shellcheck disable=SC2030,SC2031 # each @test is a subshell of its own: A and B are per test
# SCENARIOS.md 1: one host, two containers on the same parent, each macvlan
# mode. A (10.9.0.10) and B (10.9.0.11) on node1 (10.9.0.2), gateway 10.9.0.1.

load helpers

setup() {
	setup_lan
}

teardown() {
	teardown_lan
}

# two_containers MODE: containers A and B attached in MODE; sets A and B to their pids.
two_containers() {
	bare_container node1
	A=$BARE_PID
	bare_container node1
	B=$BARE_PID
	run attach node1 a "$A" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/mode="$1"
	assert_success
	run attach node1 b "$B" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mode="$1"
	assert_success
	assert_equal "$(link_field "$A" eth0 .linkinfo.info_data.mode)" "$1"
}

# Whether B has heard of A: the kernel records the sender of every ARP
# request it receives, so an entry means A's broadcast reached B.
b_heard_from_a() {
	[ -n "$(in_ns "$B" ip -j neigh show 10.9.0.10 | jq -r '.[].lladdr // empty')" ]
}

@test "bridge: containers reach each other and the gateway, not their own host" {
	two_containers bridge
	pings "$A" 10.9.0.11
	b_heard_from_a
	pings "$B" 10.9.0.10
	pings "$A" 10.9.0.1
	run ! pings "$A" 10.9.0.2
	run ! pings node1 10.9.0.10
}

@test "private: containers reach the gateway but not each other, not even by broadcast" {
	two_containers private
	pings "$A" 10.9.0.1
	pings "$B" 10.9.0.1
	run ! pings "$A" 10.9.0.11
	run ! b_heard_from_a
	run ! pings "$A" 10.9.0.2
}

@test "vepa: containers reach each other only through a hairpinning switch port" {
	two_containers vepa
	pings "$A" 10.9.0.1
	run ! pings "$A" 10.9.0.11
	run ! pings "$A" 10.9.0.2

	ip -n "$SANDBOX_PREFIX-lan" link set "$(lan_port node1)" type bridge_slave hairpin on
	pings "$A" 10.9.0.11
	pings "$B" 10.9.0.10
}

@test "passthru: one per parent; a second one fails with a clear error and leaves nothing behind" {
	bare_container node1
	A=$BARE_PID
	bare_container node1
	B=$BARE_PID
	run attach node1 a "$A" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/mode=passthru
	assert_success
	assert_equal "$(link_field "$A" eth0 .linkinfo.info_data.mode)" passthru
	pings "$A" 10.9.0.1
	run ! pings "$A" 10.9.0.2

	assert_refused node1 "$B" \
		"oci-macvlan-hook: b: oci-macvlan/mode: passthru: parent lan0 already has a macvlan; passthru needs the parent to itself" \
		attach node1 b "$B" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24 oci-macvlan/mode=passthru
	assert_refused node1 "$B" \
		"oci-macvlan-hook: b: oci-macvlan/parent: lan0 is taken by a passthru macvlan; no other macvlan can share it" \
		attach node1 b "$B" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.11/24
	pings "$A" 10.9.0.1
}

@test "passthru on a parent that already has a bridge macvlan fails with a clear error" {
	two_containers bridge
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		"oci-macvlan-hook: c: oci-macvlan/mode: passthru: parent lan0 already has a macvlan; passthru needs the parent to itself" \
		attach node1 c "$BARE_PID" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.12/24 oci-macvlan/mode=passthru
	pings "$A" 10.9.0.11
}
