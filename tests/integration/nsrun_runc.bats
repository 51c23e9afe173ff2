#!/usr/bin/env bats
# nsrun: the config.json that runc runs, nsrun runs, and the container sees
# the same from inside: hostname, mounts, capabilities, hardening.

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

setup() {
	requires runc
	nsrun_setup
	RUNC_ROOT=$BATS_TEST_TMPDIR/runc
}

teardown() {
	[ -z "${RUNC_ROOT:-}" ] || on node1 runc --root "$RUNC_ROOT" delete -f "$ID" 2>/dev/null || true
	nsrun_teardown
}

# bundle JQ CMD: `runc spec` for the busybox rootfs running CMD, changed by JQ.
bundle() {
	runc_bundle "$BATS_TEST_TMPDIR/bundle" '.process.args = ["sh", "-c", $cmd] | '"$1" --arg cmd "$2"
	echo "$BATS_TEST_TMPDIR/bundle"
}

# What the container sees of itself.
INSIDE='hostname; id; grep -E "^(Cap|NoNewPrivs|Seccomp:)" /proc/self/status; cat /proc/mounts; ls /dev; ip -o link | cut -d: -f2'

both() {
	local dir=$1
	run on node1 runc --root "$RUNC_ROOT" run --bundle "$dir" "$ID" </dev/null
	assert_success
	FROM_RUNC=$output
	run nsrun node1 run --rm --bundle "$dir" "$ID"
	assert_success
}

@test "runc and nsrun: runc's default spec gives the same hostname, mounts and capabilities" {
	both "$(bundle '.' "$INSIDE")"
	assert_line --index 0 runc # `runc spec`'s hostname
	assert_line $'CapEff:\t0000000020000420'
	assert_line --regexp '^/dev/.* / .* ro,'
	assert_line --partial '/sys/fs/cgroup'
	assert_equal "$output" "$FROM_RUNC"
}

@test "runc and nsrun: Docker-like capabilities, seccomp profile, hostname and a bind mount" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	echo shared >"$BATS_TEST_TMPDIR/data/f"
	local caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
	both "$(bundle '.hostname = "web1" | .root.readonly = false |
		.process.capabilities = {bounding: '"$caps"', effective: '"$caps"', permitted: '"$caps"'} |
		.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
			syscalls: [{names: ["keyctl", "add_key"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]} |
		.mounts += [{destination: "/data", type: "bind", source: "'"$BATS_TEST_TMPDIR/data"'", options: ["rbind", "ro"]}] |
		.linux.namespaces += [{type: "cgroup"}]' "$INSIDE; cat /data/f; probe | grep -E 'keyctl|mount'")"
	assert_line --index 0 web1
	assert_line $'CapEff:\t00000000a80425fb'
	assert_line $'Seccomp:\t2'
	assert_line shared
	assert_line 'keyctl EPERM'
	assert_line 'mount EPERM'
	assert_equal "$output" "$FROM_RUNC"
}

@test "runc and nsrun: a non-root user with supplementary groups and an environment" {
	both "$(bundle '.process.user = {uid: 1000, gid: 100, additionalGids: [5, 6]} |
		.process.env = ["A=1", "PATH=/bin"] | .process.cwd = "/tmp"' \
		'id; echo "$A $PATH $(pwd)"; grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status')"
	assert_line --index 0 'uid=1000 gid=100 groups=5,6'
	assert_line '1 /bin /tmp'
	assert_equal "$output" "$FROM_RUNC"
}

@test "runc and nsrun: the network namespace of a host, joined by path" {
	both "$(bundle '.linux.namespaces |= map(if .type == "network" then .path = "'"$(sandbox_ns node1)"'" else . end)' \
		'ip -o addr show lan0 | cut -d" " -f2-7')"
	assert_output --partial 'inet 10.9.0.2/24'
	assert_equal "$output" "$FROM_RUNC"
}

# refused JQ WHY: the bundle changed by JQ is refused with "config.json: WHY".
refused() {
	local dir
	dir=$(bundle "$1" true)
	run -125 nsrun node1 run --rm --bundle "$dir" "$ID"
	assert_output "nsrun: $dir/config.json: $2"
}

@test "nsrun --bundle: what it does not do, it refuses by name" {
	refused '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]' \
		'linux.uidMappings is not supported by nsrun'
	refused '.process.terminal = true' 'process.terminal: true is not supported by nsrun'
	refused '.linux.resources.memory = {limit: 1000000}' 'linux.resources.memory is not supported by nsrun'
	refused '.process.apparmorProfile = "docker-default"' 'process.apparmorProfile is not supported by nsrun'
	refused '.linux.namespaces += [{type: "user"}]' 'linux.namespaces: type "user" is not supported by nsrun'
	refused '.hooks.createContainer = [{path: "/bin/true"}]' 'hooks.createContainer is not supported by nsrun'
	run -125 nsrun node1 run --rm --bundle "$(bundle . true)" --hostname x "$ID"
	assert_output "nsrun: --hostname cannot be used with --bundle: set it in config.json"
	[ ! -e "/run/nsrun/$ID" ]
}
