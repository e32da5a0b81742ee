// SPDX-License-Identifier: GPL-2.0-only
/*
 * udiff_parse() and udiff_apply(): what fix_diff() writes reads back into
 * hunks that udiff_apply() turns into exactly what fix_apply() makes, and a
 * text that no longer matches is refused at the right line.
 */
#include <string.h>

#include "fix.h"
#include "strbuf.h"
#include "udiff.h"
#include "unit-suites.h"
#include "banned.h"

static struct strbuf text;

/* 40 numbered lines: far enough apart, edits make separate hunks. */
static void make_text(void)
{
	strbuf_init(&text);
	for (int i = 1; i <= 40; i++)
		strbuf_addf(&text, "\tline%02d;\n", i);
}

static void free_text(void)
{
	strbuf_release(&text);
}

static size_t off_of(const char *anchor)
{
	const char *p = strstr(text.buf, anchor);

	ck_assert_ptr_nonnull(p);
	return (size_t)(p - text.buf);
}

/* Diff EDITS, read the diff back, apply it: must equal fix_apply(). */
static void round_trip(struct fix_edits *edits)
{
	struct strbuf diff = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct udiff d = UDIFF_INIT;
	unsigned bad = 0;

	ck_assert_int_eq(fix_diff(&diff, "x/y.c", text.buf, text.len, edits), 0);
	ck_assert_int_eq(fix_apply(&want, text.buf, text.len, edits), 0);
	ck_assert_int_eq(udiff_parse(&d, diff.buf), 0);
	ck_assert_uint_eq(d.nr, 1);
	ck_assert_str_eq(d.files[0].path, "x/y.c");
	ck_assert_int_eq(udiff_apply(&d.files[0], text.buf, text.len, &got, &bad), 0);
	ck_assert_str_eq(got.buf, want.buf);
	udiff_release(&d);
	strbuf_release(&diff);
	strbuf_release(&want);
	strbuf_release(&got);
}

START_TEST(test_replace_insert_delete)
{
	struct fix_edits e = FIX_EDITS_INIT;

	fix_edits_add(&e, off_of("\tline03;"), strlen("\tline03;\n"),
		      "\tthree;\n\tand more;\n");
	fix_edits_add(&e, off_of("\tline20;"), 0, "\tinserted;\n");
	fix_edits_add(&e, off_of("\tline33;"), strlen("\tline33;\n"), "");
	round_trip(&e);
	fix_edits_release(&e);
}
END_TEST

START_TEST(test_first_and_last_line)
{
	struct fix_edits e = FIX_EDITS_INIT;

	fix_edits_add(&e, 0, 0, "// first\n");
	fix_edits_add(&e, text.len, 0, "// last\n");
	round_trip(&e);
	fix_edits_release(&e);
}
END_TEST

START_TEST(test_changed_text_refused)
{
	struct fix_edits e = FIX_EDITS_INIT;
	struct strbuf diff = STRBUF_INIT, got = STRBUF_INIT;
	struct udiff d = UDIFF_INIT;
	unsigned bad = 0;
	size_t at;

	fix_edits_add(&e, off_of("\tline20;"), strlen("\tline20;\n"), "\tX;\n");
	ck_assert_int_eq(fix_diff(&diff, "x/y.c", text.buf, text.len, &e), 0);
	ck_assert_int_eq(udiff_parse(&d, diff.buf), 0);
	at = off_of("line18");
	text.buf[at] = 'L';	/* a context line of the hunk changed */
	ck_assert_int_eq(udiff_apply(&d.files[0], text.buf, text.len, &got, &bad), -1);
	ck_assert_uint_eq(bad, 18);
	udiff_release(&d);
	strbuf_release(&diff);
	strbuf_release(&got);
	fix_edits_release(&e);
}
END_TEST

START_TEST(test_malformed)
{
	struct udiff d = UDIFF_INIT;

	ck_assert_int_eq(udiff_parse(&d, "not a diff\n"), -1);
	udiff_release(&d);
	/* the hunk promises two old lines and brings one */
	ck_assert_int_eq(udiff_parse(&d, "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-a\n+b\n"), -1);
	udiff_release(&d);
	ck_assert_int_eq(udiff_parse(&d, "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"), 0);
	ck_assert_str_eq(d.files[0].path, "f");
	udiff_release(&d);
}
END_TEST

START_TEST(test_hash)
{
	ck_assert(udiff_hash("a", 1) != udiff_hash("b", 1));
	ck_assert(udiff_hash("", 0) == 0xcbf29ce484222325ULL);
}
END_TEST

Suite *udiff_suite(void)
{
	Suite *s = suite_create("udiff");
	TCase *tc = tcase_create("udiff");

	tcase_add_checked_fixture(tc, make_text, free_text);
	tcase_add_test(tc, test_replace_insert_delete);
	tcase_add_test(tc, test_first_and_last_line);
	tcase_add_test(tc, test_changed_text_refused);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_hash);
	suite_add_tcase(s, tc);
	return s;
}
