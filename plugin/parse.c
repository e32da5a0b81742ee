// SPDX-License-Identifier: GPL-2.0-only
#include "parse.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

#define ARRAY_SIZE(x) (sizeof(x) / sizeof(*(x)))

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

/*
 * Numeric symbols that headers compute with; "1" would make PAGE_SHIFT,
 * HZ or the cache line size absurd and cost hundreds of errors per file.
 * Values of a common x86_64 defconfig.
 */
static const char *const value_config[] = {
	"CONFIG_PAGE_SHIFT 12", "CONFIG_X86_L1_CACHE_SHIFT 6",
	"CONFIG_X86_INTERNODE_CACHE_SHIFT 6", "CONFIG_HZ 250",
	"CONFIG_HZ_250 1", "CONFIG_NR_CPUS 64", "CONFIG_NODES_SHIFT 6",
	"CONFIG_PGTABLE_LEVELS 4", "CONFIG_TREE_RCU 1", "CONFIG_TREE_SRCU 1",
	"CONFIG_LOG_BUF_SHIFT 17", "CONFIG_PHYSICAL_START 0x1000000",
	"CONFIG_PHYSICAL_ALIGN 0x200000", "CONFIG_DEFAULT_MMAP_MIN_ADDR 4096",
	"CONFIG_ILLEGAL_POINTER_VALUE 0xdead000000000000",
	"CONFIG_BASE_SMALL 0", "CONFIG_FRAME_WARN 2048",
};

/*
 * Generated headers that only a configured build writes, as empty or
 * minimal stand-ins, relative to the tree root.
 */
static const char *const generated_stub[][2] = {
	{ "include/generated/bounds.h",
	  "#define NR_PAGEFLAGS 32\n#define MAX_NR_ZONES 5\n"
	  "#define NR_CPUS_BITS 6\n#define SPINLOCK_SIZE 4\n"
	  "#define LRU_GEN_WIDTH 0\n#define __LRU_REFS_WIDTH 0\n" },
	{ "include/generated/timeconst.h", "" },
	{ "include/generated/utsrelease.h", "#define UTS_RELEASE \"0\"\n" },
	{ "include/generated/asm-offsets.h", "" },
	{ "include/generated/rq-offsets.h", "" },
};

void parse_args_init(struct ccg_parse_args *a)
{
	memset(a, 0, sizeof(*a));
}

void parse_args_release(struct ccg_parse_args *a)
{
	strlist_release(&a->argv);
	strlist_release(&a->vpath);
	strlist_release(&a->vtext);
	memset(a, 0, sizeof(*a));
}

void parse_args_add_virtual(struct ccg_parse_args *a, const char *path,
			    const char *text)
{
	if (strlist_has(&a->vpath, path))
		return;
	strlist_push(&a->vpath, path);
	strlist_push(&a->vtext, text);
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

/* Append the NAME-y entries of the Kbuild file ROOT/REL to OUT. */
static void kbuild_list(struct strlist *out, const char *root, const char *rel,
			const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	size_t nlen = strlen(name);
	char *line, *next;

	strbuf_addf(&path, "%s/%s", root, rel);
	if (strbuf_read_file(&text, path.buf) < 0)
		goto out;
	for (line = text.buf; line && *line; line = next) {
		char *p = line, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, name, nlen) || strncmp(p + nlen, "-y", 2))
			continue;
		p += nlen + 2;
		while (*p == ' ' || *p == '\t' || *p == '+' || *p == ':' ||
		       *p == '=')
			p++;
		for (end = p; *end && !isspace((unsigned char)*end); end++)
			;
		if (end > p) {
			char *v = xstrndup(p, (size_t)(end - p));

			if (!strlist_has(out, v))
				strlist_push(out, v);
			free(v);
		}
	}
out:
	strbuf_release(&text);
	strbuf_release(&path);
}

/*
 * What scripts/Makefile.asm-generic writes into arch/x86/include/generated/
 * SUB/asm: a wrapper including asm-generic/X.h for each generic-y entry and
 * each mandatory-y entry the architecture does not provide; generated-y
 * entries (syscall tables) become empty stand-ins.
 */
static void add_asm_generic(struct ccg_parse_args *a, const char *root,
			    const char *sub)
{
	struct strlist generic = STRLIST_INIT, mandatory = STRLIST_INIT;
	struct strlist generated = STRLIST_INIT;
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&p, "arch/x86/include/%sasm/Kbuild", sub);
	kbuild_list(&generic, root, p.buf, "generic");
	kbuild_list(&generated, root, p.buf, "generated");
	strbuf_reset(&p);
	strbuf_addf(&p, "include/%sasm-generic/Kbuild", sub);
	kbuild_list(&mandatory, root, p.buf, "mandatory");
	for (size_t i = 0; i < mandatory.nr; i++) {
		if (strlist_has(&generated, mandatory.v[i]) ||
		    strlist_has(&generic, mandatory.v[i]))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/arch/x86/include/%sasm/%s", root, sub,
			    mandatory.v[i]);
		if (!exists(p.buf))
			strlist_push(&generic, mandatory.v[i]);
	}
	for (size_t i = 0; i < generic.nr + generated.nr; i++) {
		bool gen = i >= generic.nr;
		const char *n = gen ? generated.v[i - generic.nr] : generic.v[i];

		strbuf_reset(&p);
		strbuf_addf(&p, "%s/arch/x86/include/generated/%sasm/%s", root,
			    sub, n);
		strbuf_reset(&text);
		if (!gen)
			strbuf_addf(&text, "#include <asm-generic/%s>\n", n);
		parse_args_add_virtual(a, p.buf, text.buf ? text.buf : "");
	}
	strlist_release(&generic);
	strlist_release(&mandatory);
	strlist_release(&generated);
	strbuf_release(&text);
	strbuf_release(&p);
}

static void add_generated(struct ccg_parse_args *a, const char *root)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/arch/x86/include/generated", root);
	if (!exists(p.buf)) {
		add_asm_generic(a, root, "");
		add_asm_generic(a, root, "uapi/");
		/* asm/unistd.h wants these beside the generated-y tables */
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/arch/x86/include/generated/asm/unistd_64_x32.h", root);
		parse_args_add_virtual(a, p.buf, "");
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/arch/x86/include/generated/asm/unistd_32_ia32.h", root);
		parse_args_add_virtual(a, p.buf, "");
	}
	for (size_t i = 0; i < ARRAY_SIZE(generated_stub); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", root, generated_stub[i][0]);
		if (!exists(p.buf))
			parse_args_add_virtual(a, p.buf, generated_stub[i][1]);
	}
	strbuf_release(&p);
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
	const char *slash, *base;

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

	/* kbuild names the module; headers paste it into identifiers */
	strbuf_reset(&p);
	strbuf_addstr(&p, "-DKBUILD_MODNAME=\"");
	base = slash ? slash + 1 : path;
	for (const char *c = base; *c && *c != '.'; c++)
		strbuf_addch(&p, isalnum((unsigned char)*c) ? *c : '_');
	strbuf_addch(&p, '"');
	strlist_push(&a->argv, p.buf);

	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/generated/autoconf.h", root);
	if (!exists(p.buf)) {
		struct strbuf ac = STRBUF_INIT;

		for (size_t i = 0; i < ARRAY_SIZE(value_config); i++) {
			const char *sp = strchr(value_config[i], ' ');
			char *name = xstrndup(value_config[i],
					      (size_t)(sp - value_config[i]));

			strlist_push(&seen, name);
			strbuf_addf(&ac, "#define %s\n", value_config[i]);
			free(name);
		}
		for (size_t i = 0; i < ARRAY_SIZE(base_config); i++)
			add_config(&ac, &seen, base_config[i]);
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
					add_config(&ac, &seen, name);
				free(name);
			}
			i = j;
		}
		parse_args_add_virtual(a, p.buf, ac.buf ? ac.buf : "");
		strbuf_release(&ac);
	}
	add_generated(a, root);
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

/*
 * Headers a candidate keeps, per directory.  include/linux: what annotates
 * definitions and file-scope statements (compiler*.h, init.h, export.h,
 * linkage.h), basic types and constants, errno values the fixes return,
 * and the guard's own cc_platform.h; without them whole function
 * definitions are lost.  arch/x86/include/asm: the rules' vocabulary
 * (feature bits and their testers, SVM/SEV exit codes and structures,
 * trap numbers) and the annotations the arch adds.  Lists end with NULL.
 */
static const char *const diet_keep_linux[] = {
	"bits.h", "build_bug.h", "cc_platform.h", "compiler.h",
	"compiler_attributes.h", "compiler_types.h", "const.h", "errno.h",
	"export.h", "init.h", "kconfig.h", "linkage.h", "stddef.h",
	"stringify.h", "types.h", NULL,
};

static const char *const diet_keep_asm[] = {
	"alternative.h", "asm.h", "bug.h", "cache.h", "cpufeature.h",
	"cpufeatures.h", "cpufeaturemasks.h", "disabled-features.h",
	"linkage.h", "msr-index.h", "required-features.h", "sev-common.h",
	"sev.h", "svm.h", "trapnr.h", "types.h", NULL,
};

static void diet_dir(struct strlist *stub, const char *root, const char *dir,
		     const char *const *keep_list,
		     const struct strlist *candidates)
{
	struct strbuf p = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	strbuf_addf(&p, "%s/%s", root, dir);
	d = opendir(p.buf);
	if (!d)
		goto out;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		bool keep = n < 3 || strcmp(de->d_name + n - 2, ".h");

		for (size_t i = 0; !keep && keep_list[i]; i++)
			keep = !strcmp(de->d_name, keep_list[i]);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, de->d_name);
		if (keep || strlist_has(candidates, p.buf))
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s/%s", root, dir, de->d_name);
		strlist_push(stub, p.buf);
	}
	closedir(d);
out:
	strbuf_release(&p);
}

void parse_diet_stubs(struct strlist *stub, const char *root,
		      const struct strlist *candidates)
{
	diet_dir(stub, root, "include/linux", diet_keep_linux, candidates);
	diet_dir(stub, root, "arch/x86/include/asm", diet_keep_asm, candidates);
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

	unsaved = xcalloc(a->vpath.nr + (a->overlay ? a->overlay->nr : 0) + 1,
			  sizeof(*unsaved));
	for (size_t i = 0; i < a->vpath.nr; i++) {
		unsaved[nunsaved].Filename = a->vpath.v[i];
		unsaved[nunsaved].Contents = a->vtext.v[i];
		unsaved[nunsaved].Length = strlen(a->vtext.v[i]);
		nunsaved++;
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
