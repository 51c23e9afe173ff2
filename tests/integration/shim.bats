#!/usr/bin/env bats
# A network's host shim (host_shim): SCENARIOS.md 4. Network "lan": parent
# lan0, 10.9.0.0/24 handing out 10.9.0.16/28 and 2001:db8::/64 handing out
# 2001:db8::100/120; node1's shim "omv-lan" holds 10.9.0.250/24 and
# 2001:db8::fa/64 with routes to both ranges.

load helpers

setup() {
	setup_lan
	setup_networks
	BASE_ROUTES=$(routes node1 4 && routes node1 6)
	network lan '{"parent": "lan0", "host_shim": {"address": ["10.9.0.250/24", "2001:db8::fa/64"]},
		"subnets": [{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1", "ip_range": "10.9.0.16/28"},
		{"subnet": "2001:db8::/64", "gateway": "2001:db8::1", "ip_range": "2001:db8::100/120"}]}'
}

teardown() {
	teardown_lan
}

# on_lan ID [K=V...]: on_network, and C4, C6 set to the container's addresses.
on_lan() {
	on_network "$@"
	C4=$(addresses "$C" eth0 | grep -v : | cut -d/ -f1)
	C6=$(addresses "$C" eth0 | grep : | cut -d/ -f1)
}

# shim_state: what node1 has of the shim: its link, addresses and routes.
shim_state() {
	link_field node1 omv-lan '"\(.linkinfo.info_kind) \(.linkinfo.info_data.mode) \(.operstate)"' 2>/dev/null
	addresses node1 omv-lan 2>/dev/null
	routes node1 4 | grep omv-lan
	routes node1 6 | grep omv-lan
	true
}

# assert_no_shim: node1 has no shim link, address or route left.
assert_no_shim() {
	run -1 in_ns node1 ip link show dev omv-lan
	assert_equal "$(routes node1 4 && routes node1 6)" "$BASE_ROUTES"
	assert_equal "$(addresses node1 lan0)" 10.9.0.2/24
}

@test "through the shim the host reaches its container and the container the host" {
	on_lan c1
	run shim_state
	assert_output "macvlan bridge UP
10.9.0.250/24
2001:db8::fa/64
10.9.0.16/28 dev omv-lan
2001:db8::100/120 dev omv-lan"
	pings node1 "$C4"
	pings node1 "$C6"
	pings "$C" 10.9.0.250
	pings "$C" 2001:db8::fa
}

@test "without a host_shim the host cannot reach its container (the outside host can)" {
	network lan '{"parent": "lan0", "subnets": [{"subnet": "10.9.0.0/24", "ip_range": "10.9.0.16/28"}]}'
	on_lan c1
	pings gw "$C4"
	run ! pings node1 "$C4"
	run -1 in_ns node1 ip link show dev omv-lan
}

@test "the shim stays while two containers run and goes with the last one's poststop" {
	on_lan c1
	local c1=$C before
	before=$(shim_state)
	on_lan c2
	assert_equal "$(shim_state)" "$before"
	pings node1 "$C4"

	run poststop c1 "$c1"
	assert_success
	assert_equal "$(shim_state)" "$before"
	pings node1 "$C4"

	run poststop c2 "$C"
	assert_success
	assert_no_shim
	run cat "$OCI_MACVLAN_STATE_DIR/leases/lan"
	assert_output ''
}

@test "gc takes the shim down with the network's last lease" {
	on_lan c1
	kill -9 "$C"
	run hook_in node1 gc
	assert_success
	assert_output --partial "network lan: released 10.9.0.16 of container c1"
	assert_no_shim
}

@test "shim up and shim down by hand; each twice changes nothing" {
	run hook_in node1 shim up lan
	assert_success
	assert_output ''
	local before
	before=$(shim_state)
	assert_equal "$(echo "$before" | head -1)" "macvlan bridge UP"
	run hook_in node1 shim up lan
	assert_success
	assert_equal "$(shim_state)" "$before"
	pings node1 10.9.0.250

	run hook_in node1 shim down lan
	assert_success
	assert_no_shim
	run hook_in node1 shim down lan
	assert_success
	assert_output ''
}

@test "two hooks racing to create the shim both succeed" {
	for _ in 1 2 3 4; do
		hook_in node1 shim up lan &
	done
	for _ in 1 2 3 4; do
		wait -n
	done
	run shim_state
	assert_line "macvlan bridge UP"
	assert_line "10.9.0.16/28 dev omv-lan"
}

@test "shim: a wrong use prints the usage (2); a network without host_shim is an error (1)" {
	run -2 hook_in node1 shim sideways lan
	assert_line --index 0 --partial "Usage:"
	run -2 hook_in node1 shim up
	run -2 hook_in node1 shim up lan extra
	network plain '{"parent": "lan0", "subnets": [{"subnet": "10.9.0.0/24"}]}'
	run -1 hook_in node1 shim up plain
	assert_output "oci-macvlan-hook: network \"plain\" has no host_shim in $OCI_MACVLAN_NETWORKS_DIR/plain.json"
	run -1 hook_in node1 shim up nowhere
	assert_output "oci-macvlan-hook: network \"nowhere\" is not defined: no $OCI_MACVLAN_NETWORKS_DIR/nowhere.json"
	for name in ../lan lan.lock; do
		run -1 hook_in node1 shim down "$name"
		assert_output "oci-macvlan-hook: \"$name\" is not a valid network name"
	done
}

@test "bad host_shim configs: the exact error line, nothing left behind" {
	local -A cases=(
		['{"address": "10.8.0.250/24"}']='host_shim.address: 10.8.0.250/24 is outside every subnet'
		['{"address": "10.9.0.250/24", "via": "lan0"}']='host_shim.via: unknown key'
		['{"address": "10.9.0.250/24", "routes": ["2001:db8::/64"]}']='host_shim.routes[0]: 2001:db8::/64: the shim has no IPv6 address'
	)
	local shim
	bare_container node1
	for shim in "${!cases[@]}"; do
		network lan '{"parent": "lan0", "host_shim": '"$shim"', "subnets": [{"subnet": "10.9.0.0/24"}]}'
		assert_refused node1 "$BARE_PID" \
			"oci-macvlan-hook: c1: oci-macvlan/network: $OCI_MACVLAN_NETWORKS_DIR/lan.json: ${cases[$shim]}" \
			attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	done
	assert_no_shim
	[ ! -s "$OCI_MACVLAN_STATE_DIR/leases/lan" ]
}

@test "a shim that cannot come up fails the attach and gives its leases back" {
	in_ns node1 ip link add omv-lan type bridge
	bare_container node1
	run -1 attach node1 c1 "$BARE_PID" oci-macvlan/network=lan
	assert_output 'oci-macvlan-hook: c1: network "lan": host shim omv-lan: exists but is not a bridge-mode macvlan on lan0; delete it first'
	run cat "$OCI_MACVLAN_STATE_DIR/leases/lan"
	assert_output ''
	assert_equal "$(link_field node1 omv-lan .linkinfo.info_kind)" bridge
}

@test "the shim's address: refused as a static address, never handed out" {
	network lan '{"parent": "lan0", "host_shim": {"address": "10.9.0.250/24"},
		"subnets": [{"subnet": "10.9.0.0/24", "ip_range": "10.9.0.250/31"}]}'
	bare_container node1
	assert_refused node1 "$BARE_PID" \
		'oci-macvlan-hook: c1: oci-macvlan/address: 10.9.0.250 is the host shim'"'"'s address in network "lan"' \
		attach node1 c1 "$BARE_PID" oci-macvlan/network=lan oci-macvlan/address=10.9.0.250/24
	on_lan c2
	assert_equal "$C4" 10.9.0.251
	pings node1 10.9.0.251
	bare_container node1
	run -1 attach node1 c3 "$BARE_PID" oci-macvlan/network=lan
	assert_output 'oci-macvlan-hook: c3: oci-macvlan/network: "lan" has no free IPv4 address left'
}

@test "a network name too long for omv-NAME: omv-, its first 5 characters, - and 5 hex digits" {
	network production-lan '{"parent": "lan0", "host_shim": {"address": "10.9.0.250/24"},
		"subnets": [{"subnet": "10.9.0.0/24", "ip_range": "10.9.0.16/28"}]}'
	run hook_in node1 shim up production-lan
	assert_success
	run in_ns node1 ip -j link show type macvlan
	assert_success
	local name
	name=$(jq -r '.[].ifname' <<<"$output")
	assert_regex "$name" '^omv-produ-[0-9a-f]{5}$'
	assert_equal "$(routes node1 4 | grep "$name")" "10.9.0.16/28 dev $name"
	run hook_in node1 shim down production-lan
	assert_success
	assert_equal "$(routes node1 4 && routes node1 6)" "$BASE_ROUTES"
	run in_ns node1 ip -j link show type macvlan
	assert_output '[]'
}

@test "with a vlan the shim sits on PARENT.VLAN" {
	requires kernel_vlan
	network lan '{"parent": "lan0", "vlan": 7, "host_shim": {"address": "10.9.0.250/24"},
		"subnets": [{"subnet": "10.9.0.0/24", "ip_range": "10.9.0.16/28"}]}'
	on_lan c1
	assert_equal "$(link_field node1 omv-lan .link)" lan0.7
	run poststop c1 "$C"
	assert_success
	assert_no_shim
}
