#!/bin/sh
# hygie-agent.msi under wine against a real collector on loopback: a wrong
# token rolls the installation back with its reason in the MSI log; a silent
# installation with the properties enrolls and starts the HygieAgent
# service, which reports and logs to the Event Log; a cloned prefix is
# refused; reports made while the collector is away wait in the spool,
# across an upgrade to a newer (signed) MSI, and each arrives once; the
# uninstallation keeps the state unless HYGIE_PURGE=1; installed without
# the properties, the service waits for "hygie-agent enroll", and goes on
# as the new agent after an "enroll --force".
# Usage: msi.sh BUILD_WIN PREFIX_TEMPLATE SERVER
set -eu
build=$1
template=$2
SERVER=$3
AGENT=/bin/false # lib.sh's enroll_machine is not used
wine=${WINE:-/usr/lib/wine/wine64}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/lib.sh"

# Only the Event Log's lines are traced: they are what the service logs,
# since wine's ReportEventW writes them nowhere else.
export WINEDEBUG=-all,+eventlog
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
trap 'for p in "$tmp/prefix" "$tmp/clone"; do WINEPREFIX=$p wineserver -k 2>/dev/null || true; done
      stop_server; rm -rf "$tmp"' EXIT

# copy_prefix FROM TO: hard links, but for the registry files wine rewrites.
copy_prefix() {
	cp -al "$1" "$2"
	for f in "$2"/*.reg; do
		rm "$f"
		cp "$1/$(basename "$f")" "$f"
	done
}
export WINEPREFIX="$tmp/prefix"
copy_prefix "$template" "$WINEPREFIX"
c=$WINEPREFIX/drive_c
state=$c/ProgramData/Hygie/state
winpath() { echo "Z:$1" | tr / '\\'; }
w() { "$wine" "$@" 2>>"$tmp/wine.log"; }
# The wine session lives through the test, so that the service does; its
# services inherit the first program's stderr: wine.log.
wineserver -p
msiexec() {
	rc=0
	w msiexec "$@" || rc=$?
}
service_state() { w sc query HygieAgent | sed -n 's/.*STATE *: *[0-9]* *//p' | tr -d '\r '; }
spooled() { find "$state/spool" -maxdepth 1 -name '*.report' 2>/dev/null | wc -l; }
# wait_for SECONDS CONDITION...
wait_for() {
	n=$(($1 * 5))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}
reports_of() { db_query "SELECT count(*) FROM reports WHERE agent_id = '$1'"; }
has_reports() { [ "$(reports_of "$1")" -ge "$2" ]; }
spool_at_least() { [ "$(spooled)" -ge "$1" ]; }
spool_empty() { [ "$(spooled)" -eq 0 ]; }
is_state() { [ "$(service_state)" = "$1" ]; }
msi=$(winpath "$build/hygie-agent.msi")
version=$(msiinfo export "$build/hygie-agent.msi" Property | tr -d '\r' |
	sed -n 's/^ProductVersion\t//p')

start_server
token

# The agent's own settings: a collector that comes back is retried soon.
mkdir -p "$c/ProgramData/Hygie"
printf '[agent]\r\nbackoff_min = 1\r\nbackoff_max = 2\r\ndrain_per_minute = 600\r\n' \
	>"$c/ProgramData/Hygie/agent.ini"

# A wrong token: nothing installed, the reason in the log.
msiexec /i "$msi" /qn /l*v 'C:\wrong.log' HYGIE_SERVER="$url" HYGIE_TOKEN=not-a-token \
	HYGIE_CA_FINGERPRINT="$fingerprint"
[ "$rc" -ne 0 ] || fail "a wrong token installed"
grep -a "Hygie: hygie-agent: the collector refused the enrollment" "$c/wrong.log" >/dev/null ||
	fail "no readable reason in the MSI log: $(grep -a 'Hygie:' "$c/wrong.log")"
[ ! -e "$c/Program Files/Hygie" ] || fail "program files left by a failed installation"
[ -z "$(service_state)" ] || fail "a service left by a failed installation"
[ ! -e "$state" ] || fail "state left by a refused enrollment"

# The silent installation of a whole establishment.
msiexec /i "$msi" /qn /l*v 'C:\install.log' HYGIE_SERVER="$url" HYGIE_TOKEN="$token" \
	HYGIE_CA_FINGERPRINT="$fingerprint"
[ "$rc" -eq 0 ] || fail "install exited $rc: $(grep -a 'Hygie:' "$c/install.log")"
grep -a "Hygie: Enrolled as agent" "$c/install.log" >/dev/null || fail "no enrollment in the log"
if grep -a "$token" "$c/install.log" >/dev/null; then
	echo "note: wine's msi writes MsiHiddenProperties to the log (Windows does not)" >&2
fi
[ "$(service_state)" = RUNNING ] || fail "the service is not running: $(service_state)"
[ -f "$c/Program Files/Hygie/hygie-agent.exe" ] || fail "no program files"
[ -f "$c/Program Files/Hygie/locale/fr/LC_MESSAGES/hygie.mo" ] || fail "no French messages"
w reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\HygieAgent' \
	/v EventMessageFile | grep -q 'REG_EXPAND_SZ.*hygie-agent.exe' || fail "no Event Log source"
w reg query 'HKLM\SYSTEM\CurrentControlSet\Services\HygieAgent' /v ImagePath |
	grep -q 'ImagePath.*"C:\\Program Files\\Hygie\\hygie-agent.exe" run --service' ||
	fail "the service's command line is not quoted: $(w reg query \
		'HKLM\SYSTEM\CurrentControlSet\Services\HygieAgent' /v ImagePath)"
agent_id=$(jq -r .agent_id "$state/state.json")
wait_for 60 has_reports "$agent_id" 1 || fail "no report from the service"
api "/api/v1/alerts?status=open&check=antivirus.present" |
	jq -e --arg a "$agent_id" '[.alerts[] | select(.agent_id == $a)] | length == 1' \
		>/dev/null || fail "no antivirus alert for the machine"
api "/api/v1/alerts?status=open&check=backup.configured" |
	jq -e --arg a "$agent_id" '[.alerts[] | select(.agent_id == $a)] | length == 1' \
		>/dev/null || fail "no backup alert for the machine"
grep -a 'ReportEventW.*msg=\\"started\\"' "$tmp/wine.log" >/dev/null ||
	fail "the service's lines are not in the Event Log"
w "$c/Program Files/Hygie/hygie-agent.exe" status --json >"$tmp/status.json" ||
	fail "status failed"
jq -e --arg a "$agent_id" '.enrolled and .agent_id == $a and .last_delivery != null and
	.service == "running" and .memory.resident > 0 and .memory.private >= 0' \
	"$tmp/status.json" >/dev/null || fail "status: $(cat "$tmp/status.json")"

# A disk image of this PC on another one (another MachineGuid): refused.
wineserver -k # the registry on disk
export WINEPREFIX="$tmp/clone"
copy_prefix "$tmp/prefix" "$WINEPREFIX"
# Before wine starts there, or the service would run with the old one.
sed -i 's/^"MachineGuid"="[^"]*"/"MachineGuid"="0b6c3e1a-55d2-4c1e-9f3b-2a7d8e9c4f10"/' \
	"$WINEPREFIX/system.reg"
grep -q 0b6c3e1a-55d2-4c1e-9f3b-2a7d8e9c4f10 "$WINEPREFIX/system.reg" || fail "no MachineGuid"
rc=0
"$wine" "$WINEPREFIX/drive_c/Program Files/Hygie/hygie-agent.exe" run --once 2>"$tmp/clone.err" ||
	rc=$?
[ "$rc" -eq 1 ] || fail "the clone ran (exit $rc)"
grep -q "made on another machine.*enroll --force" "$tmp/clone.err" ||
	fail "the clone's refusal does not say how to enroll: $(cat "$tmp/clone.err")"
wineserver -k
[ "$(reports_of "$agent_id")" -eq 1 ] || fail "the clone reported"
export WINEPREFIX="$tmp/prefix"
wineserver -p
w cmd /c exit # the session again: the service starts
wait_for 30 is_state RUNNING || fail "the service did not start again"

# The collector away for several runs: the reports wait in the spool.
wait_for 60 has_reports "$agent_id" 2 || fail "no report after the restart"
stop_server
for i in 1 2; do
	w net stop HygieAgent >/dev/null
	w net start HygieAgent >/dev/null
	wait_for 60 spool_at_least "$i" || fail "run $i not spooled"
done

# A newer MSI, signed with a test key, over it: the same agent, the spool kept.
openssl req -x509 -newkey rsa:3072 -sha256 -days 2 -nodes -keyout "$tmp/sign.key" \
	-out "$tmp/sign.crt" -subj "/CN=Hygie test code signing" \
	-addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
	-addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
newer=$(echo "$version" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')
HYGIE_SIGN_CERT=$tmp/sign.crt HYGIE_SIGN_KEY=$tmp/sign.key "$here/../../packaging/windows/make-msi" \
	"$build/bin" "$build/hygie-msi.dll" "$newer" "$tmp/newer.msi"
osslsigncode verify -CAfile "$tmp/sign.crt" -in "$tmp/newer.msi" >/dev/null ||
	fail "the newer MSI's signature does not verify"
before=$(spooled)
msiexec /i "$(winpath "$tmp/newer.msi")" /qn /l*v 'C:\upgrade.log'
[ "$rc" -eq 0 ] || fail "upgrade exited $rc: $(tr -d '\0' <"$c/upgrade.log" |
	grep -a -i -e 'error' -e 'return value 3' -e 'Hygie:' | tail -8)"
osslsigncode verify -CAfile "$tmp/sign.crt" -in "$c/Program Files/Hygie/hygie-agent.exe" \
	>/dev/null || fail "the installed executable is not signed"
w reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s |
	grep -c 'DisplayName.*Hygie agent' | grep -qx 1 || fail "not exactly one product after the upgrade"
[ "$(jq -r .agent_id "$state/state.json")" = "$agent_id" ] || fail "another agent id"
wait_for 30 is_state RUNNING || fail "the upgraded service is not running"
[ "$(spooled)" -ge "$before" ] || fail "the spool was not kept: $(spooled) < $before"

# Back: everything arrives, each report once, none missing.
restart_server
wait_for 120 spool_empty || fail "the spool did not drain: $(spooled) left"
set -- $(db_query "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM reports
                   WHERE agent_id = '$agent_id'" | tr '|' ' ')
[ "$1" -ge 4 ] && [ "$1" -eq "$2" ] && [ "$3" -eq 1 ] && [ "$4" -eq "$1" ] ||
	fail "reports: count $1, distinct $2, seq $3..$4"

# Uninstalled: no service, no program files, no Event Log source; the
# state stays for a later installation.
msiexec /x "$(winpath "$tmp/newer.msi")" /qn /l*v 'C:\remove.log'
[ "$rc" -eq 0 ] || fail "uninstall exited $rc"
[ -z "$(service_state)" ] || fail "the service is left"
[ ! -e "$c/Program Files/Hygie" ] || fail "program files left"
! w reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\HygieAgent' \
	>/dev/null 2>&1 || fail "the Event Log source is left"
[ -f "$state/state.json" ] || fail "the state was removed without HYGIE_PURGE"

# Installed again, the enrollment is kept; HYGIE_PURGE=1 removes the state.
msiexec /i "$msi" /qn
[ "$rc" -eq 0 ] && wait_for 30 is_state RUNNING || fail "install again: $rc"
msiexec /x "$msi" /qn HYGIE_PURGE=1 /l*v 'C:\purge.log'
[ "$rc" -eq 0 ] || fail "uninstall with HYGIE_PURGE exited $rc"
[ ! -e "$c/ProgramData/Hygie" ] || fail "HYGIE_PURGE=1 left $(ls -R "$c/ProgramData/Hygie")"

# Without the properties: installed, waiting; "enroll" wakes the service.
msiexec /i "$msi" /qn
[ "$rc" -eq 0 ] && wait_for 30 is_state RUNNING || fail "install without properties: $rc"
wait_for 30 grep -aq 'not enrolled yet: waiting' "$tmp/wine.log" || fail "not said waiting"
token
w "$c/Program Files/Hygie/hygie-agent.exe" enroll --server "$url" --token "$token" \
	--ca-fingerprint "$fingerprint" >/dev/null || fail "enroll by hand"
second=$(jq -r .agent_id "$state/state.json")
[ "$second" != "$agent_id" ] || fail "the same agent id after a purge"
wait_for 60 has_reports "$second" 1 || fail "the waiting service did not report"

# Enrolled anew while it runs: the service goes on as the new agent.
token
w "$c/Program Files/Hygie/hygie-agent.exe" enroll --force --server "$url" --token "$token" \
	--ca-fingerprint "$fingerprint" >/dev/null || fail "enroll --force"
third=$(jq -r .agent_id "$state/state.json")
wait_for 60 has_reports "$third" 1 || fail "the service did not go on as the new agent"
wait_for 30 is_state RUNNING || fail "the service stopped after a new enrollment"
echo "msi: ok"
