#!/bin/sh
# A full disk under the agent's state and spool: the agent says so in a clear
# line and fails the run, what it had spooled stays intact, and everything
# spooled arrives once there is room and a collector again.
#
# Usage: spool_full.sh AGENT SERVER ROOTS_DIR   (as root: it mounts a tmpfs)
set -eu
if [ -z "${HYGIE_PRIVATE_NS:-}" ]; then
	# The tmpfs lives in a mount namespace of this test's own.
	if ! unshare -m --propagation private true 2>/dev/null; then
		echo "SKIP: no private mount namespace here"
		exit 77
	fi
	HYGIE_PRIVATE_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
AGENT=$1 SERVER=$2 roots=$3
. "$(dirname "$0")/lib.sh"
trap 'stop_server; umount "$tmp/state" 2>/dev/null; rm -rf "$tmp"' EXIT

start_server
token
enroll_machine backup-too-old

run_once() {
	"$AGENT" run --once --state "$state" --root "$root" --policy "$policy" --config /dev/null \
		2>"$tmp/run.err"
}
reports() { ls "$state/spool" | grep -c '\.report$' || true; }

# The collector is down: one report waits in the spool.
stop_server
if run_once; then fail "delivered with the collector down"; fi
[ "$(reports)" = 1 ] || fail "spool before the disk fills: $(ls "$state/spool")"
sum=$(cat "$state"/spool/*.report | sha256sum)

# The state moves onto a small file system, which then fills up.
cp -a "$state" "$tmp/state.copy"
mount -t tmpfs -o size=512k,mode=0700 tmpfs "$state"
cp -a "$tmp/state.copy/." "$state/"
dd if=/dev/zero of="$state/filler" bs=4k 2>/dev/null || true
if run_once; then fail "a run on a full disk succeeded"; fi
grep -q 'msg="report not spooled".*No space left on device' "$tmp/run.err" ||
	fail "no clear word of the full disk: $(cat "$tmp/run.err")"
[ -n "${VERBOSE:-}" ] && cat "$tmp/run.err"
[ "$(reports)" = 1 ] || fail "spool on a full disk: $(ls -a "$state/spool")"
[ "$(cat "$state"/spool/*.report | sha256sum)" = "$sum" ] || fail "the spooled report changed"
[ -z "$(ls -a "$state/spool" | grep -v -e '^\.\.\?$' -e '\.report$' || true)" ] ||
	fail "partial files left in the spool: $(ls -a "$state/spool")"
jq -e .agent_id "$state/state.json" >/dev/null || fail "state.json damaged"

# Room again and the collector back: the spooled report and a new one arrive.
rm "$state/filler"
restart_server
run_once || fail "run with room again: $(cat "$tmp/run.err")"
grep -q 'unreadable' "$tmp/run.err" && fail "a spooled report was unreadable: $(cat "$tmp/run.err")"
[ "$(reports)" = 0 ] || fail "spool not drained: $(ls "$state/spool")"
n=$(db_query "SELECT count(*) FROM reports WHERE agent_id = '$agent_id'")
[ "$n" = 2 ] || fail "stored reports: $n, expected 2"
echo "ok: a full disk is reported, loses nothing spooled"
