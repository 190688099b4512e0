#!/bin/sh
# Notifications: the signed webhook on every alert opened or resolved, and
# the e-mail digest to a regional user, both to real receivers on loopback
# that are down at first. Down delays; nothing is lost or sent twice.
#
# Usage: notify.sh AGENT SERVER ROOTS_DIR SINK
set -eu
AGENT=$1 SERVER=$2 roots=$3 SINK=$4
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

# Below the ephemeral range (32768 and up), where an outgoing connection
# could hold the port a receiver is to listen on.
free_port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000)); }
hport=$(free_port)
sport=$(free_port)
secret=whsec-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$secret" >"$tmp/webhook.secret"
chmod 600 "$tmp/webhook.secret"
echo "correct horse battery staple" | srv user add --login idf-support --role regional \
	--region Ile-de-France --email support@idf.example --password-stdin >/dev/null ||
	fail "user add"
echo "correct horse battery staple" | srv user add --login idf-lead --role regional \
	--region Ile-de-France --email lead@idf.example --lang en --password-stdin >/dev/null ||
	fail "user add --lang en"
rc=0
echo "correct horse battery staple" | srv user add --login idf-de --role regional \
	--region Ile-de-France --lang de --password-stdin 2>"$tmp/err" >/dev/null || rc=$?
[ "$rc" = 2 ] && grep -q 'lang is fr or en' "$tmp/err" || fail "--lang de: $rc $(cat "$tmp/err")"
[ "$(srv user list --json | jq -r '[.users[] | .login + "=" + .lang] | join(" ")')" = \
	"idf-lead=en idf-support=fr" ] || fail "user list: $(srv user list --json)"
echo "correct horse battery staple" | srv user add --login x --role regional --region X \
	--email 'a@b.c>, evil@x.example' --password-stdin 2>/dev/null && fail "a bad address was taken"
cat >"$tmp/server.ini" <<EOT
[server]
sweep_interval = 1
[notify]
webhook_url = http://127.0.0.1:$hport/hook
webhook_secret_file = $tmp/webhook.secret
smtp_url = smtp://127.0.0.1:$sport
smtp_from = hygie@collector.example
digest_interval = 3s
retry_max = 1s
EOT
start_server --config "$tmp/server.ini"
token
root=$tmp/root
mkdir -p "$root/etc" "$tmp/hooks" "$tmp/mail"
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
(cd "$root" && ROOT=$root sh "$roots/backup-too-old/setup")
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$tmp/state" --root "$root" >/dev/null || fail "enroll"
"$AGENT" run --once --state "$tmp/state" --root "$root" --config /dev/null \
	--policy "$roots/backup-too-old/policy.ini" 2>/dev/null || fail "report"
for i in $(seq 50); do # the sweep opens the plan's alerts
	[ "$(db_query "SELECT count(*) FROM alerts WHERE check_id = 'establishment.awareness'")" = 1 ] &&
		break
	sleep 0.1
done
curl -sS --cacert "$data/ca.crt" -H "Authorization: Bearer $api" -o /dev/null \
	-H 'Content-Type: application/json' \
	-d '{"kind":"awareness","date":"2026-02-02","audience":"all staff","reached":30}' \
	"$url/api/v1/establishments/$finess/records" || fail "record"

# The receivers are down: the collector keeps trying.
for i in $(seq 100); do
	grep -q 'will retry.*channel=digest' "$tmp/server.log" && break
	sleep 0.1
done
grep -q 'notification not sent, will retry.*channel=webhook' "$tmp/server.log" ||
	fail "no webhook retry logged: $(tail -5 "$tmp/server.log")"
grep -q 'notification not sent, will retry.*channel=digest' "$tmp/server.log" ||
	fail "no digest retry logged: $(db_query "SELECT name, cursor FROM notify_state"; date +%s; db_query "SELECT login, email, region FROM users"; db_query "SELECT min(opened_at) FROM alerts"; db_query "SELECT al.severity, count(*) FROM alerts al JOIN establishments e ON e.finess = al.finess WHERE e.region = 'Ile-de-France' GROUP BY 1"; grep -i digest $tmp/server.log)"
events=$(db_query "SELECT count(*) FROM alert_events")
[ "$events" -gt 2 ] || fail "too few alert events: $events"
[ "$(db_query "SELECT count(*) FROM alert_events WHERE kind = 'resolved'")" -ge 1 ] ||
	fail "the awareness record resolved nothing"

"$SINK" http "$hport" "$tmp/hooks" 2>>"$tmp/sink.log" &
hook_pid=$!
"$SINK" smtp "$sport" "$tmp/mail" 2>>"$tmp/sink.log" &
mail_pid=$!
trap 'kill $hook_pid $mail_pid 2>/dev/null; stop_server; rm -rf "$tmp"' EXIT
for i in $(seq 100); do
	[ "$(ls "$tmp/hooks" | wc -l)" -ge "$events" ] && [ "$(ls "$tmp/mail" | wc -l)" -ge 2 ] &&
		break
	sleep 0.1
done
[ "$(ls "$tmp/hooks" | wc -l)" -eq "$events" ] ||
	fail "webhook: $(ls "$tmp/hooks" | wc -l) deliveries for $events events"

# Each delivery once, in order, signed.
i=0
for f in "$tmp/hooks"/*.txt; do
	i=$((i + 1))
	body=$(sed '1,/^\r$/d' "$f")
	tr -d '\r' <"$f" | grep -qix "X-Hygie-Delivery: $i" ||
		fail "delivery $i out of order: $(head -12 "$f")"
	sig=$(grep -i '^X-Hygie-Signature:' "$f" | tr -d '\r' | cut -d' ' -f2)
	want=sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
	[ "$sig" = "$want" ] || fail "bad signature on delivery $i: $sig, expected $want"
	echo "$body" | jq -e --argjson i $i '.id == $i and (.event | test("^alert\\.(opened|resolved)$"))
		and .alert.check != null and .establishment.finess != null' >/dev/null ||
		fail "delivery $i: $body"
done
cat "$tmp/hooks"/*.txt | grep -q '"event":"alert.resolved"' || fail "no resolved event sent"

# The digest: to each regional user, what opened and what resolved, in
# French unless the user reads English.
mail=$(grep -l '^To: support@idf.example' "$tmp/mail"/*.eml | head -1)
[ -n "$mail" ] || fail "no digest to support@idf.example: $(head -8 "$tmp/mail"/*.eml)"
grep -q '^From: hygie@collector.example' "$mail" || fail "digest sender"
grep -q '^Content-Language: fr' "$mail" && grep -q 'Nouvelles alertes par gravité' "$mail" &&
	grep -q 'élevée' "$mail" && grep -q 'Résolues' "$mail" || fail "French digest: $(cat "$mail")"
! grep -Eq 'New alerts|Resolved|Most severe| high ' "$mail" || fail "English in the French digest"
mail=$(grep -l '^To: lead@idf.example' "$tmp/mail"/*.eml | head -1)
[ -n "$mail" ] && grep -q '^Subject: Hygie - digest Ile-de-France' "$mail" &&
	grep -q 'New alerts by severity' "$mail" && grep -q 'high' "$mail" &&
	grep -q 'Resolved' "$mail" || fail "English digest: $(cat "$mail")"
! grep -Eq 'Nouvelles|Résolues|élevée' "$mail" || fail "French in the English digest"

# Down again: a new event waits, then goes, exactly once.
kill $hook_pid
wait $hook_pid 2>/dev/null || true
sent=$(ls "$tmp/hooks" | wc -l)
curl -sS --cacert "$data/ca.crt" -H "Authorization: Bearer $api" -o /dev/null \
	-H 'Content-Type: application/json' \
	-d '{"kind":"exercise","date":"2026-02-03","scenario":"outage","participants":5}' \
	"$url/api/v1/establishments/$finess/records" || fail "record"
sleep 2
"$SINK" http "$hport" "$tmp/hooks" 2>>"$tmp/sink.log" &
hook_pid=$!
events=$(db_query "SELECT count(*) FROM alert_events")
for i in $(seq 100); do
	[ "$(ls "$tmp/hooks" | wc -l)" -ge "$events" ] && break
	sleep 0.1
done
[ "$(ls "$tmp/hooks" | wc -l)" -eq "$events" ] && [ "$events" -gt "$sent" ] ||
	fail "after the outage: $(ls "$tmp/hooks" | wc -l) deliveries for $events events: $(db_query "SELECT id, kind, at FROM alert_events ORDER BY id DESC LIMIT 3"; db_query "SELECT * FROM notify_state"; date +%s; tail -3 $tmp/sink.log)"
echo "ok: webhook and digest, through receivers that were down"
