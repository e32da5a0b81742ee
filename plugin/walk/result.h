/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RESULT_H
#define CCGATE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "unit.h"

/*
 * What analyzing one file gives: its status, the findings of its unit's
 * walk, the trigger sites (sites.h), the predicates other units may call
 * and the calls to theirs (the sweep's second pass), and the texts the
 * patches were computed from.  Made by a worker (drivers/analyze.c), sent
 * back over the pipe (drivers/wire.c), read by the fixes and the reports.
 */
enum ccg_file_status {
	CCG_FILE_PARSED,
	CCG_FILE_INCOMPLETE,
	CCG_FILE_FAILED,
	CCG_FILE_SKIPPED,
	CCG_FILE_RULED_OUT,	/* a candidate whose text cannot give a finding */
};

/* A file a patch changes, as the parser read it: what --apply checks. */
struct ccg_preimage {
	char *relpath;
	size_t size;
	uint64_t hash;		/* udiff_hash() of the contents */
};

struct ccg_file_result {
	char *relpath;
	enum ccg_file_status status;
	char *reason;		/* for incomplete, failed and skipped */
	unsigned nr_errors;	/* libclang errors after translation */
	bool slim_retry;	/* parsed again with every header whole */
	struct ccg_findings findings;
	struct ccg_preimage *pre;	/* of every file the patches touch */
	size_t nr_pre, alloc_pre;
	struct ccg_site_file *sites;	/* trigger sites, per file */
	size_t nr_sites, alloc_sites;
	struct ccg_xpred *xpreds;	/* predicates callable from elsewhere */
	size_t nr_xpreds, alloc_xpreds;
	struct ccg_xcall *xcalls;	/* calls to predicates of other files */
	size_t nr_xcalls, alloc_xcalls;
};

const char *ccg_file_status_name(enum ccg_file_status s);
/* The status NAME names; an unknown name is a failure. */
enum ccg_file_status ccg_file_status_parse(const char *name);
/* Record the text a patch of RES was computed from (once per file). */
void file_result_add_preimage(struct ccg_file_result *res,
			      const char *relpath, size_t size, uint64_t hash);
/* The preimage of RELPATH among RESULTS, or NULL if no patch touched it. */
const struct ccg_preimage *file_results_preimage(const struct ccg_file_result *r,
						 size_t n, const char *relpath);
void file_result_release(struct ccg_file_result *r);

#endif
