/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_PARSE_H
#define CCGATE_PARSE_H

#include "libclang.h"
#include <stdbool.h>

#include "overlay.h"
#include "strbuf.h"

/*
 * Compiler arguments for a file of an unconfigured (or configured) kernel
 * tree: the kernel's include paths, kconfig.h, and virtual files (libclang
 * unsaved files, never written to disk) for what kbuild would generate:
 *
 *  - include/generated/autoconf.h defining every CONFIG_ symbol the file
 *    names, so both sides of "#ifdef CONFIG_..." that matter for these
 *    rules are parsed, plus the few numeric symbols that headers compute
 *    with (PAGE_SHIFT, HZ, ...);
 *  - the asm-generic wrappers of arch/x86/include/generated/{,uapi/}asm that
 *    kbuild writes for generic-y and missing mandatory-y headers
 *    (asm/types.h, asm/rwonce.h, ...): without them nearly every parse
 *    stops resolving types early and collects thousands of errors;
 *  - empty stand-ins for the generated headers that only a configured build
 *    can write (syscall tables, bounds.h, asm-offsets.h).
 *
 * Only what the tree lacks is added.  What is still missing leaves the
 * parse incomplete, never stopped.
 */
struct ccg_parse_args {
	struct strlist argv;
	struct strlist vpath;	/* virtual files: absolute paths ... */
	struct strlist vtext;	/* ... and their contents */
	const struct overlay *overlay;	/* unsaved file texts, or NULL */
	const struct headers_slim *slim;	/* blanked headers, or NULL */
};

/* The -I paths of an unconfigured parse, relative to the root; NULL ends it. */
extern const char *const parse_include_dirs[];

void parse_args_init(struct ccg_parse_args *a);
void parse_args_release(struct ccg_parse_args *a);
/*
 * AUTOCONF is the text of include/generated/autoconf.h for a coherent
 * configuration (kconfig.h), or NULL for the tree's own file if it has
 * one, else the heuristic: every CONFIG_ symbol TEXT names.
 */
void parse_args_for_tree(struct ccg_parse_args *a, const char *root,
			 const char *autoconf, const char *path,
			 const char *text, size_t len);
/* Add a virtual file (copied); a later one for the same path is ignored. */
void parse_args_add_virtual(struct ccg_parse_args *a, const char *path,
			    const char *text);

/*
 * Generated files that take a program of the tree's to write, once per
 * run (before any thread starts): arch/x86/lib/inat-tables.c from the
 * opcode map by the tree's awk script, which the instruction decoder
 * #includes (the boot stub's sev.c does).  Appends absolute paths and
 * texts to PATHS and TEXTS for parse_args_add_virtual().
 */
void parse_generate_programs(const char *root, struct strlist *paths,
			     struct strlist *texts);

/* Parse PATH; on failure *err gets a human message and NULL is returned. */
CXTranslationUnit parse_file(CXIndex idx, const char *path,
			     const struct ccg_parse_args *a, char **err);

#endif
