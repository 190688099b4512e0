#!/bin/sh
# hygie-server init: a CA and a server certificate that a TLS client on
# loopback accepts for the names given, keys readable by their owner only,
# and a CA that is never replaced.
# Usage: server_init.sh SERVER
set -eu
server=$1
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
d=$tmp/data
"$server" init --data "$d" --hostname collector.ars.example --hostname 192.0.2.7 --json >"$tmp/init.json"
fp=$(jq -r .ca_fingerprint "$tmp/init.json")
want=$(openssl x509 -in "$d/ca.crt" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
[ "$fp" = "sha256:$want" ] || fail "fingerprint $fp, openssl says $want"
[ "$(stat -c %a "$d")" = 700 ] || fail "data directory mode $(stat -c %a "$d")"
for k in ca.key server.key; do
	[ "$(stat -c %a "$d/$k")" = 600 ] || fail "$k mode $(stat -c %a "$d/$k")"
done
openssl verify -CAfile "$d/ca.crt" "$d/server.crt" >/dev/null || fail "chain does not verify"
openssl x509 -in "$d/ca.crt" -noout -text | grep -q 'ASN1 OID: prime256v1' || fail "CA key is not P-256"
openssl x509 -in "$d/server.crt" -noout -ext subjectAltName | tr -d ' \n' |
	grep -qx 'X509v3SubjectAlternativeName:DNS:collector.ars.example,IPAddress:192.0.2.7,DNS:localhost,IPAddress:127.0.0.1' ||
	fail "SANs: $(openssl x509 -in "$d/server.crt" -noout -ext subjectAltName)"

# A second init refuses and leaves the CA as it was.
before=$(sha256sum "$d/ca.key")
if "$server" init --data "$d" 2>"$tmp/err"; then fail "second init succeeded"; fi
grep -q 'a CA already exists here' "$tmp/err" || fail "second init message: $(cat "$tmp/err")"
[ "$before" = "$(sha256sum "$d/ca.key")" ] || fail "the CA key changed"

# A real TLS handshake on loopback, verified against the CA for "localhost".
# On a port nobody else holds (the other tests pick theirs at random too).
for try in 1 2 3 4 5; do
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
	openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$d/server.crt" \
		-key "$d/server.key" -www >/dev/null 2>&1 &
	pid=$!
	sleep 0.3
	kill -0 "$pid" 2>/dev/null && break
	pid=
done
[ -n "$pid" ] || fail "no free port for openssl s_server"
ok=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	if echo | timeout 5 openssl s_client -connect "127.0.0.1:$port" -servername localhost \
		-verify_hostname localhost -CAfile "$d/ca.crt" -verify_return_error >"$tmp/tls" 2>&1; then
		ok=1
		break
	fi
	sleep 0.3
done
[ -n "$ok" ] || fail "TLS handshake: $(tail -5 "$tmp/tls")"
grep -q 'Verify return code: 0 (ok)' "$tmp/tls" || fail "TLS verification: $(grep Verify "$tmp/tls")"
if echo | timeout 5 openssl s_client -connect "127.0.0.1:$port" -verify_hostname other.example \
	-CAfile "$d/ca.crt" -verify_return_error >/dev/null 2>&1; then
	fail "a name not in the certificate was accepted"
fi
echo "server init: CA, certificate and TLS on loopback as expected"
