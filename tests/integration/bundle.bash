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

# An interface with every basic key, and what the container's $CMD then prints.
# shellcheck disable=SC2034 # for the tests that load this file
FULL_SPEC=(oci-macvlan/parent=lan0 oci-macvlan/address=10.9.0.10/24 oci-macvlan/gateway=10.9.0.1
	oci-macvlan/mac=02:00:0a:09:00:0a)
assert_full_spec() {
	assert_success
	assert_line --regexp '^2: eth0@.*<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 '
	assert_line --partial 'link/ether 02:00:0a:09:00:0a '
	assert_line --partial 'inet 10.9.0.10/24 '
	assert_line --regexp '^default via 10.9.0.1 dev eth0'
	assert_line --partial '1 packets transmitted, 1 packets received'
}
