# shellcheck shell=bash
# bundle.bash: a busybox OCI bundle made from configs/runc-config.json, for
# the tests of OCI runtimes (runc.bats, crun.bats). Load it after helpers.

setup_file() {
	"$REPO/contrib/mkrootfs.sh" "$BATS_FILE_TMPDIR/rootfs" >/dev/null
}

# bundle HOOKS_JQ [K=V...]: $BATS_TEST_TMPDIR/bundle whose container runs
# $CMD, with the hook placed by the jq filter HOOKS_JQ ($hook is the hook's
# path) and these annotations.
bundle() {
	local dir=$BATS_TEST_TMPDIR/bundle kv ann='{}'
	for kv in "${@:2}"; do
		ann=$(jq -c --arg k "${kv%%=*}" --arg v "${kv#*=}" '.[$k] = $v' <<<"$ann")
	done
	mkdir -p "$dir"
	jq --arg hook "$OMV_HOOK" --arg rootfs "$BATS_FILE_TMPDIR/rootfs" --arg cmd "$CMD" \
		--argjson ann "$ann" '.root.path = $rootfs | .process.args = ["sh", "-c", $cmd] |
		.annotations = $ann | .hooks.poststop[0].path = $hook | '"$1" \
		"$REPO/configs/runc-config.json" >"$dir/config.json"
	echo "$dir"
}

# Where the hook goes: createRuntime as configs/runc-config.json has it, or
# prestart instead.
# shellcheck disable=SC2034 # for the tests that load this file
AT_CREATE_RUNTIME='.hooks.createRuntime[0].path = $hook'
# shellcheck disable=SC2034
AT_PRESTART='.hooks.prestart = [.hooks.createRuntime[0] | .path = $hook | .args[1] = "prestart"] | del(.hooks.createRuntime)'
# What the container runs by default: its interface, its routes, a ping.
CMD='ip addr show eth0 && ip route && ping -c 1 -w 2 10.9.0.1'
