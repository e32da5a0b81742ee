#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gate, patch, baseline and --format-patch on a real git history (lib.sh).
# Usage: gate.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$(realpath "$0")")
. "$here/lib.sh"
. "$here/../expect2.sh"
make_repo
cd "$REPO" || exit 2
gate_line=$(grep -n 'if (!cpu_feature_enabled' arch/x86/virt/hw.c | cut -d: -f1)
finding="arch/x86/virt/hw.c:$gate_line:7: error: 'x86_svm_init' trusts 'cpu_feature_enabled(X86_FEATURE_SVM)'"
before=$(tree_hash "$REPO")

# --- gate: fails on the range holding C2, passes on the one holding only C3
out=$("$CCGATE" gate -q --base "$C1" 2>"$tmp/err"); st=$?
check_status "gate C1..C3 fails" 1 $st
case $out in "$finding"*"[cc-virt-gate]") ok "gate C1..C3 reports the gate at HEAD's line";;
*) bad "gate C1..C3 output: $out";; esac
out=$("$CCGATE" gate -q --base "$C2" 2>"$tmp/err"); st=$?
check_status "gate C2..C3 (unrelated, lines moved) passes" 0 $st
[ -z "$out" ] && ok "gate C2..C3 reports nothing" || bad "gate C2..C3 output: $out"
CI_MERGE_REQUEST_DIFF_BASE_SHA=$C1 "$CCGATE" gate -q >/dev/null 2>&1; st=$?
check_status "gate takes \$CI_MERGE_REQUEST_DIFF_BASE_SHA as the base" 1 $st
CI_MERGE_REQUEST_DIFF_BASE_SHA=$C2 "$CCGATE" gate -q >/dev/null 2>&1; st=$?
check_status "... and passes when it is C2" 0 $st
out=$("$CCGATE" gate -q --base "$C1" --fail-on=note 2>/dev/null); st=$?
check_status "gate --fail-on=note fails" 1 $st
if command -v python3 >/dev/null; then
	"$CCGATE" gate -q --format=json --base "$C1" >"$tmp/gate.json" 2>/dev/null
	if python3 - "$tmp/gate.json" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
assert len(f) == 1 and f[0]["function"] == "x86_svm_init", f
assert d["resolved"] == [], d["resolved"]
EOP
	then ok "gate --format=json: one finding, nothing resolved"
	else bad "gate --format=json"; fi
fi

# a changed header is analyzed too; a symlink to it and other files are not
git checkout -q -b header "$C3"
cat >arch/x86/include/asm/virt-gate.h <<'EOC'
/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_VIRT_GATE_H
#define _ASM_X86_VIRT_GATE_H

#include <linux/types.h>

#include <asm/cpufeature.h>

static inline int virt_svm_supported(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return -ENODEV;
	return 0;
}

#endif
EOC
ln -s virt-gate.h arch/x86/include/asm/virt-gate-link.h
echo "notes" >NOTES
git add -A && git commit -qm "x86/virt: Add a header gate"
out=$("$CCGATE" gate -q --base "$C3" 2>/dev/null); st=$?
check_status "gate fails on a new header gate" 1 $st
case $out in "arch/x86/include/asm/virt-gate.h:11:7: error: 'virt_svm_supported'"*"[cc-virt-gate]")
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok "gate reports it once, in the header" ||
		bad "header: $out";;
*) bad "header gate: $out";; esac

# a test through a header's macro, in a .c file that never names the bit:
# gate parses it when the macro's header is in the change, or when the
# file #includes that header itself
git checkout -q -b macro "$C3"
cat >arch/x86/include/asm/virt-cap.h <<'EOC'
/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_VIRT_CAP_H
#define _ASM_X86_VIRT_CAP_H

#include <asm/cpufeature.h>

#define virt_svm_capable()	boot_cpu_has(X86_FEATURE_SVM)

#endif
EOC
git add -A && git commit -qm "x86/virt: Add virt_svm_capable()"
M1=$(git rev-parse HEAD)
cat >arch/x86/virt/cap-user.c <<'EOC'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/virt-cap.h>

int virt_cap_init(void)
{
	if (!virt_svm_capable())
		return -ENODEV;
	return 0;
}

int virt_cap_init_checked(void)
{
	if (!virt_svm_capable() || cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	return 0;
}
EOC
git add -A && git commit -qm "x86/virt: Use virt_svm_capable()"
want="arch/x86/virt/cap-user.c:9:7: error: 'virt_cap_init' trusts 'virt_svm_capable()'"
for b in "$C3" "$M1"; do
	out=$("$CCGATE" gate -q --base "$b" 2>/dev/null); st=$?
	case $st:$out in "1:$want"*"[cc-virt-gate]")
		[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
			ok "gate: a header macro's test in a new .c file ($([ "$b" = "$C3" ] && echo "macro in the change" || echo "macro already there"))" ||
			bad "macro user ($b): $out";;
	*) bad "macro user ($b): exit $st: $out";; esac
done
git format-patch -q -o "$tmp/pm" -1 HEAD
git archive "$M1" | tar -x -C "$tmp" --one-top-level=m1tree
out=$("$CCGATE" patch -q --tree "$tmp/m1tree" "$tmp"/pm/*.patch 2>/dev/null); st=$?
case $st:$out in "1:$want"*) ok "patch: the same for the mail of the user";;
*) bad "patch, macro user: exit $st: $out";; esac
sed -i 's/if (!virt_svm_capable())$/if (!virt_svm_capable() || cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))/' \
	arch/x86/virt/cap-user.c
git commit -qam "x86/virt: Check the guard"
"$CCGATE" gate -q --base "$M1" >/dev/null 2>&1; st=$?
check_status "gate: guarded users of the macro pass" 0 $st

# the same for a predicate of a header (6.1's cpu_has_svm() shape) whose
# callers all check the guard: a new unguarded caller that never names the
# bit is the predicate's finding, with the caller as its note
git checkout -q -b pred "$C3"
cat >arch/x86/include/asm/virt-pred.h <<'EOC'
/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_X86_VIRT_PRED_H
#define _ASM_X86_VIRT_PRED_H

#include <asm/cpufeature.h>

static inline int virt_svm_usable(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return 0;
	return 1;
}

#endif
EOC
git add -A && git commit -qm "x86/virt: Add virt_svm_usable()"
P1=$(git rev-parse HEAD)
cat >arch/x86/virt/pred-user.c <<'EOC'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/virt-pred.h>

int virt_pred_checked(void)
{
	return virt_svm_usable() && !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
}
EOC
git add -A && git commit -qm "x86/virt: Use virt_svm_usable() with the guard"
P2=$(git rev-parse HEAD)
"$CCGATE" gate -q --base "$P1" >/dev/null 2>&1; st=$?
check_status "gate: a guarded caller of a header predicate passes" 0 $st
cat >>arch/x86/virt/pred-user.c <<'EOC'

void stgi(void);

void virt_pred_disable(void)
{
	if (virt_svm_usable())
		stgi();
}
EOC
git commit -qam "x86/virt: Disable SVM if usable"
out=$("$CCGATE" gate -q --base "$P2" 2>/dev/null); st=$?
case $st:$out in "1:arch/x86/include/asm/virt-pred.h:9:7: error: 'virt_svm_usable' trusts"*"arch/x86/virt/pred-user.c:16:6: note: 'virt_svm_usable' is called from 'virt_pred_disable' without checking the guard")
	ok "gate: a new unguarded caller of a header predicate fails, named in a note";;
*) bad "header predicate caller: exit $st: $out";; esac
git checkout -q master
before=$(tree_hash "$REPO")

# gate reads both revisions from git: an uncommitted edit changes nothing
cp arch/x86/virt/hw.c "$tmp/hw.c.saved"
sed -i 's/if (!cpu_feature_enabled(X86_FEATURE_SVM))/if (1)/' arch/x86/virt/hw.c
"$CCGATE" gate -q --base "$C1" >/dev/null 2>&1; st=$?
check_status "gate analyzes HEAD, not the dirty work tree" 1 $st
cp "$tmp/hw.c.saved" arch/x86/virt/hw.c
[ "$(tree_hash "$REPO")" = "$before" ] && [ -z "$(git status --porcelain)" ] &&
	ok "gate leaves the work tree unchanged" || bad "gate changed the work tree"

# --- patch: C2's format-patch against the base tree
mkdir "$tmp/base" "$tmp/c2tree" "$tmp/p"
git archive "$C1" | tar -x -C "$tmp/base"
git archive "$C2" | tar -x -C "$tmp/c2tree"
git format-patch -q -o "$tmp/p" "$C1..$C3"
p2=$(ls "$tmp"/p/0001-*.patch) p3=$(ls "$tmp"/p/0002-*.patch)
base_before=$(tree_hash "$tmp/base")
out=$("$CCGATE" patch -q --tree "$tmp/base" "$p2" 2>"$tmp/err"); st=$?
check_status "patch: C2's mail introduces a finding" 1 $st
case $out in *"error: 'x86_svm_init' trusts"*"[cc-virt-gate]") ok "patch names the finding";;
*) bad "patch output: $out";; esac
[ "$(tree_hash "$tmp/base")" = "$base_before" ] && ok "patch leaves TREE unchanged" ||
	bad "patch wrote into TREE"
"$CCGATE" patch -q --tree "$tmp/c2tree" "$p3" >/dev/null 2>&1; st=$?
check_status "patch: C3's mail on C2 introduces nothing" 0 $st
cat "$p2" "$p3" >"$tmp/series.mbox"
"$CCGATE" patch -q --tree "$tmp/base" "$tmp/series.mbox" >/dev/null 2>&1; st=$?
check_status "patch: the mbox series C2+C3 introduces a finding" 1 $st
git diff "$C1" "$C2" >"$tmp/plain.diff"
"$CCGATE" patch -q --tree "$tmp/base" - <"$tmp/series.mbox" >/dev/null 2>&1; st=$?
check_status "patch: - reads the patch from standard input" 1 $st
"$CCGATE" patch -q --tree "$tmp/base" "$tmp/plain.diff" >/dev/null 2>&1; st=$?
check_status "patch: a plain diff of C2 introduces a finding" 1 $st

# --- --format-patch: a mail git am takes, with Fixes: naming C2
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/mails" >/dev/null 2>&1
mail=$(ls "$tmp"/mails/*.patch 2>/dev/null)
if [ "$(echo "$mail" | wc -w)" -eq 1 ]; then
	ok "one mail: ${mail##*/}"
else
	bad "mails: $mail"
	mail=/dev/null
fi
grep -qx 'Subject: \[PATCH\] x86/virt: Treat SVM as unsupported when running as an SEV+ guest' "$mail" &&
	ok "subject: most common prefix and the rule's summary" || bad "subject: $(grep ^Subject "$mail")"
grep -qx "Fixes: ${C2:0:12} (\"$C2_SUBJECT\")" "$mail" &&
	ok "Fixes: names C2 with its subject" || bad "fixes: $(grep ^Fixes "$mail")"
grep -qx 'From: Ada Tester <ada@example.org>' "$mail" && ok "From: the git config user" ||
	bad "from: $(grep ^From: "$mail")"
grep -q '^Signed-off-by:' "$mail" && bad "Signed-off-by without --signoff" ||
	ok "no Signed-off-by without --signoff"
grep -q 'EFER.SVME' "$mail" && ok "body explains the bug" || bad "body"
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/mails-so" --signoff \
	--from 'Bo Reviewer <bo@example.org>' >/dev/null 2>&1
grep -qx 'Signed-off-by: Bo Reviewer <bo@example.org>' "$tmp"/mails-so/*.patch &&
	ok "--signoff and --from" || bad "--signoff/--from"

git clone -q "$REPO" "$tmp/am"
if git -C "$tmp/am" am -q "$mail" 2>"$tmp/err"; then
	ok "git am applies the mail"
	cd "$tmp/am" || exit 2
	out=$("$CCGATE" gate -q --base "$C3" 2>/dev/null); st=$?
	check_status "gate after the fix passes" 0 $st
	case $out in *"note: resolved: 'x86_svm_init' trusts"*) ok "gate reports the finding resolved";;
	*) bad "after the fix: $out";; esac
	GITHUB_BASE_REF=master "$CCGATE" gate -q >/dev/null 2>&1; st=$?
	check_status "gate takes origin/\$GITHUB_BASE_REF as the base" 0 $st
	cd "$REPO" || exit 2
else
	bad "git am: $(cat "$tmp/err")"
fi

# --- baseline
"$CCGATE" baseline write -q --reason "tracked in the vendor tree" "$tmp/bl.json" . 2>/dev/null; st=$?
check_status "baseline write" 0 $st
grep -q '"expression": "cpu_feature_enabled(X86_FEATURE_SVM)"' "$tmp/bl.json" &&
	grep -q '"reason": "tracked in the vendor tree"' "$tmp/bl.json" &&
	ok "baseline holds the finding with its reason" || bad "baseline: $(cat "$tmp/bl.json")"
"$CCGATE" sweep -q --baseline "$tmp/bl.json" . >/dev/null 2>&1; st=$?
check_status "sweep ignores the accepted finding" 0 $st
"$CCGATE" gate -q --base "$C1" --baseline "$tmp/bl.json" >/dev/null 2>&1; st=$?
check_status "gate ignores the accepted finding" 0 $st
sed -i 's/tracked in the vendor tree/reviewed: kept/' "$tmp/bl.json"
"$CCGATE" baseline write -q "$tmp/bl.json" . 2>/dev/null
grep -q '"reason": "reviewed: kept"' "$tmp/bl.json" &&
	ok "baseline write keeps reviewed reasons" || bad "reason lost"
err=$(cd "$tmp/am" && "$CCGATE" sweep -q --baseline "$tmp/bl.json" . 2>&1 >/dev/null)
case $err in *"stale entry 1"*) ok "sweep reports the stale entry";;
*) bad "stale: $err";; esac

# --- bad input: one line on stderr, exit 2, nothing on stdout
echo '{"ccgate-baseline": 1, "accepted": [{"rule": "cc-virt-gate"}]}' >"$tmp/bad1.json"
printf '{"ccgate-baseline": 1, "accepted": [' >"$tmp/bad2.json"
sed 's/"reason": ".*"/"reason": ""/' "$tmp/bl.json" >"$tmp/bad3.json"
expect2 "baseline entry without fields" "$CCGATE" gate --base "$C1" --baseline "$tmp/bad1.json"
expect2 "baseline that is not JSON" "$CCGATE" sweep --baseline "$tmp/bad2.json" .
expect2 "baseline entry without a reason" "$CCGATE" patch --baseline "$tmp/bad3.json" --tree "$tmp/base" "$p2"
expect2 "missing baseline" "$CCGATE" sweep --baseline "$tmp/none.json" .
sed 's/^ static struct x86_virt_ops virt_ops;/ static struct x86_virt_ops gone_ops;/' "$p3" >"$tmp/bad.patch"
expect2 "patch that does not apply (nor is applied)" "$CCGATE" patch --tree "$tmp/base" "$tmp/bad.patch"
echo "just words" >"$tmp/words.patch"
expect2 "file that holds no patch" "$CCGATE" patch --tree "$tmp/base" "$tmp/words.patch"
expect2 "missing patch file" "$CCGATE" patch --tree "$tmp/base" "$tmp/none.patch"
expect2 "patch tree that is not a directory" "$CCGATE" patch --tree "$p2" "$p2"
expect2 "gate outside git" "$CCGATE" gate --base HEAD "$tmp/base"
expect2 "unknown --base" "$CCGATE" gate --base no-such-branch
expect2 "no base at all" env -u GITHUB_BASE_REF -u CI_MERGE_REQUEST_DIFF_BASE_SHA \
	-u CI_MERGE_REQUEST_TARGET_BRANCH_NAME "$CCGATE" gate
expect2 "--base that looks like an option" "$CCGATE" gate --base=--output=x
expect2 "bad --fail-on" "$CCGATE" gate --base "$C1" --fail-on=fatal
expect2 "bad --from" "$CCGATE" gate --base "$C1" --format-patch "$tmp/m2" --from nobody
git clone -q --depth=1 "file://$REPO" "$tmp/shallow"
(cd "$tmp/shallow" && expect2 "base missing from a shallow clone" "$CCGATE" gate --base origin/topic)
(cd "$tmp/shallow" && git fetch -q --depth=1 origin "$C1" &&
 expect2 "no merge base in a shallow clone" "$CCGATE" gate --base "$C1")
grep -q "git fetch" "$tmp/err" && ok "the shallow-clone errors say what to fetch" ||
	bad "no fetch advice: $(cat "$tmp/err")"
# the README's GitHub recipe: a pull request's merge ref, fetched 2 deep
git checkout -q -b target "$C1"
echo "target moved on" >TARGET && git add TARGET && git commit -qm "Target: move on"
git checkout -q -b mref
git merge -q --no-ff --no-edit -m "Merge $C2 into target" "$C2"
git checkout -q master
git clone -q --depth=2 --branch mref "file://$REPO" "$tmp/mref"
out=$(cd "$tmp/mref" && "$CCGATE" gate -q --base HEAD^1 2>/dev/null); st=$?
check_status "gate --base HEAD^1 on a 2-deep merge ref fails on C2's gate" 1 $st
c2_line=$(git show "$C2:arch/x86/virt/hw.c" | grep -n 'if (!cpu_feature_enabled' | cut -d: -f1)
case $out in "arch/x86/virt/hw.c:$c2_line:7: error: 'x86_svm_init'"*) ok "... at C2's line";;
*) bad "merge ref: $out";; esac
before=$(tree_hash "$REPO")

(cd "$tmp/base" && git init -q . && expect2 "--format-patch without an author" \
	"$CCGATE" sweep --format-patch "$tmp/m3" .)
[ "$(tree_hash "$REPO")" = "$before" ] && ok "the repository is unchanged" ||
	bad "the repository changed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
