#!/usr/bin/env bats
# podman in host node1, with the hook installed through --hooks-dir (the
# shipped configs/oci-macvlan-hook.json) and configured with --annotation.

load helpers

setup_file() {
	"$REPO/contrib/mkrootfs.sh" "$BATS_FILE_TMPDIR/rootfs" >/dev/null
}

setup() {
	requires podman runc busybox_static
	setup_lan
	hooks_dir "$BATS_TEST_TMPDIR/hooks"
}

teardown() {
	teardown_lan
}

# podman_run ARG...: `podman run --rm ARG... ROOTFS sh -c "$CMD"` in node1,
# with storage of the test's own (vfs: nothing stays mounted) and the limits
# this machine allows.
podman_run() {
	on node1 podman --root "$BATS_TEST_TMPDIR/storage" --runroot "$BATS_TEST_TMPDIR/run" \
		--storage-driver vfs --cgroup-manager cgroupfs --runtime runc --hooks-dir "$BATS_TEST_TMPDIR/hooks" \
		run --rm --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none --cap-add NET_RAW \
		"$@" --rootfs "$BATS_FILE_TMPDIR/rootfs" sh -c "$CMD" </dev/null
}

CMD='ip addr show eth0 && ip route && ping -c 1 -w 2 10.9.0.1'

@test "podman: --annotation gives the container its macvlan through the hooks.d file" {
	# podman splits --annotation at commas unless the whole K=V is quoted CSV-style.
	run podman_run --annotation oci-macvlan/parent=lan0 --annotation '"oci-macvlan/address=10.9.0.10/24,2001:db8::10/64"' \
		--annotation oci-macvlan/gateway=10.9.0.1 --annotation oci-macvlan/mac=02:00:0a:09:00:0a
	assert_success
	assert_line --regexp '^2: eth0@.*<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 '
	assert_line --partial 'link/ether 02:00:0a:09:00:0a '
	assert_line --partial 'inet 10.9.0.10/24 '
	assert_line --partial 'inet6 2001:db8::10/64 '
	assert_line --regexp '^default via 10.9.0.1 dev eth0'
	assert_line --partial '1 packets transmitted, 1 packets received'
}

@test "podman: the hooks.d file runs the hook only for containers with oci-macvlan/ annotations" {
	# The same file, its hook replaced by one that records the status it ran at.
	local ran=$BATS_TEST_TMPDIR/ran
	cat >"$BATS_TEST_TMPDIR/record" <<-EOF
		#!/bin/sh
		tr , '\\n' | sed -n 's/^"status": *"\\(.*\\)"\$/\\1/p' >>$ran
	EOF
	chmod +x "$BATS_TEST_TMPDIR/record"
	OMV_HOOK=$BATS_TEST_TMPDIR/record hooks_dir "$BATS_TEST_TMPDIR/hooks"
	CMD=true
	run podman_run --annotation org.example/colour=blue
	assert_success
	assert [ ! -e "$ran" ]
	run podman_run --annotation oci-macvlan/parent=lan0
	assert_success
	run cat "$ran"
	assert_output $'creating\nstopped'
}

@test "podman: a bad annotation stops the container with the hook's error line, leaving nothing behind" {
	local before
	before=$(link_list node1)
	run podman_run --annotation oci-macvlan/parent=lan0 --annotation oci-macvlan/mode=bridged
	assert_failure
	assert_output --partial 'oci-macvlan-hook: '
	assert_output --partial ': oci-macvlan/mode: "bridged" is not a macvlan mode (bridge, private, vepa, passthru, source)'
	refute_output --partial '1 packets received'
	assert_equal "$(link_list node1)" "$before"
}

@test "podman: oci-macvlan/interfaces as one CSV-quoted --annotation, as the README shows" {
	lan_create lan2
	lan_host gw2 10.10.0.1/24
	lan_nic node1 lan1 10.10.0.2/24
	CMD='ip -o addr show scope global; ping -c 1 -w 2 10.10.0.1'
	run podman_run --annotation \
		'"oci-macvlan/interfaces=[{""parent"":""lan0"",""address"":""10.9.0.10/24""},{""parent"":""lan1"",""address"":""10.10.0.10/24""}]"'
	assert_success
	assert_line --regexp '^2: eth0 +inet 10.9.0.10/24 '
	assert_line --regexp '^3: eth1 +inet 10.10.0.10/24 '
	assert_line --partial '1 packets transmitted, 1 packets received'
}
