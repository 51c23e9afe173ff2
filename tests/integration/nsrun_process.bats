#!/usr/bin/env bats
# nsrun: exit statuses, signal forwarding, reaping, and the options of run.

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

@test "nsrun: the command's exit status is nsrun's" {
	run -7 nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'exit 7'
	run -0 nsrun node1 run --rm --name "$ID" "$ROOTFS" true
	run -1 nsrun node1 run --rm --name "$ID" "$ROOTFS" false
	run -0 nsrun node1 run --rm --name "$ID" --no-init "$ROOTFS" true
	run -3 nsrun node1 run --rm --name "$ID" --no-init "$ROOTFS" sh -c 'exit 3'
}

@test "nsrun: a command killed by signal N gives 128+N, with and without the init" {
	run -137 nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'kill -KILL $$'
	run -143 nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c 'kill -TERM $$'
	run -137 nsrun node1 run --rm --name "$ID" --no-init "$ROOTFS" sh -c 'sleep 10 & sleep 0.2; kill -KILL $!; wait $!'
}

@test "nsrun: 127 when the command is not found, 126 when it is not executable, with the reason" {
	run -127 nsrun node1 run --rm --name "$ID" "$ROOTFS" /no/such/command
	assert_output "nsrun: $ID: start the command: exec \"/no/such/command\": No such file or directory"
	run -127 nsrun node1 run --rm --name "$ID" "$ROOTFS" nosuchcommand
	run -126 nsrun node1 run --rm --name "$ID" "$ROOTFS" /etc/passwd
	assert_output "nsrun: $ID: start the command: exec \"/etc/passwd\": Permission denied"
	run -126 nsrun node1 run --rm --name "$ID" --no-init "$ROOTFS" /etc
	[ ! -e "/run/nsrun/$ID" ]
}

@test "nsrun: 125 and one line for nsrun's own errors" {
	run -125 nsrun node1 run --rm --name "$ID" "$BATS_TEST_TMPDIR/missing" true
	assert_output --regexp "^nsrun: rootfs \".*/missing\": No such file or directory$"
	run -125 nsrun node1 run --rm --name 'bad/name' "$ROOTFS" true
	assert_output --partial 'container name "bad/name" may only have'
	run -125 nsrun node1 run --rm --name "$ID" --net bogus "$ROOTFS" true
	assert_output 'nsrun: --net "bogus" is not none, host or ns:/PATH'
	run -125 nsrun node1 run --rm --name "$ID" --cap-add FLY "$ROOTFS" true
	assert_output 'nsrun: --cap-add: unknown capability "FLY"'
	run -125 nsrun node1 run --rm --name "$ID" -v /nonexistent:/x "$ROOTFS" true
	assert_output --partial 'source /nonexistent: No such file or directory'
	run -125 nsrun node1 run --rm --name "$ID" --net "ns:/run/netns/$SANDBOX_PREFIX-none" "$ROOTFS" true
	assert_output --partial "open namespaces: network namespace /run/netns/$SANDBOX_PREFIX-none: No such file"
	run -125 nsrun node1 bogus
	assert_output 'nsrun: unknown command "bogus" (see nsrun --help)'
}

# Starts nsrun in the background in node1 with a command that traps SIG and
# exits 40+; sends SIG to nsrun itself; the command's status comes back.
forwards() {
	local sig=$1 code=$2 pid status=0
	# nsenter execs nsrun: $! is nsrun's pid (on, a function, would fork).
	nsenter --net="$(sandbox_ns node1)" -- "$OMV_NSRUN" run --rm --name "$ID" "$ROOTFS" sh -c \
		"trap 'exit $code' $sig; echo ready; while :; do sleep 0.05; done" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	wait_status "$ID" running
	for _ in $(seq 50); do grep -q ready "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
	kill -"$sig" "$pid"
	wait "$pid" || status=$?
	assert_equal "$status" "$code"
}

@test "nsrun: TERM, INT, HUP, USR1 and USR2 sent to nsrun reach the command" {
	forwards TERM 41
	forwards INT 42
	forwards HUP 43
	forwards USR1 44
	forwards USR2 45
}

@test "nsrun: the init reaps orphans: a double-forked child leaves no zombie" {
	run nsrun node1 run --rm --name "$ID" "$ROOTFS" sh -c \
		'sh -c "sleep 0.2 & exit 0"; sleep 0.8; ps -o pid,ppid,stat,comm; true'
	assert_success
	# The orphaned sleep was adopted by PID 1, exited, and was reaped.
	refute_output --partial sleep
	refute_output --regexp ' Z +'
}

@test "nsrun: --no-init: the command itself is PID 1" {
	run nsrun node1 run --rm --name "$ID" --no-init "$ROOTFS" sh -c 'echo $$; cat /proc/1/comm'
	assert_success
	assert_equal "$output" "1
cat"
}

@test "nsrun: -e, -w and --user" {
	run nsrun node1 run --rm --name "$ID" -e FOO=bar -e PATH=/bin -w /tmp -u 1000:100 "$ROOTFS" \
		sh -c 'echo "$FOO $PATH $(pwd) $(id -u):$(id -g)"; grep -E "^Cap(Eff|Bnd)" /proc/self/status'
	assert_success
	assert_line 'bar /bin /tmp 1000:100'
	# As Docker: a non-root user has no effective capabilities, the bounding set stays.
	assert_line $'CapEff:\t0000000000000000'
	assert_line $'CapBnd:\t00000000a80425fb'
	FROM_HOST=yes run nsrun node1 run --rm --name "$ID" -e FROM_HOST "$ROOTFS" sh -c 'echo $FROM_HOST'
	assert_output yes
}

@test "nsrun: -v SRC:DST[:ro] and --read-only" {
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	echo hello >"$BATS_TEST_TMPDIR/vol/in"
	run nsrun node1 run --rm --name "$ID" -v "$BATS_TEST_TMPDIR/vol:/data" "$ROOTFS" sh -c 'cat /data/in; echo out >/data/out'
	assert_success
	assert_output hello
	assert_equal "$(cat "$BATS_TEST_TMPDIR/vol/out")" out
	run nsrun node1 run --rm --name "$ID" -v "$BATS_TEST_TMPDIR/vol:/data:ro" "$ROOTFS" sh -c 'echo x >/data/out'
	assert_failure
	assert_output --partial 'Read-only file system'
	run nsrun node1 run --rm --name "$ID" --read-only "$ROOTFS" sh -c 'touch /x || echo refused; touch /dev/shm/x && echo shm writable'
	assert_output --partial 'refused'
	assert_line 'shm writable'
}

@test "nsrun: --cap-drop and --cap-add (ALL first, then the added ones)" {
	run nsrun node1 run --rm --name "$ID" --cap-add NET_ADMIN --cap-drop ALL "$ROOTFS" grep -E '^Cap(Eff|Bnd)' /proc/self/status
	assert_success
	assert_line $'CapEff:\t0000000000001000'
	assert_line $'CapBnd:\t0000000000001000'
	run nsrun node1 run --rm --name "$ID" --cap-drop NET_RAW "$ROOTFS" grep CapEff /proc/self/status
	assert_output $'CapEff:\t00000000a80405fb'
	# NET_ADMIN lets the container configure its own network, not the host's.
	run nsrun node1 run --rm --name "$ID" --cap-add NET_ADMIN "$ROOTFS" sh -c 'ip link add d0 type bridge && ip -o link show d0 | cut -d: -f2'
	assert_success
	assert_output ' d0'
}

@test "nsrun: --seccomp FILE loads an OCI profile" {
	cat >"$BATS_TEST_TMPDIR/profile.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
EOF
	run nsrun node1 run --rm --name "$ID" --seccomp "$BATS_TEST_TMPDIR/profile.json" "$ROOTFS" sh -c 'mkdir /tmp/d; probe | grep keyctl'
	assert_output --partial "can't create directory '/tmp/d': Permission denied"
	assert_line 'keyctl OK' # the profile replaces the default list
	echo '{"defaultAction": "SCMP_ACT_BOGUS"}' >"$BATS_TEST_TMPDIR/bad.json"
	run -125 nsrun node1 run --rm --name "$ID" --seccomp "$BATS_TEST_TMPDIR/bad.json" "$ROOTFS" true
	assert_output "nsrun: $ID: build the seccomp filter: seccomp profile: defaultAction: action \"SCMP_ACT_BOGUS\" is not supported"
}

@test "nsrun: --net host shares the host's network namespace, --net ns:PATH joins one" {
	run nsrun node1 run --rm --name "$ID" --net host "$ROOTFS" ip -o addr show lan0
	assert_success
	assert_output --partial 'inet 10.9.0.2/24'
	run nsrun node1 run --rm --name "$ID" --net "ns:$(sandbox_ns gw)" "$ROOTFS" ip -o addr show lan0
	assert_success
	assert_output --partial 'inet 10.9.0.1/24'
	run nsrun node1 run --rm --name "$ID" --net none "$ROOTFS" ip -o link
	assert_equal "${#lines[@]}" 1
}

@test "nsrun: --rm leaves nothing under /run/nsrun; without it the stopped container stays" {
	run -0 nsrun node1 run --rm --name "$ID" "$ROOTFS" true
	[ ! -e "/run/nsrun/$ID" ]
	run -3 nsrun node1 run --name "$ID" "$ROOTFS" sh -c 'exit 3'
	run "$OMV_NSRUN" state "$ID"
	assert_success
	assert_equal "$(jq -r '.status, .pid' <<<"$output")" "stopped
0"
	run -125 nsrun node1 run --name "$ID" "$ROOTFS" true
	assert_output "nsrun: $ID: register the container: container \"$ID\" already exists"
	run -0 "$OMV_NSRUN" delete "$ID"
	[ ! -e "/run/nsrun/$ID" ]
}
