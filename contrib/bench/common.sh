# shellcheck shell=bash
# contrib/bench/stats.sh: the benchmarks' arithmetic. Source it.
#
#   stats FILE CASE        "MEDIAN P90" of the numbers of FILE's "CASE N" lines
#   ratio A B              A / B with two decimals
#   check VALUE OP TARGET  "met" or "MISSED" (OP: an awk comparison)

stats() {
	awk -v c="$2" '$1 == c { print $2 }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { printf "%d %d\n", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[int(0.9 * NR + 0.99)] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

check() { awk -v v="$1" -v t="$3" "BEGIN { print (v $2 t) ? \"met\" : \"MISSED\" }"; }
