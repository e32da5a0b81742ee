#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kbuild slot and the test macros of a header (tests/xfile's
# xfile-macro.h): a file testing through one is reported like a direct test,
# also when it names the bit elsewhere, where it is no test (a feature
# table): the slot then reads the headers the compiler read from the .cmd
# file kbuild's fixdep wrote (format of scripts/basic/fixdep.c, 6.12 and
# 7.2: "deps_OBJ := \", a path per line), and parses the file only if it
# uses one of their test macros.  Usage: kbuild-macros.sh CCGATE SOURCE-DIR
set -eu
CCGATE=$(realpath "$1")
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "kbuild-macros: FAIL: $*" >&2
	exit 1
}

cp -r "$SRC/tests/xfile" "$tmp/tree"
cd "$tmp/tree"
flags=(-D__KERNEL__ -nostdinc -Iinclude -Iarch/x86/include)
msg="without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'"

# a direct test and one through the header's object-like macro: both
"$CCGATE" "${flags[@]}" arch/x86/virt/xfile-macro-direct.c 2>"$tmp/d.err" ||
	fail "direct: exit $?"
grep -q "^arch/x86/virt/xfile-macro-direct.c:9:7: error: 'xfile_direct_init' trusts 'boot_cpu_has(X86_FEATURE_SVM)' $msg" "$tmp/d.err" &&
	grep -q "^arch/x86/virt/xfile-macro-direct.c:16:6: error: 'xfile_direct_disable' trusts 'XFILE_SVM_ON' $msg" "$tmp/d.err" ||
	fail "direct and macro test: $(cat "$tmp/d.err")"

# the bit only in a table: without kbuild's .cmd file not parsed ...
obj=arch/x86/kvm/xfile-macro-table.o
dep=(-Wp,-MMD,arch/x86/kvm/.xfile-macro-table.o.d)
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/n.err" ||
	fail "table, no .cmd: exit $?"
grep -q "not parsed (no rule can report here)" "$tmp/n.err" ||
	fail "table without .cmd: $(cat "$tmp/n.err")"

# ... with it (fixdep's layout, the dependencies gcc -MM lists), parsed
# and reported
gcc -MM -MT "$obj" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c >"$tmp/d" ||
	fail "gcc -MM"
deps=$(sed 's/^[^:]*://; s/\\$//' "$tmp/d" | tr ' ' '\n' | grep '\.h$')
{
	echo "savedcmd_$obj := gcc ${flags[*]} -c -o $obj arch/x86/kvm/xfile-macro-table.c"
	echo
	echo "source_$obj := arch/x86/kvm/xfile-macro-table.c"
	echo
	echo "deps_$obj := \\"
	echo "    \$(wildcard include/config/X86_64) \\"
	sed '$!s/$/ \\/; s/^/  /' <<<"$deps"
	echo
	echo "$obj: \$(deps_$obj)"
	echo
	echo "\$(deps_$obj):"
} >arch/x86/kvm/.xfile-macro-table.o.cmd
grep -q "xfile-macro.h \\\\$" arch/x86/kvm/.xfile-macro-table.o.cmd || fail "no .cmd: $(cat arch/x86/kvm/.xfile-macro-table.o.cmd)"
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/t.err" ||
	fail "table: exit $?"
grep -q "^arch/x86/kvm/xfile-macro-table.c:14:7: error: 'xfile_table_init' trusts 'xfile_svm_capable()' $msg" "$tmp/t.err" ||
	fail "table with .cmd: $(cat "$tmp/t.err")"

# a .cmd whose headers define no test macro: not parsed
sed -i '/xfile-macro.h/d' arch/x86/kvm/.xfile-macro-table.o.cmd
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/o.err" ||
	fail "table, other headers: exit $?"
grep -q "not parsed (no rule can report here)" "$tmp/o.err" ||
	fail "table, .cmd without the macro's header: $(cat "$tmp/o.err")"
echo "kbuild-macros: a header's test macros are tests in the slot, found through kbuild's .cmd for a file naming the bit only in a table: ok"
