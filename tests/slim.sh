#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Blanked inline bodies must never cost a parse: on the fixture tree whose
# headers hold the shapes the blanking can get wrong (tests/slim), every
# unit parses with 0 errors the first time (no unit parsed again whole),
# and the findings equal those with --all-headers.  The fixtures test
# (tests/fixture-runner.c) runs every fixture both ways as well.
# Usage: slim.sh CCGATE
set -euo pipefail

CCGATE=$1
root=$(cd "$(dirname "$0")/slim" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {
	local out=$1 status=0

	shift
	"$CCGATE" "$@" --format=json >"$out" 2>/dev/null || status=$?
	[ "$status" -le 1 ] || { echo "slim.sh: ccgate $* exited with $status" >&2; exit 1; }
}

run "$tmp/sweep.json" sweep "$root"
run "$tmp/sweep-whole.json" sweep --all-headers "$root"
run "$tmp/check.json" check --tree "$root" "$root/arch/x86/virt/slim-user.c"
run "$tmp/check-whole.json" check --all-headers --tree "$root" "$root/arch/x86/virt/slim-user.c"
python3 - "$tmp" <<'PY'
import json, sys

tmp = sys.argv[1]
for what in ("sweep", "check"):
    slim = json.load(open("%s/%s.json" % (tmp, what)))
    whole = json.load(open("%s/%s-whole.json" % (tmp, what)))
    st = slim["stats"]
    assert st["reparsed_whole"] == 0, "%s: %d units parsed again whole" % (what, st["reparsed_whole"])
    assert st["incomplete"] == 0 and st["failed"] == 0, st["not_parsed_completely"]
    assert slim["findings"], "%s: no finding at all" % what
    assert slim["findings"] == whole["findings"], "%s: findings differ" % what
    print("slim %s: %d finding(s), %d candidates, none parsed again: ok"
          % (what, len(slim["findings"]), st["candidates"]))
PY
