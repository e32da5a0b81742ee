// SPDX-License-Identifier: GPL-2.0-only
/* The kernel proper's SEV code; the shared part is #included. */
int sev_core;

#include "shared.c"
