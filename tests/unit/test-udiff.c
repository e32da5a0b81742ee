// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hunks a finding carries: what fix_hunks() builds, udiff_apply() turns
 * into exactly what fix_apply() makes, udiff_render() writes as fix_diff()'s
 * text, and a text that no longer matches is refused at the right line.
 * udiff_parse() is for spatch's diffs: what it reads renders back as it was.
 */
#include <stdlib.h>
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

/*
 * The hunks of EDITS, applied: must equal fix_apply(); rendered: must equal
 * fix_diff(); the rendered text parsed and rendered again: the same text.
 */
static void round_trip(struct fix_edits *edits)
{
	struct strbuf diff = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct udiff d = UDIFF_INIT, back = UDIFF_INIT;
	char *text2, *text3;
	unsigned bad = 0;

	ck_assert_int_eq(fix_hunks(&d, "x/y.c", text.buf, text.len, edits), 0);
	ck_assert_int_eq(fix_diff(&diff, "x/y.c", text.buf, text.len, edits), 0);
	ck_assert_int_eq(fix_apply(&want, text.buf, text.len, edits), 0);
	ck_assert_uint_eq(d.nr, 1);
	ck_assert_str_eq(d.files[0].path, "x/y.c");
	ck_assert_int_eq(udiff_apply(&d.files[0], text.buf, text.len, &got, &bad), 0);
	ck_assert_str_eq(got.buf, want.buf);
	text2 = udiff_text(&d);
	ck_assert_str_eq(text2, diff.buf);
	ck_assert_int_eq(udiff_parse(&back, text2), 0);
	text3 = udiff_text(&back);
	ck_assert_str_eq(text3, text2);
	free(text2);
	free(text3);
	udiff_release(&back);
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
	ck_assert_int_eq(fix_hunks(&d, "x/y.c", text.buf, text.len, &e), 0);
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

/* spatch's shape: its own header, a function context, no final newline. */
START_TEST(test_spatch_text_renders_back)
{
	static const char spatch[] =
		"diff -u -p a/d/f.c b/d/f.c\n"
		"--- a/d/f.c\n"
		"+++ b/d/f.c\n"
		"@@ -1,2 +1,3 @@ int f(void)\n"
		" a\n"
		"-b\n"
		"\\ No newline at end of file\n"
		"+b;\n"
		"+c\n"
		"\\ No newline at end of file\n";
	struct udiff d = UDIFF_INIT, *c;
	struct strbuf got = STRBUF_INIT;
	unsigned bad = 0;
	char *back;

	ck_assert_int_eq(udiff_parse(&d, spatch), 0);
	ck_assert_str_eq(d.files[0].path, "d/f.c");
	ck_assert_str_eq(d.files[0].hunks[0].func, " int f(void)");
	c = udiff_dup(&d);
	back = udiff_text(c);
	ck_assert_str_eq(back, spatch);
	ck_assert_int_eq(udiff_apply(&c->files[0], "a\nb", 3, &got, &bad), 0);
	/* the added last line is marked "No newline at end of file" */
	ck_assert_str_eq(got.buf, "a\nb;\nc");
	free(back);
	udiff_free(c);
	udiff_release(&d);
	strbuf_release(&got);
}
END_TEST

/*
 * Apply the hunks of two findings' edits A and B (in line order) as one
 * file; and B rebased onto A (udiff_rebase()), applied after A, must give
 * the same, or be refused where the two conflict.
 */
static int apply_two(struct fix_edits *a, struct fix_edits *b,
		     struct strbuf *got, unsigned *bad)
{
	struct udiff da = UDIFF_INIT, db = UDIFF_INIT;
	struct udiff_file f = { 0 };
	int ret;

	ck_assert_int_eq(fix_hunks(&da, "x/y.c", text.buf, text.len, a), 0);
	ck_assert_int_eq(fix_hunks(&db, "x/y.c", text.buf, text.len, b), 0);
	f.hunks = (struct udiff_hunk[]){ da.files[0].hunks[0], db.files[0].hunks[0] };
	f.nr = 2;
	ret = udiff_apply(&f, text.buf, text.len, got, bad);
	if (ret == 0) {
		/* B after A, as the next mail of a series: the same result */
		struct udiff rb = UDIFF_INIT;
		struct strbuf mid = STRBUF_INIT, end = STRBUF_INIT;
		unsigned b2 = 0;

		ck_assert_int_eq(udiff_rebase(&rb, &da.files[0], &db.files[0], text.buf, text.len), 0);
		ck_assert_int_eq(udiff_apply(&da.files[0], text.buf, text.len, &mid, &b2), 0);
		ck_assert_int_eq(udiff_apply(&rb.files[0], mid.buf, mid.len, &end, &b2), 0);
		ck_assert_str_eq(end.buf, got->buf);
		udiff_release(&rb);
		strbuf_release(&mid);
		strbuf_release(&end);
	} else {
		struct udiff rb = UDIFF_INIT;

		ck_assert_int_eq(udiff_rebase(&rb, &da.files[0], &db.files[0], text.buf, text.len), -1);
		ck_assert_uint_eq(rb.nr, 0);
	}
	udiff_release(&da);
	udiff_release(&db);
	return ret;
}

/*
 * Two findings' patches a few lines apart share lines: applied together
 * they give both edits, also where one's change is the other's context;
 * two changes of the same line are refused at that line.
 */
START_TEST(test_shared_context)
{
	static const char *const second[] = { "\tline14;", "\tline12;", "\tline10;" };
	struct fix_edits a = FIX_EDITS_INIT;

	fix_edits_add(&a, off_of("\tline10;"), strlen("\tline10;"), "\tten;");
	for (size_t k = 0; k < 3; k++) {
		struct fix_edits b = FIX_EDITS_INIT, both = FIX_EDITS_INIT;
		struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
		unsigned bad = 0;

		/* an insertion before 14 (context 11-13: line 10's hunk ends
		 * with them), a change of 12 (context 9-11 and 13-15, 10
		 * changed by the other), and one of 10 itself */
		fix_edits_add(&b, off_of(second[k]), k ? strlen(second[k]) : 0,
			      k ? "\tchanged;" : "\tnew;\n");
		fix_edits_add(&both, off_of("\tline10;"), strlen("\tline10;"), "\tten;");
		fix_edits_add(&both, off_of(second[k]), k ? strlen(second[k]) : 0,
			      k ? "\tchanged;" : "\tnew;\n");
		if (k < 2) {
			ck_assert_int_eq(fix_apply(&want, text.buf, text.len, &both), 0);
			ck_assert_int_eq(apply_two(&a, &b, &got, &bad), 0);
			ck_assert_str_eq(got.buf, want.buf);
		} else {
			ck_assert_int_eq(apply_two(&a, &b, &got, &bad), -1);
			ck_assert_uint_eq(bad, 10);
		}
		fix_edits_release(&b);
		fix_edits_release(&both);
		strbuf_release(&want);
		strbuf_release(&got);
	}
	fix_edits_release(&a);
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
	tcase_add_test(tc, test_spatch_text_renders_back);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_shared_context);
	suite_add_tcase(s, tc);
	return s;
}
