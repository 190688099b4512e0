#!/bin/sh
# The spool's own test program (tests/win/spool_test.c) under wine, in a
# copy of the prefix; it says what failed and exits non-zero on a mismatch.
# Usage: spool.sh SPOOL-TEST.EXE PREFIX_TEMPLATE
set -eu
wine=${WINE:-/usr/lib/wine/wine64}
tmp=$(mktemp -d)
# Wine names Unix files in the locale's character set: UTF-8, for the
# non-ASCII directory below.
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
cp -al "$2" "$WINEPREFIX"
for f in "$WINEPREFIX"/*.reg; do
	rm "$f"
	cp "$2/$(basename "$f")" "$f"
done
mkdir "$WINEPREFIX/drive_c/open"
chmod 0777 "$WINEPREFIX/drive_c/open"
"$wine" "$1" 'C:\open'
# The directory named in French, as Linux sees it through wine: UTF-8.
ls "$WINEPREFIX"/drive_c/users/*/Temp/hygie-spool-*/ | grep -qx "file d'attente été 日" || {
	echo "spool.sh: the non-ASCII spool directory is not where it should be" >&2
	exit 1
}
