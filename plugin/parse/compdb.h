/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_COMPDB_H
#define CCGATE_COMPDB_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * A compile_commands.json (the kernel's scripts/clang-tools/
 * gen_compile_commands.py, or any build that writes one): each unit's real
 * flags, translated for libclang exactly as in the kbuild slot, with the
 * include paths made absolute so the unit parses from any directory.
 */
struct compdb_entry {
	char *source;		/* absolute */
	struct strlist args;	/* for libclang, without the source */
};

struct compdb {
	struct compdb_entry *v;		/* sorted by source */
	size_t nr;
	/* .c files #included by units (6.12's shared.c), found on demand */
	bool scanned_includes;
	struct strlist inc_file, inc_unit;
};

/* Returns 0, or -1 with one line in ERR (unreadable, corrupt, no entries). */
int compdb_load(struct compdb *db, const char *path, struct strbuf *err);
/* The same from TEXT (PATH names it in messages): no I/O but realpath(). */
int compdb_parse(struct compdb *db, const char *path, const char *text,
		 size_t len, struct strbuf *err);
/*
 * The entry that compiles ABSPATH, or for a .c file that is only #included,
 * the first unit that includes it; NULL if none.
 */
const struct compdb_entry *compdb_lookup(struct compdb *db, const char *abspath);
void compdb_release(struct compdb *db);

/*
 * Split a compile command the way a POSIX shell splits words: blanks
 * separate, '...' and "..." quote, backslash escapes.  No expansion of any
 * kind.  Returns -1 with a reason in ERR for an unterminated quote.
 */
int compdb_split_command(const char *cmd, struct strlist *out,
			 struct strbuf *err);

#endif
