#!/bin/sh
# Reports/s with 1, 2 and 3 collectors on one PostgreSQL behind haproxy in
# TCP mode, as tests/e2e/cluster.sh runs them, under bench/load.c's agents
# (64 connections, 200 agents). On a 2-core machine the nodes, haproxy, the
# load and PostgreSQL share the same cores: the figures show that nothing
# serialises across nodes beyond the database, not a linear gain.
#
# Usage: sudo bench/cluster.sh [SECONDS]   (after scripts/setup --test)
set -eu
cd "$(dirname "$0")/.."
here=$PWD
seconds=${1:-10}
if [ -z "${HYGIE_TEST_PG:-}" ]; then
	exec tests/pg.sh "$0" "$seconds"
fi
server=$here/build/bin/hygie-server
load=$here/build/hygie-load
[ -x "$server" ] || { echo "build first: scripts/setup" >&2; exit 1; }
command -v haproxy >/dev/null || { echo "haproxy is needed: scripts/setup --test" >&2; exit 1; }
cc -O2 -D_GNU_SOURCE -o "$load" bench/load.c -lssl -lcrypto -lz

tmp=$(mktemp -d)
pids=
stop() {
	[ -n "$pids" ] && kill $pids 2>/dev/null || true
	wait 2>/dev/null || true
	pids=
}
trap 'stop; rm -rf "$tmp"' EXIT
db="--database $HYGIE_TEST_PG"
port=$((20000 + $$ % 20000))
hport=$((port + 1))
# shellcheck disable=SC2086
"$server" init --data "$tmp/data" $db >/dev/null
# shellcheck disable=SC2086
"$server" establishment add --data "$tmp/data" $db --finess 750000010 --name Bench \
	--region IDF --department 75 >/dev/null
# shellcheck disable=SC2086
t=$("$server" token create --data "$tmp/data" $db --finess 750000010 --uses 100000 --json |
	sed -n 's/.*"token": "\(.*\)".*/\1/p')
printf '[server]\nmax_connections = 20000\nidle_timeout = 600\n' >"$tmp/server.ini"

# nodes N: N collectors on 127.0.0.11.., haproxy in front on $hport.
nodes() {
	stop
	printf 'defaults\n\tmode tcp\n\ttimeout connect 2s\n\ttimeout client 600s\n' >"$tmp/haproxy.cfg"
	printf '\ttimeout server 600s\nfrontend f\n\tbind 127.0.0.1:%s\n\tdefault_backend b\n' \
		$hport >>"$tmp/haproxy.cfg"
	printf 'backend b\n\tbalance leastconn\n' >>"$tmp/haproxy.cfg"
	for n in $(seq "$1"); do
		[ -d "$tmp/node$n" ] || cp -a "$tmp/data" "$tmp/node$n"
		# shellcheck disable=SC2086
		"$server" serve --data "$tmp/node$n" $db --listen 127.0.0.1$n:$port \
			--config "$tmp/server.ini" 2>>"$tmp/node$n.log" &
		pids="$pids $!"
		printf '\tserver n%s 127.0.0.1%s:%s\n' $n $n $port >>"$tmp/haproxy.cfg"
	done
	haproxy -f "$tmp/haproxy.cfg" -db 2>"$tmp/haproxy.log" &
	pids="$pids $!"
	sleep 1.5
}
run() {
	"$load" --port "$1" --ca "$tmp/data/ca.crt" --token "$t" --agents 200 --connections 64 \
		--seconds "$seconds" --mode reports 2>/dev/null | sed 's/ (report.*//'
}

echo "== 64 connections, 200 agents, ${seconds} s each"
stop
# shellcheck disable=SC2086
"$server" serve --data "$tmp/data" $db --listen 127.0.0.1:$port --config "$tmp/server.ini" \
	2>"$tmp/direct.log" &
pids=$!
sleep 1
printf '1 collector, no haproxy: '
run $port
for n in 1 2 3; do
	nodes $n
	printf '%s collector(s) behind haproxy: ' $n
	run $hport
done
