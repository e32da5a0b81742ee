#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh FUZZER SEED-DIR RUNS [SECONDS]: replay every seed (crash
# regressions included), then mutate for RUNS executions (or SECONDS).
# New inputs go to a scratch corpus, never into SEED-DIR; a crash is kept as
# ./fuzz-artifacts/<target>-crash-<sha1> in the current directory (CTest's:
# the build tree) and fails the run.  Prints the executions done.
set -uo pipefail

fuzzer=$1 seeds=$2 runs=$3 secs=${4:-0}
name=$(basename "$fuzzer")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz-artifacts "$work/corpus"

limit=(-runs="$runs")
[ "$secs" -gt 0 ] && limit=(-max_total_time="$secs")
# UBSan aborts, so that libFuzzer saves the input as it does for ASan.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1}:abort_on_error=1"
# ASAN_OPTIONS etc. come from the caller (CTest sets them in a sanitized
# build); leaks count, and -seed keeps CTest runs reproducible.
"$fuzzer" "${limit[@]}" -seed="${FUZZ_SEED:-1}" -max_len=65536 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="fuzz-artifacts/$name-" "$work/corpus" "$seeds" \
	2>"$work/log"
status=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
if [ "$status" -ne 0 ]; then
	tail -n 60 "$work/log"
	echo "FAIL: $name: exit $status after ${execs:-?} executions; input in fuzz-artifacts/"
	exit 1
fi
echo "ok: $name: ${execs:-?} executions, $(ls "$seeds" | wc -l) seeds, corpus grew to $(ls "$work/corpus" | wc -l), no crash, no leak"
