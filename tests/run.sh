#!/usr/bin/env bash
# tests/run.sh: runs every test against the builds that contrib/quickstart.sh
# made: the unit tests (meson, TAP) and the bats integration suite, each on
# the normal build and on the ASan+UBSan build. Ends with one line:
#   N passed, N failed[, N skipped]
# Usage: tests/run.sh [BUILD_DIR...]   (default: build build-asan)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 125

builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(build build-asan)
logdir=$(mktemp -d /tmp/oci-macvlan-tests.XXXXXX)
passed=0 failed=0 skipped=0

# Adds the TAP results in file $1 to the totals and prints its failures.
count_tap() {
	local p f s
	p=$(grep -Ec '^ok ' "$1" || true)
	s=$(grep -Eic '^ok .*# skip' "$1" || true)
	f=$(grep -Ec '^not ok ' "$1" || true)
	passed=$((passed + p - s)) failed=$((failed + f)) skipped=$((skipped + s))
	grep -E -A15 '^not ok ' "$1" | grep -Ev '^ok ' || true
	echo "$2: $((p - s)) passed, $f failed, $s skipped"
}

run_unit() {
	local build=$1 log=$logdir/unit-$1.txt
	if ! meson test -C "$build" --suite unit --print-errorlogs >"$logdir/meson-$build.txt" 2>&1; then
		# A crash leaves no "not ok" line: count the test itself.
		grep -q '^not ok ' "$build/meson-logs/testlog.txt" || failed=$((failed + 1))
		cat "$logdir/meson-$build.txt"
	fi
	cp "$build/meson-logs/testlog.txt" "$log"
	count_tap "$log" "unit tests ($build)"
}

run_integration() {
	local build=$1 log=$logdir/bats-$1.txt
	OMV_BUILD=$PWD/$build OMV_HOOK=$PWD/$build/hooks/oci-macvlan-hook \
		OMV_NSRUN=$PWD/$build/launcher/nsrun \
		bats --tap tests/integration >"$log" 2>&1
	count_tap "$log" "integration tests ($build)"
}

for build in "${builds[@]}"; do
	run_unit "$build"
	run_integration "$build"
done
echo "logs: $logdir"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
