/* SPDX-License-Identifier: GPL-2.0-only */
/* Sample tree for ccgate: the few types the sample code uses. */
#ifndef _SAMPLE_TYPES_H
#define _SAMPLE_TYPES_H

typedef _Bool bool;
typedef unsigned long size_t;
typedef unsigned long long u64;
#define true 1
#define false 0
#define NULL ((void *)0)
#define __init
#define EOPNOTSUPP 95
#define ENODEV 19

void *memcpy(void *dst, const void *src, size_t n);

#endif
