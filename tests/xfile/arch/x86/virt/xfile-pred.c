// SPDX-License-Identifier: GPL-2.0-only
/*
 * Predicates with external linkage and no caller in this file: the
 * callers in other .c files decide (arch/x86/kernel/xfile-reboot.c).
 */
#include <linux/types.h>

#include <asm/cpufeature.h>
#include <asm/xfile-pred.h>

/* its caller runs stgi without the guard */
bool xfile_svm_usable(void)
{
	return static_cpu_has(X86_FEATURE_SVM);
}

/* its only caller checks the guard: no finding */
bool xfile_svm_usable_checked(void)
{
	return static_cpu_has(X86_FEATURE_SVM);
}

/* an unguarded caller here, a guarded one elsewhere: the note is this one */
bool xfile_svm_usable_here(void)
{
	return static_cpu_has(X86_FEATURE_SVM);
}

void xfile_svm_disable_here(void)
{
	if (xfile_svm_usable_here())
		stgi();
}
