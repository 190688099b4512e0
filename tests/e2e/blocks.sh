#!/bin/sh
# What the collector keeps of a machine: each family's facts and each
# check's findings once, as blocks, for as long as they do not change; a
# report of the same state adds only its envelope. A change replaces the
# block it touches, the machine page shows the newest, and "agent report"
# gives a report back as it stood.
#
# Usage: blocks.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token
enroll_machine backup-too-old
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' \
	>"$root/etc/os-release"
run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err" || fail "run: $(cat "$tmp/run.err")"
}
blocks() { db_query "SELECT count(*) FROM blocks WHERE agent_id = '$agent_id' $1"; }

metric() { api /metrics | awk -v m="$1" '$1 == m { print $2 }'; }

run_once
[ "$(jq .collector_cuts "$state/sent.json")" = true ] || fail "sent.json: $(cat "$state/sent.json")"
whole=$(metric hygie_report_bytes_total)
first=$(blocks "")
[ "$first" -ge 20 ] || fail "blocks of the first report: $first"
[ "$(blocks "AND replaced_at IS NULL")" = "$first" ] || fail "a first block replaced"
# The next report, held in the spool while the collector is down, carries
# each block it sent as its digest: no facts, findings without evidence.
stop_server
"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
	2>/dev/null && fail "delivered to a stopped collector"
set -- "$state"/spool/*
[ $# = 1 ] || fail "spooled: $*"
gzip -dc "$1" >"$tmp/cut.json"
[ "$(jq -c '[(.facts | length), (.unchanged | length), ([.findings[] | select(has("evidence"))] |
	length), (.unchanged.os | test("^[0-9a-f]{16}$"))]' "$tmp/cut.json")" = "[0,$first,0,true]" ] ||
	fail "the report cut: $(jq -c '[.facts, .unchanged]' "$tmp/cut.json")"
[ "$(stat -c %s "$1")" -lt "$whole" ] || fail "cut: $(stat -c %s "$1") bytes, whole: $whole"
restart_server
run_once
[ "$(blocks "")" = "$first" ] || fail "the same state added blocks: $first, then $(blocks "")
$(db_query "SELECT name, seq FROM blocks WHERE seq > 1")"
got=$(db_query "SELECT encoding, CASE WHEN length(body) < 1024 THEN 'small' ELSE 'large' END
	FROM reports WHERE agent_id = '$agent_id' ORDER BY seq" | sort | uniq -c | tr -s ' ')
[ "$got" = " 3 blocks|small" ] || fail "reports kept: $got"

# A new release: the os facts change, and the findings that read them.
sed -i 's/(bookworm)/(bookworm, marked)/' "$root/etc/os-release"
run_once
[ "$(blocks "AND name = 'os'")" = 2 ] || fail "os blocks: $(blocks "AND name = 'os'")"
[ "$(blocks "AND name = 'os' AND replaced_at IS NULL AND seq = 4")" = 1 ] ||
	fail "the newest os block is not the latest"
[ "$(blocks "AND name = 'patch'")" = 1 ] || fail "unchanged patch facts kept again"
page=$(api "/api/v1/agents/$agent_id")
[ "$(echo "$page" | jq -r .facts.os.pretty_name)" = "Debian GNU/Linux 12 (bookworm, marked)" ] ||
	fail "the page's os: $(echo "$page" | jq -c .facts.os)"
got=$(echo "$page" | jq -c '[.findings[] | select(.check == "backup.recent") | .subject]')
[ "$got" = '["nightly","weekly","stale","tiny","single"]' ] || fail "the page's backup.recent: $got"

# A collector that lacks a block (restored from an older backup, say) asks
# for it, and the next report carries it whole.
db_query "DELETE FROM blocks WHERE agent_id = '$agent_id' AND name IN ('patch', 'firewall.enabled')"
run_once
[ "$(metric hygie_blocks_resend_total)" = 2 ] || fail "resend asked: $(metric hygie_blocks_resend_total)"
[ "$(jq '.blocks | has("patch")' "$state/sent.json")" = false ] || fail "patch still said sent"
run_once
[ "$(blocks "AND name IN ('patch', 'firewall.enabled') AND replaced_at IS NULL AND seq = 6")" = 2 ] ||
	fail "blocks sent again: $(db_query "SELECT name, seq FROM blocks WHERE seq > 4")"
[ "$(metric hygie_blocks_resend_total)" = 2 ] || fail "resend asked again"
page=$(api "/api/v1/agents/$agent_id")
[ "$(echo "$page" | jq '.facts.patch | type')" = '"object"' ] || fail "the page lacks patch facts"

# A damaged sent.json: the next report goes whole, and adds no block.
held=$(blocks "")
printf '{"agent_id": "%s", "blo' "$agent_id" >"$state/sent.json"
run_once
[ "$(blocks "")" = "$held" ] || fail "a whole report of the same state added blocks"
[ "$(jq .collector_cuts "$state/sent.json")" = true ] || fail "sent.json not made again"

# A report back: the newest, and the first as it stood.
srv agent report "$agent_id" >"$tmp/newest.json" || fail "agent report"
[ "$(jq -r '.seq, .facts.os.pretty_name, (.policy.revision | type)' "$tmp/newest.json" |
	tr '\n' '|')" = "7|Debian GNU/Linux 12 (bookworm, marked)|number|" ] ||
	fail "the newest report: $(jq -c '[.seq, .facts.os.pretty_name, .policy]' "$tmp/newest.json")"
srv agent report "$agent_id" --seq 1 >"$tmp/first.json" || fail "agent report --seq 1"
[ "$(jq -r '.seq, .facts.os.pretty_name' "$tmp/first.json" | tr '\n' '|')" = \
	"1|Debian GNU/Linux 12 (bookworm)|" ] || fail "the first report: $(jq -c .facts.os "$tmp/first.json")"
# (less the blocks taken away above, sent again later)
[ "$(jq '.findings | length' "$tmp/first.json")" = "$(jq '[.findings[] |
	select(.check != "firewall.enabled")] | length' "$tmp/newest.json")" ] ||
	fail "findings of the first and newest reports"
! srv agent report "$agent_id" --seq 9 2>"$tmp/err" || fail "a report that is not there"
grep -q "no such report" "$tmp/err" || fail "no report said: $(cat "$tmp/err")"
exit 0
