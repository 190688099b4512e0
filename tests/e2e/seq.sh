#!/bin/sh
# An agent's report numbers (seq) only grow: runs of one state directory at
# once take turns or step aside with a clear word, a backlog drained at full
# pace leaves status.json whole, and a status.json gone or damaged does not
# number reports from 1 again.
#
# Usage: seq.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token
enroll_machine backup-too-old
printf '[agent]\ndrain_per_minute = 1000000\nbackoff_min = 1\n' >"$tmp/agent.ini"

# run_once NAME: one run, its standard error in $tmp/NAME.err; its status.
run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" \
		--config "$tmp/agent.ini" 2>"$tmp/$1.err"
}

# seqs: the seqs the collector stored for this agent, in the order received.
seqs() {
	db_query "SELECT seq FROM reports WHERE agent_id = '$agent_id' ORDER BY rowid"
}

# check_seqs WHEN: every seq stored once, each above the one before.
check_seqs() {
	seqs >"$tmp/seqs"
	sort -n -u "$tmp/seqs" | cmp -s - "$tmp/seqs" ||
		fail "$1: seqs repeat or go back: $(tr '\n' ' ' <"$tmp/seqs")"
}

no_status_lost() {
	if grep -h 'status not saved' "$tmp"/*.err; then
		fail "$1: status not saved"
	fi
	jq -e '.seq > 0' "$state/status.json" >/dev/null ||
		fail "$1: status.json: $(cat "$state/status.json")"
}

# Three runs at once, again and again: each delivers, or steps aside saying
# another run has the state directory.
for w in 1 2 3; do
	(
		for i in 1 2 3 4 5 6; do
			if ! run_once "w$w-$i"; then
				grep -q 'another hygie-agent run' "$tmp/w$w-$i.err" ||
					echo "w$w-$i: $(cat "$tmp/w$w-$i.err")" >>"$tmp/unexpected"
			fi
		done
	) &
	workers="${workers:-} $!"
done
for pid in $workers; do wait "$pid"; done
[ ! -s "$tmp/unexpected" ] || fail "runs at once: $(cat "$tmp/unexpected")"
[ -n "$(seqs)" ] || fail "nothing delivered"
check_seqs "runs at once"
no_status_lost "runs at once"
cp -a "$state" "$tmp/backup"

# A backlog, then drained at full pace: a status write per report, each
# while the next report is sent.
stop_server
for i in $(seq 30); do
	if run_once "down-$i"; then fail "delivered with the collector down"; fi
done
[ "$(ls "$state/spool" | grep -c '\.report$')" = 30 ] || fail "spool: $(ls "$state/spool")"
restart_server
for i in 1 2 3; do
	run_once "drain-$i" || fail "drain: $(cat "$tmp/drain-$i.err")"
done
check_seqs "a backlog drained"
no_status_lost "a backlog drained"

# status.json gone, or left damaged: the numbers go on from the last one.
last=$(seqs | tail -n 1)
rm "$state/status.json"
run_once gone || fail "run without status.json: $(cat "$tmp/gone.err")"
printf '{"seq": 1, "next_run' >"$state/status.json"
run_once damaged || fail "run with a damaged status.json: $(cat "$tmp/damaged.err")"
check_seqs "status.json gone or damaged"
[ "$(seqs | tail -n 1)" -gt "$last" ] || fail "numbered again from $(seqs | tail -n 1)"
"$AGENT" status --state "$state" --json | jq -e '.last_delivery != null' >/dev/null ||
	fail "status: $("$AGENT" status --state "$state" --json)"
# The state directory restored from an old backup: its first report is
# stored as superseded, and numbering goes on after the collector's newest,
# so the next report counts again.
newest=$(seqs | sort -n | tail -n 1)
rm -rf "$state"
cp -a "$tmp/backup" "$state"
run_once restored || fail "run of a restored state: $(cat "$tmp/restored.err")"
run_once restored-next || fail "the next run: $(cat "$tmp/restored-next.err")"
[ "$(db_query "SELECT last_seq FROM agents WHERE id = '$agent_id'")" = $((newest + 1)) ] ||
	fail "after a restore: last_seq $(db_query "SELECT last_seq FROM agents WHERE id = '$agent_id'"), newest was $newest"
echo "ok: seqs only grow, status.json stays whole"
