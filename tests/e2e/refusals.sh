#!/bin/sh
# What the collector refuses, each with a clear error: wrong, expired and
# used-up tokens; a wrong CA fingerprint; unknown, foreign, self-signed and
# revoked client certificates; a report naming another agent; API calls
# without or with a wrong bearer token.
#
# Usage: refusals.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

start_server
root=$tmp/root
mkdir -p "$root/etc"
echo poste-1 >"$root/etc/hostname"

# enroll_fails NAME TOKEN FINGERPRINT MESSAGE
enroll_fails() {
	if "$AGENT" enroll --server "$url" --token "$2" --ca-fingerprint "$3" \
		--state "$tmp/$1" --root "$root" 2>"$tmp/err"; then
		fail "$1: enrolled"
	fi
	grep -q "$4" "$tmp/err" || fail "$1: said '$(cat "$tmp/err")', expected '$4'"
}

token --uses 1
good=$token
enroll_fails wrong-token hye_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "$fingerprint" \
	"unknown enrollment token"
enroll_fails wrong-ca "$good" "sha256:$(printf '%064d' 0)" "not the fingerprint given"
token --expires 1s
sleep 2
enroll_fails expired "$token" "$fingerprint" "has expired"
"$AGENT" enroll --server "$url" --token "$good" --ca-fingerprint "$fingerprint" \
	--state "$tmp/a1" --root "$root" >/dev/null || fail "enroll"
enroll_fails used-up "$good" "$fingerprint" "used up"
id1=$(jq -r .agent_id "$tmp/a1/state.json")
token
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/a2" --root "$root" >/dev/null || fail "enroll a2"
id2=$(jq -r .agent_id "$tmp/a2/state.json")

# post STATE_OR_CERT KEY BODY: the HTTP status and the error code.
post() {
	curl -s --cacert "$data/ca.crt" --cert "$1" --key "$2" -H 'Content-Type: application/json' \
		--data-binary @"$3" -o "$tmp/resp" -w '%{http_code}' "$url/api/v1/reports"
	printf ' %s' "$(jq -r '.error.code // .status' "$tmp/resp")"
}
"$AGENT" check --root "$root" --json --only os >"$tmp/r.json" || true
jq --arg a "$id1" '.agent.id = $a' "$tmp/r.json" >"$tmp/r1.json"

got=$(post "$tmp/a1/agent.crt" "$tmp/a1/agent.key" "$tmp/r1.json")
[ "$got" = "201 stored" ] || fail "a good report: $got"
got=$(post "$tmp/a1/agent.crt" "$tmp/a1/agent.key" "$tmp/r1.json")
[ "$got" = "200 duplicate" ] || fail "the same report again: $got"

# A report naming another agent than the certificate's.
got=$(post "$tmp/a2/agent.crt" "$tmp/a2/agent.key" "$tmp/r1.json")
[ "$got" = "403 wrong_agent" ] || fail "another agent's report: $got"

# No client certificate.
code=$(curl -s --cacert "$data/ca.crt" -H 'Content-Type: application/json' \
	--data-binary @"$tmp/r1.json" -o "$tmp/resp" -w '%{http_code}' "$url/api/v1/reports")
[ "$code $(jq -r .error.code "$tmp/resp")" = "401 certificate_required" ] ||
	fail "no certificate: $code $(cat "$tmp/resp")"

# Self-signed, and from another CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=$id1" -keyout "$tmp/self.key" -out "$tmp/self.crt" 2>/dev/null
got=$(post "$tmp/self.crt" "$tmp/self.key" "$tmp/r1.json")
[ "$got" = "401 bad_certificate" ] || fail "self-signed: $got"
"$SERVER" init --data "$tmp/other" >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$id1" \
	-keyout "$tmp/other.key" -out "$tmp/other.csr" 2>/dev/null
openssl x509 -req -in "$tmp/other.csr" -CA "$tmp/other/ca.crt" -CAkey "$tmp/other/ca.key" \
	-days 2 -out "$tmp/other.crt" 2>/dev/null
got=$(post "$tmp/other.crt" "$tmp/other.key" "$tmp/r1.json")
[ "$got" = "401 bad_certificate" ] || fail "another CA's certificate: $got"

# Issued by this CA but for an agent the collector does not know.
unknown=00000000-0000-4000-8000-000000000000
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$unknown" \
	-keyout "$tmp/u.key" -out "$tmp/u.csr" 2>/dev/null
openssl x509 -req -in "$tmp/u.csr" -CA "$data/ca.crt" -CAkey "$data/ca.key" -days 2 \
	-out "$tmp/u.crt" 2>/dev/null
jq --arg a $unknown '.agent.id = $a | .report_id = "11111111-1111-4111-8111-111111111111"' \
	"$tmp/r.json" >"$tmp/ru.json"
got=$(post "$tmp/u.crt" "$tmp/u.key" "$tmp/ru.json")
[ "$got" = "401 unknown_agent" ] || fail "an unknown agent: $got"

# Revoked: refused from then on, and the agent says to enroll again.
srv agent revoke "$id1" >/dev/null || fail "revoke"
jq '.report_id = "22222222-2222-4222-8222-222222222222"' "$tmp/r1.json" >"$tmp/r1b.json"
got=$(post "$tmp/a1/agent.crt" "$tmp/a1/agent.key" "$tmp/r1b.json")
[ "$got" = "403 revoked" ] || fail "a revoked agent: $got"
if "$AGENT" run --once --state "$tmp/a1" --root "$root" --config /dev/null 2>"$tmp/err"; then
	fail "a revoked agent delivered"
fi
grep -q "revoked" "$tmp/err" || fail "revoked agent said: $(cat "$tmp/err")"
code=$(curl -s --cacert "$data/ca.crt" --cert "$tmp/a1/agent.crt" --key "$tmp/a1/agent.key" \
	-o /dev/null -w '%{http_code}' "$url/api/v1/policy")
[ "$code" = 403 ] || fail "policy for a revoked agent: $code"

# Malformed reports.
printf '{"schema": "hygie.report/1"' >"$tmp/bad.json"
got=$(post "$tmp/a2/agent.crt" "$tmp/a2/agent.key" "$tmp/bad.json")
[ "$got" = "422 invalid_report" ] || fail "truncated JSON: $got"
jq --arg a "$id2" '.agent.id = $a | .findings[0].status = "maybe"' "$tmp/r.json" >"$tmp/bad.json"
got=$(post "$tmp/a2/agent.crt" "$tmp/a2/agent.key" "$tmp/bad.json")
[ "$got" = "422 invalid_report" ] || fail "a bad status: $got"
grep -q 'findings\[0\]' "$tmp/resp" || fail "the error does not say where: $(cat "$tmp/resp")"

# The JSON API: no token, a wrong one.
code=$(curl -s --cacert "$data/ca.crt" -o "$tmp/resp" -w '%{http_code}' "$url/api/v1/alerts")
[ "$code $(jq -r .error.code "$tmp/resp")" = "401 unauthorized" ] || fail "no bearer: $code"
for route in alerts agents establishments; do
	code=$(curl -s --cacert "$data/ca.crt" -H "Authorization: Bearer hya_wrong" \
		-o "$tmp/resp" -w '%{http_code}' "$url/api/v1/$route")
	[ "$code $(jq -r .error.code "$tmp/resp")" = "401 invalid_token" ] ||
		fail "wrong bearer on $route: $code $(cat "$tmp/resp")"
done
code=$(curl -s --cacert "$data/ca.crt" -o /dev/null -w '%{http_code}' "$url/metrics")
[ "$code" = 401 ] || fail "metrics without a token: $code"
api /metrics >"$tmp/metrics"
grep -q '^hygie_reports_total{result="stored"} 1$' "$tmp/metrics" ||
	fail "metrics: $(grep reports_total "$tmp/metrics")"
grep -q '^hygie_report_duration_seconds_count ' "$tmp/metrics" || fail "no latency histogram"
grep -q '^hygie_alerts{severity="high"} ' "$tmp/metrics" || fail "no alert gauge"
exit 0
