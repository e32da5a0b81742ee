/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_SWEEP_H
#define CCGATE_SWEEP_H

#include "analyze.h"
#include "kconfig.h"
#include "report.h"
#include "sites.h"

struct ccg_sweep {
	struct strlist files;		/* candidates, relative, sorted */
	struct ccg_file_result *results;
	size_t nr_results;
	struct ccg_findings findings;
	struct ccg_site_summary sites;	/* merged over the units */
	struct ccg_run_stats stats;
	bool collect_only;		/* find the candidates, parse none */
	struct ccg_kconfig kconfig;	/* the configuration parsed under */
	struct strlist gen_path, gen_text;	/* parse_generate_programs() */
};

/* The live progress line of a sweep on a terminal. */
struct sweep_progress {
	double start, parse_start;	/* CLOCK_MONOTONIC s; parse_start: scan end */
	size_t files, scanned;		/* in scope, read by the prefilter */
	size_t candidates, parsed, findings;
	size_t parsed0;			/* parsed when the scan ended */
	size_t width;			/* of the longest line drawn */
};

/* Draw the line on stderr; LAST ends it with a newline. */
void sweep_progress_show(struct sweep_progress *p, bool last);

/*
 * Walk ROOT (symlinks are not followed), keep .c/.h files in scope of an
 * enabled rule, read each once for the rules' trigger tokens in ctx->jobs
 * threads, parse the candidates in the worker pool as they are found and
 * merge the findings in a deterministic order.  sw->results has one entry per candidate and
 * per file the prefilter could not read (failed, with the reason).
 * PROGRESS, if not NULL, is drawn as the sweep goes.
 */
int sweep_run(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
	      struct sweep_progress *progress);
/* Parse sw->files (relative, in order), as gate does with changed files. */
void sweep_parse(const struct ccg_ctx *ctx, struct ccg_sweep *sw);
void sweep_release(struct ccg_sweep *sw);
/* Would the sweep parse RELPATH with this TEXT: in scope, and wanted? */
bool sweep_wants(const struct ccg_ctx *ctx, const char *relpath,
		 const char *text, size_t len);
/*
 * Or, for a .c file sweep_wants() passes over, does TEXT name a macro test
 * (ccg_macro_tests()) of TESTS[rule] (may be NULL) or of a header it
 * #includes itself (ccg_include_tests(), OV's text first)?  What gate and
 * patch ask of a changed file: the sweep's second pass looks for the
 * headers' macro tests in the whole tree instead.
 */
bool sweep_wants_macro_user(const struct ccg_ctx *ctx, const struct overlay *ov,
			    const char *relpath, const char *text, size_t len,
			    const struct strlist *tests);

#endif
