#!/usr/bin/env bats
# nsrun: OCI hooks at the same points and with the same state as runc,
# a failing hook, and oci-hooks(5) directories matched on annotations.

load helpers
load nsrun # setup_file, setup, teardown unless redefined here

setup() {
	nsrun_setup
	LOG=$BATS_TEST_TMPDIR/hook.log
	RUNC_ROOT=$BATS_TEST_TMPDIR/runc
	# A hook that logs "STAGE STATE" and whether the pid it was given lives
	# in another network namespace than the hook itself.
	HOOK=$BATS_TEST_TMPDIR/hook
	cat >"$HOOK" <<EOF
#!/bin/bash
state=\$(cat)
pid=\$(jq -r '.pid // 0' <<<"\$state")
where=none
if [ "\$pid" != 0 ]; then
	[ "\$(readlink /proc/\$pid/ns/net)" = "\$(readlink /proc/self/ns/net)" ] && where=same || where=other
fi
echo "\$1 \$where \$state" >>"$LOG"
EOF
	chmod +x "$HOOK"
}

teardown() {
	[ -z "${RUNC_ROOT:-}" ] || on node1 runc --root "$RUNC_ROOT" delete -f "$ID" 2>/dev/null || true
	nsrun_teardown
}

# A busybox bundle from `runc spec` running CMD, with the hook at every
# stage nsrun runs and an annotation.
make_bundle() {
	runc_bundle "$BATS_TEST_TMPDIR/bundle" '.process.args = ["sh", "-c", $cmd] |
		.annotations = {"test/a": "1"} |
		.hooks = ({} | .prestart = [{path: $hook, args: ["hook", "prestart"]}] |
			.createRuntime = [{path: $hook, args: ["hook", "createRuntime"]}] |
			.poststart = [{path: $hook, args: ["hook", "poststart"]}] |
			.poststop = [{path: $hook, args: ["hook", "poststop"]}])' --arg hook "$HOOK" --arg cmd "$1"
	echo "$BATS_TEST_TMPDIR/bundle"
}

# The log without what differs between two runs of one bundle: the pid
# and the runtime's own OCI version.
normalized() {
	while read -r stage where state; do
		echo "$stage $where $(jq -cS 'del(.pid, .ociVersion) + {hasPid: has("pid")}' <<<"$state")"
	done <"$LOG"
}

@test "nsrun: hooks run in runc's order with the state runc gives them" {
	requires runc
	local bundle
	bundle=$(make_bundle 'true')
	run on node1 runc --root "$RUNC_ROOT" run --bundle "$bundle" "$ID" </dev/null
	assert_success
	local from_runc
	from_runc=$(normalized)
	rm "$LOG"
	run nsrun node1 run --bundle "$bundle" "$ID"
	assert_success
	run normalized
	assert_equal "${#lines[@]}" 4
	# The stages, in order; create hooks in the runtime's network namespace
	# with the container's pid, poststop without a pid, as runc.
	assert_line --index 0 "prestart other {\"annotations\":{\"test/a\":\"1\"},\"bundle\":\"$bundle\",\"hasPid\":true,\"id\":\"$ID\",\"status\":\"creating\"}"
	assert_line --index 1 "createRuntime other {\"annotations\":{\"test/a\":\"1\"},\"bundle\":\"$bundle\",\"hasPid\":true,\"id\":\"$ID\",\"status\":\"creating\"}"
	assert_line --index 2 "poststart other {\"annotations\":{\"test/a\":\"1\"},\"bundle\":\"$bundle\",\"hasPid\":true,\"id\":\"$ID\",\"status\":\"running\"}"
	assert_line --index 3 "poststop none {\"annotations\":{\"test/a\":\"1\"},\"bundle\":\"$bundle\",\"hasPid\":false,\"id\":\"$ID\",\"status\":\"stopped\"}"
	# runc 1.1 runs poststart before the exec, reporting "created"; nsrun
	# after it, reporting "running" as the runtime spec says. Nothing else differs.
	assert_equal "$output" "${from_runc/\"status\":\"created\"/\"status\":\"running\"}"
	"$OMV_NSRUN" delete "$ID"
}

@test "nsrun: poststart runs once the command runs, poststop after it exited" {
	mkdir -p "$BATS_TEST_TMPDIR/shared"
	run nsrun node1 run --rm --name "$ID" -v "$BATS_TEST_TMPDIR/shared:/shared" \
		--hook "prestart:$HOOK,prestart" --hook "poststart:$HOOK,poststart" \
		--hook "poststop:$HOOK,poststop" --hook "createRuntime:$HOOK,createRuntime" \
		"$ROOTFS" sh -c 'echo "cmd $(hostname)" >>/shared/cmd; sleep 0.5; echo done'
	assert_success
	assert_output "done"
	assert_equal "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" "prestart createRuntime poststart poststop "
	assert_equal "$(cat "$BATS_TEST_TMPDIR/shared/cmd")" "cmd $ID"
	# The state of a ROOTFS container: its bundle is its state directory.
	assert_equal "$(sed -n 1p "$LOG" | cut -d' ' -f3- | jq -c '{id, status, bundle, annotations}')" \
		"{\"id\":\"$ID\",\"status\":\"creating\",\"bundle\":\"/run/nsrun/$ID\",\"annotations\":{}}"
}

@test "nsrun: --annotation reaches the hooks' state" {
	run nsrun node1 run --rm --name "$ID" --annotation a=1 --annotation b=x=y --annotation a=2 \
		--hook "prestart:$HOOK,prestart" "$ROOTFS" true
	assert_success
	assert_equal "$(cut -d' ' -f3- "$LOG" | jq -c .annotations)" '{"a":"2","b":"x=y"}'
}

@test "nsrun: a failing create hook stops the container: 125, one line, nothing left" {
	run -125 nsrun node1 run --rm --name "$ID" --hook "prestart:$HOOK,prestart" \
		--hook createRuntime:/bin/false --hook "poststop:$HOOK,poststop" "$ROOTFS" touch /tmp/ran
	assert_output "nsrun: $ID: run the create hooks: createRuntime hook: hook /bin/false exited with status 1"
	# poststop still runs, as runc does when a create hook fails.
	assert_equal "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" "prestart poststop "
	[ ! -e "/run/nsrun/$ID" ]
	[ ! -e "$ROOTFS/tmp/ran" ]
	run -125 nsrun node1 run --rm --name "$ID" --hook prestart:/nonexistent/hook "$ROOTFS" true
	assert_output --partial "prestart hook: hook /nonexistent/hook exited with status 127"
}

@test "nsrun: a hook killed by its timeout stops the container" {
	cat >"$BATS_TEST_TMPDIR/hooks.json" <<EOF
{"version": "1.0.0", "hook": {"path": "/bin/sleep", "args": ["sleep", "10"], "timeout": 1},
 "when": {"always": true}, "stages": ["prestart"]}
EOF
	mkdir "$BATS_TEST_TMPDIR/hooks.d"
	mv "$BATS_TEST_TMPDIR/hooks.json" "$BATS_TEST_TMPDIR/hooks.d/slow.json"
	SECONDS=0
	run -125 nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" "$ROOTFS" true
	assert_output "nsrun: $ID: run the create hooks: prestart hook: hook /bin/sleep timed out after 1 s"
	[ "$SECONDS" -lt 5 ]
}

@test "nsrun: a failing poststart hook is a warning; the container runs on" {
	run nsrun node1 run --rm --name "$ID" --hook poststart:/bin/false "$ROOTFS" sh -c 'sleep 0.2; echo ran'
	assert_success
	assert_line ran
	assert_line "nsrun: $ID: poststart hook: hook /bin/false exited with status 1"
}

# hook_dir_file NAME WHEN STAGES: an oci-hooks(5) file running $HOOK.
hook_dir_file() {
	mkdir -p "$BATS_TEST_TMPDIR/hooks.d"
	jq -n --arg hook "$HOOK" --arg name "$1" --argjson when "$2" --argjson stages "$3" \
		'{version: "1.0.0", hook: {path: $hook, args: ["hook", $name]}, when: $when, stages: $stages}' \
		>"$BATS_TEST_TMPDIR/hooks.d/$1.json"
}

@test "nsrun: --hooks-dir runs the hooks whose annotations match, in file name order" {
	hook_dir_file 20-match '{"annotations": {"^test/net$": "^on$"}}' '["createRuntime", "poststop"]'
	hook_dir_file 10-always '{"always": true}' '["createRuntime"]'
	hook_dir_file 30-other '{"annotations": {"^other$": ".*"}}' '["createRuntime"]'
	hook_dir_file 40-cmd '{"commands": ["^/bin/echo$"]}' '["prestart"]'
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" \
		--annotation test/net=on "$ROOTFS" /bin/echo hi
	assert_success
	assert_output hi
	assert_equal "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" "40-cmd 10-always 20-match 20-match "
}

@test "nsrun: several --hooks-dir: all their files in name order, a later directory's replacing an earlier one's of the same name" {
	hook_dir_file 10-first '{"always": true}' '["createRuntime"]'
	hook_dir_file 30-replaced '{"always": true}' '["createRuntime"]'
	mv "$BATS_TEST_TMPDIR/hooks.d" "$BATS_TEST_TMPDIR/first.d"
	hook_dir_file 20-second '{"always": true}' '["createRuntime"]'
	hook_dir_file 30-replaced '{"always": true}' '["createRuntime"]'
	jq '.hook.args[1] = "30-replacement"' "$BATS_TEST_TMPDIR/hooks.d/30-replaced.json" >"$BATS_TEST_TMPDIR/30.json"
	mv "$BATS_TEST_TMPDIR/30.json" "$BATS_TEST_TMPDIR/hooks.d/30-replaced.json"
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/first.d" \
		--hooks-dir "$BATS_TEST_TMPDIR/hooks.d" "$ROOTFS" true
	assert_success
	assert_equal "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" "10-first 20-second 30-replacement "
}

@test "nsrun: --hooks-dir leaves out hooks whose annotations do not match" {
	hook_dir_file 20-match '{"annotations": {"^test/net$": "^on$"}}' '["createRuntime", "poststop"]'
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" \
		--annotation test/net=only "$ROOTFS" true
	assert_success
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" \
		--annotation x-test/net=on "$ROOTFS" true
	assert_success
	run nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" "$ROOTFS" true
	assert_success
	[ ! -e "$LOG" ]
}

@test "nsrun: --hooks-dir with a bad file: 125 and the file named" {
	mkdir -p "$BATS_TEST_TMPDIR/hooks.d"
	echo '{"version": "1.0.0", "hook": {"path": "/bin/true"}, "when": {"always": true}, "stages": ["createContainer"]}' \
		>"$BATS_TEST_TMPDIR/hooks.d/cc.json"
	run -125 nsrun node1 run --rm --name "$ID" --hooks-dir "$BATS_TEST_TMPDIR/hooks.d" "$ROOTFS" true
	assert_output "nsrun: hook file $BATS_TEST_TMPDIR/hooks.d/cc.json: stage \"createContainer\" is not supported by nsrun"
	[ ! -e "/run/nsrun/$ID" ]
}
