#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A sweep of a hostile tree (issue 9 §3) finishes, reports the rest of the
# tree correctly, lists every odd file as skipped with its reason, and exits
# with the status of a sweep with findings (1), never 2.
# Usage: hostile-tree.sh CCGATE SOURCE-DIR
set -euo pipefail

CCGATE=$1 SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "hostile-tree: FAIL: $*" >&2
	exit 1
}

t=$tmp/tree
cp -r "$SRC/sample" "$t"
gate=arch/x86/virt/hw.c
d=$t/arch/odd
mkdir -p "$d"
# symlinks: a loop, the tree's root, out of the tree, into the tree
ln -s loop "$d/loop"
ln -s .. "$d/up"
printf 'int f(void)\n{\n\tif (!boot_cpu_has(X86_FEATURE_SVM))\n\t\treturn 0;\n\treturn 1;\n}\n' >"$tmp/outside.c"
ln -s "$tmp/outside.c" "$d/out.c"
ln -s "../x86/virt/hw.c" "$d/in.c"
# special files: never opened
mkfifo "$d/fifo.c"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$d/sock.c"
mknod "$d/dev.c" c 1 3
# binary, empty, NUL-filled, and 100 MB of trigger tokens
printf 'int x = X86_FEATURE_SVM;\0\1\2' >"$d/binary.c"
: >"$d/empty.c"
head -c 4096 /dev/zero >"$d/nul.c"
python3 -c 'import sys; open(sys.argv[1], "w").write("X86_FEATURE_SVM boot_cpu_has(X86_FEATURE_SVM)\n" * 2300000)' "$d/big.c"
# odd names, each a copy of the gate: spaces, newline, escape, dash, non-UTF-8
for n in 'we ird.c' $'new\nline.c' $'\033[31mred.c' '-dash.c' $'\xff.c'; do
	cp "$t/$gate" "$d/$n"
done

status=0
/usr/bin/time -f '%M' -o "$tmp/rss" timeout 300 "$CCGATE" sweep -v --format=json "$t" \
	>"$tmp/out.json" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status, expected 1: $(tail -3 "$tmp/err")"
rss=$(tail -1 "$tmp/rss")
[ "$rss" -lt 1048576 ] || fail "peak RSS $rss KiB"
python3 - "$tmp/out.json" <<'PY' || fail "JSON"
import json, sys
raw = open(sys.argv[1], "rb").read()
doc = json.loads(raw.decode("utf-8", "surrogateescape"))
st = doc["stats"]
skipped = {r["file"]: r["reason"] for r in st["not_parsed_completely"] if r["status"] == "skipped"}
for name, why in (("loop", None), ("out.c", "symbolic link"), ("in.c", "symbolic link"),
                  ("fifo.c", "FIFO"), ("sock.c", "socket"), ("dev.c", "device"),
                  ("binary.c", "NUL bytes"), ("big.c", "64 MiB")):
    if why is None:
        continue
    key = "arch/odd/" + name
    assert key in skipped, "%s not listed as skipped: %r" % (key, skipped)
    assert why in skipped[key], (key, skipped[key])
files = sorted(f["file"] for f in doc["findings"])
# the gate once at hw.c (not again through in.c), once per odd-named copy,
# nothing from outside the tree
assert files.count("arch/x86/virt/hw.c") == 1, files
assert not any("out" in f for f in files), files
odd = [f for f in files if f.startswith("arch/odd/")]
assert len(odd) == 5, odd
for want in ("we ird.c", "new\nline.c", "\x1b[31mred.c", "-dash.c"):
    assert "arch/odd/" + want in odd, (want, odd)
# the name that is not UTF-8: escaped in "file", exact in "file_bytes"
ff = [f for f in doc["findings"] if "file_bytes" in f]
assert [f["file_bytes"] for f in ff] == ["arch/odd/%FF.c"], ff
assert ff[0]["file"] == "arch/odd/\\xff.c", ff[0]["file"]
print("hostile-tree: %d findings, %d skipped files listed: ok" % (len(files), len(skipped)))
PY
# text: nothing reaches the terminal raw
status=0
timeout 300 "$CCGATE" sweep -v "$t" >"$tmp/out.txt" 2>"$tmp/err.txt" || status=$?
[ "$status" = 1 ] || fail "text sweep exited $status"
! grep -q $'\033' "$tmp/out.txt" "$tmp/err.txt" || fail "an escape sequence reached the output raw"
grep -q 'arch/odd/\\x1b\[31mred.c:' "$tmp/out.txt" || fail "the escaped name is missing"
grep -q 'arch/odd/new\\x0aline.c:' "$tmp/out.txt" || fail "the newline name is not escaped"
[ "$(grep -c 'error:' "$tmp/out.txt")" = 6 ] || fail "expected 6 error lines: $(cat "$tmp/out.txt")"
# SARIF's URIs carry the exact bytes, percent-encoded
status=0
timeout 300 "$CCGATE" sweep --format=sarif "$t" >"$tmp/out.sarif" 2>/dev/null || status=$?
[ "$status" = 1 ] || fail "SARIF sweep exited $status"
grep -q '"arch/odd/%FF.c"' "$tmp/out.sarif" || fail "SARIF lost the exact name"
echo "hostile-tree: text output escapes every name, JSON and SARIF carry them exactly: ok"

# Bombs (issue 14): a macro bomb, an include bomb (the file includes itself
# twice per level) and a stack bomb (3 million nested '--').  Each is one
# failed file with its reason; the sweep goes on, the whole process tree
# stays under 1 GB at -j2 and the sample's findings are all there.
b=$tmp/bombs
cp -r "$SRC/sample" "$b"
mkdir -p "$b/arch/bomb"
python3 - "$b/arch/bomb" <<'PY'
import sys
d = sys.argv[1]
m = ["/* a macro bomb: M40(x) expands to 2^40 copies of x */", "#define M0(x) (x)"]
m += ["#define M%d(x) M%d(x) + M%d(x)" % (i, i - 1, i - 1) for i in range(1, 41)]
m += ["int bomb(void)", "{", "\tif (!boot_cpu_has(X86_FEATURE_SVM))", "\t\treturn 0;",
      "\treturn M40(1);", "}"]
open(d + "/macro.c", "w").write("\n".join(m) + "\n")
open(d + "/include.c", "w").write("""/* an include bomb: each level includes itself twice, 2^40 inclusions */
#ifndef DEPTH
#define DEPTH 0
#define W4(x) x + x + x + x
#define W(x) W4(W4(W4(W4(x))))
int bomb(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return 0;
	return 0
#endif
#if DEPTH < 40
#undef DEPTH
#define DEPTH __INCLUDE_LEVEL__
 + W(1)
#include "include.c"
#include "include.c"
#endif
#if __INCLUDE_LEVEL__ == 0
	;
}
#endif
""")
open(d + "/deep.c", "w").write("int deep(void)\n{\n\tif (!boot_cpu_has(X86_FEATURE_SVM))\n"
                               "\t\treturn 0;\n\treturn " + "-" * 3000000 + "1;\n}\n")
PY
status=0
timeout 300 "$CCGATE" sweep -q --format=json "$SRC/sample" >"$tmp/sample.json" || status=$?
[ "$status" = 1 ] || fail "sample sweep exited $status"
# the peak of the sum of the resident sets of ccgate and its workers
python3 - "$tmp/bombs.json" "$tmp/bombs.err" "$tmp/bombs.rss" "$CCGATE" sweep -j2 \
	--file-memory 400M --format=json "$b" <<'PY' || status=$?
import os, subprocess, sys, time
out, err, rss_file, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def tree_rss(root):
    kids, rss = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            st = open("/proc/%s/stat" % pid).read()
            fields = st[st.rindex(")") + 2:].split()
            kids.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += kids.get(p, [])
    return total
p = subprocess.Popen(cmd, stdout=open(out, "w"), stderr=open(err, "w"))
peak, start = 0, time.time()
while p.poll() is None:
    peak = max(peak, tree_rss(p.pid))
    if time.time() - start > 300:
        p.kill()
    time.sleep(0.02)
open(rss_file, "w").write("%d\n" % peak)
sys.exit(p.returncode)
PY
[ "$status" = 1 ] || fail "bomb sweep exited $status: $(tail -3 "$tmp/bombs.err")"
peak=$(cat "$tmp/bombs.rss")
[ "$peak" -lt 1000000000 ] || fail "the bomb sweep peaked at $peak bytes"
python3 - "$tmp/bombs.json" "$tmp/sample.json" "$peak" <<'PY' || fail "bomb JSON"
import json, sys
doc, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
failed = {r["file"]: r["reason"] for r in doc["stats"]["not_parsed_completely"]
          if r["status"] == "failed"}
want = {"arch/bomb/macro.c": "exceeded the 400 MiB memory budget",
        "arch/bomb/include.c": "exceeded the 400 MiB memory budget",
        "arch/bomb/deep.c": "stack: the parse recursed deeper than its 256 MiB stack"}
assert failed == want, failed
key = lambda f: (f["file"], f["line"], f["column"], f["rule"], f["message"])
got, exp = sorted(map(key, doc["findings"])), sorted(map(key, ref["findings"]))
assert got == exp and exp, (got, exp)
print("hostile-tree: macro, include and stack bombs failed with their reasons, "
      "%d findings, peak RSS of the sweep %d MB at -j2: ok" % (len(got), int(sys.argv[3]) >> 20))
PY
