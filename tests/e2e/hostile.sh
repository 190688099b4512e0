#!/bin/sh
# Requests an outsider crafts: bytes that are not UTF-8 in the path, long
# paths, other HTTP versions, spaces in header names, folded headers, junk
# after chunk data, and TLS 1.2 suites without AEAD. Each gets an answer
# whose body is valid JSON and its connection freed: the collector keeps
# serving, and SIGTERM stops it at once.
#
# Usage: hostile.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"

cat >"$tmp/server.ini" <<EOF
[server]
max_connections = 4
idle_timeout = 60
EOF
start_server --config "$tmp/server.ini" -v

# answer: bytes from stdin over TLS; the status line, then the body.
answer() {
	(cat; sleep 1) | openssl s_client -quiet -connect "127.0.0.1:$port" -servername localhost \
		2>/dev/null | tr -d '\r' >"$tmp/answer" || true
	head -1 "$tmp/answer"
	sed '1,/^$/d' "$tmp/answer"
}
# expect NAME STATUS: the answer on stdin has that status and a JSON error.
expect() {
	got=$(cat)
	status=$(echo "$got" | head -1)
	[ "$status" = "HTTP/1.1 $2" ] || fail "$1: '$status'"
	echo "$got" | sed 1d | jq -e '.error.code and .error.message' >/dev/null ||
		fail "$1: the body is not a JSON error: $(echo "$got" | sed 1d)"
}
connections() {
	api /metrics | sed -n 's/^hygie_connections //p'
}

long=$(printf '%0600d' 0 | tr 0 a)
utf8=$(printf '%0300d' 0 | sed 's/0/\xc3\xa9/g')
printf 'GET /\377 HTTP/1.1\r\nHost: x\r\n\r\n' | answer | expect "a path not in UTF-8" "400 Bad Request"
printf 'GET /%s HTTP/1.1\r\nHost: x\r\n\r\n' "$utf8" | answer |
	expect "a long UTF-8 path" "400 Bad Request"
printf 'GET /%s%%C3%%A9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$long" | answer |
	expect "a long path" "404 Not Found"
printf 'GET /ui/%s%%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$long" | answer |
	expect "a long file name" "404 Not Found"
printf 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n' | answer |
	expect "HTTP/9.9" "505 HTTP Version Not Supported"
printf 'GET /healthz HTTP/1.1\r\nHo st: x\r\n\r\n' | answer |
	expect "a space in a header name" "400 Bad Request"
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n' | answer |
	expect "a folded header" "400 Bad Request"
printf 'POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XY0\r\n\r\n' |
	answer | expect "junk after chunk data" "400 Bad Request"
# A chunked body sent right still goes through to its route.
printf 'POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n' |
	answer | expect "a chunked body" "400 Bad Request"
grep -q '"expected' "$tmp/answer" || fail "a chunked body did not reach its route: $(cat "$tmp/answer")"

# A host name with a newline is refused at enrollment; one with quotes is
# taken, and logged so that it forges no field or line.
enroll() {
	jq -n --arg t "$1" --arg h "$2" --rawfile csr "$tmp/csr.pem" \
		'{token: $t, csr: $csr, hostname: $h}' >"$tmp/enroll.json"
	curl -s --cacert "$data/ca.crt" -H 'Content-Type: application/json' \
		--data-binary @"$tmp/enroll.json" -o "$tmp/enrolled" -w '%{http_code}' "$url/api/v1/enroll"
}
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k.pem" \
	-subj /CN=x -out "$tmp/csr.pem" 2>/dev/null || fail "openssl req"
token
code=$(enroll "$token" "$(printf 'pc\nlevel=error msg="forged"')")
[ "$code" = 400 ] || fail "a host name with a newline: $code $(cat "$tmp/enrolled")"
code=$(enroll "$token" 'pc" level=error msg="forged')
[ "$code" = 201 ] || fail "a host name with quotes: $code $(cat "$tmp/enrolled")"
grep -q 'msg="agent enrolled"' "$tmp/server.log" || fail "enrollment not logged"
! grep -q '^level=error' "$tmp/server.log" || fail "a forged line: $(grep '^level=error' "$tmp/server.log")"
grep -q 'hostname="pc\\" level=error msg=\\"forged"' "$tmp/server.log" ||
	fail "the host name is not escaped: $(grep 'agent enrolled' "$tmp/server.log")"

# Every connection above is gone: only the one asking remains, and with
# max_connections = 4 others are still served.
for i in $(seq 20); do
	[ "$(connections)" = 1 ] && break
	sleep 0.1
done
[ "$(connections)" = 1 ] || fail "connections left open: $(connections)"
for i in 1 2 3 4 5 6; do
	code=$(curl -s --cacert "$data/ca.crt" -o /dev/null -w '%{http_code}' "$url/healthz")
	[ "$code" = 200 ] || fail "not served after hostile requests: $code"
done

# TLS 1.2 offers AEAD suites only.
tls12() {
	openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher "$1" </dev/null >/dev/null 2>&1
}
for suite in ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA ECDHE-ECDSA-AES128-SHA256 \
	ECDHE-ECDSA-AES256-SHA384; do
	! tls12 "$suite" || fail "TLS 1.2 agreed on $suite"
done
for suite in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 \
	ECDHE-ECDSA-CHACHA20-POLY1305; do
	tls12 "$suite" || fail "TLS 1.2 refused $suite"
done

# SIGTERM: nothing holds the collector, so it stops well within its grace.
kill -TERM "$server_pid"
for i in $(seq 30); do
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
! kill -0 "$server_pid" 2>/dev/null || fail "the collector did not stop within 3 s of SIGTERM"
wait "$server_pid" || fail "the collector stopped with status $?"
server_pid=
exit 0
