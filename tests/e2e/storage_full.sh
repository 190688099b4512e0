#!/bin/sh
# The disk under the collector's database fills up: reports are refused
# with 503 and Retry-After, the agent keeps them in its spool, the
# collector says so once in its log and in its metrics; when there is room
# again it stores them, by itself, and none is lost. On SQLite the disk is
# max_database_size (SQLite's own "database or disk is full"); on PostgreSQL
# a trigger raises the error a full disk raises (SQLSTATE 53100).
#
# Usage: storage_full.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"

start_server
token
enroll_machine backup-too-old
run() {
	HYGIE_LOG_QUIET=1 "$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err"
}
metric() { api /metrics | awk -v m="$1" '$1 == m { print $2 }'; }
spooled() { find "$state/spool" -maxdepth 1 -name '*.report' | wc -l; }
run || fail "first run: $(cat "$tmp/run.err")"

# The disk fills.
if [ -n "${HYGIE_TEST_PG:-}" ]; then
	db_query "CREATE FUNCTION test_full() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
		RAISE EXCEPTION 'could not extend file: No space left on device'
		USING ERRCODE = 'disk_full'; END \$\$;
		CREATE TRIGGER test_full BEFORE INSERT ON reports
		FOR EACH ROW EXECUTE FUNCTION test_full()" >/dev/null
else
	stop_server
	pages=$(db_query 'PRAGMA page_count')
	printf '[server]\nmax_database_size = %dK\n' $(((pages + 2) * 4)) >"$tmp/server.ini"
	restart_server --config "$tmp/server.ini"
fi
refused=0
for _ in $(seq 30); do
	if ! run; then
		refused=$((refused + 1))
		[ "$refused" = 3 ] && break
	fi
done
[ "$refused" = 3 ] || fail "reports still stored on a full disk"
grep -q "the collector's disk is full" "$tmp/run.err" || fail "the agent was told: $(cat "$tmp/run.err")"
[ "$(spooled)" -ge 3 ] || fail "spooled: $(spooled)"
[ "$(metric hygie_storage_full)" = 1 ] || fail "hygie_storage_full $(metric hygie_storage_full)"
[ "$(metric 'hygie_errors_total{kind="storage_full"}')" -ge 3 ] || fail "refusals not counted"
[ "$(grep -c "the database's disk is full" "$tmp/server.log")" = 1 ] ||
	fail "the log: $(grep -c "disk is full" "$tmp/server.log") lines"
answer=$(curl -s -D - -o /dev/null --cacert "$data/ca.crt" --cert "$state/agent.crt" \
	--key "$state/agent.key" -H 'Content-Type: application/json' \
	--data-binary @"$(find "$state/spool" -name '*.report' | head -1)" -H 'Content-Encoding: gzip' \
	"$url/api/v1/reports")
echo "$answer" | grep -q '^HTTP/1.1 503' || fail "answer: $answer"
retry=$(echo "$answer" | sed -n 's/^Retry-After: \([0-9]*\).*/\1/p')
[ "${retry:-0}" -ge 300 ] || fail "Retry-After: '$retry'"

# Room again: the spooled reports go, none lost.
newest=$(db_query "SELECT max(seq) FROM reports WHERE agent_id = '$agent_id'")
if [ -n "${HYGIE_TEST_PG:-}" ]; then
	db_query "DROP TRIGGER test_full ON reports" >/dev/null
else
	db_query "DELETE FROM reports WHERE seq < $newest" >/dev/null
fi
run || fail "with room again: $(cat "$tmp/run.err")"
[ "$(spooled)" = 0 ] || fail "left in the spool: $(spooled)"
made=$(tr -dc 0-9 <"$state/seq")
got=$(db_query "SELECT count(*) FROM reports WHERE agent_id = '$agent_id' AND seq > $newest")
[ "$got" = $((made - newest)) ] || fail "stored $got of the $((made - newest)) reports after $newest"
[ "$(metric hygie_storage_full)" = 0 ] || fail "still full"
grep -q "the database's disk has room again" "$tmp/server.log" || fail "room again not said"
exit 0
