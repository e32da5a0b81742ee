// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parse worker: `ccgate --worker`, started by the pool with exec, so it
 * begins with no thread and no lock of the sweep.  It reads the run context
 * (one JSON line, wire.c), then one job per line on stdin, and writes one
 * result per line on stdout, for as many files as the pool sends: libclang
 * is loaded once per worker, not once per file.
 *
 * Each parse runs on a thread of its own with a large stack (clang
 * recurses per nesting level of expressions, macros and includes), whose
 * overflow into the guard below it is caught on an alternate signal stack
 * and reported as "stack" for that file; the worker then exits, since the
 * parse left libclang in no known state, and the pool starts another.
 * libclang's own crash recovery and its safety thread are turned off: a
 * crash kills the worker and costs the one file.  The memory budget is
 * watched by the pool (the resident set, pool.c); the worker adds
 * RLIMIT_AS above it as a backstop against one huge allocation.
 */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "analyze.h"
#include "diag.h"
#include "headers.h"
#include "libclang.h"
#include "wire.h"
#include "banned.h"

#if defined(__SANITIZE_ADDRESS__)
#define WORKER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_ASAN 1
#endif
#endif
#ifndef WORKER_ASAN
#define WORKER_ASAN 0
#endif

/* Room between the address space at start and RLIMIT_AS, beyond the budget. */
#define WORKER_AS_SLACK (512ull << 20)
#define WORKER_GUARD (1ul << 20)

/*
 * What the SIGSEGV handler needs, set before each parse thread starts: the
 * lowest address of its stack, and the result line to write if the fault
 * is an overflow of it.
 */
static char *stack_lo;
static char *stack_line, *memory_line;
static size_t stack_line_len, memory_line_len;
static unsigned long long as_limit;	/* RLIMIT_AS set, or 0 */
static int result_fd = -1;

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

/*
 * Is the address space within a tenth of RLIMIT_AS?  Then an abort (LLVM's
 * "out of memory", an uncaught std::bad_alloc) or a fault is the budget's
 * doing.  Async-signal-safe: open, read, close.
 */
static bool near_as_limit(void)
{
	char buf[64];
	unsigned long long pages = 0;
	ssize_t n;
	int fd;

	if (!as_limit || (fd = open("/proc/self/statm", O_RDONLY)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		pages = pages * 10 + (unsigned long long)(buf[i] - '0');
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE) >=
	       as_limit / 10 * 9;
}

/*
 * End the worker from the signal handler.  Not _exit(): a noreturn call
 * makes ASan unpoison the stack it thinks it is on, the parse thread's
 * 256 MiB, with a warning in the sanitizer log.
 */
static void handler_exit(void)
{
	syscall(SYS_exit_group, 0);
	_exit(0);
}

static void on_fatal(int sig, siginfo_t *si, void *uc)
{
	char *addr = si->si_addr;
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (sig != SIGABRT && stack_lo && stack_line &&
	    addr >= stack_lo - WORKER_GUARD && addr < stack_lo + 65536) {
		write_all(result_fd, stack_line, stack_line_len);
		handler_exit();
	}
	if (memory_line && near_as_limit()) {
		write_all(result_fd, memory_line, memory_line_len);
		handler_exit();
	}
	/* anything else: die of it, the pool names the signal */
	sigaction(sig, &dfl, NULL);
	if (sig == SIGABRT)
		raise(sig);
}

static int read_line(int fd, struct strbuf *in, struct strbuf *line)
{
	char *nl;

	strbuf_reset(line);
	while (!in->buf || !(nl = memchr(in->buf, '\n', in->len))) {
		char buf[65536];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		strbuf_add(in, buf, (size_t)n);
	}
	strbuf_add(line, in->buf, (size_t)(nl - in->buf));
	memmove(in->buf, nl + 1, in->len - (size_t)(nl + 1 - in->buf));
	strbuf_setlen(in, in->len - (size_t)(nl + 1 - in->buf));
	return 0;
}

static void write_json_line(int fd, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	if (!s)
		_exit(3);
	write_all(fd, s, strlen(s));
	write_all(fd, "\n", 1);
	free(s);
}

/* RES as the line of a worker that ends after it: the pool reaps it first. */
static char *result_line(const struct ccg_file_result *res, size_t *len)
{
	json_t *r = file_result_to_json(res);
	char *s;

	json_object_set_new(r, "worker_exits", json_true());
	s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	if (!s)
		die_oom();
	*len = strlen(s);
	s = xrealloc(s, *len + 2);
	s[(*len)++] = '\n';
	s[*len] = '\0';
	return s;
}

struct parse_job {
	const struct ccg_ctx *ctx;
	const struct pool_job *job;
	struct ccg_file_result res;
};

static void *parse_thread(void *arg)
{
	struct parse_job *pj = arg;
	stack_t ss = { .ss_size = 65536 };

	ss.ss_sp = xmalloc(ss.ss_size);
	if (sigaltstack(&ss, NULL) < 0)
		die("cannot set an alternate signal stack: %s", strerror(errno));
	analyze_file(pj->ctx, pj->job->abspath, pj->job->relpath, pj->job->args,
		     &pj->res);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(ss.ss_sp);
	return NULL;
}

static unsigned long long vm_size(void)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long kb = 0;
	const char *p;

	if (strbuf_read_file(&sb, "/proc/self/status") == 0 && sb.buf &&
	    (p = strstr(sb.buf, "\nVmSize:")))
		kb = strtoull(p + 8, NULL, 10);
	strbuf_release(&sb);
	return kb << 10;
}

uint64_t budget_default(int jobs)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	uint64_t ram = pages > 0 && psize > 0 ?
		       (uint64_t)pages * (uint64_t)psize : 0;
	uint64_t share = ram / (2 * (uint64_t)(jobs > 0 ? jobs : 1));

	return !share || share > (4ull << 30) ? 4ull << 30 : share;
}

void budget_format(struct strbuf *sb, uint64_t bytes)
{
	if (bytes >= (1ull << 30))
		strbuf_addf(sb, "%.1f GiB", (double)bytes / (double)(1ull << 30));
	else
		strbuf_addf(sb, "%.0f MiB", (double)bytes / (double)(1ull << 20));
}

int budget_parse(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	else if (*end)
		return -1;
	if (shift && end[1])
		return -1;
	if (v > (1ull << (63 - (shift ? shift : 1))))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

/* The worker's parse stack and the failure lines its handler writes. */
struct worker_stack {
	char *map;
	size_t size;
	pthread_attr_t attr;
	struct strbuf memory_why;
	char stack_why[80];
};

/* A stack with a guard page for the parse thread; the fatal signals. */
static void worker_stack_init(struct worker_stack *ws,
			      const struct ccg_ctx *ctx)
{
	struct sigaction segv = { .sa_sigaction = on_fatal,
				  .sa_flags = SA_SIGINFO | SA_ONSTACK };

	ws->size = WORKER_STACK;
	ws->map = mmap(NULL, ws->size + WORKER_GUARD, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
		       -1, 0);
	if (ws->map == MAP_FAILED)
		die("worker: cannot map a %zu MiB stack: %s", ws->size >> 20,
		    strerror(errno));
	mprotect(ws->map, WORKER_GUARD, PROT_NONE);
	stack_lo = ws->map + WORKER_GUARD;
	sigemptyset(&segv.sa_mask);
	sigaction(SIGSEGV, &segv, NULL);
	sigaction(SIGBUS, &segv, NULL);
	sigaction(SIGABRT, &segv, NULL);
	strbuf_init(&ws->memory_why);
	strbuf_addstr(&ws->memory_why, "exceeded the ");
	budget_format(&ws->memory_why, ctx->file_memory);
	strbuf_addstr(&ws->memory_why, " memory budget");
	snprintf(ws->stack_why, sizeof(ws->stack_why),
		 "stack: the parse recursed deeper than its %zu MiB stack",
		 ws->size >> 20);
	pthread_attr_init(&ws->attr);
	pthread_attr_setstack(&ws->attr, stack_lo, ws->size);
}

static void worker_stack_release(struct worker_stack *ws)
{
	strbuf_release(&ws->memory_why);
	pthread_attr_destroy(&ws->attr);
	munmap(ws->map, ws->size + WORKER_GUARD);
}

/* The line the signal handler writes if RELPATH fails for WHY. */
static void fail_line(char **line, size_t *len, char *relpath, char *why)
{
	struct ccg_file_result fail;

	memset(&fail, 0, sizeof(fail));
	fail.relpath = relpath;
	fail.status = CCG_FILE_FAILED;
	fail.reason = why;
	free(*line);
	*line = result_line(&fail, len);
}

/* One job LINE: parse it on the worker's stack, write its result. */
static void worker_job(const struct ccg_ctx *ctx, struct worker_stack *ws,
		       const struct strbuf *line)
{
	struct parse_job pj = { .ctx = ctx };
	struct job_wire jw;
	json_error_t jerr;
	pthread_t tid;
	json_t *o, *r;

	o = json_loadb(line->buf ? line->buf : "", line->len, 0, &jerr);
	if (!o || job_from_json(&jw, o) < 0)
		die("worker: a job is not valid JSON");
	json_decref(o);
	pj.job = &jw.job;
	/* the lines the signal handler writes: stack, memory */
	fail_line(&memory_line, &memory_line_len, jw.job.relpath,
		  ws->memory_why.buf);
	fail_line(&stack_line, &stack_line_len, jw.job.relpath, ws->stack_why);
	/*
	 * Test hook (tests/coverage.sh): a worker dying on one file, as
	 * when libclang crashes, must cost that file and not the run.
	 */
	if (getenv("CCGATE_TEST_CRASH") &&
	    !strcmp(getenv("CCGATE_TEST_CRASH"), jw.job.relpath))
		abort();
	if (pthread_create(&tid, &ws->attr, parse_thread, &pj))
		die("worker: cannot start a parse thread: %s", strerror(errno));
	pthread_join(tid, NULL);
	r = file_result_to_json(&pj.res);
	write_json_line(result_fd, r);
	json_decref(r);
	file_result_release(&pj.res);
	job_wire_release(&jw);
	/* the next file starts from what this one gave back */
	madvise(stack_lo, ws->size, MADV_DONTNEED);
	malloc_trim(0);
}

int worker_main(void)
{
	struct strbuf in = STRBUF_INIT, line = STRBUF_INIT;
	struct worker_stack ws;
	struct ctx_wire cw;
	struct ccg_ctx ctx;
	char *err = NULL;
	json_error_t jerr;
	json_t *o;

	/* results on a descriptor of their own: nothing else writes there */
	result_fd = dup(1);
	if (result_fd < 0 || dup2(2, 1) < 0)
		die("worker: cannot set up its descriptors: %s", strerror(errno));
	/* a crash costs the file: no recovery inside libclang, no thread of its own */
	setenv("LIBCLANG_DISABLE_CRASH_RECOVERY", "1", 1);
	setenv("LIBCLANG_NOTHREADS", "1", 1);
	ctx_wire_init(&cw);
	if (read_line(0, &in, &line) < 0)
		return 0;
	o = json_loadb(line.buf ? line.buf : "", line.len, 0, &jerr);
	if (!o)
		die("worker: the run context is not JSON: %s", jerr.text);
	if (ctx_from_json(&ctx, &cw, o, &err) < 0)
		die("worker: %s", err);
	json_decref(o);
	ctx.headers = headers_cache_new();
	libclang_load();
	worker_stack_init(&ws, &ctx);

	/*
	 * A backstop only: the budget is the resident set, which the pool
	 * watches.  ASan reserves terabytes of shadow: no RLIMIT_AS there.
	 */
	if (ctx.file_memory && !WORKER_ASAN) {
		struct rlimit rl;

		rl.rlim_cur = rl.rlim_max = vm_size() + ctx.file_memory +
					    WORKER_AS_SLACK;
		if (!setrlimit(RLIMIT_AS, &rl))
			as_limit = rl.rlim_cur;
	}
	while (!read_line(0, &in, &line))
		worker_job(&ctx, &ws, &line);
	free(stack_line);
	free(memory_line);
	worker_stack_release(&ws);
	headers_cache_free(ctx.headers);
	ctx_wire_release(&cw);
	strbuf_release(&in);
	strbuf_release(&line);
	return 0;
}
