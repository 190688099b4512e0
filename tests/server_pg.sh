#!/bin/sh
# hygie-server on PostgreSQL ($HYGIE_TEST_PG, from pg.sh): several servers
# opening a new database at once migrate it once; establishments and tokens
# go in and come out as on SQLite; alert_groups stays true under
# concurrent writes; a newer schema is refused.
# Usage: pg.sh server_pg.sh SERVER
set -eu
server=$1
db=$HYGIE_TEST_PG
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
"$server" init --data "$tmp/data" --database "$db" >/dev/null
# Four processes racing on the schema: each must succeed.
pids=
for i in 1 2 3 4; do
	"$server" establishment list --data "$tmp/data" --database "$db" >"$tmp/race$i" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "a concurrent open failed: $(cat "$tmp"/race*)"; done
[ "$(psql -At "$db" -c 'SELECT count(*), max(version) FROM schema_migrations')" = "17|17" ] ||
	fail "migrations: $(psql -At "$db" -c 'SELECT * FROM schema_migrations')"
"$server" establishment add --data "$tmp/data" --database "$db" --finess 2B0001234 \
	--name "FAM Bastia" --region Corse --department 2B >/dev/null
rc=0
"$server" establishment add --data "$tmp/data" --database "$db" --finess 2B0001234 \
	--name Again --region Corse --department 2B 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'already registered' "$tmp/err" || fail "duplicate on PostgreSQL: $rc"
tok=$("$server" token create --data "$tmp/data" --database "$db" --finess 2B0001234 --uses 5 --json |
	jq -r .token)
hash=$(printf %s "$tok" | sha256sum | cut -d' ' -f1)
[ "$(psql -At "$db" -c "SELECT finess, uses_left FROM enrollment_tokens WHERE hash = '$hash'")" = "2B0001234|5" ] ||
	fail "token row"
[ "$("$server" establishment list --data "$tmp/data" --database "$db" --json | jq -c '[.establishments[].name]')" = '["FAM Bastia"]' ] ||
	fail "list on PostgreSQL"

# Eight sessions at once opening, acknowledging and resolving alerts of the
# same two groups, in either order: alert_groups counts them as they are.
for i in 1 2 3 4 5 6 7 8; do
	echo "INSERT INTO agents (id, finess, hostname, enrolled_at) VALUES ('race-$i', '2B0001234', 'h$i', 0);"
done | psql -q -v ON_ERROR_STOP=1 "$db" || fail "race agents"
race() { # SESSION: forty transactions
	for k in $(seq 40); do
		a=race.a b=race.b
		[ $(((k + $1) % 2)) = 0 ] && a=race.b b=race.a
		echo "BEGIN;"
		for c in $a $b; do
			echo "INSERT INTO alerts (agent_id, finess, check_id, subject, severity, summary,
			  status, opened_at, last_seen, last_seq) VALUES ('race-$(((k % 8) + 1))',
			  '2B0001234', '$c', 's$1-$k', '$(echo critical high medium low | cut -d' ' -f$((k % 4 + 1)))',
			  'x', 'open', $k, $k, 0);"
		done
		echo "UPDATE alerts SET status = 'acknowledged' WHERE subject = 's$1-$((k - 1))';"
		echo "UPDATE alerts SET status = 'resolved' WHERE subject = 's$1-$((k - 3))';"
		echo "COMMIT;"
	done | psql -q "$db" >/dev/null 2>"$tmp/race-sql$1"
}
pids=
for i in 1 2 3 4 5 6 7 8; do
	race $i &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done
astray=$(psql -At "$db" -f "$(dirname "$0")/groups_astray.sql")
groups=$(psql -At "$db" -c "SELECT count(*) FROM alert_groups WHERE check_id LIKE 'race.%'")
! grep -h ERROR "$tmp"/race-sql* || fail "concurrent writes to alerts failed"
[ "$astray" = 0 ] && [ "$groups" -ge 2 ] ||
	fail "alert_groups under concurrent writes: $astray astray of $groups"
rc=0
"$server" establishment list --data "$tmp/data" --database "postgresql://nobody@127.0.0.1:1/x" \
	2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'postgresql: cannot connect' "$tmp/err" || fail "bad URL: $rc $(cat "$tmp/err")"
# A database from a newer hygie-server is refused, not damaged.
psql -q "$db" -c 'INSERT INTO schema_migrations (version) VALUES (99)'
rc=0
"$server" establishment list --data "$tmp/data" --database "$db" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'is newer than this hygie-server knows' "$tmp/err" ||
	fail "newer schema on PostgreSQL: exit $rc $(cat "$tmp/err")"
psql -q "$db" -c 'DELETE FROM schema_migrations WHERE version = 99'
[ "$("$server" establishment list --data "$tmp/data" --database "$db" --json |
	jq -r '.establishments[0].name')" = "FAM Bastia" ] || fail "the refused database changed"
echo "server on PostgreSQL: as expected"
