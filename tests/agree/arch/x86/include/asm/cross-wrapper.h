/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Known difference "cross-file-wrapper": a static inline wrapper predicate
 * whose only unguarded caller is in a .c file that includes this header.
 * The libclang engine sees header and caller in one unit and reports the
 * wrapper's test; spatch reads one file at a time and sees no caller.
 */
#ifndef _AGREE_CROSS_WRAPPER_H
#define _AGREE_CROSS_WRAPPER_H

#include <asm/cpufeature.h>

static inline bool agree_has_svm(void)
{
	return boot_cpu_has(X86_FEATURE_SVM);
}

#endif
