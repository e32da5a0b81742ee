// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference regression: x86_svm_init() gates on the CPUID bit alone.
 * The fix is the upstream one, continuation line aligned under the
 * condition.
 */
#include <linux/cc_platform.h>

static struct x86_virt_ops virt_ops;

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
