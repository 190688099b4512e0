#!/bin/sh
# A collector's database as the previous release left it (fixture made by
# make-fixture.sh) migrates and serves: its establishment, user, machine and
# reports kept whole are there, its alerts' counts hold, a new agent enrolls
# and reports, and the machine reported before shows its facts and findings.
# On SQLite, or on PostgreSQL with HYGIE_TEST_PG (tests/pg.sh).
#
# Usage: upgrade.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
here=$(dirname "$0")
. "$here/../e2e/lib.sh"
export HYGIE_LOG_QUIET=1

# In place of the store lib.sh made.
rm -rf "$data"
mkdir -m 700 "$data"
if [ -n "${HYGIE_TEST_PG:-}" ]; then
	psql -q -v ON_ERROR_STOP=1 "$HYGIE_TEST_PG" \
		-c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' >/dev/null 2>&1
	psql -q -v ON_ERROR_STOP=1 "$HYGIE_TEST_PG" <"$here/postgresql.sql" >/dev/null
else
	sqlite3 "$data/hygie.db" <"$here/sqlite.sql"
fi
before=$(db_query 'SELECT max(version) FROM schema_migrations')
old=$(db_query 'SELECT id FROM agents')
# A new CA and server certificate around the old database; it migrates.
srv init >/dev/null || fail "init on the previous release's database"
[ "$(db_query 'SELECT max(version) FROM schema_migrations')" -gt "$before" ] ||
	fail "not migrated from $before"
[ "$(srv establishment list --json | jq -r '.establishments[0].name')" = "EHPAD Les Tilleuls" ] ||
	fail "the establishment"
api=$(srv api-token create --json | jq -r .token)
start_server
[ "$(groups_astray)" = 0 ] || fail "alert groups astray: $(groups_astray)"

# The machine reported before: its page reads its reports kept whole.
page=$(api "/api/v1/agents/$old")
[ "$(echo "$page" | jq -r .facts.os.pretty_name)" = "Debian GNU/Linux 12 (bookworm)" ] ||
	fail "the old machine's facts: $(echo "$page" | jq -c .facts.os)"
[ "$(echo "$page" | jq '[.findings[] | select(.check == "backup.recent")] | length')" = 5 ] ||
	fail "the old machine's findings"
srv agent report "$old" | jq -e '.seq == 2 and (.facts | has("backup"))' >/dev/null ||
	fail "its newest report, kept whole"
[ "$(api '/api/v1/alerts?status=open&check=backup.recent' | jq '.alerts | length')" = 3 ] ||
	fail "its open alerts"

# A machine enrolled now reports as ever.
finess=750712184
token
enroll_machine backup-too-old
"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
	2>"$tmp/run.err" || fail "a new agent: $(cat "$tmp/run.err")"
[ "$(db_query "SELECT encoding FROM reports WHERE agent_id = '$agent_id'")" = blocks ] ||
	fail "the new report"
[ "$(api '/api/v1/alerts?status=open&check=backup.recent' | jq '.alerts | length')" = 6 ] ||
	fail "open alerts after the new report"
[ "$(groups_astray)" = 0 ] || fail "alert groups astray: $(groups_astray)"
exit 0
