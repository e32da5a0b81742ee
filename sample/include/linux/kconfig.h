/* SPDX-License-Identifier: GPL-2.0-only */
/* Sample tree for ccgate: a minimal stand-in for the kernel's kconfig.h. */
#ifndef _SAMPLE_KCONFIG_H
#define _SAMPLE_KCONFIG_H

#include <generated/autoconf.h>

#define IS_ENABLED(option) 1

#endif
