#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kbuild slot takes what kbuild hands a checker, as sparse does: a source
# whatever its name (kbuild 7.x's scripts/checker-valid.sh probe checks a
# mktemp file without a suffix), "-" for standard input, parsed as C, with
# the same finding as FILE.c gives.  Usage: kbuild-names.sh CCGATE SOURCE-DIR
set -euo pipefail

CCGATE=$(realpath "$1")
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "kbuild-names: FAIL: $*" >&2
	exit 1
}

cp -r "$SRC/sample" "$tmp/tree"
cd "$tmp/tree"
flags=(-D__KERNEL__ -Iinclude -Iarch/x86/include)
tag="error: 'x86_svm_init' trusts 'cpu_feature_enabled\\(X86_FEATURE_SVM\\)' without checking 'cc_platform_has\\(CC_ATTR_GUEST_MEM_ENCRYPT\\)'; .*\[cc-virt-gate\]$"

"$CCGATE" --verbose "${flags[@]}" arch/x86/virt/hw.c 2>"$tmp/c.err" || fail "hw.c: exit $?"
grep -q '^ccgate: arch/x86/virt/hw.c: 0 errors after translation' "$tmp/c.err" ||
	fail "hw.c did not parse clean: $(cat "$tmp/c.err")"
line=$(grep -E "^arch/x86/virt/hw\.c:[0-9]+:[0-9]+: $tag" "$tmp/c.err" | cut -d: -f2,3 || true)
[ -n "$line" ] || fail "no finding in hw.c: $(cat "$tmp/c.err")"

# a mktemp-style name without suffix, inside the tree
cp arch/x86/virt/hw.c arch/x86/virt/tmp.Qx3fVb1kLm
"$CCGATE" --verbose "${flags[@]}" arch/x86/virt/tmp.Qx3fVb1kLm 2>"$tmp/n.err" || fail "no suffix: exit $?"
grep -q '^ccgate: arch/x86/virt/tmp.Qx3fVb1kLm: 0 errors after translation' "$tmp/n.err" ||
	fail "the file without suffix was not parsed as C: $(cat "$tmp/n.err")"
grep -qE "^arch/x86/virt/tmp\.Qx3fVb1kLm:$line: $tag" "$tmp/n.err" ||
	fail "no finding at $line in the file without suffix: $(cat "$tmp/n.err")"
rm arch/x86/virt/tmp.Qx3fVb1kLm

# standard input, named "-" as sparse names it
"$CCGATE" --verbose "${flags[@]}" - <arch/x86/virt/hw.c 2>"$tmp/s.err" || fail "stdin: exit $?"
grep -qE "^-:$line: $tag" "$tmp/s.err" || fail "no finding at $line from stdin: $(cat "$tmp/s.err")"

# what kbuild's probe gives: a suffixless file without trigger; the slot
# prints nothing, with or without --verbose, that holds "error"
printf 'static inline int u(const int *q)\n{\n\treturn *q;\n}\n' >"$tmp/tmp.probe"
for v in "" --verbose; do
	"$CCGATE" $v --arch=x86 -mlittle-endian -m64 "$tmp/tmp.probe" >"$tmp/p.out" 2>&1 ||
		fail "probe file $v: exit $?"
	! grep -q error "$tmp/p.out" || fail "probe file $v: $(cat "$tmp/p.out")"
done
echo "kbuild-names: FILE.c, a name without suffix and '-' give the same finding; the probe's file passes: ok"
