// SPDX-License-Identifier: GPL-2.0-only
/*
 * The unguarded caller of agree_has_svm(), see asm/cross-wrapper.h.  It
 * names X86_FEATURE_SVM here so that the sweep's prefilter parses it.
 */
#include <linux/types.h>

#include <asm/cross-wrapper.h>

void agree_emergency_disable(void)
{
	if (agree_has_svm())
		stgi();
}
