#!/bin/bash
# Side by side: hygie-agent's patch check against `apt list --upgradable`,
# and the whole hygie-agent check against `lynis audit system --quick`.
#
# Usage: bench/patch.sh [AGENT] [ROUNDS] [LYNIS_ROUNDS]   (run as root; 0 skips lynis,
# which takes over a minute a run)
# The commands run alternately, ROUNDS times each; printed: the median wall
# time and the median peak RSS of each, and the ratios (peer / hygie).
# The patch check runs on this machine as it is, then on copies of its apt
# state whose lists are lz4 frames of each block size lz4(1) writes (64 KiB
# as apt does, 256 KiB, 1 MiB, 4 MiB): apt reads them all, with this
# machine's apt configuration.
set -euo pipefail
agent=${1:-build/bin/hygie-agent}
rounds=${2:-9}
lynis_rounds=${3:-3}

[[ -x $agent ]] || { echo "bench: $agent not found: build first" >&2; exit 2; }
agent=$(realpath "$agent")
need=()
[[ -x /usr/bin/time ]] || need+=(time)
command -v lz4 >/dev/null || need+=(lz4)
command -v bc >/dev/null || need+=(bc)
((lynis_rounds == 0)) || command -v lynis >/dev/null || need+=(lynis)
command -v apt >/dev/null || { echo "bench: apt is needed" >&2; exit 2; }
if ((${#need[@]})); then
	apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: appends "microseconds peak_kib" to the file $1.
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

# A copy of this machine's apt state (configuration, dpkg's status, lists)
# in $1, every package list stored as lz4 frames of $2 KiB blocks, linked
# and without a checksum, as apt writes them.
make_root() {
	local root=$1 kib=$2 flag f base dec
	case $kib in
	64) flag=-B4 ;;
	256) flag=-B5 ;;
	1024) flag=-B6 ;;
	4096) flag=-B7 ;;
	esac
	mkdir -p "$root/etc" "$root/var/lib/dpkg" "$root/var/lib/apt/lists/partial" \
		"$root/var/cache/apt/archives/partial"
	cp -a /etc/apt "$root/etc/"
	cp /var/lib/dpkg/status "$root/var/lib/dpkg/"
	[[ ! -f /var/lib/dpkg/arch ]] || cp /var/lib/dpkg/arch "$root/var/lib/dpkg/"
	for f in /var/lib/apt/lists/*; do
		[[ -f $f ]] || continue
		base=$(basename "$f")
		case $base in
		lock) continue ;;
		*_Packages) dec=(cat) ;;
		*_Packages.lz4) dec=(lz4 -dcq) ;;
		*_Packages.gz) dec=(gzip -dc) ;;
		*_Packages.xz) dec=(xz -dc) ;;
		*_Packages.*) continue ;;
		*)
			cp -a "$f" "$root/var/lib/apt/lists/"
			continue
			;;
		esac
		"${dec[@]}" "$f" | lz4 -q "$flag" -BD --no-frame-crc \
			>"$root/var/lib/apt/lists/${base%_Packages*}_Packages.lz4"
	done
	printf 'Dir "%s/";\nDir::State::status "%s/var/lib/dpkg/status";\n' "$root" "$root" \
		>"$root.apt.conf"
}

# How this machine stores its lists: "lz4 (64 KiB blocks)", "xz"...
stored_as() {
	local f kinds=()
	for f in /var/lib/apt/lists/*_Packages*; do
		[[ -f $f ]] || continue
		case $f in
		*.lz4) kinds+=("lz4 ($((64 << (2 * ($(od -An -tu1 -j5 -N1 "$f") / 16 - 4)))) KiB blocks)") ;;
		*_Packages) kinds+=(plain) ;;
		*) kinds+=("${f##*.}") ;;
		esac
	done
	((${#kinds[@]})) || kinds=(none)
	printf '%s\n' "${kinds[@]}" | sort -u | paste -sd, -
}

# The patch check against apt on one root ("/": this machine), one row of
# medians and ratios (apt / hygie).
compare() {
	local label=$1 root=$2 key env=() root_arg=() ta ra tb rb
	key=$(tr -c 'a-z0-9' _ <<<"$label")
	if [[ $root != / ]]; then
		env=(env APT_CONFIG="$root.apt.conf")
		root_arg=(--root "$root")
	fi
	measure "$tmp/warm" "$agent" check --only patch "${root_arg[@]}"
	measure "$tmp/warm" "${env[@]}" apt list --upgradable
	for ((i = 0; i < rounds; i++)); do
		measure "$tmp/h.$key" "$agent" check --only patch "${root_arg[@]}"
		measure "$tmp/a.$key" "${env[@]}" apt list --upgradable
	done
	ta=$(median "$tmp/h.$key" 1) ra=$(median "$tmp/h.$key" 2)
	tb=$(median "$tmp/a.$key" 1) rb=$(median "$tmp/a.$key" 2)
	printf '  %-22s %8.3f s %8.3f s %6.1fx %8.1f MiB %8.1f MiB %6.1fx\n' "$label" \
		"$(bc -l <<<"$ta/1000000")" "$(bc -l <<<"$tb/1000000")" "$(bc -l <<<"$tb/$ta")" \
		"$(bc -l <<<"$ra/1024")" "$(bc -l <<<"$rb/1024")" "$(bc -l <<<"$rb/$ra")"
}

echo "patch check (hygie-agent check --only patch) against apt list --upgradable:"
echo "$rounds rounds each, alternating; medians; ratios are apt / hygie"
echo "this machine's lists: $(stored_as); then copies of them as lz4 of each block size"
printf '  %-22s %10s %10s %7s %12s %12s %7s\n' lists "hygie time" "apt time" ratio \
	"hygie RSS" "apt RSS" ratio
compare "this machine" /
for kib in 64 256 1024 4096; do
	make_root "$tmp/root$kib" "$kib"
	compare "lz4, $kib KiB blocks" "$tmp/root$kib"
	rm -rf "$tmp/root$kib" "$tmp/root$kib.apt.conf"
done

((lynis_rounds > 0)) || exit 0
echo "whole check: $lynis_rounds rounds, alternating"
for ((i = 0; i < lynis_rounds; i++)); do
	measure "$tmp/hygie-all" "$agent" check
	measure "$tmp/lynis" lynis audit system --quick --no-colors
done
report "hygie-agent check" "$tmp/hygie-all" "lynis audit system --quick" "$tmp/lynis"
