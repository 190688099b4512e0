#!/bin/sh
# Enroll -> report -> alerts open -> the machine is fixed -> next report ->
# alerts resolve; the spool keeps reports while the collector is down; a
# cloned disk is told apart.
#
# Usage: reporting.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token --uses 3

# The inspected machine: a fixture root with stale backups.
root=$tmp/root
mkdir -p "$root/etc"
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
echo poste-accueil >"$root/etc/hostname"
(cd "$root" && ROOT=$root sh "$roots/backup-too-old/setup")
policy=$roots/backup-too-old/policy.ini
state=$tmp/state

"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$state" --root "$root" >"$tmp/enroll.out" || fail "enroll"
grep -q "^Enrolled as agent" "$tmp/enroll.out" || fail "enroll said: $(cat "$tmp/enroll.out")"
[ "$(stat -c %a "$state/agent.key")" = 400 ] || fail "agent.key mode: readable by its owner alone"
[ "$(stat -c %a "$state/agent.crt")" = 600 ] || fail "agent.crt mode"
agent_id=$(jq -r .agent_id "$state/state.json")

run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err"
}

# Without its key the agent says so before trying to send anything.
mv "$state/agent.key" "$tmp/agent.key"
! run_once || fail "ran without its key"
grep -q "agent.key: No such file or directory; enroll again" "$tmp/run.err" ||
	fail "no key, said: $(cat "$tmp/run.err")"
[ ! -e "$state/spool" ] || [ -z "$(ls "$state/spool")" ] || fail "spooled without a key"
mv "$tmp/agent.key" "$state/agent.key"

run_once || fail "first run: $(cat "$tmp/run.err")"
got=$(open_alerts backup.recent | tr '\n' ' ')
[ "$got" = "nightly stale tiny " ] || fail "open backup.recent alerts: '$got'"
alert=$(api "/api/v1/alerts?check=backup.recent&status=open&limit=1" | jq -c '.alerts[0]')
for field in agent_id hostname finess check subject severity status opened_at; do
	echo "$alert" | jq -e "has(\"$field\")" >/dev/null || fail "alert without $field: $alert"
done
[ "$(echo "$alert" | jq -r .agent_id)" = "$agent_id" ] || fail "alert agent_id: $alert"
[ "$(echo "$alert" | jq -r .hostname)" = poste-accueil ] || fail "alert hostname: $alert"
[ "$(echo "$alert" | jq -r .finess)" = $finess ] || fail "alert finess: $alert"
[ "$(echo "$alert" | jq -r .resolved_at)" = null ] || fail "alert resolved_at: $alert"

# Another report of the same state keeps one alert per (agent, check, subject).
run_once || fail "second run"
[ "$(api '/api/v1/alerts?check=backup.recent' | jq '.alerts | length')" = 3 ] ||
	fail "alerts duplicated: $(api '/api/v1/alerts?check=backup.recent')"

# The machine is fixed: fresh and big enough backups.
for f in nightly/a.tar nightly/b.tar stale/s.tar tiny/t.tar; do
	truncate -s 2000000 "$root/var/backups/$f"
	touch "$root/var/backups/$f"
done
run_once || fail "run after the fix"
[ -z "$(open_alerts backup.recent)" ] || fail "still open: $(open_alerts backup.recent)"
[ "$(api '/api/v1/alerts?check=backup.recent&status=resolved' | jq '.alerts | length')" = 3 ] ||
	fail "not resolved: $(api '/api/v1/alerts?check=backup.recent')"
api '/api/v1/alerts?check=backup.recent&status=resolved' |
	jq -e '.alerts | all(.resolved_at != null)' >/dev/null || fail "resolved_at missing"
# Offsite copies are still missing: those alerts stay.
[ "$(open_alerts backup.offsite | wc -l)" = 5 ] || fail "offsite alerts: $(open_alerts backup.offsite)"

# Filters.
[ "$(api "/api/v1/agents?finess=$finess" | jq -r '.agents[0].id')" = "$agent_id" ] ||
	fail "agents by finess"
[ "$(api '/api/v1/agents?region=Bretagne' | jq '.agents | length')" = 0 ] || fail "agents by region"
[ "$(api '/api/v1/establishments?department=75' | jq -r '.establishments[0].finess')" = $finess ] ||
	fail "establishments by department"
api '/api/v1/alerts?status=bogus' | jq -e '.error.code == "bad_request"' >/dev/null ||
	fail "a bad status filter is not refused"

# The collector is down: reports wait in the spool, then all arrive.
stop_server
for i in 1 2 3; do
	if run_once; then fail "delivered with the collector down"; fi
done
grep -q "kept in" "$tmp/run.err" || fail "no word of the spool: $(cat "$tmp/run.err")"
[ "$(ls "$state/spool" | grep -c '\.report$')" = 3 ] || fail "spool: $(ls "$state/spool")"
"$AGENT" status --state "$state" --json | jq -e '.spool_reports == 3' >/dev/null ||
	fail "status: $("$AGENT" status --state "$state" --json)"
before=$(db_query 'SELECT count(*) FROM reports')
restart_server
run_once || fail "run after the outage: $(cat "$tmp/run.err")"
after=$(db_query 'SELECT count(*) FROM reports')
[ $((after - before)) = 4 ] || fail "stored after the outage: $((after - before)), expected 4"
[ -z "$(ls "$state/spool" | grep '\.report$' || true)" ] || fail "spool not drained"
"$AGENT" status --state "$state" --json | jq -e '.last_delivery != null and .spool_reports == 0' \
	>/dev/null || fail "status after delivery"

# A cloned disk: the agent refuses state made on another machine...
echo fedcba9876543210fedcba9876543210 >"$root/etc/machine-id"
if run_once; then fail "ran on state from another machine"; fi
grep -q "another machine" "$tmp/run.err" || fail "clone message: $(cat "$tmp/run.err")"
# ...and the collector, shown one certificate from two machines, says so
# (state that did not record its machine runs, as after an old enrollment).
jq '.machine = ""' "$state/state.json" >"$tmp/s.json" && cp "$tmp/s.json" "$state/state.json"
run_once || fail "run with the clone's identity: $(cat "$tmp/run.err")"
dup=$(api "/api/v1/alerts?check=agent.duplicate&status=open" | jq -r '.alerts | length')
[ "$dup" = 1 ] || fail "agent.duplicate: $(api '/api/v1/alerts?check=agent.duplicate')"
# The clone's findings do not touch the original's alerts.
[ "$(open_alerts backup.offsite | wc -l)" = 5 ] || fail "the clone changed the alerts"
[ "$(groups_astray)" = 0 ] || fail "alert_groups: $(groups_astray) groups astray"
