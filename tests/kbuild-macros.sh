#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kbuild slot and the test macros of a header (tests/xfile's
# xfile-macro.h): a file testing through one is reported like a direct
# test.  The prefilter passes over a file that names the bit nowhere, or
# only where it is no test (a feature table); the slot then looks for the
# test macros of the headers the file #includes itself, and, for a file
# naming the bit, of every header the compiler read, from the .cmd file
# kbuild's fixdep wrote (format of scripts/basic/fixdep.c, 6.12 and 7.2:
# "deps_OBJ := \", a path per line).  Usage: kbuild-macros.sh CCGATE SOURCE-DIR
set -u
CCGATE=$(realpath "$1")
SRC=$2
. "$SRC/tests/testlib.sh"

cp -r "$SRC/tests/xfile" "$tmp/tree"
cd "$tmp/tree"
flags=(-D__KERNEL__ -nostdinc -Iinclude -Iarch/x86/include)
msg="without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'"
notparsed="not parsed (no rule can report here)"

# a direct test and one through the header's object-like macro: both
"$CCGATE" "${flags[@]}" arch/x86/virt/xfile-macro-direct.c 2>"$tmp/d.err" &&
	grep -q "^arch/x86/virt/xfile-macro-direct.c:9:7: error: 'xfile_direct_init' trusts 'boot_cpu_has(X86_FEATURE_SVM)' $msg" "$tmp/d.err" &&
	grep -q "^arch/x86/virt/xfile-macro-direct.c:16:6: error: 'xfile_direct_disable' trusts 'XFILE_SVM_ON' $msg" "$tmp/d.err" &&
	ok "a direct test and a header macro's test in one file" ||
	bad "direct and macro test: $(cat "$tmp/d.err")"

# the macro's header #included by the file itself: the bit named nowhere,
# or only in a table
"$CCGATE" "${flags[@]}" arch/x86/virt/xfile-macro.c 2>"$tmp/m.err" &&
	grep -q "^arch/x86/virt/xfile-macro.c:10:7: error: 'xfile_macro_init' trusts 'xfile_svm_capable()' $msg" "$tmp/m.err" &&
	grep -q "^arch/x86/virt/xfile-macro.c:24:6: error: 'xfile_macro_disable' trusts 'XFILE_SVM_ON' $msg" "$tmp/m.err" &&
	[ "$(grep -c error "$tmp/m.err")" = 2 ] &&
	ok "the bit named nowhere, the macro's header included: both unguarded users, not the guarded one" ||
	bad "macro user: $(cat "$tmp/m.err")"
"$CCGATE" "${flags[@]}" arch/x86/kvm/xfile-macro-table.c 2>"$tmp/t.err" &&
	grep -q "^arch/x86/kvm/xfile-macro-table.c:14:7: error: 'xfile_table_init' trusts 'xfile_svm_capable()' $msg" "$tmp/t.err" &&
	ok "the bit only in a table, the macro's header included: reported" ||
	bad "table user: $(cat "$tmp/t.err")"

# the macro's header reached through another header
cat >arch/x86/include/asm/xfile-macro-wrap.h <<'EOC'
/* SPDX-License-Identifier: GPL-2.0-only */
#include <asm/xfile-macro.h>
EOC
for f in table none; do
	sed -e 's/asm\/xfile-macro.h/asm\/xfile-macro-wrap.h/' \
		arch/x86/kvm/xfile-macro-table.c >arch/x86/kvm/wrap-$f.c
done
sed -i 's/ X86_FEATURE_SVM / 1 /' arch/x86/kvm/wrap-none.c
grep -q X86_FEATURE_SVM arch/x86/kvm/wrap-none.c && bad "wrap-none.c names the bit"
obj=arch/x86/kvm/wrap-table.o
dep=(-Wp,-MMD,arch/x86/kvm/.wrap-table.o.d)
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/wrap-table.c 2>"$tmp/n.err" &&
	grep -q "$notparsed" "$tmp/n.err" &&
	ok "the bit only in a table, the macro two headers away, no .cmd: not parsed" ||
	bad "table without .cmd: $(cat "$tmp/n.err")"

# kbuild's .cmd (fixdep's layout, the dependencies gcc -MM lists): parsed
gcc -MM -MT "$obj" "${flags[@]}" arch/x86/kvm/wrap-table.c >"$tmp/d" || bad "gcc -MM"
deps=$(sed 's/^[^:]*://; s/\\$//' "$tmp/d" | tr ' ' '\n' | grep '\.h$')
{
	echo "savedcmd_$obj := gcc ${flags[*]} -c -o $obj arch/x86/kvm/wrap-table.c"
	echo
	echo "source_$obj := arch/x86/kvm/wrap-table.c"
	echo
	echo "deps_$obj := \\"
	echo "    \$(wildcard include/config/X86_64) \\"
	sed '$!s/$/ \\/; s/^/  /' <<<"$deps"
	echo
	echo "$obj: \$(deps_$obj)"
	echo
	echo "\$(deps_$obj):"
} >arch/x86/kvm/.wrap-table.o.cmd
grep -q "xfile-macro.h \\\\$" arch/x86/kvm/.wrap-table.o.cmd &&
	"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/wrap-table.c 2>"$tmp/w.err" &&
	grep -q "^arch/x86/kvm/wrap-table.c:14:7: error: 'xfile_table_init' trusts 'xfile_svm_capable()' $msg" "$tmp/w.err" &&
	ok "the bit only in a table, the macro's header in kbuild's .cmd: reported" ||
	bad "table with .cmd: $(cat "$tmp/w.err" arch/x86/kvm/.wrap-table.o.cmd)"

# a .cmd without the macro's header, and a file naming the bit nowhere
# whose macro is two headers away: not parsed (sweep finds that one)
cp arch/x86/kvm/.wrap-table.o.cmd arch/x86/kvm/.wrap-none.o.cmd
sed -i '/xfile-macro.h/d' arch/x86/kvm/.wrap-table.o.cmd
"$CCGATE" --verbose "${dep[@]}" "${flags[@]}" arch/x86/kvm/wrap-table.c 2>"$tmp/o.err" &&
	grep -q "$notparsed" "$tmp/o.err" &&
	ok "a .cmd without the macro's header: not parsed" ||
	bad "table, .cmd without the macro's header: $(cat "$tmp/o.err")"
"$CCGATE" --verbose -Wp,-MMD,arch/x86/kvm/.wrap-none.o.d "${flags[@]}" \
	arch/x86/kvm/wrap-none.c 2>"$tmp/z.err" &&
	grep -q "$notparsed" "$tmp/z.err" &&
	ok "the bit named nowhere, the macro two headers away: not parsed" ||
	bad "wrap-none: $(cat "$tmp/z.err")"
finish
