#!/bin/bash
# What an agent costs between two runs: wake-ups and memory, side by side,
# for the Linux agent (hygie-agent run) and the Windows service (the MSI
# installed under wine), both reporting to a collector on loopback, and for
# a Windows program that does nothing under wine (cmd.exe blocked on its
# input), the floor wine itself adds.
#
# Usage: bench/idle.sh [SECONDS]   (after scripts/build-windows and a build
# in build/; run as root)
# Each is started, its first report awaited, then left alone for SECONDS
# (60): printed are its context switches per minute (voluntary and not, all
# threads, from /proc) and its memory (resident and anonymous, from /proc;
# for the service also what status reports Windows' working set and private
# bytes to be).
set -euo pipefail
seconds=${1:-60}
cd "$(dirname "$0")/.."
root=$PWD
agent=$root/build/bin/hygie-agent
SERVER=$root/build/bin/hygie-server
msi=$root/build-win/hygie-agent.msi
wine=/usr/lib/wine/wine64
for f in "$agent" "$SERVER" "$msi" "$wine"; do
	[[ -e $f ]] || { echo "bench: $f not found: build first" >&2; exit 2; }
done
AGENT=$agent
. tests/e2e/lib.sh
export WINEPREFIX=$tmp/prefix WINEDEBUG=-all
trap 'kill $linux_pid $cmd_pid 2>/dev/null || true; wineserver -k 2>/dev/null || true
      stop_server; rm -rf "$tmp"' EXIT
linux_pid= cmd_pid=

# switches PID: context switches of all its threads so far.
switches() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
# kib PID FIELD
kib() { awk -v f="$2:" '$1 == f { print $2 }' /proc/"$1"/status; }
# measure NAME PID: one line of figures.
measure() {
	local a b
	a=$(switches "$2")
	sleep "$seconds"
	b=$(switches "$2")
	printf '%-34s %12.1f %10s %10s\n' "$1" "$(echo "($b - $a) * 60 / $seconds" | bc -l)" \
		"$(kib "$2" VmRSS)" "$(kib "$2" RssAnon)"
}
wait_delivered() {
	for _ in $(seq 300); do
		jq -e '.last_delivery != null' "$1" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "bench: no report delivered ($1)" >&2
	exit 1
}

start_server
printf '%-34s %12s %10s %10s\n' "" "wakeups/min" "RSS KiB" "anon KiB"

token
"$agent" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/state" >/dev/null
HYGIE_LOG_QUIET=1 "$agent" run --state "$tmp/state" 2>/dev/null &
linux_pid=$!
wait_delivered "$tmp/state/status.json"
sleep 5
measure "hygie-agent run (Linux)" "$linux_pid"
kill "$linux_pid"

tests/win/prefix.sh "$WINEPREFIX"
wineserver -p
mkfifo "$tmp/fifo"
"$wine" cmd /k <"$tmp/fifo" >/dev/null 2>&1 &
cmd_pid=$!
exec 3>"$tmp/fifo" # held open: cmd waits on its input
sleep 5
cmd_pid=$(pgrep -f 'cmd.exe' | head -1)
measure "cmd.exe waiting (wine's floor)" "$cmd_pid"

token
"$wine" msiexec /i "Z:${msi//\//\\}" /qn HYGIE_SERVER="$url" HYGIE_TOKEN="$token" \
	HYGIE_CA_FINGERPRINT="$fingerprint"
wait_delivered "$WINEPREFIX/drive_c/ProgramData/Hygie/state/status.json"
sleep 5
pid=$(pgrep -f 'hygie-agent.exe run --service')
measure "HygieAgent service (wine)" "$pid"
"$wine" 'C:\Program Files\Hygie\hygie-agent.exe' status --json 2>/dev/null |
	jq -r '"  as Windows reports it: working set \(.memory.resident / 1024 | floor) KiB, private \(.memory.private / 1024 | floor) KiB (wine gives 0)"'
