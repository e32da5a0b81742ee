/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_PARSE_H
#define CCGATE_PARSE_H

#include "libclang.h"
#include <stdbool.h>

#include "overlay.h"
#include "strbuf.h"

/*
 * Compiler arguments for a file of an unconfigured (or configured) kernel
 * tree: the kernel's include paths, kconfig.h, and a virtual
 * generated/autoconf.h that defines every CONFIG_ symbol the file names, so
 * both sides of "#ifdef CONFIG_..." that matter for these rules are parsed.
 * Missing generated headers leave the parse incomplete, never stopped.
 */
struct ccg_parse_args {
	struct strlist argv;
	char *autoconf_path;	/* virtual file, or NULL */
	struct strbuf autoconf;
	const struct overlay *overlay;	/* unsaved file texts, or NULL */
};

void parse_args_init(struct ccg_parse_args *a);
void parse_args_release(struct ccg_parse_args *a);
void parse_args_for_tree(struct ccg_parse_args *a, const char *root,
			 const char *path, const char *text, size_t len);

/* Parse PATH; on failure *err gets a human message and NULL is returned. */
CXTranslationUnit parse_file(CXIndex idx, const char *path,
			     const struct ccg_parse_args *a, char **err);

#endif
