#!/bin/bash
# Builds real Debian roots with debootstrap (cached) and checks that
# hygie-agent's pending updates equal `apt list --upgradable` on each.
#
# Usage: run.sh AGENT [SUITE...]   (default: bookworm bullseye; run as root)
# Each root is debootstrapped once (minbase, from the point release, so
# updates are pending) under /var/cache/hygie-tests/<suite>, with sources
# for <suite>, -updates, -security and -backports; its lists are refreshed
# when older than a day. Each run writes pins afresh: one package pinned to
# backports at 600, one held at its installed version at 1001, one put on
# hold with dpkg. No mirror reachable: the test fails and says so.
set -euo pipefail
agent=$(realpath "$1")
shift
suites=("${@:-bookworm}")
here=$(dirname "$(realpath "$0")")
cache=${HYGIE_TEST_CACHE:-/var/cache/hygie-tests}

fail() {
	echo "debootstrap test: $*" >&2
	exit 1
}
[[ $(id -u) == 0 ]] || fail "must run as root (debootstrap)"
for tool in debootstrap jq; do
	command -v $tool >/dev/null || apt-get install -y -qq $tool >/dev/null ||
		fail "cannot install $tool"
done

# The Debian mirrors this machine's apt uses (HYGIE_TEST_MIRROR overrides);
# on a machine that is not Debian (Ubuntu), Debian's own.
sources() {
	{
		grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
		awk '$1 == "deb" {print $2}' /etc/apt/sources.list 2>/dev/null
	} | grep -E '/debian(-security)?/?$' || true
}
mirror=${HYGIE_TEST_MIRROR:-}
[[ -n $mirror ]] || mirror=$(sources | grep -v -- -security | head -1)
[[ -n $mirror ]] || mirror=http://deb.debian.org/debian
mirror=${mirror%/}
secmirror=$(sources | grep -- -security | head -1)
[[ -n $secmirror ]] || secmirror=${mirror%/debian}/debian-security
secmirror=${secmirror%/}

# apt on the root without chroot; APT_CONFIG is read before apt.conf.d, so
# setting Dir there makes apt read the root's own configuration.
apt_root() {
	local root=$1 cmd=$2
	shift 2
	printf 'Dir "%s/";\nDir::State::status "%s/var/lib/dpkg/status";\n' "$root" "$root" \
		>"$root.apt.conf"
	APT_CONFIG=$root.apt.conf "$cmd" -q "$@"
}

build() {
	local suite=$1 root=$2
	if [[ ! -f $root/.ready ]]; then
		echo "debootstrap test: building a $suite root once (a few minutes)..." >&2
		rm -rf "$root"
		mkdir -p "$root"
		debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 ||
			fail "debootstrap $suite from $mirror failed (no mirror reachable?): see $root.log"
		rm -f "$root/etc/apt/sources.list"
		cat >"$root/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: $suite $suite-updates $suite-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $secmirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		rm -rf "$root/var/lib/apt/lists"
		mkdir -p "$root/var/lib/apt/lists/partial"
		touch "$root/.ready"
	fi
	# This machine's mirror may serve an archive snapshot whose Release files
	# are past their Valid-Until date.
	printf 'Acquire::Check-Valid-Until "false";\n' >"$root/etc/apt/apt.conf.d/99hygie-test"
	# Refresh lists older than a day (or never fetched).
	if [[ -z $(find "$root/var/lib/apt/lists" -maxdepth 1 -name '*Release' -mmin -1440 -print -quit) ]]; then
		if ! apt_root "$root" apt-get update >"$root.update.log" 2>&1 &&
			grep -q -- "$suite-backports.* does not have a Release file" "$root.update.log"; then
			# Backports of older releases move to the archive: do without.
			sed -i "s/ $suite-backports//" "$root/etc/apt/sources.list.d/debian.sources"
			apt_root "$root" apt-get update >"$root.update.log" 2>&1 ||
				fail "apt-get update of the $suite root failed: see $root.update.log"
		fi
		if grep -q '^E: ' "$root.update.log"; then
			fail "apt-get update of the $suite root failed (no mirror reachable?): see $root.update.log"
		fi
	fi
}

# Pins that change apt's choice, written afresh each run.
pin() {
	local suite=$1 root=$2 lists=$root/var/lib/apt/lists
	rm -f "$root/etc/apt/preferences.d/"*
	dpkg --root="$root" --clear-selections 2>/dev/null || true
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${db:Status-Abbrev} ${Package}\n' |
		awk '$1 ~ /^[ih]i/ {print $2}' | sort >"$root.installed"
	# A package that backports carries: pinned there at 600, so apt takes it.
	local bpo
	bpo=$(for f in "$lists"/*_dists_"$suite"-backports_main_binary-*_Packages*; do
		[[ -e $f ]] || continue
		/usr/lib/apt/apt-helper cat-file "$f"
	done | sed -n 's/^Package: //p' | sort -u | comm -12 - "$root.installed" | head -1)
	# Two packages apt would upgrade: one kept at its version by a 1001 pin,
	# one on hold in dpkg (still listed by apt as upgradable).
	local up keep hold
	up=$(apt_root "$root" apt list --upgradable 2>/dev/null | awk -F/ '/upgradable from/ {print $1}')
	keep=$(echo "$up" | sed -n 2p)
	hold=$(echo "$up" | sed -n 3p)
	{
		if [[ -n $bpo ]]; then
			printf 'Package: %s\nPin: release n=%s-backports\nPin-Priority: 600\n\n' "$bpo" "$suite"
		fi
		if [[ -n $keep ]]; then
			local v
			v=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${Version}' "$keep")
			printf 'Explanation: keep %s\nPackage: %s\nPin: version %s\nPin-Priority: 1001\n\n' \
				"$keep" "$keep" "$v"
		fi
		printf 'Package: *\nPin: release a=%s-updates\nPin-Priority: 400\n' "$suite"
	} >"$root/etc/apt/preferences.d/hygie-test.pref"
	if [[ -n $hold ]]; then
		echo "$hold hold" | dpkg --root="$root" --set-selections
	fi
	echo "debootstrap test: $suite pins: backports=${bpo:-none} kept=${keep:-none} held=${hold:-none}"
}

mkdir -p "$cache"
# One run at a time changes the cached roots (two build trees may test at once).
exec 9>"$cache/.lock"
flock 9
for suite in "${suites[@]}"; do
	root=$cache/$suite
	build "$suite" "$root"
	pin "$suite" "$root"
	"$here/compare.sh" "$agent" "$root"
	# The whole check on a real installed system: a verdict, and no check
	# that could not read what it needed.
	rc=0
	"$agent" check --root "$root" --json >"$cache/$suite.report.json" || rc=$?
	[[ $rc == 1 ]] || fail "hygie-agent check on $suite: exit $rc, wanted 1"
	errors=$(jq -r '.findings[] | select(.status == "error") | "\(.check): \(.summary)"' \
		"$cache/$suite.report.json")
	[[ -z $errors ]] || fail "hygie-agent check on $suite gave errors: $errors"
	jq -e '[.findings[] | select(.check == "os.supported")] | length == 1' \
		"$cache/$suite.report.json" >/dev/null || fail "no os.supported finding on $suite"
	echo "debootstrap test: $suite: whole check gave $(jq '.findings | length' "$cache/$suite.report.json") findings, no error"
done
