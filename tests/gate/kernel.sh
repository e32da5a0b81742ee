#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gate, patch and --format-patch against the real kernels of the cache:
# - the mails pass the kernel's own scripts/checkpatch.pl (6.12) with no
#   errors: gate's mail for the lib.sh history (Fixes: checked against its
#   git), and sweep's mails for the real findings of 6.1 and 6.12;
# - patch flags a patch that drops 6.12's guard from KVM's SVM check, and
#   reports 6.1's finding resolved by ccgate's own fix; the trees stay as
#   they are.  Usage: kernel.sh CCGATE SRC
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
. "$(dirname "$0")/../kernel/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
K612=$(kernel_tree 6.12)
K61=$(kernel_tree 6.1)
. "$(dirname "$0")/lib.sh"
CHECKPATCH="perl $K612/scripts/checkpatch.pl --no-tree --strict --show-types"

# checkpatch WHAT [OPTIONS] MAIL...: no ERROR lines, a "total: 0 errors" line
checkpatch() {
	local what=$1 out
	shift
	out=$($CHECKPATCH "$@" 2>&1)
	if printf '%s\n' "$out" | grep -q '^ERROR:' ||
	   ! printf '%s\n' "$out" | grep -q 'total: 0 errors'; then
		bad "$what: $out"
	else
		ok "$what: $(printf '%s\n' "$out" | grep total: | sort -u | tr '\n' ' ')"
	fi
}

make_repo
cd "$REPO" || exit 2
"$CCGATE" gate -q --base "$C1" --signoff --format-patch "$tmp/so" >/dev/null 2>&1
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/noso" >/dev/null 2>&1
# checkpatch checks the Fixes: commit and subject against the git in cwd
checkpatch "gate mail with --signoff" "$tmp"/so/*.patch
checkpatch "gate mail without --signoff (checkpatch --no-signoff)" --no-signoff "$tmp"/noso/*.patch
sed 's/^Fixes: \(............\) .*/Fixes: \1 ("wrong subject")/' "$tmp"/so/*.patch >"$tmp/wrong.patch"
$CHECKPATCH "$tmp/wrong.patch" >"$tmp/wrong.out" 2>&1
if grep -q 'BAD_FIXES_TAG\|GIT_COMMIT_ID' "$tmp/wrong.out"; then
	ok "checkpatch does check the Fixes: subject (a wrong one is flagged)"
else
	bad "checkpatch accepted a wrong Fixes: subject: $(cat "$tmp/wrong.out")"
fi

cd "$tmp" || exit 2
for k in "$K61" "$K612"; do
	v=${k##*-}
	"$CCGATE" sweep -q --format-patch "$tmp/k$v" --signoff \
		--from 'Ada Tester <ada@example.org>' "$k" >/dev/null 2>&1
	n=$(ls "$tmp/k$v"/*.patch 2>/dev/null | wc -l)
	if [ "$n" -eq 1 ]; then
		ok "sweep of $v: one mail, $(grep '^Subject:' "$tmp/k$v"/*.patch)"
		checkpatch "sweep mail of $v" "$tmp/k$v"/*.patch
	else
		bad "sweep of $v wrote $n mails"
	fi
done

# 6.1's finding as a mail from a git tree: a hard-linked copy (nothing of
# the cache is written) whose one commit holds the file of the finding
g61=$tmp/g61
cp -al "$K61" "$g61"
git -C "$g61" init -q -b master
git -C "$g61" add -f arch/x86/include/asm/virtext.h	# the cache ignores all
git -C "$g61" -c user.name=Ci -c user.email=ci@example.org commit -qm "x86: Import virtext.h"
"$CCGATE" sweep -q --format-patch "$tmp/m61" --signoff --cc-maintainers \
	--from 'Ada Tester <ada@example.org>' "$g61" >/dev/null 2>"$tmp/err"
mail=$(ls "$tmp"/m61/*.patch 2>/dev/null | head -1)
if [ -n "$mail" ]; then
	(cd "$g61" && perl scripts/checkpatch.pl --strict --show-types "$mail" >"$tmp/cp61" 2>&1)
	grep -q 'total: 0 errors, 0 warnings' "$tmp/cp61" &&
		ok "6.1's mail passes 6.1's own checkpatch.pl --strict (signed off): $(grep total: "$tmp/cp61")" ||
		bad "6.1 checkpatch: $(cat "$tmp/cp61")"
	grep -q '^Found by ccgate [0-9.]*, a static checker' "$mail" && grep -q 'with its rule cc-virt-gate\.' "$mail" &&
		grep -qx '  ccgate sweep --enable cc-virt-gate' "$mail" &&
		ok "6.1's mail holds the tool paragraph" || bad "6.1 tool paragraph"
	grep -qx "base-commit: $(git -C "$g61" rev-parse HEAD)" "$mail" &&
		ok "6.1's mail holds base-commit" || bad "6.1 base-commit: $(grep base- "$mail")"
	grep -q '^Cc: .*x86@kernel.org\|^    x86@kernel.org' "$mail" &&
		ok "6.1's get_maintainer.pl --no-git gave the Cc: $(grep -c '@' "$mail") addresses" ||
		bad "6.1 Cc: $(sed -n '/^Cc:/,/^[A-Z]/p' "$mail") $(cat "$tmp/err")"
	git clone -q "$g61" "$tmp/am61"
	git -C "$tmp/am61" -c user.name=Ci -c user.email=ci@example.org am -q "$mail" &&
		ok "git am applies 6.1's mail" || bad "git am of 6.1's mail"
else
	bad "no mail for 6.1's finding: $(cat "$tmp/err")"
fi

# patch on a real tree: drop the guard of 6.12's __kvm_is_svm_supported()
svm=arch/x86/kvm/svm/svm.c
sum_before=$(sha256sum "$K612/$svm")
mkdir -p "$tmp/a/${svm%/*}" "$tmp/b/${svm%/*}"
cp "$K612/$svm" "$tmp/a/$svm"
awk '/if \(cc_platform_has\(CC_ATTR_GUEST_MEM_ENCRYPT\)\) \{/ { skip = 5 }
     skip { skip--; next } { print }' "$tmp/a/$svm" >"$tmp/b/$svm"
diff -u --label "a/$svm" --label "b/$svm" "$tmp/a/$svm" "$tmp/b/$svm" \
	>"$tmp/drop-guard.patch"
grep -q '^-	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)) {' "$tmp/drop-guard.patch" ||
	bad "could not build the guard-dropping patch"
out=$("$CCGATE" patch -q --tree "$K612" "$tmp/drop-guard.patch" 2>/dev/null); st=$?
check_status "patch dropping 6.12's SVM guard fails" 1 $st
case $out in "$svm:"*"error: '__kvm_is_svm_supported' trusts 'cpu_has(c, X86_FEATURE_SVM)'"*)
	ok "patch names __kvm_is_svm_supported() in 6.12";;
*) bad "patch on 6.12: $out";; esac
[ "$(sha256sum "$K612/$svm")" = "$sum_before" ] && ok "6.12 left unchanged" ||
	bad "patch wrote into the 6.12 tree"

# and ccgate's own fix for 6.1 resolves 6.1's finding
"$CCGATE" sweep -q --fix-dir "$tmp/fix61" "$K61" >/dev/null 2>&1
out=$("$CCGATE" patch -q --tree "$K61" "$tmp"/fix61/*.patch 2>/dev/null); st=$?
check_status "patch with ccgate's fix for 6.1 passes" 0 $st
case $out in *"virtext.h:"*"note: resolved: 'cpu_has_svm'"*) ok "and reports cpu_has_svm() resolved";;
*) bad "fix on 6.1: $out";; esac

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
