// SPDX-License-Identifier: GPL-2.0-only
/* Callers of the header predicates that check the guard. */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/xfile-svm.h>

int xfile_kvm_init(void)
{
	if (!xfile_has_svm() || cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	stgi();
	return 0;
}

int xfile_kvm_init_checked(void)
{
	if (!xfile_has_svm_checked())
		return -ENODEV;
	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	stgi();
	return 0;
}
