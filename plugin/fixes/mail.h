/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_MAIL_H
#define CCGATE_MAIL_H

#include <stdbool.h>

#include "finding.h"
#include "rulepack.h"
#include "strbuf.h"

/*
 * --format-patch: each suggested fix as a mail that `git am` applies, in the
 * kernel's form:
 *
 *   Subject: [PATCH] <prefix>: <the rule's summary>
 *   <where and what, from the finding>
 *   <the rule's explanation>
 *   Fixes: <12 hex> ("<subject>")     the commit that last wrote the line
 *   Signed-off-by: <from>             only with --signoff
 *
 * The prefix is the most common "prefix:" of the recent commits touching
 * the file; without git history it is guessed from the path.
 */
struct mail_opts {
	const char *dir;	/* where the mails go */
	const char *root;	/* the tree; a git work tree if 'git' */
	bool git;
	const char *rev;	/* history as of REV; NULL: the work tree */
	char *from;		/* "Name <address>" */
	bool signoff;
	const struct rulepack *rp;
	/*
	 * gate: the merge base the change under review starts from.  The
	 * mails say "base-commit: <it>" and name the change's commits as
	 * "prerequisite-patch-id:", as git format-patch --base=<it> does
	 * for a patch on top of them; NULL: the base is REV (or HEAD).
	 */
	const char *upstream;
	bool cc_maintainers;	/* Cc: from the tree's get_maintainer.pl */
	/* settled by mail_write_all() */
	char *base_commit;
	struct strlist prereqs;
};

/*
 * Settle the author: FROM (--from) or the tree's git config user.  Dies
 * (exit 2) if there is none or FROM is not "Name <address>".
 */
void mail_opts_init(struct mail_opts *o, const char *dir, const char *root,
		    const char *rev, const char *from, bool signoff,
		    const struct rulepack *rp);
void mail_opts_release(struct mail_opts *o);

/*
 * Write one mail per finding with a patch into o->dir (created if missing)
 * as NNNN-<subject>.patch; the mails fixing a file in common are a series
 * after its cover letter, NNNN-cover-letter.patch.  Returns the number of
 * files written, or -1 after printing an error.
 */
int mail_write_all(struct mail_opts *o, const struct ccg_findings *list);

/*
 * --cc-maintainers runs the tree's scripts/get_maintainer.pl, code that
 * comes with the tree: only if the tree is ours (owned by the user, the
 * script a regular file no one else may write) and, for gate, the change
 * under review leaves the script as it was at o->upstream.  Dies (exit 2)
 * with the reason otherwise.
 */
void mail_check_trust(const struct mail_opts *o);

/* Format the mail of F into OUT (exposed for the unit tests). */
void mail_format(struct strbuf *out, const struct mail_opts *o,
		 const struct ccg_finding *f);

/* The most common "prefix:" of SUBJECTS (one a line), or NULL. */
char *mail_common_prefix(const char *subjects);
/* A subsystem prefix guessed from a path: arch/x86/virt/hw.c -> x86/virt. */
char *mail_path_prefix(const char *relpath);

#endif
