#!/bin/sh
# The establishment's policy from the collector: fetched and saved by a run,
# used for its checks, and fetched whole again when the saved copy is gone
# (the agent must not send the ETag of a policy it no longer has).
#
# Usage: policy.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"

start_server
token
enroll_machine backup-too-old

# The establishment's policy declares a backup job the baseline does not.
cat >"$tmp/tilleuls.ini" <<EOF
[policy]
id = tilleuls
revision = 3

[backup:nightly]
path = /var/backups/nightly
EOF
srv policy set --finess $finess "$tmp/tilleuls.ini" >/dev/null || fail "policy set"

# run_once NAME: a run with no --policy, so with the collector's.
run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --config /dev/null 2>"$tmp/$1.err" ||
		fail "$1: $(cat "$tmp/$1.err")"
}

# last_report: the newest report the collector keeps for the agent.
last_report() {
	srv agent report "$agent_id"
}

# used WHEN: the newest report was made with the establishment's policy.
used() {
	got=$(last_report | jq -c '[.policy.id, .policy.revision,
		([.findings[] | select(.check == "backup.recent") | .subject] | sort)]')
	[ "$got" = '["tilleuls",3,["nightly"]]' ] || fail "$1: the report's policy and jobs: $got"
}

run_once first
grep -q 'msg="policy updated" etag=' "$tmp/first.err" ||
	fail "first run, no policy fetched: $(cat "$tmp/first.err")"
cmp -s "$tmp/tilleuls.ini" "$state/policy.ini" || fail "policy.ini not saved"
used "first run"

# Unchanged: the ETag saves sending it again.
run_once same
grep -q 'msg="policy updated"' "$tmp/same.err" && fail "an unchanged policy fetched again"
used "unchanged"

# The saved copy is gone: the next run gets it whole, saves it, uses it.
rm "$state/policy.ini"
run_once gone
grep -q 'msg="policy updated" etag=' "$tmp/gone.err" ||
	fail "policy.ini gone, not fetched again: $(cat "$tmp/gone.err")"
cmp -s "$tmp/tilleuls.ini" "$state/policy.ini" || fail "policy.ini not saved again"
used "policy.ini gone"
echo "ok: the collector's policy is fetched, saved, used, and fetched again when gone"
