// SPDX-License-Identifier: GPL-2.0-only
/*
 * Known difference "inactive-preprocessor-branch": a gate in an #else
 * branch.  The libclang engine defines every CONFIG_ symbol the file names
 * and sees only the #ifdef branch; spatch parses both branches.
 */
#include <linux/types.h>

#include <asm/cpufeature.h>

#ifdef CONFIG_AGREE_NO_SVM
int agree_init(void)
{
	return -ENODEV;
}
#else
int agree_init(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return -ENODEV;
	return 0;
}
#endif
