/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_TREEPATH_H
#define CCGATE_TREEPATH_H

#include <stdbool.h>

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
 * Does REL, below the real path ROOT, pass through a symbolic link (any
 * existing component, the last included) that resolves outside ROOT or
 * nowhere?  Components that do not exist yet are fine.
 */
bool tree_path_escapes(const char *root, const char *rel);

#endif
