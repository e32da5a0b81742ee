// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bit is named only in a table, which is no test: the test is the
 * header's macro.
 */
#include <linux/types.h>

#include <asm/xfile-macro.h>

static const unsigned int xfile_features[] = { X86_FEATURE_SVM };

int xfile_table_init(void)
{
	if (!xfile_svm_capable())
		return -ENODEV;
	return xfile_features[0];
}
