#!/bin/sh
# hygie-server on PostgreSQL ($HYGIE_TEST_PG, from pg.sh): several servers
# opening a new database at once migrate it once; establishments and tokens
# go in and come out as on SQLite.
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
[ "$(psql -At "$db" -c 'SELECT count(*), max(version) FROM schema_migrations')" = "13|13" ] ||
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
rc=0
"$server" establishment list --data "$tmp/data" --database "postgresql://nobody@127.0.0.1:1/x" \
	2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'postgresql: cannot connect' "$tmp/err" || fail "bad URL: $rc $(cat "$tmp/err")"
echo "server on PostgreSQL: as expected"
