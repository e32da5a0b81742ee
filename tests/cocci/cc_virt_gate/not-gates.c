// SPDX-License-Identifier: GPL-2.0-only
/* Nothing to report: guarded gates, quirks, guest CPUID, other bits. */
#include <linux/cc_platform.h>

static bool kvm_is_svm_supported(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;

	if (!cpu_has(c, X86_FEATURE_SVM)) {
		pr_err("SVM not supported\n");
		return false;
	}

	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)) {
		pr_info("KVM is unsupported when running as an SEV guest\n");
		return false;
	}

	return true;
}

int kvm_init_svm(void)
{
	if (!kvm_is_svm_supported())
		return -EOPNOTSUPP;
	wrmsrl(MSR_EFER, EFER_SVME);
	return 0;
}

void init_amd_quirk(struct cpuinfo_x86 *c)
{
	if (cpu_has(c, X86_FEATURE_SVM)) {
		if (c->caps[1] & 1)
			clear_cpu_cap(c, X86_FEATURE_SVM);
	}
}

int guest_checks(struct kvm_vcpu *vcpu)
{
	/* if (!boot_cpu_has(X86_FEATURE_SVM)) return -ENODEV; */
	if (!guest_cpuid_has(vcpu, X86_FEATURE_SVM))
		return -EOPNOTSUPP;
	if (!boot_cpu_has(X86_FEATURE_VMX))
		return -ENODEV;
	return 0;
}

static bool svm_ok_in_guest(void)
{
	return boot_cpu_has(X86_FEATURE_SVM) &&
	       !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
}
