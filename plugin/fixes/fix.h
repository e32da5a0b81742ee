/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_FIX_H
#define CCGATE_FIX_H

#include <stddef.h>

#include "strbuf.h"
#include "udiff.h"

/* Replace DEL bytes at OFF with INS (owned). */
struct fix_edit {
	size_t off;
	size_t del;
	char *ins;
	size_t seq;	/* order of fix_edits_add(): ties at one offset keep it */
};

struct fix_edits {
	struct fix_edit *v;
	size_t nr, alloc;
};

#define FIX_EDITS_INIT { NULL, 0, 0 }

void fix_edits_add(struct fix_edits *e, size_t off, size_t del, const char *ins);
void fix_edits_release(struct fix_edits *e);

/*
 * Append to OUT the file RELPATH of a unified diff (git style: "diff --git",
 * a/ and b/ paths, three lines of context, hunk headers with git's default
 * function context) for applying EDITS to TEXT.  Edits must not overlap.
 * Returns -1 (OUT unchanged) if they do or fall outside the text.
 */
int fix_hunks(struct udiff *out, const char *relpath, const char *text,
	      size_t len, struct fix_edits *edits);
/* fix_hunks(), rendered as text. */
int fix_diff(struct strbuf *out, const char *relpath, const char *text,
	     size_t len, struct fix_edits *edits);
/* Apply EDITS to TEXT into OUT; -1 on overlapping or out-of-range edits. */
int fix_apply(struct strbuf *out, const char *text, size_t len,
	      struct fix_edits *edits);
/*
 * An edit adding "#include <HEADER>" in kernel style: in sorted position
 * within the first block of includes of the same directory, else after the
 * last top-level #include.  Returns -1 if the file has no #include at all.
 */
int fix_include_edit(struct fix_edits *e, const char *text, size_t len,
		     const char *header);

#endif
