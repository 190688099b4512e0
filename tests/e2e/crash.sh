#!/bin/sh
# kill -9 the collector again and again while agents stream reports, and
# restart it: every report acknowledged is stored, every report is stored
# exactly once. Then a long outage: real agents spool every cycle, and all
# of it arrives once the collector is back.
#
# Usage: crash.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

agents=6 reports=25
start_server
token --uses $agents
mkdir -p "$tmp/root/etc"
for a in $(seq $agents); do
	"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
		--state "$tmp/a$a" --root "$tmp/root" >/dev/null || fail "enroll $a"
done
"$AGENT" check --root "$tmp/root" --json --only os,backup >"$tmp/report.json" || true

# stream A: REPORTS reports, each retried until acknowledged; ids acknowledged
# go to acked.A.
stream() {
	id=$(jq -r .agent_id "$tmp/a$1/state.json")
	for n in $(seq $reports); do
		rid=$(printf '%08x-0000-4000-8000-%012x' "$1" "$n")
		jq --arg a "$id" --arg r "$rid" --argjson n "$n" \
			'.agent.id = $a | .report_id = $r | .seq = $n' "$tmp/report.json" |
			gzip >"$tmp/r$1.gz"
		while :; do
			code=$(curl -s --max-time 5 --cacert "$data/ca.crt" --cert "$tmp/a$1/agent.crt" \
				--key "$tmp/a$1/agent.key" -H 'Content-Type: application/json' \
				-H 'Content-Encoding: gzip' --data-binary @"$tmp/r$1.gz" -o /dev/null \
				-w '%{http_code}' "$url/api/v1/reports" || true)
			case $code in
			200 | 201) echo "$rid" >>"$tmp/acked.$1"; break ;;
			*) sleep 0.1 ;;
			esac
		done
	done
}
pids=
for a in $(seq $agents); do
	stream $a &
	pids="$pids $!"
done
kills=0
while [ $kills -lt 6 ]; do
	sleep 0.7
	kill -9 "$server_pid" 2>/dev/null || true
	wait "$server_pid" 2>/dev/null || true
	server_pid=
	kills=$((kills + 1))
	restart_server
done
wait $pids

want=$((agents * reports))
acked=$(cat "$tmp"/acked.* | sort -u | wc -l)
[ "$acked" = $want ] || fail "acknowledged $acked of $want"
stored=$(db_query 'SELECT count(*) FROM reports')
distinct=$(db_query 'SELECT count(DISTINCT report_id) FROM reports')
[ "$stored" = $want ] && [ "$distinct" = $want ] ||
	fail "stored $stored ($distinct distinct), expected $want exactly once"
cat "$tmp"/acked.* | sort -u >"$tmp/acked"
db_query 'SELECT report_id FROM reports' | sort >"$tmp/stored"
cmp -s "$tmp/acked" "$tmp/stored" || fail "acknowledged but not stored: $(comm -23 "$tmp/acked" "$tmp/stored" | head -3)"
echo "$want reports through $kills kill -9, each stored once"

# A long outage: three real cycles spooled by each agent, all delivered.
stop_server
before=$stored
for cycle in 1 2 3; do
	for a in 1 2 3; do
		if "$AGENT" run --once --state "$tmp/a$a" --root "$tmp/root" --config /dev/null \
			2>/dev/null; then
			fail "delivered while the collector is down"
		fi
	done
done
restart_server
for a in 1 2 3; do
	"$AGENT" run --once --state "$tmp/a$a" --root "$tmp/root" --config /dev/null 2>"$tmp/err" ||
		fail "agent $a after the outage: $(cat "$tmp/err")"
done
after=$(db_query 'SELECT count(*) FROM reports')
[ $((after - before)) = 12 ] || fail "after the outage: $((after - before)) stored, expected 12"
exit 0
