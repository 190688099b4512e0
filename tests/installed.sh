#!/bin/sh
# Installs the build into a scratch prefix and runs the installed agent there:
# it must find its shipped policy and its French messages on its own.
# Usage: installed.sh BUILD_DIR ROOT
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$1" --prefix "$tmp/usr" >/dev/null
test -f "$tmp/usr/share/hygie/esms-baseline.ini"
test -f "$tmp/usr/share/locale/fr/LC_MESSAGES/hygie.mo"
rc=0
env -u HYGIE_DATADIR LC_ALL=C.UTF-8 LANGUAGE=fr "$tmp/usr/bin/hygie-agent" check --root "$2" --only os \
	>"$tmp/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$tmp/out"; echo "installed agent: exit $rc, wanted 1" >&2; exit 1; }
grep -q 'ÉCHEC' "$tmp/out" || { cat "$tmp/out"; echo "installed agent: no French" >&2; exit 1; }
echo "installed layout works"
