#!/bin/sh
# A machine far behind on its updates still reports: tens of thousands of
# pending updates give exact counts and a capped list, in a report the
# collector takes (201), and `run --once` says delivered only then. Facts
# still too large (thousands of accounts) go as a note of their size, their
# checks as errors, and the rest of the report as it is.
#
# Usage: report_size.sh AGENT SERVER ROOTS_DIR
set -eu
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
export HYGIE_LOG_QUIET=1
# As common/report_limits.h has them.
sent_max=1048576 text_max=4194304 family_max=262144 finding_max=65536

start_server
token
root=$tmp/root
mkdir -p "$root/etc/apt" "$root/var/lib/dpkg" "$root/var/lib/apt/lists"
echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"

# 30000 packages installed, each with an update; every fourth from the
# security archive. The Release files come from the patch-pending fixture.
lists=$root/var/lib/apt/lists
for f in deb.debian.org_debian_dists_bookworm_InRelease \
	deb.debian.org_debian-security_dists_bookworm-security_InRelease; do
	cp "$roots/patch-pending/root/var/lib/apt/lists/$f" "$lists/"
done
printf 'deb http://deb.debian.org/debian bookworm main\n%s\n' \
	'deb http://deb.debian.org/debian-security bookworm-security main' >"$root/etc/apt/sources.list"
echo amd64 >"$root/var/lib/dpkg/arch"
awk -v n=30000 -v status="$root/var/lib/dpkg/status" \
	-v main="$lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages" \
	-v sec="$lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages" '
BEGIN {
	for (i = 0; i < n; i++) {
		p = sprintf("pkg%05d", i)
		printf "Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n", p >status
		printf "Package: %s\nVersion: 1.0-2\nArchitecture: amd64\n\n", p >main
		if (i % 4 == 3)
			printf "Package: %s\nVersion: 1.0-2+deb12u1\nArchitecture: amd64\n\n", p >sec
	}
}'

# 5000 local accounts, locked.
awk -v n=5000 -v passwd="$root/etc/passwd" -v shadow="$root/etc/shadow" 'BEGIN {
	print "root:x:0:0:root:/root:/bin/bash" >passwd
	print "root:!:19000:0:99999:7:::" >shadow
	for (i = 0; i < n; i++) {
		printf "user%05d:x:%d:%d::/home/user%05d:/bin/bash\n", i, 2000 + i, 2000 + i, i >passwd
		printf "user%05d:!:19000:0:99999:7:::\n", i >shadow
	}
}'
chmod 600 "$root/etc/shadow"

state=$tmp/state
"$AGENT" enroll --server "$url" --token "$token" --ca-fingerprint "$fingerprint" \
	--state "$state" --root "$root" >/dev/null || fail "enroll"
agent_id=$(jq -r .agent_id "$state/state.json")
"$AGENT" run --once --state "$state" --root "$root" --config /dev/null \
	--policy "$HYGIE_DATADIR/esms-baseline.ini" 2>"$tmp/run.err" || fail "run: $(cat "$tmp/run.err")"

# The report as the collector stored it.
n=$(db_query "SELECT count(*) FROM reports WHERE agent_id = '$agent_id'")
[ "$n" = 1 ] || fail "stored reports: $n, expected 1: $(cat "$tmp/run.err")"
srv agent report "$agent_id" | jq -c . >"$tmp/report.json"
gzip -6c "$tmp/report.json" >"$tmp/report.gz"
[ "$(stat -c %s "$tmp/report.gz")" -le $sent_max ] || fail "sent: $(stat -c %s "$tmp/report.gz")"
[ "$(stat -c %s "$tmp/report.json")" -le $text_max ] || fail "text: $(stat -c %s "$tmp/report.json")"
for fam in os patch backup passwords antivirus hardware; do
	size=$(jq -c ".facts.$fam" "$tmp/report.json" | tr -d '\n' | wc -c)
	[ "$size" -le $family_max ] || fail "facts.$fam: $size bytes"
done
size=$(jq -c '.findings[]' "$tmp/report.json" | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$size" -le $finding_max ] || fail "a finding of $size bytes"

# Exact counts, the first 200 updates listed, security updates first.
got=$(jq -c '.facts.patch | [.pending_count, .security_count, .pending_listed,
	.pending_truncated, (.pending | length), ([.pending[] | select(.security)] | length),
	.pending[0].package, .installed_count]' "$tmp/report.json")
[ "$got" = '[30000,7500,200,true,200,200,"pkg00003",30000]' ] || fail "facts.patch: $got"
got=$(jq -r '.findings[] | select(.check == "patch.updates_pending") |
	"\(.summary) | \(.evidence.count) \(.evidence.truncated) \(.evidence.updates | length)"' \
	"$tmp/report.json")
[ "$got" = "30000 updates waiting: pkg00003, pkg00007, pkg00011, pkg00015, pkg00019 and 29995 more | 30000 true 200" ] ||
	fail "patch.updates_pending: $got"
got=$(jq -r '.findings[] | select(.check == "patch.security_pending") | .summary' \
	"$tmp/report.json")
[ "$got" = "7500 security updates waiting: pkg00003, pkg00007, pkg00011, pkg00015, pkg00019 and 7495 more" ] ||
	fail "patch.security_pending: $got"
got=$(open_alerts patch.security_pending | wc -l)
[ "$got" = 1 ] || fail "patch.security_pending alerts: $got"

# The accounts: their size instead, and each password check an error.
got=$(jq -c '.facts.passwords | [.too_large, .bytes > 262144, .limit, length]' "$tmp/report.json")
[ "$got" = '[true,true,262144,3]' ] || fail "facts.passwords: $got"
jq -r '.findings[] | select(.check | startswith("password.")) | "\(.check) \(.status)"' \
	"$tmp/report.json" >"$tmp/pw"
[ "$(wc -l <"$tmp/pw")" = 8 ] || fail "password findings: $(cat "$tmp/pw")"
[ "$(grep -c ' error$' "$tmp/pw")" = 8 ] || fail "password findings: $(cat "$tmp/pw")"
got=$(jq -r '.findings[] | select(.check == "password.empty") | .summary' "$tmp/report.json")
case $got in
"Not reported: the passwords facts of this machine are too large to send ("*" KiB, the collector takes 256 KiB)") ;;
*) fail "password.empty: $got" ;;
esac
echo "ok: 30000 pending updates reported with exact counts and 200 listed, 5000 accounts as their size"
