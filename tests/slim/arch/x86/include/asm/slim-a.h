/* SPDX-License-Identifier: GPL-2.0-only */
/* A header predicate: its body names the feature bit, so it stays whole. */
#ifndef _SLIM_A_H
#define _SLIM_A_H

#include <asm/cpufeature.h>

static inline bool slim_a_has_svm(void)
{
	return boot_cpu_has(X86_FEATURE_SVM);
}

/* names nothing a rule knows: blanked */
static inline int slim_a_plain(int x)
{
	return x + 1;
}

#endif
