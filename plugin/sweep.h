/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_SWEEP_H
#define CCGATE_SWEEP_H

#include "analyze.h"
#include "report.h"

struct ccg_sweep {
	struct strlist files;		/* candidates, relative, sorted */
	struct ccg_file_result *results;
	size_t nr_results;
	struct ccg_findings findings;
	struct ccg_run_stats stats;
	bool collect_only;		/* find the candidates, parse none */
};

/*
 * Walk ROOT (symlinks are not followed), keep .c/.h files in scope of an
 * enabled rule, read each once for the rules' trigger tokens, parse the
 * candidates in the worker pool and merge the findings in a deterministic
 * order.  Returns -1 after printing an error if ROOT cannot be read.
 */
int sweep_run(const struct ccg_ctx *ctx, struct ccg_sweep *sw, bool progress);
/* The second half of sweep_run(): parse sw->files (relative, in order). */
void sweep_parse(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
		 bool progress);
void sweep_release(struct ccg_sweep *sw);
/* Would the sweep parse RELPATH with this TEXT: in scope, with a trigger? */
bool sweep_wants(const struct ccg_ctx *ctx, const char *relpath,
		 const char *text, size_t len);

#endif
