/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_TREEPATH_H
#define CCGATE_TREEPATH_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * Paths that come from untrusted input (a patch's file names) and will be
 * read or written below a tree root.
 */

/*
 * Why PATH may not be touched in a tree: an absolute path, a ".." or
 * "." or empty component, or anything inside ".git/" (any case, as git
 * itself refuses).  NULL if it is fine.  Pure; the fuzzer's.
 */
const char *tree_path_problem(const char *path);

/*
 * git apply drops the leading directory of "--- /path" and "+++ /path" as
 * it does that of "a/path": an absolute name in a patch's headers would
 * be read as a relative one.  Returns why TEXT (a diff, a mail or a
 * series) cannot be taken, with the name in NAME, or NULL.  Pure; the
 * fuzzer's.
 */
const char *tree_patch_header_problem(const char *text, size_t len,
				      struct strbuf *name);

/*
 * Does REL, below the real path ROOT, pass through a symbolic link (any
 * existing component, the last included) that resolves outside ROOT or
 * nowhere?  Components that do not exist yet are fine.
 */
bool tree_path_escapes(const char *root, const char *rel);

/* Is REL (relative to the root) one of the paths of EXCLUDE, or under one? */
bool tree_path_excluded(const struct strlist *exclude, const char *rel);

#endif
