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
	size_t job;
	struct strbuf out;
	struct timespec start;
	bool timed_out;
};

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

static bool start_worker(const struct ccg_ctx *ctx, const struct pool_job *jobs,
			 size_t j, struct worker *w)
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
		close(p[0]);
		signal(SIGINT, SIG_DFL);
		run_child(ctx, &jobs[j], p[1]);
	}
	close(p[1]);
	w->fd = p[0];
	w->job = j;
	w->timed_out = false;
	strbuf_init(&w->out);
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	return true;
}

static void finish_worker(const struct pool_job *jobs, struct worker *w,
			  struct ccg_file_result *res, unsigned timeout)
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
		res->relpath = xstrdup(jobs[w->job].relpath);
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

void pool_run(const struct ccg_ctx *ctx, const struct pool_job *jobs, size_t n,
	      struct ccg_file_result *results, pool_progress_fn progress,
	      void *data)
{
	int nw = ctx->jobs > 0 ? ctx->jobs : 1;
	struct worker *w = xcalloc((size_t)nw, sizeof(*w));
	struct pollfd *pfd = xcalloc((size_t)nw, sizeof(*pfd));
	size_t next = 0, done = 0, nfind = 0;

	for (int i = 0; i < nw; i++)
		w[i].fd = -1;
	while (done < n) {
		int active = 0;

		for (int i = 0; i < nw; i++) {
			if (!w[i].pid && next < n) {
				if (!start_worker(ctx, jobs, next, &w[i])) {
					memset(&results[next], 0, sizeof(results[next]));
					results[next].relpath = xstrdup(jobs[next].relpath);
					results[next].status = CCG_FILE_FAILED;
					results[next].reason = xstrdup(strerror(errno));
					next++;
					done++;
					continue;
				}
				next++;
			}
			pfd[i].fd = w[i].pid ? w[i].fd : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (w[i].pid)
				active++;
		}
		if (!active)
			continue;
		if (poll(pfd, (nfds_t)nw, 200) < 0 && errno != EINTR)
			die("poll failed: %s", strerror(errno));
		for (int i = 0; i < nw; i++) {
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
				r = 0;
			} else {
				continue;
			}
			finish_worker(jobs, &w[i], &results[w[i].job],
				      ctx->file_timeout);
			nfind += results[w[i].job].findings.nr;
			done++;
			if (progress)
				progress(done, n, nfind, data);
		}
	}
	free(w);
	free(pfd);
}
