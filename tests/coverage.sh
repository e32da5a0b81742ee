#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Honest coverage: a file that crashes its worker or exceeds the time budget
# costs that file, not the sweep, is reported with the reason in text, JSON
# and SARIF, and never looks clean (exit 3).  Also the progress line: on a
# terminal only, never with --quiet.  Usage: coverage.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$1
SRC=$2
. "$(dirname "$0")/testlib.sh"
expect() {	# expect WHAT WANT-STATUS COMMAND...
	local what=$1 want=$2 status
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$status" = "$want" ] && ok "$what: exit $status" ||
		bad "$what: exit $status, want $want; stderr: $(head -3 "$tmp/err")"
}
json() {	# json FILE PYTHON-EXPRESSION-ON-d
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# a tree with no finding: one clean candidate, one that crashes its worker,
# one whose parse never ends (it includes a FIFO that nobody writes to).
# Their texts hold no test, which would rule them out unparsed: the sweeps
# of these trees parse every candidate.
EVERY=--parse-every-candidate
mkdir -p "$tmp/tree/drivers"
printf '#define X86_FEATURE_SVM 1\nint ok(void) { return X86_FEATURE_SVM; }\n' >"$tmp/tree/drivers/a.c"
printf 'int crash(void) { return X86_FEATURE_SVM; }\n' >"$tmp/tree/drivers/crash.c"
mkfifo "$tmp/tree/drivers/never.h"
printf '#include "never.h"\nint slow(void) { return X86_FEATURE_SVM; }\n' >"$tmp/tree/drivers/slow.c"

export CCGATE_TEST_CRASH=drivers/crash.c
expect "crash and time budget, no finding" 3 "$CCGATE" sweep $EVERY --file-timeout 1 "$tmp/tree"
grep -q "^ccgate: 3 files scanned, 3 candidates, 1 parsed completely, 0 incomplete, 2 failed, 1 skipped; 0 findings" "$tmp/err" &&
	ok "summary counts the failed files" || bad "summary: $(head -1 "$tmp/err")"
grep -q "^drivers/crash.c: error: failed: the parser crashed (signal 6" "$tmp/err" &&
	ok "the crash is named with its reason" || bad "crash line: $(cat "$tmp/err")"
grep -q "^drivers/slow.c: error: failed: parse exceeded the time budget of 1 s" "$tmp/err" &&
	ok "the time budget is named" || bad "timeout line: $(cat "$tmp/err")"

expect "JSON of the same run" 3 "$CCGATE" sweep $EVERY --format=json --file-timeout 1 "$tmp/tree"
cp "$tmp/out" "$tmp/run.json"
[ "$(json "$tmp/run.json" 'd["stats"]["failed"], d["stats"]["complete"], sorted(f["file"] for f in d["stats"]["not_parsed_completely"])')" = \
  "2 False ['drivers/crash.c', 'drivers/never.h', 'drivers/slow.c']" ] && ok "JSON stats name the failed files and the FIFO" ||
	bad "JSON stats: $(json "$tmp/run.json" 'd["stats"]')"

expect "SARIF of the same run" 3 "$CCGATE" sweep $EVERY --format=sarif --file-timeout 1 "$tmp/tree"
[ "$(json "$tmp/out" '[(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"] if n["descriptor"]["id"] != "ccgate/site-not-analyzed"], d["runs"][0]["invocations"][0]["exitCode"]')" = \
  "[('error', 'drivers/crash.c'), ('note', 'drivers/never.h'), ('error', 'drivers/slow.c')] 3" ] &&
	ok "SARIF invocation names the failed files" || bad "SARIF invocation: $(json "$tmp/out" 'd["runs"][0]["invocations"]')"

# a finding wins over coverage; the crash still does not stop the sweep
cp -r "$SRC/sample/." "$tmp/tree/"
expect "crash beside a finding" 1 "$CCGATE" sweep $EVERY -q --file-timeout 1 "$tmp/tree"
grep -q "\[cc-virt-gate\]" "$tmp/out" && ok "the finding is still reported" || bad "finding lost"
unset CCGATE_TEST_CRASH
rm "$tmp/tree/drivers/slow.c" "$tmp/tree/drivers/crash.c" "$tmp/tree/drivers/never.h"

# incomplete parses: 0 by default, 3 with --strict-coverage
mkdir -p "$tmp/inc/drivers"
printf '#include <missing.h>\nint f(void) { return X86_FEATURE_SVM; }\n' >"$tmp/inc/drivers/inc.c"
expect "incomplete parse" 0 "$CCGATE" sweep $EVERY "$tmp/inc"
expect "incomplete parse with --strict-coverage" 3 "$CCGATE" sweep $EVERY --strict-coverage "$tmp/inc"
grep -q "0 failed; 0 findings (-v says which parsed incompletely)" "$tmp/err" &&
	ok "the summary points at -v" || bad "summary: $(cat "$tmp/err")"

# progress: on a terminal only, and not with --quiet
if command -v script >/dev/null; then
	script -qec "$CCGATE sweep $EVERY $tmp/tree >/dev/null" /dev/null >"$tmp/tty" 2>&1
	grep -q "parsed [0-9]*/[0-9]* candidates, [0-9]* finding" "$tmp/tty" &&
		ok "progress on a terminal" || bad "no progress on a terminal: $(cat -v "$tmp/tty" | head -3)"
	script -qec "$CCGATE sweep $EVERY -q $tmp/tree >/dev/null" /dev/null >"$tmp/tty" 2>&1
	grep -q "candidates, [0-9]* finding" "$tmp/tty" && bad "progress despite --quiet" ||
		ok "no progress with --quiet"
fi
"$CCGATE" sweep $EVERY "$tmp/tree" >/dev/null 2>"$tmp/err"
grep -q $'\r' "$tmp/err" && bad "progress on a pipe" || ok "no progress when stderr is not a terminal"

finish
