// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parsers of untrusted input that the fuzzers run for crashes, checked
 * here for what they answer: git's raw diff, porcelain blame and apply
 * --numstat records, a patch's paths and headers, and a rule file that
 * holds no rule.
 */
#include <stdlib.h>
#include <string.h>

#include "gitio.h"
#include "rulepack.h"
#include "treepath.h"
#include "unit-suites.h"
#include "banned.h"

#define ID1 "1111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222"
#define TEXT(s) s, sizeof(s) - 1

START_TEST(test_raw_records)
{
	static const char ok[] =
		":100644 100644 " ID1 " " ID2 " M\0a/b.c\0"
		":000000 100755 0000000000000000000000000000000000000000 "
		ID2 " A\0new.h\0";
	static const char bad_id[] = ":100644 100644 xyz " ID2 " M\0a.c\0";
	static const char no_path[] = ":100644 100644 " ID1 " " ID2 " M\0";
	struct git_raw_record r;
	const char *p = ok;

	ck_assert_int_eq(git_raw_next(&p, ok + sizeof(ok) - 1, &r), 1);
	ck_assert_str_eq(r.path, "a/b.c");
	ck_assert_str_eq(r.mode1, "100644");
	ck_assert_str_eq(r.id2, ID2);
	ck_assert_int_eq(r.status, 'M');
	ck_assert_int_eq(git_raw_next(&p, ok + sizeof(ok) - 1, &r), 1);
	ck_assert_str_eq(r.path, "new.h");
	ck_assert_int_eq(r.status, 'A');
	ck_assert_int_eq(git_raw_next(&p, ok + sizeof(ok) - 1, &r), 0);
	p = bad_id;
	ck_assert_int_eq(git_raw_next(&p, bad_id + sizeof(bad_id) - 1, &r), -1);
	p = no_path;
	ck_assert_int_eq(git_raw_next(&p, no_path + sizeof(no_path) - 1, &r),
			 -1);
}
END_TEST

START_TEST(test_blame)
{
	static const char out[] =
		ID1 " 3 3 1\nauthor A\nsummary x86/virt: Add it\nboundary\n"
		"filename a.c\n\tsummary not-this\n";
	struct git_blame_line b;

	ck_assert_int_eq(git_blame_parse(TEXT(out), &b), 0);
	ck_assert_str_eq(b.id, ID1);
	ck_assert_int_eq((int)b.summary_len, 16);
	ck_assert(!strncmp(b.summary, "x86/virt: Add it\n", 17));
	ck_assert(b.boundary);
	ck_assert_int_eq(git_blame_parse(TEXT("summary x\n"), &b), -1);
	ck_assert_int_eq(git_blame_parse(TEXT(ID1 " 1 1 1\n\tsummary x\n"),
					 &b), -1);
}
END_TEST

START_TEST(test_numstat)
{
	struct strlist paths = STRLIST_INIT;

	ck_assert_int_eq(git_numstat_paths(TEXT("1\t0\ta.c\0"
						"0\t0\t\0old.c\0new.c\0"
						"-\t-\ta.c\0"), &paths), 0);
	ck_assert_int_eq((int)paths.nr, 3);
	ck_assert_str_eq(paths.v[1], "old.c");
	ck_assert_str_eq(paths.v[2], "new.c");
	strlist_release(&paths);
	ck_assert_int_eq(git_numstat_paths(TEXT("1\t0\t\0"), &paths), -1);
	strlist_release(&paths);
	ck_assert_int_eq(git_numstat_paths(TEXT("garbage"), &paths), -1);
	strlist_release(&paths);
}
END_TEST

START_TEST(test_tree_paths)
{
	ck_assert_ptr_null(tree_path_problem("arch/x86/virt/hw.c"));
	ck_assert_ptr_null(tree_path_problem("a/..b/.gitignore"));
	ck_assert_ptr_nonnull(tree_path_problem(""));
	ck_assert_ptr_nonnull(tree_path_problem("/etc/passwd"));
	ck_assert_ptr_nonnull(tree_path_problem("../x.c"));
	ck_assert_ptr_nonnull(tree_path_problem("a/../../x.c"));
	ck_assert_ptr_nonnull(tree_path_problem("a/.."));
	ck_assert_ptr_nonnull(tree_path_problem("a//b.c"));
	ck_assert_ptr_nonnull(tree_path_problem("./a.c"));
	ck_assert_ptr_nonnull(tree_path_problem(".git/config"));
	ck_assert_ptr_nonnull(tree_path_problem("sub/.Git/hooks/x"));
}
END_TEST

START_TEST(test_patch_headers)
{
	struct strbuf name = STRBUF_INIT;

	ck_assert_ptr_null(tree_patch_header_problem(TEXT(
		"--- a/x.c\n+++ b/x.c\n--- /dev/null\r\n+++ b/n.c\n"
		"rename from a.c\nrename to b.c\n"), &name));
	ck_assert_ptr_nonnull(tree_patch_header_problem(TEXT(
		"--- /dev/null\n+++ /etc/cron.d/x\t2026-01-01\n"), &name));
	ck_assert_str_eq(name.buf, "/etc/cron.d/x");
	strbuf_reset(&name);
	ck_assert_ptr_nonnull(tree_patch_header_problem(TEXT(
		"copy to \"/abs\"\n"), &name));
	strbuf_release(&name);
}
END_TEST

START_TEST(test_rule_without_rule)
{
	struct rp_rule *rule = (struct rp_rule *)1;
	char *err = NULL;

	ck_assert_int_eq(rulepack_parse_rule("x.yaml", "cc-virt-gate",
					     TEXT("# only a comment\n"), &rule,
					     &err), -1);
	ck_assert_ptr_null(rule);
	ck_assert_str_eq(err, "x.yaml: no rule in the file");
	free(err);
}
END_TEST

Suite *untrusted_suite(void)
{
	Suite *s = suite_create("untrusted");
	TCase *tc = tcase_create("git output");

	tcase_add_test(tc, test_raw_records);
	tcase_add_test(tc, test_blame);
	tcase_add_test(tc, test_numstat);
	suite_add_tcase(s, tc);
	tc = tcase_create("patch paths");
	tcase_add_test(tc, test_tree_paths);
	tcase_add_test(tc, test_patch_headers);
	suite_add_tcase(s, tc);
	tc = tcase_create("rule pack");
	tcase_add_test(tc, test_rule_without_rule);
	suite_add_tcase(s, tc);
	return s;
}
