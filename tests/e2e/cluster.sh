#!/bin/sh
# Three collectors on one PostgreSQL, behind haproxy in TCP mode (mutual TLS
# ends at the collectors), each on its own loopback address with its own
# copy of the CA material. Agents stream reports through haproxy while the
# collector that leads the sweep and the notifications is killed with
# kill -9, then restarted, and PostgreSQL itself restarts: another takes
# the lead within seconds, one collector sweeps at a time, every report is
# stored exactly once, no alert is opened twice and each webhook event is
# delivered once.
#
# Usage: pg.sh cluster.sh AGENT SERVER ROOTS_DIR SINK
set -eu
AGENT=$1 SERVER=$2 roots=$3 SINK=$4
[ -n "${HYGIE_TEST_PG:-}" ] || {
	echo "cluster.sh runs under tests/pg.sh" >&2
	exit 2
}
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1
command -v haproxy >/dev/null || fail "haproxy is not installed (scripts/setup --test)"

# Below the ephemeral range (32768 and up), where an outgoing connection
# could hold the port a receiver is to listen on.
free_port() { echo $((20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000)); }
port=$(free_port)
wport=$(free_port)
pids=
printf 'whsec-%s\n' "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" >"$tmp/webhook.secret"
chmod 600 "$tmp/webhook.secret"
cat >"$tmp/server.ini" <<EOT
[server]
sweep_interval = 1
[notify]
webhook_url = http://127.0.0.1:$wport/hook
webhook_secret_file = $tmp/webhook.secret
retry_max = 1s
EOT
trap 'touch "$tmp/stop"; kill $pids 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT

# node_start N: collector N on 127.0.0.1N, from a copy of the data
# directory (the CA and the collector's certificate), as each host keeps.
node_start() {
	[ -d "$tmp/node$1" ] || cp -a "$data" "$tmp/node$1"
	(exec "$SERVER" serve --data "$tmp/node$1" --database "$HYGIE_TEST_PG" \
		--listen "127.0.0.1$1:$port" --config "$tmp/server.ini" >>"$tmp/node$1.log" 2>&1) &
	eval "pid$1=$!"
	pids="$pids $!"
	for i in $(seq 50); do
		node "$1" /healthz >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "collector $1 did not start: $(tail -3 "$tmp/node$1.log")"
}
# node N PATH: GET from collector N itself, as an administrator.
node() {
	curl -sf --cacert "$data/ca.crt" -H "Authorization: Bearer $api" \
		--connect-to "127.0.0.1:$port:127.0.0.1$1:$port" "https://127.0.0.1:$port$2"
}
# metric N NAME: a value of collector N's /metrics, "" when it is down.
metric() {
	node "$1" /metrics 2>/dev/null | awk -v m="$2" '$1 == m { print $2 }'
}
# leaders: the collectors that lead now.
leaders() {
	for n in 1 2 3; do
		[ "$(metric $n hygie_leading)" = 1 ] && printf '%s ' $n
	done
	echo
}
# sweeps: each live collector's sweeps so far, "N:count ...".
sweeps() {
	for n in 1 2 3; do
		printf '%s:%s ' $n "$(metric $n hygie_sweeps_total)"
	done
	echo
}
# only_leader_sweeps L: over 3 s, only collector L sweeps.
only_leader_sweeps() {
	before=$(sweeps)
	sleep 3
	after=$(sweeps)
	for n in 1 2 3; do
		b=$(echo "$before" | tr ' ' '\n' | sed -n "s/^$n://p")
		a=$(echo "$after" | tr ' ' '\n' | sed -n "s/^$n://p")
		[ -z "$a" ] || [ -z "$b" ] && continue
		if [ "$n" = "$1" ]; then
			[ "$a" -gt "$b" ] || fail "the leader $n did not sweep: $before -> $after"
		else
			[ "$a" = "$b" ] || fail "collector $n swept while $1 leads: $before -> $after"
		fi
	done
}
# lead_locks: sessions holding the lead's advisory lock ("hlead").
lead_locks() {
	db_query "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND classid = 104 AND objid = 1818583396"
}

for n in 1 2 3; do node_start $n; done
for i in $(seq 50); do
	[ "$(leaders)" != "" ] && break
	sleep 0.1
done
[ "$(leaders | wc -w)" = 1 ] || fail "leaders: '$(leaders)'"
[ "$(lead_locks)" = 1 ] || fail "lead locks held: $(lead_locks)"

# start_haproxy: haproxy in front of the three, on a free port ($url).
start_haproxy() {
	for try in 1 2 3; do
		hport=$(free_port)
		cat >"$tmp/haproxy.cfg" <<EOT
defaults
	mode tcp
	timeout connect 2s
	timeout client 60s
	timeout server 60s
	retries 3
	option redispatch
frontend collectors
	bind 127.0.0.1:$hport
	default_backend nodes
backend nodes
	balance roundrobin
	server n1 127.0.0.11:$port check inter 500ms fall 1 rise 2
	server n2 127.0.0.12:$port check inter 500ms fall 1 rise 2
	server n3 127.0.0.13:$port check inter 500ms fall 1 rise 2
EOT
		haproxy -f "$tmp/haproxy.cfg" -db >>"$tmp/haproxy.log" 2>&1 &
		hpid=$!
		url=https://127.0.0.1:$hport
		for i in $(seq 100); do
			if curl -sf --cacert "$data/ca.crt" "$url/healthz" >/dev/null 2>&1; then
				pids="$pids $hpid"
				return 0
			fi
			kill -0 $hpid 2>/dev/null || break
			sleep 0.1
		done
		kill $hpid 2>/dev/null || true
		wait $hpid 2>/dev/null || true
	done
	fail "haproxy did not answer: $(tail -5 "$tmp/haproxy.log")"
}
start_haproxy
mkdir -p "$tmp/hooks"
"$SINK" http "$wport" "$tmp/hooks" 2>>"$tmp/sink.log" &
pids="$pids $!"

# Three machines stream reports through haproxy, each run after the last.
token --uses 10
for m in 1 2 3; do
	root=$tmp/root$m
	mkdir -p "$root/etc"
	printf '%032x\n' $m >"$root/etc/machine-id"
	(cd "$root" && ROOT=$root sh "$roots/backup-too-old/setup")
	"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
		--state "$tmp/state$m" --root "$root" >/dev/null || fail "enroll $m"
	(while [ ! -e "$tmp/stop" ]; do
		"$AGENT" run --once --state "$tmp/state$m" --root "$root" --config /dev/null \
			--policy "$roots/backup-too-old/policy.ini" >/dev/null 2>&1 || sleep 0.2
	done) &
	pids="$pids $!"
done
sleep 4
lead=$(leaders | tr -d ' ')
[ -n "$lead" ] && [ "${#lead}" = 1 ] || fail "leaders while streaming: '$(leaders)'"
only_leader_sweeps "$lead"

# The leader dies: another takes the lead within seconds, and sweeps.
eval "kill -9 \$pid$lead"
killed=$(date +%s%N)
took=
for i in $(seq 100); do
	now=$(leaders | tr -d ' ')
	if [ -n "$now" ]; then
		took=$((($(date +%s%N) - killed) / 1000000))
		break
	fi
	sleep 0.1
done
[ -n "$took" ] || fail "no collector took the lead after $lead was killed"
[ "${#now}" = 1 ] || fail "leaders after the kill: '$(leaders)'"
[ "$took" -lt 6000 ] || fail "the lead took $took ms to move"
echo "lead moved from $lead to $now in $took ms"
only_leader_sweeps "$now"
# Every collector tells which one swept last.
for n in 1 2 3; do
	[ "$n" = "$lead" ] && continue
	by=$(node $n /metrics | sed -n 's|^hygie_sweep_last_timestamp_seconds{node="[^"/]*/\(.*\)"}.*|\1|p')
	[ "$by" = "127.0.0.1$now:$port" ] || fail "collector $n says the last sweep was by '$by'"
done
[ "$(lead_locks)" = 1 ] || fail "lead locks held: $(lead_locks)"

# It comes back, and leads nothing: the lead stays where it is.
node_start "$lead"
sleep 3
[ "$(leaders | tr -d ' ')" = "$now" ] || fail "leaders after the restart: '$(leaders)'"
only_leader_sweeps "$now"
sleep 2

# PostgreSQL restarts: every session ends. The collectors connect again,
# one takes the lead, and reports go on.
"$HYGIE_TEST_PG_RESTART" || fail "restarting PostgreSQL"
restarted=$(db_query "SELECT count(*) FROM reports")
took=
for i in $(seq 150); do
	# A collector whose session ended is still said to lead until its next
	# round (DUTIES_POLL_MS) finds it gone: wait for the lock itself.
	if [ "$(leaders | wc -w)" = 1 ] && [ "$(lead_locks)" = 1 ] &&
		[ "$(db_query "SELECT count(*) FROM reports")" -gt "$((restarted + 6))" ]; then
		took=$i
		break
	fi
	sleep 0.1
done
[ -n "$took" ] || fail "after PostgreSQL restarted: leaders '$(leaders)', reports \
$restarted -> $(db_query "SELECT count(*) FROM reports")"
[ "$(lead_locks)" = 1 ] || fail "lead locks held after the restart: $(lead_locks)"
echo "after PostgreSQL restarted, one collector leads and reports go on"

# The machines stop, then send what their spools still hold.
touch "$tmp/stop"
for m in 1 2 3; do
	for try in 1 2 3; do
		"$AGENT" run --once --state "$tmp/state$m" --root "$tmp/root$m" --config /dev/null \
			--policy "$roots/backup-too-old/policy.ini" >/dev/null 2>&1 && break
		sleep 1
	done
done
sleep 1

# Every report each machine made is stored exactly once.
total=0
for m in 1 2 3; do
	id=$(jq -r .agent_id "$tmp/state$m/state.json")
	spooled=$(find "$tmp/state$m" -name '*.report*' | wc -l)
	[ "$spooled" = 0 ] || fail "machine $m still spools $spooled reports"
	got=$(db_query "SELECT count(*) || ' ' || count(DISTINCT seq) || ' ' || max(seq)
		FROM reports WHERE agent_id = '$id'")
	set -- $got
	[ "$1" = "$2" ] && [ "$2" = "$3" ] && [ "$1" -ge 5 ] ||
		fail "machine $m: $1 reports, $2 seqs, newest $3"
	total=$((total + $1))
done
echo "$total reports stored through haproxy, each once"

# No alert was opened twice.
twice=$(db_query "SELECT count(*) FROM (SELECT 1 FROM alerts
	GROUP BY coalesce(agent_id, ''), finess, check_id, subject HAVING count(*) > 1) t")
[ "$twice" = 0 ] || fail "$twice alerts opened twice"
open=$(db_query "SELECT count(DISTINCT agent_id) FROM alerts WHERE check_id = 'backup.recent'
	AND status = 'open'")
[ "$open" = 3 ] || fail "machines with backup.recent open: $open"

# alert_groups, kept by three collectors at once, counts the alerts.
[ "$(groups_astray)" = 0 ] || fail "alert_groups: $(groups_astray) groups astray"

# Each webhook event was delivered once, whichever collector sent it.
events=$(db_query "SELECT count(*) FROM alert_events")
for i in $(seq 100); do
	[ "$(ls "$tmp/hooks" | wc -l)" -ge "$events" ] && break
	sleep 0.1
done
delivered=$(grep -hi '^X-Hygie-Delivery:' "$tmp/hooks"/* | tr -d '\r' | awk '{print $2}' | sort)
[ "$(echo "$delivered" | uniq -d)" = "" ] ||
	fail "delivered twice: $(echo "$delivered" | uniq -d | tr '\n' ' ')"
[ "$(echo "$delivered" | wc -l)" = "$events" ] ||
	fail "$(echo "$delivered" | wc -l) deliveries for $events events"
echo "$events webhook events, each delivered once"
echo "PASS"
