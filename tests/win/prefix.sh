#!/bin/sh
# Makes the wine prefix the Windows tests copy: wineboot once, then stopped.
# Usage: prefix.sh DIR
set -eu
rm -rf "$1"
mkdir -p "$(dirname "$1")"
export WINEPREFIX="$1" WINEDEBUG=-all
${WINE:-/usr/lib/wine/wine64} wineboot --init >/dev/null 2>&1
# Windows 10, as the machines the agent meets (wine says Windows 7 by default).
${WINE:-/usr/lib/wine/wine64} winecfg -v win10 >/dev/null 2>&1
wineserver -w || true
test -f "$1/system.reg"
