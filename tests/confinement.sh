#!/bin/sh
# With --root, nothing of this machine's own system may be read: the agent
# opens only its own data, the libraries it runs on and files under the root.
# Every path the agent names to the kernel is traced and checked.
# Usage: confinement.sh AGENT ROOT...
set -eu
agent=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for r in "$@"; do
root=$(cd "$r" && pwd)
rc=0
strace -f -qq -s 4096 -o "$tmp/trace" -e trace=%file "$agent" check --root "$root" --json >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
# Absolute paths given to the kernel, minus the agent's own needs: its data,
# libraries, "/" (stat, to tell whether the root is this machine's) and
# /dev/urandom (jansson's hash seed).
bindir=$(dirname "$agent")
datadir=$(cd "$bindir/../share" && pwd)
grep -o '"/[^"]*"' "$tmp/trace" | tr -d '"' | sort -u |
	grep -v -e "^$root" -e "^$datadir/" -e '^/etc/ld\.so\.' -e '^/lib/' -e '^/lib64/' -e '^/usr/lib/' \
		-e '^/proc/self/exe$' -e '^/usr/share/locale/' -e '^/etc/localtime$' \
		-e "^$bindir/" -e '^/$' -e '^/dev/urandom$' >"$tmp/outside" || true
if [ -s "$tmp/outside" ]; then
	echo "the agent read outside the root $root:" >&2
	cat "$tmp/outside" >&2
	exit 1
fi
echo "confined to $root: $(grep -c '' "$tmp/trace") traced calls"
done
