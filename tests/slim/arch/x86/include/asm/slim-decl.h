/* SPDX-License-Identifier: GPL-2.0-only */
/* A predicate defined in a .c file, declared for a header included later. */
#ifndef _SLIM_DECL_H
#define _SLIM_DECL_H

#include <linux/types.h>

bool slim_late_svm(void);

#endif
