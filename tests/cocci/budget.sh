#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The cocci engine under the pool's accounting (issue 14): a file spatch
# fails on and a file over the time budget (spatch --timeout, from
# --file-timeout) are each named with the reason, the sweep exits 3 when
# nothing else is found, and the other files are still analyzed (the
# sample's finding is still reported); the same file over the memory budget
# (--file-memory, spatch's address space) is named too.
# Usage: budget.sh CCGATE SOURCE-DIR
set -euo pipefail

CCGATE=$1 SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "cocci-budget: FAIL: $*" >&2
	exit 1
}

# the shipped semantic patches, one of them with a rule that fails on fail.c
mkdir "$tmp/cocci"
cp "$SRC"/cocci/*.cocci "$SRC"/cocci/*.py "$tmp/cocci/"	# and their modules
cat >>"$tmp/cocci/cc_virt_gate.cocci" <<'COCCI'

@boom@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python depends on boom@
p << boom.p;
@@
if p[0].file.endswith("/fail.c"):
    raise Exception("boom")
COCCI
t=$tmp/tree
cp -r "$SRC/sample" "$t"
mkdir -p "$t/drivers/bad"
# a candidate by its comment, with a finding that is dropped when the file fails
printf '/* X86_FEATURE_SVM */\nint f(void)\n{\n\treturn boot_cpu_has(X86_FEATURE_SVM);\n}\n' >"$t/drivers/bad/fail.c"
python3 - "$t/drivers/bad/slow.c" <<'PY'
import sys
f = "int f%d(int x)\n{\n\tif (!boot_cpu_has(X86_FEATURE_SVM))\n\t\treturn 0;\n" \
    "\tif (x > %d)\n\t\tx += %d;\n\telse\n\t\tx -= 1;\n\treturn x;\n}\n"
open(sys.argv[1], "w").write("".join(f % (i, i, i) for i in range(4000)))
PY

export CCGATE_COCCI=$tmp/cocci
status=0
"$CCGATE" sweep -v --engine=cocci --file-timeout 1 "$t" >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status with the sample's finding, expected 1: $(cat "$tmp/err")"
grep -q '^arch/x86/virt/hw.c:272:7: error: .*\[cc-virt-gate\]$' "$tmp/out" ||
	fail "the sample's finding is missing: $(cat "$tmp/out")"
grep -q "^drivers/bad/fail.c: error: failed: 'cc_virt_gate.cocci': spatch failed: .*Python" "$tmp/err" ||
	fail "fail.c is not named: $(cat "$tmp/err")"
grep -q "^drivers/bad/slow.c: error: failed: 'cc_virt_gate.cocci': spatch exceeded the time budget of 1 s" "$tmp/err" ||
	fail "slow.c is not named: $(cat "$tmp/err")"

# without the finding: exit 3, both files in the JSON stats
rm "$t/arch/x86/virt/hw.c"
status=0
"$CCGATE" sweep -q --engine=cocci --file-timeout 1 --format=json "$t" >"$tmp/out.json" || status=$?
[ "$status" = 3 ] || fail "exit status $status without a finding, expected 3: $(head -c 800 "$tmp/out.json")"
python3 - "$tmp/out.json" <<'PY' || fail "JSON stats"
import json, sys
st = json.load(open(sys.argv[1]))["stats"]
failed = sorted(r["file"] for r in st["not_parsed_completely"] if r["status"] == "failed")
assert failed == ["drivers/bad/fail.c", "drivers/bad/slow.c"], failed
PY

# the memory budget applies to spatch: a large file exceeds 150 MiB
t2=$tmp/tree2
cp -r "$SRC/sample" "$t2"
mkdir -p "$t2/drivers/bad"
python3 - "$t2/drivers/bad/big.c" <<'PY'
import sys
f = "int f%d(int x)\n{\n\tif (!boot_cpu_has(X86_FEATURE_SVM))\n\t\treturn 0;\n" \
    "\tif (x > %d)\n\t\tx += %d;\n\telse\n\t\tx -= 1;\n\treturn x;\n}\n"
open(sys.argv[1], "w").write("".join(f % (i, i, i) for i in range(3000)))
PY
status=0
"$CCGATE" sweep --engine=cocci --file-timeout 20 --file-memory 150M "$t2" >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status under the memory budget, expected 1: $(cat "$tmp/err")"
grep -q '^arch/x86/virt/hw.c:272:7: error: .*\[cc-virt-gate\]$' "$tmp/out" ||
	fail "the sample's finding is missing under the memory budget"
grep -q "^drivers/bad/big.c: error: failed: 'cc_virt_gate.cocci': spatch exceeded the 150 MiB memory budget" "$tmp/err" ||
	fail "big.c is not named over the memory budget: $(cat "$tmp/err")"
echo "cocci-budget: a failing file, one over the time and one over the memory budget named, exit 3, the rest analyzed: ok"
