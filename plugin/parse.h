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
};

void parse_args_init(struct ccg_parse_args *a);
void parse_args_release(struct ccg_parse_args *a);
void parse_args_for_tree(struct ccg_parse_args *a, const char *root,
			 const char *path, const char *text, size_t len);
/* Add a virtual file (copied); a later one for the same path is ignored. */
void parse_args_add_virtual(struct ccg_parse_args *a, const char *path,
			    const char *text);

/*
 * The sweep's header diet.  A candidate needs the kernel's macros that
 * shape declarations and statements, the arch headers that define the
 * rules' vocabulary (feature bits, testers, exit codes) and its own local
 * headers, not the thousand generic headers that linux/kvm_host.h,
 * linux/mm.h or asm/kvm_host.h drag in.  Measured on Debian's 6.1 and 6.12
 * (README): a quarter of the sweep time, the same findings, notes and
 * patches.  So every include/linux/X.h and arch/x86/include/asm/X.h is
 * parsed as an empty file, except the keep lists in parse.c and the
 * sweep's own candidates (a header naming a trigger token may hold a
 * wrapper, or be the file reported).  Appends absolute paths to STUB.
 */
void parse_diet_stubs(struct strlist *stub, const char *root,
		      const struct strlist *candidates);

/* Parse PATH; on failure *err gets a human message and NULL is returned. */
CXTranslationUnit parse_file(CXIndex idx, const char *path,
			     const struct ccg_parse_args *a, char **err);

#endif
