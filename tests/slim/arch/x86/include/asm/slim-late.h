/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Included after the .c file's predicate: the walk meets this body after
 * it knows the predicate, so the body must stay whole.
 */
#ifndef _SLIM_LATE_H
#define _SLIM_LATE_H

#include <asm/slim-decl.h>

static inline void slim_late_disable(void)
{
	if (slim_late_svm())
		stgi();
}

#endif
