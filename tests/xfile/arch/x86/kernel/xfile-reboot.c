// SPDX-License-Identifier: GPL-2.0-only
/* Callers of the predicates of arch/x86/virt/xfile-pred.c. */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/xfile-pred.h>

void xfile_emergency_disable(void)
{
	if (xfile_svm_usable())
		stgi();
}

void xfile_emergency_disable_checked(void)
{
	if (xfile_svm_usable_checked() &&
	    !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		clgi();
}

void xfile_disable_here_checked(void)
{
	if (!xfile_svm_usable_here() ||
	    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return;
	stgi();
}

void xfile_disable_here_too(void)
{
	if (xfile_svm_usable_here())
		clgi();
}
