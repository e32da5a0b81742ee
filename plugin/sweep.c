// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tree sweep: walk, prefilter, parse.
 *
 * The walk lists the .c/.h files in scope of an enabled rule (one readdir
 * per directory, d_type instead of a stat per entry).  The prefilter reads
 * each listed file once in -j threads and keeps the files naming a trigger
 * token of an enabled rule; it never touches libclang, so threads are safe
 * here, and the threads are joined before the pool forks.  The candidates
 * are then parsed in the worker pool.
 */
#include "sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "parse.h"
#include "pool.h"
#include "registry.h"
#include "banned.h"

/* How many files a scanner claims at once. */
#define SCAN_BATCH 32

struct scan {
	const struct ccg_ctx *ctx;
	struct strlist triggers;	/* of the enabled rules, deduplicated */
	size_t *tlen;
	struct strlist files;		/* relative paths in scope */
	int *state;			/* per file: 1 candidate, -errno */
	size_t next;			/* next file to claim (atomic) */
	size_t done;			/* files scanned (atomic) */
	struct sweep_progress *progress;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool out_of_scope(const struct ccg_ctx *ctx, const char *rel)
{
	for (int r = 0; r < CCG_RULE_NR; r++)
		if (ctx->unit.enabled[r] && !rp_rule_excludes(ctx->rp->rules[r], rel))
			return false;
	return true;
}

static bool is_source(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h"));
}

static void walk_dir(struct scan *sc, struct ccg_run_stats *st,
		     struct strbuf *abs, struct strbuf *rel)
{
	size_t akeep = abs->len, rkeep = rel->len;
	struct dirent *de;
	DIR *d = opendir(abs->buf);

	if (!d)
		return;
	while ((de = readdir(d))) {
		unsigned char type = de->d_type;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		strbuf_setlen(abs, akeep);
		strbuf_addf(abs, "/%s", de->d_name);
		strbuf_setlen(rel, rkeep);
		if (rkeep)
			strbuf_addch(rel, '/');
		strbuf_addstr(rel, de->d_name);
		if (type == DT_UNKNOWN) {
			struct stat sb;

			if (lstat(abs->buf, &sb) < 0)
				continue;
			type = S_ISDIR(sb.st_mode) ? DT_DIR :
			       S_ISREG(sb.st_mode) ? DT_REG : DT_LNK;
		}
		if (type == DT_DIR) {
			walk_dir(sc, st, abs, rel);
		} else if (type == DT_REG && is_source(de->d_name)) {
			if (out_of_scope(sc->ctx, rel->buf))
				st->skipped_scope++;
			else
				strlist_push(&sc->files, rel->buf);
		}
	}
	closedir(d);
	strbuf_setlen(abs, akeep);
	strbuf_setlen(rel, rkeep);
}

static bool has_trigger(const struct scan *sc, const char *text, size_t len)
{
	for (size_t i = 0; i < sc->triggers.nr; i++)
		if (memmem(text, len, sc->triggers.v[i], sc->tlen[i]))
			return true;
	return false;
}

/* Read a whole file into BUF (reused between files); -1 on error. */
static int read_into(struct strbuf *buf, int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;

	if (fd < 0)
		return -1;
	strbuf_reset(buf);
	if (fstat(fd, &sb) == 0 && sb.st_size > 0)
		strbuf_grow(buf, (size_t)sb.st_size + 1);
	for (;;) {
		ssize_t n;

		strbuf_grow(buf, 65536);
		n = read(fd, buf->buf + buf->len, buf->alloc - buf->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return n < 0 ? -1 : 0;
		}
		buf->len += (size_t)n;
		buf->buf[buf->len] = '\0';
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_progress(struct scan *sc, double *last)
{
	struct sweep_progress *p = sc->progress;
	double t = now_seconds();

	if (!p || t - *last < 0.2)
		return;
	*last = t;
	p->scanned = __atomic_load_n(&sc->done, __ATOMIC_RELAXED);
	sweep_progress_show(p, false);
}

struct scanner {
	struct scan *sc;
	pthread_t tid;
	bool draws;		/* one thread draws, so lines never interleave */
};

static void *scan_thread(void *arg)
{
	struct scanner *me = arg;
	struct scan *sc = me->sc;
	struct strbuf buf = STRBUF_INIT;
	int dirfd = open(sc->ctx->unit.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dir_errno = errno;
	double last = now_seconds();

	for (;;) {
		size_t lo = __atomic_fetch_add(&sc->next, SCAN_BATCH,
					       __ATOMIC_RELAXED);
		size_t hi = lo + SCAN_BATCH;

		if (lo >= sc->files.nr)
			break;
		if (hi > sc->files.nr)
			hi = sc->files.nr;
		for (size_t i = lo; i < hi; i++) {
			if (dirfd < 0)
				sc->state[i] = -dir_errno;
			else if (read_into(&buf, dirfd, sc->files.v[i]) < 0)
				sc->state[i] = errno ? -errno : -EIO;
			else if (has_trigger(sc, buf.buf, buf.len))
				sc->state[i] = 1;
		}
		__atomic_fetch_add(&sc->done, hi - lo, __ATOMIC_RELAXED);
		if (me->draws)
			scan_progress(sc, &last);
	}
	if (dirfd >= 0)
		close(dirfd);
	strbuf_release(&buf);
	return NULL;
}

void sweep_progress_show(struct sweep_progress *p, bool last)
{
	struct strbuf line = STRBUF_INIT;
	double t = now_seconds() - p->start, eta = -1;

	if (p->parse_start == 0 && p->scanned && p->scanned < p->files) {
		eta = t / (double)p->scanned * (double)(p->files - p->scanned);
	} else if (p->parse_start != 0 && p->parsed) {
		double pt = now_seconds() - p->parse_start;

		eta = pt / (double)p->parsed *
		      (double)(p->candidates - p->parsed);
	}
	strbuf_addf(&line, "ccgate: scanned %zu/%zu files, parsed %zu/%zu candidates, %zu finding%s",
		    p->scanned, p->files, p->parsed, p->candidates, p->findings,
		    p->findings == 1 ? "" : "s");
	if (last)
		strbuf_addf(&line, ", %.1f s", t);
	else if (eta >= 0)
		strbuf_addf(&line, ", ETA %.0f s", eta + 0.5);
	/* pad over a longer previous line, then return to column 0 */
	fprintf(stderr, "\r%-*s%s", (int)p->width, line.buf, last ? "\n" : "");
	if (line.len > p->width)
		p->width = line.len;
	fflush(stderr);
	strbuf_release(&line);
}

static void parse_progress(size_t done, size_t total, size_t findings,
			   void *data)
{
	struct sweep_progress *p = data;

	p->parsed = done;
	p->findings = findings;
	sweep_progress_show(p, false);
}

static void collect_triggers(struct scan *sc)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = sc->ctx->rp->rules[r];

		if (!sc->ctx->unit.enabled[r])
			continue;
		for (unsigned i = 0; i < rule->triggers_count; i++)
			if (*rule->triggers[i] &&
			    !strlist_has(&sc->triggers, rule->triggers[i]))
				strlist_push(&sc->triggers, rule->triggers[i]);
	}
	sc->tlen = xcalloc(sc->triggers.nr + 1, sizeof(*sc->tlen));
	for (size_t i = 0; i < sc->triggers.nr; i++)
		sc->tlen[i] = strlen(sc->triggers.v[i]);
}

static void scan_files(struct scan *sc, int jobs)
{
	int nt = jobs > 0 ? jobs : 1;
	struct scanner *t;

	if ((size_t)nt > sc->files.nr / SCAN_BATCH + 1)
		nt = (int)(sc->files.nr / SCAN_BATCH + 1);
	t = xcalloc((size_t)nt, sizeof(*t));
	for (int i = 0; i < nt; i++) {
		t[i].sc = sc;
		t[i].draws = i == 0;
	}
	/* thread 0 is this one; if a thread cannot start, others do more */
	for (int i = 1; i < nt; i++)
		if (pthread_create(&t[i].tid, NULL, scan_thread, &t[i]))
			t[i].sc = NULL;
	scan_thread(&t[0]);
	for (int i = 1; i < nt; i++)
		if (t[i].sc)
			pthread_join(t[i].tid, NULL);
	free(t);
}

int sweep_run(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
	      struct sweep_progress *progress)
{
	struct strbuf abs = STRBUF_INIT, rel = STRBUF_INIT;
	struct scan sc;
	struct pool_job *jobs;
	struct ccg_file_result *parsed;
	struct strlist stub = STRLIST_INIT;
	struct ccg_ctx pctx;
	size_t nr = 0, k = 0;

	memset(&sc, 0, sizeof(sc));
	sc.ctx = ctx;
	sc.progress = progress;
	if (progress)
		progress->start = now_seconds();
	collect_triggers(&sc);
	strbuf_addstr(&abs, ctx->unit.root);
	walk_dir(&sc, &sw->stats, &abs, &rel);
	strbuf_release(&abs);
	strbuf_release(&rel);
	qsort(sc.files.v, sc.files.nr, sizeof(*sc.files.v), cmp_str);
	sc.state = xcalloc(sc.files.nr + 1, sizeof(*sc.state));
	if (progress)
		progress->files = sc.files.nr;
	scan_files(&sc, ctx->jobs);

	/* candidates are parsed; unreadable files are failed, never clean */
	for (size_t i = 0; i < sc.files.nr; i++) {
		if (sc.state[i] == 1)
			strlist_push(&sw->files, sc.files.v[i]);
		if (sc.state[i] >= 0)
			sw->stats.scanned++;
		nr += sc.state[i] != 0;
	}
	sw->stats.candidates = sw->files.nr;
	sw->results = xcalloc(nr + 1, sizeof(*sw->results));
	sw->nr_results = nr;
	jobs = xcalloc(sw->files.nr + 1, sizeof(*jobs));
	parsed = xcalloc(sw->files.nr + 1, sizeof(*parsed));
	for (size_t i = 0; i < sw->files.nr; i++) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", ctx->unit.root, sw->files.v[i]);
		jobs[i].abspath = strbuf_detach(&path);
		jobs[i].relpath = sw->files.v[i];
	}
	/* a parse context of our own: the diet depends on the candidates */
	pctx = *ctx;
	if (!ctx->all_headers) {
		parse_diet_stubs(&stub, ctx->unit.root, &sw->files);
		pctx.stub_headers = &stub;
	}
	if (progress) {
		progress->scanned = sc.files.nr;
		progress->candidates = sw->files.nr;
		progress->parse_start = now_seconds();
		sweep_progress_show(progress, false);
	}
	pool_run(&pctx, jobs, sw->files.nr, parsed,
		 progress ? parse_progress : NULL, progress);

	/* one result per file, in path order */
	for (size_t i = 0, c = 0; i < sc.files.nr; i++) {
		struct ccg_file_result *r = &sw->results[k];

		if (sc.state[i] == 1) {
			*r = parsed[c++];
			k++;
		} else if (sc.state[i] < 0) {
			struct strbuf why = STRBUF_INIT;

			strbuf_addf(&why, "cannot read the file: %s",
				    strerror(-sc.state[i]));
			r->relpath = xstrdup(sc.files.v[i]);
			r->status = CCG_FILE_FAILED;
			r->reason = strbuf_detach(&why);
			k++;
		}
	}
	for (size_t i = 0; i < sw->nr_results; i++)
		findings_move(&sw->findings, &sw->results[i].findings);
	for (size_t i = 0; i < sw->files.nr; i++)
		free(jobs[i].abspath);
	free(jobs);
	free(parsed);
	findings_sort_unique(&sw->findings);
	sw->stats.results = sw->results;
	sw->stats.nr_results = sw->nr_results;
	if (progress) {
		progress->findings = sw->findings.nr;
		sweep_progress_show(progress, true);
	}
	strlist_release(&stub);
	strlist_release(&sc.files);
	strlist_release(&sc.triggers);
	free(sc.tlen);
	free(sc.state);
	return 0;
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
