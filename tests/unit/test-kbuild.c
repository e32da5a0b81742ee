// SPDX-License-Identifier: GPL-2.0-only
/*
 * kbuild_translate() against command lines recorded from real kbuild runs
 * (tests/unit/data/, one argument per line, as kbuild's CHECK slot
 * received them for arch/x86/coco/sev/core.c of Debian's 6.12 with gcc 12
 * and with LLVM=-19, and for arch/x86/coco/sev/vc-handle.c of sid's 7.2
 * with gcc 12), plus hand-made edge cases.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "compdb.h"
#include "headers.h"
#include "kbuild.h"
#include "rulepack.h"
#include "strbuf.h"
#include "unit-suites.h"
#include "banned.h"

static struct strlist argv_in;
static struct kbuild_cmd cmd;

static void load_argv(const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *p, *nl;

	strbuf_addf(&path, "%s/tests/unit/data/%s", unit_source_dir(), name);
	ck_assert_msg(!strbuf_read_file(&text, path.buf), "cannot read %s",
		      path.buf);
	for (p = text.buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_msg(nl, "%s: last line has no newline", path.buf);
		*nl = '\0';
		strlist_push(&argv_in, p);
	}
	strbuf_release(&path);
	strbuf_release(&text);
}

static void translate_ok(void)
{
	struct strbuf err = STRBUF_INIT;
	int rc = kbuild_translate(&cmd, (int)argv_in.nr,
				  (const char *const *)argv_in.v, &err);

	ck_assert_msg(rc == 0, "translation failed: %s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	strlist_release(&argv_in);
	kbuild_cmd_release(&cmd);
}

static bool out_has(const char *arg)
{
	return strlist_has(&cmd.args, arg);
}

static bool out_has_prefix(const char *prefix)
{
	for (size_t i = 0; i < cmd.args.nr; i++)
		if (!strncmp(cmd.args.v[i], prefix, strlen(prefix)))
			return true;
	return false;
}

/* Every -D/-U/-I/-std/-include/-isystem of the input survives, in order. */
static void assert_preprocessor_flags_kept(void)
{
	size_t o = 0;

	for (size_t i = 0; i < argv_in.nr; i++) {
		const char *a = argv_in.v[i];
		bool want = (!strncmp(a, "-D", 2) && strncmp(a, "-D__CHECKER__", 13)) ||
			    !strncmp(a, "-U", 2) || !strncmp(a, "-I", 2) ||
			    !strncmp(a, "-std=", 5) || !strcmp(a, "-include") ||
			    !strcmp(a, "-isystem") || !strcmp(a, "-nostdinc");

		if (!want)
			continue;
		while (o < cmd.args.nr && strcmp(cmd.args.v[o], a))
			o++;
		ck_assert_msg(o < cmd.args.nr, "'%s' was dropped or reordered", a);
		if (!strcmp(a, "-include") || !strcmp(a, "-isystem")) {
			ck_assert_msg(o + 1 < cmd.args.nr &&
				      !strcmp(cmd.args.v[o + 1], argv_in.v[i + 1]),
				      "the value of '%s' was lost", a);
			i++;
			o++;
		}
		o++;
	}
}

/* Nothing clang 19 rejects, nothing that writes, nothing sparse-only. */
static void assert_clean_for_clang(void)
{
	static const char *const gone[] = {
		"-fconserve-stack", "-fno-allow-store-data-races",
		"-mindirect-branch-register", "-mrecord-mcount",
	};
	static const char *const gone_prefix[] = {
		"-Wp,", "-W", "-MD", "-MMD", "-D__CHECKER__", "--arch=",
		"-mpreferred-stack-boundary=", "-mindirect-branch=",
		"-fmin-function-alignment=", "--param",
	};

	for (size_t i = 0; i < sizeof(gone) / sizeof(*gone); i++)
		ck_assert_msg(!out_has(gone[i]), "'%s' survived", gone[i]);
	for (size_t i = 0; i < sizeof(gone_prefix) / sizeof(*gone_prefix); i++)
		ck_assert_msg(!out_has_prefix(gone_prefix[i]), "'%s...' survived",
			      gone_prefix[i]);
	ck_assert_msg(!out_has("-o") && !out_has("-c"), "output flags survived");
}

START_TEST(test_gcc_core)
{
	load_argv("kbuild-gcc12-6.12-core.argv");
	translate_ok();
	ck_assert_str_eq(cmd.source, "@SRC@/arch/x86/coco/sev/core.c");
	ck_assert_uint_eq(cmd.nr_in, argv_in.nr);
	assert_preprocessor_flags_kept();
	assert_clean_for_clang();
	/* gcc spellings with a clang equivalent are replaced, not lost */
	ck_assert(out_has("-mstack-alignment=8"));
	ck_assert(out_has("-mretpoline-external-thunk"));
	/* the -m flags that shape the headers stay */
	ck_assert(out_has("-mcmodel=kernel"));
	ck_assert(out_has("-mno-sse"));
	ck_assert(out_has("-m64"));
	/* the dependency file is named nowhere in the output */
	for (size_t i = 0; i < cmd.args.nr; i++)
		ck_assert_msg(!strstr(cmd.args.v[i], ".core.o.d"),
			      "'%s' names the dependency file", cmd.args.v[i]);
	ck_assert(strlist_has(&cmd.dropped, "-Wp,-MMD,arch/x86/coco/sev/.core.o.d"));
}
END_TEST

/*
 * 7.2's gcc 12 line adds -fms-extensions, -march=x86-64, -mno-sse4a and
 * the stack protector's guard register and symbol: clang 19 takes them all
 * (0 errors after translation in kernel-kbuild-slot), so they stay.
 */
START_TEST(test_gcc_vc_handle_72)
{
	load_argv("kbuild-gcc12-7.2-vc-handle.argv");
	translate_ok();
	ck_assert_str_eq(cmd.source, "@SRC@/arch/x86/coco/sev/vc-handle.c");
	assert_preprocessor_flags_kept();
	assert_clean_for_clang();
	ck_assert(out_has("-fms-extensions"));
	ck_assert(out_has("-march=x86-64"));
	ck_assert(out_has("-mstack-protector-guard-reg=gs"));
	ck_assert(out_has("-mstack-protector-guard-symbol=__ref_stack_chk_guard"));
	ck_assert(!out_has_prefix("-Wvla"));
	ck_assert(strlist_has(&cmd.dropped, "-Wp,-MMD,arch/x86/coco/sev/.vc-handle.o.d"));
	ck_assert_str_eq(cmd.args.v[cmd.args.nr - 2], "-x");
	ck_assert_str_eq(cmd.args.v[cmd.args.nr - 1], "c");
}
END_TEST

START_TEST(test_clang_core)
{
	load_argv("kbuild-llvm19-6.12-core.argv");
	translate_ok();
	ck_assert_str_eq(cmd.source, "@SRC@/arch/x86/coco/sev/core.c");
	assert_preprocessor_flags_kept();
	assert_clean_for_clang();
	/* clang's own spellings pass through untouched */
	ck_assert(out_has("-mstack-alignment=8"));
	ck_assert(out_has("-mretpoline-external-thunk"));
	ck_assert(out_has_prefix("--target="));
}
END_TEST

static int translate_strs(const char *const *v, int n, struct strbuf *err)
{
	return kbuild_translate(&cmd, n, v, err);
}

START_TEST(test_no_source)
{
	static const char *const v[] = { "-D__KERNEL__", "-O2" };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(translate_strs(v, 2, &err), -1);
	ck_assert_str_eq(err.buf, "no source file in the compiler arguments");
	strbuf_release(&err);
}
END_TEST

START_TEST(test_two_sources)
{
	static const char *const v[] = { "a.c", "-O2", "b.c" };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(translate_strs(v, 3, &err), -1);
	ck_assert_str_eq(err.buf,
			 "expected one source file in the compiler arguments, got 2");
	strbuf_release(&err);
}
END_TEST

/*
 * Whatever its name, the operand is the source, parsed as C: kbuild 7.x's
 * probe (scripts/checker-valid.sh) checks a mktemp file, sparse reads "-".
 */
START_TEST(test_any_name)
{
	static const char *const names[] = { "/tmp/tmp.Qx3fVb1kLm", "-", "entry.S" };
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		const char *v[] = { "--arch=x86", "-m64", names[i] };

		ck_assert_int_eq(translate_strs(v, 3, &err), 0);
		ck_assert_str_eq(cmd.source, names[i]);
		ck_assert_uint_eq(cmd.args.nr, 3);
		ck_assert_str_eq(cmd.args.v[0], "-m64");
		ck_assert_str_eq(cmd.args.v[1], "-x");
		ck_assert_str_eq(cmd.args.v[2], "c");
		kbuild_cmd_release(&cmd);
	}
	strbuf_release(&err);
}
END_TEST

START_TEST(test_value_missing)
{
	static const char *const v[] = { "x.c", "-include" };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(translate_strs(v, 2, &err), -1);
	ck_assert_str_eq(err.buf, "option '-include' needs a value");
	strbuf_release(&err);
}
END_TEST

/* A value that looks like a source file is not taken for the source. */
START_TEST(test_separate_values)
{
	static const char *const v[] = {
		"-include", "gen.c", "-MF", "dep.c", "-D", "X=1", "x.c",
	};
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(translate_strs(v, 7, &err), 0);
	ck_assert_str_eq(cmd.source, "x.c");
	ck_assert_uint_eq(cmd.args.nr, 6);
	ck_assert_str_eq(cmd.args.v[1], "gen.c");
	ck_assert_str_eq(cmd.args.v[3], "X=1");
	strbuf_release(&err);
}
END_TEST

START_TEST(test_stack_boundary_values)
{
	static const char *const v[] = {
		"-mpreferred-stack-boundary=4", "-mpreferred-stack-boundary=99",
		"-mindirect-branch=keep", "x.c",
	};
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(translate_strs(v, 4, &err), 0);
	ck_assert_uint_eq(cmd.args.nr, 3);
	ck_assert_str_eq(cmd.args.v[0], "-mstack-alignment=16");
	ck_assert_uint_eq(cmd.dropped.nr, 3);
	strbuf_release(&err);
}
END_TEST

/* compile_commands.json "command" strings, as gen_compile_commands.py writes them */
START_TEST(test_split_command)
{
	struct strlist out = STRLIST_INIT;
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(compdb_split_command(
		"gcc  -DKBUILD_BASENAME='\"core\"' -D\"A B\" -DX=a\\ b \"\" -I./x\t-c core.c",
		&out, &err), 0);
	ck_assert_uint_eq(out.nr, 8);
	ck_assert_str_eq(out.v[0], "gcc");
	ck_assert_str_eq(out.v[1], "-DKBUILD_BASENAME=\"core\"");
	ck_assert_str_eq(out.v[2], "-DA B");
	ck_assert_str_eq(out.v[3], "-DX=a b");
	ck_assert_str_eq(out.v[4], "");
	ck_assert_str_eq(out.v[5], "-I./x");
	ck_assert_str_eq(out.v[6], "-c");
	ck_assert_str_eq(out.v[7], "core.c");
	strlist_release(&out);
	ck_assert_int_eq(compdb_split_command("gcc '-DX", &out, &err), -1);
	ck_assert_str_eq(err.buf, "unterminated quote in the command");
	strlist_release(&out);
	strbuf_release(&err);
}
END_TEST

/* The prefilter of the kbuild slot and the sweep, on the real rule pack. */
static struct rulepack pf_rp;
static struct ccg_ctx pf_ctx;
static char pf_dir[] = "/tmp/ccgate-prefilter-XXXXXX";

static void prefilter_setup(void)
{
	struct strbuf dir = STRBUF_INIT;
	char *err = NULL;

	strbuf_addf(&dir, "%s/rules", unit_source_dir());
	ck_assert_msg(!rulepack_load(&pf_rp, dir.buf, &err), "%s", err);
	for (int r = 0; r < CCG_RULE_NR; r++)
		pf_ctx.unit.enabled[r] = true;
	pf_ctx.rp = &pf_rp;
	ck_assert(mkdtemp(pf_dir));
	strbuf_release(&dir);
}

static void prefilter_teardown(void)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/validator.c", pf_dir);
	unlink(sb.buf);
	rmdir(pf_dir);
	rulepack_release(&pf_rp);
	strbuf_release(&sb);
}

static bool wants(const char *text)
{
	struct strbuf path = STRBUF_INIT;
	bool want;

	strbuf_addf(&path, "%s/unit.c", pf_dir);
	want = ccg_wants_parse(&pf_ctx, path.buf, text, strlen(text), true, NULL);
	strbuf_release(&path);
	return want;
}

static const char dispatcher[] =
	"switch (exit_code) {\n"
	"case SVM_EXIT_CPUID:\n\tresult = vc_handle_cpuid(ghcb, ctxt);\n\tbreak;\n}\n";

START_TEST(test_prefilter_dispatcher_alone)
{
	/* SVM_EXIT_ without a word of the opcode or ModRM: no validator */
	ck_assert(!wants(dispatcher));
	ck_assert(!wants("int x;\n"));
}
END_TEST

START_TEST(test_prefilter_validator)
{
	ck_assert(wants("case SVM_EXIT_STGI:\n\tif (ctxt->insn.opcode.value == 0x010f)\n"));
	/* any case: the engine matches the words regardless of case */
	ck_assert(wants("case SVM_EXIT_STGI:\n\tif (MODRM_REG(x) == 0xdc)\n"));
	/* the word alone is not a trigger */
	ck_assert(!wants("u8 modrm = insn->modrm.value;\n"));
	/* cc-virt-gate has no required word */
	ck_assert(wants("if (!boot_cpu_has(X86_FEATURE_SVM))\n"));
}
END_TEST

/* The kbuild slot asks cc-virt-gate whether a test can be in the text. */
START_TEST(test_prefilter_gate_tests)
{
	ck_assert(wants("if (!boot_cpu_has(X86_FEATURE_SVM))\n\treturn -ENODEV;\n"));
	ck_assert(wants("if (cpu_has(c,\n\t    X86_FEATURE_SVM)) {\n"));
	ck_assert(wants("return cpu_feature_enabled(X86_FEATURE_SVM) && x;\n"));
	ck_assert(wants("#define HAS_SVM boot_cpu_has(X86_FEATURE_SVM)\n"));
	ck_assert(wants("#define svm_has(f) boot_cpu_has(f)\n"
			"int g(void) { return svm_has(X86_FEATURE_SVM); }\n"));
	/* guest CPUID, KVM's capabilities, tables: no test of the host bit */
	ck_assert(!wants("if (!guest_cpuid_has(vcpu, X86_FEATURE_SVM))\n"));
	ck_assert(!wants("if (!kvm_cpu_cap_has(X86_FEATURE_SVM)) {\n"));
	ck_assert(!wants("[X86_FEATURE_SVM] = \"svm\",\n"));
	ck_assert(!wants("X86_MATCH_FEATURE(X86_FEATURE_SVM, NULL),\n"));
	ck_assert(!wants("clear_cpu_cap(c, X86_FEATURE_SVM);\n"));
}
END_TEST

START_TEST(test_prefilter_included_c_file)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	FILE *f;

	/* the trigger in the unit, the word in the .c file it includes */
	strbuf_addf(&path, "%s/validator.c", pf_dir);
	f = fopen(path.buf, "w");
	ck_assert(f);
	fputs("static int check(void) { return insn.opcode.value; }\n", f);
	ck_assert(!fclose(f));
	strbuf_addf(&text, "%s#include \"validator.c\"\n", dispatcher);
	ck_assert(wants(text.buf));
	/* a missing include is no error, and no match */
	unlink(path.buf);
	ck_assert(!wants(text.buf));
	strbuf_release(&path);
	strbuf_release(&text);
}
END_TEST

/* kbuild_deps() on the layout of scripts/basic/fixdep.c's output */
START_TEST(test_cmd_deps)
{
	static const char cmd[] =
		"savedcmd_arch/x86/kvm/x86.o := gcc -Wp,-MMD,arch/x86/kvm/.x86.o.d -c x86.c\n"
		"\n"
		"source_arch/x86/kvm/x86.o := /src/arch/x86/kvm/x86.c\n"
		"\n"
		"deps_arch/x86/kvm/x86.o := \\\n"
		"  /src/include/linux/compiler-version.h \\\n"
		"    $(wildcard include/config/CC_VERSION_TEXT) \\\n"
		"  include/generated/autoconf.h \\\n"
		"  /src/arch/x86/kvm/x86.c \\\n"
		"  /src/arch/x86/include/asm/svm.h\n"
		"\n"
		"arch/x86/kvm/x86.o: $(deps_arch/x86/kvm/x86.o)\n"
		"\n"
		"$(deps_arch/x86/kvm/x86.o):\n"
		"  /src/include/after-the-list.h \\\n";
	struct strlist deps = STRLIST_INIT;
	struct strbuf path = STRBUF_INIT;

	kbuild_deps(cmd, strlen(cmd), &deps);
	ck_assert_uint_eq(deps.nr, 3);
	ck_assert_str_eq(deps.v[0], "/src/include/linux/compiler-version.h");
	ck_assert_str_eq(deps.v[1], "include/generated/autoconf.h");
	ck_assert_str_eq(deps.v[2], "/src/arch/x86/include/asm/svm.h");
	strlist_release(&deps);
	/* no list, a list cut short, an empty text: nothing, no crash */
	kbuild_deps("savedcmd_x.o := gcc\n", 20, &deps);
	kbuild_deps("deps_x.o := \\", 13, &deps);
	kbuild_deps("deps_x.o := \\\n  a.h \\", 20, &deps);
	kbuild_deps("", 0, &deps);
	ck_assert_uint_eq(deps.nr, 1);
	ck_assert_str_eq(deps.v[0], "a.h");
	strlist_release(&deps);
	kbuild_cmd_path("arch/x86/kvm/x86.o", &path);
	ck_assert_str_eq(path.buf, "arch/x86/kvm/.x86.o.cmd");
	strbuf_reset(&path);
	kbuild_cmd_path("x86.o", &path);
	ck_assert_str_eq(path.buf, ".x86.o.cmd");
	strbuf_release(&path);
}
END_TEST

/* headers_callables(): what a file including this header may test through */
START_TEST(test_header_callables)
{
	static const char h[] =
		"#define SVM_BIT X86_FEATURE_SVM\n"
		"static inline int svm_usable(void)\n"
		"{\n"
		"\tif (!boot_cpu_has(X86_FEATURE_SVM))\n"
		"\t\treturn 0;\n"
		"\treturn 1;\n"
		"}\n"
		"static inline int vmx_usable(void)\n"
		"{\n"
		"\treturn boot_cpu_has(X86_FEATURE_VMX);\n"
		"}\n"
		"int svm_declared(void);\n"
		"/* X86_FEATURE_SVM in a comment */\n"
		"static const int svm_table[] = { X86_FEATURE_SVM };\n";
	char *words[] = { "X86_FEATURE_SVM" };
	struct strlist out = STRLIST_INIT;

	headers_callables(h, strlen(h), words, 1, &out);
	ck_assert_uint_eq(out.nr, 1);
	ck_assert_str_eq(out.v[0], "svm_usable");
	strlist_release(&out);
	headers_callables("int f(void) { return 0; }\n", 26, words, 1, &out);
	headers_callables("", 0, words, 1, &out);
	ck_assert_uint_eq(out.nr, 0);
}
END_TEST

Suite *kbuild_suite(void)
{
	Suite *s = suite_create("kbuild");
	TCase *tc = tcase_create("recorded");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_gcc_core);
	tcase_add_test(tc, test_clang_core);
	tcase_add_test(tc, test_gcc_vc_handle_72);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_no_source);
	tcase_add_test(tc, test_two_sources);
	tcase_add_test(tc, test_any_name);
	tcase_add_test(tc, test_value_missing);
	tcase_add_test(tc, test_separate_values);
	tcase_add_test(tc, test_stack_boundary_values);
	tcase_add_test(tc, test_split_command);
	tcase_add_test(tc, test_cmd_deps);
	tcase_add_test(tc, test_header_callables);
	suite_add_tcase(s, tc);

	tc = tcase_create("prefilter");
	tcase_add_checked_fixture(tc, prefilter_setup, prefilter_teardown);
	tcase_add_test(tc, test_prefilter_dispatcher_alone);
	tcase_add_test(tc, test_prefilter_validator);
	tcase_add_test(tc, test_prefilter_gate_tests);
	tcase_add_test(tc, test_prefilter_included_c_file);
	suite_add_tcase(s, tc);
	return s;
}
