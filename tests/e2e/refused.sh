#!/bin/sh
# A report the collector will never take is an error, not a delivery: the
# collector refuses one spooled too large (413), another is over what it
# takes before it is even sent; `run --once` exits 1 and says so, `status`
# names the error, the report is set aside in spool/refused and the reports
# after it are delivered.
#
# Usage: refused.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token
enroll_machine backup-too-old

# run_once: one run; its exit status in $rc, its standard error in run.err.
run_once() {
	rc=0
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err" || rc=$?
}
seqs() {
	db_query "SELECT seq FROM reports WHERE agent_id = '$agent_id' ORDER BY rowid" | tr '\n' ' '
}
status_json() { "$AGENT" status --state "$state" --json; }

run_once
[ $rc = 0 ] || fail "first run: $(cat "$tmp/run.err")"

# A report spooled by an agent that kept to no limit: 10 MB once unpacked,
# which the collector refuses (413).
"$AGENT" check --root "$root" --policy "$policy" --json >"$tmp/r.json" || true
entry=00000000000000000002-3f.report
jq -c --arg a "$agent_id" '.agent.id = $a | .seq = 2 |
	.facts.patch.pending = [range(100000) | {package: "pkg\(.)", installed: "1.0-1",
		candidate: "1.0-2", arch: "amd64", security: false}]' "$tmp/r.json" |
	gzip -c >"$state/spool/$entry"
chmod 600 "$state/spool/$entry"
cp "$state/spool/$entry" "$tmp/planted"

run_once
[ $rc = 1 ] || fail "a refused report, exit status $rc: $(cat "$tmp/run.err")"
grep -q '^level=error msg="report refused, set aside" seq=2 .*error="HTTP 413: ' "$tmp/run.err" ||
	fail "no error logged: $(cat "$tmp/run.err")"
grep -q "^hygie-agent: 1 report(s) refused, set aside in $state/spool/refused; the last: HTTP 413: " \
	"$tmp/run.err" || fail "no word of the refusal: $(cat "$tmp/run.err")"
# Set aside as it was; the report of this run delivered after it.
cmp -s "$tmp/planted" "$state/spool/refused/$entry" || fail "not set aside: $(ls -R "$state/spool")"
[ -z "$(ls "$state/spool" | grep '\.report$' || true)" ] || fail "spool: $(ls "$state/spool")"
[ "$(seqs)" = "1 3 " ] || fail "stored seqs: $(seqs)"
status_json >"$tmp/status.json"
jq -e '(.last_error | startswith("report 2 refused (HTTP 413: ")) and .refused_reports == 1 and
	.last_refusal.seq == 2 and (.last_refusal.error | startswith("HTTP 413: ")) and
	.spool_reports == 0' "$tmp/status.json" >/dev/null || fail "status --json: $(cat "$tmp/status.json")"
"$AGENT" status --state "$state" >"$tmp/status.txt"
grep -q '^Last error:     report 2 refused (HTTP 413: ' "$tmp/status.txt" ||
	fail "status: $(cat "$tmp/status.txt")"
grep -q "^Refused:        1 report(s) the collector will not take, in $state/spool/refused\$" \
	"$tmp/status.txt" || fail "status: $(cat "$tmp/status.txt")"
grep -q '^Last refused:   report 2 on 20..-..-..T..:..:..Z: HTTP 413: ' "$tmp/status.txt" ||
	fail "status: $(cat "$tmp/status.txt")"

# The next run delivers; the refusal stays in status until looked at.
run_once
[ $rc = 0 ] || fail "run after the refusal: $(cat "$tmp/run.err")"
status_json >"$tmp/status.json"
jq -e '.last_error == null and .refused_reports == 1 and .last_refusal.seq == 2' \
	"$tmp/status.json" >/dev/null || fail "status --json: $(cat "$tmp/status.json")"

# Over what the collector takes as sent: set aside without being sent.
entry=00000000000000000005-3f.report
head -c 1200000 /dev/urandom >"$state/spool/$entry"
chmod 600 "$state/spool/$entry"
run_once
[ $rc = 1 ] || fail "a report over 1 MiB, exit status $rc: $(cat "$tmp/run.err")"
grep -q '^level=error msg="report refused, set aside" seq=5 .*error="1200000 bytes, over the 1048576 bytes the collector takes"' \
	"$tmp/run.err" || fail "no error logged: $(cat "$tmp/run.err")"
[ -f "$state/spool/refused/$entry" ] || fail "not set aside: $(ls -R "$state/spool")"
[ "$(seqs)" = "1 3 4 6 " ] || fail "stored seqs: $(seqs)"
status_json | jq -e '.refused_reports == 2 and .last_refusal.seq == 5' >/dev/null ||
	fail "status --json: $(status_json)"
echo "ok: refused reports are errors, set aside, and the rest is delivered"
