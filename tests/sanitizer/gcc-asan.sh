#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gcc's sanitizer runtime (issue 14): its allocator is not fork-safe, so a
# worker forked beside the prefilter threads could block forever in its
# mutex.  Build ccgate with gcc -fsanitize=address,undefined (BUILD-DIR,
# configured here if needed), then sweep the fixture corpus and the whole
# 6.12 tree ROUNDS times (default 10) at -j2 with --file-timeout 120:
# every round ends, no file fails (a
# stalled worker would be failed by the time budget; 30 s was too short
# for x86.c under ASan on a machine running other jobs), the findings are
# the same each round, and no sanitizer report is written.
# Usage: gcc-asan.sh SOURCE-DIR BUILD-DIR [ROUNDS]
set -euo pipefail

SRC=$(cd "$1" && pwd) BUILD=$2 ROUNDS=${3:-10}
. "$SRC/tests/kernel/lib.sh"
fail() {
	echo "gcc-asan: FAIL: $*" >&2
	exit 1
}

gcc=$(command -v gcc-12 || command -v gcc) || fail "no gcc"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER="$gcc" -DCCGATE_SANITIZE=address,undefined \
		-DCCGATE_UNIT_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD" -j2 --target ccgate >/dev/null
CCGATE=$BUILD/plugin/ccgate
grep -q __asan_init "$CCGATE" 2>/dev/null || nm "$CCGATE" | grep -q __asan ||
	fail "'$CCGATE' is not built with ASan"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CCGATE_SANITIZER_LOGS=$tmp/logs
. "$SRC/tests/sanitizer/env.sh"

# the whole 6.12 tree (read, never written): its 55 000 files keep the
# prefilter threads busy while the pool starts its workers; a small tree
# of a few directories did not show the hang on main in 3 rounds, the
# whole tree did in 2 of 3
k=$(kernel_tree 6.12)

# one fixture tree per rule of the registry (tests/fixtures/<rule-id>/)
trees=("$SRC/sample" "$SRC"/tests/fixtures/*/ "$k")
start=$SECONDS
for r in $(seq 1 "$ROUNDS"); do
	for i in "${!trees[@]}"; do
		status=0
		timeout 600 "$CCGATE" sweep -q -j2 --file-timeout 120 --format=json \
			"${trees[$i]}" >"$tmp/out.json" 2>"$tmp/err" || status=$?
		[ "$status" -le 1 ] ||
			fail "round $r, '${trees[$i]}': exit status $status: $(tail -3 "$tmp/err")"
		python3 - "$tmp/out.json" "$tmp/ref$i" <<'PY' ||
import json, os, sys
doc = json.load(open(sys.argv[1]))
bad = [(r["file"], r["reason"]) for r in doc["stats"]["not_parsed_completely"]
       if r["status"] == "failed"]
assert not bad, "failed files: %r" % bad
got = sorted([f["file"], f["line"], f["column"], f["rule"]] for f in doc["findings"])
if os.path.exists(sys.argv[2]):
    assert got == json.load(open(sys.argv[2])), "findings differ from round 1"
else:
    json.dump(got, open(sys.argv[2], "w"))
PY
			fail "round $r, '${trees[$i]}'"
	done
	if compgen -G "$CCGATE_SANITIZER_LOGS/*" >/dev/null; then
		cat "$CCGATE_SANITIZER_LOGS"/* >&2
		fail "round $r: a sanitizer report"
	fi
done
echo "gcc-asan: $ROUNDS rounds of ${#trees[@]} trees in $((SECONDS - start)) s, no failed file, no stalled worker, no report: ok"
