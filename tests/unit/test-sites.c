// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trigger sites and predicates across files, without libclang: the text
 * scan finds identifiers only (not comments, strings, longer names), the
 * merge counts a site once and as analyzed if any unit analyzed it, the
 * file result keeps everything across the pool's JSON, and xpred_judge()
 * drops or completes a predicate's finding from its callers elsewhere.
 */
#include <stdlib.h>
#include <string.h>

#include "sites.h"
#include "strbuf.h"
#include "udiff.h"
#include "wire.h"
#include "unit-suites.h"
#include "xpred.h"
#include "banned.h"

static struct rulepack rp;
static bool enabled[CCG_RULE_NR];
static int cvg;

static void load_rules(void)
{
	struct strbuf dir = STRBUF_INIT;
	char *err = NULL;

	strbuf_addf(&dir, "%s/rules", unit_source_dir());
	ck_assert_msg(rulepack_load(&rp, dir.buf, &err) == 0, "%s", err);
	strbuf_release(&dir);
	for (int r = 0; r < CCG_RULE_NR; r++)
		enabled[r] = true;
	cvg = ccg_rule_lookup("cc-virt-gate");
	ck_assert_int_ge(cvg, 0);
}

static void free_rules(void)
{
	rulepack_release(&rp);
}

static void collect(void *data, int rule, const char *tok, size_t len,
		    unsigned offset, unsigned line, unsigned col, char directive)
{
	struct strbuf *sb = data;

	strbuf_addf(sb, "%s %.*s %u:%u %c\n", ccg_rule_ids[rule], (int)len, tok,
		    line, col, directive ? directive : '-');
	(void)offset;
}

START_TEST(test_scan)
{
	static const char text[] =
		"/* X86_FEATURE_SVM */ int a = X86_FEATURE_SVM;\n"
		"// X86_FEATURE_SVM\n"
		"const char *s = \"X86_FEATURE_SVM\", c = 'X';\n"
		"int b = X86_FEATURE_SVME_ADDR_CHK + MY_X86_FEATURE_SVM;\n"
		"#ifdef X86_FEATURE_SVM\n"
		"#define E \\\n"
		"\tSVM_EXIT_STGI\n"
		"#endif\n"
		"case SVM_EXIT_: break;\n";
	struct strbuf got = STRBUF_INIT;

	sites_scan(&rp, enabled, text, strlen(text), collect, &got);
	ck_assert_str_eq(got.buf,
		"cc-virt-gate X86_FEATURE_SVM 1:31 -\n"
		"cc-virt-gate X86_FEATURE_SVM 5:8 #\n"
		"vc-svm-opcodes SVM_EXIT_STGI 7:2 d\n"
		"vc-svm-opcodes SVM_EXIT_ 9:6 -\n");
	strbuf_release(&got);
}
END_TEST

static void add_site(struct ccg_file_result *r, const char *file, bool all,
		     unsigned offset, const char *reason)
{
	struct ccg_site_file *sf = NULL;
	struct ccg_site *s;

	for (size_t i = 0; i < r->nr_sites; i++)
		if (!strcmp(r->sites[i].relpath, file))
			sf = &r->sites[i];
	if (!sf) {
		ALLOC_GROW(r->sites, r->nr_sites, r->alloc_sites);
		sf = &r->sites[r->nr_sites++];
		memset(sf, 0, sizeof(*sf));
		sf->relpath = xstrdup(file);
		sf->all = all;
	}
	ALLOC_GROW(sf->v, sf->nr, sf->alloc);
	s = &sf->v[sf->nr++];
	memset(s, 0, sizeof(*s));
	s->rule = cvg;
	s->offset = offset;
	s->line = offset / 10 + 1;
	s->col = 1;
	s->token = xstrdup("X86_FEATURE_SVM");
	s->reason = reason ? xstrdup(reason) : NULL;
}

START_TEST(test_merge)
{
	struct ccg_file_result r[2];
	struct ccg_site_summary sum = { 0 };
	struct ccg_ctx ctx;

	memset(r, 0, sizeof(r));
	memset(&ctx, 0, sizeof(ctx));
	ctx.rp = &rp;
	ctx.unit.root = "/nonexistent";
	r[0].relpath = xstrdup("a.c");
	r[1].relpath = xstrdup("h.h");
	/* a.c's unit: its own site not analyzed, the header's analyzed */
	add_site(&r[0], "a.c", true, 5, "outside any function");
	add_site(&r[0], "h.h", false, 20, NULL);
	/* h.h's unit: both its sites, one in an inactive branch */
	add_site(&r[1], "h.h", true, 20, "in an inactive preprocessor branch");
	add_site(&r[1], "h.h", true, 40, "in an inactive preprocessor branch");
	/* a header site no unit accounts for is not a candidate's */
	add_site(&r[0], "other.h", false, 7, NULL);
	sites_merge(ctx.rp, &ctx.unit, r, 2, &sum);
	ck_assert_uint_eq(sum.nr, 3);
	ck_assert_uint_eq(sum.nr_analyzed, 1);
	ck_assert_str_eq(sum.v[0].file, "a.c");
	ck_assert_str_eq(sum.v[0].reason, "outside any function");
	ck_assert_str_eq(sum.v[1].file, "h.h");
	ck_assert_uint_eq(sum.v[1].offset, 20);
	ck_assert_ptr_null(sum.v[1].reason);
	ck_assert_uint_eq(sum.v[2].offset, 40);
	ck_assert_str_eq(sum.v[2].reason, "in an inactive preprocessor branch");
	site_summary_release(&sum);
	file_result_release(&r[0]);
	file_result_release(&r[1]);
}
END_TEST

START_TEST(test_json_round_trip)
{
	struct ccg_file_result r, back;
	json_t *o;

	memset(&r, 0, sizeof(r));
	memset(&back, 0, sizeof(back));
	r.relpath = xstrdup("a.c");
	add_site(&r, "a.c", true, 5, "why");
	add_site(&r, "h.h", false, 9, NULL);
	r.xpreds = xcalloc(1, sizeof(*r.xpreds));
	r.nr_xpreds = r.alloc_xpreds = 1;
	r.xpreds[0] = (struct ccg_xpred){ cvg, xstrdup("p"), xstrdup("a.c"), 3, 4,
					  false, true };
	r.xcalls = xcalloc(1, sizeof(*r.xcalls));
	r.nr_xcalls = r.alloc_xcalls = 1;
	r.xcalls[0] = (struct ccg_xcall){ cvg, xstrdup("q"), xstrdup("b.c"), 5, 6,
					  xstrdup("caller"), true };
	{
		/* a finding whose fix holds a line that is not UTF-8 */
		static const char diff[] =
			"diff --git a/a.c b/a.c\n--- a/a.c\n+++ b/a.c\n"
			"@@ -1,2 +1,2 @@ int f(void)\n a\n-\xff\n+b\n"
			"\\ No newline at end of file\n";
		struct ccg_finding *f = findings_add(&r.findings);
		char *text;

		f->rule = xstrdup("cc-virt-gate");
		f->file = xstrdup("a.c");
		f->message = xstrdup("m");
		f->summary = xstrdup("Correct the bytes");	/* a mail's subject */
		f->patch = xcalloc(1, sizeof(*f->patch));
		ck_assert_int_eq(udiff_parse(f->patch, diff), 0);
		o = file_result_to_json(&r);
		ck_assert_int_eq(file_result_from_json(&back, o), 0);
		json_decref(o);
		ck_assert_uint_eq(back.findings.nr, 1);
		ck_assert_str_eq(back.findings.v[0].summary, "Correct the bytes");
		ck_assert_ptr_nonnull(back.findings.v[0].patch);
		text = udiff_text(back.findings.v[0].patch);
		ck_assert_str_eq(text, diff);
		free(text);
	}
	ck_assert_uint_eq(back.nr_sites, 2);
	ck_assert(back.sites[0].all && !back.sites[1].all);
	ck_assert_str_eq(back.sites[0].v[0].reason, "why");
	ck_assert_ptr_null(back.sites[1].v[0].reason);
	ck_assert_uint_eq(back.sites[1].v[0].offset, 9);
	ck_assert_uint_eq(back.nr_xpreds, 1);
	ck_assert_str_eq(back.xpreds[0].name, "p");
	ck_assert(back.xpreds[0].lone && !back.xpreds[0].in_header);
	ck_assert_uint_eq(back.nr_xcalls, 1);
	ck_assert_str_eq(back.xcalls[0].caller, "caller");
	ck_assert(back.xcalls[0].guarded);
	file_result_release(&r);
	file_result_release(&back);
}
END_TEST

/* A lone predicate p of a.c, and the calls other units saw. */
static void judge(bool second_unguarded, struct ccg_findings *list)
{
	struct ccg_file_result r[2];
	struct ccg_finding *f;

	memset(r, 0, sizeof(r));
	f = findings_add(list);
	f->rule = xstrdup("cc-virt-gate");
	f->file = xstrdup("a.c");
	f->line = 3;
	f->col = 4;
	f->message = xstrdup("m");
	finding_add_note(f, "a.c", 3, 4, "'p' has external linkage and no caller in this unit checks the guard");
	r[0].xpreds = xcalloc(1, sizeof(*r[0].xpreds));
	r[0].nr_xpreds = 1;
	r[0].xpreds[0] = (struct ccg_xpred){ cvg, xstrdup("p"), xstrdup("a.c"), 3, 4,
					     false, true };
	r[1].xcalls = xcalloc(2, sizeof(*r[1].xcalls));
	r[1].nr_xcalls = 2;
	r[1].xcalls[0] = (struct ccg_xcall){ cvg, xstrdup("p"), xstrdup("b.c"), 9, 2,
					     xstrdup("b1"), true };
	r[1].xcalls[1] = (struct ccg_xcall){ cvg, xstrdup("p"), xstrdup("b.c"), 12, 2,
					     xstrdup("b2"), !second_unguarded };
	xpred_judge(r, 2, list);
	file_result_release(&r[0]);
	file_result_release(&r[1]);
}

START_TEST(test_judge)
{
	struct ccg_findings list = CCG_FINDINGS_INIT;

	judge(false, &list);
	ck_assert_uint_eq(list.nr, 0);	/* every caller checks the guard */
	judge(true, &list);
	ck_assert_uint_eq(list.nr, 1);
	ck_assert_uint_eq(list.v[0].nr_notes, 1);
	ck_assert_str_eq(list.v[0].notes[0].file, "b.c");
	ck_assert_uint_eq(list.v[0].notes[0].line, 12);
	ck_assert_str_eq(list.v[0].notes[0].text,
			 "'p' is called from 'b2' without checking the guard");
	findings_release(&list);
}
END_TEST

Suite *sites_suite(void)
{
	Suite *s = suite_create("sites");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, load_rules, free_rules);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_judge);
	suite_add_tcase(s, tc);
	return s;
}
