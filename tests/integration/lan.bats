#!/usr/bin/env bats
# SCENARIOS.md 2 (two hosts, one subnet) and 5 (straight onto the LAN, no NAT).

load helpers

setup() {
	setup_lan
}

teardown() {
	teardown_lan
}

@test "two hosts, one subnet: containers on node1 and node2 reach each other across the switch" {
	lan_host node2 10.9.0.3/24 10.9.0.1
	bare_container node1
	local c1=$BARE_PID
	bare_container node2
	local c2=$BARE_PID
	# The "same" network on both hosts: each with its own NIC as parent.
	run attach node1 c1 "$c1" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/gateway=10.9.0.1
	assert_success
	run attach node2 c2 "$c2" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.20/24 oci-macvlan/gateway=10.9.0.1
	assert_success
	assert_equal "$(link_field "$c2" eth0 .link_index)" "$(link_field node2 lan0 .ifindex)"

	pings "$c1" 10.9.0.20
	pings "$c2" 10.9.0.10
	# Each container is its own station on the LAN: node2's container
	# knows node1's by its own MAC, not node1's.
	assert_equal "$(in_ns "$c2" ip -j neigh show 10.9.0.10 | jq -r '.[0].lladdr')" \
		"$(link_field "$c1" eth0 .address)"
	pings "$c1" 10.9.0.3
	pings "$c2" 10.9.0.2
}

@test "an outside host reaches a TCP service on the container's own IP, no NAT, and learns its MAC" {
	local www=$BATS_TEST_TMPDIR/www
	mkdir -p "$www/cgi-bin"
	# The service answers with the address it sees the client come from.
	printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%%s\\n" "$REMOTE_ADDR"\n' >"$www/cgi-bin/peer"
	chmod +x "$www/cgi-bin/peer"
	bare_container node1
	local c=$BARE_PID
	run attach node1 web "$c" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 \
		oci-macvlan/gateway=10.9.0.1 oci-macvlan/mac=02:00:0a:09:00:0a
	assert_success
	sandbox_spawn node1 nsenter -t "$c" -n -- busybox httpd -f -p 10.9.0.10:8080 -h "$www"
	wait_listening "$c" 8080

	run on gw busybox wget -q -O - http://10.9.0.10:8080/cgi-bin/peer
	assert_success
	assert_output 10.9.0.1

	# The gateway resolved the container's IP to the container's own MAC,
	# and the switch learned that MAC on node1's port.
	assert_equal "$(on gw ip -j neigh show 10.9.0.10 dev lan0 | jq -r '.[0].lladdr')" 02:00:0a:09:00:0a
	run on lan bridge -j fdb show br br0
	assert_equal "$(jq -r '.[] | select(.mac == "02:00:0a:09:00:0a") | .ifname' <<<"$output")" "$(lan_port node1)"
}
