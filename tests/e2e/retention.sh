#!/bin/sh
# Retention: reports received, and blocks replaced, before report_retention
# are deleted by the sweep; the blocks in force, the newest report and the
# daily rollups stay, and the machine's page is whole.
#
# Usage: retention.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

printf '[server]\nreport_retention = 1d\nsweep_interval = 1\n' >"$tmp/server.ini"
start_server --config "$tmp/server.ini"
token
enroll_machine backup-too-old
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' \
	>"$root/etc/os-release"
run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err" || fail "run: $(cat "$tmp/run.err")"
}
metric() { api /metrics | awk -v m="$1" '$1 == m { print $2 }'; }

run_once
run_once
run_once
in_force=$(db_query "SELECT count(*) FROM blocks WHERE replaced_at IS NULL")
sed -i 's/(bookworm)/(bookworm, again)/' "$root/etc/os-release"
run_once
# Two reports kept whole, as before blocks: the newest of them stays.
for seq in -2 -1; do
	db_query "INSERT INTO reports (agent_id, report_id, seq, collected_at, received_at, encoding,
		body) VALUES ('$agent_id', '00000000-0000-4000-8000-00000000000${seq#-}', $seq, 1,
		1, 'identity', $(if [ -n "${HYGIE_TEST_PG:-}" ]; then echo "'\\x7b7d'::bytea";
		else echo "CAST('{}' AS BLOB)"; fi))" >/dev/null
done
# The first three reports, and the os block the fourth replaced, are two
# days old.
db_query "UPDATE reports SET received_at = received_at - 172800 WHERE seq <= 3" >/dev/null
db_query "UPDATE blocks SET replaced_at = replaced_at - 172800 WHERE replaced_at IS NOT NULL" \
	>/dev/null
replaced=$(db_query "SELECT count(*) FROM blocks WHERE replaced_at IS NOT NULL")
[ "$replaced" -ge 1 ] || fail "no block replaced"
for _ in $(seq 100); do
	[ "$(metric 'hygie_pruned_total{kind="blocks"}')" = "$replaced" ] && break
	sleep 0.1
done
[ "$(metric 'hygie_pruned_total{kind="reports"}')" = 4 ] ||
	fail "reports pruned: $(metric 'hygie_pruned_total{kind="reports"}')"
[ "$(metric 'hygie_pruned_total{kind="blocks"}')" = "$replaced" ] ||
	fail "blocks pruned: $(metric 'hygie_pruned_total{kind="blocks"}') of $replaced"
got=$(db_query "SELECT seq FROM reports ORDER BY seq" | tr '\n' ' ')
[ "$got" = "-1 4 " ] || fail "reports left: $got"
[ "$(db_query "SELECT count(*) FROM blocks")" = "$in_force" ] ||
	fail "blocks left: $(db_query "SELECT count(*) FROM blocks") of $in_force in force"
page=$(api "/api/v1/agents/$agent_id")
[ "$(echo "$page" | jq -r .facts.os.pretty_name)" = "Debian GNU/Linux 12 (bookworm, again)" ] ||
	fail "the page's os: $(echo "$page" | jq -c .facts.os)"
[ "$(echo "$page" | jq '.findings | length')" -ge 20 ] || fail "the page's findings"
! srv agent report "$agent_id" --seq 1 2>"$tmp/err" || fail "a pruned report given back"
srv agent report "$agent_id" | jq -e '.seq == 4 and (.facts | has("backup"))' >/dev/null ||
	fail "the newest report"
# The daily rollups, kept for good, with the equipment and OS support (a
# collector keeps them at its first sweep, then every quarter of an hour).
stop_server
restart_server --config "$tmp/server.ini"
for _ in $(seq 100); do
	[ "$(db_query "SELECT count(*) FROM machine_days")" = 1 ] && break
	sleep 0.1
done
[ "$(db_query "SELECT count(*) FROM machine_days WHERE agent_id = '$agent_id'
	AND equipment IS NOT NULL")" = 1 ] || fail "machine_days: $(db_query 'SELECT * FROM machine_days')"
[ "$(db_query "SELECT count(*) FROM establishment_days WHERE to_replace IS NOT NULL
	AND to_upgrade IS NOT NULL AND os_unsupported IS NOT NULL")" -ge 1 ] ||
	fail "establishment_days: $(db_query 'SELECT * FROM establishment_days')"
# A retention under a day is refused.
printf '[server]\nreport_retention = 1h\n' >"$tmp/short.ini"
! "$SERVER" serve --data "$data" --config "$tmp/short.ini" --listen 127.0.0.1:1 2>"$tmp/err" ||
	fail "a retention of an hour taken"
grep -q 'bad value for report_retention' "$tmp/err" || fail "said: $(cat "$tmp/err")"
exit 0
