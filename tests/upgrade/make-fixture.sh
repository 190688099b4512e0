#!/bin/sh
# Makes the upgrade test's fixture: a collector's database as the previous
# release leaves it, on SQLite and on PostgreSQL, as SQL. Build that release
# first, e.g. from the commit before the schema changed:
#   git worktree add /tmp/prev COMMIT
#   cmake -S /tmp/prev -B /tmp/prev/build && cmake --build /tmp/prev/build
#   tests/upgrade/make-fixture.sh /tmp/prev/build/bin tests/upgrade
# Usage: make-fixture.sh BIN_DIR OUT_DIR   (as root, after scripts/setup --test)
set -eu
bin=$(cd "$1" && pwd) out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)

if [ -z "${HYGIE_TEST_PG:-}" ]; then
	tmp=$(mktemp -d)
	place=
else
	tmp=$HYGIE_FIXTURE_TMP
	place="--database $HYGIE_TEST_PG"
fi
trap '[ -n "${pid:-}" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
data=$tmp/data
# shellcheck disable=SC2086
{
	"$bin/hygie-server" init --data "$data" $place >/dev/null
	"$bin/hygie-server" establishment add --data "$data" $place --finess 750712184 \
		--name "EHPAD Les Tilleuls" --region "Île-de-France" --department 75 >/dev/null
	echo "correct horse battery staple" | "$bin/hygie-server" user add --data "$data" $place \
		--login claire --role regional --region "Île-de-France" --password-stdin >/dev/null
	tok=$("$bin/hygie-server" token create --data "$data" $place --finess 750712184 --json)
	port=$((20000 + $$ % 20000))
	"$bin/hygie-server" serve --data "$data" $place --listen 127.0.0.1:$port 2>"$tmp/log" &
	pid=$!
}
for _ in $(seq 50); do
	curl -sf --cacert "$data/ca.crt" "https://127.0.0.1:$port/healthz" >/dev/null && break
	sleep 0.1
done
root=$tmp/root
mkdir -p "$root/etc"
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' \
	>"$root/etc/os-release"
(cd "$root" && ROOT=$root sh "$here/tests/roots/backup-too-old/setup")
"$bin/hygie-agent" enroll --server "https://127.0.0.1:$port" \
	--token "$(echo "$tok" | jq -r .token)" --ca-fingerprint "$(echo "$tok" | jq -r .ca_fingerprint)" \
	--state "$tmp/state" --root "$root" >/dev/null
for _ in 1 2; do
	HYGIE_LOG_QUIET=1 "$bin/hygie-agent" run --once --state "$tmp/state" --root "$root" \
		--policy "$here/tests/roots/backup-too-old/policy.ini" --config /dev/null
done
kill $pid
wait $pid 2>/dev/null || true
pid=
if [ -z "${HYGIE_TEST_PG:-}" ]; then
	sqlite3 "$data/hygie.db" .dump >"$out/sqlite.sql"
	HYGIE_FIXTURE_TMP=$(mktemp -d) "$here/tests/pg.sh" "$0" "$bin" "$out"
else
	pg_dump --no-owner --no-privileges "$HYGIE_TEST_PG" >"$out/postgresql.sql"
fi
