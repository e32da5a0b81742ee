/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_COMPARE_H
#define CCGATE_COMPARE_H

#include <stdbool.h>

#include "analyze.h"
#include "fingerprint.h"
#include "overlay.h"
#include "report.h"
#include "sweep.h"

struct ccg_cli;

/*
 * One side of a comparison (gate: base and HEAD; patch: the tree and the
 * patched tree): the tree under cli->root with the texts of OV in place of
 * (or added to) the files on disk.
 */
struct cmp_side {
	struct overlay ov;
	struct strlist files;		/* changed files, relative */
	struct ccg_sweep sw;		/* those the sweep would parse */
	struct fp_keys keys;		/* of sw.findings */
};

void cmp_side_init(struct cmp_side *s);
void cmp_side_release(struct cmp_side *s);
/* Set the text of RELPATH on this side (and list it as changed). */
void cmp_side_set(struct cmp_side *s, const char *root, const char *relpath,
		  const char *text, size_t len);
/* Analyze the changed .c/.h files of S in the worker pool. */
void cmp_side_run(struct ccg_cli *cli, struct cmp_side *s);

/*
 * Report what AFTER has and BEFORE has not ("new") and the reverse
 * ("resolved"), minus the accepted findings of --baseline, in cli->format;
 * write --format-patch mails of the new ones with history as of REV (NULL:
 * no git history).  Returns the exit status: 1 if a new finding is at or
 * above --fail-on (FAIL_ON by default), 2 on an output error, else 0.
 */
int cmp_report(struct ccg_cli *cli, struct cmp_side *before,
	       struct cmp_side *after, enum ccg_severity fail_on,
	       const char *rev, const char *what);

#endif
