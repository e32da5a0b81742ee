#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Triage (issue 18) on the fixture tree of tests/triage/tree (its Makefiles,
# Kbuild files and Kconfig written for this test, the stub headers of
# sample/): each Makefile shape gives its condition and chain, a .config
# (plain, xz, complete or a fragment the tree's Kconfig completes) gives
# built-in/module/not built/unknown, --built-only drops and counts, and a
# git history built here with tags v1.0 and v1.1 gives "first released in"
# and the mails' "Cc: stable@vger.kernel.org # v1.1+".  With
# CCGATE_CHECKPATCH=/path/to/checkpatch.pl the mails also go through the
# kernel's checkpatch.pl --strict (tests/kernel/triage-kernels.sh sets it).
# Usage: triage.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$(realpath "$0")")
. "$SRC/tests/gate/lib.sh"	# ok, bad, check_status; a clean git environment
. "$SRC/tests/expect2.sh"

tree=$tmp/tree
cp -r "$here/tree" "$tree"
cp -r "$SRC/sample/include" "$tree/"
mkdir -p "$tree/arch/x86/include/asm"
cp "$SRC/sample/arch/x86/include/asm/cpufeature.h" "$tree/arch/x86/include/asm/"

# --- the conditions, without a configuration
"$CCGATE" sweep -q --triage --format=json "$tree" >"$tmp/plain.json"; st=$?
check_status "sweep --triage exits 1 (findings)" 1 $st
if python3 - "$tmp/plain.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
t = {f["file"]: f["triage"] for f in doc["findings"]}
assert len(t) == 7, sorted(t)
top = "Kbuild:4: obj-y += arch/$(SRCARCH)/"

def unit(f, u=None):
    us = t[f]["units"]
    if u is None:
        assert len(us) == 1, us
        return us[0]
    return [x for x in us if x["unit"] == u][0]

# composite object, nested directory: kvm-amd-y += svm/svm.o
r = t["arch/x86/kvm/svm/svm.c"]
assert r["condition"] == "CONFIG_KVM && CONFIG_KVM_AMD", r
assert unit("arch/x86/kvm/svm/svm.c")["chain"] == [
    top, "arch/x86/Kbuild:4: obj-$(CONFIG_KVM) += kvm/",
    "arch/x86/kvm/Makefile:2: kvm-amd-y += svm/svm.o svm/nested.o",
    "arch/x86/kvm/Makefile:9: obj-$(CONFIG_KVM_AMD) += kvm-amd.o"], r
assert r["if_context"] == [] and "unknown" not in r, r
# a composite's conditional part
r = t["arch/x86/kvm/svm/sev.c"]
assert r["condition"] == "CONFIG_KVM && CONFIG_KVM_AMD_SEV && CONFIG_KVM_AMD", r
# an ifdef block of the Makefile
r = t["arch/x86/kvm/svm/hyperv.c"]
assert r["condition"] == "CONFIG_KVM && CONFIG_HYPERV && CONFIG_KVM_AMD", r
assert unit("arch/x86/kvm/svm/hyperv.c")["chain"][2:] == [
    "arch/x86/kvm/Makefile:5: ifdef CONFIG_HYPERV",
    "arch/x86/kvm/Makefile:6: kvm-amd-y += svm/hyperv.o",
    "arch/x86/kvm/Makefile:9: obj-$(CONFIG_KVM_AMD) += kvm-amd.o"], r
# ifeq ... else ... endif
r = t["arch/x86/virt/hw.c"]
assert r["condition"] == "CONFIG_X86_64=y || CONFIG_X86_32_VIRT", r
assert unit("arch/x86/virt/hw.c")["chain"][2:] == [
    "arch/x86/virt/Makefile:2: ifeq ($(CONFIG_X86_64),y)",
    "arch/x86/virt/Makefile:3: obj-y += hw.o",
    "arch/x86/virt/Makefile:4: else (arch/x86/virt/Makefile:2: ifeq ($(CONFIG_X86_64),y))",
    "arch/x86/virt/Makefile:5: obj-$(CONFIG_X86_32_VIRT) += hw.o"], r
# a computed name: unknown, with the line
r = t["arch/x86/hyperv/hv_init.c"]
assert r["condition"] == "unknown", r
assert r["unknown"] == ["computed name 'obj-$(subst m,y,$(CONFIG_HYPERV))' at arch/x86/Kbuild:7"], r
# no Makefile names it
r = t["arch/x86/virt/orphan.c"]
assert r["condition"] == "unknown" and r["unknown"] == [
    "no Makefile line builds 'arch/x86/virt/orphan.c'"], r
# a .c #included by two .c files: the union of its includers, their
# #include lines' context and its own #if
r = t["arch/x86/coco/sev/shared.c"]
assert sorted(u["unit"] for u in r["units"]) == [
    "arch/x86/boot/compressed/sev.c", "arch/x86/coco/sev/core.c"], r
assert unit("arch/x86/coco/sev/shared.c", "arch/x86/coco/sev/core.c")["condition"] == \
    "CONFIG_ARCH_HAS_CC_PLATFORM && CONFIG_AMD_MEM_ENCRYPT"
boot = unit("arch/x86/coco/sev/shared.c", "arch/x86/boot/compressed/sev.c")
assert boot["condition"] == "CONFIG_X86_64 && CONFIG_AMD_MEM_ENCRYPT=y", boot
assert boot["chain"] == [
    top, "arch/x86/Makefile:5: $(Q)$(MAKE) $(build)=$(boot) $(KBUILD_IMAGE)",
    "arch/x86/boot/Makefile:5: $(Q)$(MAKE) $(build)=$(obj)/compressed $@",
    "arch/x86/boot/compressed/Makefile:3: ifdef CONFIG_X86_64",
    "arch/x86/boot/compressed/Makefile:4: vmlinux-objs-$(CONFIG_AMD_MEM_ENCRYPT) += $(obj)/sev.o",
    "arch/x86/boot/compressed/sev.c:5: #ifdef CONFIG_AMD_MEM_ENCRYPT"], boot
assert r["if_context"] == [
    "arch/x86/coco/sev/shared.c:8: #if IS_ENABLED(CONFIG_KVM) && !defined(CONFIG_X86_32_VIRT)"], r
assert r["condition"] == ("((CONFIG_X86_64 && CONFIG_AMD_MEM_ENCRYPT=y) || "
                          "(CONFIG_ARCH_HAS_CC_PLATFORM && CONFIG_AMD_MEM_ENCRYPT)) && "
                          "CONFIG_KVM && CONFIG_X86_32_VIRT!=y"), r
assert all("config" not in x and "introduced" not in x for x in t.values())
PY
then ok "conditions and chains of every Makefile shape"; else bad "conditions and chains"; fi

# the text note, and nothing of it without --triage
out=$("$CCGATE" sweep -q --triage "$tree")
case $out in *"arch/x86/kvm/svm/svm.c:10:7: note: built when 'CONFIG_KVM && CONFIG_KVM_AMD' (4 Makefile and #if lines)"*)
	ok "text: the triage note";; *) bad "text note: $out";; esac
out=$("$CCGATE" sweep -q "$tree")
case $out in *"built when"*) bad "a note without --triage: $out";; *) ok "no note without --triage";; esac
out=$("$CCGATE" check --triage --tree "$tree" "$tree/arch/x86/kvm/svm/svm.c" 2>/dev/null)
case $out in *"note: built when 'CONFIG_KVM && CONFIG_KVM_AMD'"*) ok "check --triage";;
*) bad "check --triage: $out";; esac

# --- against configurations
results() {	# JSON -> "file=result" lines
	python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print("%s=%s" % (f["file"], f["triage"]["config"]["result"]))' "$1"
}
"$CCGATE" sweep -q --triage --config "$here/full.config" --format=json "$tree" >"$tmp/full.json"
want_full="arch/x86/coco/sev/shared.c=built-in
arch/x86/hyperv/hv_init.c=unknown
arch/x86/kvm/svm/hyperv.c=not built
arch/x86/kvm/svm/sev.c=module
arch/x86/kvm/svm/svm.c=module
arch/x86/virt/hw.c=built-in
arch/x86/virt/orphan.c=unknown"
got=$(results "$tmp/full.json")
[ "$got" = "$want_full" ] && ok "a complete .config: built-in, module, not built, unknown" ||
	bad "full.config: $got"
xz -c "$here/full.config" >"$tmp/full.config.xz"
"$CCGATE" sweep -q --triage --config "$tmp/full.config.xz" --format=json "$tree" >"$tmp/xz.json"
[ "$(results "$tmp/xz.json")" = "$want_full" ] && ok "the same from the .xz" ||
	bad "full.config.xz: $(results "$tmp/xz.json")"
# a fragment: X86_64 (def_bool y), ARCH_HAS_CC_PLATFORM (selected),
# KVM_AMD_SEV (def_bool y, its dependencies y) from the tree's Kconfig;
# HYPERV has a prompt: unknown, not guessed
"$CCGATE" sweep -q --triage --config "$here/partial.config" --format=json "$tree" >"$tmp/part.json"
got=$(results "$tmp/part.json")
want="arch/x86/coco/sev/shared.c=built-in
arch/x86/hyperv/hv_init.c=unknown
arch/x86/kvm/svm/hyperv.c=unknown
arch/x86/kvm/svm/sev.c=built-in
arch/x86/kvm/svm/svm.c=built-in
arch/x86/virt/hw.c=built-in
arch/x86/virt/orphan.c=unknown"
[ "$got" = "$want" ] && ok "a fragment completed by the tree's Kconfig as far as needed" ||
	bad "partial.config: $got"
python3 - "$tmp/part.json" <<'PY' && ok "the unknown says which symbol and why" || bad "partial.config: the reason"
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["findings"] if f["file"] == "arch/x86/kvm/svm/hyperv.c"][0]
assert f["triage"]["config"]["unknown"] == [
    "'CONFIG_HYPERV' is not in the configuration and the tree's Kconfig does not settle it "
    "(a prompt, or defaults past what ccgate evaluates)"], f["triage"]
PY
# a symbol no Kconfig defines is n; with it defined and its dependency off, n too
printf 'CONFIG_AMD_MEM_ENCRYPT=y\nCONFIG_KVM=y\nCONFIG_KVM_AMD=y\n# CONFIG_HYPERV is not set\n' >"$tmp/nohv.config"
"$CCGATE" sweep -q --triage --config "$tmp/nohv.config" --format=json "$tree" >"$tmp/nohv.json"
case $(results "$tmp/nohv.json") in *"arch/x86/kvm/svm/hyperv.c=not built"*"arch/x86/virt/hw.c=built-in"*)
	ok "'is not set' is n";; *) bad "nohv.config: $(results "$tmp/nohv.json")";; esac

# --- --built-only
"$CCGATE" sweep --built-only --config "$here/full.config" "$tree" >"$tmp/bo.out" 2>"$tmp/bo.err"; st=$?
check_status "sweep --built-only exits 1" 1 $st
if grep -q '^ccgate: 1 finding dropped: not built by the configuration (--built-only)$' "$tmp/bo.err" &&
   ! grep -q 'hyperv.c' "$tmp/bo.out" && [ "$(grep -c 'error:' "$tmp/bo.out")" = 6 ]; then
	ok "--built-only drops the unbuilt finding and says so"
else
	bad "--built-only: $(cat "$tmp/bo.out" "$tmp/bo.err")"
fi
"$CCGATE" sweep -q --built-only --config "$here/full.config" --format=json "$tree" >"$tmp/bo.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stats"]["not_built_dropped"] == 1, d["stats"]
assert len(d["findings"]) == 6' "$tmp/bo.json" && ok "JSON stats: not_built_dropped" || bad "--built-only JSON"
printf 'CONFIG_X86_64=y\n# CONFIG_KVM is not set\n' >"$tmp/nokvm.config"
"$CCGATE" sweep -q --built-only --config "$tmp/nokvm.config" --format=json "$tree" >"$tmp/nokvm.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stats"]["not_built_dropped"] == 4, d["stats"]
assert sorted(f["file"] for f in d["findings"]) == ["arch/x86/hyperv/hv_init.c",
    "arch/x86/virt/hw.c", "arch/x86/virt/orphan.c"], d["findings"]' "$tmp/nokvm.json" &&
	ok "--built-only without KVM drops the four that need it (shared.c by its #if), keeps the unknown ones" ||
	bad "--built-only nokvm"

# --- SARIF
"$CCGATE" sweep -q --triage --config "$here/full.config" --format=sarif "$tree" >"$tmp/t.sarif"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
p = [x["properties"]["triage"] for x in r]
assert len(p) == 7 and all("condition" in x and x["config"]["result"] for x in p), p' "$tmp/t.sarif" &&
	ok "SARIF: properties.triage" || bad "SARIF properties"

# --- bad input
expect2 "--built-only without --config" "$CCGATE" sweep --built-only "$tree"
expect2 "--built-only is not an option of check" "$CCGATE" check --built-only --config "$here/full.config" "$tree/arch/x86/virt/hw.c"
expect2 "--triage with a missing --config" "$CCGATE" sweep --triage --config "$tmp/nope.config" "$tree"
printf 'not a configuration\n' >"$tmp/bad.config"
expect2 "--triage with a file that is no .config" "$CCGATE" sweep --triage --config "$tmp/bad.config" "$tree"

# --- history: v1.0 holds the guarded code, the bug comes after it and is
# in v1.1; a second bug is in no release (only v1.2-rc1)
guard() {	# FILE: add the guard to its gate
	sed -i 's/if (!cpu_feature_enabled(X86_FEATURE_SVM))/if (!cpu_feature_enabled(X86_FEATURE_SVM) ||\n\t    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))/' "$1"
}
unguard() {
	python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace(" ||\n\t    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))", ")")
open(p, "w").write(s)
PY
}
REPO=$tmp/repo
cp -r "$tree" "$REPO"
guard "$REPO/arch/x86/virt/hw.c"
guard "$REPO/arch/x86/kvm/svm/svm.c"
git init -q -b master "$REPO"
git -C "$REPO" config user.name "Ada Tester"
git -C "$REPO" config user.email "ada@example.org"
git -C "$REPO" add -A
git -C "$REPO" commit -qm "x86: Add the virtualization skeleton"
git -C "$REPO" tag v1.0
unguard "$REPO/arch/x86/virt/hw.c"
git -C "$REPO" commit -qam "x86/virt: Trust the SVM feature bit"
git -C "$REPO" tag v1.1-rc1
echo "/* the ops of the vendor found at boot */" >>"$REPO/arch/x86/coco/core.c"
git -C "$REPO" commit -qam "x86/coco: Document the core"
git -C "$REPO" tag -a -m "Linux 1.1" v1.1
git -C "$REPO" tag v1.1.3
unguard "$REPO/arch/x86/kvm/svm/svm.c"
git -C "$REPO" commit -qam "KVM: SVM: Trust the SVM feature bit"
git -C "$REPO" tag v1.2-rc1
HW_ID=$(git -C "$REPO" rev-parse HEAD~2)
SVM_ID=$(git -C "$REPO" rev-parse HEAD)
(cd "$REPO" && "$CCGATE" sweep -q --triage --format=json . >"$tmp/git.json")
if python3 - "$tmp/git.json" "$HW_ID" "$SVM_ID" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
hw, svm = sys.argv[2:4]
t = {f["file"]: f["triage"]["introduced"] for f in doc["findings"]}
assert t["arch/x86/virt/hw.c"] == {"commit": hw, "subject": "x86/virt: Trust the SVM feature bit",
                                   "release": "v1.1"}, t["arch/x86/virt/hw.c"]
assert t["arch/x86/kvm/svm/svm.c"] == {"commit": svm, "subject": "KVM: SVM: Trust the SVM feature bit",
                                       "release": None}, t["arch/x86/kvm/svm/svm.c"]
assert t["arch/x86/kvm/svm/sev.c"]["release"] == "v1.0", t
PY
then ok "introduced: the commit and the first vX.Y release (not -rc, not vX.Y.Z)"; else bad "introduced"; fi
out=$(cd "$REPO" && "$CCGATE" sweep -q --triage . | grep 'virt/hw.c.*note: built')
case $out in *"; introduced by ${HW_ID:0:12} (\"x86/virt: Trust the SVM feature bit\"), first released in v1.1") ok "text: introduced by, first released in";;
*) bad "text introduced: $out";; esac
(cd "$REPO" && "$CCGATE" sweep -q --format-patch "$tmp/mails" --signoff . >/dev/null)
hw_mail=$(grep -l '^+++ b/arch/x86/virt/hw.c' "$tmp"/mails/*.patch)
svm_mail=$(grep -l '^+++ b/arch/x86/kvm/svm/svm.c' "$tmp"/mails/*.patch)
if [ -n "$hw_mail" ] && grep -q "^Fixes: ${HW_ID:0:12} (\"x86/virt: Trust the SVM feature bit\")$" "$hw_mail" &&
   [ "$(grep -A1 '^Fixes:' "$hw_mail" | tail -1)" = "Cc: stable@vger.kernel.org # v1.1+" ]; then
	ok "the mail of the v1.1 bug: Cc: stable@vger.kernel.org # v1.1+"
else
	bad "hw.c mail: $(cat "$hw_mail")"
fi
if [ -n "$svm_mail" ] && grep -q "^Fixes: ${SVM_ID:0:12} " "$svm_mail" &&
   ! grep -qi '^Cc: stable' "$svm_mail"; then
	ok "the mail of the bug in no release: Fixes: and no Cc: stable"
else
	bad "svm.c mail: $(cat "$svm_mail")"
fi
if [ -n "${CCGATE_CHECKPATCH:-}" ]; then
	for m in "$hw_mail" "$svm_mail"; do
		out=$(cd "$REPO" && perl "$CCGATE_CHECKPATCH" --strict --show-types "$m" 2>&1)
		case $out in *"total: 0 errors, 0 warnings, 0 checks"*)
			ok "checkpatch.pl --strict: $(basename "$m")";;
		*) bad "checkpatch.pl --strict on $(basename "$m"): $out";; esac
	done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
