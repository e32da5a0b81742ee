// SPDX-License-Identifier: GPL-2.0-only
/* Tests only through the macros of a header: the bit is never named here. */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/xfile-macro.h>

int xfile_macro_init(void)
{
	if (!xfile_svm_capable())
		return -ENODEV;
	return 0;
}

int xfile_macro_init_checked(void)
{
	if (!xfile_svm_capable() || cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return -ENODEV;
	return 0;
}

void xfile_macro_disable(void)
{
	if (XFILE_SVM_ON)
		stgi();
}
