#!/bin/sh
# The dashboard in a real browser: Debian's Chromium, driven by
# playwright-core, against a real collector on loopback. Each role logs in
# and sees what it should; screenshots go to ARTIFACTS.
#
# Usage: browser.sh AGENT SERVER ROOTS_DIR ARTIFACTS
set -eu
AGENT=$1 SERVER=$2 roots=$3 artifacts=$4
here=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1

[ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium: run scripts/setup --test"
[ -d "$here/browser/node_modules/playwright-core" ] ||
	fail "no playwright-core: run scripts/setup --test"

other=290000017
srv establishment add --finess $other --name "Foyer de l'Odet" --region Bretagne \
	--department 29 >/dev/null || fail "second establishment"
pw="correct horse battery staple"
for u in "root-admin admin" "idf-support regional --region Ile-de-France" \
	"bzh-support regional --region Bretagne" "tilleuls-direction establishment --finess $finess" \
	"cnsa-analyst funder"; do
	set -- $u
	login=$1 role=$2
	shift 2
	echo "$pw" | srv user add --login "$login" --role "$role" "$@" --password-stdin >/dev/null ||
		fail "user add $login"
done

printf '[server]\nsweep_interval = 1\n' >"$tmp/server.ini"
start_server --config "$tmp/server.ini"
token --uses 2
for host in poste-accueil poste-soins; do
	root=$tmp/$host
	mkdir -p "$root/etc"
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"
	echo $host >"$root/etc/hostname"
	(cd "$root" && ROOT=$root sh "$roots/backup-too-old/setup")
	"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
		--state "$tmp/state-$host" --root "$root" >/dev/null || fail "enroll $host"
	"$AGENT" run --once --state "$tmp/state-$host" --root "$root" --config /dev/null \
		--policy "$roots/backup-too-old/policy.ini" 2>/dev/null || fail "report $host"
done
# The sweep opens the plan's alerts and keeps today's scores.
for i in $(seq 50); do
	[ "$(db_query "SELECT count(*) FROM establishment_days")" -gt 0 ] && break
	sleep 0.2
done
[ "$(db_query "SELECT count(*) FROM alerts WHERE check_id = 'establishment.crisis_exercise'
	AND status = 'open'")" = 1 ] || fail "no exercise alert to resolve"

mkdir -p "$artifacts"
HYGIE_URL=$url HYGIE_PASSWORD=$pw HYGIE_FINESS=$finess HYGIE_OTHER=$other \
	HYGIE_ARTIFACTS=$artifacts \
	node "$here/browser/dashboard.mjs" || fail "the dashboard test failed (screenshots: $artifacts)"
[ "$(db_query "SELECT count(*) FROM audit_log WHERE actor = 'tilleuls-direction'
	AND action = 'record.add'")" = 2 ] || fail "the browser's records are not audited"
echo "ok: the dashboard, role by role, in Chromium"
