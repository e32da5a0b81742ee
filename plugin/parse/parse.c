// SPDX-License-Identifier: GPL-2.0-only
#include "parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "headers.h"
#include "run.h"
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
	/* 7.x's this_rq_pinned() adds it to a pointer: any offset parses */
	{ "include/generated/rq-offsets.h", "#define RQ_nr_pinned 0\n" },
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

/*
 * A syscall number header as scripts/syscallhdr.sh writes it from the
 * table ROOT/arch/x86/entry/syscalls/TBL: the rows whose ABI is in ABIS
 * (comma-separated), each "#define __NR_<PREFIX><name> <nr>" (plus OFFSET),
 * and __NR_<PREFIX>syscalls.  Empty if the tree has no such table.
 */
static void syscall_header(struct strbuf *out, const char *root,
			   const char *tbl, const char *abis,
			   const char *prefix, const char *offset)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	long max = -1;
	char *line, *next;

	strbuf_addf(&path, "%s/arch/x86/entry/syscalls/%s", root, tbl);
	if (strbuf_read_file(&text, path.buf) < 0)
		goto out;
	for (line = text.buf; line && *line; line = next) {
		char nr[32], abi[32], name[128];
		char *comma_abis = NULL;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!isdigit((unsigned char)*line) ||
		    sscanf(line, "%31s %31s %127s", nr, abi, name) != 3)
			continue;
		comma_abis = xstrdup(abis);
		for (char *t = comma_abis, *c; t; t = c) {
			c = strchr(t, ',');
			if (c)
				*c++ = '\0';
			if (strcmp(t, abi))
				continue;
			if (offset)
				strbuf_addf(out, "#define __NR_%s%s (%s + %s)\n",
					    prefix, name, offset, nr);
			else
				strbuf_addf(out, "#define __NR_%s%s %s\n", prefix,
					    name, nr);
			max = strtol(nr, NULL, 0);
			break;
		}
		free(comma_abis);
	}
	if (max >= 0)
		strbuf_addf(out, "#ifdef __KERNEL__\n#define __NR_%ssyscalls %ld\n#endif\n",
			    prefix, max + 1);
out:
	strbuf_release(&path);
	strbuf_release(&text);
}

/* arch/x86/entry/syscalls/Makefile's headers: name, table, ABIs, prefix, offset */
static const char *const syscall_headers[][5] = {
	{ "uapi/asm/unistd_32.h", "syscall_32.tbl", "i386", "", NULL },
	{ "uapi/asm/unistd_64.h", "syscall_64.tbl", "common,64", "", NULL },
	{ "uapi/asm/unistd_x32.h", "syscall_64.tbl", "common,x32", "",
	  "__X32_SYSCALL_BIT" },
	{ "asm/unistd_32_ia32.h", "syscall_32.tbl", "i386", "ia32_", NULL },
	{ "asm/unistd_64_x32.h", "syscall_64.tbl", "x32", "x32_", NULL },
};

static void add_syscall_headers(struct ccg_parse_args *a, const char *root)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(syscall_headers); i++) {
		strbuf_reset(&p);
		strbuf_reset(&text);
		strbuf_addf(&p, "%s/arch/x86/include/generated/%s", root,
			    syscall_headers[i][0]);
		syscall_header(&text, root, syscall_headers[i][1],
			       syscall_headers[i][2], syscall_headers[i][3],
			       syscall_headers[i][4]);
		parse_args_add_virtual(a, p.buf, text.buf ? text.buf : "");
	}
	strbuf_release(&p);
	strbuf_release(&text);
}

static void add_generated(struct ccg_parse_args *a, const char *root)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/arch/x86/include/generated", root);
	if (!exists(p.buf)) {
		/* first: the generated-y stand-ins below are empty */
		add_syscall_headers(a, root);
		/*
		 * 6.15+ generates the feature masks from the configuration
		 * (arch/x86/tools/cpufeaturemasks.awk); cpu_feature_enabled()
		 * needs the two testers, and with nothing disabled or required
		 * every feature test stays a runtime test, as the rules read it.
		 */
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/arch/x86/include/generated/asm/cpufeaturemasks.h", root);
		parse_args_add_virtual(a, p.buf, "#define DISABLED_MASK_BIT_SET(x) 0\n"
				       "#define REQUIRED_MASK_BIT_SET(x) 0\n");
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

/* Append WORD to OUT with kbuild's $(srctree)-style variables replaced. */
static void kbuild_word(struct strbuf *out, const char *word, size_t n,
			const char *root, const char *dir)
{
	static const char *const vars[][2] = {
		{ "$(srctree)", NULL }, { "$(objtree)", NULL },
		{ "$(src)", "" }, { "$(obj)", "" },
	};

	for (size_t i = 0; i < n; ) {
		size_t v;

		for (v = 0; v < ARRAY_SIZE(vars); v++) {
			size_t vn = strlen(vars[v][0]);

			if (i + vn <= n && !memcmp(word + i, vars[v][0], vn)) {
				strbuf_addstr(out, vars[v][1] ? dir : root);
				i += vn;
				break;
			}
		}
		if (v == ARRAY_SIZE(vars))
			strbuf_addch(out, word[i++]);
	}
}

/*
 * The preprocessor flags the directory's Makefile gives the object of
 * PATH: "ccflags-y" and "CFLAGS_<object>.o" lines (kvm's -I of its own
 * directory, the boot stub's -I of arch/x86/lib for the generated
 * inat-tables.c).  Only -I, -D and -include with a plain value, after
 * replacing $(srctree), $(objtree), $(src) and $(obj); a flag whose value
 * still holds a '$' is left out.
 */
/*
 * 7.x compiles with $(CONFIG_CC_MS_EXTENSIONS) in CC_FLAGS_DIALECT, and its
 * headers embed tagged structs anonymously (struct filename): without the
 * flag, their sizes and static_asserts are wrong.  gcc's spelling is
 * -fms-extensions, which clang takes too.
 */
static void add_dialect_flags(struct ccg_parse_args *a, const char *root)
{
	static const char want[] = "CC_FLAGS_DIALECT += $(CONFIG_CC_MS_EXTENSIONS)";
	struct strbuf mk = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&mk, "%s/Makefile", root);
	if (strbuf_read_file(&text, mk.buf) >= 0 &&
	    memmem(text.buf, text.len, want, sizeof(want) - 1))
		strlist_push(&a->argv, "-fms-extensions");
	strbuf_release(&mk);
	strbuf_release(&text);
}

static void add_makefile_flags(struct ccg_parse_args *a, const char *root,
			       const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	struct strbuf mk = STRBUF_INIT, dir = STRBUF_INIT, text = STRBUF_INIT;
	struct strbuf obj = STRBUF_INIT, flag = STRBUF_INIT;
	char *line, *next;

	if (!slash)
		return;
	strbuf_add(&dir, path, (size_t)(slash - path));
	strbuf_addf(&mk, "%s/Makefile", dir.buf);
	if (strbuf_read_file(&text, mk.buf) < 0) {
		strbuf_reset(&mk);
		strbuf_addf(&mk, "%s/Kbuild", dir.buf);
		if (strbuf_read_file(&text, mk.buf) < 0)
			goto out;
	}
	strbuf_addstr(&obj, "CFLAGS_");
	for (const char *c = base; *c && *c != '.'; c++)
		strbuf_addch(&obj, *c);
	strbuf_addstr(&obj, ".o");
	for (line = text.buf; line && *line; line = next) {
		char *p = line;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(p, "ccflags-y", 9))
			p += 9;
		else if (!strncmp(p, obj.buf, obj.len))
			p += obj.len;
		else
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "+=", 2) && strncmp(p, ":=", 2))
			continue;
		for (p += 2; *p; ) {
			const char *w;
			size_t n;

			while (*p == ' ' || *p == '\t')
				p++;
			for (w = p; *p && *p != ' ' && *p != '\t'; p++)
				;
			n = (size_t)(p - w);
			if (n < 3 || w[0] != '-' || (w[1] != 'I' && w[1] != 'D'))
				continue;
			strbuf_reset(&flag);
			kbuild_word(&flag, w, n, root, dir.buf);
			if (!strchr(flag.buf, '$'))
				strlist_push(&a->argv, flag.buf);
		}
	}
out:
	strbuf_release(&mk);
	strbuf_release(&dir);
	strbuf_release(&text);
	strbuf_release(&obj);
	strbuf_release(&flag);
}

/* The include paths of an unconfigured parse, in order, from the root. */
const char *const parse_include_dirs[] = {
	"arch/x86/include", "arch/x86/include/generated", "include",
	"arch/x86/include/uapi", "arch/x86/include/generated/uapi",
	"include/uapi", "include/generated/uapi", NULL
};

/* What every unconfigured parse gets: the language, the include paths. */
static void add_base_args(struct ccg_parse_args *a, const char *root)
{
	static const char *const flags[] = {
		"-x", "c", "-std=gnu11", "-nostdinc", "-w", "-ferror-limit=0",
		"-D__KERNEL__", "-fno-spell-checking",
	};
	struct strbuf p = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		strlist_push(&a->argv, flags[i]);
	for (size_t i = 0; parse_include_dirs[i]; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "-I%s/%s", root, parse_include_dirs[i]);
		strlist_push(&a->argv, p.buf);
	}
	strbuf_release(&p);
}

/* KBUILD_MODNAME and KBUILD_MODFILE, as kbuild names the object PATH. */
static void add_modname(struct ccg_parse_args *a, const char *root,
			const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	struct strbuf p = STRBUF_INIT;

	/* kbuild names the module; headers paste it into identifiers */
	strbuf_addstr(&p, "-DKBUILD_MODNAME=\"");
	for (const char *c = base; *c && *c != '.'; c++)
		strbuf_addch(&p, isalnum((unsigned char)*c) ? *c : '_');
	strbuf_addch(&p, '"');
	strlist_push(&a->argv, p.buf);
	/* and, for built-in code, the object's path (module.h's MODULE_FILE) */
	strbuf_reset(&p);
	strbuf_addstr(&p, "-DKBUILD_MODFILE=\"");
	if (!strncmp(path, root, strlen(root)) && path[strlen(root)] == '/')
		path += strlen(root) + 1;
	for (const char *c = path; *c && c != strrchr(path, '.'); c++)
		strbuf_addch(&p, *c == '"' || *c == '\\' ? '_' : *c);
	strbuf_addch(&p, '"');
	strlist_push(&a->argv, p.buf);
	strbuf_release(&p);
}

/*
 * An autoconf.h for a tree without one: the values every build has, the
 * base configuration, and every CONFIG_ symbol TEXT names (not _MODULE).
 */
static void synth_autoconf(struct strbuf *ac, const char *text, size_t len)
{
	struct strlist seen = STRLIST_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(value_config); i++) {
		const char *sp = strchr(value_config[i], ' ');
		char *name = xstrndup(value_config[i],
				      (size_t)(sp - value_config[i]));

		strlist_push(&seen, name);
		strbuf_addf(ac, "#define %s\n", value_config[i]);
		free(name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(base_config); i++)
		add_config(ac, &seen, base_config[i]);
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
				add_config(ac, &seen, name);
			free(name);
		}
		i = j;
	}
	strlist_release(&seen);
}

/* -include ROOT/REL, if the tree has it. */
static void add_forced_include(struct ccg_parse_args *a, const char *root,
			       const char *rel)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", root, rel);
	if (exists(p.buf)) {
		strlist_push(&a->argv, "-include");
		strlist_push(&a->argv, p.buf);
	}
	strbuf_release(&p);
}

void parse_args_for_tree(struct ccg_parse_args *a, const char *root,
			 const char *autoconf, const char *path,
			 const char *text, size_t len)
{
	struct strbuf p = STRBUF_INIT;
	const char *slash;

	add_base_args(a, root);
	/* kbuild adds the parent of some subsystems (kvm/svm/ -> kvm/) */
	slash = strrchr(path, '/');
	if (slash) {
		strbuf_add(&p, path, (size_t)(slash - path));
		strbuf_addstr(&p, "/..");
		push_fmt(&a->argv, "-iquote%s", p.buf);
	}
	add_makefile_flags(a, root, path);
	add_dialect_flags(a, root);
	add_modname(a, root, path);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/include/generated/autoconf.h", root);
	if (autoconf) {
		parse_args_add_virtual(a, p.buf, autoconf);
	} else if (!exists(p.buf)) {
		struct strbuf ac = STRBUF_INIT;

		synth_autoconf(&ac, text, len);
		parse_args_add_virtual(a, p.buf, ac.buf ? ac.buf : "");
		strbuf_release(&ac);
	}
	add_generated(a, root);
	add_forced_include(a, root, "include/linux/kconfig.h");
	add_forced_include(a, root, "include/linux/compiler_types.h");
	strbuf_release(&p);
}

void parse_generate_programs(const char *root, struct strlist *paths,
			     struct strlist *texts)
{
	struct strbuf script = STRBUF_INIT, map = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT, target = STRBUF_INIT;
	char *argv[] = { "awk", "-f", NULL, NULL, NULL };

	strbuf_addf(&script, "%s/arch/x86/tools/gen-insn-attr-x86.awk", root);
	strbuf_addf(&map, "%s/arch/x86/lib/x86-opcode-map.txt", root);
	strbuf_addf(&target, "%s/arch/x86/lib/inat-tables.c", root);
	argv[2] = script.buf;
	argv[3] = map.buf;
	if (exists(script.buf) && exists(map.buf) && !exists(target.buf) &&
	    !run_capture(NULL, argv, &out) && out.len) {
		strlist_push(paths, target.buf);
		strlist_push(texts, out.buf);
	}
	strbuf_release(&script);
	strbuf_release(&map);
	strbuf_release(&out);
	strbuf_release(&target);
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

	unsaved = xcalloc(a->vpath.nr + (a->overlay ? a->overlay->nr : 0) +
			  (a->slim ? a->slim->nr : 0) + 1, sizeof(*unsaved));
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
	for (size_t i = 0; a->slim && i < a->slim->nr; i++) {
		unsaved[nunsaved].Filename = a->slim->v[i].path;
		unsaved[nunsaved].Contents = a->slim->v[i].text;
		unsaved[nunsaved].Length = a->slim->v[i].len;
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
