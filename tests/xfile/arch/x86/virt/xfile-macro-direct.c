// SPDX-License-Identifier: GPL-2.0-only
/* A direct test and a test through a header's macro in one file. */
#include <linux/types.h>

#include <asm/xfile-macro.h>

int xfile_direct_init(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM))
		return -ENODEV;
	return 0;
}

void xfile_direct_disable(void)
{
	if (XFILE_SVM_ON)
		stgi();
}
