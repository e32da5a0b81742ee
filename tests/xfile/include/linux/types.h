/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixture stub: the few kernel types and constants the fixtures use. */
#ifndef _FIXTURE_TYPES_H
#define _FIXTURE_TYPES_H

typedef _Bool bool;
typedef unsigned long size_t;
typedef unsigned long long u64;
#define true 1
#define false 0
#define NULL ((void *)0)
#define __init
#define EOPNOTSUPP 95
#define ENODEV 19
#define EFER_SVME (1ULL << 12)
#define MSR_EFER 0xc0000080

void *memcpy(void *dst, const void *src, size_t n);
void wrmsrl(unsigned int msr, u64 val);
int pr_info(const char *fmt, ...);
void stgi(void);
void clgi(void);

#endif
