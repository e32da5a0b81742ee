/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: CONFIG_ symbols are defined to 1 by ccgate's virtual autoconf.h. */
#ifndef _FIXTURE_KCONFIG_H
#define _FIXTURE_KCONFIG_H

#include <generated/autoconf.h>

#define IS_ENABLED(option) (option)

#endif
