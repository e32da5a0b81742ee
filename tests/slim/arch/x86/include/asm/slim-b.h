/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shapes the blanking of inline bodies must get right: a predicate that
 * only calls another header's predicate (kept through the fixed point), a
 * struct defined through a macro call (not a body), a body whose braces
 * pair differently in each branch of a conditional, a body that #defines
 * what others use, and braces inside comments and strings.
 */
#ifndef _SLIM_B_H
#define _SLIM_B_H

#include <asm/slim-a.h>

static inline bool slim_b_svm_ok(void)
{
	return slim_a_has_svm();
}

#define slim_struct(name) struct name

slim_struct(slim_lock) {
	int raw;
	int owner;
};

static inline void slim_defines(void)
{
#define SLIM_FROM_BODY 42
}

static inline const char *slim_braces(void)
{
	/* } a closing brace in a comment */
	return "}{";
}

struct slim_after_braces {
	int field;
};

static inline int slim_uneven(int a)
{
#ifdef SLIM_NEVER
	if (a) {
#else
	if (!a) {
#endif
		return 1;
	}
	return 0;
}

struct slim_after_uneven {
	int member;
};

#endif
