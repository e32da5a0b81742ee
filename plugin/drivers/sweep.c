// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tree sweep: list, prefilter, parse.
 *
 * The listing names the .c/.h files in scope of an enabled rule (one readdir
 * per directory, d_type instead of a stat per entry).  The prefilter reads
 * each listed file once in -j threads and queues the files naming a trigger
 * token of an enabled rule; the worker pool parses them while the scan
 * goes on, since reading from the page cache leaves cores idle.  The
 * scanners never touch libclang; the pool's workers are exec'd, never
 * forked beside them (pool.c), so no worker inherits a lock they hold.
 *
 * A .c file that other .c files #include (6.12's shared.c, by core.c and
 * the boot stub's sev.c) is analyzed in its includers' units, as the
 * compiler sees it, never alone: its types come from the includer.  The
 * scanners note every .c file's #include of a .c file, so .c candidates
 * are handed to the pool once the scan has seen the whole tree; headers
 * go as soon as they are found.
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
#include "kbuild.h"
#include "kconfig.h"
#include "parse.h"
#include "pool.h"
#include "registry.h"
#include "sites.h"
#include "xpred.h"
#include "treepath.h"
#include "banned.h"

/* How many files a scanner claims at once. */
#define SCAN_BATCH 32
/*
 * Larger files are not read to the end nor parsed (skipped, with the
 * reason): the largest .c/.h of 6.12 is a 24 MB register header, and a
 * hostile tree must not make the scan hold more.
 */
#define SCAN_MAX_FILE (64u << 20)

/* sc->state[] of a file; below 0: -errno of the read */
enum {
	SCAN_NONE,		/* nothing for the rules */
	SCAN_CANDIDATE,
	SCAN_BINARY,		/* a trigger, but NUL bytes: not C */
	SCAN_TOO_BIG,		/* over SCAN_MAX_FILE */
};

struct scan {
	const struct ccg_ctx *ctx;
	/* .c/.h names that are not regular files, and why they are skipped */
	struct strlist odd, odd_why;
	struct strlist files;		/* relative paths in scope, sorted */
	struct strlist kconfig;		/* the Kconfig files, for kconfig.h */
	int *state;			/* per file: 1 candidate, -errno */
	size_t *order;			/* file indices, in scan order */
	size_t hi;			/* scan order[next..hi) */
	size_t next;			/* next position to claim (atomic) */
	size_t done;			/* files scanned (atomic) */

	/* instead of ccg_wants_parse(): the second pass (xpred.h) */
	bool (*want)(void *data, const char *relpath, const char *text,
		     size_t len);
	void *want_data;

	pthread_mutex_t lock;		/* guards what follows */
	struct strlist incl;		/* .c files #included by ... */
	size_t *incl_by;		/* ... these file indices */
	size_t nr_incl_by, alloc_incl_by;
	size_t *queue;			/* candidates found, file indices */
	size_t nr_queue;
	/* per rule: the macros of candidates that hold its trigger, and
	 * those of them a header defines (the second pass looks for them) */
	struct strlist tests[CCG_RULE_NR], header_tests[CCG_RULE_NR];
	int running;			/* scanner threads not finished */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool out_of_scope(const struct ccg_ctx *ctx, const char *rel)
{
	if (tree_path_excluded(ctx->exclude, rel))
		return true;
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

static void list_dir(struct scan *sc, struct ccg_run_stats *st,
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
			       S_ISREG(sb.st_mode) ? DT_REG :
			       S_ISLNK(sb.st_mode) ? DT_LNK :
			       S_ISFIFO(sb.st_mode) ? DT_FIFO :
			       S_ISSOCK(sb.st_mode) ? DT_SOCK : DT_CHR;
		}
		if (type == DT_DIR) {
			list_dir(sc, st, abs, rel);
		} else if (!strncmp(de->d_name, "Kconfig", 7)) {
			if (type == DT_REG)
				strlist_push(&sc->kconfig, rel->buf);
		} else if (!is_source(de->d_name)) {
			continue;
		} else if (out_of_scope(sc->ctx, rel->buf)) {
			st->skipped_scope++;
		} else if (type == DT_REG) {
			strlist_push(&sc->files, rel->buf);
		} else {
			/* never opened: a FIFO would block, a device may act */
			strlist_push(&sc->odd, rel->buf);
			strlist_push(&sc->odd_why, type == DT_LNK ?
				     "a symbolic link, not followed (a target in the tree is swept where it is)" :
				     type == DT_FIFO ? "a FIFO, not a regular file" :
				     type == DT_SOCK ? "a socket, not a regular file" :
				     "a device or other special file, not a regular file");
		}
	}
	closedir(d);
	strbuf_setlen(abs, akeep);
	strbuf_setlen(rel, rkeep);
}

/*
 * Read a whole file into BUF (reused between files): 0, 1 if it is larger
 * than SCAN_MAX_FILE (BUF then holds only its start), -1 on error.
 */
static int read_into(struct strbuf *buf, int dirfd, const char *rel)
{
	/* O_NONBLOCK: a file swapped for a FIFO since the listing cannot block */
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return -1;
	strbuf_reset(buf);
	for (;;) {
		size_t room;
		ssize_t n;

		strbuf_grow(buf, 65536);
		room = buf->alloc - buf->len - 1;
		n = read(fd, buf->buf + buf->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return n < 0 ? -1 : 0;
		}
		buf->len += (size_t)n;
		buf->buf[buf->len] = '\0';
		if (buf->len > SCAN_MAX_FILE) {
			close(fd);
			return 1;
		}
		/*
		 * A short read of a regular file is its end: this spares the
		 * fstat() and the read() that returns 0, two of the five
		 * system calls per file of the scan.
		 */
		if ((size_t)n < room) {
			close(fd);
			return 0;
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The findings of every result, in a deterministic order, the trigger
 * sites merged over the units, and the stats.
 */
static void sweep_collect(const struct ccg_ctx *ctx, struct ccg_sweep *sw)
{
	for (size_t i = 0; i < sw->nr_results; i++)
		findings_move_unit(&sw->findings, &sw->results[i].findings,
				   sw->results[i].relpath);
	xpred_merge_notes(sw->results, sw->nr_results, &sw->findings);
	findings_sort_unique(&sw->findings);
	xpred_judge(sw->results, sw->nr_results, &sw->findings);
	sites_merge(ctx->rp, &ctx->unit, sw->results, sw->nr_results,
		    &sw->sites);
	sw->stats.results = sw->results;
	sw->stats.nr_results = sw->nr_results;
	/* nothing was parsed for --engine=cocci: no site was either */
	sw->stats.sites = sw->collect_only ? NULL : &sw->sites;
}

static int cmp_result(const void *a, const void *b)
{
	return strcmp(((const struct ccg_file_result *)a)->relpath,
		      ((const struct ccg_file_result *)b)->relpath);
}

static bool is_c(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && !strcmp(name + n - 2, ".c");
}

static bool is_header(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && !strcmp(name + n - 2, ".h");
}

/* Add to DST the names of SRC it does not hold. */
static void merge_new(struct strlist *dst, const struct strlist *src)
{
	for (size_t t = 0; t < src->nr; t++)
		if (!strlist_has(dst, src->v[t]))
			strlist_push(dst, src->v[t]);
}

/* Note which .c files the .c file I (PATH, BUF) #includes. */
static void scan_includes(struct scan *sc, size_t i, const struct strbuf *path,
			  const struct strbuf *buf, struct strlist *incs)
{
	size_t rlen = strlen(sc->ctx->unit.root);

	if (!is_c(sc->files.v[i]) || !memmem(buf->buf, buf->len, ".c\"", 3))
		return;
	strlist_release(incs);
	kbuild_c_includes(path->buf, buf->buf, buf->len, incs);
	for (size_t k = 0; k < incs->nr; k++) {
		char *real = realpath(incs->v[k], NULL);

		if (real && !strncmp(real, sc->ctx->unit.root, rlen) &&
		    real[rlen] == '/') {
			pthread_mutex_lock(&sc->lock);
			strlist_push(&sc->incl, real + rlen + 1);
			ALLOC_GROW(sc->incl_by, sc->nr_incl_by, sc->alloc_incl_by);
			sc->incl_by[sc->nr_incl_by++] = i;
			pthread_mutex_unlock(&sc->lock);
		}
		free(real);
	}
}

static void *scan_thread(void *arg)
{
	struct scan *sc = arg;
	struct strbuf buf = STRBUF_INIT, path = STRBUF_INIT;
	int dirfd = open(sc->ctx->unit.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dir_errno = errno;

	struct strlist incs = STRLIST_INIT;
	struct strlist tests[CCG_RULE_NR] = { STRLIST_INIT };

	for (;;) {
		size_t lo = __atomic_fetch_add(&sc->next, SCAN_BATCH,
					       __ATOMIC_RELAXED);
		size_t hi = lo + SCAN_BATCH;

		if (lo >= sc->hi)
			break;
		if (hi > sc->hi)
			hi = sc->hi;
		for (size_t k = lo; k < hi; k++) {
			size_t i = sc->order[k];
			int rd = dirfd < 0 ? -1 :
				 read_into(&buf, dirfd, sc->files.v[i]);

			if (dirfd < 0) {
				sc->state[i] = -dir_errno;
			} else if (rd < 0) {
				sc->state[i] = errno ? -errno : -EIO;
			} else if (rd > 0) {
				sc->state[i] = SCAN_TOO_BIG;
			} else if (strbuf_reset(&path),
				   strbuf_addf(&path, "%s/%s", sc->ctx->unit.root,
					       sc->files.v[i]),
				   (sc->want ? 0 : (scan_includes(sc, i, &path, &buf, &incs), 0)),
				   !(sc->want ? sc->want(sc->want_data, sc->files.v[i],
							 buf.buf, buf.len) :
				     ccg_wants_parse(sc->ctx, path.buf, buf.buf,
						     buf.len, false, NULL))) {
				continue;
			} else if (memchr(buf.buf, '\0', buf.len)) {
				sc->state[i] = SCAN_BINARY;
			} else {
				sc->state[i] = SCAN_CANDIDATE;
				if (!sc->want)
					ccg_macro_tests(sc->ctx, buf.buf, buf.len, tests);
				pthread_mutex_lock(&sc->lock);
				sc->queue[sc->nr_queue++] = i;
				for (int r = 0; r < CCG_RULE_NR; r++) {
					merge_new(&sc->tests[r], &tests[r]);
					if (is_header(sc->files.v[i]))
						merge_new(&sc->header_tests[r], &tests[r]);
					strlist_release(&tests[r]);
				}
				pthread_mutex_unlock(&sc->lock);
			}
		}
		__atomic_fetch_add(&sc->done, hi - lo, __ATOMIC_RELAXED);
	}
	if (dirfd >= 0)
		close(dirfd);
	strlist_release(&incs);
	strbuf_release(&buf);
	strbuf_release(&path);
	pthread_mutex_lock(&sc->lock);
	sc->running--;
	pthread_mutex_unlock(&sc->lock);
	return NULL;
}

/*
 * Scan order[FROM..TO) in NT threads.  With WAIT, this thread takes part
 * and returns when all is scanned; else the threads run on (sc->running
 * says how many) and are returned in TIDS for pthread_join().
 */
static void scan_start(struct scan *sc, size_t from, size_t to, int nt,
		       bool wait, pthread_t *tids, bool *started)
{
	sc->next = from;
	sc->hi = to;
	sc->running = nt;
	for (int i = wait; i < nt; i++) {
		started[i] = !pthread_create(&tids[i], NULL, scan_thread, sc);
		if (!started[i]) {
			pthread_mutex_lock(&sc->lock);
			sc->running--;
			pthread_mutex_unlock(&sc->lock);
		}
	}
	/* if no thread could start, scan here */
	if (wait || !sc->running) {
		if (!wait)
			sc->running++;
		scan_thread(sc);
	}
	if (wait)
		for (int i = 1; i < nt; i++)
			if (started[i])
				pthread_join(tids[i], NULL);
}

void sweep_progress_show(struct sweep_progress *p, bool last)
{
	struct strbuf line = STRBUF_INIT;
	double t = now_seconds() - p->start, eta = -1;

	if (p->parse_start == 0 && p->scanned && p->scanned < p->files) {
		eta = t / (double)p->scanned * (double)(p->files - p->scanned);
	} else if (p->parse_start != 0 && p->parsed > p->parsed0) {
		/* the rate since the scan ended: parses no longer share cores */
		double pt = now_seconds() - p->parse_start;

		eta = pt / (double)(p->parsed - p->parsed0) *
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

/*
 * The job for the candidate RELPATH: the file itself with the tree defaults,
 * or with --compdb the unit of the database that compiles it (or that
 * #includes it, for 6.12's shared.c) with its real flags.
 */
static void sweep_job(const struct ccg_ctx *ctx, struct pool_job *job,
		      char *relpath, struct ccg_run_stats *st)
{
	struct strbuf abs = STRBUF_INIT;
	const struct compdb_entry *e;

	strbuf_addf(&abs, "%s/%s", ctx->unit.root, relpath);
	job->relpath = relpath;
	e = ctx->compdb ? compdb_lookup(ctx->compdb, abs.buf) : NULL;
	if (e) {
		strbuf_reset(&abs);
		strbuf_addstr(&abs, e->source);
		job->args = &e->args;
		st->compdb_units++;
	}
	job->abspath = strbuf_detach(&abs);
}

/*
 * The pool's feed: header candidates as the scanners queue them, then,
 * once the scan is over, the units of the .c candidates: the file itself,
 * or, for a file other .c files #include, the outermost includers.
 */
struct sweep_feed {
	struct scan *sc;
	const struct ccg_ctx *ctx;
	struct ccg_run_stats *stats;
	struct pool_job *jobs;		/* per file index */
	struct ccg_file_result *res;	/* per file index */
	bool *queued;			/* per file index: a unit of the run */
	size_t *via;			/* per file index: its includer's + 1 */
	size_t *units;			/* file indices, in hand-out order */
	size_t nr_units, handed;
	size_t taken;			/* queue entries looked at */
	bool built;			/* the .c units are in units[] */
	struct sweep_progress *progress;
	double last;			/* when the line was last drawn */
};

/*
 * The reason a .c unit whose text cannot give a finding is not parsed:
 * what each enabled rule with a trigger there would need.
 */
static char *ruled_out_reason(const struct ccg_ctx *ctx, const char *text,
			      size_t len)
{
	struct strbuf why = STRBUF_INIT;

	strbuf_addstr(&why, "its text cannot give a finding");
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = ctx->rp->rules[r];
		const struct ccg_engine *e = ccg_engine_get(r);

		if (!ctx->unit.enabled[r] || !e->text_needs ||
		    !mem_has_any(text, len, rule->triggers, rule->triggers_count))
			continue;
		strbuf_addf(&why, "%s %s needs %s", why.len > 31 ? ";" : ":",
			    rule->id, e->text_needs);
	}
	return strbuf_detach(&why);
}

/*
 * Parse the .c unit I only if a finding is possible in its own text
 * (ccg_wants_parse()'s second question, with the tree's macro tests): KVM's
 * x86.c and cpuid.c name X86_FEATURE_SVM only as guest CPUID, and their
 * headers are the costliest parse of the sweep.  Otherwise its result is
 * made here: ruled out, with the reason; the parent lists its sites.
 */
static bool feed_rule_out(struct sweep_feed *f, size_t i)
{
	struct strbuf abs = STRBUF_INIT, text = STRBUF_INIT;
	struct ccg_file_result *r = &f->res[i];
	bool out = false;

	strbuf_addf(&abs, "%s/%s", f->ctx->unit.root, f->sc->files.v[i]);
	if (!f->ctx->unit.parse_every &&
	    strbuf_read_file(&text, abs.buf) >= 0 &&
	    !ccg_wants_parse(f->ctx, abs.buf, text.buf, text.len, true,
			     f->sc->tests)) {
		r->relpath = xstrdup(f->sc->files.v[i]);
		r->status = CCG_FILE_RULED_OUT;
		r->reason = ruled_out_reason(f->ctx, text.buf, text.len);
		out = true;
	}
	strbuf_release(&abs);
	strbuf_release(&text);
	return out;
}

static void feed_unit(struct sweep_feed *f, size_t i)
{
	if (f->queued[i])
		return;
	f->queued[i] = true;
	if (is_c(f->sc->files.v[i]) && feed_rule_out(f, i))
		return;
	f->units[f->nr_units++] = i;
}

static bool ruled_out(const struct sweep_feed *f, size_t i)
{
	return f->res[i].status == CCG_FILE_RULED_OUT;
}

/* The first other file that #includes file I, as an index, or -1. */
static long includer_of(const struct scan *sc, size_t i, size_t from,
			size_t *next)
{
	for (size_t k = from; k < sc->incl.nr; k++)
		if (sc->incl_by[k] != i &&
		    !strcmp(sc->incl.v[k], sc->files.v[i])) {
			*next = k + 1;
			return (long)sc->incl_by[k];
		}
	return -1;
}

static void feed_build(struct sweep_feed *f)
{
	struct scan *sc = f->sc;

	for (size_t q = 0; q < sc->nr_queue; q++) {
		size_t i = sc->queue[q], next = 0;
		long inc = includer_of(sc, i, 0, &next);

		if (inc < 0) {
			feed_unit(f, i);
			continue;
		}
		for (; inc >= 0; inc = includer_of(sc, i, next, &next)) {
			size_t top = (size_t)inc, n2;
			long up;

			/* a.c includes b.c includes c.c: a.c is the unit */
			for (int depth = 0; depth < 8 &&
			     (up = includer_of(sc, top, 0, &n2)) >= 0 &&
			     (size_t)up != i; depth++)
				top = (size_t)up;
			feed_unit(f, top);
			/* an includer that is parsed, if there is one */
			if (!f->via[i] || (ruled_out(f, f->via[i] - 1) &&
					   !ruled_out(f, top)))
				f->via[i] = top + 1;
		}
	}
	f->built = true;
}

static void feed_progress(struct sweep_feed *f, bool scanning, bool force)
{
	struct sweep_progress *p = f->progress;
	double t = now_seconds();

	if (!p || (!force && t - f->last < 0.2))
		return;
	f->last = t;
	p->scanned = __atomic_load_n(&f->sc->done, __ATOMIC_RELAXED);
	p->candidates = f->sc->nr_queue;	/* a torn read only misdraws */
	if (!scanning && !p->parse_start) {
		p->parse_start = t;
		p->parsed0 = p->parsed;
	}
	sweep_progress_show(p, false);
}

static int feed_next(void *data, const struct pool_job **job, size_t *id)
{
	struct sweep_feed *f = data;
	struct scan *sc = f->sc;
	bool scanning;
	size_t i;

	pthread_mutex_lock(&sc->lock);
	scanning = sc->running > 0;
	for (; f->taken < sc->nr_queue; f->taken++) {
		i = sc->queue[f->taken];
		if (!is_c(sc->files.v[i]))
			feed_unit(f, i);
	}
	pthread_mutex_unlock(&sc->lock);
	if (!scanning && !f->built)
		feed_build(f);
	feed_progress(f, scanning, false);
	if (f->handed >= f->nr_units)
		return f->built ? -1 : 0;
	i = f->units[f->handed++];
	if (!f->jobs[i].abspath)
		sweep_job(f->ctx, &f->jobs[i], sc->files.v[i], f->stats);
	*job = &f->jobs[i];
	*id = i;
	return 1;
}

static void feed_done(void *data, size_t id, struct ccg_file_result *res)
{
	struct sweep_feed *f = data;

	f->res[id] = *res;
	if (f->progress) {
		f->progress->parsed++;
		f->progress->findings += res->findings.nr;
	}
	feed_progress(f, true, true);
}

/*
 * The configuration of an unconfigured tree, unless --config gave one:
 * the tree's kconfig, with the rule pack's fragment (kconfig.h).
 */
static void sweep_config(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
			 const struct scan *sc, struct ccg_ctx *pctx)
{
	struct strbuf frag = STRBUF_INIT;

	parse_generate_programs(ctx->unit.root, &sw->gen_path, &sw->gen_text);
	pctx->gen_path = &sw->gen_path;
	pctx->gen_text = &sw->gen_text;
	if (ctx->autoconf) {
		sw->stats.config = "--config";
		return;
	}
	strbuf_addf(&frag, "%s/x86_64.config", ctx->rp->dir ? ctx->rp->dir : "rules");
	kconfig_for_tree(&sw->kconfig, ctx->unit.root, frag.buf, &sc->kconfig);
	strbuf_release(&frag);
	if (sw->kconfig.warning)
		warning("%s; parsing with every CONFIG_ symbol a file names",
			sw->kconfig.warning);
	pctx->autoconf = sw->kconfig.autoconf;
	sw->stats.config = sw->kconfig.origin;
}

/*
 * A header's sites that its own unit could not analyze (an #if only an
 * includer turns on, say) may be analyzed in a .c unit that was ruled out:
 * the text of the .c file says nothing of what its headers hold.  Then the
 * ruled-out units are parsed after all, so the speed-up never costs a site.
 * On Debian's trees no header site is left so, and this parses nothing.
 */
static bool header_sites_left(const struct ccg_sweep *sw)
{
	for (size_t i = 0; i < sw->nr_results; i++) {
		const struct ccg_file_result *r = &sw->results[i];

		if (is_c(r->relpath))
			continue;
		for (size_t f = 0; f < r->nr_sites; f++)
			for (size_t k = 0; r->sites[f].all && k < r->sites[f].nr; k++)
				if (r->sites[f].v[k].reason &&
				    site_may_be_live(r->sites[f].v[k].reason))
					return true;
	}
	return false;
}

static void sweep_rescue(const struct ccg_ctx *pctx, struct ccg_sweep *sw)
{
	struct pool_job *jobs;
	struct ccg_file_result *res;
	size_t *at, n = 0;

	for (size_t i = 0; i < sw->nr_results; i++)
		n += sw->results[i].status == CCG_FILE_RULED_OUT;
	if (!n || !header_sites_left(sw))
		return;
	if (pctx->unit.verbose)
		ccg_report(stderr, NULL, 0, 0, CCG_SEV_NOTE, NULL,
			   "parsing the %zu unit%s ruled out by their text after all: a header's trigger site needs an includer's unit",
			   n, n == 1 ? "" : "s");
	jobs = xcalloc(n, sizeof(*jobs));
	res = xcalloc(n, sizeof(*res));
	at = xcalloc(n, sizeof(*at));
	n = 0;
	for (size_t i = 0; i < sw->nr_results; i++)
		if (sw->results[i].status == CCG_FILE_RULED_OUT) {
			at[n] = i;
			sweep_job(pctx, &jobs[n++], sw->results[i].relpath,
				  &sw->stats);
		}
	pool_run(pctx, jobs, n, res, NULL, NULL);
	for (size_t k = 0; k < n; k++) {
		file_result_release(&sw->results[at[k]]);
		sw->results[at[k]] = res[k];
		free(jobs[k].abspath);
	}
	free(jobs);
	free(res);
	free(at);
}

/* The candidates whose units were parsed, sorted: the second pass skips them. */
static void parsed_candidates(const struct ccg_sweep *sw, struct strlist *out)
{
	for (size_t i = 0, k = 0; i < sw->files.nr; i++) {
		while (k < sw->nr_results &&
		       strcmp(sw->results[k].relpath, sw->files.v[i]) < 0)
			k++;
		if (k < sw->nr_results &&
		    !strcmp(sw->results[k].relpath, sw->files.v[i]) &&
		    sw->results[k].status == CCG_FILE_RULED_OUT)
			continue;
		strlist_push(out, sw->files.v[i]);
	}
}

/*
 * The second pass (xpred.h): when the units found predicates that other
 * files may call, read the tree's .c files once more in NT threads for
 * their names and parse those that name one as extra units.  A result of
 * a file parsed already is replaced (the new unit saw the same and the
 * calls besides); the others are added.
 */
static void sweep_callers(const struct ccg_ctx *pctx, struct ccg_sweep *sw,
			  const struct scan *first, int nt, pthread_t *tids,
			  bool *started)
{
	struct xpred_plan plan;
	struct ccg_ctx ctx2 = *pctx;
	struct scan sc;
	struct pool_job *jobs;
	struct ccg_file_result *res;
	struct strlist parsed = STRLIST_INIT;
	size_t nc = 0, k;

	parsed_candidates(sw, &parsed);
	if (!xpred_plan_init(&plan, pctx->rp, sw->results, sw->nr_results,
			     &parsed, first->header_tests)) {
		xpred_plan_release(&plan);
		strlist_release(&parsed);
		return;
	}
	memset(&sc, 0, sizeof(sc));
	sc.ctx = pctx;
	sc.files = first->files;	/* borrowed */
	sc.want = xpred_wants;
	sc.want_data = &plan;
	sc.state = xcalloc(sc.files.nr + 1, sizeof(*sc.state));
	sc.queue = xcalloc(sc.files.nr + 1, sizeof(*sc.queue));
	sc.order = xcalloc(sc.files.nr + 1, sizeof(*sc.order));
	for (size_t i = 0; i < sc.files.nr; i++)
		if (is_c(sc.files.v[i]))
			sc.order[nc++] = i;
	pthread_mutex_init(&sc.lock, NULL);
	scan_start(&sc, 0, nc, nt, true, tids, started);
	pthread_mutex_destroy(&sc.lock);

	jobs = xcalloc(sc.nr_queue + 1, sizeof(*jobs));
	res = xcalloc(sc.nr_queue + 1, sizeof(*res));
	for (size_t i = 0, n = 0; i < sc.files.nr; i++)
		if (sc.state[i] == SCAN_CANDIDATE)
			sweep_job(pctx, &jobs[n++], sc.files.v[i], &sw->stats);
	ctx2.xpreds = &plan.externs;
	pool_run(&ctx2, jobs, sc.nr_queue, res, NULL, NULL);
	sw->stats.caller_units = sc.nr_queue;
	sw->stats.xpreds = plan.names.nr;
	sw->results = xrealloc(sw->results, (sw->nr_results + sc.nr_queue + 1) *
			       sizeof(*sw->results));
	for (size_t i = 0; i < sc.nr_queue; i++) {
		for (k = 0; k < sw->nr_results; k++)
			if (!strcmp(sw->results[k].relpath, res[i].relpath))
				break;
		if (k < sw->nr_results)
			file_result_release(&sw->results[k]);
		else
			sw->nr_results++;
		sw->results[k] = res[i];
		free(jobs[i].abspath);
	}
	qsort(sw->results, sw->nr_results, sizeof(*sw->results), cmp_result);
	free(jobs);
	free(res);
	free(sc.state);
	free(sc.queue);
	free(sc.order);
	xpred_plan_release(&plan);
	strlist_release(&parsed);
}

/* The tree's files, sorted, and the order the scanner reads them in. */
static void scan_list(struct scan *sc, struct ccg_sweep *sw)
{
	struct strbuf abs = STRBUF_INIT, rel = STRBUF_INIT;
	size_t k = 0;

	strbuf_addstr(&abs, sc->ctx->unit.root);
	list_dir(sc, &sw->stats, &abs, &rel);
	strbuf_release(&abs);
	strbuf_release(&rel);
	qsort(sc->files.v, sc->files.nr, sizeof(*sc->files.v), cmp_str);
	sc->state = xcalloc(sc->files.nr + 1, sizeof(*sc->state));
	sc->queue = xcalloc(sc->files.nr + 1, sizeof(*sc->queue));
	sc->order = xcalloc(sc->files.nr + 1, sizeof(*sc->order));
	/*
	 * Scan order: arch/x86 (the only architecture ccgate parses for,
	 * where candidates cluster, so the pool has work early), then the
	 * rest.
	 */
	for (size_t i = 0; i < sc->files.nr; i++)
		if (!strncmp(sc->files.v[i], "arch/x86/", 9))
			sc->order[k++] = i;
	for (size_t i = 0; i < sc->files.nr; i++)
		if (strncmp(sc->files.v[i], "arch/x86/", 9))
			sc->order[k++] = i;
}

static void scan_release(struct scan *sc)
{
	strlist_release(&sc->files);
	strlist_release(&sc->kconfig);
	strlist_release(&sc->incl);
	for (int r = 0; r < CCG_RULE_NR; r++) {
		strlist_release(&sc->tests[r]);
		strlist_release(&sc->header_tests[r]);
	}
	free(sc->incl_by);
	strlist_release(&sc->odd);
	strlist_release(&sc->odd_why);
	pthread_mutex_destroy(&sc->lock);
	free(sc->state);
	free(sc->queue);
	free(sc->order);
}

static void feed_init(struct sweep_feed *feed, struct scan *sc,
		      struct ccg_sweep *sw, struct sweep_progress *progress)
{
	size_t n = sc->files.nr + 1;

	memset(feed, 0, sizeof(*feed));
	feed->sc = sc;
	feed->ctx = sc->ctx;
	feed->stats = &sw->stats;
	feed->jobs = xcalloc(n, sizeof(*feed->jobs));
	feed->res = xcalloc(n, sizeof(*feed->res));
	feed->queued = xcalloc(n, sizeof(*feed->queued));
	feed->via = xcalloc(n, sizeof(*feed->via));
	feed->units = xcalloc(n, sizeof(*feed->units));
	feed->progress = progress;
}

static void feed_release(struct sweep_feed *feed)
{
	free(feed->jobs);
	free(feed->res);
	free(feed->queued);
	free(feed->via);
	free(feed->units);
}

/* The result of file I into R, if it has one; true if it does. */
static bool file_result_of(const struct ccg_sweep *sw, const struct scan *sc,
			   const struct sweep_feed *feed, size_t i,
			   struct ccg_file_result *r)
{
	struct strbuf why = STRBUF_INIT;
	int state = sc->state[i];

	if (state == SCAN_CANDIDATE && sw->collect_only)
		return false;
	if (state == SCAN_CANDIDATE && feed->via[i]) {
		const struct ccg_file_result *u = &feed->res[feed->via[i] - 1];

		/* its findings are in its includer's result */
		r->relpath = xstrdup(sc->files.v[i]);
		r->status = u->status;
		r->nr_errors = u->nr_errors;
		strbuf_addf(&why, "%s the unit of '%s', which #includes it%s%s",
			    u->status == CCG_FILE_RULED_OUT ?
			    "ruled out with" : "analyzed in",
			    sc->files.v[feed->via[i] - 1],
			    u->reason ? ": " : "", u->reason ? u->reason : "");
		r->reason = strbuf_detach(&why);
	} else if (state == SCAN_CANDIDATE || feed->queued[i]) {
		*r = feed->res[i];
	} else if (state == SCAN_BINARY || state == SCAN_TOO_BIG) {
		r->relpath = xstrdup(sc->files.v[i]);
		r->status = CCG_FILE_SKIPPED;
		r->reason = xstrdup(state == SCAN_BINARY ?
			"names a trigger but holds NUL bytes: not C source" :
			"larger than 64 MiB: not read to the end, not parsed");
	} else if (state < 0) {
		strbuf_addf(&why, "cannot read the file: %s", strerror(-state));
		r->relpath = xstrdup(sc->files.v[i]);
		r->status = CCG_FILE_FAILED;
		r->reason = strbuf_detach(&why);
	} else {
		return false;
	}
	return true;
}

/*
 * One result per candidate, per file not read (failed) and per file
 * skipped on purpose, in path order.
 */
static void sweep_results(struct ccg_sweep *sw, const struct scan *sc,
			  const struct sweep_feed *feed)
{
	size_t nr = 0, k = 0;

	for (size_t i = 0; i < sc->files.nr; i++) {
		if (sc->state[i] == SCAN_CANDIDATE)
			strlist_push(&sw->files, sc->files.v[i]);
		if (sc->state[i] >= 0)
			sw->stats.scanned++;
		nr += sc->state[i] != SCAN_NONE || feed->queued[i];
	}
	sw->stats.candidates = sw->files.nr;
	sw->results = xcalloc(nr + sc->odd.nr + 1, sizeof(*sw->results));
	for (size_t i = 0; i < sc->files.nr; i++) {
		k += file_result_of(sw, sc, feed, i, &sw->results[k]);
		free(feed->jobs[i].abspath);
	}
	for (size_t i = 0; i < sc->odd.nr; i++, k++) {
		sw->results[k].relpath = xstrdup(sc->odd.v[i]);
		sw->results[k].status = CCG_FILE_SKIPPED;
		sw->results[k].reason = xstrdup(sc->odd_why.v[i]);
	}
	sw->nr_results = k;
	if (sc->odd.nr)
		qsort(sw->results, k, sizeof(*sw->results), cmp_result);
}

int sweep_run(const struct ccg_ctx *ctx, struct ccg_sweep *sw,
	      struct sweep_progress *progress)
{
	int nt = ctx->jobs > 0 ? ctx->jobs : 1;
	pthread_t *tids = xcalloc((size_t)nt, sizeof(*tids));
	bool *started = xcalloc((size_t)nt, sizeof(*started));
	struct sweep_feed feed;
	struct pool_feed pf = { feed_next, feed_done, &feed };
	struct ccg_ctx pctx;
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	sc.ctx = ctx;
	pthread_mutex_init(&sc.lock, NULL);
	if (progress)
		progress->start = now_seconds();
	scan_list(&sc, sw);
	if (progress)
		progress->files = sc.files.nr;
	feed_init(&feed, &sc, sw, progress);
	pctx = *ctx;
	if (sw->collect_only) {
		scan_start(&sc, 0, sc.files.nr, nt, true, tids, started);
	} else {
		sweep_config(ctx, sw, &sc, &pctx);
		/* the tree is parsed while it is scanned */
		scan_start(&sc, 0, sc.files.nr, nt, false, tids, started);
		pool_drive(&pctx, &pf);
		for (int i = 0; i < nt; i++)
			if (started[i])
				pthread_join(tids[i], NULL);
	}
	sweep_results(sw, &sc, &feed);
	if (!sw->collect_only) {
		sweep_rescue(&pctx, sw);
		sweep_callers(&pctx, sw, &sc, nt, tids, started);
	}
	sweep_collect(ctx, sw);
	if (progress) {
		progress->scanned = sc.files.nr;
		progress->candidates = sw->files.nr;
		progress->findings = sw->findings.nr;
		sweep_progress_show(progress, true);
	}
	feed_release(&feed);
	scan_release(&sc);
	free(tids);
	free(started);
	return 0;
}

void sweep_release(struct ccg_sweep *sw)
{
	for (size_t i = 0; i < sw->nr_results; i++)
		file_result_release(&sw->results[i]);
	free(sw->results);
	strlist_release(&sw->files);
	findings_release(&sw->findings);
	kconfig_release(&sw->kconfig);
	strlist_release(&sw->gen_path);
	strlist_release(&sw->gen_text);
	site_summary_release(&sw->sites);
	memset(sw, 0, sizeof(*sw));
}

void sweep_parse(const struct ccg_ctx *ctx, struct ccg_sweep *sw)
{
	struct pool_job *jobs;

	sw->stats.candidates = sw->files.nr;
	jobs = xcalloc(sw->files.nr + 1, sizeof(*jobs));
	sw->results = xcalloc(sw->files.nr + 1, sizeof(*sw->results));
	sw->nr_results = sw->files.nr;
	for (size_t i = 0; i < sw->files.nr; i++)
		sweep_job(ctx, &jobs[i], sw->files.v[i], &sw->stats);
	pool_run(ctx, jobs, sw->files.nr, sw->results, NULL, NULL);
	for (size_t i = 0; i < sw->files.nr; i++)
		free(jobs[i].abspath);
	free(jobs);
	sweep_collect(ctx, sw);
}

bool sweep_wants_macro_user(const struct ccg_ctx *ctx, const struct overlay *ov,
			    const char *relpath, const char *text, size_t len,
			    const struct strlist *tests)
{
	struct strlist mine[CCG_RULE_NR] = { STRLIST_INIT };
	bool want = false;

	if (!is_c(relpath) || out_of_scope(ctx, relpath))
		return false;
	ccg_include_tests(ctx, ov, relpath, text, len, true, mine);
	want = ccg_names_test(ctx, relpath, text, len, mine) ||
	       (tests && ccg_names_test(ctx, relpath, text, len, tests));
	for (int r = 0; r < CCG_RULE_NR; r++)
		strlist_release(&mine[r]);
	return want;
}

bool sweep_wants(const struct ccg_ctx *ctx, const char *relpath,
		 const char *text, size_t len)
{
	struct strbuf abs = STRBUF_INIT;
	bool want;

	if (out_of_scope(ctx, relpath))
		return false;
	strbuf_addf(&abs, "%s/%s", ctx->unit.root, relpath);
	want = ccg_wants_parse(ctx, abs.buf, text, len, false, NULL);
	strbuf_release(&abs);
	return want;
}
