#!/bin/sh
# $place is empty or "--database URL": split on purpose.
# shellcheck disable=SC2086
#
# A year of hourly reports for a fleet, with and without retention, on
# SQLite and then on a private PostgreSQL. This machine's agent reports once
# to a collector on loopback; its report (envelope and blocks) is copied to
# MACHINES machines, each with DAYS days of hourly reports and, as on a
# Debian workstation whose updates change every day, a new patch block
# (facts and findings) every day. Prints the database's size kept for good,
# then once the collector's sweep has pruned it with report_retention = 90d
# (the file as the collector leaves it, and compacted by VACUUM [FULL]).
#
# Usage: sudo bench/retention.sh [MACHINES [DAYS]]   (after scripts/setup --test)
set -eu
cd "$(dirname "$0")/.."
here=$PWD
machines=${1:-20}
days=${2:-365}
hours=$((days * 24))
server=$here/build/bin/hygie-server
agent=$here/build/bin/hygie-agent
if [ ! -x "$server" ] || [ ! -x "$agent" ]; then
	echo "build first: scripts/setup" >&2
	exit 1
fi
tmp=${HYGIE_BENCH_TMP:-$(mktemp -d)}
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
now=$(date +%s)

db() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		psql -qAt -v ON_ERROR_STOP=1 "$HYGIE_TEST_PG" -c "$1"
	else
		sqlite3 "$tmp/data/hygie.db" "$1"
	fi
}
# size: the store's bytes, every table and index with what it holds.
size() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		db "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = 'public' AND c.relkind = 'r'"
	else
		db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
		stat -c %s "$tmp/data/hygie.db"
	fi
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

serve() { # CONFIG
	port=$((20000 + $$ % 12000))
	"$server" serve --data "$tmp/data" $place --listen 127.0.0.1:$port --config "$1" \
		2>"$tmp/server.log" &
	pid=$!
	url=https://127.0.0.1:$port
	for _ in $(seq 100); do
		curl -sf --cacert "$tmp/data/ca.crt" "$url/healthz" >/dev/null 2>&1 && return
		sleep 0.1
	done
	echo "the collector did not start: $(cat "$tmp/server.log")" >&2
	exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
pruned() {
	curl -sf --cacert "$tmp/data/ca.crt" -H "Authorization: Bearer $api" "$url/metrics" |
		awk '$1 ~ /^hygie_pruned_total/ { n += $2 } END { print n + 0 }'
}

run_store() { # ENGINE
	engine=$1
	rm -rf "$tmp/data" "$tmp/state"
	"$server" init --data "$tmp/data" $place >/dev/null
	"$server" establishment add --data "$tmp/data" $place --finess 750000010 --name Bench \
		--region IDF --department 75 >/dev/null
	token=$("$server" token create --data "$tmp/data" $place --finess 750000010 --json |
		jq -r '.token + " " + .ca_fingerprint')
	api=$("$server" api-token create --data "$tmp/data" $place --json | jq -r .token)
	printf '[server]\nreport_retention = 0\n' >"$tmp/forever.ini"
	serve "$tmp/forever.ini"
	"$agent" enroll --server "$url" --token "${token% *}" --ca-fingerprint "${token#* }" \
		--state "$tmp/state" >/dev/null
	HYGIE_LOG_QUIET=1 "$agent" run --once --state "$tmp/state" --config /dev/null
	stop
	id=$(jq -r .agent_id "$tmp/state/state.json")
	t0=$(date +%s)
	db "$(seed_sql)" >/dev/null
	[ -n "${HYGIE_TEST_PG:-}" ] && db "VACUUM ANALYZE" >/dev/null
	reports=$(db "SELECT count(*) FROM reports")
	blocks=$(db "SELECT count(*) FROM blocks")
	whole=$(size)
	printf '%-10s %d machines, %d days: %d reports, %d blocks seeded in %d s: %s kept for good\n' \
		"$engine" "$machines" "$days" "$reports" "$blocks" $(($(date +%s) - t0)) "$(mib "$whole")"
	printf '[server]\nreport_retention = 90d\nsweep_interval = 1\n' >"$tmp/90d.ini"
	t0=$(date +%s)
	serve "$tmp/90d.ini"
	last=-1
	while :; do
		sleep 2
		n=$(pruned)
		[ "$n" = "$last" ] && break
		last=$n
	done
	stop
	left=$(db "SELECT count(*) FROM reports")
	file=$(size)
	if [ -n "${HYGIE_TEST_PG:-}" ]; then db "VACUUM FULL" >/dev/null; else db "VACUUM"; fi
	packed=$(size)
	printf '%-10s report_retention = 90d: %d rows pruned in %d s, %d reports left; %s as left, %s compacted\n' \
		"$engine" "$n" $(($(date +%s) - t0)) "$left" "$(mib "$file")" "$(mib "$packed")"
}

# The fleet, copied from the agent's one report, in SQL both engines take:
# $(series N) is a subquery of i from 0 to N - 1.
seed_sql() {
	cat <<EOF
INSERT INTO agents (id, finess, hostname, enrolled_at, machine, last_seen, last_seq,
  report_interval, checks, score, equipment, os_supported)
SELECT $(pad m.i 8) || '-0000-4000-8000-000000000000', finess, hostname || m.i, enrolled_at,
  NULL, last_seen, $hours, report_interval, checks, score, equipment, os_supported
FROM agents a CROSS JOIN $(series "$machines") m WHERE a.id = '$id';
INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at, encoding, body)
SELECT $(pad m.i 8) || '-0000-4000-8000-000000000000',
  '00000000-0000-4000-8000-' || $(pad h.i 12), h.i, $now - ($hours - h.i) * 3600,
  $now - ($hours - h.i) * 3600, r.encoding, r.body
FROM reports r CROSS JOIN $(series "$machines") m CROSS JOIN $(series "$hours") h
WHERE r.agent_id = '$id';
INSERT INTO blocks (agent_id, name, seq, digest, received_at, replaced_at, body)
SELECT $(pad m.i 8) || '-0000-4000-8000-000000000000', b.name, d.i * 24, b.digest,
  $now - ($days - d.i) * 86400,
  CASE WHEN d.i < $days - 1 THEN $now - ($days - d.i - 1) * 86400 END, b.body
FROM blocks b CROSS JOIN $(series "$machines") m CROSS JOIN $(series "$days") d
WHERE b.agent_id = '$id' AND b.name IN ('patch', 'patch.updates_pending');
INSERT INTO blocks (agent_id, name, seq, digest, received_at, body)
SELECT $(pad m.i 8) || '-0000-4000-8000-000000000000', b.name, 0, b.digest,
  $now - $days * 86400, b.body
FROM blocks b CROSS JOIN $(series "$machines") m
WHERE b.agent_id = '$id' AND b.name NOT IN ('patch', 'patch.updates_pending');
EOF
}

if [ -z "${HYGIE_BENCH_INNER:-}" ]; then
	place=
	series() { echo "(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1) SELECT i FROM n)"; }
	pad() { echo "printf('%0$2d', $1)"; }
	run_store sqlite
	HYGIE_BENCH_INNER=1 HYGIE_BENCH_TMP=$(mktemp -d) tests/pg.sh "$0" "$machines" "$days"
else
	place="--database $HYGIE_TEST_PG"
	series() { echo "(SELECT generate_series(0, $1 - 1) AS i)"; }
	pad() { echo "lpad(($1)::text, $2, '0')"; }
	run_store postgresql
fi
