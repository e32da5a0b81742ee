// SPDX-License-Identifier: GPL-2.0-only
/*
 * rulepack_load(): the real rule pack loads with the values the engines rely
 * on, and every kind of broken rule file fails with one line naming the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry.h"
#include "cc-virt-gate.h"
#include "rulepack.h"
#include "vc-svm-opcodes.h"
#include "strbuf.h"
#include "unit-suites.h"
#include "banned.h"

/* ---- the real rule pack ---- */

static struct rulepack real_rp;

static void real_setup(void)
{
	struct strbuf dir = STRBUF_INIT;
	char *err = NULL;
	int r;

	strbuf_addf(&dir, "%s/rules", unit_source_dir());
	r = rulepack_load(&real_rp, dir.buf, &err);
	ck_assert_msg(r == 0, "rulepack_load(%s): %s", dir.buf,
		      err ? err : "(no message)");
	ck_assert_ptr_null(err);
	strbuf_release(&dir);
}

static void real_teardown(void)
{
	rulepack_release(&real_rp);
}

static const struct cvg_feature *find_feature(const struct cvg_rule *rule,
					     const char *name)
{
	for (unsigned i = 0; i < rule->features_count; i++)
		if (!strcmp(rule->features[i].name, name))
			return &rule->features[i];
	return NULL;
}

static const struct cvg_tester *find_tester(const struct cvg_rule *rule,
					   const char *name)
{
	for (unsigned i = 0; i < rule->testers_count; i++)
		if (!strcmp(rule->testers[i].name, name))
			return &rule->testers[i];
	return NULL;
}

static const struct vso_insn *find_insn(const struct vso_rule *rule,
				       const char *mnemonic)
{
	for (unsigned i = 0; i < rule->instructions_count; i++)
		if (!strcmp(rule->instructions[i].mnemonic, mnemonic))
			return &rule->instructions[i];
	return NULL;
}

START_TEST(test_real_pack_shape)
{
	ck_assert_uint_eq(real_rp.nr, CCG_RULE_NR);
	for (size_t i = 0; i < real_rp.nr; i++) {
		struct strbuf name = STRBUF_INIT;

		strbuf_addf(&name, "/%s.yaml", ccg_rule_ids[i]);
		ck_assert_str_eq(real_rp.rules[i]->id, ccg_rule_ids[i]);
		ck_assert_int_eq(real_rp.rules[i]->nr, (int)i);
		ck_assert_ptr_nonnull(strstr(real_rp.rules[i]->path, name.buf));
		strbuf_release(&name);
	}
	ck_assert_str_eq(real_rp.rules[CCG_RULE_cc_virt_gate]->id, "cc-virt-gate");
	ck_assert_str_eq(real_rp.rules[CCG_RULE_vc_svm_opcodes]->id,
			 "vc-svm-opcodes");
	ck_assert_ptr_eq(rulepack_find(&real_rp, "cc-virt-gate"),
			 real_rp.rules[CCG_RULE_cc_virt_gate]);
	ck_assert_ptr_null(rulepack_find(&real_rp, "no-such-rule"));
	/* the loader records where each rule came from */
	ck_assert_ptr_nonnull(strstr(real_rp.rules[0]->path, "/cc-virt-gate.yaml"));
}
END_TEST

START_TEST(test_real_cc_virt_gate)
{
	const struct rp_rule *rp = rulepack_find(&real_rp, "cc-virt-gate");
	const struct cvg_rule *rule;
	const struct cvg_feature *svm, *vmx;
	const struct cvg_tester *t;
	int has_tools = 0;

	ck_assert_ptr_nonnull(rp);
	rule = rp_rule_of(rp, struct cvg_rule);
	ck_assert_int_eq(rp->severity, CCG_SEV_ERROR);
	ck_assert(rp->enabled);

	svm = find_feature(rule, "X86_FEATURE_SVM");
	ck_assert_ptr_nonnull(svm);
	ck_assert(svm->enabled);
	ck_assert_int_eq(svm->severity, CCG_SEV_ERROR);
	vmx = find_feature(rule, "X86_FEATURE_VMX");
	ck_assert_ptr_nonnull(vmx);
	ck_assert(!vmx->enabled);

	t = find_tester(rule, "cpu_has");
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->arg, 1);
	t = find_tester(rule, "boot_cpu_has");
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->arg, 0);

	ck_assert_uint_eq(rule->guards_count, 1);
	ck_assert_str_eq(rule->guards[0].function, "cc_platform_has");
	ck_assert_str_eq(rule->guards[0].arg, "CC_ATTR_GUEST_MEM_ENCRYPT");

	ck_assert_ptr_nonnull(rule->fix);
	ck_assert_str_eq(rule->fix->include, "linux/cc_platform.h");

	for (unsigned i = 0; i < rp->exclude_count; i++)
		if (!strcmp(rp->exclude[i], "tools/"))
			has_tools = 1;
	ck_assert_msg(has_tools, "exclude lacks \"tools/\"");
}
END_TEST

START_TEST(test_real_vc_svm_opcodes)
{
	const struct rp_rule *rp = rulepack_find(&real_rp, "vc-svm-opcodes");
	const struct vso_rule *rule;
	const struct vso_insn *stgi;

	ck_assert_ptr_nonnull(rp);
	rule = rp_rule_of(rp, struct vso_rule);
	ck_assert_uint_eq(rule->instructions_count, 8);
	stgi = find_insn(rule, "STGI");
	ck_assert_ptr_nonnull(stgi);
	ck_assert_str_eq(stgi->exit_code, "SVM_EXIT_STGI");
	ck_assert_uint_eq(stgi->modrm, 0xdc);
	ck_assert_uint_eq(stgi->opcode_count, 2);
	ck_assert_uint_eq(stgi->opcode[0], 0x0f);
	ck_assert_uint_eq(stgi->opcode[1], 0x01);
	ck_assert_str_eq(rule->exit_prefix, "SVM_EXIT_");
}
END_TEST

START_TEST(test_real_excludes)
{
	const struct rp_rule *rule = rulepack_find(&real_rp, "cc-virt-gate");

	ck_assert_ptr_nonnull(rule);
	ck_assert(rp_rule_excludes(rule, "tools/testing/x.c"));
	ck_assert(!rp_rule_excludes(rule, "arch/x86/x.c"));
	/* a prefix match on directory names, not on any substring */
	ck_assert(!rp_rule_excludes(rule, "arch/tools/x.c"));
}
END_TEST

/* ---- broken rule packs, in a scratch copy ---- */

static char tmpdir[4096 + 16];	/* basedir + "/t-XXXXXX" */
static struct strbuf cvg_path = STRBUF_INIT;	/* cc-virt-gate.yaml */
static struct strbuf vso_path = STRBUF_INIT;	/* vc-svm-opcodes.yaml */
static struct strbuf tpl_path = STRBUF_INIT;	/* template.yaml */

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void copy_rule(const char *id, struct strbuf *dst)
{
	struct strbuf src = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&src, "%s/rules/%s.yaml", unit_source_dir(), id);
	ck_assert_msg(strbuf_read_file(&text, src.buf) == 0, "cannot read %s",
		      src.buf);
	strbuf_reset(dst);
	strbuf_addf(dst, "%s/%s.yaml", tmpdir, id);
	write_file(dst->buf, text.buf, text.len);
	strbuf_release(&src);
	strbuf_release(&text);
}

/*
 * One base directory per test case, made and removed in the parent process
 * (an unchecked fixture), so that a failing test, whose checked teardown
 * does not run, leaves nothing behind; each test gets its own dir inside.
 */
static char basedir[4096];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static void base_setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(basedir, sizeof(basedir), "%s/ccgate-unit-XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(basedir)) {
		perror("mkdtemp");
		exit(1);
	}
}

static void base_teardown(void)
{
	nftw(basedir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void scratch_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/t-XXXXXX", basedir);
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp: %s", strerror(errno));
	for (int i = 0; i < CCG_RULE_NR; i++) {
		struct strbuf other = STRBUF_INIT;

		copy_rule(ccg_rule_ids[i], i == CCG_RULE_cc_virt_gate ? &cvg_path :
			  i == CCG_RULE_vc_svm_opcodes ? &vso_path :
			  i == CCG_RULE_template ? &tpl_path : &other);
		strbuf_release(&other);
	}
}

static void scratch_teardown(void)
{
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	strbuf_release(&cvg_path);
	strbuf_release(&tpl_path);
	strbuf_release(&vso_path);
}

/*
 * Replace the first OLD in PATH by NEW; returns the 1-based line of the
 * replacement so that tests can predict the reported position.
 */
static unsigned replace_in_file(const char *path, const char *old,
				const char *new)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	const char *hit;
	unsigned line = 1;

	ck_assert_int_eq(strbuf_read_file(&text, path), 0);
	hit = strstr(text.buf, old);
	ck_assert_msg(hit != NULL, "'%s' not in %s", old, path);
	for (const char *p = text.buf; p < hit; p++)
		if (*p == '\n')
			line++;
	strbuf_add(&out, text.buf, (size_t)(hit - text.buf));
	strbuf_addstr(&out, new);
	strbuf_addstr(&out, hit + strlen(old));
	write_file(path, out.buf, out.len);
	strbuf_release(&text);
	strbuf_release(&out);
	return line;
}

/*
 * Load the scratch pack, expect failure with one line that names FILE, and
 * return the message (owned by the caller).
 */
static char *expect_load_error(const char *dir, const char *file)
{
	struct rulepack rp = RULEPACK_INIT;
	char *err = NULL;
	int r = rulepack_load(&rp, dir, &err);

	ck_assert_int_eq(r, -1);
	ck_assert_ptr_nonnull(err);
	if (getenv("UNIT_VERBOSE"))
		fprintf(stderr, "err: %s\n", err);
	ck_assert_msg(!strchr(err, '\n'), "multi-line error: '%s'", err);
	ck_assert_msg(*err, "empty error");
	ck_assert_msg(strstr(err, file) != NULL, "error '%s' does not name '%s'",
		      err, file);
	/* the pack is left empty */
	ck_assert_uint_eq(rp.nr, 0);
	ck_assert_ptr_null(rp.rules);
	ck_assert_ptr_null(rp.dir);
	return err;
}

START_TEST(test_scratch_copy_loads)
{
	struct rulepack rp = RULEPACK_INIT;
	char *err = NULL;

	ck_assert_int_eq(rulepack_load(&rp, tmpdir, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(rp.nr, CCG_RULE_NR);
	ck_assert_str_eq(rp.rules[CCG_RULE_vc_svm_opcodes]->path, vso_path.buf);
	rulepack_release(&rp);
}
END_TEST

START_TEST(test_missing_dir)
{
	struct strbuf dir = STRBUF_INIT;
	char *err;

	strbuf_addf(&dir, "%s/no-such-dir", tmpdir);
	err = expect_load_error(dir.buf, dir.buf);
	ck_assert_ptr_nonnull(strstr(err, "No such file or directory"));
	free(err);
	strbuf_release(&dir);
}
END_TEST

START_TEST(test_not_a_dir)
{
	char *err = expect_load_error(cvg_path.buf, cvg_path.buf);

	ck_assert_ptr_nonnull(strstr(err, "is not a directory"));
	free(err);
}
END_TEST

START_TEST(test_missing_file)
{
	char *err;

	ck_assert_int_eq(unlink(vso_path.buf), 0);
	err = expect_load_error(tmpdir, vso_path.buf);
	ck_assert_ptr_nonnull(strstr(err, "cannot read rule file"));
	free(err);
}
END_TEST

START_TEST(test_empty_file)
{
	char *err;

	write_file(cvg_path.buf, "", 0);
	err = expect_load_error(tmpdir, cvg_path.buf);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	free(err);
}
END_TEST

START_TEST(test_binary_file)
{
	static const char bin[] = "id: cc-virt-gate\n\0\x01\x02severity: error\n";
	char *err;

	write_file(cvg_path.buf, bin, sizeof(bin) - 1);
	err = expect_load_error(tmpdir, cvg_path.buf);
	ck_assert_ptr_nonnull(strstr(err, "binary"));
	free(err);
}
END_TEST

/* "PATH:LINE:COL: " with any numbers: the position part of a schema error. */
static int has_position(const char *err, const char *path)
{
	size_t n = strlen(path);
	unsigned line, col;
	char colon;

	if (strncmp(err, path, n))
		return 0;
	return sscanf(err + n, ":%u:%u%c", &line, &col, &colon) == 3 &&
	       colon == ':' && line > 0 && col > 0;
}

START_TEST(test_bad_indentation)
{
	char *err;

	/* a top-level key indented under the previous string */
	replace_in_file(cvg_path.buf, "\nmessage: ", "\n  message: ");
	err = expect_load_error(tmpdir, cvg_path.buf);
	ck_assert_msg(strstr(err, ": libyaml: did not find expected key") != NULL,
		      "error '%s' is not libyaml's", err);
	ck_assert_msg(has_position(err, cvg_path.buf),
		      "error '%s' lacks 'path:LINE:COL:'", err);
	free(err);
}
END_TEST

START_TEST(test_bad_indentation_in_sequence)
{
	char *err;

	/* "severity" of the first feature, out of its mapping */
	replace_in_file(cvg_path.buf, "    severity: error\n",
			"   severity: error\n");
	err = expect_load_error(tmpdir, cvg_path.buf);
	ck_assert_msg(strstr(err, "severity") != NULL,
		      "error '%s' does not name the field", err);
	free(err);
}
END_TEST

START_TEST(test_unknown_key)
{
	char *err;

	replace_in_file(vso_path.buf, "exit_prefix: SVM_EXIT_\n",
			"exit_prefix: SVM_EXIT_\nbogus_key: 1\n");
	err = expect_load_error(tmpdir, vso_path.buf);
	ck_assert_msg(has_position(err, vso_path.buf),
		      "error '%s' lacks 'path:LINE:COL:'", err);
	ck_assert_msg(strstr(err, "Unexpected key: bogus_key") != NULL,
		      "error '%s' does not name the key", err);
	free(err);
}
END_TEST

/*
 * KNOWN BUG (rulepack.c rp_log with libcyaml 1.3.1): for an unexpected key
 * libcyaml's backtrace says "in mapping (line: L, column: C)" with the
 * position of the previous scalar, so the error names the line above the
 * key and "field '?'".
 */
START_TEST(test_bug_unknown_key_position)
{
	struct strbuf where = STRBUF_INIT;
	unsigned line;
	char *err;

	line = replace_in_file(vso_path.buf, "exit_prefix: SVM_EXIT_\n",
			       "exit_prefix: SVM_EXIT_\nbogus_key: 1\n") + 1;
	err = expect_load_error(tmpdir, vso_path.buf);
	strbuf_addf(&where, "%s:%u:1: field 'bogus_key'", vso_path.buf, line);
	ck_assert_msg(strstr(err, where.buf) != NULL,
		      "error '%s' lacks '%s'", err, where.buf);
	free(err);
	strbuf_release(&where);
}
END_TEST

START_TEST(test_wrong_type_uint)
{
	struct strbuf where = STRBUF_INIT;
	unsigned line;
	char *err;

	line = replace_in_file(cvg_path.buf, "  - name: cpu_has\n    arg: 1\n",
			       "  - name: cpu_has\n    arg: two\n") + 1;
	err = expect_load_error(tmpdir, cvg_path.buf);
	strbuf_addf(&where, "%s:%u:10: field 'arg': ", cvg_path.buf, line);
	ck_assert_msg(strstr(err, where.buf) == err,
		      "error '%s' does not start with '%s'", err, where.buf);
	ck_assert_ptr_nonnull(strstr(err, "'two'"));
	free(err);
	strbuf_release(&where);
}
END_TEST

START_TEST(test_wrong_type_enum)
{
	struct strbuf where = STRBUF_INIT;
	unsigned line;
	char *err;

	line = replace_in_file(cvg_path.buf, "\nseverity: error\n",
			       "\nseverity: fatal\n") + 1;
	err = expect_load_error(tmpdir, cvg_path.buf);
	strbuf_addf(&where, "%s:%u:11: field 'severity': ", cvg_path.buf, line);
	ck_assert_msg(strstr(err, where.buf) == err,
		      "error '%s' does not start with '%s'", err, where.buf);
	free(err);
	strbuf_release(&where);
}
END_TEST

START_TEST(test_wrong_type_sequence)
{
	char *err;

	/* a scalar where a list is expected */
	replace_in_file(vso_path.buf, "triggers:\n  - SVM_EXIT_\n",
			"triggers: SVM_EXIT_\n");
	err = expect_load_error(tmpdir, vso_path.buf);
	ck_assert_msg(has_position(err, vso_path.buf),
		      "error '%s' lacks 'path:LINE:COL:'", err);
	free(err);
}
END_TEST

/*
 * KNOWN BUG (libcyaml 1.3.1 bool parsing, not caught by rulepack.c): any
 * word that is not false/no/off/0 reads as true, so "enabled: maybe" loads
 * as enabled instead of failing.
 */
START_TEST(test_bug_wrong_type_bool)
{
	struct strbuf where = STRBUF_INIT;
	unsigned line;
	char *err;

	line = replace_in_file(cvg_path.buf, "\nenabled: true\n",
			       "\nenabled: maybe\n") + 1;
	err = expect_load_error(tmpdir, cvg_path.buf);
	strbuf_addf(&where, "%s:%u:", cvg_path.buf, line);
	ck_assert_msg(strstr(err, where.buf) != NULL,
		      "error '%s' lacks position '%s'", err, where.buf);
	ck_assert_msg(strstr(err, "enabled") != NULL,
		      "error '%s' does not name the field", err);
	free(err);
	strbuf_release(&where);
}
END_TEST

START_TEST(test_id_mismatch)
{
	char *err;

	replace_in_file(vso_path.buf, "id: vc-svm-opcodes\n",
			"id: cc-virt-gate\n");
	err = expect_load_error(tmpdir, vso_path.buf);
	ck_assert_ptr_nonnull(strstr(err, "field 'id'"));
	ck_assert_ptr_nonnull(strstr(err, "does not match the file name"));
	free(err);
}
END_TEST

START_TEST(test_modrm_not_a_byte)
{
	char *err;

	replace_in_file(vso_path.buf, "modrm: 0xdc\n", "modrm: 0x1dc\n");
	err = expect_load_error(tmpdir, vso_path.buf);
	/* STGI is the fifth instruction */
	ck_assert_msg(strstr(err, "'instructions[4].modrm'") != NULL,
		      "error '%s' does not name the field", err);
	ck_assert_ptr_nonnull(strstr(err, "0x1dc"));
	free(err);
}
END_TEST

START_TEST(test_opcode_not_a_byte)
{
	char *err;

	replace_in_file(vso_path.buf, "opcode: [0x0f, 0x01]\n",
			"opcode: [0x0f, 0x101]\n");
	err = expect_load_error(tmpdir, vso_path.buf);
	ck_assert_ptr_nonnull(strstr(err, "'instructions[0].opcode'"));
	free(err);
}
END_TEST

START_TEST(test_missing_section)
{
	char *err;

	/* cc-virt-gate cannot work without its guards */
	replace_in_file(cvg_path.buf,
			"guards:\n  - function: cc_platform_has\n    arg: CC_ATTR_GUEST_MEM_ENCRYPT\n",
			"");
	err = expect_load_error(tmpdir, cvg_path.buf);
	ck_assert_msg(strstr(err, "needs the fields") != NULL,
		      "error '%s' is not the semantic check", err);
	free(err);
}
END_TEST

START_TEST(test_template_checks)
{
	char *err;

	/* the module's validate(): a function the prefilter would never let in */
	replace_in_file(tpl_path.buf, "functions:\n  - cc_platform_has\n",
			"functions:\n  - cc_platform_has\n  - sev_active\n");
	err = expect_load_error(tmpdir, tpl_path.buf);
	ck_assert_msg(strstr(err, "field 'functions[1]': 'sev_active' is not one of the rule's triggers") != NULL,
		      "error '%s'", err);
	free(err);
	/* the module's schema: its own field is required */
	replace_in_file(tpl_path.buf, "functions:\n", "function:\n");
	err = expect_load_error(tmpdir, tpl_path.buf);
	ck_assert_msg(strstr(err, "template.yaml:") && strstr(err, "key: function"),
		      "error '%s'", err);
	free(err);
}
END_TEST

Suite *rulepack_suite(void)
{
	Suite *s = suite_create("rulepack");
	TCase *tc;

	tc = tcase_create("real");
	tcase_add_checked_fixture(tc, real_setup, real_teardown);
	tcase_add_test(tc, test_real_pack_shape);
	tcase_add_test(tc, test_real_cc_virt_gate);
	tcase_add_test(tc, test_real_vc_svm_opcodes);
	tcase_add_test(tc, test_real_excludes);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
	tcase_add_test(tc, test_scratch_copy_loads);
	tcase_add_test(tc, test_missing_dir);
	tcase_add_test(tc, test_not_a_dir);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_binary_file);
	tcase_add_test(tc, test_bad_indentation);
	tcase_add_test(tc, test_bad_indentation_in_sequence);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_wrong_type_uint);
	tcase_add_test(tc, test_wrong_type_enum);
	tcase_add_test(tc, test_wrong_type_sequence);
	tcase_add_test(tc, test_id_mismatch);
	tcase_add_test(tc, test_modrm_not_a_byte);
	tcase_add_test(tc, test_opcode_not_a_byte);
	tcase_add_test(tc, test_missing_section);
	tcase_add_test(tc, test_template_checks);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixed-bugs");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
	tcase_add_test(tc, test_bug_wrong_type_bool);
	suite_add_tcase(s, tc);

	/* XFAIL: libcyaml 1.3 places an unexpected key at the previous value */
	if (getenv("CCGATE_UNIT_KNOWN_BUGS")) {
		tc = tcase_create("known-bugs");
		tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
		tcase_add_checked_fixture(tc, scratch_setup, scratch_teardown);
		tcase_add_test(tc, test_bug_unknown_key_position);
		suite_add_tcase(s, tc);
	}
	return s;
}
