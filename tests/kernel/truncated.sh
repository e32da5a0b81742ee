#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The analyzer survives broken code: every candidate file of the 6.12 sweep
# (a file naming a trigger token of the pack), cut mid-token, mid-macro and
# mid-function, is swept next to the intact tree.  No parse may crash, time
# out or fail, and every file must be accounted for in the coverage stats.
# The tree is a hard-linked copy of include/ and arch/x86/ (the originals
# are never written); the cut files are new files beside them.
# Usage: truncated.sh CCGATE
set -euo pipefail

CCGATE=$1
. "$(dirname "$0")/lib.sh"
tree=$(kernel_tree 6.12)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/linux
mkdir -p "$copy/arch"
cp -al "$tree/include" "$copy/include"
cp -al "$tree/arch/x86" "$copy/arch/x86"

# the candidates: what the pack's triggers name (rules/*.yaml)
(cd "$copy" && grep -rlE --include='*.c' --include='*.h' \
	'X86_FEATURE_SVM|SVM_EXIT_' . | sed 's|^\./||' | sort) >"$tmp/cands"
[ "$(wc -l <"$tmp/cands")" -ge 10 ] || die "only $(wc -l <"$tmp/cands") candidates in 6.12"

python3 - "$copy" "$tmp/cands" "$tmp/cut" <<'PY'
import re, sys

root, cands, out = sys.argv[1:4]
made = []
for rel in open(cands).read().split():
    text = open(f"{root}/{rel}", "rb").read()
    n = len(text)
    cuts = {}
    # every cut comes after the first trigger token, so that the cut file
    # is still a candidate and gets parsed
    t0 = re.search(rb"X86_FEATURE_SVM|SVM_EXIT_", text).end()
    def find(pattern, start, flags=0):
        r = re.compile(pattern, flags)
        return r.search(text, max(t0, start)) or r.search(text, t0)
    # mid-token: the middle of a long identifier from a third on
    m = find(rb"[A-Za-z_][A-Za-z0-9_]{7,}", n // 3)
    if m:
        cuts["token"] = (m.start() + m.end()) // 2
    # mid-macro: inside a #define body, after its first continued line
    m = find(rb"^#\s*define\s+\w+.*\\\n", 0, re.M) or \
        find(rb"^#\s*define\s+\w+", 0, re.M)
    if m:
        cuts["macro"] = m.end()
    # mid-function: just after "if (" in an indented statement past half
    m = find(rb"^\t+(?:if|while|for|switch) \(", n // 2, re.M) or \
        find(rb"^\t+\w", n // 2, re.M)
    if m:
        cuts["function"] = m.end()
    base, ext = rel.rsplit(".", 1)
    for kind, off in sorted(cuts.items()):
        name = f"{base}.cut-{kind}.{ext}"
        open(f"{root}/{name}", "wb").write(text[:off])
        made.append(name)
open(out, "w").write("\n".join(made) + "\n")
PY
n_cut=$(wc -l <"$tmp/cut")
status=0
"$CCGATE" sweep --format=json --file-timeout 120 "$copy" >"$tmp/out.json" ||
	status=$?
[ "$status" -le 1 ] || die "sweep of the cut tree exited with $status"
python3 - "$tmp/out.json" "$tmp/cands" "$tmp/cut" "$copy" <<'PY'
import json, re, sys

root = sys.argv[4]
doc = json.load(open(sys.argv[1]))
cands = open(sys.argv[2]).read().split()
cut = open(sys.argv[3]).read().split()
st = doc["stats"]
bad = [f for f in st["not_parsed_completely"] if f["status"] == "failed" or
       "crash" in (f["reason"] or "") or "time budget" in (f["reason"] or "")]
assert not bad, "crashed, hung or failed: %r" % bad
# a cut before every trigger token leaves a file that is no candidate
# the sweep's prefilter (rules/*.yaml): cc-virt-gate's trigger, or
# vc-svm-opcodes' trigger with one of its also_requires words (any case) in
# the file or in a .c file it #includes
words = re.compile(rb"(?i)opcode|modrm")
inc = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"]+\.c)"', re.M)
def is_candidate(rel):
    text = open(root + "/" + rel, "rb").read()
    if b"X86_FEATURE_SVM" in text:
        return True
    if b"SVM_EXIT_" not in text:
        return False
    texts = [text]
    for name in inc.findall(text):
        try:
            texts.append(open("%s/%s/%s" % (root, rel.rsplit("/", 1)[0],
                                            name.decode()), "rb").read())
        except OSError:
            pass
    return any(words.search(t) for t in texts)
cands = [c for c in cands if is_candidate(c)]
live = [c for c in cut if is_candidate(c)]
want = len(cands) + len(live)
assert st["candidates"] == want, "candidates %d, expected %d" % (st["candidates"], want)
# skipped files that are no candidates (symbolic links of the tree) are
# listed too, but are not among the candidates' results
wanted = set(cands) | set(live)
odd = [f for f in st["not_parsed_completely"]
       if f["status"] == "skipped" and f["file"] not in wanted]
# a cut may leave a .c unit whose text cannot give a finding: ruled out
done = (st["parsed"] + st["incomplete"] + st["failed"] + st["skipped"] +
        st["ruled_out"] - len(odd))
assert done == want, "%d of %d candidates accounted for" % (done, want)
listed = {f["file"] for f in st["not_parsed_completely"]}
print("truncated: %d cut files of %d candidates (%d still candidates) swept: "
      "%d parsed completely, %d incomplete (%d of them cut files), "
      "%d ruled out by their text, no crash, no hang, no failure"
      % (len(cut), len(cands), len(live), st["parsed"], st["incomplete"],
         len(listed & set(cut)), st["ruled_out"]))
PY
