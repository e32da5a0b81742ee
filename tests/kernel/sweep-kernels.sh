#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Whole-tree sweeps of Debian's 6.1 and 6.12 kernels and sid's 7.2 with
# their expected findings, the same with --all-headers; on 7.2, the reference hunk reverted in an overlay
# of arch/x86/virt/hw.c (ccgate patch) gives the gate finding back.  Usage: sweep-kernels.sh CCGATE
set -euo pipefail

CCGATE=$1
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for v in 6.1 6.12 7.2; do
	tree=$(kernel_tree "$v")
	status=0
	"$CCGATE" sweep --format=json "$tree" >"$tmp/$v.json" || status=$?
	[ "$status" -le 1 ] || die "sweep of $v exited with $status"
	# blanked inline bodies (the default) against every header whole:
	# the same document, byte for byte, and no unit parsed twice
	status=0
	"$CCGATE" sweep --all-headers --format=json "$tree" >"$tmp/$v-whole.json" || status=$?
	[ "$status" -le 1 ] || die "sweep --all-headers of $v exited with $status"
	cmp -s "$tmp/$v.json" "$tmp/$v-whole.json" ||
		die "$v: the default sweep and --all-headers differ: $(diff "$tmp/$v.json" "$tmp/$v-whole.json" | head -20)"
	# units ruled out by their text (KVM's guest CPUID users) lose nothing:
	# parsing every candidate gives the same findings and trigger sites
	status=0
	"$CCGATE" sweep --parse-every-candidate --format=json "$tree" >"$tmp/$v-every.json" || status=$?
	[ "$status" -le 1 ] || die "sweep --parse-every-candidate of $v exited with $status"
	python3 - "$tmp/$v.json" "$tmp/$v-every.json" "$v" <<'PY' || die "$v: ruling units out by their text changed the result"
import json, sys

d, e = (json.load(open(p)) for p in sys.argv[1:3])
v = sys.argv[3]
assert d["findings"] == e["findings"], "findings differ"
ds, es = d["stats"], e["stats"]
assert es["ruled_out"] == 0 and es["parsed"] == ds["parsed"] + ds["ruled_out"], (ds, es)
assert ds["trigger_sites"] == es["trigger_sites"], (ds["trigger_sites"], es["trigger_sites"])
out = sorted(f["file"] for f in ds["ruled_out_files"])
want = ["arch/x86/kvm/cpuid.c", "arch/x86/kvm/x86.c"]
if v == "7.2":
    want.insert(1, "arch/x86/kvm/svm/pmu.c")
assert out == want, out
ruled = {(s["file"], s["line"]) for s in ds["sites_ruled_out"]}
assert ds["trigger_sites_ruled_out"] == len(ruled) and all(f in out for f, _ in ruled), ruled
print("kernel %s: %d units ruled out by their text (%s), %d sites there; parsing them too: same findings"
      % (v, ds["ruled_out"], ", ".join(out), len(ruled)))
PY
	python3 - "$tmp/$v.json" "$v" "$tree" "$tmp" <<'PY'
import json, subprocess, sys

path, version, tree, tmp = sys.argv[1:5]
doc = json.load(open(path))
assert doc["tool"] == "ccgate", doc.get("tool")
stats = doc["stats"]
assert stats["failed"] == 0, "files failed: %r" % stats["not_parsed_completely"]
# complete analysis (issue 13): every candidate parses with 0 libclang
# errors under the tree's own kconfig and the synthesized headers
assert stats["incomplete"] == 0, "incomplete parses: %r" % stats["not_parsed_completely"]
assert stats["reparsed_whole"] == 0, "%d units had errors with blanked bodies" % stats["reparsed_whole"]
assert all(r["status"] == "skipped" for r in stats["not_parsed_completely"]), \
    stats["not_parsed_completely"]
assert stats["candidates"] >= 8, stats["candidates"]

def rule(r):
    return [f for f in doc["findings"] if f["rule"] == r]

gate = rule("cc-virt-gate")
if version == "6.1":
    assert len(gate) == 1, "6.1: expected one cc-virt-gate finding, got %r" % gate
    f = gate[0]
    assert f["file"] == "arch/x86/include/asm/virtext.h", f["file"]
    assert f["function"] == "cpu_has_svm", f["function"]
    assert f["patch"], "6.1: the finding has no patch"
    patch = tmp + "/virtext.patch"
    open(patch, "w").write(f["patch"])
    subprocess.run(["git", "apply", "--check", patch], cwd=tree, check=True)
    subprocess.run(["patch", "-p1", "--dry-run", "-s", "-i", patch], cwd=tree, check=True)
else:
    assert gate == [], "%s: expected no cc-virt-gate finding, got %r" % (version, gate)
vc = rule("vc-svm-opcodes")
if version in ("6.12", "7.2"):
    # 7.2 split shared.c: the validator is in vc-shared.c, the dispatcher
    # that must raise #UD in vc-handle.c
    vfile = "arch/x86/coco/sev/" + ("shared.c" if version == "6.12" else "vc-shared.c")
    assert len(vc) == 1, "%s: expected one vc-svm-opcodes finding, got %r" % (version, vc)
    f = vc[0]
    assert f["file"] == vfile, f["file"]
    assert f["function"] == "vc_check_opcode_bytes", f["function"]
    want = ["SVM_EXIT_" + m for m in
            ("VMRUN", "VMLOAD", "VMSAVE", "STGI", "CLGI", "SKINIT", "INVLPGA")]
    assert sorted(f["missing"]) == sorted(want), f["missing"]
    assert f["wrong"] == [], f["wrong"]
    assert f["patch"], "%s: the vc-svm-opcodes finding has no patch" % version
    assert "X86_TRAP_UD" in f["patch"], "the patch does not forward #UD"
    if version == "7.2":
        files = [l[len("+++ b/"):] for l in f["patch"].splitlines() if l.startswith("+++ b/")]
        assert files == [vfile, "arch/x86/coco/sev/vc-handle.c"], files
        hunk = f["patch"].split("+++ b/arch/x86/coco/sev/vc-handle.c\n", 1)[1]
        assert hunk.splitlines()[0].endswith(" @@ static enum es_result vc_handle_exitcode(struct es_em_ctxt *ctxt,"), hunk
        assert "+\t\tctxt->fi.vector = X86_TRAP_UD;\n" in hunk, hunk
        for m in want:
            assert "+\tcase %s:\n" % m in hunk, m
    patch = tmp + "/vc.patch"
    open(patch, "w").write(f["patch"])
    subprocess.run(["git", "apply", "--check", patch], cwd=tree, check=True)
    subprocess.run(["patch", "-p1", "--dry-run", "-s", "-i", patch], cwd=tree, check=True)
else:
    assert vc == [], "6.1: expected no vc-svm-opcodes finding, got %r" % vc
if version == "7.2":
    # what the tree holds: the gate is guarded, the validator is not
    hw = open(tree + "/arch/x86/virt/hw.c").read()
    assert "cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)" in hw, "7.2 hw.c lost its guard"
    assert "case SVM_EXIT_VMRUN" not in open(tree + "/" + vfile).read()
errors = sum(r["errors"] for r in stats["not_parsed_completely"])
# complete analysis (issue 10): every candidate unit parses with 0 errors
assert stats["incomplete"] == 0 and errors == 0, \
    "%s: %d incomplete units, %d libclang errors: %r" % (
        version, stats["incomplete"], errors, stats["not_parsed_completely"])
print("kernel %s: %d files scanned, %d candidates (%d parsed, %d incomplete, %d libclang "
      "errors), %d cc-virt-gate finding(s): ok"
      % (version, stats["files_scanned"], stats["candidates"], stats["parsed"],
         stats["incomplete"], errors, len(gate)))
PY
done

# 7.2 carries the reference fix; take it out again in an overlay of hw.c
# (ccgate patch applies the revert to a copy, the tree is only read) and
# the gate finding must come back with the reference hunk as its patch.
tree=$(kernel_tree 7.2)
mkdir -p "$tmp/rv/a/arch/x86/virt" "$tmp/rv/b/arch/x86/virt"
cp "$tree/arch/x86/virt/hw.c" "$tmp/rv/a/arch/x86/virt/hw.c"
python3 - "$tmp/rv" <<'PY'
import sys
d = sys.argv[1]
s = open(d + "/a/arch/x86/virt/hw.c").read()
fixed = ("\tif (!cpu_feature_enabled(X86_FEATURE_SVM) ||\n"
         "\t    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))\n\t\treturn -EOPNOTSUPP;\n")
assert s.count(fixed) == 1, "7.2 hw.c: the reference fix is not there once"
open(d + "/b/arch/x86/virt/hw.c", "w").write(
    s.replace(fixed, "\tif (!cpu_feature_enabled(X86_FEATURE_SVM))\n\t\treturn -EOPNOTSUPP;\n"))
PY
(cd "$tmp/rv" && diff -u a/arch/x86/virt/hw.c b/arch/x86/virt/hw.c >"$tmp/revert.patch") || true
sum_before=$(md5sum "$tree/arch/x86/virt/hw.c")
status=0
"$CCGATE" patch --format=json --tree "$tree" "$tmp/revert.patch" >"$tmp/rv.json" 2>/dev/null || status=$?
[ "$status" = 1 ] || die "ccgate patch of the revert on 7.2 exited $status, expected 1"
[ "$(md5sum "$tree/arch/x86/virt/hw.c")" = "$sum_before" ] || die "ccgate patch wrote into the tree"
python3 - "$tmp/rv.json" "$(dirname "$0")/../../sample/golden/x86_svm_init.patch" "$tree" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
golden = open(sys.argv[2]).read()
tree = sys.argv[3]
gate = [f for f in doc["findings"] if f["rule"] == "cc-virt-gate"]
assert len(gate) == 1, "7.2 reverted: expected one cc-virt-gate finding, got %r" % gate
assert [f for f in doc["findings"] if f["rule"] != "cc-virt-gate"] == [], doc["findings"]
f = gate[0]
assert f["file"] == "arch/x86/virt/hw.c" and f["function"] == "x86_svm_init", f
# the reference hunk byte for byte; only its line numbers are 7.2's: the
# hunk starts 13 lines further down than in the 7.1 file the fix was made on
at = open(tree + "/arch/x86/virt/hw.c").read().splitlines().index(
    "\t\t.emergency_disable_virtualization_cpu = x86_svm_emergency_disable_virtualization_cpu,") + 1
want = re.sub(r"^@@ -269,7 \+269,8 @@", "@@ -%d,7 +%d,8 @@" % (at, at), golden, flags=re.M)
assert want != golden
assert f["patch"] == want, "7.2 reverted: the patch is not the reference hunk:\n" + f["patch"]
print("kernel 7.2 with the reference fix reverted: one cc-virt-gate finding in x86_svm_init, "
      "the reference hunk at line %d: ok" % at)
PY
