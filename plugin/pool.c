// SPDX-License-Identifier: GPL-2.0-only
#include "pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "banned.h"

struct worker {
	pid_t pid;
	int fd;
	const struct pool_job *job;
	size_t id;
	struct strbuf out;
	struct timespec start;
	bool timed_out;
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

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void run_child(const struct ccg_ctx *ctx, const struct pool_job *job,
		      int fd)
{
	struct ccg_file_result res;
	json_t *o;
	char *s;

	/*
	 * Test hook (tests/coverage.sh): a worker dying on one file, as when
	 * libclang crashes, must cost that file and not the run.
	 */
	if (getenv("CCGATE_TEST_CRASH") &&
	    !strcmp(getenv("CCGATE_TEST_CRASH"), job->relpath))
		abort();
	analyze_file(ctx, job->abspath, job->relpath, job->args, &res);
	o = file_result_to_json(&res);
	s = json_dumps(o, JSON_COMPACT);
	if (s)
		write_all(fd, s, strlen(s));
	_exit(s ? 0 : 3);
}

static bool start_worker(const struct ccg_ctx *ctx, const struct pool_job *job,
			 size_t id, struct worker *w)
{
	int p[2];

	if (pipe(p) < 0)
		return false;
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (!w->pid) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		close(p[0]);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGTERM, &dfl, NULL);
		run_child(ctx, job, p[1]);
	}
	close(p[1]);
	w->fd = p[0];
	w->job = job;
	w->id = id;
	w->timed_out = false;
	strbuf_init(&w->out);
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	return true;
}

static void finish_worker(struct worker *w, struct ccg_file_result *res,
			  unsigned timeout)
{
	int status = 0;
	json_t *o = NULL;
	json_error_t jerr;

	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	memset(res, 0, sizeof(*res));
	if (w->out.len)
		o = json_loadb(w->out.buf, w->out.len, 0, &jerr);
	if (o && WIFEXITED(status) && !WEXITSTATUS(status) &&
	    !file_result_from_json(res, o)) {
		json_decref(o);
	} else {
		struct strbuf why = STRBUF_INIT;

		if (o)
			json_decref(o);
		file_result_release(res);
		res->relpath = xstrdup(w->job->relpath);
		if (w->timed_out) {
			/* nothing of the file was analyzed: not "incomplete" */
			res->status = CCG_FILE_FAILED;
			strbuf_addf(&why, "parse exceeded the time budget of %u s",
				    timeout);
		} else if (WIFSIGNALED(status)) {
			res->status = CCG_FILE_FAILED;
			strbuf_addf(&why, "the parser crashed (signal %d: %s)",
				    WTERMSIG(status), strsignal(WTERMSIG(status)));
		} else {
			res->status = CCG_FILE_FAILED;
			strbuf_addf(&why, "the worker exited with status %d",
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		}
		res->reason = strbuf_detach(&why);
	}
	strbuf_release(&w->out);
	w->pid = 0;
}

/* A job that could not even start: failed, with the reason. */
static void fail_start(const struct pool_feed *feed, const struct pool_job *job,
		       size_t id)
{
	struct ccg_file_result res;

	memset(&res, 0, sizeof(res));
	res.relpath = xstrdup(job->relpath);
	res.status = CCG_FILE_FAILED;
	res.reason = xstrdup(strerror(errno));
	feed->done(feed->data, id, &res);
}

void pool_drive(const struct ccg_ctx *ctx, const struct pool_feed *feed)
{
	int nw = ctx->jobs > 0 ? ctx->jobs : 1;
	struct worker *w = xcalloc((size_t)nw, sizeof(*w));
	struct pollfd *pfd = xcalloc((size_t)nw, sizeof(*pfd));
	bool more = true;
	struct sigaction on = { .sa_handler = pool_on_signal }, old_int, old_term;

	/* a caller that ignores a signal (nohup, "cmd &" in a script) keeps it so */
	sigemptyset(&on.sa_mask);
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	if (old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &on, NULL);
	if (old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &on, NULL);
	for (int i = 0; i < nw; i++)
		w[i].fd = -1;
	for (;;) {
		int active = 0, waiting = 0;

		if (pool_signal)
			stop_workers(w, nw);

		for (int i = 0; i < nw; i++) {
			const struct pool_job *job;
			size_t id;
			int r;

			if (!w[i].pid && more) {
				r = feed->next(feed->data, &job, &id);
				if (r < 0)
					more = false;
				else if (!r)
					waiting = 1;
				else if (!start_worker(ctx, job, id, &w[i]))
					fail_start(feed, job, id);
			}
			pfd[i].fd = w[i].pid ? w[i].fd : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (w[i].pid)
				active++;
		}
		if (!active && !more)
			break;
		/* a feed still filling is asked again soon */
		if (poll(pfd, (nfds_t)nw, waiting ? 10 : 200) < 0 && errno != EINTR)
			die("poll failed: %s", strerror(errno));
		if (pool_signal)
			stop_workers(w, nw);
		for (int i = 0; i < nw; i++) {
			struct ccg_file_result res;
			char buf[65536];
			ssize_t r = 0;

			if (!w[i].pid)
				continue;
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				r = read(w[i].fd, buf, sizeof(buf));
				if (r > 0) {
					strbuf_add(&w[i].out, buf, (size_t)r);
					continue;
				}
				if (r < 0 && errno == EINTR)
					continue;
			} else if (ctx->file_timeout &&
				   elapsed(&w[i].start) > ctx->file_timeout) {
				kill(w[i].pid, SIGKILL);
				w[i].timed_out = true;
			} else {
				continue;
			}
			finish_worker(&w[i], &res, ctx->file_timeout);
			feed->done(feed->data, w[i].id, &res);
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
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
