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

run_once
first=$(blocks "")
[ "$first" -ge 20 ] || fail "blocks of the first report: $first"
[ "$(blocks "AND replaced_at IS NULL")" = "$first" ] || fail "a first block replaced"
run_once
run_once
[ "$(blocks "")" = "$first" ] || fail "the same state added blocks: $first, then $(blocks "")
$(db_query "SELECT name, seq FROM blocks WHERE seq > 1")"
got=$(db_query "SELECT encoding, CASE WHEN length(body) < 1024 THEN 'small' ELSE 'large' END
	FROM reports WHERE agent_id = '$agent_id' ORDER BY seq" | tr '\n' ' ')
[ "$got" = "blocks|small blocks|small blocks|small " ] || fail "reports kept: $got"

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

# A report back: the newest, and the first as it stood.
srv agent report "$agent_id" >"$tmp/newest.json" || fail "agent report"
[ "$(jq -r '.seq, .facts.os.pretty_name, (.policy.revision | type)' "$tmp/newest.json" |
	tr '\n' '|')" = "4|Debian GNU/Linux 12 (bookworm, marked)|number|" ] ||
	fail "the newest report: $(jq -c '[.seq, .facts.os.pretty_name, .policy]' "$tmp/newest.json")"
srv agent report "$agent_id" --seq 1 >"$tmp/first.json" || fail "agent report --seq 1"
[ "$(jq -r '.seq, .facts.os.pretty_name' "$tmp/first.json" | tr '\n' '|')" = \
	"1|Debian GNU/Linux 12 (bookworm)|" ] || fail "the first report: $(jq -c .facts.os "$tmp/first.json")"
[ "$(jq '.findings | length' "$tmp/first.json")" = "$(jq '.findings | length' "$tmp/newest.json")" ] ||
	fail "findings of the first and newest reports"
! srv agent report "$agent_id" --seq 9 2>"$tmp/err" || fail "a report that is not there"
grep -q "no such report" "$tmp/err" || fail "no report said: $(cat "$tmp/err")"
exit 0
