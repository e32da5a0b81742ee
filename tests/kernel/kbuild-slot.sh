#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ccgate in kbuild's checker slot on a configured Debian 6.12 (issue 5):
# make C=2 CHECK=ccgate over arch/x86/{kernel,coco,kvm}/ with kbuild's real
# argv; then on sid's 7.2 (issue 19), whose Makefile first validates the
# checker with scripts/checker-valid.sh and turns it off if that fails.
# Usage: kbuild-slot.sh CCGATE
set -euo pipefail

CCGATE=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

src=$(kernel_tree 6.12)
obj=$(kernel_build 6.12)
exec 9>"$obj/.lock"
flock 9

kmake() {
	make -s -C "$src" O="$obj" -j"$(nproc)" "$@"
}

fail() {
	echo "kbuild-slot: FAIL: $*" >&2
	exit 1
}

# The objects first, so that C=2 runs only the checker.
kmake arch/x86/kernel/ arch/x86/coco/ arch/x86/kvm/ >/dev/null

# 1. Every file checked, full fidelity: zero libclang errors after the
#    translation for every parsed file, the finding in shared.c, no
#    cc-virt-gate finding, and the build completes.
kmake C=2 CHECK="$CCGATE --verbose" arch/x86/kernel/ arch/x86/coco/ arch/x86/kvm/ \
	>"$tmp/c2.out" 2>"$tmp/c2.err" || fail "make C=2 CHECK=ccgate failed: $(tail -3 "$tmp/c2.err")"
parsed=$(grep -c ' after translation (' "$tmp/c2.err" || true)
skipped=$(grep -c ': not parsed (no rule can report here)$' "$tmp/c2.err" || true)
[ "$parsed" -ge 4 ] || fail "expected at least 4 parsed files, got $parsed"
# KVM's guest CPUID checks are no test of the host bit: x86.c is not parsed
grep -q 'arch/x86/kvm/x86\.c: not parsed (no rule can report here)$' "$tmp/c2.err" ||
	fail "arch/x86/kvm/x86.c was parsed"
[ "$skipped" -ge 100 ] || fail "expected at least 100 files without trigger, got $skipped"
if grep ' after translation (' "$tmp/c2.err" | grep -v ': 0 errors after translation'; then
	fail "files above parsed with libclang errors after translation"
fi
grep -E "/arch/x86/coco/sev/shared\.c:[0-9]+:[0-9]+: error: 'vc_check_opcode_bytes' .*\[vc-svm-opcodes\]$" \
	"$tmp/c2.err" >/dev/null || fail "no vc-svm-opcodes finding located in shared.c"
[ "$(grep -c '\[vc-svm-opcodes\]$' "$tmp/c2.err")" = 1 ] ||
	fail "expected the vc-svm-opcodes finding once"
! grep -q '\[cc-virt-gate\]' "$tmp/c2.err" || fail "unexpected cc-virt-gate finding"
! grep -q '\.h:[0-9]*:[0-9]*: error' "$tmp/c2.err" || fail "a finding in a header leaked into the build log"
# The dependency files are kbuild's: still the compiler's, not rewritten.
[ -s "$obj/arch/x86/coco/sev/.core.o.cmd" ] || fail "kbuild's .core.o.cmd is gone"
echo "kbuild-slot: C=2: $parsed files parsed with 0 errors, $skipped without trigger: ok"

# The same units through compile_commands.json (issue 6): the kernel's own
# generator over the .cmd files, then a whole-tree sweep with --compdb.
python3 "$src/scripts/clang-tools/gen_compile_commands.py" -d "$obj" \
	-o "$tmp/compile_commands.json" "$obj/arch/x86/kernel" "$obj/arch/x86/coco" "$obj/arch/x86/kvm"
status=0
"$CCGATE" sweep --format=json --compdb "$tmp/compile_commands.json" "$src" >"$tmp/compdb.json" || status=$?
[ "$status" = 1 ] || fail "sweep --compdb exited $status, expected 1"
python3 - "$tmp/compdb.json" <<'PY' || fail "sweep --compdb"
import json, sys
doc = json.load(open(sys.argv[1]))
st = doc["stats"]
vc = [f for f in doc["findings"] if f["rule"] == "vc-svm-opcodes"]
assert [f["file"] for f in vc] == ["arch/x86/coco/sev/shared.c"], vc
assert not [f for f in doc["findings"] if f["rule"] == "cc-virt-gate"]
# x86.c and cpuid.c are ruled out by their text before any flags matter
assert st["compdb_units"] >= 4, st["compdb_units"]
assert {"arch/x86/kvm/x86.c", "arch/x86/kvm/cpuid.c"} <= {
    f["file"] for f in st["ruled_out_files"]}, st["ruled_out_files"]
# every candidate of the database's directories parsed clean with real flags
bad = [r for r in st["not_parsed_completely"]
       if r["file"].endswith(".c") and r["file"].startswith(
           ("arch/x86/kernel/", "arch/x86/coco/", "arch/x86/kvm/"))]
assert not bad, bad
print("kbuild-slot: sweep --compdb: %d of %d candidates with database flags, all clean: ok"
      % (st["compdb_units"], st["candidates"]))
PY
# The unconfigured sweep (synthesized headers, the tree's kconfig) agrees
# with the configured build's flags finding for finding there (issue 13).
status=0
"$CCGATE" sweep --format=json "$src" >"$tmp/plain.json" || status=$?
[ "$status" = 1 ] || fail "unconfigured sweep exited $status, expected 1"
python3 - "$tmp/compdb.json" "$tmp/plain.json" <<'PY' || fail "sweep --compdb and the unconfigured sweep disagree"
import json, sys

def mine(path):
    doc = json.load(open(path))
    return [f for f in doc["findings"] if f["file"].startswith(
        ("arch/x86/kernel/", "arch/x86/coco/", "arch/x86/kvm/"))]

db, plain = mine(sys.argv[1]), mine(sys.argv[2])
assert db, "no finding in the database's directories"
assert db == plain, "\n--compdb: %r\nunconfigured: %r" % (db, plain)
print("kbuild-slot: sweep --compdb and the unconfigured sweep: the same %d finding(s), patches included, in arch/x86/{kernel,coco,kvm}: ok"
      % len(db))
PY

# Concurrent checkers on one file (make -j) share nothing: eight at once
# print the same diagnostics as one alone, and write nothing.
argv=$(make -C "$src" O="$obj" C=2 CHECK="echo" arch/x86/coco/sev/core.o 2>/dev/null | grep -- "-D__KERNEL__.*/core\.c$" | tail -1)
[ -n "$argv" ] || fail "could not get kbuild's argv for core.o"
(cd "$obj" && eval "\"\$CCGATE\" $argv" 2>"$tmp/one.err")
before=$(cd "$obj" && find . -newer "$tmp/one.err" -type f | wc -l)
for i in 1 2 3 4 5 6 7 8; do
	(cd "$obj" && eval "\"\$CCGATE\" $argv" 2>"$tmp/par$i.err") &
done
wait
for i in 1 2 3 4 5 6 7 8; do
	cmp -s "$tmp/one.err" "$tmp/par$i.err" || fail "concurrent run $i printed something else"
done
grep -q '\[vc-svm-opcodes\]$' "$tmp/one.err" || fail "the single run has no finding"
[ "$(cd "$obj" && find . -newer "$tmp/one.err" -type f | wc -l)" = "$before" ] ||
	fail "concurrent checkers wrote into the build directory"
echo "kbuild-slot: eight concurrent checkers of core.c agree and write nothing: ok"

# 2. --fail-on=error stops the build at that file.
status=0
kmake C=2 CHECK="$CCGATE --fail-on=error" arch/x86/coco/ >"$tmp/f.out" 2>"$tmp/f.err" || status=$?
[ "$status" != 0 ] || fail "--fail-on=error did not stop the build"
grep -q 'arch/x86/coco/sev/core.o\] Error 1' "$tmp/f.err" ||
	fail "the build did not stop at core.o: $(tail -3 "$tmp/f.err")"
echo "kbuild-slot: --fail-on=error stops at core.o: ok"

# 3. --chain=sparse: sparse's own warnings too (6.12 svm.c has two
#    context-imbalance warnings), and the combined status.
kmake C=2 CHECK="$CCGATE --chain=sparse" arch/x86/kvm/svm/svm.o >"$tmp/s.out" 2>"$tmp/s.err" ||
	fail "make C=2 CHECK='ccgate --chain=sparse' failed: $(tail -3 "$tmp/s.err")"
n=$(grep -c "svm\.c:[0-9]*:[0-9]*: warning: context imbalance in '" "$tmp/s.err" || true)
[ "$n" = 2 ] || fail "expected sparse's two context-imbalance warnings in svm.c, got $n"
echo "kbuild-slot: --chain=sparse shows sparse's warnings: ok"

# A missing sparse is one clear line and exit 2.
status=0
(cd "$obj" && PATH=/nonexistent "$CCGATE" --chain=sparse -D__KERNEL__ "$src/arch/x86/coco/sev/core.c") \
	>/dev/null 2>"$tmp/m.err" || status=$?
[ "$status" = 2 ] || fail "--chain=sparse without sparse exited $status, not 2"
[ "$(wc -l <"$tmp/m.err")" = 1 ] && grep -q "sparse.*not installed" "$tmp/m.err" ||
	fail "--chain=sparse without sparse: $(cat "$tmp/m.err")"
echo "kbuild-slot: missing sparse is an error: ok"

# 3b. 0-day's conventions (issue 16): CF=-fdiagnostic-prefix puts the
#     checker's name before the severity, as sparse does; --chain takes any
#     command (here sh -c running sparse, quoted for make: $$ is one $),
#     whose own lines carry sparse's prefix; --format=json writes one
#     document beside each object in the O= directory, none in the tree.
rm -f "$obj"/arch/x86/coco/sev/core.o.ccgate.json "$obj"/arch/x86/kvm/svm/svm.o.ccgate.json
kmake C=2 CF=-fdiagnostic-prefix CHECK="$CCGATE --chain='sh -c \"exec sparse \\\"\$\$@\\\"\" sparse'" \
	arch/x86/coco/sev/core.o arch/x86/kvm/svm/svm.o >"$tmp/p.out" 2>"$tmp/p.err" ||
	fail "make C=2 CF=-fdiagnostic-prefix CHECK='ccgate --chain=\"sh -c ...\"' failed: $(tail -3 "$tmp/p.err")"
grep -qE "/shared\.c:[0-9]+:[0-9]+: ccgate: error: .*\[vc-svm-opcodes\]$" "$tmp/p.err" ||
	fail "-fdiagnostic-prefix: no prefixed finding: $(grep vc-svm "$tmp/p.err")"
! grep -qE ":[0-9]+: (error|warning): .*\[vc-svm-opcodes\]$" "$tmp/p.err" ||
	fail "-fdiagnostic-prefix: a finding without the prefix"
n=$(grep -c "svm\.c:[0-9]*:[0-9]*: sparse: warning: context imbalance in '" "$tmp/p.err" || true)
[ "$n" = 2 ] || fail "--chain='sh -c ...': expected sparse's two prefixed warnings in svm.c, got $n"
echo "kbuild-slot: CF=-fdiagnostic-prefix, --chain='sh -c ...' running sparse: ok"
kmake C=2 CHECK="$CCGATE --format=json" arch/x86/coco/sev/core.o >"$tmp/j.out" 2>"$tmp/j.err" ||
	fail "make C=2 CHECK='ccgate --format=json' failed: $(tail -3 "$tmp/j.err")"
! grep -q 'vc-svm-opcodes' "$tmp/j.err" || fail "--format=json: the finding went to stderr too"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); f = d["findings"]; assert [x["file"] for x in f] == ["arch/x86/coco/sev/shared.c"], f' \
	"$obj/arch/x86/coco/sev/core.o.ccgate.json" || fail "--format=json: core.o.ccgate.json"
[ -z "$(find "$src/arch/x86" -name '*.ccgate.json' | head -1)" ] || fail "--format=json wrote into the source tree"
echo "kbuild-slot: --format=json writes core.o.ccgate.json in the O= directory: ok"
status=0
(cd "$obj" && "$CCGATE" --chain="no-such-checker -p=kernel" -D__KERNEL__ "$src/arch/x86/coco/sev/core.c") \
	>/dev/null 2>"$tmp/m.err" || status=$?
[ "$status" = 2 ] && [ "$(wc -l <"$tmp/m.err")" = 1 ] && grep -q "'no-such-checker' is not installed" "$tmp/m.err" ||
	fail "a missing chained program: exit $status, $(cat "$tmp/m.err")"
echo "kbuild-slot: a missing chained program is one line, exit 2: ok"

# 4. sid's 7.2: the tree's own checker probe, run exactly as its Makefile
#    runs it, accepts ccgate, with or without its options, and with a
#    chained sparse that fails the probe itself.
src=$(kernel_tree 7.2)
obj=$(kernel_build 7.2)
exec 9>"$obj/.lock"
flock 9
grep -qF 'ifneq ($(shell $(srctree)/scripts/checker-valid.sh $(CHECK) $(CHECKFLAGS)), 1)' "$src/Makefile" ||
	fail "7.2's Makefile no longer runs scripts/checker-valid.sh as this test does"
probe() {
	(cd "$obj" && sh "$src/scripts/checker-valid.sh" "$@" --arch=x86 -mlittle-endian -m64)
}
[ "$(probe "$CCGATE")" = 1 ] || fail "7.2's checker-valid.sh rejects ccgate: $(probe "$CCGATE")"
[ "$(probe "$CCGATE" --verbose)" = 1 ] || fail "7.2's checker-valid.sh rejects ccgate --verbose"
[ "$(probe "$CCGATE" --chain=sparse)" = 1 ] || fail "7.2's checker-valid.sh rejects ccgate --chain=sparse"
# the premise of the --chain case below: this sparse fails the probe itself
[ "$(probe sparse)" = 0 ] || fail "sparse passes 7.2's checker probe now: revisit the --chain case"
echo "kbuild-slot: 7.2: scripts/checker-valid.sh prints 1 for ccgate: ok"

kmake arch/x86/kernel/ arch/x86/coco/ arch/x86/kvm/ arch/x86/virt/ >/dev/null
kmake C=2 CHECK="$CCGATE --verbose" arch/x86/kernel/ arch/x86/coco/ arch/x86/kvm/ arch/x86/virt/ \
	>"$tmp/c72.out" 2>"$tmp/c72.err" || fail "7.2: make C=2 CHECK=ccgate failed: $(tail -3 "$tmp/c72.err")"
! grep -q 'is not available or not up to date' "$tmp/c72.err" || fail "7.2: kbuild disabled ccgate"
parsed=$(grep -c ' after translation (' "$tmp/c72.err" || true)
skipped=$(grep -c ': not parsed (no rule can report here)$' "$tmp/c72.err" || true)
[ "$parsed" -ge 4 ] || fail "7.2: expected at least 4 parsed files, got $parsed"
[ "$skipped" -ge 100 ] || fail "7.2: expected at least 100 files without trigger, got $skipped"
if grep ' after translation (' "$tmp/c72.err" | grep -v ': 0 errors after translation'; then
	fail "7.2: files above parsed with libclang errors after translation"
fi
for f in arch/x86/virt/hw.c arch/x86/coco/sev/vc-handle.c; do
	grep -q "^ccgate: $f: 0 errors after translation" "$tmp/c72.err" || fail "7.2: $f was not parsed"
done
grep -E "/arch/x86/coco/sev/vc-shared\.c:[0-9]+:[0-9]+: error: 'vc_check_opcode_bytes' .*\[vc-svm-opcodes\]$" \
	"$tmp/c72.err" >/dev/null || fail "7.2: no vc-svm-opcodes finding located in vc-shared.c"
[ "$(grep -c '\[vc-svm-opcodes\]$' "$tmp/c72.err")" = 1 ] || fail "7.2: expected the vc-svm-opcodes finding once"
! grep -q '\[cc-virt-gate\]' "$tmp/c72.err" || fail "7.2: unexpected cc-virt-gate finding"
echo "kbuild-slot: 7.2: C=2: $parsed files parsed with 0 errors, $skipped without trigger: ok"

# --chain=sparse on 7.2: sparse 0.6.4 fails the tree's probe, so it is not
# run; every checked file says so in one warning and ccgate's checks go on
# (the finding is there, kbuild kept the checker, no sparse error).
kmake C=2 CHECK="$CCGATE --chain=sparse" arch/x86/coco/sev/vc-handle.o arch/x86/virt/hw.o \
	>"$tmp/s72.out" 2>"$tmp/s72.err" || fail "7.2: --chain=sparse: $(tail -3 "$tmp/s72.err")"
! grep -q 'is not available or not up to date' "$tmp/s72.err" || fail "7.2: kbuild disabled ccgate --chain=sparse"
too_old=": warning: ccgate: 'sparse' fails this tree's checker probe (scripts/checker-valid.sh), too old for it: not chained, ccgate's own checks go on$"
# (kbuild also checks scripts/mod/empty.c on the way)
for f in arch/x86/coco/sev/vc-handle.c arch/x86/virt/hw.c; do
	n=$(grep -c "/$f$too_old" "$tmp/s72.err" || true)
	[ "$n" = 1 ] || fail "7.2: --chain=sparse: expected the too-old warning once for $f, got $n"
done
grep -q "vc-shared\.c:[0-9]*:[0-9]*: error: 'vc_check_opcode_bytes' .*\[vc-svm-opcodes\]$" "$tmp/s72.err" ||
	fail "7.2: --chain=sparse lost ccgate's finding"
! grep -v '\[vc-svm-opcodes\]$' "$tmp/s72.err" | grep -q ': error: ' || fail "7.2: --chain=sparse: errors besides ccgate's finding"
echo "kbuild-slot: 7.2: --chain=sparse with a sparse too old for the tree: ccgate checks alone, says so: ok"
