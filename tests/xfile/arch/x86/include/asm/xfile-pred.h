/* SPDX-License-Identifier: GPL-2.0-only */
/* Predicates defined in arch/x86/virt/xfile-pred.c. */
#ifndef _XFILE_PRED_H
#define _XFILE_PRED_H

#include <linux/types.h>

bool xfile_svm_usable(void);
bool xfile_svm_usable_checked(void);
bool xfile_svm_usable_here(void);

#endif
