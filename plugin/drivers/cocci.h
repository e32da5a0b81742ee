/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_COCCI_H
#define CCGATE_COCCI_H

#include <stdbool.h>

#include "analyze.h"
#include "finding.h"
#include "rulepack.h"
#include "strbuf.h"

/* "clang", "cocci" or "both" (CCG_BACKEND_*); -1 for anything else. */
int ccg_backend_parse(const char *s, unsigned *backends);

/* Files a .cocci could not analyze, and why (one line each). */
struct cocci_failures {
	struct strlist files;		/* relative to the tree root */
	struct strlist reasons;
};

struct cocci_run {
	const struct ccg_ctx *ctx;	/* enabled rules, jobs, budgets, root */
	const struct strlist *files;	/* candidates, relative to the root */
	bool patches;			/* also run -D patch for the diffs */
	struct cocci_failures *failed;	/* filled, owned by the caller */
};

/*
 * The semantic patches: $CCGATE_COCCI, else the cocci/ directory beside the
 * rule pack's directory (rules/ next to the binary or in the source tree,
 * or $prefix/share/ccgate/rules).
 */
char *cocci_dir(const struct rulepack *rp);

/*
 * Run spatch (report mode, and patch mode if asked) with the .cocci file of
 * every enabled rule over RUN->files, in parallel with spatch's --jobs, and
 * append what it reports to OUT as findings of the cocci backend.  A missing
 * spatch or .cocci file is a usage error: one line on stderr, exit 2.  A
 * file spatch fails on, or that exceeds the time (spatch --timeout) or
 * memory budget, lands in RUN->failed; the other files are still analyzed.
 */
void cocci_sweep(const struct cocci_run *run, struct ccg_findings *out);

/*
 * Merge the findings of the two backends into CLANG: a finding both report
 * (same rule, place and message) is kept once with both backends; one that
 * only one backend reports gets a note saying so.
 */
void cocci_merge(struct ccg_findings *clang, struct ccg_findings *cocci);

#endif
