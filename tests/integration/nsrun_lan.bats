#!/usr/bin/env bats
# nsrun + oci-macvlan-hook through --hooks-dir (configs/oci-macvlan-hook.json
# as installed): containers on node1 come up on the sandbox LAN with their
# own macvlan, reach each other and the gateway, and leave nothing behind.

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

setup() {
	nsrun_setup
	HOOKS=$BATS_TEST_TMPDIR/hooks
	hooks_dir "$HOOKS"
}

@test "nsrun --hooks-dir: a container comes up with its macvlan and pings the gateway" {
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$HOOKS" \
		--annotation oci-macvlan/address=10.9.0.10/24 --annotation oci-macvlan/gateway=10.9.0.1 \
		"$ROOTFS" sh -c 'ip -o addr show eth0 | grep -o "inet [0-9./]*"; ip route; ping -c 1 -w 2 10.9.0.1'
	assert_success
	assert_line 'inet 10.9.0.10/24'
	assert_line --regexp '^default via 10.9.0.1 dev eth0'
	assert_line --partial '1 packets transmitted, 1 packets received'
}

@test "nsrun --hooks-dir: two detached containers on the LAN ping each other and the gateway" {
	local before
	before=$(link_list node1)
	nsrun node1 run -d --name "$ID" --hooks-dir "$HOOKS" --annotation oci-macvlan/address=10.9.0.10/24 \
		--annotation oci-macvlan/gateway=10.9.0.1 "$ROOTFS" sleep 300
	nsrun node1 run -d --name "$ID2" --hooks-dir "$HOOKS" --annotation oci-macvlan/address=10.9.0.11/24 \
		--annotation oci-macvlan/gateway=10.9.0.1 "$ROOTFS" sleep 300
	run nsrun node1 exec "$ID" ping -c 1 -w 2 10.9.0.11
	assert_success
	run nsrun node1 exec "$ID2" ping -c 1 -w 2 10.9.0.10
	assert_success
	run nsrun node1 exec "$ID" ping -c 1 -w 2 10.9.0.1
	assert_success
	# And the gateway reaches each of them, at the container's own MAC.
	pings gw 10.9.0.10
	pings gw 10.9.0.11
	assert_equal "$(on gw ip -j neigh show 10.9.0.11 | jq -r '.[0].lladdr')" \
		"$(nsrun node1 exec "$ID2" cat /sys/class/net/eth0/address)"
	# The macvlans live in the containers: node1's links are unchanged.
	assert_equal "$(link_list node1)" "$before"
	run nsrun node1 delete -f "$ID"
	assert_success
	run nsrun node1 delete -f "$ID2"
	assert_success
	run ! pings gw 10.9.0.10
	assert_equal "$(link_list node1)" "$before"
}

@test "nsrun --hooks-dir: a container without oci-macvlan/ annotations is left alone" {
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$HOOKS" "$ROOTFS" ip -o link
	assert_success
	assert_equal "${#lines[@]}" 1
}

@test "nsrun --hooks-dir: a hook that refuses stops the container with 125 and the hook's line" {
	local before
	before=$(link_list node1)
	run -125 nsrun node1 run --rm --name "$ID" --hooks-dir "$HOOKS" \
		--annotation oci-macvlan/address=10.9.0.10/24 --annotation oci-macvlan/mtu=9000 "$ROOTFS" true
	assert_line --index 0 --regexp "^oci-macvlan-hook: $ID: oci-macvlan/mtu: 9000 is above .*MTU 1500"
	assert_line "nsrun: $ID: run the create hooks: createRuntime hook: hook $OMV_HOOK exited with status 1"
	[ ! -e "/run/nsrun/$ID" ]
	assert_equal "$(link_list node1)" "$before"
}
