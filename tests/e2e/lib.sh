# lib.sh - a real collector on loopback for the end-to-end tests.
#
# Source it with AGENT and SERVER set. It makes $tmp, a data directory with
# one establishment, and starts hygie-server on a free port ($url); the
# collector is stopped and $tmp removed on exit. With HYGIE_TEST_PG set
# (tests/pg.sh), the collector keeps its store in that PostgreSQL database.

tmp=$(mktemp -d)
data=$tmp/data
finess=750000010
server_pid=

fail() {
	echo "FAIL: $*" >&2
	[ -f "$tmp/server.log" ] && tail -n 20 "$tmp/server.log" >&2
	exit 1
}

stop_server() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT

# srv COMMAND...: hygie-server on this test's data and store.
srv() {
	"$SERVER" "$@" --data "$data" ${HYGIE_TEST_PG:+--database "$HYGIE_TEST_PG"}
}

# db_query SQL: one value from the collector's store.
db_query() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		psql -At "$HYGIE_TEST_PG" -c "$1"
	else
		sqlite3 "$data/hygie.db" "$1"
	fi
}

# How many groups alert_groups counts otherwise than the alerts do: 0.
groups_astray() {
	if [ -n "${HYGIE_TEST_PG:-}" ]; then
		psql -At "$HYGIE_TEST_PG" -f "$(dirname "$0")/../groups_astray.sql"
	else
		sqlite3 "$data/hygie.db" <"$(dirname "$0")/../groups_astray.sql"
	fi
}

srv init >/dev/null || fail "init"
srv establishment add --finess $finess --name "EHPAD Les Tilleuls" \
	--region "Ile-de-France" --department 75 >/dev/null || fail "establishment add"
api=$(srv api-token create --json | jq -r .token)

# start_server [ARGS...]: on a port nobody uses (or again on $port after
# restart_server); waits until it answers.
start_server() {
	for try in 1 2 3 4 5; do
		[ -n "${keep_port:-}" ] || port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
		# exec: $! must be the collector itself, for kill.
		(exec "$SERVER" serve --data "$data" ${HYGIE_TEST_PG:+--database "$HYGIE_TEST_PG"} \
			--listen 127.0.0.1:$port "$@" >>"$tmp/server.log" 2>&1) &
		server_pid=$!
		for i in $(seq 50); do
			if curl -sf --cacert "$data/ca.crt" "https://127.0.0.1:$port/healthz" \
				>/dev/null 2>&1; then
				url=https://127.0.0.1:$port
				return 0
			fi
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		stop_server
	done
	fail "the collector did not start"
}

# restart_server [ARGS...]: again on the same port, where agents expect it.
restart_server() {
	keep_port=1
	start_server "$@"
	keep_port=
}

# token [ARGS...]: a new enrollment token; sets $token and $fingerprint.
token() {
	out=$(srv token create --finess $finess --json "$@") || fail "token"
	token=$(echo "$out" | jq -r .token)
	fingerprint=$(echo "$out" | jq -r .ca_fingerprint)
}

# api PATH: GET with the API token.
api() {
	curl -sS --cacert "$data/ca.crt" -H "Authorization: Bearer $api" "$url$1"
}

# open_alerts CHECK: "subject" lines of the open alerts of CHECK, sorted.
open_alerts() {
	api "/api/v1/alerts?status=open&check=$1" | jq -r '.alerts[].subject' | sort
}

# enroll_machine [SCENARIO]: a fixture machine in $root (set up as
# tests/roots/SCENARIO, under $roots, when one is named: $policy is then
# its policy), its agent enrolled with $token in $state; sets $agent_id.
enroll_machine() {
	root=$tmp/root state=$tmp/state
	mkdir -p "$root/etc"
	echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
	if [ -n "${1:-}" ]; then
		(cd "$root" && ROOT=$root sh "$roots/$1/setup")
		policy=$roots/$1/policy.ini
	fi
	"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
		--state "$state" --root "$root" >/dev/null || fail "enroll"
	agent_id=$(jq -r .agent_id "$state/state.json")
}
