#!/bin/sh
# Backups of a collector on SQLite: a consistent copy taken while an agent
# reports, 0600 since it holds the CA key; restored into a new data
# directory, it serves, and the agent enrolled before goes on reporting
# with its certificate. A backup is not written over, a restore takes only
# a new directory, and what is not a backup is refused.
#
# Usage: backup.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token
enroll_machine backup-too-old
run() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null "$@"
}
run 2>"$tmp/run.err" || fail "run: $(cat "$tmp/run.err")"

# Under load: the agent reports again and again while the backup is taken.
(for _ in $(seq 20); do run >/dev/null 2>&1 || true; done) &
load=$!
sleep 0.5
srv backup --to "$tmp/hygie.backup" >"$tmp/out" 2>&1 || fail "backup: $(cat "$tmp/out")"
wait $load
[ "$(stat -c %a "$tmp/hygie.backup")" = 600 ] || fail "backup mode $(stat -c %a "$tmp/hygie.backup")"
[ ! -e "$tmp/hygie.backup.partial" ] || fail "a partial backup left"
[ "$(sqlite3 "$tmp/hygie.backup" 'PRAGMA integrity_check')" = ok ] || fail "backup damaged"
taken=$(sqlite3 "$tmp/hygie.backup" 'SELECT count(*) FROM reports')
[ "$taken" -ge 2 ] || fail "reports in the backup: $taken"
before=$(db_query 'SELECT count(*) FROM reports')
[ "$before" -ge "$taken" ] || fail "the backup holds more than the collector"
! srv backup --to "$tmp/hygie.backup" 2>"$tmp/err" || fail "a backup written over"
grep -q "already there" "$tmp/err" || fail "said: $(cat "$tmp/err")"
! "$SERVER" backup --data "$data" --database postgresql://localhost/x --to "$tmp/pg" \
	2>"$tmp/err" || fail "a PostgreSQL backup"
grep -q "pg_dump" "$tmp/err" || fail "PostgreSQL: $(cat "$tmp/err")"
stop_server

# Restored into a new directory: the keys with their modes, none left in
# the database.
new=$tmp/restored
"$SERVER" restore --data "$new" --from "$tmp/hygie.backup" >"$tmp/out" 2>&1 ||
	fail "restore: $(cat "$tmp/out")"
for f in ca.key ca.crt server.key server.crt; do
	cmp -s "$data/$f" "$new/$f" || fail "$f differs"
	[ "$(stat -c %a "$new/$f")" = "$(stat -c %a "$data/$f")" ] || fail "$f mode"
done
[ "$(stat -c %a "$new")" = 700 ] || fail "directory mode $(stat -c %a "$new")"
[ "$(sqlite3 "$new/hygie.db" "SELECT count(*) FROM sqlite_master WHERE name = 'hygie_backup'")" = 0 ] ||
	fail "the keys' table restored"
key=$(sed -n 2p "$data/ca.key")
! grep -qF "$key" "$new/hygie.db" || fail "the CA key is left in the database"
[ "$(sqlite3 "$new/hygie.db" 'SELECT count(*) FROM reports')" = "$taken" ] || fail "reports restored"
! "$SERVER" restore --data "$new" --from "$tmp/hygie.backup" 2>"$tmp/err" || fail "restored over"
grep -q "not empty" "$tmp/err" || fail "said: $(cat "$tmp/err")"
echo "not a backup" >"$tmp/junk"
! "$SERVER" restore --data "$tmp/other" --from "$tmp/junk" 2>"$tmp/err" || fail "junk restored"
grep -q "not a hygie-server backup" "$tmp/err" || fail "junk: $(cat "$tmp/err")"

# It serves, where the agent expects it, and the agent goes on.
data=$new
restart_server
run 2>"$tmp/run.err" || fail "after the restore: $(cat "$tmp/run.err")"
[ "$(db_query 'SELECT count(*) FROM reports')" = $((taken + 1)) ] || fail "reports after the restore"
page=$(api "/api/v1/agents/$agent_id")
[ "$(echo "$page" | jq '.findings | length')" -ge 20 ] || fail "the machine's page"
exit 0
