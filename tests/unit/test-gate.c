// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pieces of gate, patch and --format-patch that need no git: the
 * fingerprint of a finding, the baseline file, and the subject prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "fingerprint.h"
#include "mail.h"
#include "overlay.h"
#include "unit-suites.h"
#include "banned.h"

static const char hw_c[] =
	"static int x86_svm_init(void)\n"
	"{\n"
	"\tif (!cpu_feature_enabled( X86_FEATURE_SVM ))\n"
	"\t\treturn -EOPNOTSUPP;\n"
	"\treturn 0;\n"
	"}\n";

static void fake_finding(struct ccg_finding *f, unsigned line, unsigned col)
{
	memset(f, 0, sizeof(*f));
	f->rule = xstrdup("cc-virt-gate");
	f->file = xstrdup("arch/x86/virt/hw.c");
	f->function = xstrdup("x86_svm_init");
	f->message = xstrdup("m");
	f->line = line;
	f->col = col;
}

static void key_of(struct fp_key *k, const char *text, unsigned line,
		   unsigned col)
{
	struct overlay ov = OVERLAY_INIT;
	struct ccg_finding f;

	overlay_set(&ov, "/t/arch/x86/virt/hw.c", text, strlen(text));
	fake_finding(&f, line, col);
	fp_key_init(k, &f, "/t", &ov);
	finding_release(&f);
	overlay_release(&ov);
}

START_TEST(test_fp_expression)
{
	struct fp_key k;

	key_of(&k, hw_c, 3, 7);
	ck_assert_str_eq(k.expr, "cpu_feature_enabled(X86_FEATURE_SVM)");
	ck_assert_str_eq(k.function, "x86_svm_init");
	fp_key_release(&k);
}
END_TEST

START_TEST(test_fp_survives_line_shift)
{
	struct strbuf moved = STRBUF_INIT;
	struct fp_key a, b;

	strbuf_addstr(&moved, "/* a comment */\n\n");
	strbuf_addstr(&moved, hw_c);
	key_of(&a, hw_c, 3, 7);
	key_of(&b, moved.buf, 5, 7);
	ck_assert(fp_key_equal(&a, &b));
	ck_assert(fp_key_hash(&a) == fp_key_hash(&b));
	fp_key_release(&b);
	key_of(&b, hw_c, 5, 2);		/* another expression */
	ck_assert(!fp_key_equal(&a, &b));
	ck_assert(fp_key_hash(&a) != fp_key_hash(&b));
	fp_key_release(&a);
	fp_key_release(&b);
	strbuf_release(&moved);
}
END_TEST

START_TEST(test_fp_match_multiset)
{
	struct fp_keys a = { NULL, 0 }, b = { NULL, 0 };
	bool am[2], bm[1];

	a.v = xcalloc(2, sizeof(*a.v));
	b.v = xcalloc(1, sizeof(*b.v));
	key_of(&a.v[0], hw_c, 3, 7);
	key_of(&a.v[1], hw_c, 3, 7);
	key_of(&b.v[0], hw_c, 3, 7);
	a.nr = 2;
	b.nr = 1;
	fp_keys_match(&a, &b, am, bm);
	/* two equal findings against one: one is new */
	ck_assert(am[0] && !am[1] && bm[0]);
	fp_keys_release(&a);
	fp_keys_release(&b);
}
END_TEST

static char *write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/ccgate-unit-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void expect_load_error(const char *text, const char *what)
{
	struct baseline b = BASELINE_INIT;
	char *path = write_tmp(text), *err = NULL;

	ck_assert_int_eq(baseline_load(&b, path, &err), -1);
	ck_assert_msg(err && strstr(err, what), "error '%s' lacks '%s'",
		      err ? err : "(none)", what);
	ck_assert(!strchr(err, '\n'));
	unlink(path);
	free(path);
	free(err);
}

START_TEST(test_baseline_errors)
{
	expect_load_error("[", "line 1");
	expect_load_error("{\"accepted\": []}", "not a ccgate baseline");
	expect_load_error("{\"ccgate-baseline\": 1}", "no \"accepted\" list");
	expect_load_error("{\"ccgate-baseline\": 1, \"accepted\": [{\"rule\": \"r\","
			  " \"file\": \"f\", \"function\": \"\", \"expression\": \"\","
			  " \"reason\": \"  \"}]}", "gives no reason");
	expect_load_error("{\"ccgate-baseline\": 1, \"accepted\": [{\"rule\": \"r\","
			  " \"file\": \"f\", \"function\": \"\", \"expression\": \"\","
			  " \"reason\": \"ok\", \"line\": 3}]}", "unknown field 'line'");
}
END_TEST

START_TEST(test_baseline_roundtrip)
{
	struct baseline b = BASELINE_INIT, again = BASELINE_INIT;
	struct fp_keys keys = { NULL, 0 };
	struct ccg_findings list = CCG_FINDINGS_INIT;
	char *path = write_tmp(""), *err = NULL;

	keys.v = xcalloc(1, sizeof(*keys.v));
	key_of(&keys.v[0], hw_c, 3, 7);
	keys.nr = 1;
	ck_assert_int_eq(baseline_write(path, &keys, NULL, "because"), 0);
	ck_assert_int_eq(baseline_load(&b, path, &err), 0);
	ck_assert_int_eq(b.nr, 1);
	ck_assert_str_eq(b.v[0].reason, "because");
	/* a rewrite keeps the reviewed reason */
	ck_assert_int_eq(baseline_write(path, &keys, &b, "other"), 0);
	ck_assert_int_eq(baseline_load(&again, path, &err), 0);
	ck_assert_str_eq(again.v[0].reason, "because");
	/* and the entry accepts the finding */
	fake_finding(findings_add(&list), 3, 7);
	ck_assert_int_eq(baseline_filter(&again, &list, &keys), 1);
	ck_assert_int_eq(list.nr, 0);
	ck_assert(again.v[0].used);
	baseline_release(&b);
	baseline_release(&again);
	fp_keys_release(&keys);
	findings_release(&list);
	unlink(path);
	free(path);
}
END_TEST

/* GOT (owned) is WANT. */
static void expect_str(char *got, const char *want)
{
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_common_prefix)
{
	expect_str(mail_common_prefix("x86/virt: Document the ops table\n"
				      "KVM: x86: Move bulk of emergency virtualizaton logic\n"
				      "x86/virt: Add the ops\n"), "x86/virt");
	expect_str(mail_common_prefix("KVM: x86: Move bulk\nKVM: SVM: Fix\n"
				      "KVM: x86: Other\n"), "KVM: x86");
	/* on a tie the most recent wins; prose with a colon is no prefix */
	expect_str(mail_common_prefix("Revert the thing: it broke boot\n"
				      "x86/sev: A\nKVM: B\n"), "x86/sev");
	ck_assert_ptr_null(mail_common_prefix("Merge branch 'x'\n"));
}
END_TEST

START_TEST(test_path_prefix)
{
	expect_str(mail_path_prefix("arch/x86/virt/hw.c"), "x86/virt");
	expect_str(mail_path_prefix("arch/x86/include/asm/virtext.h"), "x86");
	expect_str(mail_path_prefix("virt/kvm/kvm_main.c"), "virt/kvm");
}
END_TEST

Suite *gate_suite(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = tcase_create("fingerprint");

	tcase_add_test(tc, test_fp_expression);
	tcase_add_test(tc, test_fp_survives_line_shift);
	tcase_add_test(tc, test_fp_match_multiset);
	suite_add_tcase(s, tc);
	tc = tcase_create("baseline");
	tcase_add_test(tc, test_baseline_errors);
	tcase_add_test(tc, test_baseline_roundtrip);
	suite_add_tcase(s, tc);
	tc = tcase_create("mail");
	tcase_add_test(tc, test_common_prefix);
	tcase_add_test(tc, test_path_prefix);
	suite_add_tcase(s, tc);
	return s;
}
