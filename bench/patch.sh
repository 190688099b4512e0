#!/bin/bash
# Side by side: hygie-agent's patch check against `apt list --upgradable`,
# and the whole hygie-agent check against `lynis audit system --quick`.
#
# Usage: bench/patch.sh [AGENT] [ROUNDS] [LYNIS_ROUNDS]   (run as root; 0 skips lynis,
# which takes over a minute a run)
# The commands run alternately, ROUNDS times each; printed: the median wall
# time and the median peak RSS of each, and the ratios (peer / hygie).
set -euo pipefail
agent=${1:-build/bin/hygie-agent}
rounds=${2:-9}
lynis_rounds=${3:-3}

[[ -x $agent ]] || { echo "bench: $agent not found: build first" >&2; exit 2; }
need=()
[[ -x /usr/bin/time ]] || need+=(time)
command -v lynis >/dev/null || need+=(lynis)
command -v apt >/dev/null || { echo "bench: apt is needed" >&2; exit 2; }
if ((${#need[@]})); then
	apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: appends "seconds peak_kib" to the file $1.
measure() {
	local out=$1
	shift
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000)) $(tail -1 "$tmp/rss")" >>"$out"
}

median() { # column $2 of file $1
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'
}

report() { # name-a file-a name-b file-b
	local ta ra tb rb
	ta=$(median "$2" 1) ra=$(median "$2" 2) tb=$(median "$4" 1) rb=$(median "$4" 2)
	printf '  %-34s median %8.3f s  peak RSS %7.1f MiB\n' "$1" "$(bc -l <<<"$ta/1000000")" \
		"$(bc -l <<<"$ra/1024")"
	printf '  %-34s median %8.3f s  peak RSS %7.1f MiB\n' "$3" "$(bc -l <<<"$tb/1000000")" \
		"$(bc -l <<<"$rb/1024")"
	printf '  ratio (%s / %s): time %.1fx, memory %.1fx\n' "$3" "$1" "$(bc -l <<<"$tb/$ta")" \
		"$(bc -l <<<"$rb/$ra")"
}
command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null

echo "patch check: $rounds rounds, alternating (warm cache)"
measure "$tmp/warm" "$agent" check --only patch
measure "$tmp/warm" apt list --upgradable
for ((i = 0; i < rounds; i++)); do
	measure "$tmp/hygie-patch" "$agent" check --only patch
	measure "$tmp/apt" apt list --upgradable
done
report "hygie-agent check --only patch" "$tmp/hygie-patch" "apt list --upgradable" "$tmp/apt"

((lynis_rounds > 0)) || exit 0
echo "whole check: $lynis_rounds rounds, alternating"
for ((i = 0; i < lynis_rounds; i++)); do
	measure "$tmp/hygie-all" "$agent" check
	measure "$tmp/lynis" lynis audit system --quick --no-colors
done
report "hygie-agent check" "$tmp/hygie-all" "lynis audit system --quick" "$tmp/lynis"
