#!/bin/sh
# With --root, nothing of this machine's own system may be read: the agent
# opens only its own data, the libraries it runs on and files under the root.
# Every path the agent names to the kernel is traced and checked, on each
# fixture scenario (its root prepared as run.sh does, with its policy).
# Usage: confinement.sh AGENT SCENARIO_DIR...
set -eu
agent=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
bindir=$(dirname "$agent")
datadir=$(cd "$bindir/../share" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$@"; do
	root="$tmp/$(basename "$dir")"
	mkdir "$root"
	[ -d "$dir/root" ] && cp -a "$dir/root/." "$root/"
	[ -f "$dir/setup" ] && (cd "$root" && ROOT="$root" sh "$dir/setup")
	set -- check --json --root "$root"
	[ -f "$dir/policy.ini" ] && set -- "$@" --policy "$dir/policy.ini"
	# A word list the policy names is the agent's own data, not the system's.
	wordlist=$(sed -n 's/^wordlist[[:space:]]*=[[:space:]]*//p' "$dir/policy.ini" 2>/dev/null || true)
	rc=0
	strace -f -qq -s 4096 -o "$tmp/trace" -e trace=%file "$agent" "$@" >/dev/null 2>"$tmp/err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
	# Absolute paths given to the kernel, minus the agent's own needs: its
	# data and policy, libraries, "/" (stat, to tell whether the root is this
	# machine's), /dev/urandom (jansson's hash seed), its own open files
	# (/proc/self/fd, to name what a confined open reached) and this
	# machine's own policy settings (/etc/hygie/policy.ini).
	# GnuTLS, loaded with libcurl (through LDAP), reads its own settings at load.
	# A sanitizer's runtime reads its own process's maps, cmdline and environ.
	sanitizer='^/-$'
	grep -q __asan_init "$agent" && sanitizer='^/proc/self/\(maps\|cmdline\|environ\)$'
	grep -o '"/[^"]*"' "$tmp/trace" | tr -d '"' | sort -u |
		grep -v -e "^$root" -e "^$datadir/" -e "^$bindir/" -e "^$dir/policy.ini$" -e "^${wordlist:-/-}$" \
			-e '^/etc/ld\.so\.' -e '^/lib/' -e '^/lib64/' -e '^/usr/lib/' \
			-e '^/proc/self/exe$' -e '^/proc/self/fd/[0-9]*$' -e '^/usr/share/locale/' \
			-e '^/etc/localtime$' -e '^/etc/hygie/policy.ini$' -e '^/$' -e '^/dev/urandom$' \
			-e '^/etc/gnutls/config$' -e "$sanitizer" >"$tmp/outside" || true
	if [ -s "$tmp/outside" ]; then
		echo "$(basename "$dir"): the agent read outside its root:" >&2
		cat "$tmp/outside" >&2
		exit 1
	fi
	echo "$(basename "$dir"): confined ($(grep -c '' "$tmp/trace") traced calls)"
done
