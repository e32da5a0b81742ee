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
 * What crosses the pipe to an exec'd worker (ccgate --worker): the run
 * context once, then one job per file.  A new field of struct ccg_ctx that
 * analyze_file() reads is added here, in ctx_to_json() and ctx_from_json(),
 * and nowhere else; the per-file data is job_to_json()/job_from_json().
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

#endif
