#!/bin/sh
# The daemons as systemd runs them: readiness, reload and stop over
# NOTIFY_SOCKET; and an agent told "busy, retry later" waits as told instead
# of coming back at its own backoff.
#
# Usage: service.sh AGENT SERVER NOTIFY_LISTEN
set -eu
AGENT=$1 SERVER=$2 LISTEN=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

# The collector: READY=1 once listening, STOPPING=1 on SIGTERM, exit 0.
"$LISTEN" "$tmp/server.sock" 2 20 >"$tmp/server.notify" 2>/dev/null &
listener=$!
sleep 0.3
export NOTIFY_SOCKET="$tmp/server.sock"
start_server
unset NOTIFY_SOCKET
kill -TERM "$server_pid"
wait "$server_pid" || fail "the collector did not stop cleanly"
server_pid=
wait $listener || fail "the collector's notifications: $(cat "$tmp/server.notify")"
[ "$(tr '\n' ' ' <"$tmp/server.notify")" = "READY=1 STOPPING=1 " ] ||
	fail "the collector said: $(cat "$tmp/server.notify")"

# The agent: READY=1, then RELOADING=1 and READY=1 on SIGHUP, STOPPING=1.
restart_server
token
mkdir -p "$tmp/root/etc"
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/a" --root "$tmp/root" >/dev/null || fail "enroll"
"$LISTEN" "$tmp/agent.sock" 4 30 >"$tmp/agent.notify" 2>/dev/null &
listener=$!
sleep 0.3
NOTIFY_SOCKET=$tmp/agent.sock "$AGENT" run --state "$tmp/a" --root "$tmp/root" --config /dev/null \
	2>"$tmp/agent.log" &
agent=$!
for i in $(seq 50); do
	grep -q '"last_delivery"' "$tmp/a/status.json" 2>/dev/null && break
	sleep 0.1
done
grep -q '"last_delivery"' "$tmp/a/status.json" || fail "no delivery: $(cat "$tmp/agent.log")"
kill -HUP $agent
sleep 0.5
kill -TERM $agent
wait $agent || fail "the agent did not stop cleanly: $(cat "$tmp/agent.log")"
wait $listener || fail "the agent's notifications: $(cat "$tmp/agent.notify")"
[ "$(tr '\n' ' ' <"$tmp/agent.notify")" = "READY=1 RELOADING=1 READY=1 STOPPING=1 " ] ||
	fail "the agent said: $(cat "$tmp/agent.notify")"

# Busy: every report is answered 503 with Retry-After (10 s or more); the
# agent, whose own backoff starts at 1 s, must wait as told.
stop_server
printf '[server]\nmax_backlog = 0\n' >"$tmp/busy.ini"
restart_server --config "$tmp/busy.ini"
printf '[agent]\nbackoff_min = 1\nbackoff_max = 2\n' >"$tmp/agent.ini"
"$AGENT" run --state "$tmp/a" --root "$tmp/root" --config "$tmp/agent.ini" 2>"$tmp/agent.log" &
agent=$!
sleep 6
kill -TERM $agent
wait $agent || true
tries=$(api /metrics | sed -n 's/^hygie_errors_total{kind="busy"} //p')
[ "$tries" = 1 ] || fail "the agent came back $tries times in 6 s despite Retry-After"
grep -q 'busy' "$tmp/a/status.json" || fail "status: $(cat "$tmp/a/status.json")"
[ "$(ls "$tmp/a/spool" | grep -c '\.report$')" = 1 ] || fail "the report left the spool"
exit 0
