// SPDX-License-Identifier: GPL-2.0-only
/*
 * The worker pool.  Workers are `ccgate --worker` processes started with
 * posix_spawn(), never a bare fork(): the sweep's prefilter threads run
 * while the pool works, and a forked child of a threaded process inherits
 * every lock another thread held (an allocator's, stdio's) with no thread
 * left to release it.  A worker keeps libclang loaded across files; it is
 * replaced when a file kills it or exceeds a budget.
 *
 * The pipe to a worker carries the run context once and then one JSON job
 * per line (wire.c); the pipe back one JSON result per line.  Over the time
 * budget, or over the memory budget (the worker's resident set, sampled
 * every 50 ms while it parses), a worker is killed and its file failed
 * with the reason.
 */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "wire.h"
#include "worker.h"
#include "banned.h"

extern char **environ;

struct worker {
	pid_t pid;
	int to, from;			/* job pipe, result pipe */
	const struct pool_job *job;	/* the file it parses, or NULL */
	size_t id;
	struct strbuf out;
	struct timespec start;
	bool timed_out, over_memory;
	uint64_t rss;			/* largest resident set seen, bytes */
};

/*
 * SIGINT/SIGTERM while workers run: the handler only records the signal;
 * the loop then kills the workers, reaps them and dies of the same signal,
 * so the shell sees 130/143 and no output has been written yet.
 */
static volatile sig_atomic_t pool_signal;

static void pool_on_signal(int sig)
{
	pool_signal = sig;
}

static void stop_workers(struct worker *w, int nw)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int sig = pool_signal;

	for (int i = 0; i < nw; i++)
		if (w[i].pid)
			kill(w[i].pid, SIGKILL);
	for (int i = 0; i < nw; i++)
		if (w[i].pid)
			while (waitpid(w[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
	sigaction(sig, &dfl, NULL);
	raise(sig);
	_exit(128 + sig);
}

static double elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) +
	       (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_json_line(int fd, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	int ret;

	if (!s)
		die_oom();
	ret = write_all(fd, s, strlen(s)) < 0 || write_all(fd, "\n", 1) < 0 ?
	      -1 : 0;
	free(s);
	return ret;
}

/* The resident set of PID in bytes, 0 if it cannot be read. */
static uint64_t rss_of(pid_t pid)
{
	char path[64], buf[128];
	unsigned long long size, res;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &size, &res) != 2)
		return 0;
	return (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void reap(struct worker *w, int *status, struct rusage *ru)
{
	if (w->to >= 0)
		close(w->to);
	if (w->from >= 0)
		close(w->from);
	w->to = w->from = -1;
	while (wait4(w->pid, status, 0, ru) < 0 && errno == EINTR)
		;
	w->pid = 0;
	strbuf_release(&w->out);
}

/* A fresh worker, given the run context (CTX_LINE); false if none starts. */
static bool spawn_worker(const char *ctx_line, struct worker *w)
{
	char *const argv[] = { "ccgate", "--worker", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int to[2], from[2], err;

	if (pipe2(to, O_CLOEXEC) < 0)
		return false;
	if (pipe2(from, O_CLOEXEC) < 0) {
		close(to[0]);
		close(to[1]);
		return false;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	err = posix_spawn(&w->pid, "/proc/self/exe", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(to[0]);
	close(from[1]);
	if (err) {
		close(to[1]);
		close(from[0]);
		w->pid = 0;
		errno = err;
		return false;
	}
	w->to = to[1];
	w->from = from[0];
	strbuf_init(&w->out);
	/* the worker reads the context first: this cannot block for long */
	if (write_all(w->to, ctx_line, strlen(ctx_line)) < 0) {
		int status;

		reap(w, &status, NULL);
		errno = EPIPE;
		return false;
	}
	return true;
}

/* Hand JOB to worker W, starting one if needed (or again if it just quit). */
static bool start_job(const char *ctx_line, const struct pool_job *job,
		      size_t id, struct worker *w)
{
	json_t *o = job_to_json(job);
	bool sent = false;

	for (int attempt = 0; attempt < 2 && !sent; attempt++) {
		if (!w->pid && !spawn_worker(ctx_line, w))
			break;
		sent = !write_json_line(w->to, o);
		if (!sent) {
			int status;

			reap(w, &status, NULL);
		}
	}
	json_decref(o);
	if (!sent)
		return false;
	w->job = job;
	w->id = id;
	w->timed_out = w->over_memory = false;
	w->rss = 0;
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	return true;
}

/* The worker of W died or was killed while it parsed: why, as a result. */
static void fail_worker(const struct ccg_ctx *ctx, struct worker *w,
			struct ccg_file_result *res)
{
	struct strbuf why = STRBUF_INIT;
	struct rusage ru;
	int status = 0;

	memset(&ru, 0, sizeof(ru));
	reap(w, &status, &ru);
	if ((uint64_t)ru.ru_maxrss << 10 > w->rss)
		w->rss = (uint64_t)ru.ru_maxrss << 10;
	memset(res, 0, sizeof(*res));
	res->relpath = xstrdup(w->job->relpath);
	res->status = CCG_FILE_FAILED;
	if (w->timed_out) {
		/* nothing of the file was analyzed: not "incomplete" */
		strbuf_addf(&why, "parse exceeded the time budget of %u s",
			    ctx->file_timeout);
	} else if (w->over_memory ||
		   (ctx->file_memory && w->rss >= ctx->file_memory / 10 * 9)) {
		/* killed at the budget, or dead of RLIMIT_AS just short of it */
		strbuf_addstr(&why, "exceeded the ");
		budget_format(&why, ctx->file_memory);
		strbuf_addstr(&why, " memory budget");
	} else if (WIFSIGNALED(status)) {
		strbuf_addf(&why, "the parser crashed (signal %d: %s)",
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else {
		strbuf_addf(&why, "the worker exited with status %d",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	res->reason = strbuf_detach(&why);
	w->job = NULL;
}

/* A whole result line in W's buffer: its result, and W is idle again. */
static bool take_result(struct worker *w, struct ccg_file_result *res)
{
	char *nl = w->out.buf ? memchr(w->out.buf, '\n', w->out.len) : NULL;
	json_error_t jerr;
	size_t len;
	json_t *o;

	if (!nl || !w->job)
		return false;
	len = (size_t)(nl - w->out.buf);
	memset(res, 0, sizeof(*res));
	o = json_loadb(w->out.buf, len, 0, &jerr);
	if (!o || file_result_from_json(res, o) < 0) {
		file_result_release(res);
		memset(res, 0, sizeof(*res));
		res->relpath = xstrdup(w->job->relpath);
		res->status = CCG_FILE_FAILED;
		res->reason = xstrdup("the worker sent a result that is not valid");
	}
	/* a worker that ends after this result gets no other job */
	if (o && json_is_true(json_object_get(o, "worker_exits"))) {
		int status;

		reap(w, &status, NULL);
		json_decref(o);
		w->job = NULL;
		return true;
	}
	if (o)
		json_decref(o);
	memmove(w->out.buf, nl + 1, w->out.len - len - 1);
	strbuf_setlen(&w->out, w->out.len - len - 1);
	w->job = NULL;
	return true;
}

/* A job that could not even start: failed, with the reason. */
static void fail_start(const struct pool_feed *feed, const struct pool_job *job,
		       size_t id)
{
	struct ccg_file_result res;
	struct strbuf why = STRBUF_INIT;

	memset(&res, 0, sizeof(res));
	res.relpath = xstrdup(job->relpath);
	res.status = CCG_FILE_FAILED;
	strbuf_addf(&why, "cannot start a worker: %s", strerror(errno));
	res.reason = strbuf_detach(&why);
	feed->done(feed->data, id, &res);
}

static void say_budget(const struct ccg_ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;

	if (!ctx->unit.verbose)
		return;
	if (ctx->file_memory) {
		budget_format(&sb, ctx->file_memory);
		/*
		 * cgroup v2's memory.max would be exact, but needs a delegated
		 * memory controller, which a container or a user session
		 * rarely has: the pool watches the resident set instead.
		 */
		ccg_report(stderr, NULL, 0, 0, CCG_SEV_NOTE, NULL,
			   "memory budget %s per worker: resident set watched every 50 ms, RLIMIT_AS as a backstop",
			   sb.buf);
	} else {
		ccg_report(stderr, NULL, 0, 0, CCG_SEV_NOTE, NULL,
			   "no memory budget per worker (--file-memory 0)");
	}
	strbuf_release(&sb);
}

/* The signals the pool handles while it runs, and what they were. */
struct pool_signals {
	struct sigaction old_int, old_term, old_pipe;
};

static void pool_signals_set(struct pool_signals *ps)
{
	struct sigaction on = { .sa_handler = pool_on_signal };
	struct sigaction ign = { .sa_handler = SIG_IGN };

	/* a caller that ignores a signal (nohup, "cmd &" in a script) keeps it so */
	sigemptyset(&on.sa_mask);
	sigaction(SIGINT, NULL, &ps->old_int);
	sigaction(SIGTERM, NULL, &ps->old_term);
	if (ps->old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &on, NULL);
	if (ps->old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &on, NULL);
	/* a worker that dies leaves a broken pipe: an error, not a signal */
	sigaction(SIGPIPE, &ign, &ps->old_pipe);
}

static void pool_signals_restore(const struct pool_signals *ps)
{
	sigaction(SIGINT, &ps->old_int, NULL);
	sigaction(SIGTERM, &ps->old_term, NULL);
	sigaction(SIGPIPE, &ps->old_pipe, NULL);
}

/* The run context as the first line every worker reads. */
static void ctx_line(struct strbuf *line, const struct ccg_ctx *ctx)
{
	json_t *cj = ctx_to_json(ctx);
	char *text = json_dumps(cj, JSON_COMPACT);

	json_decref(cj);
	if (!text)
		die_oom();
	strbuf_addf(line, "%s\n", text);
	free(text);
}

/*
 * Give each idle worker a job while the feed has one; set up the poll set.
 * Returns the number of busy workers; *WAITING if the feed is still filling.
 */
static int pool_assign(const struct pool_feed *feed, const char *line,
		       struct worker *w, struct pollfd *pfd, int nw,
		       bool *more, bool *waiting)
{
	int busy = 0;

	*waiting = false;
	for (int i = 0; i < nw; i++) {
		const struct pool_job *job;
		size_t id;
		int r;

		if (!w[i].job && *more) {
			r = feed->next(feed->data, &job, &id);
			if (r < 0)
				*more = false;
			else if (!r)
				*waiting = true;
			else if (!start_job(line, job, id, &w[i]))
				fail_start(feed, job, id);
		}
		pfd[i].fd = w[i].pid ? w[i].from : -1;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		if (w[i].job)
			busy++;
	}
	return busy;
}

/*
 * Read what W sent, or check its budgets: a result goes to the feed, and
 * so does a failure (the worker gone, or killed over a budget).
 */
static void pool_watch(const struct ccg_ctx *ctx, const struct pool_feed *feed,
		       struct worker *w, const struct pollfd *pfd)
{
	struct ccg_file_result res;
	char buf[65536];
	ssize_t r;

	if (pfd->revents & (POLLIN | POLLHUP | POLLERR)) {
		r = read(w->from, buf, sizeof(buf));
		if (r > 0) {
			strbuf_add(&w->out, buf, (size_t)r);
			if (take_result(w, &res))
				feed->done(feed->data, w->id, &res);
			return;
		}
		if (r < 0 && errno == EINTR)
			return;
		/* the worker is gone */
		if (!w->job) {
			int status;

			reap(w, &status, NULL);
			return;
		}
	} else if (!w->job) {
		return;
	} else if (ctx->file_timeout && elapsed(&w->start) > ctx->file_timeout) {
		kill(w->pid, SIGKILL);
		w->timed_out = true;
	} else if (ctx->file_memory) {
		uint64_t rss = rss_of(w->pid);

		if (rss > w->rss)
			w->rss = rss;
		if (rss <= ctx->file_memory)
			return;
		kill(w->pid, SIGKILL);
		w->over_memory = true;
	} else {
		return;
	}
	fail_worker(ctx, w, &res);
	feed->done(feed->data, w->id, &res);
}

void pool_drive(const struct ccg_ctx *ctx, const struct pool_feed *feed)
{
	int nw = ctx->jobs > 0 ? ctx->jobs : 1;
	struct worker *w = xcalloc((size_t)nw, sizeof(*w));
	struct pollfd *pfd = xcalloc((size_t)nw, sizeof(*pfd));
	struct strbuf line = STRBUF_INIT;
	struct pool_signals ps;
	bool more = true;

	ctx_line(&line, ctx);
	say_budget(ctx);
	pool_signals_set(&ps);
	for (int i = 0; i < nw; i++)
		w[i].to = w[i].from = -1;
	for (;;) {
		bool waiting;
		int busy, timeout;

		if (pool_signal)
			stop_workers(w, nw);
		busy = pool_assign(feed, line.buf, w, pfd, nw, &more, &waiting);
		if (!busy && !more)
			break;
		/* a feed still filling is asked again soon; RSS is sampled */
		timeout = waiting ? 10 : ctx->file_memory && busy ? 50 : 200;
		if (poll(pfd, (nfds_t)nw, timeout) < 0 && errno != EINTR)
			die("poll failed: %s", strerror(errno));
		if (pool_signal)
			stop_workers(w, nw);
		for (int i = 0; i < nw; i++)
			if (w[i].pid)
				pool_watch(ctx, feed, &w[i], &pfd[i]);
	}
	/* idle workers end at the end of their input */
	for (int i = 0; i < nw; i++) {
		int status;

		if (w[i].pid)
			reap(&w[i], &status, NULL);
	}
	pool_signals_restore(&ps);
	strbuf_release(&line);
	free(w);
	free(pfd);
}

/* pool_run(): a fixed array of jobs as a feed. */
struct array_feed {
	const struct pool_job *jobs;
	size_t n, next, done, findings;
	struct ccg_file_result *results;
	pool_progress_fn progress;
	void *data;
};

static int array_next(void *data, const struct pool_job **job, size_t *id)
{
	struct array_feed *a = data;

	if (a->next >= a->n)
		return -1;
	*id = a->next;
	*job = &a->jobs[a->next++];
	return 1;
}

static void array_done(void *data, size_t id, struct ccg_file_result *res)
{
	struct array_feed *a = data;

	a->results[id] = *res;
	a->findings += res->findings.nr;
	a->done++;
	if (a->progress)
		a->progress(a->done, a->n, a->findings, a->data);
}

void pool_run(const struct ccg_ctx *ctx, const struct pool_job *jobs, size_t n,
	      struct ccg_file_result *results, pool_progress_fn progress,
	      void *data)
{
	struct array_feed a = {
		.jobs = jobs, .n = n, .results = results,
		.progress = progress, .data = data,
	};
	struct pool_feed feed = { array_next, array_done, &a };

	pool_drive(ctx, &feed);
}
