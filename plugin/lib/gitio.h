/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_GITIO_H
#define CCGATE_GITIO_H

#include <stdbool.h>

#include "strbuf.h"

/*
 * Running git for gate, patch and --format-patch.  git is executed directly
 * (never through a shell) with a fixed environment: no pager, no external
 * diff or textconv, no colour, no optional index writes, C locale, and none
 * of GIT_DIR/GIT_WORK_TREE/GIT_INDEX_FILE inherited from the caller.
 * Nothing the repository's configuration names runs: no hook, fsmonitor,
 * pager, external diff, textconv, signature program, and every filter
 * driver the configuration defines is emptied (its .gitattributes may name
 * it), since "git blame" of the work tree would run the clean filter.
 */
struct git_cmd {
	const char *dir;	/* run in DIR (git -C), or NULL */
	const char *in_path;	/* standard input from this file, or /dev/null */
	bool no_repo;		/* do not look for a repository above DIR */
	struct strlist args;	/* after "git" and the safety options */
	struct strbuf out, err;
	bool config_only;	/* internal: the scan for filter drivers */
};

#define GIT_CMD_INIT \
	{ NULL, NULL, false, STRLIST_INIT, STRBUF_INIT, STRBUF_INIT, false }

void git_cmd_release(struct git_cmd *c);
/* Push the NULL-terminated arguments. */
void git_cmd_args(struct git_cmd *c, ...) __attribute__((sentinel));
/* Run; returns git's exit status, or -1 (with c->err set) if it did not run. */
int git_cmd_run(struct git_cmd *c);
/* The first line of c->err without git's "error: "/"fatal: ", for messages. */
const char *git_cmd_error(struct git_cmd *c);

/*
 * Run git with the NULL-terminated arguments in DIR and return its first
 * line of output (NULL on failure or empty output); the caller frees it.
 */
char *git_line(const char *dir, ...) __attribute__((sentinel));
/*
 * The blob OBJ ("<id>" or "<rev>:<path>") of the repository at DIR into
 * OUT.  Returns 0, or -1 with git's reason in WHY (if not NULL).
 */
int git_blob(const char *dir, const char *obj, struct strbuf *out,
	     struct strbuf *why);

/*
 * Parsers of git's output, free of I/O (each has a fuzzer in tests/fuzz/).
 * Their input is a strbuf's text: BUF[LEN] is NUL.
 */

/* One record of "git diff --raw -z --no-abbrev". */
struct git_raw_record {
	char mode1[8], mode2[8];
	char id1[65], id2[65];
	char status;
	const char *path;	/* into the buffer */
};

/*
 * The record at *P (before END) into R, and *P past it.  Returns 1, 0 at
 * the end of the list, or -1 if the text is not a raw diff record.
 */
int git_raw_next(const char **p, const char *end, struct git_raw_record *r);

/* The first entry of "git blame --porcelain -L N,N". */
struct git_blame_line {
	char id[41];		/* the commit; all zeros: not committed */
	const char *summary;	/* into the buffer, up to the newline */
	size_t summary_len;
	bool boundary;		/* the history ends at this commit */
};

/* Returns 0, or -1 if BUF is not porcelain blame output. */
int git_blame_parse(const char *buf, size_t len, struct git_blame_line *b);

/*
 * The paths of "git apply --numstat -z" (both of a rename or copy) into
 * PATHS, each once.  Returns 0, or -1 for a malformed record.
 */
int git_numstat_paths(const char *buf, size_t len, struct strlist *paths);

/*
 * The commit that last wrote LINE of FILE (relative to ROOT) as of REV
 * (NULL: the work tree), as "git blame" sees it: the Fixes: tag of a mail
 * and the triage's "introduced by".  Returns 0 with *O set (free
 * o->summary), 1 when the line is not committed or the history ends
 * before it (o->boundary says which), -1 if git failed.
 */
struct git_origin {
	char id[41];
	char *summary;
	bool boundary;
};
int git_line_origin(const char *root, const char *rev, const char *file,
		    unsigned line, struct git_origin *o);
/*
 * The first release that contains commit ID: the lowest vX.Y tag (no -rc,
 * no stable vX.Y.Z) of "git tag --contains"; NULL if none.
 */
char *git_first_release(const char *root, const char *id);
/* The lowest vX.Y of the tag names TAGS (one a line), or NULL (fuzzed). */
char *git_release_pick(const char *tags);

/* Is DIR inside a git work tree? */
bool git_is_worktree(const char *dir);

#endif
