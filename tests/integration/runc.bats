#!/usr/bin/env bats
# runc runs a busybox bundle made from configs/runc-config.json, with the
# hook at createRuntime or prestart, inside host node1.

load helpers
load bundle # setup_file, bundle, AT_CREATE_RUNTIME, AT_PRESTART, CMD

setup() {
	requires runc busybox_static
	setup_lan
	RUNC_ROOT=$BATS_TEST_TMPDIR/runc
	ID=$SANDBOX_PREFIX-c1
}

teardown() {
	[ -z "${RUNC_ROOT:-}" ] || on node1 runc --root "$RUNC_ROOT" delete -f "$ID" 2>/dev/null || true
	teardown_lan
}

runc_run() {
	on node1 runc --root "$RUNC_ROOT" run --bundle "$1" "$ID" </dev/null
}

@test "runc: the hook at createRuntime gives the container its interface" {
	run runc_run "$(bundle "$AT_CREATE_RUNTIME" "${FULL_SPEC[@]}")"
	assert_full_spec
	refute_output --partial oci-macvlan-hook
}

@test "runc: the hook at prestart gives the container its interface" {
	run runc_run "$(bundle "$AT_PRESTART" oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 \
		oci-macvlan/gateway=10.9.0.1)"
	assert_success
	assert_line --partial 'inet 10.9.0.10/24 '
	assert_line --partial '1 packets transmitted, 1 packets received'
	refute_output --partial oci-macvlan-hook
}

@test "runc: the example config's annotations as shipped" {
	CMD='ip addr show eth0 && ping -c 1 -w 2 10.9.0.1' # configs/runc-config.json: 10.9.0.10/24 on lan0
	local dir
	dir=$(bundle "$AT_CREATE_RUNTIME")
	jq --slurpfile orig "$REPO/configs/runc-config.json" '.annotations = $orig[0].annotations' \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
	run runc_run "$dir"
	assert_success
	assert_line --partial 'inet 10.9.0.10/24 '
	assert_line --partial '1 packets transmitted, 1 packets received'
}

@test "runc: a bad annotation stops the container with the hook's error line, leaving nothing behind" {
	local before
	before=$(link_list node1)
	run runc_run "$(bundle "$AT_CREATE_RUNTIME" oci-macvlan/parent=lan0 oci-macvlan/mtu=9000)"
	assert_failure
	assert_output --partial "oci-macvlan-hook: $ID: oci-macvlan/mtu: 9000 is above parent lan0's MTU 1500"
	refute_output --partial '1 packets received'
	assert_equal "$(link_list node1)" "$before"
}
