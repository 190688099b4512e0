#!/bin/sh
# Runs hygie-agent.exe check under wine on one simulated Windows machine and
# compares its findings and facts.
#
# Usage: run.sh AGENT.EXE PREFIX_TEMPLATE MACHINE_DIR
# PREFIX_TEMPLATE is a wine prefix made once (prefix.sh); it is copied, and
# the machine directory tests/win/machines/NAME holds:
#   machine.reg  registry values, imported into the copy with reg import
#   winapi.json  the answers of the calls wine cannot serve (fake_winapi.c)
#   policy.ini   optional policy (default: the shipped baseline)
#   expect       as in tests/roots: "STATUS CHECK [SUBJECT]", "only ...",
#                "exit N"; and "fact JQ-PATH JSON" for facts (jq -c output)
#   absent       optional: strings that must not appear in the output
# In these files @DATE-Nd@ becomes the date N days ago (YYYY-MM-DD, @DATE+Nd@
# N days ahead) and @FILETIME-Nd@ that time as a REG_BINARY FILETIME
# (hex:..), so a machine stays as old or as fresh as written whenever the
# test runs.
set -eu
agent=$1
template=$2
dir=$3
name=$(basename "$dir")
wine=${WINE:-/usr/lib/wine/wine64}
tmp=$(mktemp -d)
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all LANG=C.UTF-8 LC_ALL=C.UTF-8
cleanup() {
	wineserver -k >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

now=$(date -u +%s)
# A Unix path as wine's Z: drive shows it.
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
# The placeholders of a file, replaced.
expand() {
	out=$2
	cp "$1" "$out"
	for tok in $(grep -o '@\(DATE\|FILETIME\)[-+][0-9]*d@' "$1" | sort -u); do
		days=$(echo "$tok" | sed 's/@[A-Z]*\([-+][0-9]*\)d@/\1/')
		t=$((now + days * 86400))
		case $tok in
		@DATE*) v=$(date -u -d "@$t" +%Y-%m-%d) ;;
		*)
			ft=$(((t + 11644473600) * 10000000))
			v=hex:$(printf '%016x' "$ft" | sed 's/\(..\)/\1 /g' |
				awk '{ for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? "," : "") }')
			;;
		esac
		sed -i "s|$tok|$v|g" "$out"
	done
}

# The template's files linked, not copied (it is large); its registry, which
# wine rewrites, copied.
cp -al "$template" "$WINEPREFIX"
for f in "$WINEPREFIX"/*.reg; do
	rm "$f"
	cp "$template/$(basename "$f")" "$f"
done
set -- check --json
if [ -f "$dir/machine.reg" ]; then
	expand "$dir/machine.reg" "$tmp/machine.reg"
	"$wine" reg import "$(winpath "$tmp/machine.reg")" >/dev/null 2>&1 ||
		{ echo "$name: reg import failed" >&2; exit 1; }
fi
if [ -f "$dir/winapi.json" ]; then
	expand "$dir/winapi.json" "$tmp/winapi.json"
	HYGIE_TEST_WINAPI=$(winpath "$tmp/winapi.json")
	export HYGIE_TEST_WINAPI
fi
if [ -f "$dir/policy.ini" ]; then
	expand "$dir/policy.ini" "$tmp/policy.ini"
	set -- "$@" --policy "$(winpath "$tmp/policy.ini")"
fi
only=$(sed -n 's/^only[[:space:]]\{1,\}//p' "$dir/expect")
[ -n "$only" ] && set -- "$@" --only "$only"
want_exit=$(sed -n 's/^exit[[:space:]]\{1,\}//p' "$dir/expect")
# The data files beside the real agent (the test build sits in tests/).
HYGIE_DATADIR=$(winpath "$(cd "$(dirname "$agent")/../bin" && pwd)")
export HYGIE_DATADIR

rc=0
"$wine" "$agent" "$@" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
if [ -n "$want_exit" ] && [ "$rc" != "$want_exit" ]; then
	echo "$name: exit status $rc, expected $want_exit" >&2
	cat "$tmp/err" >&2
	exit 1
fi
if [ "$rc" -ge 2 ]; then
	echo "$name: hygie-agent.exe failed ($rc):" >&2
	cat "$tmp/err" >&2
	exit 1
fi
if [ -f "$dir/absent" ] && grep -v '^$' "$dir/absent" >"$tmp/secrets" &&
	grep -Fqf "$tmp/secrets" "$tmp/out.json" "$tmp/err"; then
	echo "$name: the report contains a secret of the fixture" >&2
	exit 1
fi

fail=0
grep -E '^fact[[:space:]]' "$dir/expect" | while read -r _ path want; do
	got=$(jq -c ".facts$path" "$tmp/out.json")
	if [ "$got" != "$want" ]; then
		echo "$name: facts$path is $got, expected $want" >&2
		exit 1
	fi
done || fail=1

grep -Ev '^[[:space:]]*(#|$|only[[:space:]]|exit[[:space:]]|fact[[:space:]])' "$dir/expect" |
	awk '{ $1 = $1; print }' | sort >"$tmp/want"
cut -d' ' -f2 "$tmp/want" | sort -u >"$tmp/checks"
jq -r '.findings[] | [.status, .check, (.subject // empty)] | join(" ")' "$tmp/out.json" |
	awk 'NR == FNR { want[$1]; next } ($2 in want)' "$tmp/checks" - | sort >"$tmp/got"
if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	echo "$name: findings differ (- expected, + got):" >&2
	cat "$tmp/diff" >&2
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	jq -r '.findings[] | "  \(.status) \(.check) \(.subject // "") : \(.summary)"' "$tmp/out.json" >&2
	exit 1
fi
echo "$name: $(wc -l <"$tmp/want") findings and $(grep -c '^fact' "$dir/expect" || true) facts as expected"
