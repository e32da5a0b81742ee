/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests written as macros of a header: a .c file that uses one need not
 * name the feature bit, so the sweep's second pass looks for their names.
 */
#ifndef _XFILE_MACRO_H
#define _XFILE_MACRO_H

#include <asm/cpufeature.h>

#define xfile_svm_capable()	boot_cpu_has(X86_FEATURE_SVM)
#define XFILE_SVM_ON		static_cpu_has(X86_FEATURE_SVM)

#endif
