#!/usr/bin/env bash
# contrib/bench/nsrun.sh: how long a container start takes with nsrun.
#
#   contrib/bench/nsrun.sh [-n N] [--nsrun PATH]
#
# Times N runs (default 100) of /bin/true in a busybox rootfs (contrib/mkrootfs.sh),
# each case once per round, the order of the cases changing from round to round:
#   nsrun   nsrun run --rm ROOTFS /bin/true, with the full hardening of its
#           defaults: every namespace, pivot_root, masked and read-only paths,
#           capabilities, no_new_privs, the seccomp filter, its init
#   runc    runc run of a bundle (`runc spec`) with the same rootfs
#   floor   unshare -mpinu --fork chroot ROOTFS /bin/true: namespaces and a
#           chroot, nothing else; no runtime can start a container for less
# Prints medians and p90s, the ratios against the SPEC targets (runc/nsrun
# >= 4x, nsrun/floor <= 2x) and nsrun's peak memory (GNU time's max RSS)
# against 4 MiB. Timings never fail the script; a run that fails does.
#
# Each round is timed by one bash already in the sandbox host's network
# namespace, which reads $EPOCHREALTIME around each command: nsenter is not in
# the numbers. Needs root, util-linux, runc, busybox-static and GNU time.
# Everything lives in namespaces named omvnsb<pid>-*, deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=contrib/sandbox.sh
. contrib/sandbox.sh
# shellcheck source=contrib/bench/common.sh
. contrib/bench/common.sh

n=100
nsrun=build/launcher/nsrun

options n=-n nsrun=--nsrun -- "$@"
positive -n "$n"
needs_root
built nsrun nsrun
needs "runc util-linux coreutils time" runc unshare chroot /usr/bin/time

work=$(mktemp -d /tmp/omvnsb.XXXXXX)
sandbox_init "omvnsb$$"
cleanup() {
	local dir id
	set +e
	for dir in /run/nsrun/"$SANDBOX_PREFIX"-*; do
		[ -e "$dir" ] && "$nsrun" delete -f "${dir##*/}" >/dev/null 2>&1
	done
	if [ -d "$work/runc" ]; then
		for id in $(on h1 runc --root "$work/runc" list -q 2>/dev/null); do
			on h1 runc --root "$work/runc" delete -f "$id" >/dev/null 2>&1
		done
	fi
	sandbox_destroy
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rootfs=$work/rootfs
contrib/mkrootfs.sh "$rootfs" >/dev/null
mkdir -p "$work/bundle"
(cd "$work/bundle" && runc spec)
jq --arg rootfs "$rootfs" '.root.path = $rootfs | .process.terminal = false |
	.process.args = ["/bin/true"]' "$work/bundle/config.json" >"$work/bundle/config.new"
mv "$work/bundle/config.new" "$work/bundle/config.json"

lan_create lan
lan_host h1 10.9.0.2/24

# time_jobs: runs in the host's namespace. Reads "CASE ID" lines, runs each,
# prints "CASE MICROSECONDS"; stops at the first failure.
time_jobs() {
	local c id t0 t1 rc
	while read -r c id; do
		rc=0
		t0=$EPOCHREALTIME
		case $c in
		nsrun) "$nsrun" run --rm --name "$id" "$rootfs" /bin/true ;;
		runc) runc --root "$work/runc" run --bundle "$work/bundle" "$id" ;;
		floor) unshare -mpinu --fork chroot "$rootfs" /bin/true ;;
		esac </dev/null >"$work/out" 2>&1 || rc=$?
		t1=$EPOCHREALTIME
		if [ $rc != 0 ]; then
			echo "$c ($id) failed with status $rc: $(cat "$work/out")" >&2
			return 1
		fi
		t0=${t0//[.,]/} t1=${t1//[.,]/}
		echo "$c $((10#$t1 - 10#$t0))"
	done
}

# Peak memory of a whole nsrun run (GNU time: the largest process, in KiB).
on h1 /usr/bin/time -f %M -o "$work/mem" "$nsrun" run --rm --name "$SANDBOX_PREFIX-mem" "$rootfs" /bin/true ||
	die "nsrun run failed under /usr/bin/time"
rss=$(tail -n 1 "$work/mem")

# A warm-up round, then n rounds, each case once, in a rotating order.
cases=(nsrun runc floor)
for ((i = -1; i < n; i++)); do
	for ((k = 0; k < 3; k++)); do
		c=${cases[(i + 3 + k) % 3]}
		echo "$c $SANDBOX_PREFIX-$c$((i + 1))"
	done
done >"$work/jobs"
echo "nsrun.sh: $n runs per case" >&2
on h1 env work="$work" nsrun="$nsrun" rootfs="$rootfs" bash -c "$(declare -f time_jobs); time_jobs" \
	<"$work/jobs" | tail -n +4 >"$work/times" || die "a run failed"

declare -A med p90
for c in "${cases[@]}"; do read -r "med[$c]" "p90[$c]" < <(stats "$work/times" "$c"); done

runc_ratio=$(ratio "${med[runc]}" "${med[nsrun]}")
floor_ratio=$(ratio "${med[nsrun]}" "${med[floor]}")

printf '\nnsrun run --rm ROOTFS /bin/true, %d per case (%s, %d cores)\n\n' "$n" "$(uname -r)" "$(nproc)"
printf '%-46s %10s %10s\n' case 'median µs' 'p90 µs'
printf '%-46s %10d %10d\n' "nsrun run --rm (full hardening)" "${med[nsrun]}" "${p90[nsrun]}"
printf '%-46s %10d %10d\n' "runc run ($(runc --version | head -n 1 | cut -d' ' -f3))" "${med[runc]}" "${p90[runc]}"
printf '%-46s %10d %10d\n' "floor: unshare -mpinu --fork chroot" "${med[floor]}" "${p90[floor]}"
printf '\n%-46s %10s %10s %10s\n' target value wanted ''
printf '%-46s %9sx %10s %10s\n' "runc / nsrun (medians)" "$runc_ratio" '>= 4x' "$(check "$runc_ratio" '>=' 4)"
printf '%-46s %9sx %10s %10s\n' "nsrun / floor (medians)" "$floor_ratio" '<= 2x' "$(check "$floor_ratio" '<=' 2)"
printf '%-46s %6s KiB %10s %10s\n' "nsrun peak memory (max RSS)" "$rss" '< 4096' "$(check "$rss" '<' 4096)"
