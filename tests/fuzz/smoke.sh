#!/bin/sh
# Runs one fuzz target for a few seconds on a scratch copy of its seed corpus.
# Usage: smoke.sh FUZZER CORPUS_DIR SECONDS
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$2/." "$work/"
cd "$work"
exec "$1" -max_total_time="$3" -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 .
