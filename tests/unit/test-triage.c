// SPDX-License-Identifier: GPL-2.0-only
/*
 * The condition algebra of triage (kexpr.h): tristate && and ||, the merge
 * of one symbol's atoms, absorption and factoring, Kleene's unknown; and
 * the choice of the first release among "git tag --contains" names.
 */
#include <stdlib.h>
#include <string.h>

#include "gitio.h"
#include "kexpr.h"
#include "unit-suites.h"
#include "banned.h"

static struct kexpr *tri(const char *name)
{
	return kexpr_sym(name, KEXPR_N, KEXPR_M, KEXPR_Y);
}

/* Simplify E, render it and compare; E is consumed. */
static void check_render(struct kexpr *e, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	e = kexpr_simplify(e);
	kexpr_render(&sb, e);
	ck_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
	kexpr_free(e);
}

START_TEST(test_simplify)
{
	/* y drops out of &&, the chain's order stays */
	check_render(kexpr_and(kexpr_and(kexpr_const(KEXPR_Y), tri("CONFIG_A")),
			       kexpr_and(tri("CONFIG_B"), tri("CONFIG_A"))),
		     "CONFIG_A && CONFIG_B");
	/* absorption: A || (A && B) */
	check_render(kexpr_or(tri("CONFIG_A"), kexpr_and(tri("CONFIG_A"), tri("CONFIG_B"))),
		     "CONFIG_A");
	/* factoring: (A && B) || (A && C) */
	check_render(kexpr_or(kexpr_and(tri("CONFIG_A"), tri("CONFIG_B")),
			      kexpr_and(tri("CONFIG_A"), tri("CONFIG_C"))),
		     "CONFIG_A && (CONFIG_B || CONFIG_C)");
	/* #ifdef X && obj-$(X): X must be y */
	check_render(kexpr_and(tri("CONFIG_A"), kexpr_sym("CONFIG_A", 0, 0, 2)),
		     "CONFIG_A=y");
	/* ifdef X (n, y, y) || !X: always */
	check_render(kexpr_or(kexpr_sym("CONFIG_A", 0, 2, 2),
			      kexpr_not(kexpr_sym("CONFIG_A", 0, 2, 2))), "y");
	/* ifeq ($(CONFIG_A),y) ... else: A=y || (A!=y && B) */
	check_render(kexpr_or(kexpr_sym("CONFIG_A", 0, 0, 2),
			      kexpr_and(kexpr_sym("CONFIG_A", 2, 2, 0), tri("CONFIG_B"))),
		     "CONFIG_A=y || CONFIG_B");
	/* but not for a tristate A: m || (!m && B) is m || B only if B <= m */
	check_render(kexpr_or(tri("CONFIG_A"), kexpr_and(kexpr_not(tri("CONFIG_A")),
							  tri("CONFIG_B"))),
		     "CONFIG_A || (!CONFIG_A && CONFIG_B)");
	check_render(kexpr_not(kexpr_not(tri("CONFIG_A"))), "CONFIG_A");
	check_render(kexpr_and(tri("CONFIG_A"), kexpr_const(KEXPR_N)), "n");
	check_render(kexpr_and(tri("CONFIG_A"), kexpr_unknown("why")),
		     "CONFIG_A && unknown");
}
END_TEST

static int values(const char *name, void *data)
{
	(void)data;
	if (!strcmp(name, "CONFIG_Y"))
		return KEXPR_Y;
	if (!strcmp(name, "CONFIG_M"))
		return KEXPR_M;
	if (!strcmp(name, "CONFIG_N"))
		return KEXPR_N;
	return KEXPR_UNKNOWN_VALUE;
}

static int eval(struct kexpr *e)
{
	int v = kexpr_eval(e, values, NULL);

	kexpr_free(e);
	return v;
}

START_TEST(test_eval)
{
	ck_assert_int_eq(eval(kexpr_and(tri("CONFIG_Y"), tri("CONFIG_M"))), KEXPR_M);
	ck_assert_int_eq(eval(kexpr_or(tri("CONFIG_N"), tri("CONFIG_M"))), KEXPR_M);
	ck_assert_int_eq(eval(kexpr_not(tri("CONFIG_M"))), KEXPR_M);
	/* IS_ENABLED() of a module is 1: built-in code under #if */
	ck_assert_int_eq(eval(kexpr_sym("CONFIG_M", 0, 2, 2)), KEXPR_Y);
	ck_assert_int_eq(eval(kexpr_sym("CONFIG_M", 0, 0, 2)), KEXPR_N);
	/* Kleene: n decides &&, y decides ||, else unknown */
	ck_assert_int_eq(eval(kexpr_and(tri("CONFIG_N"), kexpr_unknown("x"))), KEXPR_N);
	ck_assert_int_eq(eval(kexpr_or(tri("CONFIG_Y"), tri("CONFIG_U"))), KEXPR_Y);
	ck_assert_int_eq(eval(kexpr_and(tri("CONFIG_Y"), tri("CONFIG_U"))),
			 KEXPR_UNKNOWN_VALUE);
}
END_TEST

START_TEST(test_unknowns)
{
	struct kexpr *e = kexpr_and(kexpr_unknown("a"), kexpr_or(kexpr_unknown("b"),
								 kexpr_unknown("a")));
	struct strlist why = STRLIST_INIT;

	kexpr_unknowns(e, &why);
	ck_assert_int_eq(why.nr, 2);
	ck_assert_str_eq(why.v[0], "a");
	ck_assert_str_eq(why.v[1], "b");
	strlist_release(&why);
	kexpr_free(e);
}
END_TEST

START_TEST(test_release_pick)
{
	char *r;

	r = git_release_pick("v1.10\nv1.2-rc1\nv1.9\nv1.9.3\nv2.0\n");
	ck_assert_str_eq(r, "v1.9");
	free(r);
	ck_assert_ptr_null(git_release_pick("v1.2-rc1\nv1.1.3\nnext\nv1.\nv.1\n"));
	ck_assert_ptr_null(git_release_pick(""));
	r = git_release_pick("v6.1");
	ck_assert_str_eq(r, "v6.1");
	free(r);
}
END_TEST

Suite *triage_suite(void)
{
	Suite *s = suite_create("triage");
	TCase *tc = tcase_create("triage");

	tcase_add_test(tc, test_simplify);
	tcase_add_test(tc, test_eval);
	tcase_add_test(tc, test_unknowns);
	tcase_add_test(tc, test_release_pick);
	suite_add_tcase(s, tc);
	return s;
}
