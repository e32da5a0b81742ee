/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_WIRE_H
#define CCGATE_WIRE_H

#include <jansson.h>

#include "analyze.h"
#include "overlay.h"
#include "pool.h"
#include "rulepack.h"
#include "strbuf.h"

/*
 * What crosses the pipe to and from an exec'd worker (ccgate --worker): the
 * run context once, then one job per file, and one result per file back.  A
 * new field of struct ccg_ctx that analyze_file() reads is added here, in
 * ctx_to_json() and ctx_from_json(), and nowhere else; the per-file data is
 * job_to_json()/job_from_json(), and the result (findings with their fixes
 * as hunks, preimages, sites, cross-file records) file_result_to_json()/
 * file_result_from_json().
 */

/* What ctx_from_json() allocates; the context points into it. */
struct ctx_wire {
	struct rulepack rp;
	struct overlay overlay;
	struct strlist gen_path, gen_text;
	struct strlist xpreds;
	char *autoconf;
	char *root;
};

void ctx_wire_init(struct ctx_wire *w);
void ctx_wire_release(struct ctx_wire *w);

json_t *ctx_to_json(const struct ccg_ctx *ctx);
/* Fill CTX from O; 0, or -1 with one line in *ERR. */
int ctx_from_json(struct ccg_ctx *ctx, struct ctx_wire *w, json_t *o,
		  char **err);

/* What job_from_json() allocates. */
struct job_wire {
	struct pool_job job;
	struct strlist args;
};

json_t *job_to_json(const struct pool_job *job);
int job_from_json(struct job_wire *jw, json_t *o);
void job_wire_release(struct job_wire *jw);

json_t *file_result_to_json(const struct ccg_file_result *r);
/* Returns 0, or -1 if O is not a file's result. */
int file_result_from_json(struct ccg_file_result *r, json_t *o);

#endif
