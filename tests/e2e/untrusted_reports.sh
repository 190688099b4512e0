#!/bin/sh
# An enrolled agent's reports, crafted: a seq far ahead, dates that are not
# real or lie in the future, strings and numbers the collector's readers
# cannot take back, facts large enough to blow up every page. Each is
# refused with what and where; a report older than the newest is stored
# and said to be superseded; the machine page stays bounded, and reports
# are acknowledged while heavy pages are being read.
#
# Usage: untrusted_reports.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
token
enroll_machine
"$AGENT" check --json --root "$root" --only os >"$tmp/base.json" || [ $? = 1 ] || fail "check"

# report SEQ [JQ]: a report of this agent, changed by JQ.
report() {
	jq --arg id "$agent_id" --argjson seq "$1" --arg rid "$(cat /proc/sys/kernel/random/uuid)" \
		--arg now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		".agent.id = \$id | .seq = \$seq | .report_id = \$rid | .collected_at = \$now | ${2:-.}" \
		"$tmp/base.json"
}
# post: the report on stdin, gzip'd as agents send it; "CODE BODY".
post() {
	gzip -c >"$tmp/body.gz"
	code=$(curl -s --cacert "$data/ca.crt" --cert "$tmp/state/agent.crt" \
		--key "$tmp/state/agent.key" -H 'Content-Type: application/json' \
		-H 'Content-Encoding: gzip' --data-binary @"$tmp/body.gz" -o "$tmp/answer" \
		-w '%{http_code}' "$url/api/v1/reports")
	echo "$code $(cat "$tmp/answer")"
}
# refused WHAT CODE MESSAGE: the answer on stdin refuses with CODE, its
# message starting with MESSAGE.
refused() {
	read -r code body
	[ "$code" = "$2" ] || fail "$1: $code $body"
	case "$(echo "$body" | jq -r .error.message)" in
	"$3"*) ;;
	*) fail "$1: $body" ;;
	esac
}
page() {
	api "/api/v1/agents/$agent_id"
}

got=$(report 1 '.facts.os.marker = "one"' | post)
[ "${got%% *}" = 201 ] || fail "a plain report: $got"
echo "${got#* }" | jq -e '.status == "stored" and .newest_seq == 1' >/dev/null || fail "stored: $got"

# seq and collected_at, against the agent's history and the collector's clock.
report 9007199254740992 '.facts.os.marker = "huge"' | post |
	refused "a seq far ahead" 422 "seq: 9007199254740992 runs more than 1000000 ahead"
report 2 '.collected_at = "9999-12-31T23:59:59Z"' | post |
	refused "a date in year 9999" 422 "collected_at:"
report 2 ".collected_at = \"$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)\"" | post |
	refused "a date two days ahead" 422 "collected_at: 4"
report 2 '.collected_at = "2026-02-30T10:00:00Z"' | post |
	refused "February 30" 422 "collected_at: not a UTC time"
report 2 '.collected_at = "0000-01-01T00:00:00Z"' | post |
	refused "year 0" 422 "collected_at: not a UTC time"
got=$(report 2 '.facts.os.marker = "two"' | post)
echo "${got#* }" | jq -e '.status == "stored" and .newest_seq == 2' >/dev/null ||
	fail "the next report after refused ones: $got"
[ "$(page | jq -r .facts.os.marker)" = two ] || fail "page after seq 2: $(page | jq -c .facts.os)"
got=$(report 1 '.facts.os.marker = "late"' | post)
[ "${got%% *}" = 201 ] || fail "a late report: $got"
echo "${got#* }" | jq -e '.status == "superseded" and .newest_seq == 2' >/dev/null ||
	fail "a late report is not said superseded: $got"
[ "$(page | jq -r .facts.os.marker)" = two ] || fail "a late report changed the page"

# What jansson cannot read back is refused, so the page reads every report.
raw() {
	report 3 '.facts.os.marker = "MARK"' | sed "s/\"MARK\"/$1/"
}
raw "$(printf '"\300\257"')" | post | refused "overlong UTF-8" 422 "facts.os: a string is not"
raw '"a\\u0000b"' | post | refused "\\u0000" 422 "facts.os: a string is not"
raw '1e999999' | post | refused "1e999999" 422 "facts.os: a number beyond"
raw '18446744073709551616' | post | refused "2^64" 422 "facts.os: a number beyond"
raw '-9223372036854775809' | post | refused "-2^63 - 1" 422 "facts.os: a number beyond"
[ "$(page | jq .reports_unreadable)" = 0 ] || fail "unreadable reports: $(page | jq -c .)"

# Facts that would make every page huge.
report 3 '.facts.junk = [range(0; 2000000) | 0]' | post |
	refused "an 8 MB array" 413 "the report is too large"
report 3 '.facts.junk = ("x" * 300000)' | post |
	refused "300 KB of one family" 422 "facts.junk: larger than 262144 bytes"
report 3 ".facts += ([range(0; 17)] | map({key: \"f\\(.)\", value: {}}) | from_entries)" | post |
	refused "17 families" 422 "facts: more than 16 families"

# Reports as large as allowed: a page reads the newest whole and older ones
# within its budget, and returns a bounded answer.
# Digits that gzip shrinks little, so that reading a page costs.
big='.facts += ([range(0; 14)] | map({key: "f\(.)",
	value: ([range(0; 20000)] | map(. * 7919 % 100003 | tostring) | join(""))}) | from_entries)'
for seq in $(seq 10 19); do
	got=$(report "$seq" "$big | .facts.os.marker = \"s$seq\"" | post)
	[ "${got%% *}" = 201 ] || fail "a large report: $got"
done
page >"$tmp/page.json"
[ "$(jq -r .facts.os.marker "$tmp/page.json")" = s19 ] || fail "the page is not the newest"
[ "$(jq .reports_read "$tmp/page.json")" -le 2 ] || fail "read $(jq .reports_read "$tmp/page.json")"
[ "$(stat -c %s "$tmp/page.json")" -lt 5000000 ] || fail "page of $(stat -c %s "$tmp/page.json")"

# Heavy pages go to the reader: a report is acknowledged while they run.
report 30 >"$tmp/report30.json"
pages=
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	(page >/dev/null; date +%s%N >"$tmp/page.$i") &
	pages="$pages $!"
done
sleep 0.2
got=$(post <"$tmp/report30.json")
date +%s%N >"$tmp/report.done"
wait $pages
[ "${got%% *}" = 201 ] || fail "a report beside pages: $got"
last=$(cat "$tmp"/page.* | sort -n | tail -1)
[ "$(cat "$tmp/report.done")" -lt "$last" ] ||
	fail "the report waited for every page ($(cat "$tmp/report.done") >= $last)"
exit 0
