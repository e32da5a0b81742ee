// SPDX-License-Identifier: GPL-2.0-only
/* An unguarded caller of a header predicate, and a guarded one. */
#include <linux/cc_platform.h>
#include <linux/types.h>

#include <asm/xfile-svm.h>

void xfile_emergency_svm_disable(void)
{
	if (xfile_has_svm())
		stgi();
}

void xfile_emergency_svm_disable_checked(void)
{
	if (xfile_has_svm_checked() &&
	    !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		stgi();
}
