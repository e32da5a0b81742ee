#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kbuild slot and the test macros of a header (tests/xfile's
# xfile-macro.h): a file testing through one is reported like a direct test,
# also when it names the bit elsewhere, where it is no test (a feature
# table): the slot then reads the headers the compiler read from the .cmd
# file kbuild's fixdep wrote (format of scripts/basic/fixdep.c, 6.12 and
# 7.2: "deps_OBJ := \", a path per line), and parses the file only if it
# uses one of their test macros.  Usage: kbuild-macros.sh CCGATE SOURCE-DIR
set -u
CCGATE=$(realpath "$1")
SRC=$2
. "$SRC/tests/testlib.sh"

cp -r "$SRC/tests/xfile" "$tmp/tree"
cd "$tmp/tree"
flags=(-D__KERNEL__ -nostdinc -Iinclude -Iarch/x86/include)
msg="without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'"

# a direct test and one through the header's object-like macro: both
"$CCGATE" "${flags[@]}" arch/x86/virt/xfile-macro-direct.c 2>"$tmp/d.err" &&
	grep -q "^arch/x86/virt/xfile-macro-direct.c:9:7: error: 'xfile_direct_init' trusts 'boot_cpu_has(X86_FEATURE_SVM)' $msg" "$tmp/d.err" &&
	grep -q "^arch/x86/virt/xfile-macro-direct.c:16:6: error: 'xfile_direct_disable' trusts 'XFILE_SVM_ON' $msg" "$tmp/d.err" &&
	ok "a direct test and a header macro's test in one file" ||
	bad "direct and macro test: $(cat "$tmp/d.err")"

# the bit only in a table: without kbuild's .cmd file not parsed ...
obj=arch/x86/kvm/xfile-macro-table.o
dep=(-Wp,-MMD,arch/x86/kvm/.xfile-macro-table.o.d)
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/n.err" &&
	grep -q "not parsed (no rule can report here)" "$tmp/n.err" &&
	ok "the bit only in a table, no .cmd: not parsed" ||
	bad "table without .cmd: $(cat "$tmp/n.err")"

# ... with it (fixdep's layout, the dependencies gcc -MM lists), parsed
# and reported
gcc -MM -MT "$obj" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c >"$tmp/d" ||
	bad "gcc -MM"
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
grep -q "xfile-macro.h \\\\$" arch/x86/kvm/.xfile-macro-table.o.cmd &&
	"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/t.err" &&
	grep -q "^arch/x86/kvm/xfile-macro-table.c:14:7: error: 'xfile_table_init' trusts 'xfile_svm_capable()' $msg" "$tmp/t.err" &&
	ok "the bit only in a table, the macro's header in kbuild's .cmd: reported" ||
	bad "table with .cmd: $(cat "$tmp/t.err" arch/x86/kvm/.xfile-macro-table.o.cmd)"

# a .cmd whose headers define no test macro: not parsed
sed -i '/xfile-macro.h/d' arch/x86/kvm/.xfile-macro-table.o.cmd
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/o.err" &&
	grep -q "not parsed (no rule can report here)" "$tmp/o.err" &&
	ok "a .cmd without the macro's header: not parsed" ||
	bad "table, .cmd without the macro's header: $(cat "$tmp/o.err")"
finish
