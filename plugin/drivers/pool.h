/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_POOL_H
#define CCGATE_POOL_H

#include <stddef.h>

#include "analyze.h"

struct pool_job {
	char *abspath;
	char *relpath;
	const struct strlist *args;	/* NULL: kernel-tree defaults */
};

/* Called in the parent as each file finishes, in completion order. */
typedef void (*pool_progress_fn)(size_t done, size_t total, size_t findings,
				 void *data);

/*
 * Where pool_drive() takes its jobs and leaves its results.  next() returns
 * 1 with *JOB (which must outlive the run) and an ID of the caller's
 * choosing, 0 if no job is ready yet but more may come (it is asked again
 * within milliseconds), -1 when there will be no more.  done() receives
 * each result, in completion order, and owns it.  Both are called from the
 * calling thread only.
 */
struct pool_feed {
	int (*next)(void *data, const struct pool_job **job, size_t *id);
	void (*done)(void *data, size_t id, struct ccg_file_result *res);
	void *data;
};

/* Run the pool until FEED has no more jobs and every worker has finished. */
void pool_drive(const struct ccg_ctx *ctx, const struct pool_feed *feed);

/*
 * Parse JOBS in worker processes, at most ctx->jobs at a time, each file
 * with ctx->file_timeout seconds and ctx->file_memory bytes.  libclang
 * cannot be cancelled and its crash recovery is unreliable, so the workers
 * are processes (`ccgate --worker`, exec'd, kept across files): a crash, a
 * stack overflow or a budget exceeded costs that file, which is marked
 * failed with the reason, and the worker is replaced.  RESULTS[i] belongs
 * to JOBS[i].
 */
void pool_run(const struct ccg_ctx *ctx, const struct pool_job *jobs, size_t n,
	      struct ccg_file_result *results, pool_progress_fn progress,
	      void *data);

#endif
