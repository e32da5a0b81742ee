#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --apply writes the fixes in place, atomically, keeping permissions, and
# only when the file is still what was analyzed; without --apply the tree is
# never written to.  Usage: apply.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$1
SRC=$2
. "$(dirname "$0")/testlib.sh"
tree_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

# without --apply, in every format, nothing in the tree changes
cp -r "$SRC/sample" "$tmp/ro"
before=$(tree_hash "$tmp/ro")
for fmt in text json sarif; do
	"$CCGATE" sweep -q --diff --format=$fmt --fix-dir "$tmp/fixes-$fmt" "$tmp/ro" >/dev/null
done
after=$(tree_hash "$tmp/ro")
[ "$before" = "$after" ] && ok "sweep without --apply leaves the tree byte-identical" ||
	bad "the tree changed without --apply"

# --apply on a copy gives the golden result, keeps the mode, says what changed
cp -r "$SRC/sample" "$tmp/tree"
cp -r "$SRC/sample" "$tmp/gold"
(cd "$tmp/gold" && patch -p1 -s <golden/x86_svm_init.patch) || bad "golden patch"
chmod 640 "$tmp/tree/arch/x86/virt/hw.c"
"$CCGATE" sweep -q --apply "$tmp/tree" >/dev/null 2>"$tmp/err"
status=$?
[ "$status" = 1 ] && ok "--apply exits 1 (findings)" || bad "--apply exited $status"
diff -r "$tmp/tree" "$tmp/gold" >/dev/null && ok "--apply gives the golden tree" ||
	bad "--apply result differs from the golden patch: $(diff -r "$tmp/tree" "$tmp/gold" | head -5)"
[ "$(stat -c %a "$tmp/tree/arch/x86/virt/hw.c")" = 640 ] && ok "--apply keeps the mode" ||
	bad "mode changed to $(stat -c %a "$tmp/tree/arch/x86/virt/hw.c")"
grep -qx "arch/x86/virt/hw.c: note: fix applied" "$tmp/err" && ok "--apply names the file" ||
	bad "--apply did not name the file: $(cat "$tmp/err")"
ls "$tmp/tree/arch/x86/virt" | grep -q tmp && bad "temporary file left behind" ||
	ok "no temporary file left"
"$CCGATE" sweep -q "$tmp/tree" >/dev/null
status=$?
[ "$status" = 0 ] && ok "the applied tree sweeps clean" || bad "applied tree: exit $status"

# Races between analysis and --apply.  The sweep runs with -j1; a later
# candidate includes a FIFO, so its parse blocks until we write to it: by
# then hw.c has been analyzed.  race DIR MUTATION runs the sweep in DIR (a
# copy of sample/), lets MUTATION change hw.c meanwhile, and sets $status.
race() {
	local dir=$1 pid
	shift
	rm -rf "$dir"
	cp -r "$SRC/sample" "$dir"
	mkfifo "$dir/arch/x86/virt/fifo.h"
	printf '#include "fifo.h"\nint zz(void) { return X86_FEATURE_SVM; }\n' >"$dir/arch/x86/virt/zz.c"
	"$CCGATE" sweep -q -j1 --parse-every-candidate --apply "$dir" >/dev/null 2>"$tmp/err" &
	pid=$!
	exec 3>"$dir/arch/x86/virt/fifo.h"
	"$@"
	echo '#define X86_FEATURE_SVM 1' >&3
	exec 3>&-
	status=0
	wait $pid || status=$?
}

# a file changed meanwhile is refused and left alone
edit_hw() {
	echo '/* edited meanwhile */' >>"$tmp/race/arch/x86/virt/hw.c"
	cp "$tmp/race/arch/x86/virt/hw.c" "$tmp/edited.c"
}
race "$tmp/race" edit_hw
[ "$status" = 2 ] && ok "--apply on a changed file exits 2" || bad "changed file: exit $status"
grep -q "'arch/x86/virt/hw.c' changed since it was analyzed" "$tmp/err" &&
	ok "--apply says which file changed" || bad "stderr: $(cat "$tmp/err")"
cmp -s "$tmp/race/arch/x86/virt/hw.c" "$tmp/edited.c" && ok "the changed file is left alone" ||
	bad "the changed file was written"

# hw.c swapped for a symbolic link to an identical copy out of the tree
# (same bytes, so the hash matches): --apply must not write through it
link_hw() {
	cp "$tmp/race2/arch/x86/virt/hw.c" "$tmp/outside.c"
	cp "$tmp/outside.c" "$tmp/outside.orig"
	ln -sf "$tmp/outside.c" "$tmp/race2/arch/x86/virt/hw.c"
}
race "$tmp/race2" link_hw
[ "$status" = 2 ] && ok "--apply on a file swapped for a symlink exits 2" || bad "symlink: exit $status"
grep -q "'arch/x86/virt/hw.c' is a symbolic link now" "$tmp/err" &&
	ok "--apply says it will not write through the link" || bad "stderr: $(cat "$tmp/err")"
cmp -s "$tmp/outside.c" "$tmp/outside.orig" && [ -L "$tmp/race2/arch/x86/virt/hw.c" ] &&
	ok "the link and its target are left alone" || bad "written through the symlink"

# two fixes in one function a few lines apart (a wrong constant, and the
# missing cases after the last "break;"): their patches share lines, apply
# together, and give what the semantic patch makes of the file
mkdir "$tmp/two"
cp -r "$SRC/tests/fixtures/vc-svm-opcodes/include" \
	"$SRC/tests/fixtures/vc-svm-opcodes/wrong-no-default.c" "$tmp/two/"
(cd "$tmp/two" && "$CCGATE" check --tree . --apply wrong-no-default.c >/dev/null 2>"$tmp/err")
cmp -s "$tmp/two/wrong-no-default.c" "$SRC/tests/cocci/vc_svm_opcodes/wrong-no-default.res" &&
	ok "--apply applies two fixes whose patches share lines" ||
	bad "two fixes sharing lines: $(cat "$tmp/err")"

finish
