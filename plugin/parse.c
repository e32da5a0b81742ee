// SPDX-License-Identifier: GPL-2.0-only
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

/* Symbols a 64-bit x86 build always has; CONFIG_X86_32 must stay undefined. */
static const char *const base_config[] = {
	"CONFIG_X86", "CONFIG_X86_64", "CONFIG_64BIT", "CONFIG_SMP",
	"CONFIG_MMU", "CONFIG_CPU_SUP_AMD", "CONFIG_CPU_SUP_INTEL",
};

static const char *const never_config[] = {
	"CONFIG_X86_32", "CONFIG_UML", "CONFIG_X86_PAE", "CONFIG_M486",
	"CONFIG_KASAN", "CONFIG_KCSAN", "CONFIG_KMSAN", "CONFIG_GCOV_KERNEL",
	"CONFIG_CC_IS_GCC", "CONFIG_LTO_CLANG",
};

void parse_args_init(struct ccg_parse_args *a)
{
	memset(a, 0, sizeof(*a));
	strbuf_init(&a->autoconf);
}

void parse_args_release(struct ccg_parse_args *a)
{
	strlist_release(&a->argv);
	free(a->autoconf_path);
	strbuf_release(&a->autoconf);
	memset(a, 0, sizeof(*a));
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void push_fmt(struct strlist *l, const char *fmt, const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, fmt, s);
	strlist_push_nodup(l, strbuf_detach(&sb));
}

static bool is_never(const char *name)
{
	for (size_t i = 0; i < sizeof(never_config) / sizeof(*never_config); i++)
		if (!strcmp(name, never_config[i]))
			return true;
	return false;
}

static void add_config(struct strbuf *ac, struct strlist *seen, const char *name)
{
	if (is_never(name) || strlist_has(seen, name))
		return;
	strlist_push(seen, name);
	strbuf_addf(ac, "#define %s 1\n", name);
}

void parse_args_for_tree(struct ccg_parse_args *a, const char *root,
			 const char *path, const char *text, size_t len)
{
	static const char *const incs[] = {
		"arch/x86/include", "arch/x86/include/generated", "include",
		"arch/x86/include/uapi", "arch/x86/include/generated/uapi",
		"include/uapi", "include/generated/uapi",
	};
	struct strbuf p = STRBUF_INIT;
	struct strlist seen = STRLIST_INIT;
	const char *slash;

	strlist_push(&a->argv, "-x");
	strlist_push(&a->argv, "c");
	strlist_push(&a->argv, "-std=gnu11");
	strlist_push(&a->argv, "-nostdinc");
	strlist_push(&a->argv, "-w");
	strlist_push(&a->argv, "-ferror-limit=0");
	strlist_push(&a->argv, "-D__KERNEL__");
	strlist_push(&a->argv, "-fno-spell-checking");
	for (size_t i = 0; i < sizeof(incs) / sizeof(*incs); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "-I%s/%s", root, incs[i]);
		strlist_push(&a->argv, p.buf);
	}
	/* kbuild adds the parent of some subsystems (kvm/svm/ -> kvm/) */
	slash = strrchr(path, '/');
	if (slash) {
		strbuf_reset(&p);
		strbuf_add(&p, path, (size_t)(slash - path));
		strbuf_addstr(&p, "/..");
		push_fmt(&a->argv, "-iquote%s", p.buf);
	}

	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/generated/autoconf.h", root);
	if (!exists(p.buf)) {
		a->autoconf_path = strbuf_detach(&p);
		for (size_t i = 0; i < sizeof(base_config) / sizeof(*base_config); i++)
			add_config(&a->autoconf, &seen, base_config[i]);
		for (size_t i = 0; i + 7 < len; i++) {
			size_t j;

			if (memcmp(text + i, "CONFIG_", 7) ||
			    (i && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_')))
				continue;
			for (j = i + 7; j < len && (isalnum((unsigned char)text[j]) || text[j] == '_'); j++)
				;
			if (j > i + 7) {
				char *name = xstrndup(text + i, j - i);

				/* CONFIG_FOO_MODULE is how kconfig says =m */
				if (!(j - i > 7 && strstr(name, "_MODULE") &&
				      !strcmp(name + strlen(name) - 7, "_MODULE")))
					add_config(&a->autoconf, &seen, name);
				free(name);
			}
			i = j;
		}
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/linux/kconfig.h", root);
	if (exists(p.buf)) {
		strlist_push(&a->argv, "-include");
		strlist_push(&a->argv, p.buf);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/linux/compiler_types.h", root);
	if (exists(p.buf)) {
		strlist_push(&a->argv, "-include");
		strlist_push(&a->argv, p.buf);
	}
	strlist_release(&seen);
	strbuf_release(&p);
}

static const char *error_text(enum CXErrorCode e)
{
	switch (e) {
	case CXError_Success:
		return "success";
	case CXError_Failure:
		return "libclang could not parse the file";
	case CXError_Crashed:
		return "libclang crashed while parsing the file";
	case CXError_InvalidArguments:
		return "libclang rejected the compiler arguments";
	case CXError_ASTReadError:
		return "libclang could not read a precompiled AST";
	default:
		return "libclang failed for an unknown reason";
	}
}

CXTranslationUnit parse_file(CXIndex idx, const char *path,
			     const struct ccg_parse_args *a, char **err)
{
	struct CXUnsavedFile *unsaved;
	unsigned nunsaved = 0;
	CXTranslationUnit tu = NULL;
	enum CXErrorCode rc;
	unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord |
			CXTranslationUnit_KeepGoing |
			CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;

	unsaved = xcalloc(1 + (a->overlay ? a->overlay->nr : 0),
			  sizeof(*unsaved));
	if (a->autoconf_path) {
		unsaved[0].Filename = a->autoconf_path;
		unsaved[0].Contents = a->autoconf.buf ? a->autoconf.buf : "";
		unsaved[0].Length = a->autoconf.len;
		nunsaved = 1;
	}
	for (size_t i = 0; a->overlay && i < a->overlay->nr; i++) {
		unsaved[nunsaved].Filename = a->overlay->v[i].abspath;
		unsaved[nunsaved].Contents = a->overlay->v[i].text;
		unsaved[nunsaved].Length = a->overlay->v[i].len;
		nunsaved++;
	}
	rc = clang_parseTranslationUnit2(idx, path,
					 (const char *const *)a->argv.v,
					 (int)a->argv.nr, unsaved, nunsaved,
					 opts, &tu);
	free(unsaved);
	if (rc != CXError_Success) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s (code %d)", error_text(rc), (int)rc);
		*err = strbuf_detach(&sb);
		if (tu)
			clang_disposeTranslationUnit(tu);
		return NULL;
	}
	return tu;
}
