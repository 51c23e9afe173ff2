# shellcheck shell=bash
# nsrun.bash: what the nsrun_*.bats files share, on top of helpers.bash.
#
#   $OMV_NSRUN          the nsrun under test (default: the build/ tree's)
#   setup_file, setup, teardown
#                       the defaults of every nsrun_*.bats (a file may redefine
#                       them): a busybox rootfs, then nsrun_setup/nsrun_teardown
#   nsrun_setup         setup(): the sandbox LAN, $ID/$ID2 (unique container ids)
#   nsrun_teardown      teardown(): deletes this test's containers and the LAN
#   nsrun HOST ARG...   nsrun run in HOST's network namespace
#   make_rootfs DIR     a busybox rootfs with /bin/probe (system call probe)
#   wait_status ID S    until `nsrun state ID` says status S (at most 10 s)
#   hook_logger PATH    a hook that appends "ARG1 STATE-JSON" to $PATH.log
#   runc_bundle DIR JQ [JQ-ARG...]
#                       `runc spec` in DIR for $ROOTFS, changed by the jq filter JQ

OMV_NSRUN=${OMV_NSRUN:-$REPO/build/launcher/nsrun}

setup_file() {
	make_rootfs "$BATS_FILE_TMPDIR/rootfs"
}

setup() {
	nsrun_setup
}

teardown() {
	nsrun_teardown
}

nsrun_setup() {
	[ -x "$OMV_NSRUN" ] || fail "no nsrun at $OMV_NSRUN: build it (meson setup build && ninja -C build) or set OMV_NSRUN"
	requires busybox_static
	setup_lan
	# shellcheck disable=SC2034 # for the tests
	ID=$SANDBOX_PREFIX-c1 ID2=$SANDBOX_PREFIX-c2 ROOTFS=$BATS_FILE_TMPDIR/rootfs
}

# Every container of this test goes, running or not, and its state with it.
nsrun_teardown() {
	local dir
	if [ -n "${SANDBOX_PREFIX:-}" ]; then
		for dir in /run/nsrun/"$SANDBOX_PREFIX"-*; do
			[ -e "$dir" ] || continue
			"$OMV_NSRUN" delete -f "${dir##*/}" >/dev/null 2>&1 || rm -rf "$dir"
		done
	fi
	teardown_lan
}

nsrun() {
	on "$1" "$OMV_NSRUN" "${@:2}"
}

# The probe tries system calls a container must not be able to make and
# prints "NAME ERRNO" for each (OK when it succeeded).
make_rootfs() {
	"$REPO/contrib/mkrootfs.sh" "$1" >/dev/null
	cat >"$BATS_FILE_TMPDIR/probe.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *name, long r)
{
	printf("%s %s\n", name, r < 0 ? strerrorname_np(errno) : "OK");
}

int main(void)
{
	int fd = open("/dev/null", O_RDONLY);

	report("add_key", syscall(SYS_add_key, "user", "probe", "x", 1, -4 /* session */));
	report("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -4, 0));
	report("init_module", syscall(SYS_init_module, "", 0, ""));
	report("finit_module", syscall(SYS_finit_module, fd, "", 0));
	report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
	report("unshare", unshare(CLONE_NEWNS));
	report("unshare_net", unshare(CLONE_NEWNET));
	report("setns", setns(fd, 0));
	report("mknod_blk", mknod("/tmp/blk", 060600, 0x0800));
	report("mknod_fifo", mknod("/tmp/fifo", 010600, 0));
	report("swapon", syscall(SYS_swapon, "/dev/null", 0));
	report("reboot", syscall(SYS_reboot, 0, 0, 0, NULL));
	return 0;
}
EOF
	cc -static -O2 -o "$1/bin/probe" "$BATS_FILE_TMPDIR/probe.c"
}

wait_status() {
	for _ in $(seq 100); do
		[ "$("$OMV_NSRUN" state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.1
	done
	fail "container $1 did not become $2: $("$OMV_NSRUN" state "$1" 2>&1)"
}

hook_logger() {
	cat >"$1" <<EOF
#!/bin/sh
echo "\$1 \$(cat)" >>"$1.log"
EOF
	chmod +x "$1"
}

runc_bundle() {
	local dir=$1 filter=$2
	shift 2
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	(cd "$dir" && runc spec)
	jq --arg rootfs "$ROOTFS" "$@" '.root.path = $rootfs | .process.terminal = false | '"$filter" \
		"$dir/config.json" >"$dir/config.new"
	mv "$dir/config.new" "$dir/config.json"
}
