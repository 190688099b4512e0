#!/bin/sh
# What an unchanged machine costs: this machine's agent, enrolled with a
# collector on loopback, reports CYCLES times in a row with nothing changing
# in between (every family each time), on SQLite and then on a private
# PostgreSQL. Prints the bytes on the wire (gzip'd bodies, as the
# collector's hygie_report_bytes_total counts them): the first report,
# whole, as every report went before reports were cut to what the collector
# lacks, then each unchanged one; and what each cycle adds to the database;
# per cycle and per machine per day at one report an hour.
#
# Usage: sudo bench/storage.sh [CYCLES]   (after scripts/setup --test)
set -eu
cd "$(dirname "$0")/.."
here=$PWD
cycles=${1:-100}
server=$here/build/bin/hygie-server
agent=$here/build/bin/hygie-agent
if [ ! -x "$server" ] || [ ! -x "$agent" ]; then
	echo "build first: scripts/setup" >&2
	exit 1
fi
tmp=${HYGIE_BENCH_TMP:-$(mktemp -d)}
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# db_bytes: the store's size, every table and index with what it holds.
db_bytes() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		psql -At "$HYGIE_TEST_PG" -c "SELECT sum(pg_total_relation_size(c.oid))
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'"
	else
		sqlite3 "$tmp/data/hygie.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
		sqlite3 "$tmp/data/hygie.db" 'SELECT page_count * page_size FROM pragma_page_count,
			pragma_page_size'
	fi
}
db_query() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		psql -At "$HYGIE_TEST_PG" -c "$1"
	else
		sqlite3 "$tmp/data/hygie.db" "$1"
	fi
}

# sent: the bytes of reports the collector received so far.
sent() {
	curl -sf --cacert "$tmp/data/ca.crt" -H "Authorization: Bearer $api" "$url/metrics" |
		awk '$1 == "hygie_report_bytes_total" { print $2 }'
}

run_store() { # ENGINE [--database URL]
	engine=$1
	shift
	rm -rf "$tmp/data" "$tmp/state"
	"$server" init --data "$tmp/data" "$@" >/dev/null
	"$server" establishment add --data "$tmp/data" "$@" --finess 750000010 --name Bench \
		--region IDF --department 75 >/dev/null
	"$server" token create --data "$tmp/data" "$@" --finess 750000010 --json >"$tmp/token.json"
	api=$("$server" api-token create --data "$tmp/data" "$@" --json | sed -n 's/.*"token": "\(.*\)".*/\1/p')
	token=$(sed -n 's/.*"token": "\(.*\)".*/\1/p' "$tmp/token.json")
	fingerprint=$(sed -n 's/.*"ca_fingerprint": "\(.*\)".*/\1/p' "$tmp/token.json")
	port=$((20000 + $$ % 12000))
	"$server" serve --data "$tmp/data" "$@" --listen 127.0.0.1:$port 2>"$tmp/server.log" &
	pid=$!
	url=https://127.0.0.1:$port
	for _ in $(seq 100); do
		curl -sf --cacert "$tmp/data/ca.crt" "$url/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	"$agent" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
		--state "$tmp/state" >/dev/null
	# The first report opens the machine's alerts: the cycles after it are
	# the steady state measured.
	HYGIE_LOG_QUIET=1 "$agent" run --once --state "$tmp/state" --config /dev/null
	whole=$(sent)
	before=$(db_bytes)
	for _ in $(seq "$cycles"); do
		HYGIE_LOG_QUIET=1 "$agent" run --once --state "$tmp/state" --config /dev/null
	done
	after=$(db_bytes)
	cut=$(($(sent) - whole))
	got=$(db_query "SELECT count(*) FROM reports")
	[ "$got" = $((cycles + 1)) ] || { echo "$engine: $got reports stored of $((cycles + 1))" >&2; exit 1; }
	awk -v engine="$engine" -v n="$cycles" -v grow=$((after - before)) -v whole="$whole" \
		-v cut="$cut" 'BEGIN {
			printf "%-10s on the wire: whole report %d bytes, unchanged report %d bytes;", engine,
				whole, cut / n
			printf " database +%d bytes per unchanged cycle\n", grow / n
			printf "%-10s per machine per day at one report an hour: %.0f KiB sent whole, %.0f KiB",
				engine, whole * 24 / 1024, cut / n * 24 / 1024
			printf " sent unchanged, %.0f KiB stored\n", grow / n * 24 / 1024 }'
	kill $pid
	wait $pid 2>/dev/null || true
	pid=
}

if [ -z "${HYGIE_BENCH_INNER:-}" ]; then
	echo "$cycles cycles of this machine's agent, nothing changing in between"
	run_store sqlite
	HYGIE_BENCH_INNER=1 HYGIE_BENCH_TMP=$(mktemp -d) tests/pg.sh "$0" "$cycles"
else
	run_store postgresql --database "$HYGIE_TEST_PG"
fi
