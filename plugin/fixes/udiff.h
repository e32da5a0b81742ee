/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_UDIFF_H
#define CCGATE_UDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * A fix as a finding carries it: files, hunks, lines.  fix.c builds it from
 * edits, the worker's wire carries it as it is, and every output renders
 * from it: the diff text (udiff_render()), SARIF replacements, --apply, the
 * mails' diffstat.  Only spatch's diffs, text from another program, are
 * parsed (udiff_parse()), once, where the Coccinelle backend reads them.
 */

struct udiff_hunk {
	unsigned old_start, old_count;	/* as the "@@" line spells them */
	unsigned new_start, new_count;
	char *func;		/* what follows the second "@@" (" name"), or NULL */
	/* ' ', '-', '+' then the line, no '\n'; '\' "No newline at end of file" */
	struct strlist lines;
};

struct udiff_file {
	char *path;		/* relative to the tree root, a/ b/ stripped */
	char *header;		/* the lines before the first hunk, each '\n' ended */
	struct udiff_hunk *hunks;
	size_t nr, alloc;
};

struct udiff {
	struct udiff_file *files;
	size_t nr, alloc;
};

#define UDIFF_INIT { NULL, 0, 0 }

/* A new file of D with HEADER (owned) for PATH, and a new hunk of F. */
struct udiff_file *udiff_add_file(struct udiff *d, const char *path,
				  char *header);
struct udiff_hunk *udiff_add_hunk(struct udiff_file *f);
/* Append the diff text of D: what git apply and patch(1) read. */
void udiff_render(struct strbuf *out, const struct udiff *d);
/* The diff text of D (caller frees). */
char *udiff_text(const struct udiff *d);
/*
 * Returns 0, or -1 if TEXT is not a unified diff.  For diffs that ccgate
 * did not make (spatch's); udiff_render() gives back TEXT when it returns 0
 * and the text spells its ranges as git and GNU diff do.
 */
int udiff_parse(struct udiff *d, const char *text);
void udiff_release(struct udiff *d);
/* A deep copy of D (caller frees with udiff_free()). */
struct udiff *udiff_dup(const struct udiff *d);
/* Release and free D (NULL is fine). */
void udiff_free(struct udiff *d);

/*
 * Apply F to TEXT into OUT (appended).  Every hunk must match TEXT exactly
 * at its line; the hunks are edits of TEXT (several findings' patches, made
 * from it), so they may share lines, and only two changes of the same bytes
 * conflict (the same change twice counts once).  Returns -1 (and the
 * 1-based line) if a hunk does not match or two changes conflict.
 */
int udiff_apply(const struct udiff_file *f, const char *text, size_t len,
		struct strbuf *out, unsigned *bad_line);
/*
 * Add to OUT the file F, whose hunks were made from TEXT, as a patch of TEXT
 * with PRIOR's hunks (made from TEXT too) applied: the next patch of a
 * series, which git am applies after PRIOR's.  Returns -1 (OUT unchanged)
 * if F or PRIOR does not match TEXT or F changes what PRIOR changes.
 */
int udiff_rebase(struct udiff *out, const struct udiff_file *prior,
		 const struct udiff_file *f, const char *text, size_t len);

/* FNV-1a, 64 bits: the identity of a file's contents at analysis time. */
uint64_t udiff_hash(const char *text, size_t len);

#endif
