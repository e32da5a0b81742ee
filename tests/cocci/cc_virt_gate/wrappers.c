// SPDX-License-Identifier: GPL-2.0-only
/* Wrapper predicates: reported at their test unless every caller checks. */
#include <linux/cc_platform.h>

/* 6.1's virtext.h shape, called unguarded by the emergency path */
static inline int cpu_has_svm(const char **msg)
{
	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		if (msg)
			*msg = "svm not available";
		return 0;
	}
	return 1;
}

static inline void cpu_emergency_svm_disable(void)
{
	if (cpu_has_svm(NULL))
		cpu_svm_disable();
}

/* a wrapper whose only caller consults the guard: not reported */
static inline bool has_svm(void)
{
	return static_cpu_has(X86_FEATURE_SVM);
}

int svm_usable(void)
{
	if (!has_svm() || cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	wrmsrl(MSR_EFER, EFER_SVME);
	return 0;
}

/* external linkage and no caller here: reported, positive fix */
bool svm_supported(struct cpuinfo_x86 *c)
{
	return cpu_has(c, X86_FEATURE_SVM) && c->x86 >= 0x10;
}

/* the guard comes after SVM was enabled: too late */
int svm_late_guard(void)
{
	if (!this_cpu_has(X86_FEATURE_SVM) || !svm_enabled_by_bios())
		return -ENODEV;

	wrmsrl(MSR_EFER, EFER_SVME);

	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	return 0;
}
