#!/bin/sh
# Who may do what: every user route against every role, in and out of its
# scope; what a funder can reach holds no host name, agent id or login;
# CSRF on writes, session expiry and logout, slowed-down logins, disabled
# users, and the audit log.
#
# Usage: access.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

other=290000017
srv establishment add --finess $other --name "Foyer de l'Odet" --region Bretagne \
	--department 29 >/dev/null || fail "second establishment"
pw="correct horse battery staple"
add_user() { # LOGIN ROLE [ARGS...]
	login=$1 role=$2
	shift 2
	echo "$pw" | srv user add --login "$login" --role "$role" "$@" --password-stdin >/dev/null ||
		fail "user add $login"
}
add_user root-admin admin
add_user idf-support regional --region "Ile-de-France"
add_user bzh-support regional --region Bretagne
add_user tilleuls-direction establishment --finess $finess
add_user cnsa-analyst funder
echo short | srv user add --login weak --role admin --password-stdin 2>/dev/null &&
	fail "a short password was taken"

start_server
token
root=$tmp/root
mkdir -p "$root/etc"
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
echo poste-accueil >"$root/etc/hostname"
(cd "$root" && ROOT=$root sh "$roots/backup-too-old/setup")
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/state" --root "$root" >/dev/null || fail "enroll"
agent_id=$(jq -r .agent_id "$tmp/state/state.json")
"$AGENT" run --once --state "$tmp/state" --root "$root" --config /dev/null \
	--policy "$roots/backup-too-old/policy.ini" 2>/dev/null || fail "report"
alert=$(api "/api/v1/alerts?status=open&limit=1" | jq -r '.alerts[0].id')
[ "$alert" != null ] || fail "no alert to work on"

# login LOGIN: a session in $tmp/LOGIN.jar, its CSRF token in $tmp/LOGIN.csrf.
login() {
	curl -sS --cacert "$data/ca.crt" -c "$tmp/$1.jar" -o "$tmp/$1.json" -w '%{http_code}' \
		-H 'Content-Type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$pw\"}" "$url/api/v1/session"
}
for u in root-admin idf-support bzh-support tilleuls-direction cnsa-analyst; do
	[ "$(login $u)" = 200 ] || fail "login $u: $(cat "$tmp/$u.json")"
	jq -r .csrf_token "$tmp/$u.json" >"$tmp/$u.csrf"
	grep -q 'HttpOnly_.*hygie_session' "$tmp/$u.jar" || fail "cookie of $u not HttpOnly"
done
[ "$(jq -r .role "$tmp/bzh-support.json")" = regional ] || fail "session role"

# call WHO METHOD PATH: prints the status; the body goes to $tmp/body.
# WHO: a login, "api" (the API token), "bad" (a wrong token), "none".
call() {
	who=$1 method=$2 path=$3
	set -- -sS --cacert "$data/ca.crt" -o "$tmp/body" -w '%{http_code}' -X "$method"
	case $who in
	api) set -- "$@" -H "Authorization: Bearer $api" ;;
	bad) set -- "$@" -H "Authorization: Bearer hya_nottherightone" ;;
	none) ;;
	*) set -- "$@" -b "$tmp/$who.jar" -H "X-CSRF-Token: $(cat "$tmp/$who.csrf")" ;;
	esac
	curl "$@" "$url$path"
}

# The matrix: route, then the status for api, root-admin, idf-support,
# bzh-support, tilleuls-direction, cnsa-analyst, none, bad.
matrix() {
	while read -r method path want; do
		[ -n "$method" ] || continue
		set -- $want
		for who in api root-admin idf-support bzh-support tilleuls-direction cnsa-analyst \
			none bad; do
			got=$(call $who "$method" "$path")
			[ "$got" = "$1" ] || fail "$who $method $path: $got, expected $1: $(cat "$tmp/body")"
			shift
		done
	done
}
matrix <<EOT
GET /api/v1/session 200 200 200 200 200 200 401 401
GET /api/v1/alerts 200 200 200 200 200 403 401 401
GET /api/v1/alerts?finess=$finess 200 200 200 403 200 403 401 401
GET /api/v1/alerts?finess=$other 200 200 403 200 403 403 401 401
GET /api/v1/alerts?region=Bretagne 200 200 403 200 403 403 401 401
GET /api/v1/alerts?department=29 200 200 403 200 403 403 401 401
GET /api/v1/alerts?department=75 200 200 200 403 200 403 401 401
GET /api/v1/alerts?department=99 200 200 403 403 403 403 401 401
GET /api/v1/alerts?agent=$agent_id 200 200 200 403 200 403 401 401
GET /api/v1/alerts?agent=00000000-0000-4000-8000-000000000000 200 200 403 403 403 403 401 401
GET /api/v1/alerts/groups 200 200 200 200 200 403 401 401
GET /api/v1/alerts/groups?finess=$other 200 200 403 200 403 403 401 401
GET /api/v1/alerts?severity=high&min_age_days=1&limit=5&offset=5 200 200 200 200 200 403 401 401
POST /api/v1/alerts/acknowledge 400 400 400 400 400 403 401 401
GET /api/v1/machines 200 200 200 200 200 403 401 401
GET /api/v1/machines?region=Bretagne 200 200 403 200 403 403 401 401
GET /api/v1/checks 200 200 200 200 200 403 401 401
GET /api/v1/checks?finess=$other 200 200 403 200 403 403 401 401
GET /api/v1/checks/machines?check=antivirus.present 200 200 200 200 200 403 401 401
GET /api/v1/checks/machines 400 400 400 400 400 403 401 401
GET /api/v1/agents 200 200 200 200 200 403 401 401
GET /api/v1/agents?agent=$agent_id 200 200 200 403 200 403 401 401
GET /api/v1/agents?department=29 200 200 403 200 403 403 401 401
GET /api/v1/agents?finess=$other 200 200 403 200 403 403 401 401
GET /api/v1/agents?region=Ile-de-France 200 200 200 403 200 403 401 401
GET /api/v1/establishments 200 200 200 200 200 200 401 401
GET /api/v1/establishments?region=Bretagne 200 200 403 200 403 200 401 401
GET /metrics 200 200 403 403 403 403 401 401
POST /api/v1/alerts/999999/acknowledge 404 404 404 404 404 403 401 401
GET /api/v1/establishments/$finess 200 200 200 404 200 403 401 401
GET /api/v1/establishments/$other 200 200 404 200 404 403 401 401
GET /api/v1/establishments/750000028 404 404 404 404 404 403 401 401
GET /api/v1/agents/$agent_id 200 200 200 404 200 403 401 401
GET /api/v1/agents/00000000-0000-4000-8000-000000000000 404 404 404 404 404 403 401 401
POST /api/v1/establishments/$finess/records 400 400 400 404 400 403 401 401
POST /api/v1/establishments/$other/records 400 400 404 400 404 403 401 401
GET /api/v1/equipment 200 200 200 200 200 200 401 401
GET /api/v1/equipment?region=Bretagne&format=csv 200 200 403 200 403 200 401 401
GET /api/v1/equipment?format=xml 400 400 400 400 400 400 401 401
GET /api/v1/equipment?department=29 200 200 403 200 403 200 401 401
POST /api/v1/establishments/750000028/records 404 404 404 404 404 403 401 401
GET /api/v1/progress 200 200 200 200 200 200 401 401
GET /api/v1/opendata/departments.json 200 200 200 200 200 200 401 401
GET /api/v1/opendata/departments.csv 200 200 200 200 200 200 401 401
GET / 200 200 200 200 200 200 200 200
GET /ui/app.js 200 200 200 200 200 200 200 200
GET /ui/nothing.js 404 404 404 404 404 404 404 404
EOT

# Out of scope is answered as nowhere: whether the object exists elsewhere
# does not show.
for pair in "POST /api/v1/establishments/$finess/records|POST /api/v1/establishments/750000028/records" \
	"GET /api/v1/establishments/$finess|GET /api/v1/establishments/750000028" \
	"GET /api/v1/agents/$agent_id|GET /api/v1/agents/00000000-0000-4000-8000-000000000000"; do
	call bzh-support ${pair%%|*} >/dev/null
	mv "$tmp/body" "$tmp/elsewhere"
	call bzh-support ${pair#*|} >/dev/null
	cmp -s "$tmp/elsewhere" "$tmp/body" ||
		fail "${pair%%|*}: $(cat "$tmp/elsewhere") but nowhere: $(cat "$tmp/body")"
	jq -e '.error.message | startswith("no such ")' "$tmp/body" >/dev/null ||
		fail "not found says: $(cat "$tmp/body")"
done

# In scope means only the scope.
call idf-support GET /api/v1/alerts >/dev/null
jq -e --arg f $finess '(.alerts | length) > 0 and all(.alerts[]; .finess == $f)' "$tmp/body" \
	>/dev/null || fail "regional alerts: $(cat "$tmp/body")"
call bzh-support GET /api/v1/alerts >/dev/null
jq -e '.alerts == []' "$tmp/body" >/dev/null || fail "another region's alerts: $(cat "$tmp/body")"
call tilleuls-direction GET /api/v1/establishments >/dev/null
jq -e --arg f $finess '[.establishments[].finess] == [$f]' "$tmp/body" >/dev/null ||
	fail "establishment user's establishments: $(cat "$tmp/body")"
call bzh-support GET "/api/v1/alerts?region=Bretagne" >/dev/null
jq -e '.alerts == []' "$tmp/body" >/dev/null || fail "Bretagne alerts: $(cat "$tmp/body")"
for pair in machines:machines alerts/groups:groups checks:checks; do
	path=/api/v1/${pair%%:*} key=${pair#*:}
	call bzh-support GET $path >/dev/null
	jq -e --arg k "$key" '.[$k] == []' "$tmp/body" >/dev/null ||
		fail "another region's $path: $(cat "$tmp/body")"
	call idf-support GET $path >/dev/null
	jq -e --arg k "$key" '(.[$k] | length) > 0' "$tmp/body" >/dev/null ||
		fail "the region's own $path: $(cat "$tmp/body")"
done

# Nothing a funder can reach names a machine, an agent or a person.
for path in /api/v1/session /api/v1/establishments "/api/v1/establishments?region=Bretagne" \
	/api/v1/alerts /api/v1/agents /metrics /api/v1/equipment "/api/v1/equipment?format=csv" \
	/api/v1/machines /api/v1/checks /api/v1/alerts/groups \
	/api/v1/progress /api/v1/opendata/departments.json /api/v1/opendata/departments.csv \
	"/api/v1/establishments/$finess" "/api/v1/agents/$agent_id"; do
	[ "$(call cnsa-analyst GET "$path")" = 200 ] || continue
	for secret in "$agent_id" poste-accueil hostname root-admin idf-support bzh-support \
		tilleuls-direction; do
		grep -q -- "$secret" "$tmp/body" && fail "a funder sees \"$secret\" in $path"
	done
done

# Writes need the session's CSRF token; the alert goes out of scope of others.
code=$(curl -sS --cacert "$data/ca.crt" -o "$tmp/body" -w '%{http_code}' -X POST \
	-b "$tmp/tilleuls-direction.jar" "$url/api/v1/alerts/$alert/acknowledge")
[ "$code" = 403 ] && jq -e '.error.code == "csrf"' "$tmp/body" >/dev/null ||
	fail "a write without the CSRF token: $code $(cat "$tmp/body")"
[ "$(call bzh-support POST "/api/v1/alerts/$alert/acknowledge")" = 404 ] ||
	fail "acknowledged out of scope"
[ "$(call tilleuls-direction POST "/api/v1/alerts/$alert/acknowledge")" = 200 ] ||
	fail "acknowledge: $(cat "$tmp/body")"
[ "$(call root-admin POST "/api/v1/alerts/$alert/acknowledge")" = 409 ] ||
	fail "acknowledged twice: $(cat "$tmp/body")"
api "/api/v1/alerts?status=acknowledged" | jq -e --argjson id "$alert" \
	'.alerts[] | select(.id == $id) | .acknowledged_at != null' >/dev/null ||
	fail "not acknowledged: $(api "/api/v1/alerts?status=acknowledged")"
[ "$(db_query "SELECT count(*) FROM audit_log WHERE actor = 'tilleuls-direction'
	AND action = 'alert.acknowledge' AND target = 'alert $alert'")" = 1 ] ||
	fail "acknowledgement not in the audit log"
# Many at once: out of scope, none is; in scope, each open one is.
ack_many() { # WHO BODY: prints the status
	curl -sS --cacert "$data/ca.crt" -o "$tmp/body" -w '%{http_code}' -b "$tmp/$1.jar" \
		-H "X-CSRF-Token: $(cat "$tmp/$1.csrf")" -H 'Content-Type: application/json' \
		-d "$2" "$url/api/v1/alerts/acknowledge"
}
open_ids=$(api "/api/v1/alerts?status=open" | jq -c '[.alerts[].id]')
[ "$open_ids" != "[]" ] || fail "no open alert to acknowledge"
[ "$(ack_many bzh-support "{\"ids\": $open_ids}")" = 200 ] &&
	jq -e '.acknowledged == 0' "$tmp/body" >/dev/null || fail "acknowledged out of scope: $(cat "$tmp/body")"
[ "$(ack_many idf-support '{"ids": [1, "two"]}')" = 400 ] || fail "a bad id: $(cat "$tmp/body")"
[ "$(ack_many idf-support "{\"ids\": $open_ids}")" = 200 ] &&
	jq -e --argjson n "$(echo "$open_ids" | jq length)" '.acknowledged == $n' "$tmp/body" \
		>/dev/null || fail "acknowledged many: $(cat "$tmp/body")"
[ "$(api "/api/v1/alerts?status=open" | jq '.total')" = 0 ] || fail "alerts left open"

# Records: what an establishment did, in its scope, audited; its plan
# alert resolves at once.
record() { # WHO FINESS BODY: prints the status
	curl -sS --cacert "$data/ca.crt" -o "$tmp/body" -w '%{http_code}' -b "$tmp/$1.jar" \
		-H "X-CSRF-Token: $(cat "$tmp/$1.csrf")" -H 'Content-Type: application/json' \
		-d "$3" "$url/api/v1/establishments/$2/records"
}
exercise='{"kind":"exercise","date":"2026-03-12","scenario":"ransomware","participants":8}'
[ "$(record bzh-support $finess "$exercise")" = 404 ] || fail "recorded out of scope"
[ "$(record tilleuls-direction $finess '{"kind":"exercise","date":"2026-03-12"}')" = 400 ] ||
	fail "an exercise without a scenario: $(cat "$tmp/body")"
jq -e '.error.message | test("scenario")' "$tmp/body" >/dev/null || fail "$(cat "$tmp/body")"
[ "$(record tilleuls-direction $finess "$exercise")" = 201 ] || fail "record: $(cat "$tmp/body")"
id=$(jq -r .id "$tmp/body")
[ "$(db_query "SELECT count(*) FROM audit_log WHERE actor = 'tilleuls-direction'
	AND action = 'record.add' AND target = '$finess' AND detail = 'exercise $id'")" = 1 ] ||
	fail "the record is not in the audit log"
call idf-support GET "/api/v1/establishments/$finess" >/dev/null
jq -e '.last_exercise == "2026-03-12" and (.records | length) == 1
	and (.machines | length) == 1 and (.history | type) == "array"' "$tmp/body" >/dev/null ||
	fail "establishment page: $(cat "$tmp/body")"
jq -e 'all(.plan_alerts[]; .check != "establishment.crisis_exercise")' "$tmp/body" >/dev/null ||
	fail "the exercise alert did not resolve: $(cat "$tmp/body")"
call cnsa-analyst GET "/api/v1/equipment?format=csv" >/dev/null
head -1 "$tmp/body" | grep -q '^.\{0,3\}need_rank,finess,name,region,department,machines,to_replace' ||
	fail "equipment CSV: $(cat "$tmp/body")"

# Logout ends the session; an expired one is refused.
[ "$(call idf-support DELETE /api/v1/session)" = 204 ] || fail "logout: $(cat "$tmp/body")"
[ "$(call idf-support GET /api/v1/session)" = 401 ] || fail "a session outlived its logout"
db_query "UPDATE sessions SET expires_at = 1" >/dev/null
[ "$(call bzh-support GET /api/v1/alerts)" = 401 ] || fail "an expired session was taken"
jq -e '.error.code == "session_expired"' "$tmp/body" >/dev/null || fail "$(cat "$tmp/body")"

# Failed logins slow the login down, even for the right password.
pw_right=$pw
pw="not the password at all"
for i in 1 2 3 4 5; do
	[ "$(login bzh-support)" = 401 ] || fail "wrong password $i: $(cat "$tmp/bzh-support.json")"
done
pw=$pw_right
[ "$(db_query "SELECT failures FROM login_throttle WHERE key = 'login:bzh-support'")" = 5 ] ||
	fail "failed logins not counted"
# Two more failures a moment ago: the next try must wait 4 s, whatever this
# machine's pace.
db_query "UPDATE login_throttle SET failures = 7, blocked_until = $(($(date +%s) + 4))
	WHERE key = 'login:bzh-support'" >/dev/null
[ "$(login bzh-support)" = 429 ] || fail "no slowing down: $(cat "$tmp/bzh-support.json")"
[ "$(login nobody-at-all)" = 401 ] || fail "unknown login"
[ "$(login "two words")" = 400 ] || fail "a login out of its alphabet: $(cat "$tmp/two words.json")"

# A disabled user is out at once.
[ "$(login cnsa-analyst)" = 200 ] || fail "login again"
srv user disable cnsa-analyst >/dev/null || fail "user disable"
[ "$(call cnsa-analyst GET /api/v1/session)" = 401 ] || fail "a disabled user's session lives"
[ "$(login cnsa-analyst)" = 401 ] || fail "a disabled user logs in"
srv user list --json | jq -e '.users[] | select(.login == "cnsa-analyst") | .disabled' \
	>/dev/null || fail "user list"
[ "$(groups_astray)" = 0 ] || fail "alert_groups: $(groups_astray) groups astray"
echo "ok: roles, scopes, CSRF, sessions and logins"
