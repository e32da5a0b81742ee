#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Whole-tree sweeps of Debian's 6.1 and 6.12 kernels with their expected
# findings.  Usage: sweep-kernels.sh CCGATE
set -euo pipefail

CCGATE=$1
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for v in 6.1 6.12; do
	tree=$(kernel_tree "$v")
	status=0
	"$CCGATE" sweep --format=json "$tree" >"$tmp/$v.json" || status=$?
	[ "$status" -le 1 ] || die "sweep of $v exited with $status"
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
    assert gate == [], "6.12: expected no cc-virt-gate finding, got %r" % gate
vc = rule("vc-svm-opcodes")
if version == "6.12":
    assert len(vc) == 1, "6.12: expected one vc-svm-opcodes finding, got %r" % vc
    f = vc[0]
    assert f["file"] == "arch/x86/coco/sev/shared.c", f["file"]
    assert f["function"] == "vc_check_opcode_bytes", f["function"]
    want = ["SVM_EXIT_" + m for m in
            ("VMRUN", "VMLOAD", "VMSAVE", "STGI", "CLGI", "SKINIT", "INVLPGA")]
    assert sorted(f["missing"]) == sorted(want), f["missing"]
    assert f["wrong"] == [], f["wrong"]
    assert f["patch"], "6.12: the vc-svm-opcodes finding has no patch"
    assert "X86_TRAP_UD" in f["patch"], "the patch does not forward #UD"
    patch = tmp + "/vc.patch"
    open(patch, "w").write(f["patch"])
    subprocess.run(["git", "apply", "--check", patch], cwd=tree, check=True)
    subprocess.run(["patch", "-p1", "--dry-run", "-s", "-i", patch], cwd=tree, check=True)
else:
    assert vc == [], "6.1: expected no vc-svm-opcodes finding, got %r" % vc
print("kernel %s: %d files scanned, %d candidates, %d cc-virt-gate finding(s): ok"
      % (version, stats["files_scanned"], stats["candidates"], len(gate)))
PY
done
