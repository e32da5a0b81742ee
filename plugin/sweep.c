// SPDX-License-Identifier: GPL-2.0-only
#include "sweep.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "pool.h"
#include "registry.h"
#include "banned.h"

static bool out_of_scope(const struct ccg_ctx *ctx, const char *rel)
{
	for (int r = 0; r < CCG_RULE_NR; r++)
		if (ctx->unit.enabled[r] && !rp_rule_excludes(ctx->rp->rules[r], rel))
			return false;
	return true;
}

static void walk_dir(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
		     struct strbuf *rel)
{
	struct strbuf abs = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	DIR *d;
	size_t keep = rel->len;

	strbuf_addstr(&abs, ctx->unit.root);
	if (rel->len)
		strbuf_addf(&abs, "/%s", rel->buf);
	d = opendir(abs.buf);
	if (!d) {
		strbuf_release(&abs);
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, ".git"))
			strlist_push(&names, de->d_name);
	closedir(d);
	for (size_t i = 0; i < names.nr; i++) {
		struct strbuf path = STRBUF_INIT;
		struct stat st;
		const char *dot;

		strbuf_setlen(rel, keep);
		if (keep)
			strbuf_addch(rel, '/');
		strbuf_addstr(rel, names.v[i]);
		strbuf_addf(&path, "%s/%s", ctx->unit.root, rel->buf);
		if (lstat(path.buf, &st) < 0) {
			strbuf_release(&path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			strbuf_release(&path);
			walk_dir(ctx, sw, rel);
			continue;
		}
		dot = strrchr(names.v[i], '.');
		if (S_ISREG(st.st_mode) && dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h"))) {
			if (out_of_scope(ctx, rel->buf)) {
				sw->stats.skipped_scope++;
			} else {
				struct strbuf text = STRBUF_INIT;

				sw->stats.scanned++;
				if (!strbuf_read_file(&text, path.buf) &&
				    ccg_text_has_trigger(ctx, text.buf, text.len))
					strlist_push(&sw->files, rel->buf);
				strbuf_release(&text);
			}
		}
		strbuf_release(&path);
	}
	strbuf_setlen(rel, keep);
	strlist_release(&names);
	strbuf_release(&abs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show_progress(size_t done, size_t total, size_t findings, void *data)
{
	fprintf(stderr, "\rccgate: parsed %zu/%zu candidates, %zu findings ",
		done, total, findings);
	if (done == total)
		fputc('\n', stderr);
}

int sweep_run(const struct ccg_ctx *ctx, struct ccg_sweep *sw, bool progress)
{
	struct strbuf rel = STRBUF_INIT;

	strbuf_grow(&rel, 256);
	walk_dir(ctx, sw, &rel);
	strbuf_release(&rel);
	if (sw->files.nr)	/* no list at all without a candidate */
		qsort(sw->files.v, sw->files.nr, sizeof(*sw->files.v), cmp_str);
	sweep_parse(ctx, sw, progress);
	return 0;
}

void sweep_parse(const struct ccg_ctx *ctx, struct ccg_sweep *sw, bool progress)
{
	struct pool_job *jobs;

	sw->stats.candidates = sw->files.nr;
	jobs = xcalloc(sw->files.nr + 1, sizeof(*jobs));
	sw->results = xcalloc(sw->files.nr + 1, sizeof(*sw->results));
	sw->nr_results = sw->files.nr;
	for (size_t i = 0; i < sw->files.nr; i++) {
		struct strbuf abs = STRBUF_INIT;
		const struct compdb_entry *e;

		strbuf_addf(&abs, "%s/%s", ctx->unit.root, sw->files.v[i]);
		jobs[i].relpath = sw->files.v[i];
		/* a unit of the database, or the unit that #includes it */
		e = ctx->compdb ? compdb_lookup(ctx->compdb, abs.buf) : NULL;
		if (e) {
			strbuf_reset(&abs);
			strbuf_addstr(&abs, e->source);
			jobs[i].args = &e->args;
			sw->stats.compdb_units++;
		}
		jobs[i].abspath = strbuf_detach(&abs);
	}
	pool_run(ctx, jobs, sw->files.nr, sw->results,
		 progress ? show_progress : NULL, NULL);
	for (size_t i = 0; i < sw->files.nr; i++) {
		free(jobs[i].abspath);
		findings_move(&sw->findings, &sw->results[i].findings);
	}
	free(jobs);
	findings_sort_unique(&sw->findings);
	sw->stats.results = sw->results;
	sw->stats.nr_results = sw->nr_results;
}

void sweep_release(struct ccg_sweep *sw)
{
	for (size_t i = 0; i < sw->nr_results; i++)
		file_result_release(&sw->results[i]);
	free(sw->results);
	strlist_release(&sw->files);
	findings_release(&sw->findings);
	memset(sw, 0, sizeof(*sw));
}

bool sweep_wants(const struct ccg_ctx *ctx, const char *relpath,
		 const char *text, size_t len)
{
	return !out_of_scope(ctx, relpath) && ccg_text_has_trigger(ctx, text, len);
}
