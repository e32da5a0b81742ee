#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Dogfood (sparse's selfcheck): ccgate over its own sources, each unit with
# its real flags from CMake's compile_commands.json.  No finding, no failed
# parse, every .c unit parsed completely.  (Headers are not in the database
# and get the kernel-tree defaults, -nostdinc among them, so they may parse
# incompletely here; that is reported, not hidden.)
# Usage: selfcheck.sh CCGATE SOURCE-DIR BUILD-DIR
set -euo pipefail

CCGATE=$1 SRC=$2 BUILD=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
"$CCGATE" sweep --format=json --compdb "$BUILD/compile_commands.json" "$SRC/plugin" >"$out" || status=$?
[ "$status" = 0 ] || { echo "selfcheck: sweep exited $status" >&2; exit 1; }
python3 - "$out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
st = doc["stats"]
assert doc["findings"] == [], doc["findings"]
assert st["failed"] == 0, st
bad = [r for r in st["not_parsed_completely"] if r["file"].endswith(".c")]
assert not bad, bad
assert st["compdb_units"] >= 1, st
print("selfcheck: %d files scanned, %d candidates, %d with database flags, no finding: ok"
      % (st["files_scanned"], st["candidates"], st["compdb_units"]))
PY
