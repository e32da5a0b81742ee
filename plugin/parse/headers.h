/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_HEADERS_H
#define CCGATE_HEADERS_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Slim headers: the headers a unit reads, with the bodies of the inline
 * functions it cannot need blanked (a space for every byte but newlines,
 * so every offset, line and column stays where it was).
 *
 * The walk builds a model only for a function whose text names one of the
 * unit's triggers, and every trigger an engine adds while walking is the
 * name of a function or macro whose text names an earlier one.  So a body
 * is kept when its function's text names a seed (the triggers the unit
 * starts with) or the name of a function or macro kept that way, to a
 * fixed point over every file the unit can reach; a blanked body is one
 * the walk would have passed over.  Declarations, types, macros and
 * preprocessor lines are never touched.  The main file and the .c files
 * it includes are blanked the same way: a C function body declares
 * nothing outside itself.
 *
 * Bodies are found in the text, not the AST: a body is a brace pair at
 * file scope opened right after a ')' whose closing brace, in kernel
 * style, is the first line in it to start with a brace.  A body holding a
 * conditional that it does not close is kept.
 */
struct headers_cache;

struct headers_cache *headers_cache_new(void);
void headers_cache_free(struct headers_cache *c);

/* A blanked file of one unit. */
struct headers_slim_file {
	char *path;		/* real path */
	char *text;		/* blanked (owned) */
	const char *orig;	/* as read (owned by the cache or by orig_owned) */
	char *orig_owned;
	size_t len;
};

/* The blanked files of one unit, sorted by path. */
struct headers_slim {
	struct headers_slim_file *v;
	size_t nr, alloc;
	size_t reached;		/* files the unit can reach */
	size_t bodies, blanked;	/* function bodies in them, and blanked */
};

#define HEADERS_SLIM_INIT { NULL, 0, 0, 0, 0, 0 }

/*
 * Plan the blanking for MAIN (its text, which may not be the file on
 * disk) parsed with ARGV (-I, -iquote, -isystem, -idirafter, -include
 * are read; relative paths are from the working directory), with the
 * virtual files VPATH/VTEXT (read, never blanked) and the seed WORDS.
 */
void headers_slim_plan(struct headers_cache *c, const char *main,
		       const char *main_text, size_t main_len,
		       const struct strlist *argv, const struct strlist *vpath,
		       const struct strlist *vtext, const struct strlist *words,
		       struct headers_slim *out);
void headers_slim_release(struct headers_slim *s);

/*
 * Append to OUT (once each) the names of the functions of TEXT, a header,
 * whose body names one of WORDS: what a file including it calls to reach
 * such a word, as the walk would (the same text scan as the plan's).
 */
void headers_callables(const char *text, size_t len, char *const *words,
		       size_t nr_words, struct strlist *out);

/* The file as read if S blanked REALPATH, else NULL. */
const char *headers_slim_original(const struct headers_slim *s,
				  const char *realpath, size_t *len);

#endif
