#!/bin/sh
# The command line as a user meets it: languages, exit statuses, policy errors.
# Usage: cli.sh AGENT ROOTS_DIR
set -eu
agent=$1
roots=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
expect_rc() { # want, then the command
	want=$1
	shift
	rc=0
	"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc (wanted $want): $*"
}

ended="$roots/os-debian11-ended/root"

# English by default, French by the locale, JSON in English whatever the locale.
expect_rc 1 env LC_ALL=C.UTF-8 LANGUAGE= "$agent" check --root "$ended" --only os
grep -q '^  FAIL    Debian GNU/Linux 11 (bullseye) gets no security updates since 2026-08-31' "$tmp/out" ||
	fail "English verdict: $(cat "$tmp/out")"
# The bare root has no firewall, and nothing tells whether / is encrypted.
grep -q '^  FAIL    No firewall is on (firewall.enabled)$' "$tmp/out" || fail "English firewall verdict"
grep -q '^Failed: 2  Warnings: 0  Errors: 0  Passed: 0  Skipped: 1$' "$tmp/out" || fail "English totals"
expect_rc 1 env LC_ALL=C.UTF-8 LANGUAGE=fr "$agent" check --root "$ended" --only os
grep -q 'ÉCHEC   Debian GNU/Linux 11 (bullseye) ne reçoit plus de mises à jour de sécurité' "$tmp/out" ||
	fail "French verdict: $(cat "$tmp/out")"
grep -q "^Système d'exploitation" "$tmp/out" || fail "French family title"
grep -q "ÉCHEC   Aucun pare-feu n'est actif (firewall.enabled)" "$tmp/out" || fail "French firewall verdict"
grep -q 'À faire : Installez un pare-feu et activez-le : lancez « sudo apt install ufw », puis « sudo ufw enable ».' \
	"$tmp/out" || fail "French firewall remedy"
grep -q 'IGNORÉ  Impossible de savoir si le volume système (/) est chiffré (disk.encryption)' "$tmp/out" ||
	fail "French encryption verdict"
expect_rc 1 env LC_ALL=C.UTF-8 LANGUAGE=fr "$agent" check --root "$ended" --only os --json
jq -e '.schema == "hygie.report/1" and (.findings[0].summary | startswith("Debian GNU/Linux 11 (bullseye) gets no"))' \
	"$tmp/out" >/dev/null || fail "JSON in English"
jq -e '.findings[0] | .check == "os.supported" and .status == "fail" and .severity == "high"
	and .refs == ["anssi-hygiene-35"] and (.remediation | length > 0)' "$tmp/out" >/dev/null ||
	fail "JSON finding fields"
jq -e '.report_id | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")' \
	"$tmp/out" >/dev/null || fail "report_id is a UUID"

# No colour when the output is not a terminal.
if grep -q "$(printf '\033')" "$tmp/out"; then fail "colour codes in a pipe"; fi

# Control characters from the root (hostname, system name) are not printed:
# an escape sequence could recolour or hide a verdict.
mkdir "$tmp/esc"
cp -a "$ended/." "$tmp/esc/"
printf 'host\033[2Jname\n' >"$tmp/esc/etc/hostname"
sed -i "s/^PRETTY_NAME=.*/PRETTY_NAME=\"Debian\033[32m\r PASS\"/" "$tmp/esc/etc/os-release"
expect_rc 1 env LC_ALL=C.UTF-8 LANGUAGE= "$agent" check --root "$tmp/esc" --only os
if grep -q "$(printf '[\033\r]')" "$tmp/out"; then fail "control characters from the root printed"; fi
grep -q '^Hygie check of host?\[2Jname$' "$tmp/out" || fail "hostname shown: $(cat "$tmp/out")"

# Usage and runtime errors: exit 2 and a message that says what and where.
expect_rc 2 "$agent" check --only nope
grep -q 'unknown family "nope"' "$tmp/err" || fail "unknown family message"
expect_rc 2 "$agent" check --root "$tmp/missing"
grep -q "cannot open the root $tmp/missing" "$tmp/err" || fail "missing root message"
expect_rc 2 "$agent" frobnicate
printf '[passwords]\nmin_length = 12\n\n[antivirus]\nsignatures_max_age = 3\n' >"$tmp/bad.ini"
expect_rc 2 "$agent" check --policy "$tmp/bad.ini" --root "$ended"
grep -qF "$tmp/bad.ini:5: unknown key \"signatures_max_age\" in [antivirus]" "$tmp/err" ||
	fail "policy error: $(cat "$tmp/err")"
printf '[hardware]\nmin_ram_gib = lots\n' >"$tmp/bad2.ini"
expect_rc 2 "$agent" check --policy "$tmp/bad2.ini" --root "$ended"
grep -qF "$tmp/bad2.ini:2: min_ram_gib: \"lots\" is not a whole number" "$tmp/err" ||
	fail "policy value error: $(cat "$tmp/err")"
expect_rc 0 "$agent" check --help
grep -q -- '--only' "$tmp/out" || fail "help text"

# This machine's settings apply over the shipped baseline; --policy replaces both.
mkdir "$tmp/conf"
printf '[backup:compta]\npath = /srv/backup\n' >"$tmp/conf/policy.ini"
expect_rc 1 env HYGIE_CONFDIR="$tmp/conf" "$agent" check --root "$ended" --only backup --json
jq -e '[.findings[] | select(.check == "backup.configured")][0].status == "pass"' "$tmp/out" >/dev/null ||
	fail "site policy not applied"
jq -e '[.findings[] | select(.check == "backup.recent")][0].subject == "compta"' "$tmp/out" >/dev/null ||
	fail "site backup job not checked"
printf '[os]\neol_warn_months = 6\n' >"$tmp/plain.ini"
expect_rc 1 env HYGIE_CONFDIR="$tmp/conf" "$agent" check --root "$ended" --only backup --json --policy "$tmp/plain.ini"
jq -e '[.findings[] | select(.check == "backup.configured")][0].status == "fail"' "$tmp/out" >/dev/null ||
	fail "--policy should replace the site policy"
printf '[backup:x]\npath = relative\n' >"$tmp/conf/policy.ini"
expect_rc 2 env HYGIE_CONFDIR="$tmp/conf" "$agent" check --root "$ended"
grep -qF "$tmp/conf/policy.ini:2: [backup:x] path: must be an absolute path" "$tmp/err" ||
	fail "site policy error: $(cat "$tmp/err")"

# A check talks to no collector: libcurl and the thirty libraries it brings
# are not even mapped (they would be most of its memory).
if command -v strace >/dev/null; then
	strace -f -e trace=openat -o "$tmp/trace" "$agent" check --root "$ended" --only os \
		>/dev/null 2>&1 || true
	! grep -q 'libcurl' "$tmp/trace" || fail "check loads libcurl: $(grep libcurl "$tmp/trace")"
fi

[ "$failures" -eq 0 ] || exit 1
echo "cli: all assertions hold"
