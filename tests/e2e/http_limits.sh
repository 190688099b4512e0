#!/bin/sh
# Malformed, oversized, truncated, slow and pipelined requests: each is
# answered or cut off, and other clients are served meanwhile.
#
# Usage: http_limits.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"

cat >"$tmp/server.ini" <<EOF
[server]
handshake_timeout = 1
request_timeout = 2
idle_timeout = 3
EOF
start_server --config "$tmp/server.ini"

# raw: bytes from stdin over TLS, the answer on stdout.
raw() {
	openssl s_client -quiet -connect "127.0.0.1:$port" -servername localhost 2>/dev/null || true
}
health() {
	curl -s --cacert "$data/ca.crt" -o /dev/null -w '%{http_code}' "$url/healthz"
}

# Pipelined: two requests in one write, two answers in order.
got=$( (printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
	sleep 1) | raw | grep -o 'HTTP/1\.1 [0-9]*' | tr '\n' ' ')
[ "$got" = "HTTP/1.1 200 HTTP/1.1 404 " ] || fail "pipelined: '$got'"

# Malformed.
got=$( (printf 'HELLO THERE\r\n\r\n'; sleep 1) | raw | head -1 | tr -d '\r')
[ "$got" = "HTTP/1.1 400 Bad Request" ] || fail "garbage: '$got'"
got=$( (printf 'GET /healthz HTTP/1.1\r\nHost x\r\n\r\n'; sleep 1) | raw | head -1 | tr -d '\r')
[ "$got" = "HTTP/1.1 400 Bad Request" ] || fail "a header without a colon: '$got'"
got=$( (printf 'TRACE /api/v1/alerts HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 1) | raw | head -1 | tr -d '\r')
[ "$got" = "HTTP/1.1 501 Not Implemented" ] || fail "an unknown method: '$got'"

# Oversized: headers, URL, body.
big=$(head -c 20000 /dev/zero | tr '\0' a)
code=$(curl -s --cacert "$data/ca.crt" -H "X-Big: $big" -o /dev/null -w '%{http_code}' "$url/healthz")
[ "$code" = 431 ] || fail "20 KB of headers: $code"
code=$(curl -s --cacert "$data/ca.crt" -o /dev/null -w '%{http_code}' "$url/healthz?q=$(echo "$big" | head -c 3000)")
[ "$code" = 414 ] || fail "a 3 KB URL: $code"
head -c 2000000 /dev/zero >"$tmp/big.bin"
code=$(curl -s --cacert "$data/ca.crt" -H 'Content-Type: application/json' \
	--data-binary @"$tmp/big.bin" -o /dev/null -w '%{http_code}' "$url/api/v1/enroll" || true)
[ "$code" = 413 ] || fail "a 2 MB body: $code"
# A gzip bomb: small on the wire, too large once unpacked.
token
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/a" --root "$tmp" >/dev/null 2>&1 || fail "enroll"
head -c 20000000 /dev/zero | gzip -9 >"$tmp/bomb.gz"
code=$(curl -s --cacert "$data/ca.crt" --cert "$tmp/a/agent.crt" --key "$tmp/a/agent.key" \
	-H 'Content-Type: application/json' -H 'Content-Encoding: gzip' --data-binary @"$tmp/bomb.gz" \
	-o "$tmp/resp" -w '%{http_code}' "$url/api/v1/reports")
[ "$code" = 413 ] || fail "a gzip bomb: $code $(cat "$tmp/resp")"
# Truncated: a body shorter than announced, then silence.
got=$( (printf 'POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"tok'
	sleep 4) | raw | head -1 | tr -d '\r')
[ "$got" = "HTTP/1.1 408 Request Timeout" ] || fail "a truncated body: '$got'"

# Slow clients hold nothing: a drip-fed request and a silent connection are
# cut off, and the collector answers others all along.
(printf 'GET /healthz HTTP/1.1\r\n'; for i in 1 2 3 4 5 6; do printf 'X-Slow: %s\r\n' $i; sleep 1; done) |
	raw >"$tmp/slow.out" &
slow=$!
(sleep 6) | raw >"$tmp/silent.out" &
silent=$!
sleep 0.5
for i in 1 2 3; do
	[ "$(health)" = 200 ] || fail "not served beside slow clients"
	sleep 0.5
done
wait $slow $silent
grep -q '408 Request Timeout' "$tmp/slow.out" || fail "the drip-fed request: $(cat "$tmp/slow.out")"
[ ! -s "$tmp/silent.out" ] || fail "a silent connection got: $(cat "$tmp/silent.out")"
api /metrics | grep -q '^hygie_errors_total{kind="timeout"} [1-9]' || fail "timeouts not counted"

# Not TLS at all.
printf 'GET / HTTP/1.1\r\n\r\n' | timeout 5 sh -c "cat > /dev/tcp/127.0.0.1/$port" 2>/dev/null || true
[ "$(health)" = 200 ] || fail "not served after a plain-text client"
exit 0
