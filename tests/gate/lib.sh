#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Shared by the gate tests: a real git history in a temporary directory,
# built from the stub headers of sample/:
#   C1 base: the virtualization ops skeleton, no SVM code
#   C2 adds x86_svm_init() gating on the CPUID bit alone (the bug)
#   C3 unrelated: a comment above, so every later line moves down one
# Sourced with CCGATE, SRC and tmp set; defines REPO, C1, C2, C3, C2_SUBJECT.

# No user or system configuration leaks into the tests.
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_DATE='2026-04-09 12:00 +0000'
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE GIT_COMMITTER_NAME="Ci Runner"
export GIT_COMMITTER_EMAIL=ci@example.org
mkdir -p "$HOME"
fail=0 pass=0

ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# check WHAT EXPECTED-STATUS STATUS
check_status() {
	if [ "$3" -eq "$2" ]; then ok "$1"; else bad "$1: exit $3, expected $2"; fi
}

tree_hash() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print0 | sort -z |
	 xargs -0 sha256sum | sha256sum)
}

make_repo() {
	REPO=$tmp/repo
	git init -q -b master "$REPO"
	git -C "$REPO" config user.name "Ada Tester"
	git -C "$REPO" config user.email "ada@example.org"
	mkdir -p "$REPO"/arch/x86/virt "$REPO"/arch/x86/include/asm \
		 "$REPO"/include/linux
	cp "$SRC"/sample/include/linux/*.h "$REPO"/include/linux/
	cp "$SRC"/sample/arch/x86/include/asm/cpufeature.h \
	   "$REPO"/arch/x86/include/asm/
	cat >"$REPO"/arch/x86/virt/hw.c <<'EOC'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/cpufeature.h>

struct x86_virt_ops {
	int feature;
	void (*emergency_disable_virtualization_cpu)(void);
};

static struct x86_virt_ops virt_ops;

static void x86_svm_emergency_disable_virtualization_cpu(void)
{
	virt_ops.feature = 0;
}
EOC
	git -C "$REPO" add -A
	git -C "$REPO" commit -qm "x86/virt: Add the virtualization ops skeleton"
	C1=$(git -C "$REPO" rev-parse HEAD)
	cat >>"$REPO"/arch/x86/virt/hw.c <<'EOC'

static __init int x86_svm_init(void)
{
	const struct x86_virt_ops svm_ops = {
		.feature = X86_FEATURE_SVM,
		.emergency_disable_virtualization_cpu = x86_svm_emergency_disable_virtualization_cpu,
	};

	if (!cpu_feature_enabled(X86_FEATURE_SVM))
		return -EOPNOTSUPP;

	memcpy(&virt_ops, &svm_ops, sizeof(virt_ops));
	return 0;
}
EOC
	C2_SUBJECT="KVM: x86: Move SVM enabling to the virt subsystem"
	git -C "$REPO" commit -qam "$C2_SUBJECT"
	C2=$(git -C "$REPO" rev-parse HEAD)
	sed -i 's|^static struct x86_virt_ops virt_ops;|/* The ops of the vendor found at boot. */\n&|' \
		"$REPO"/arch/x86/virt/hw.c
	git -C "$REPO" commit -qam "x86/virt: Document the ops table"
	C3=$(git -C "$REPO" rev-parse HEAD)
}
