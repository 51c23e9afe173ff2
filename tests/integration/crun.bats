#!/usr/bin/env bats
# crun runs the busybox bundle of runc.bats with the hook at createRuntime,
# inside host node1. crun 1.8 refuses a host whose cgroups are in hybrid
# mode (v1 controllers beside a v2 hierarchy that has controllers, as on the
# development machine). There crun runs in a mount namespace of its own
# whose /sys/fs/cgroup is a bare cgroup2 mount, with --cgroup-manager
# disabled: the hook does not care about cgroups. Where even that fails,
# each test skips with crun's own reason.

load helpers
load bundle # setup_file, bundle, AT_CREATE_RUNTIME, CMD

setup() {
	requires crun busybox_static
	setup_lan
	CRUN_ROOT=$BATS_TEST_TMPDIR/crun
	ID=$SANDBOX_PREFIX-c1
	requires_working_crun
}

teardown() {
	[ -z "${CRUN_ROOT:-}" ] || crun_in_node1 delete -f "$ID" 2>/dev/null || true
	teardown_lan
}

# crun_in_node1 ARG...: crun --root $CRUN_ROOT ARG... in node1; with
# CRUN_BARE_CGROUP=1 on a bare cgroup2 mount, cgroups disabled.
crun_in_node1() {
	if [ "${CRUN_BARE_CGROUP:-0}" = 1 ]; then
		on node1 unshare --mount --propagation private sh -c 'umount -l /sys/fs/cgroup 2>/dev/null
			mount -t cgroup2 none /sys/fs/cgroup && exec crun --cgroup-manager=disabled "$@"' \
			crun --root "$CRUN_ROOT" "$@"
	else
		on node1 crun --root "$CRUN_ROOT" "$@"
	fi
}

crun_run() {
	crun_in_node1 run --bundle "$1" "$ID" </dev/null
}

# crun_runs: whether crun runs a plain container (no hook) here; its
# message in OUT when not.
crun_runs() {
	OUT=$(CMD=true crun_run "$(CMD=true bundle 'del(.hooks)')" 2>&1) || return
	crun_in_node1 delete -f "$ID" 2>/dev/null || true
}

# requires_working_crun: crun as it is, else on a bare cgroup2 mount when it
# refuses the hybrid layout, else skips with crun's message.
requires_working_crun() {
	crun_runs && return
	[[ $OUT == *"hybrid mode not supported"* ]] && CRUN_BARE_CGROUP=1 && crun_runs && return
	skip "crun $(crun --version | sed -n '1s/crun version //p') cannot run a container here: $OUT"
}

@test "crun: the hook at createRuntime gives the container its interface" {
	run crun_run "$(bundle "$AT_CREATE_RUNTIME" "${FULL_SPEC[@]}")"
	assert_full_spec
}

@test "crun: a bad annotation stops the container with the hook's error line, leaving nothing behind" {
	local before err=$BATS_TEST_TMPDIR/hook.stderr
	before=$(link_list node1)
	# crun keeps a hook's output to itself unless an annotation names a file.
	run crun_run "$(bundle "$AT_CREATE_RUNTIME" oci-macvlan/parent=lan0 oci-macvlan/mtu=9000 \
		run.oci.hooks.stderr="$err")"
	assert_failure
	assert_output --partial "error executing hook \`$OMV_HOOK\` (exit code: 1)"
	refute_output --partial '1 packets received'
	assert_equal "$(cat "$err")" "oci-macvlan-hook: $ID: oci-macvlan/mtu: 9000 is above parent lan0's MTU 1500"
	assert_equal "$(link_list node1)" "$before"
}
