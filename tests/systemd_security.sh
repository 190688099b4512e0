#!/bin/sh
# Scores each systemd unit with systemd's own security analysis (offline: no
# running systemd needed) and fails when one is more exposed than 2.0 on its
# 0-10 scale. Each unit is also checked with "systemd-analyze verify", its
# /usr/bin commands taken from BIN_DIR since nothing is installed yet.
# Usage: systemd_security.sh BIN_DIR UNIT...
set -eu
max=2.0
bindir=$(cd "$1" && pwd)
shift
command -v systemd-analyze >/dev/null ||
	{ echo "systemd-analyze is missing: install the systemd package" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
for unit; do
	name=$(basename "$unit")
	systemd-analyze security --offline=true "$unit" >"$tmp/out" 2>&1 || true
	level=$(sed -n 's/.*Overall exposure level for .*: \([0-9][0-9.]*\) .*/\1/p' "$tmp/out")
	if [ -z "$level" ]; then
		cat "$tmp/out"
		echo "$name: no exposure level in systemd-analyze's output" >&2
		rc=1
	elif awk -v l="$level" -v m="$max" 'BEGIN { exit !(l > m) }'; then
		grep '✗' "$tmp/out" || true
		echo "$name: exposure $level, more than $max" >&2
		rc=1
	else
		echo "$name: exposure $level (at most $max)"
	fi
	sed "s#/usr/bin/#$bindir/#g" "$unit" >"$tmp/$name"
	if ! systemd-analyze verify --man=no "$tmp/$name" >"$tmp/verify" 2>&1 || [ -s "$tmp/verify" ]; then
		cat "$tmp/verify"
		echo "$name: systemd-analyze verify complains" >&2
		rc=1
	fi
done
exit $rc
