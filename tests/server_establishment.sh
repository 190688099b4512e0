#!/bin/sh
# hygie-server establishment add/list and token create on the embedded SQLite store: FINESS
# numbers checked (key, département, Corsica), duplicates refused, the store
# durable (WAL, migrations recorded) and a newer schema refused.
# Usage: server_establishment.sh SERVER
set -eu
server=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
d=$tmp/data
"$server" init --data "$d" >/dev/null
add() { "$server" establishment add --data "$d" "$@" >"$tmp/out" 2>"$tmp/err"; }

add --finess 750712184 --name "EHPAD Les Tilleuls" --region "Île-de-France" --department 75 --json ||
	fail "add: $(cat "$tmp/err")"
jq -e '.finess == "750712184" and .name == "EHPAD Les Tilleuls" and .region == "Île-de-France"' \
	"$tmp/out" >/dev/null || fail "add --json: $(cat "$tmp/out")"
add --finess 2A0000012 --name "SSIAD Ajaccio" --region Corse --department 2A || fail "Corsica refused"
rc=0
add --finess 750712185 --name X --region Y --department 75 || rc=$?
[ "$rc" = 2 ] || fail "a wrong Luhn key: exit $rc"
grep -q 'FINESS 750712185: the check digit (Luhn key) is wrong' "$tmp/err" || fail "key message"
rc=0
add --finess 130786049 --name X --region Y --department 75 || rc=$?
[ "$rc" = 2 ] && grep -q 'is not in département 75' "$tmp/err" || fail "département mismatch accepted"
rc=0
add --finess 750712184 --name Again --region Y --department 75 || rc=$?
[ "$rc" = 1 ] && grep -q 'establishment 750712184 is already registered' "$tmp/err" ||
	fail "duplicate: exit $rc $(cat "$tmp/err")"

"$server" establishment list --data "$d" --json >"$tmp/list"
[ "$(jq -c '[.establishments[].finess]' "$tmp/list")" = '["2A0000012","750712184"]' ] ||
	fail "list: $(cat "$tmp/list")"
[ "$(sqlite3 "$d/hygie.db" 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"
# Space that retention frees can go back to the file system.
[ "$(sqlite3 "$d/hygie.db" 'PRAGMA auto_vacuum')" = 2 ] || fail "auto_vacuum is not incremental"
[ "$(sqlite3 "$d/hygie.db" 'SELECT max(version) FROM schema_migrations')" = 17 ] || fail "migrations"
# A database the engine's own migrations left at 8 takes the shared ones,
# and its open alerts are counted into alert_groups.
sqlite3 "$d/hygie.db" <<'EOF'
DROP TABLE duties; ALTER TABLE alerts DROP COLUMN summary_fr;
ALTER TABLE agents DROP COLUMN os; ALTER TABLE agents DROP COLUMN model;
ALTER TABLE agents DROP COLUMN ram_mib; ALTER TABLE agents DROP COLUMN disk;
ALTER TABLE agents DROP COLUMN disk_gb; ALTER TABLE alerts DROP COLUMN remediation;
ALTER TABLE alerts DROP COLUMN remediation_fr; DROP INDEX alerts_rank;
DROP INDEX alerts_place; DROP INDEX alerts_groups; DROP TABLE alert_groups;
DROP TRIGGER alert_groups_insert; DROP TRIGGER alert_groups_update; DROP TRIGGER alert_groups_delete;
ALTER TABLE users DROP COLUMN lang; DROP TABLE blocks; DROP INDEX reports_whole;
DROP INDEX reports_received; ALTER TABLE machine_days DROP COLUMN equipment;
ALTER TABLE machine_days DROP COLUMN os_supported; ALTER TABLE establishment_days DROP COLUMN to_replace;
ALTER TABLE establishment_days DROP COLUMN to_upgrade;
ALTER TABLE establishment_days DROP COLUMN os_unsupported;
DELETE FROM schema_migrations WHERE version > 8;
INSERT INTO alerts (finess, check_id, subject, severity, summary, status, opened_at,
  last_seen, last_seq) VALUES ('750712184', 'plan.exercise', '', 'high', 'x', 'open', 5, 5, 0);
EOF
"$server" establishment list --data "$d" >/dev/null || fail "reopening at version 8"
[ "$(sqlite3 "$d/hygie.db" 'SELECT max(version) FROM schema_migrations;
	SELECT count(*) FROM duties; SELECT count(summary_fr) FROM alerts;
	SELECT finess, check_id, high, machines, oldest FROM alert_groups')" = "17
0
0
750712184|plan.exercise|1|0|5" ] || fail "migrating from 8"

# Tokens: printed once, stored hashed, bound to a registered establishment.
fp=$("$server" token create --data "$d" --finess 750712184 --json | tee "$tmp/tok" | jq -r .ca_fingerprint)
tok=$(jq -r .token "$tmp/tok")
echo "$tok" | grep -Eq '^hye_[A-Za-z0-9_-]{43}$' || fail "token shape: $tok"
want=$(openssl x509 -in "$d/ca.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
[ "$fp" = "sha256:$want" ] || fail "token create fingerprint $fp"
api=$("$server" api-token create --data "$d" --json | jq -r .token)
echo "$api" | grep -Eq '^hya_[A-Za-z0-9_-]{43}$' || fail "API token shape: $api"
sqlite3 "$d/hygie.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
if cat "$d"/hygie.db* | grep -aq -e "$tok" -e "$api"; then fail "a token is stored in clear"; fi
hash=$(printf %s "$tok" | sha256sum | cut -d' ' -f1)
[ "$(sqlite3 "$d/hygie.db" "SELECT uses_left FROM enrollment_tokens WHERE hash = '$hash'")" = 1 ] ||
	fail "the token's hash is not what was stored"
rc=0
"$server" token create --data "$d" --finess 690781810 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'no establishment 690781810: add it first' "$tmp/err" ||
	fail "token for an unknown establishment: exit $rc $(cat "$tmp/err")"
rc=0
"$server" token create --data "$d" --finess 750712184 --expires 3 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "--expires 3 accepted"

# Revoking an agent (enrolled by hand here) stamps it once.
sqlite3 "$d/hygie.db" "INSERT INTO agents (id, finess, hostname, enrolled_at) VALUES ('a-1', '750712184', 'poste', 1)"
"$server" agent revoke --data "$d" a-1 >/dev/null || fail "revoke"
[ "$(sqlite3 "$d/hygie.db" "SELECT revoked_at > 1 FROM agents WHERE id = 'a-1'")" = 1 ] || fail "not revoked"
rc=0
"$server" agent revoke --data "$d" nobody 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'no agent nobody' "$tmp/err" || fail "unknown agent: $rc $(cat "$tmp/err")"

# A database from a newer hygie-server is refused, not damaged.
sqlite3 "$d/hygie.db" 'INSERT INTO schema_migrations (version) VALUES (99)'
rc=0
"$server" establishment list --data "$d" 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'is newer than this hygie-server knows' "$tmp/err" ||
	fail "newer schema: exit $rc $(cat "$tmp/err")"
echo "server establishments: as expected"
