/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: host and guest CPUID testers, macros as in the kernel. */
#ifndef _FIXTURE_ASM_CPUFEATURE_H
#define _FIXTURE_ASM_CPUFEATURE_H

#include <linux/types.h>

#define X86_FEATURE_VMX		(4 * 32 + 5)
#define X86_FEATURE_SVM		(6 * 32 + 2)

struct cpuinfo_x86 {
	unsigned long caps[8];
};

struct kvm_vcpu;

extern struct cpuinfo_x86 boot_cpu_data;
bool fixture_test_cap(const struct cpuinfo_x86 *c, unsigned int bit);
bool guest_cpuid_has(struct kvm_vcpu *vcpu, unsigned int bit);
bool kvm_cpu_cap_has(unsigned int bit);
void clear_cpu_cap(struct cpuinfo_x86 *c, unsigned int bit);

#define cpu_has(c, bit)			fixture_test_cap(c, bit)
#define boot_cpu_has(bit)		cpu_has(&boot_cpu_data, bit)
#define static_cpu_has(bit)		boot_cpu_has(bit)
#define this_cpu_has(bit)		boot_cpu_has(bit)
#define cpu_feature_enabled(bit)	boot_cpu_has(bit)

struct x86_cpu_id {
	unsigned int feature;
};

#define X86_MATCH_FEATURE(feature, data)	{ feature }

#endif
