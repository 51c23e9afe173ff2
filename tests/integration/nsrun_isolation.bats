#!/usr/bin/env bats
# nsrun: what a container can see and do, probed from inside, with the
# defaults (every namespace, Docker's capabilities, no_new_privs, seccomp).

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

@test "nsrun: PID 1 is nsrun's init and the command is its child; no host process is visible" {
	host_process node1
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'cat /proc/1/comm; echo "me $$ parent $PPID"; ps -o pid,comm; true'
	assert_success
	assert_line --index 0 nsrun-init
	assert_line --index 1 'me 2 parent 1'
	# init, sh and ps: nothing else, in particular not the host's sleep.
	assert_equal "$(grep -cE '^ +[0-9]+ ' <<<"$output")" 3
	refute_output --partial sleep
}

@test "nsrun: hostname, network, IPC, PID, mount and cgroup namespaces are its own" {
	local ns theirs ours
	run nsrun node1 run --rm --name "$ID" --hostname box1 "$ROOTFS" sh -c \
		'hostname; ip -o link | cut -d: -f2; ip -o addr show lo | grep -c "inet 127.0.0.1"
		for ns in uts net ipc pid mnt cgroup; do echo "$ns $(readlink /proc/self/ns/$ns)"; done'
	assert_success
	assert_line --index 0 box1
	assert_line --index 1 ' lo' # no other link, and lo is up
	assert_line --index 2 1
	for ns in uts net ipc pid mnt cgroup; do
		theirs=$(grep "^$ns " <<<"$output" | cut -d' ' -f2)
		ours=$(on node1 readlink "/proc/self/ns/$ns")
		[ -n "$theirs" ] && [ "$theirs" != "$ours" ] || fail "$ns namespace: $theirs is node1's"
	done
	assert_equal "$(on node1 hostname)" "$(hostname)"
}

@test "nsrun: the hostname defaults to the container's id" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" hostname
	assert_success
	assert_output "$ID"
}

@test "nsrun: runc's masked paths are masked, /proc/sys and /sys are read-only" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c '
		cat /proc/kcore >/dev/null 2>&1 && echo kcore readable
		for p in /proc/keys /proc/timer_list; do
			[ -e $p ] || continue
			[ -z "$(cat $p)" ] && echo "$p empty" || echo "$p readable"
			grep -q " $p " /proc/mounts && echo "$p mounted over"
		done
		[ -z "$(ls /sys/firmware)" ] && echo "/sys/firmware empty"
		echo 1 >/proc/sys/net/ipv4/ip_forward || echo "/proc/sys read-only"
		echo 1 >/proc/sysrq-trigger || echo "/proc/sysrq-trigger read-only"
		touch /sys/x || echo "/sys read-only"
		touch /proc/acpi/x || echo "/proc/acpi read-only"'
	assert_success
	refute_output --partial readable
	assert_line '/proc/keys empty'
	assert_line '/proc/keys mounted over'
	assert_line '/proc/timer_list empty'
	assert_line '/sys/firmware empty'
	assert_line '/proc/sys read-only'
	assert_line '/proc/sysrq-trigger read-only'
	assert_line '/sys read-only'
	assert_line '/proc/acpi read-only'
}

@test "nsrun: pivot_root, not chroot: no mount of the host's is left" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c \
		'awk "{print \$5}" /proc/self/mountinfo | grep -vE "^/$|^/(proc|dev|sys)(/|$)"; ls /bin/probe'
	assert_success
	# Only / and what is mounted under /proc, /dev and /sys: a chroot would
	# still show every mount of the host (and the path of the rootfs).
	assert_output /bin/probe
}

@test "nsrun: /dev has the standard nodes, devpts and shm, and nothing of the host's" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c \
		'ls /dev | tr "\n" " "; echo; grep -E " /dev(/pts|/shm)? " /proc/mounts | cut -d" " -f2,3'
	assert_success
	assert_line --index 0 'fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero '
	assert_line '/dev tmpfs'
	assert_line '/dev/pts devpts'
	assert_line '/dev/shm tmpfs'
}

@test "nsrun: Docker's default capabilities (bounding set too), no_new_privs and a seccomp filter" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status
	assert_success
	assert_line $'CapEff:\t00000000a80425fb'
	assert_line $'CapPrm:\t00000000a80425fb'
	assert_line $'CapBnd:\t00000000a80425fb'
	assert_line $'CapInh:\t0000000000000000'
	assert_line $'CapAmb:\t0000000000000000'
	assert_line $'NoNewPrivs:\t1'
	assert_line $'Seccomp:\t2'
}

@test "nsrun: mount, unshare, setns, keyctl, module loading and device nodes are refused" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" probe
	assert_success
	assert_line 'add_key EPERM'
	assert_line 'keyctl EPERM'
	assert_line 'init_module EPERM'
	assert_line 'finit_module EPERM'
	assert_line 'mount EPERM'
	assert_line 'unshare EPERM'
	assert_line 'unshare_net EPERM'
	assert_line 'setns EPERM'
	assert_line 'mknod_blk EPERM'
	assert_line 'mknod_fifo OK'
	assert_line 'swapon EPERM'
	assert_line 'reboot EPERM'
	# The shell's own tools say the same.
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'mount -t tmpfs none /mnt || unshare -n true || insmod /dev/null || echo all refused'
	assert_line 'all refused'
}

@test "nsrun: keyctl is refused by the seccomp filter, not by capabilities" {
	run nsrun node1 run --rm --name "$ID" --seccomp unconfined "$ROOTFS" sh -c 'probe; grep Seccomp: /proc/self/status'
	assert_success
	assert_line 'keyctl OK'
	# Device nodes stay refused: nsrun has no device cgroup to stand in for it.
	assert_line 'mknod_blk EPERM'
	assert_line 'mount EPERM'
}

@test "nsrun: exec'd processes are not dumpable: the container cannot reach nsrun through /proc/1/exe" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c \
		'readlink /proc/1/exe; cat /proc/1/exe >/dev/null 2>&1 && echo exe readable; echo x >>/proc/1/exe 2>/dev/null && echo exe writable; true'
	assert_success
	refute_output --partial readable
	refute_output --partial writable
}
