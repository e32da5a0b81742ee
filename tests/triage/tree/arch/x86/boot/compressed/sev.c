// SPDX-License-Identifier: GPL-2.0-only
/* The boot stub's copy of the shared SEV code. */
#define __BOOT_COMPRESSED

#ifdef CONFIG_AMD_MEM_ENCRYPT
#include "../../coco/sev/shared.c"
#endif
