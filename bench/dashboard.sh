#!/bin/sh
# The dashboard's API on a large fleet, on SQLite and on PostgreSQL: seeds
# ESTABLISHMENTS establishments of 20 machines each with a year of daily
# reports, daily scores, alerts and records, then times every page's API
# calls from a regional user, a funder and an admin. Prints each route's
# median and p99 (curl's time from request sent to first byte, over one
# keep-alive connection on loopback: the collector's time).
#
# Usage: sudo bench/dashboard.sh [ESTABLISHMENTS [DAYS [REQUESTS]]]
#        (defaults 1000, 365, 200; after scripts/setup --test)
set -eu
cd "$(dirname "$0")/.."
here=$PWD
ests=${1:-1000}
days=${2:-365}
requests=${3:-200}
machines=$((ests * 20))
server=$here/build/bin/hygie-server
[ -x "$server" ] || { echo "build first: scripts/setup" >&2; exit 1; }
tmp=${HYGIE_BENCH_TMP:-$(mktemp -d)}
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
now=$(date +%s)
today=$((now / 86400))

# One real report, gzip'd: the machine pages read the newest ones.
printf '{"schema":"hygie.report/1","facts":{"os":{"id":"debian","version_id":"12"}},"findings":[%s]}' \
	"$(for c in os.supported patch.security_pending backup.recent antivirus.present \
		equipment.ram; do
		printf '{"check":"%s","status":"fail","severity":"high","summary":"x","remediation":"y"},' $c
	done | sed 's/,$//')" | gzip -c >"$tmp/report.gz"

# The fleet, in SQL both engines take: $(series N) is a subquery of i from
# 0 to N - 1, $(pad EXPR WIDTH) EXPR with leading zeros.
seed_sql() {
	cat <<EOF
INSERT INTO establishments (finess, name, region, department)
SELECT lpad_d2 || lpad_i7, 'Etablissement ' || i, 'Region ' || (((i % 95) + 1) % 13), lpad_d2
FROM (SELECT i, $(pad "(i % 95) + 1" 2) AS lpad_d2, $(pad i 7) AS lpad_i7 FROM $(series $ests) g) s;
INSERT INTO agents (id, finess, hostname, enrolled_at, machine, last_seen, last_seq,
  report_interval, checks, score, equipment, os_supported)
SELECT $(pad i 8) || '-0000-4000-8000-000000000000', $(pad "((i / 20) % 95) + 1" 2) || $(pad "i / 20" 7),
  'poste-' || i, $now - 400 * 86400, NULL, $now - (i % 3600), $days, 86400,
  'os.supported=p3;patch.security_pending=' || CASE WHEN i % 3 = 0 THEN 'f' ELSE 'p' END
    || '3;backup.recent=' || CASE WHEN i % 4 = 0 THEN 'f' ELSE 'p' END
    || '3;antivirus.present=p3;equipment.ram=' || CASE WHEN i % 10 IN (1, 2) THEN 'f' ELSE 'p' END || '1;',
  40 + (i * 37) % 61, CASE i % 10 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 6 ELSE 0 END,
  CASE WHEN i % 7 = 0 THEN 0 ELSE 1 END
FROM $(series $machines) g;
INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at, encoding, body)
SELECT a.id, '00000000-0000-4000-8000-' || $(pad d.i 12), d.i,
  $now - ($days - d.i) * 86400, $now - ($days - d.i) * 86400, 'identity', $blob
FROM agents a CROSS JOIN $(series $days) d;
UPDATE reports SET encoding = 'gzip', body = $gzip WHERE seq >= $days - 2;
INSERT INTO machine_days (agent_id, day, score)
SELECT a.id, $today - d.i, 30 + (d.i * 7 + length(a.id) + a.score) % 70
FROM agents a CROSS JOIN $(series $days) d;
INSERT INTO establishment_days (finess, day, score, machines)
SELECT e.finess, $today - d.i, 40 + (d.i * 3) % 50, 20 FROM establishments e CROSS JOIN $(series $days) d;
INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary, status, opened_at,
  resolved_at, last_seen, last_seq)
SELECT a.id, a.finess, 'check.' || k.i, '', CASE k.i % 4 WHEN 0 THEN 'critical' WHEN 1 THEN 'high'
  WHEN 2 THEN 'medium' ELSE 'low' END, 'seeded finding ' || k.i,
  CASE WHEN k.i < 5 THEN 'open' ELSE 'resolved' END, $now - k.i * 86400 * 17,
  CASE WHEN k.i < 5 THEN NULL ELSE $now - k.i * 86400 * 17 + 86400 END, $now, 1
FROM agents a CROSS JOIN $(series 20) k;
INSERT INTO records (finess, kind, day, title, people, result, notes, created_by, created_at)
SELECT e.finess, CASE k.i WHEN 0 THEN 'exercise' WHEN 1 THEN 'awareness' ELSE 'restore_test' END,
  $today - 30 - k.i * 40, 'seeded', 10, CASE WHEN k.i = 2 THEN 'success' ELSE '' END, '', 'bench',
  $now FROM establishments e CROSS JOIN $(series 3) k;
EOF
}

# time_routes NAME AUTH PATH...: median and p99 of each path.
time_routes() {
	who=$1 auth=$2
	shift 2
	for path in "$@"; do
		urls=
		for i in $(seq "$requests"); do urls="$urls -o /dev/null $url$path"; done
		# shellcheck disable=SC2086
		curl -s --cacert "$tmp/data/ca.crt" $auth \
			-w '%{http_code} %{time_pretransfer} %{time_starttransfer}\n' $urls >"$tmp/times"
		grep -qv '^200 ' "$tmp/times" && { echo "$path: $(grep -v '^200 ' "$tmp/times" | head -1)" >&2; exit 1; }
		awk '{print ($3 - $2) * 1000}' "$tmp/times" | sort -n | awk -v who="$who" -v p="$path" '
			{ v[NR] = $1 } END {
				printf "  %-9s %-66s median %7.2f ms  p99 %7.2f ms\n", who, p,
					v[int((NR + 1) / 2)], v[int(NR * 0.99 + 0.999)] }'
	done
}

run_store() { # ENGINE [--database URL]
	engine=$1
	shift
	rm -rf "$tmp/data"
	"$server" init --data "$tmp/data" "$@" >/dev/null
	echo "== $engine: seeding $ests establishments, $machines machines, $days days"
	t0=$(date +%s)
	if [ "$engine" = sqlite ]; then
		{
			echo "PRAGMA synchronous = OFF; BEGIN;"
			seed_sql
			echo "COMMIT; ANALYZE;"
		} | sqlite3 "$tmp/data/hygie.db"
	else
		seed_sql | psql -q -v ON_ERROR_STOP=1 "$HYGIE_TEST_PG" >/dev/null
		psql -q "$HYGIE_TEST_PG" -c "VACUUM ANALYZE" >/dev/null
	fi
	echo "   seeded in $(($(date +%s) - t0)) s"
	echo "correct horse battery staple" | "$server" user add --data "$tmp/data" "$@" \
		--login bench-regional --role regional --region "Region 0" --password-stdin >/dev/null
	echo "correct horse battery staple" | "$server" user add --data "$tmp/data" "$@" \
		--login bench-funder --role funder --password-stdin >/dev/null
	api=$("$server" api-token create --data "$tmp/data" "$@" --json |
		sed -n 's/.*"token": "\(.*\)".*/\1/p')
	echo "Authorization: Bearer $api" >"$tmp/auth.hdr"
	port=$((20000 + $$ % 20000))
	"$server" serve --data "$tmp/data" "$@" --listen 127.0.0.1:$port 2>"$tmp/server.log" &
	pid=$!
	url=https://127.0.0.1:$port
	for i in $(seq 100); do
		curl -sf --cacert "$tmp/data/ca.crt" "$url/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	for who in regional funder; do
		curl -s --cacert "$tmp/data/ca.crt" -c "$tmp/$who.jar" -o /dev/null \
			-H 'Content-Type: application/json' \
			-d "{\"login\":\"bench-$who\",\"password\":\"correct horse battery staple\"}" \
			"$url/api/v1/session"
	done
	finess=$(curl -s --cacert "$tmp/data/ca.crt" -b "$tmp/regional.jar" "$url/api/v1/establishments" |
		jq -r '.establishments[0].finess')
	agent=$(curl -s --cacert "$tmp/data/ca.crt" -b "$tmp/regional.jar" \
		"$url/api/v1/agents?finess=$finess&limit=1" | jq -r '.agents[0].id')
	time_routes regional "-b $tmp/regional.jar" "/api/v1/alerts?status=open" \
		"/api/v1/alerts?status=open&limit=50&offset=50" "/api/v1/alerts/groups?status=open&limit=50" \
		/api/v1/establishments "/api/v1/establishments/$finess" "/api/v1/agents/$agent" \
		"/api/v1/machines?limit=50" /api/v1/checks \
		"/api/v1/checks/machines?check=patch.security_pending&limit=50"
	time_routes funder "-b $tmp/funder.jar" /api/v1/equipment "/api/v1/equipment?format=csv" \
		/api/v1/progress /api/v1/opendata/departments.json
	time_routes admin "-H @$tmp/auth.hdr" "/api/v1/alerts?status=open&limit=1000" \
		"/api/v1/alerts?status=open&limit=50&severity=critical&min_age_days=30" \
		"/api/v1/alerts/groups?status=open&limit=50" /api/v1/establishments /api/v1/equipment \
		"/api/v1/equipment?format=csv&lang=fr" "/api/v1/machines?limit=50&offset=1000" \
		/api/v1/checks "/api/v1/checks/machines?check=patch.security_pending&limit=50"
	kill $pid
	wait $pid 2>/dev/null || true
	pid=
}

if [ -z "${HYGIE_BENCH_INNER:-}" ]; then
	series() { echo "(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1) SELECT i FROM n)"; }
	pad() { echo "printf('%0$2d', $1)"; }
	blob="CAST('{}' AS BLOB)"
	gzip="readfile('$tmp/report.gz')"
	run_store sqlite
	HYGIE_BENCH_INNER=1 HYGIE_BENCH_TMP=$(mktemp -d) tests/pg.sh "$0" "$ests" "$days" "$requests"
else
	series() { echo "(SELECT generate_series(0, $1 - 1) AS i)"; }
	pad() { echo "lpad(($1)::text, $2, '0')"; }
	blob="'\\x7b7d'::bytea"
	gzip="decode('$(od -An -v -tx1 "$tmp/report.gz" | tr -d ' \n')', 'hex')"
	run_store postgresql --database "$HYGIE_TEST_PG"
fi
