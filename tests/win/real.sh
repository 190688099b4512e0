#!/bin/sh
# The real hygie-agent.exe (collectors/win/winapi.c, not the fake) under
# wine: it runs every family, says what wine's stubs do not answer as errors
# or skips with their reason, prints French for a French user, and refuses
# --root.
# Usage: real.sh AGENT.EXE PREFIX_TEMPLATE
set -eu
agent=$1
template=$2
wine=${WINE:-/usr/lib/wine/wine64}
tmp=$(mktemp -d)
# The language is chosen per run below, by LANG alone.
unset LANGUAGE LC_ALL LC_MESSAGES
export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
cp -al "$template" "$WINEPREFIX"
for f in "$WINEPREFIX"/*.reg; do
	rm "$f"
	cp "$template/$(basename "$f")" "$f"
done
fail() {
	echo "real agent: $*" >&2
	exit 1
}

# This machine's own settings, read over the baseline beside the executable.
mkdir -p "$WINEPREFIX/drive_c/ProgramData/Hygie"
printf '[backup:nas]\r\npath = \\\\nas\\sauvegardes\\accueil\r\n' \
	>"$WINEPREFIX/drive_c/ProgramData/Hygie/policy.ini"

rc=0
LANG=C.UTF-8 "$wine" "$agent" check --json >"$tmp/out.json" 2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; fail "check --json exited $rc"; }
jq -e . "$tmp/out.json" >/dev/null || fail "not JSON"
for fam in os patch backup passwords antivirus hardware; do
	jq -e ".facts.$fam | type == \"object\"" "$tmp/out.json" >/dev/null || fail "no $fam facts"
done
# What wine does not implement is said, with the call that failed.
jq -e '.facts.antivirus.security_center.ok == false and
       (.facts.antivirus.security_center.error | test("SecurityCenter2"))' "$tmp/out.json" \
	>/dev/null || fail "Security Center's failure is not reported"
jq -e '.facts.patch.search.ok == false and (.facts.patch.search.error | length > 0)' \
	"$tmp/out.json" >/dev/null || fail "the update search's failure is not reported"
jq -e '.facts.os.firewall.how == "windows-registry" or (.facts.os.firewall | has("note"))' \
	"$tmp/out.json" >/dev/null || fail "the firewall API's failure is not reported"
jq -e '[.findings[] | select(.check == "os.supported")] | length == 1' "$tmp/out.json" \
	>/dev/null || fail "no os.supported finding"
jq -e '.facts.os.build > 0' "$tmp/out.json" >/dev/null || fail "no build number read"
jq -e '.facts.backup.jobs.nas.path == "\\\\nas\\sauvegardes\\accueil"' "$tmp/out.json" >/dev/null ||
	fail "C:\\ProgramData\\Hygie\\policy.ini was not read"

# A French user reads French, in UTF-8.
LANG=fr_FR.UTF-8 "$wine" "$agent" check --only os >"$tmp/fr.txt" 2>&1 || true
grep -q "Système d'exploitation" "$tmp/fr.txt" || { cat "$tmp/fr.txt" >&2; fail "not in French"; }

rc=0
"$wine" "$agent" check --root / >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--root" "$tmp/err" || fail "--root is not refused (exit $rc)"
echo "real agent: every family collected; wine's missing interfaces reported; the site policy read; French; --root refused"
