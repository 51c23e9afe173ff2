# shellcheck shell=bash
# contrib/bench/common.sh: what the benchmarks share. Source it.
#
#   die MESSAGE                    "SCRIPT: MESSAGE" on stderr, exit 1
#   options VAR=FLAG... -- ARG...  sets VAR from "FLAG VALUE" in ARGs; -h and
#                                  --help print the script's header comment
#   positive FLAG VALUE            dies unless VALUE is a positive number
#   built VAR WHAT                 VAR's path made absolute; dies when it is
#                                  missing, saying how to build WHAT
#   needs PACKAGES CMD...          dies unless each CMD (or path) is there,
#                                  naming the Debian PACKAGES to install
#   needs_root                     dies unless the script runs as root
#   stats FILE CASE                "MEDIAN P90" of the numbers of FILE's "CASE N" lines
#   ratio A B                      A / B with two decimals
#   check VALUE OP TARGET          "met" or "MISSED" (OP: an awk comparison)

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

options() {
	local -A var=()
	while [ "$1" != -- ]; do
		var[${1#*=}]=${1%%=*}
		shift
	done
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
		esac
		[ -n "${var[$1]:-}" ] || die "unknown argument $1 (see --help)"
		[ $# -ge 2 ] || die "$1 needs a value"
		printf -v "${var[$1]}" '%s' "$2"
		shift 2
	done
}

positive() {
	[[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1: '$2' is not a positive number"
}

built() {
	local path
	path=$(realpath -e "${!1}") || die "no $2 at ${!1}: build it first (meson setup build && ninja -C build)"
	printf -v "$1" '%s' "$path"
}

needs() {
	local packages=$1 cmd
	shift
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || die "$cmd is missing (apt-get install $packages)"
	done
}

needs_root() {
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
}

stats() {
	awk -v c="$2" '$1 == c { print $2 }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { printf "%d %d\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[int(0.9 * NR + 0.99)] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

check() { awk -v v="$1" -v t="$3" "BEGIN { print (v $2 t) ? \"met\" : \"MISSED\" }"; }
