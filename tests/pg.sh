#!/bin/sh
# Runs a command against a private PostgreSQL started for it on loopback, in
# a scratch directory, and stopped after: HYGIE_TEST_PG names its database,
# HYGIE_TEST_PG_RESTART a command that restarts the server (its sessions
# end, as when PostgreSQL itself restarts or fails over).
# Usage: pg.sh COMMAND [ARG...]   (as root: the server runs as "postgres")
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
tmp=$(mktemp -d)
chown postgres "$tmp"
as_pg() { runuser -u postgres -- "$@"; }
stop() {
	as_pg "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap stop EXIT
as_pg "$bin/initdb" -D "$tmp/data" -A trust -U postgres >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; exit 1; }
# A port may be taken (or held by connections in TIME_WAIT): try others.
for try in 1 2 3 4 5; do
	port=$((30000 + ($$ + try * 7919) % 20000))
	as_pg "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=on" start >/dev/null && break
	[ $try = 5 ] && { cat "$tmp/server.log" >&2; exit 1; }
done
as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hygie
HYGIE_TEST_PG="postgresql://postgres@127.0.0.1:$port/hygie"
cat >"$tmp/restart" <<EOT
#!/bin/sh
exec runuser -u postgres -- "$bin/pg_ctl" -D "$tmp/data" -m fast -w -t 60 restart >/dev/null
EOT
chmod +x "$tmp/restart"
HYGIE_TEST_PG_RESTART=$tmp/restart
export HYGIE_TEST_PG HYGIE_TEST_PG_RESTART
"$@"
