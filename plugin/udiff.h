/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_UDIFF_H
#define CCGATE_UDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * Reading back the unified diffs that fix.c writes, for what needs them
 * after the worker that made them is gone: SARIF replacements and --apply.
 * Only what git's and ccgate's diffs contain is understood; no fuzz.
 */

struct udiff_hunk {
	unsigned old_start, old_count;
	unsigned new_start, new_count;
	struct strlist lines;	/* ' ', '-' or '+' then the line, no '\n' */
};

struct udiff_file {
	char *path;		/* relative to the tree root, a/ b/ stripped */
	struct udiff_hunk *hunks;
	size_t nr, alloc;
};

struct udiff {
	struct udiff_file *files;
	size_t nr, alloc;
};

#define UDIFF_INIT { NULL, 0, 0 }

/* Returns 0, or -1 if TEXT is not a unified diff. */
int udiff_parse(struct udiff *d, const char *text);
void udiff_release(struct udiff *d);

/*
 * Apply F to TEXT into OUT (appended).  Every hunk must match exactly at
 * its line; returns -1 (and the 1-based line) if one does not.
 */
int udiff_apply(const struct udiff_file *f, const char *text, size_t len,
		struct strbuf *out, unsigned *bad_line);

/* FNV-1a, 64 bits: the identity of a file's contents at analysis time. */
uint64_t udiff_hash(const char *text, size_t len);

#endif
