/* SPDX-License-Identifier: GPL-2.0-only */
/* Sample tree for ccgate: CPUID feature testers, as macros like the kernel's. */
#ifndef _SAMPLE_ASM_CPUFEATURE_H
#define _SAMPLE_ASM_CPUFEATURE_H

#include <linux/types.h>

#define X86_FEATURE_VMX		(4 * 32 + 5)
#define X86_FEATURE_SVM		(6 * 32 + 2)

bool sample_test_cpu_cap(unsigned int bit);

#define boot_cpu_has(bit)		sample_test_cpu_cap(bit)
#define cpu_feature_enabled(bit)	(__builtin_constant_p(bit) ? \
					 sample_test_cpu_cap(bit) : 0)

#endif
