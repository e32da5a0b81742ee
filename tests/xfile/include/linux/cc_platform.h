/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: the confidential-computing attribute query. */
#ifndef _FIXTURE_CC_PLATFORM_H
#define _FIXTURE_CC_PLATFORM_H

#include <linux/types.h>

enum cc_attr {
	CC_ATTR_MEM_ENCRYPT,
	CC_ATTR_GUEST_MEM_ENCRYPT,
	CC_ATTR_GUEST_STATE_ENCRYPT,
};

bool cc_platform_has(enum cc_attr attr);

#endif
