#!/bin/sh
# Runs compare.sh (hygie-agent vs `apt list --upgradable`) on a copy of a
# fixture root, so apt itself checks the expected pending updates.
# Usage: fixture.sh AGENT SCENARIO_DIR
set -eu
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v apt >/dev/null || { echo "fixture: apt is needed for this test" >&2; exit 1; }
dir=$(cd "$2" && pwd)
cp -a "$dir/root" "$tmp/root"
mkdir -p "$tmp/root/var/cache/apt/archives/partial" "$tmp/root/var/lib/apt/lists/partial"
[ -f "$dir/setup" ] && (cd "$tmp/root" && ROOT="$tmp/root" sh "$dir/setup")
"$here/compare.sh" "$1" "$tmp/root"
