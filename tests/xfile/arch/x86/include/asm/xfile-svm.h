/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Header predicates whose callers live in .c files that never name the
 * feature bit, so the sweep's first pass does not parse them: the second
 * pass finds them by the predicates' names.
 */
#ifndef _XFILE_SVM_H
#define _XFILE_SVM_H

#include <asm/cpufeature.h>

/* one caller checks the guard (kvm), one does not (emergency disable) */
static inline int xfile_has_svm(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return 0;
	return 1;
}

/* every caller checks the guard: no finding */
static inline int xfile_has_svm_checked(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return 0;
	return 1;
}

#endif

/*
 * check-name: predicates across files: header predicates and .c predicates with external linkage, judged by their callers in other .c files (all guarded: no finding), and tests through a header's macros in .c files that do not name the bit
 * check-command: ccgate sweep -q --disable vc-svm-opcodes $root
 * check-exit-value: 1
 *
 * check-output-start
arch/x86/include/asm/xfile-svm.h:15:7: error: 'xfile_has_svm' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-emergency.c:10:6: note: 'xfile_has_svm' is called from 'xfile_emergency_svm_disable' without checking the guard
arch/x86/kvm/xfile-macro-table.c:14:7: error: 'xfile_table_init' trusts 'xfile_svm_capable()' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-macro-direct.c:9:7: error: 'xfile_direct_init' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-macro-direct.c:16:6: error: 'xfile_direct_disable' trusts 'XFILE_SVM_ON' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-macro.c:10:7: error: 'xfile_macro_init' trusts 'xfile_svm_capable()' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-macro.c:24:6: error: 'xfile_macro_disable' trusts 'XFILE_SVM_ON' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-pred.c:14:9: error: 'xfile_svm_usable' trusts 'static_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/kernel/xfile-reboot.c:10:6: note: 'xfile_svm_usable' is called from 'xfile_emergency_disable' without checking the guard
arch/x86/virt/xfile-pred.c:26:9: error: 'xfile_svm_usable_here' trusts 'static_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/xfile-pred.c:31:6: note: 'xfile_svm_usable_here' is called from 'xfile_svm_disable_here' without checking the guard
arch/x86/kernel/xfile-reboot.c:31:6: note: 'xfile_svm_usable_here' is called from 'xfile_disable_here_too' without checking the guard
 * check-output-end
 */
