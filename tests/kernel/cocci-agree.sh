#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Agreement of the libclang and Coccinelle engines: `ccgate sweep
# --engine=both` over the fixture corpus and, unless --fixtures-only, the
# whole Debian 6.1 and 6.12 trees and sid's 7.2.  Every finding must come from both
# engines, except the named known differences below (cocci/README.md says
# why); a known difference that no longer shows up fails too, so the list
# cannot go stale.
# Usage: cocci-agree.sh CCGATE SOURCE-DIR [--fixtures-only]
set -euo pipefail

CCGATE=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

corpora="fixtures-cc=$SRC/tests/fixtures/cc-virt-gate
fixtures-vc=$SRC/tests/fixtures/vc-svm-opcodes
sample=$SRC/sample
agree=$SRC/tests/agree
xfile=$SRC/tests/xfile"
if [ "${3:-}" != --fixtures-only ]; then
	corpora="$corpora
6.1=$(kernel_tree 6.1)
6.12=$(kernel_tree 6.12)
7.2=$(kernel_tree 7.2)"
fi

while IFS== read -r name dir; do
	status=0
	start=$(date +%s)
	"$CCGATE" sweep -q -j2 --engine=both --format=json "$dir" >"$tmp/$name.json" ||
		status=$?
	[ "$status" -le 1 ] || die "sweep of $name exited with $status"
	echo "$name: swept with both engines in $(( $(date +%s) - start )) s"
done <<<"$corpora"

# The cocci engine's own patches: they apply, and for cc-virt-gate they
# change the same lines as the libclang engine's, but for the #include that
# only libclang adds (known difference "include-not-added").
while IFS== read -r name dir; do
	case $name in agree|xfile) continue ;; esac
	status=0
	"$CCGATE" sweep -q -j2 --engine=cocci --format=json "$dir" \
		>"$tmp/cocci-$name.out" || status=$?
	[ "$status" -le 1 ] || die "cocci sweep of $name exited with $status"
	python3 - "$tmp/cocci-$name.out" "$tmp/$name.json" "$dir" "$tmp" "$name" <<'PY'
import json, subprocess, sys
cocci, both, tree, tmp, name = sys.argv[1:6]
INCLUDE = "+#include <linux/cc_platform.h>"
clang = {(f["rule"], f["file"], f["line"]): f for f in json.load(open(both))["findings"]}
def changed(p):
    return [l for l in p.splitlines()
            if l[:1] in "-+" and not l.startswith(("---", "+++")) and l != INCLUDE]
n = 0
for f in json.load(open(cocci))["findings"]:
    assert f["patch"], "%s: cocci finding without patch: %r" % (name, f)
    path = tmp + "/cocci.patch"
    open(path, "w").write(f["patch"])
    subprocess.run(["git", "apply", "--check", path], cwd=tree, check=True)
    c = clang[(f["rule"], f["file"], f["line"])]
    if f["rule"] == "cc-virt-gate":
        # spatch writes one diff per file: libclang's change is a run of it
        mine, theirs = changed(f["patch"]), changed(c["patch"])
        assert any(mine[k:k + len(theirs)] == theirs
                   for k in range(len(mine) - len(theirs) + 1)), \
            (f["patch"], c["patch"])
        if INCLUDE in c["patch"].splitlines():
            print("%s: known difference 'include-not-added': %s" % (name, f["file"]))
    n += 1
print("%s: %d cocci patches apply, their cc-virt-gate changes equal libclang's"
      % (name, n))
PY
done <<<"$corpora"

python3 - "$tmp" <<'PY'
import json, os, sys

tmp = sys.argv[1]
# (corpus, rule, file, line, the one engine that reports it) -> name
KNOWN = {
    ("agree", "cc-virt-gate", "arch/x86/include/asm/cross-wrapper.h", 15, "clang"):
        "cross-file-wrapper",
    ("agree", "cc-virt-gate", "arch/x86/virt/else-branch.c", 19, "cocci"):
        "inactive-preprocessor-branch",
    ("xfile", "cc-virt-gate", "arch/x86/include/asm/xfile-svm.h", 15, "clang"):
        "cross-file-wrapper",
    ("xfile", "cc-virt-gate", "arch/x86/virt/xfile-pred.c", 20, "cocci"):
        "callers-in-other-files",
    ("xfile", "cc-virt-gate", "arch/x86/kvm/xfile-macro-table.c", 14, "clang"):
        "header-macro",
    ("xfile", "cc-virt-gate", "arch/x86/virt/xfile-macro-direct.c", 16, "clang"):
        "header-macro",
    ("xfile", "cc-virt-gate", "arch/x86/virt/xfile-macro.c", 10, "clang"):
        "header-macro",
    ("xfile", "cc-virt-gate", "arch/x86/virt/xfile-macro.c", 24, "clang"):
        "header-macro",
}
seen, bad = set(), []
for name in sorted(f[:-5] for f in os.listdir(tmp) if f.endswith(".json")):
    doc = json.load(open(os.path.join(tmp, name + ".json")))
    findings = doc["findings"]
    for f in findings:
        engines = f.get("engines")
        if engines == ["clang", "cocci"]:
            continue
        key = (name, f["rule"], f["file"], f["line"],
               engines[0] if engines and len(engines) == 1 else None)
        if key in KNOWN:
            seen.add(key)
            print("%s: known difference '%s': %s:%d only from %s"
                  % (name, KNOWN[key], f["file"], f["line"], key[4]))
        else:
            bad.append("%s: %s:%d:%d [%s] engines %r" % (
                name, f["file"], f["line"], f["column"], f["rule"], engines))

    def rule(r):
        return [f for f in findings if f["rule"] == r]
    if name == "6.1":
        g = rule("cc-virt-gate")
        assert [(f["file"], f["function"]) for f in g] == \
            [("arch/x86/include/asm/virtext.h", "cpu_has_svm")], g
        assert rule("vc-svm-opcodes") == [], rule("vc-svm-opcodes")
    if name in ("6.12", "7.2"):
        assert rule("cc-virt-gate") == [], rule("cc-virt-gate")
        v = rule("vc-svm-opcodes")
        where = "shared.c" if name == "6.12" else "vc-shared.c"
        assert [(f["file"], f["function"]) for f in v] == \
            [("arch/x86/coco/sev/" + where, "vc_check_opcode_bytes")], v
        want = ["SVM_EXIT_" + m for m in ("VMRUN", "VMLOAD", "VMSAVE", "STGI",
                                          "CLGI", "SKINIT", "INVLPGA")]
        assert sorted(v[0]["missing"]) == sorted(want), v[0]["missing"]
    print("%s: %d findings, %d from both engines"
          % (name, len(findings),
             sum(f.get("engines") == ["clang", "cocci"] for f in findings)))
stale = [KNOWN[k] for k in KNOWN if k not in seen]
if bad or stale:
    for b in bad:
        print("FAIL: only one engine, not a known difference: " + b)
    for s in stale:
        print("FAIL: known difference '%s' no longer shows up" % s)
    sys.exit(1)
PY
