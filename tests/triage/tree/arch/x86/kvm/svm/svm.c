// SPDX-License-Identifier: GPL-2.0-only
/* A gate on the CPUID bit alone: the triage fixture's finding. */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/cpufeature.h>

int svm_hardware_usable(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_SVM))
		return -EOPNOTSUPP;
	return 0;
}

