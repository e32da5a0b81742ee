/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: the types the slim-header fixtures use. */
#ifndef _SLIM_TYPES_H
#define _SLIM_TYPES_H

typedef _Bool bool;
#define true 1
#define false 0

void stgi(void);
bool cc_platform_has(int attr);
#define CC_ATTR_GUEST_MEM_ENCRYPT 2

#endif
