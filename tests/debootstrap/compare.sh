#!/bin/sh
# Compares hygie-agent's pending updates with `apt list --upgradable` on one root.
#
# Usage: compare.sh AGENT ROOT
# Asserts that the sorted (package, arch, installed, candidate) sets are equal,
# and that each update's security flag is true exactly when apt names a
# "-security" suite among its origins; past the updates the agent lists one
# by one, that those it lists are apt's and that its counts are apt's. Exit 0
# when they agree.
set -eu
agent=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# APT_CONFIG is read before apt.conf.d: setting Dir there makes apt read the
# root's own configuration (APT::Default-Release...), not this machine's.
if [ "$root" != / ]; then
	printf 'Dir "%s/";\nDir::State::status "%s/var/lib/dpkg/status";\n' "$root" "$root" \
		>"$tmp/apt.conf"
	APT_CONFIG=$tmp/apt.conf
	export APT_CONFIG
fi
if ! apt list --upgradable >"$tmp/apt.out" 2>"$tmp/apt.err"; then
	echo "compare: apt list --upgradable failed on $root:" >&2
	cat "$tmp/apt.err" >&2
	exit 1
fi
# "name/suite1,suite2 candidate arch [upgradable from: installed]"
awk '/\[upgradable from:/ {
	split($1, a, "/"); inst = $6; sub(/\]$/, "", inst)
	sec = (a[2] ~ /-security(,|$)/) ? "true" : "false"
	print a[1], $3, inst, $2, sec
}' "$tmp/apt.out" | sort >"$tmp/want"

rc=0
"$agent" check --only patch --json --root "$root" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
if [ "$rc" -ge 2 ]; then
	echo "compare: hygie-agent failed ($rc)" >&2
	cat "$tmp/err" >&2
	exit 1
fi
jq -r '.facts.patch.pending[] | "\(.package) \(.arch) \(.installed) \(.candidate) \(.security)"' \
	"$tmp/out.json" | sort >"$tmp/got"
n=$(wc -l <"$tmp/want")
s=$(grep -c ' true$' "$tmp/want" || true)
counts=$(jq -r '.facts.patch | "\(.pending_count) \(.security_count)"' "$tmp/out.json")
if [ "$counts" != "$n $s" ]; then
	echo "compare: $root: hygie-agent counts $counts updates (all, security), apt $n $s" >&2
	exit 1
fi
if jq -e '.facts.patch.pending_truncated' "$tmp/out.json" >/dev/null; then
	if [ -n "$(comm -13 "$tmp/want" "$tmp/got")" ]; then
		echo "compare: $root: hygie-agent lists updates apt does not:" >&2
		comm -13 "$tmp/want" "$tmp/got" >&2
		exit 1
	fi
elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	echo "compare: $root: hygie-agent and apt disagree (- apt, + hygie):" >&2
	cat "$tmp/diff" >&2
	exit 1
fi
echo "compare: $root: $n pending updates ($s security) as apt lists them"
