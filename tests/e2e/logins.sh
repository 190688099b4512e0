#!/bin/sh
# Password guessing, as an outsider would try it: many tries sent at once,
# at a login that exists and at one that does not, from one address at many
# logins. Each try is counted before its password is checked, so no more are
# checked than the rule allows; known and unknown logins get the same
# answers; every refusal is in the audit log.
#
# Usage: logins.sh AGENT SERVER
set -eu
AGENT=$1 SERVER=$2
. "$(dirname "$0")/lib.sh"

pw="correct horse battery staple"
echo "$pw" | srv user add --login alice --role admin --password-stdin >/dev/null ||
	fail "user add"
start_server

# login LOGIN PASSWORD [OUT]: the status; the answer's headers and body in OUT.
login() {
	out=${3:-$tmp/login}
	jq -n --arg l "$1" --arg p "$2" '{login: $l, password: $p}' >"$out.req"
	curl -sS --cacert "$data/ca.crt" -D "$out.head" -o "$out.json" -w '%{http_code}' \
		-H 'Content-Type: application/json' --data-binary @"$out.req" "$url/api/v1/session"
}
# at_once N LOGIN...: N tries sent together (LOGIN taken in turn, or with
# %d for the try's number), wrong passwords; "401s 429s".
at_once() {
	n=$1
	shift
	pids=
	for i in $(seq "$n"); do
		who=$(printf "$1" "$i")
		(login "$who" "not the password" "$tmp/try.$i"; echo) >"$tmp/try.$i.code" &
		pids="$pids $!"
	done
	wait $pids
	echo "$(cat "$tmp"/try.*.code | grep -c 401) $(cat "$tmp"/try.*.code | grep -c 429)"
	rm -f "$tmp"/try.*
}
forget() {
	db_query "DELETE FROM login_throttle" >/dev/null
}
audited() { # ACTION TARGET: how many audit rows
	db_query "SELECT count(*) FROM audit_log WHERE action = '$1' AND target = '$2'"
}

# seed KEY FAILURES: a key with that many failures, free to try now. The
# tries below then bring a wait of 2^9 s: long enough that none of the tries
# sent together can outlast it, however slow the machine.
seed() {
	db_query "INSERT INTO login_throttle (key, failures, blocked_until, last_try)
		VALUES ('$1', $2, 0, $(date +%s))" >/dev/null
}

# Thirty tries at once at a login that may try once more: one password is
# checked, whatever the race.
seed login:alice 13
got=$(at_once 30 alice)
[ "$got" = "1 29" ] || fail "tries at alice: $got"
[ "$(audited session.refused alice)" = 1 ] || fail "refused tries not audited"
[ "$(audited session.throttled alice)" = 29 ] || fail "throttled tries not audited"

# An unknown login is counted the same way and gets the same answers.
forget
seed login:ghost 13
got=$(at_once 30 ghost)
[ "$got" = "1 29" ] || fail "tries at an unknown login: $got"
[ "$(audited session.throttled ghost)" = 29 ] || fail "throttled tries at ghost not audited"

# Five failures in a row are free, for a login that exists or not; then it
# waits, and so does the right password.
forget
for who in alice ghost; do
	for i in 1 2 3 4 5; do
		[ "$(login $who "not the password")" = 401 ] || fail "$who, wrong password $i"
	done
	[ "$(db_query "SELECT failures FROM login_throttle WHERE key = 'login:$who'")" = 5 ] ||
		fail "$who's failures not counted"
done
db_query "UPDATE login_throttle SET blocked_until = $(($(date +%s) + 4)) WHERE key LIKE 'login:%'" \
	>/dev/null
[ "$(login alice "not the password" "$tmp/a")" = 429 ] || fail "alice not slowed: $(cat "$tmp/a.json")"
[ "$(login ghost "not the password" "$tmp/g")" = 429 ] || fail "ghost not slowed: $(cat "$tmp/g.json")"
cmp -s "$tmp/a.json" "$tmp/g.json" || fail "answers differ: $(cat "$tmp/a.json" "$tmp/g.json")"
for f in a g; do
	retry=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$tmp/$f.head")
	[ -n "$retry" ] && [ "$retry" -ge 1 ] && [ "$retry" -le 5 ] || fail "Retry-After: '$retry'"
done
[ "$(login alice "$pw")" = 429 ] || fail "the right password went past the wait"

# One address, many logins: twenty failures are free, then it waits, and
# tries at once from an address that may try once more check one password.
forget
for i in $(seq 20); do
	[ "$(login "one$i" "not the password")" = 401 ] || fail "address, wrong password $i"
done
[ "$(db_query "SELECT failures FROM login_throttle WHERE key = 'address:127.0.0.1'")" = 20 ] ||
	fail "the address's failures: $(db_query "SELECT * FROM login_throttle")"
forget
seed address:127.0.0.1 28
got=$(at_once 30 'user%d')
[ "$got" = "1 29" ] || fail "tries from one address at many logins: $got"

# A right password starts its login over and is no failure of its address.
forget
for i in 1 2 3 4; do
	[ "$(login alice "not the password")" = 401 ] || fail "wrong password $i"
done
[ "$(login alice "$pw")" = 200 ] || fail "the right password: $(cat "$tmp/login.json")"
[ "$(db_query "SELECT count(*) FROM login_throttle WHERE key = 'login:alice'")" = 0 ] ||
	fail "alice's failures kept after a good login"
[ "$(db_query "SELECT failures FROM login_throttle WHERE key = 'address:127.0.0.1'")" = 4 ] ||
	fail "the address: $(db_query "SELECT * FROM login_throttle")"
[ "$(audited session.open alice)" = 1 ] || fail "login not audited"
echo "ok: logins throttled"
