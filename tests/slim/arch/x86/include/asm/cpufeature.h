/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: a feature bit and the tester the rule knows. */
#ifndef _SLIM_CPUFEATURE_H
#define _SLIM_CPUFEATURE_H

#include <linux/types.h>

#define X86_FEATURE_SVM		(6 * 32 + 2)

bool slim_test_cap(unsigned int bit);
#define boot_cpu_has(bit)	slim_test_cap(bit)

#endif
