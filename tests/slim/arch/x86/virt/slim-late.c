// SPDX-License-Identifier: GPL-2.0-only
/* A predicate whose caller is an inline function of a header included after it. */
#include <linux/types.h>
#include <asm/cpufeature.h>
#include <asm/slim-decl.h>

bool slim_late_svm(void)
{
	return boot_cpu_has(X86_FEATURE_SVM);
}

#include <asm/slim-late.h>

void slim_late_user(void)
{
	slim_late_disable();
}

/*
 * check-name: blanked header bodies: a header included after a .c predicate calls it, so its body stays whole
 * check-command: ccgate sweep -q --disable vc-svm-opcodes $root
 * check-exit-value: 1
 *
 * check-output-start
arch/x86/include/asm/slim-a.h:10:9: error: 'slim_a_has_svm' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/slim-user.c:12:6: note: 'slim_b_svm_ok' is called from 'slim_enable' without checking the guard
arch/x86/virt/slim-late.c:9:9: error: 'slim_late_svm' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/include/asm/slim-late.h:13:6: note: 'slim_late_svm' is called from 'slim_late_disable' without checking the guard
 * check-output-end
 */
