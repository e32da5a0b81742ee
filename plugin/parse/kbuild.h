/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_KBUILD_H
#define CCGATE_KBUILD_H

#include <stddef.h>

#include "strbuf.h"

/*
 * kbuild runs "$(CHECK) $(CHECKFLAGS) $(c_flags) <source>" from the build
 * directory.  That argv is sparse's flags plus gcc's (or, with LLVM=1,
 * clang's) command line.  kbuild_translate() turns it into arguments libclang
 * accepts: gcc-only flags are dropped or replaced through one table, every
 * -D/-I/-include/-isystem/-std/-m flag that matters is kept, the dependency
 * file is never written and __CHECKER__ is never defined.
 */
struct kbuild_cmd {
	struct strlist args;	/* for libclang, without the source */
	char *source;		/* the file kbuild checks */
	struct strlist dropped;	/* what the table removed, for --verbose */
	size_t nr_in;		/* arguments received */
	/* -fdiagnostic-prefix: "ccgate", or X of =X, as sparse; else NULL */
	char *diag_prefix;
	/* the object, from kbuild's -Wp,-MMD,DIR/.NAME.o.d: DIR/NAME.o */
	char *object;
};

/* Returns 0, or -1 with a one-line reason in ERR (no source, bad argv). */
int kbuild_translate(struct kbuild_cmd *cmd, int argc, const char *const *argv,
		     struct strbuf *err);
void kbuild_cmd_release(struct kbuild_cmd *cmd);

/*
 * Append to OUT the .c files that TEXT, the text of the file INCLUDER,
 * #includes with quotes ('#', blanks, "include", blanks, '"'), resolved in
 * INCLUDER's directory as the preprocessor does: the kernel includes C files
 * only this way.  Paths already in OUT are not added again, so OUT can be
 * the work list of a walk over nested includes.
 */
void kbuild_c_includes(const char *includer, const char *text, size_t len,
		       struct strlist *out);

/*
 * Append to OUT the headers (".h" paths, as written) of the dependency
 * list in TEXT, the .cmd file kbuild's fixdep writes for an object before
 * the checker runs (scripts/basic/fixdep.c: "deps_OBJ := \", then one
 * path per line ending in " \" but the last, "$(wildcard ...)" lines
 * between).  CMD_PATH gets the name of that file for the object OBJECT
 * (DIR/NAME.o: DIR/.NAME.o.cmd).
 */
void kbuild_deps(const char *text, size_t len, struct strlist *out);
void kbuild_cmd_path(const char *object, struct strbuf *cmd_path);

#endif
