// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cocci backend's driver: --engine names, where the .cocci files are,
 * spatch's report lines turned into findings (through a fake spatch that
 * prints canned lines), and the merge of the two backends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cocci.h"
#include "registry.h"
#include "rulepack.h"
#include "strbuf.h"
#include "unit-suites.h"
#include "banned.h"

static struct rulepack rp;
static struct ccg_ctx ctx;
static char tmpdir[] = "/tmp/ccgate-unit-cocci-XXXXXX";

static void setup(void)
{
	struct strbuf dir = STRBUF_INIT;
	char *err = NULL;

	strbuf_addf(&dir, "%s/rules", unit_source_dir());
	ck_assert_msg(!rulepack_load(&rp, dir.buf, &err), "%s", err);
	strbuf_release(&dir);
	memset(&ctx, 0, sizeof(ctx));
	ctx.rp = &rp;
	ctx.jobs = 1;
	ctx.unit.root = "/tree";
	/* the rules on by default: those have a semantic-patch twin */
	for (int r = 0; r < CCG_RULE_NR; r++)
		ctx.unit.enabled[r] = rp.rules[r]->enabled;
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/spatch", tmpdir);
	unlink(path.buf);
	rmdir(tmpdir);
	strbuf_release(&path);
	rulepack_release(&rp);
}

/* A fake spatch printing LINES for -D report; nothing for other modes. */
static void fake_spatch(const char *lines)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/spatch", tmpdir);
	strbuf_addf(&text, "#!/bin/sh\ncase \"$*\" in *'-D report'*) cat <<'EOF'\n%sEOF\n;; esac\n",
		    lines);
	f = fopen(path.buf, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text.buf, f);
	fclose(f);
	chmod(path.buf, 0755);
	setenv("CCGATE_SPATCH", path.buf, 1);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/cocci", unit_source_dir());
	setenv("CCGATE_COCCI", path.buf, 1);
	strbuf_release(&path);
	strbuf_release(&text);
}

START_TEST(test_backend_names)
{
	unsigned e = 0;

	ck_assert_int_eq(ccg_backend_parse("clang", &e), 0);
	ck_assert_uint_eq(e, CCG_BACKEND_CLANG);
	ck_assert_int_eq(ccg_backend_parse("cocci", &e), 0);
	ck_assert_uint_eq(e, CCG_BACKEND_COCCI);
	ck_assert_int_eq(ccg_backend_parse("both", &e), 0);
	ck_assert_uint_eq(e, CCG_BACKEND_BOTH);
	ck_assert_int_eq(ccg_backend_parse("Both", &e), -1);
	ck_assert_int_eq(ccg_backend_parse("", &e), -1);
}
END_TEST

START_TEST(test_cocci_dir_beside_rules)
{
	struct rulepack fake = RULEPACK_INIT;
	char *d;

	unsetenv("CCGATE_COCCI");
	fake.dir = "/usr/share/ccgate/rules/";
	d = cocci_dir(&fake);
	ck_assert_str_eq(d, "/usr/share/ccgate/cocci");
	free(d);
	fake.dir = "rules";
	d = cocci_dir(&fake);
	ck_assert_str_eq(d, "cocci");
	free(d);
	setenv("CCGATE_COCCI", "/elsewhere", 1);
	d = cocci_dir(&fake);
	ck_assert_str_eq(d, "/elsewhere");
	free(d);
}
END_TEST

START_TEST(test_report_lines)
{
	struct strlist files = STRLIST_INIT;
	struct ccg_findings out = CCG_FINDINGS_INIT;
	struct cocci_run run = { &ctx, &files, false, NULL };
	const struct ccg_finding *f;

	/* the real semantic patches exist; spatch is the fake one */
	fake_spatch("/tree/a/b.c:272:6-25: ERROR: 'x86_svm_init' trusts 't' without checking 'g'; inside [cc-virt-gate]\n"
		    "spatch chatter: not a finding\n"
		    "/tree/c.h:9:22-43: ERROR: 'vc_check_opcode_bytes' has no case for 'SVM_EXIT_VMRUN' and 'SVM_EXIT_STGI'; terminates [vc-svm-opcodes]\n"
		    "/tree/d.c:1:0-1: WARNING: 'f' x [other-rule]\n"
		    "/tree/e.c:20:28-32: ERROR: 'ok' accepts 'SVM_EXIT_VMMCALL' (VMMCALL) with the wrong bytes: it compares ModRM 0xD0, the instruction is 0F 01 D9 (opcode 0x010F, ModRM 0xD9) [vc-svm-opcodes]\n");
	strlist_push(&files, "a/b.c");
	cocci_sweep(&run, &out);
	/* each rule's run prints every line; the rule tag picks its own */
	ck_assert_uint_eq(out.nr, 3);
	f = &out.v[0];
	ck_assert_str_eq(f->file, "a/b.c");
	ck_assert_uint_eq(f->line, 272);
	ck_assert_uint_eq(f->col, 7);
	ck_assert_str_eq(f->rule, "cc-virt-gate");
	ck_assert_str_eq(f->function, "x86_svm_init");
	ck_assert_str_eq(f->message,
			 "'x86_svm_init' trusts 't' without checking 'g'; inside");
	ck_assert_uint_eq(f->backends, CCG_BACKEND_COCCI);
	ck_assert_uint_eq(f->nr_lists, 0);
	f = &out.v[1];
	ck_assert_str_eq(f->file, "c.h");
	ck_assert_uint_eq(f->col, 23);
	ck_assert_uint_eq(f->nr_lists, 2);
	ck_assert_str_eq(f->lists[0].key, "missing");
	ck_assert_uint_eq(finding_list(f, "missing")->nr, 2);
	ck_assert_str_eq(finding_list(f, "missing")->v[1], "SVM_EXIT_STGI");
	ck_assert_uint_eq(finding_list(f, "wrong")->nr, 0);
	ck_assert_ptr_null(f->summary);
	/* wrong bytes: the list, and the subject of its own (wrong_summary) */
	f = &out.v[2];
	ck_assert_str_eq(f->file, "e.c");
	ck_assert_uint_eq(finding_list(f, "wrong")->nr, 1);
	ck_assert_str_eq(finding_list(f, "wrong")->v[0], "SVM_EXIT_VMMCALL");
	ck_assert_str_eq(f->summary, "Correct the VMMCALL opcode bytes in the #VC handler");
	findings_release(&out);
	strlist_release(&files);
}
END_TEST

static struct ccg_finding *add(struct ccg_findings *l, unsigned line,
			       const char *msg)
{
	struct ccg_finding *f = findings_add(l);

	f->rule = xstrdup("cc-virt-gate");
	f->file = xstrdup("x.c");
	f->line = line;
	f->col = 1;
	f->message = xstrdup(msg);
	return f;
}

START_TEST(test_merge)
{
	struct ccg_findings clang = CCG_FINDINGS_INIT;
	struct ccg_findings cocci = CCG_FINDINGS_INIT;

	add(&clang, 1, "both");
	add(&clang, 2, "clang only");
	add(&cocci, 1, "both");
	add(&cocci, 3, "cocci only");
	add(&cocci, 2, "same place, other message");
	cocci_merge(&clang, &cocci);
	ck_assert_uint_eq(cocci.nr, 0);
	ck_assert_uint_eq(clang.nr, 4);
	ck_assert_uint_eq(clang.v[0].backends, CCG_BACKEND_BOTH);
	ck_assert_uint_eq(clang.v[0].nr_notes, 0);
	for (size_t i = 1; i < clang.nr; i++) {
		const struct ccg_finding *f = &clang.v[i];

		ck_assert_uint_eq(f->nr_notes, 1);
		if (!strcmp(f->message, "clang only")) {
			ck_assert_uint_eq(f->backends, CCG_BACKEND_CLANG);
			ck_assert_str_eq(f->notes[0].text,
					 "only the clang engine reports this");
		} else {
			ck_assert_uint_eq(f->backends, CCG_BACKEND_COCCI);
			ck_assert_str_eq(f->notes[0].text,
					 "only the cocci engine reports this");
		}
	}
	findings_release(&clang);
}
END_TEST

Suite *cocci_suite(void)
{
	Suite *s = suite_create("cocci");
	TCase *tc = tcase_create("driver");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_backend_names);
	tcase_add_test(tc, test_cocci_dir_beside_rules);
	tcase_add_test(tc, test_report_lines);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}
