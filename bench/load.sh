#!/bin/sh
# The collector under load, on SQLite and on PostgreSQL: bench/load.c
# simulates agents, each with its own enrolled certificate, sending gzip'd
# ~10 KB reports over keep-alive mutual TLS. Prints reports/s, p50/p99
# latency and the collector's CPU per report; full handshakes per second and
# per core; 10,000 agents connected at once; then the agent's own idle RSS
# and CPU per cycle.
#
# Usage: sudo bench/load.sh [SECONDS]   (after scripts/setup --test)
set -eu
cd "$(dirname "$0")/.."
here=$PWD
seconds=${1:-20}
server=$here/build/bin/hygie-server
agent=$here/build/bin/hygie-agent
load=$here/build/hygie-load
[ -x "$server" ] || { echo "build first: scripts/setup" >&2; exit 1; }
cc -O2 -D_GNU_SOURCE -o "$load" bench/load.c -lssl -lcrypto -lz

tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# collector [--database URL]: a fresh one on $port, its pid in $pid.
collector() {
	[ -n "$pid" ] && { kill $pid; wait $pid 2>/dev/null || true; }
	rm -rf "$tmp/data"
	"$server" init --data "$tmp/data" "$@" >/dev/null
	"$server" establishment add --data "$tmp/data" "$@" --finess 750000010 --name Bench \
		--region IDF --department 75 >/dev/null
	port=$((20000 + $$ % 20000))
	printf '[server]\nmax_connections = 20000\nidle_timeout = 600\n' >"$tmp/server.ini"
	"$server" serve --data "$tmp/data" "$@" --listen 127.0.0.1:$port --config "$tmp/server.ini" \
		2>"$tmp/server.log" &
	pid=$!
	sleep 1
}
token() {
	"$server" token create --data "$tmp/data" "$@" --finess 750000010 --uses 100000 --json |
		sed -n 's/.*"token": "\(.*\)".*/\1/p'
}
load() {
	"$load" --port $port --ca "$tmp/data/ca.crt" --pid $pid "$@" 2>/dev/null
}

for store in sqlite postgresql; do
	db=
	[ $store = sqlite ] && [ -n "${HYGIE_BENCH_INNER:-}" ] && continue
	if [ $store = postgresql ]; then
		[ -n "${HYGIE_TEST_PG:-}" ] || continue
		db="--database $HYGIE_TEST_PG"
	fi
	echo "== collector on $store"
	# shellcheck disable=SC2086
	collector $db
	# shellcheck disable=SC2086
	t=$(token $db)
	for c in 16 64 128; do
		printf '%3d connections, 200 agents: ' $c
		load --token "$t" --agents 200 --connections $c --seconds "$seconds" --mode reports
	done
	printf '16 connections: '
	load --token "$t" --agents 16 --connections 16 --seconds 10 --mode handshakes
	if [ $store = sqlite ]; then
		printf '10000 agents at once: '
		load --token "$t" --agents 10000 --mode hold
	fi
done

# The PostgreSQL half runs inside a private PostgreSQL.
if [ -z "${HYGIE_TEST_PG:-}" ] && [ -z "${HYGIE_BENCH_INNER:-}" ]; then
	HYGIE_BENCH_INNER=1 tests/pg.sh "$0" "$seconds" | sed -n '/postgresql/,$p'
fi
[ -n "${HYGIE_BENCH_INNER:-}" ] && exit 0

echo "== the agent"
collector
t=$(token)
"$agent" enroll --server https://127.0.0.1:$port --token "$t" \
	--ca-fingerprint "$("$server" token create --data "$tmp/data" --finess 750000010 --json |
		sed -n 's/.*"ca_fingerprint": "\(.*\)".*/\1/p')" --state "$tmp/agent" >/dev/null
HYGIE_LOG_QUIET=1 "$agent" run --state "$tmp/agent" --config /dev/null 2>/dev/null &
apid=$!
for i in $(seq 100); do
	grep -q '"last_delivery"' "$tmp/agent/status.json" 2>/dev/null && break
	sleep 0.2
done
sleep 5
cpu=$(awk '{print ($14 + $15) / 100}' /proc/$apid/stat)
rss=$(awk '/VmRSS/ {print $2}' /proc/$apid/status)
wakeups=$(awk '/voluntary_ctxt_switches/ {print $2}' /proc/$apid/status | head -1)
sleep 10
wakeups2=$(awk '/voluntary_ctxt_switches/ {print $2}' /proc/$apid/status | head -1)
kill $apid
echo "first cycle (start, every check, delivery): ${cpu} s of CPU"
echo "idle RSS: $((rss / 1024)).$(((rss % 1024) * 10 / 1024)) MiB; wake-ups in 10 s idle: $((wakeups2 - wakeups))"
