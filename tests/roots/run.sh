#!/bin/sh
# Runs hygie-agent check on one fixture root and compares its findings.
#
# Usage: run.sh AGENT SCENARIO_DIR
# The scenario directory tests/roots/NAME holds:
#   root/    the system root (copied to a temporary directory first)
#   setup    optional shell script run in the copy (ROOT=copy), e.g. to set times
#   policy.ini  optional policy (default: the shipped baseline)
#   expect   lines "STATUS CHECK [SUBJECT]"; for every check named there, the
#            findings must be exactly those. "only FAMILIES" and "exit N" set the
#            --only list and the expected exit status.
#   absent   optional: strings (a fixture's passwords) that must not appear in
#            the output; the hashes of root/etc/shadow and passwd never may.
set -eu
agent=$1
dir=$2
name=$(basename "$dir")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/root"
[ -d "$dir/root" ] && cp -a "$dir/root/." "$tmp/root/"
if [ -f "$dir/setup" ]; then
	(cd "$tmp/root" && ROOT="$tmp/root" sh "$dir/setup")
fi
set -- check --json --root "$tmp/root"
[ -f "$dir/policy.ini" ] && set -- "$@" --policy "$dir/policy.ini"
only=$(sed -n 's/^only[[:space:]]\{1,\}//p' "$dir/expect")
[ -n "$only" ] && set -- "$@" --only "$only"
want_exit=$(sed -n 's/^exit[[:space:]]\{1,\}//p' "$dir/expect")

rc=0
"$agent" "$@" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
if [ -n "$want_exit" ] && [ "$rc" != "$want_exit" ]; then
	echo "$name: exit status $rc, expected $want_exit" >&2
	cat "$tmp/err" >&2
	exit 1
fi
if [ "$rc" -ge 2 ]; then
	echo "$name: hygie-agent failed ($rc):" >&2
	cat "$tmp/err" >&2
	exit 1
fi

# Nothing that looks like a crypt(3) hash may leave the machine.
if grep -Eq '\$(1|2[abxy]?|5|6|7|y|gy|sha1|md5)\$[./A-Za-z0-9]' "$tmp/out.json"; then
	echo "$name: the report contains what looks like a password hash" >&2
	exit 1
fi
# Nor any hash of the fixture itself (whole, or its last 16 characters: DES
# hashes have no "$" prefix), nor a string its "absent" file lists.
: >"$tmp/secrets"
for f in etc/shadow etc/passwd; do
	[ -f "$tmp/root/$f" ] || continue
	cut -d: -f2 "$tmp/root/$f" | tr -d '!*' |
		awk 'length($0) >= 13 { print; if (length($0) >= 20) print substr($0, length($0) - 15) }' \
			>>"$tmp/secrets"
done
[ -f "$dir/absent" ] && grep -v '^$' "$dir/absent" >>"$tmp/secrets"
if [ -s "$tmp/secrets" ] && grep -Fqf "$tmp/secrets" "$tmp/out.json" "$tmp/err"; then
	echo "$name: the report contains a password or hash of the fixture" >&2
	exit 1
fi

grep -Ev '^[[:space:]]*(#|$|only[[:space:]]|exit[[:space:]])' "$dir/expect" |
	awk '{ $1 = $1; print }' | sort >"$tmp/want"
cut -d' ' -f2 "$tmp/want" | sort -u >"$tmp/checks"
jq -r '.findings[] | [.status, .check, (.subject // empty)] | join(" ")' "$tmp/out.json" |
	awk 'NR == FNR { want[$1]; next } ($2 in want)' "$tmp/checks" - | sort >"$tmp/got"
if ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	echo "$name: findings differ (- expected, + got):" >&2
	cat "$tmp/diff" >&2
	jq -r '.findings[] | "  \(.status) \(.check) \(.subject // "") : \(.summary)"' "$tmp/out.json" >&2
	exit 1
fi
echo "$name: $(wc -l <"$tmp/want") findings as expected"
