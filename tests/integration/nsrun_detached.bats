#!/usr/bin/env bats
# nsrun: detached containers (-d) and ps, state, exec, kill, delete; the
# monitor left behind reaps the container and runs poststop.

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

setup() {
	nsrun_setup
	HOOK=$BATS_TEST_TMPDIR/hook
	hook_logger "$HOOK"
}

@test "nsrun -d: prints the id and runs on; ps and state show it running" {
	run nsrun node1 run -d --name "$ID" --annotation a=b "$ROOTFS" sleep 100
	assert_success
	assert_output "$ID"
	run "$OMV_NSRUN" ps
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +EXIT +ROOTFS$'
	assert_line --regexp "^$ID +[0-9]+ +running +- +$ROOTFS\$"
	run "$OMV_NSRUN" state "$ID"
	assert_success
	assert_equal "$(jq -r '[.ociVersion, .id, .status, .bundle, .rootfs, .annotations.a] | join(" ")' <<<"$output")" \
		"1.0.2 $ID running /run/nsrun/$ID $ROOTFS b"
	local pid
	pid=$(jq -r .pid <<<"$output")
	# The pid is the container's PID 1, in node1's view of the system.
	assert_equal "$(cat "/proc/$pid/comm")" nsrun-init
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
	jq -e '.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' <<<"$output"
}

@test "nsrun exec: runs in every namespace of the container, as hardened as it" {
	nsrun node1 run -d --name "$ID" --hostname box "$ROOTFS" sleep 100
	run nsrun node1 exec "$ID" sh -c 'hostname; ps -o comm | grep -c sleep; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; ip -o link | wc -l; probe | grep keyctl'
	assert_success
	assert_equal "$output" "box
1
CapEff:	00000000a80425fb
NoNewPrivs:	1
Seccomp:	2
1
keyctl EPERM"
	run nsrun node1 exec -e X=1 -w /tmp "$ID" sh -c 'echo "$X $(pwd)"'
	assert_output '1 /tmp'
	run -3 nsrun node1 exec "$ID" sh -c 'exit 3'
	run -127 nsrun node1 exec "$ID" /no/such/command
	assert_output 'nsrun: exec "/no/such/command": No such file or directory'
	run -125 nsrun node1 exec "$SANDBOX_PREFIX-nonexistent" true
	assert_output "nsrun: container \"$SANDBOX_PREFIX-nonexistent\" does not exist"
}

@test "nsrun: with CAP_SYS_PTRACE the container sees only a sealed copy of nsrun at /proc/PID/exe" {
	# Without it the link cannot be followed at all (nsrun is not dumpable).
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'readlink /proc/1/exe || echo refused'
	assert_line refused
	nsrun node1 run -d --name "$ID2" --cap-add SYS_PTRACE "$ROOTFS" sleep 100
	# An exec into it runs from the sealed copy too, while it is nsrun.
	nsenter --net="$(sandbox_ns node1)" -- "$OMV_NSRUN" exec "$ID2" sleep 100 &
	local exec_pid=$!
	for _ in $(seq 50); do
		[[ $(readlink "/proc/$exec_pid/exe") == *memfd:nsrun* ]] && break
		sleep 0.1
	done
	run readlink "/proc/$exec_pid/exe"
	assert_output --partial 'memfd:nsrun'
	kill "$exec_pid"
	wait "$exec_pid" || true
	run nsrun node1 exec "$ID2" sh -c 'readlink /proc/1/exe; echo x >>/proc/1/exe || echo not writable'
	assert_line --index 0 '/memfd:nsrun (deleted)'
	assert_line 'not writable'
}

@test "nsrun kill: signals the container; the monitor records the status and runs poststop" {
	nsrun node1 run -d --name "$ID" --hook "poststop:$HOOK,poststop" "$ROOTFS" sleep 100
	run nsrun node1 kill "$ID"
	assert_success
	wait_status "$ID" stopped
	for _ in $(seq 50); do [ -e "$HOOK.log" ] && break; sleep 0.1; done
	run "$OMV_NSRUN" ps
	assert_line --regexp "^$ID +0 +stopped +143 "
	assert_equal "$(cut -d' ' -f2- "$HOOK.log" | jq -r '"\(.id) \(.status) \(has("pid"))"')" "$ID stopped false"
	run -125 nsrun node1 kill "$ID"
	assert_output "nsrun: container \"$ID\" is not running"
	run nsrun node1 delete "$ID"
	assert_success
	[ ! -e "/run/nsrun/$ID" ]
	run "$OMV_NSRUN" ps
	refute_output --partial "$ID"
}

@test "nsrun kill: signal names and numbers" {
	nsrun node1 run -d --name "$ID" "$ROOTFS" sh -c 'trap "exit 10" USR1; while :; do sleep 0.05; done'
	sleep 0.3
	run -0 nsrun node1 kill "$ID" SIGUSR1
	wait_status "$ID" stopped
	assert_equal "$(cat "/run/nsrun/$ID/exit")" 10
	"$OMV_NSRUN" delete "$ID"
	nsrun node1 run -d --name "$ID" "$ROOTFS" sleep 100
	run -0 nsrun node1 kill "$ID" 9
	wait_status "$ID" stopped
	assert_equal "$(cat "/run/nsrun/$ID/exit")" 137
	run -125 nsrun node1 kill "$ID" BOGUS
	assert_output 'nsrun: signal "BOGUS" is not a signal name or number'
}

@test "nsrun delete: refuses a running container; -f kills it, and poststop runs" {
	nsrun node1 run -d --name "$ID" --hook "poststop:$HOOK,poststop" "$ROOTFS" sleep 100
	run -125 nsrun node1 delete "$ID"
	assert_output "nsrun: container \"$ID\" is running: kill it first, or delete -f"
	run -0 nsrun node1 delete -f "$ID"
	[ ! -e "/run/nsrun/$ID" ]
	assert_equal "$(cut -d' ' -f1 "$HOOK.log")" poststop
	run -125 "$OMV_NSRUN" state "$ID"
	assert_output "nsrun: container \"$ID\" does not exist"
}

@test "nsrun -d --rm: the stopped container removes itself; its output went to the log" {
	nsrun node1 run -d --name "$ID2" "$ROOTFS" sh -c 'echo to-log; echo err >&2'
	wait_status "$ID2" stopped
	assert_equal "$(cat "/run/nsrun/$ID2/log")" "to-log
err"
	nsrun node1 run -d --rm --name "$ID" "$ROOTFS" sleep 0.2
	for _ in $(seq 50); do [ -e "/run/nsrun/$ID" ] || break; sleep 0.1; done
	[ ! -e "/run/nsrun/$ID" ]
}

@test "nsrun -d: a start that fails is reported by the caller, with nothing left" {
	run -127 nsrun node1 run -d --name "$ID" "$ROOTFS" /no/such/command
	assert_output "nsrun: $ID: start the command: exec \"/no/such/command\": No such file or directory"
	[ ! -e "/run/nsrun/$ID" ]
	run -125 nsrun node1 run -d --name "$ID" --hook prestart:/bin/false "$ROOTFS" sleep 100
	assert_output "nsrun: $ID: run the create hooks: prestart hook: hook /bin/false exited with status 1"
	[ ! -e "/run/nsrun/$ID" ]
}
