// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Coccinelle backend: runs cocci/<rule>.cocci with spatch over the
 * sweep's candidate files and turns its report lines into findings.
 *
 * Why spatch runs as a child with --file-groups: given several files on its
 * command line, spatch treats them as one group and lets a rule matched in
 * one file enable the next rule in another; one group per file keeps the
 * semantic patches' per-file reasoning.  spatch runs in an empty temporary
 * directory, so that no .cocciconfig of the tree or of the caller adds
 * options, and its parallel work files land there.
 *
 * The report line is coccilib's "FILE:LINE:COL-COLEND: ERROR: MESSAGE
 * [rule-id]" with a 0-based column; the function is the quoted name that
 * every message of the pack starts with.  Known limit: a finding's notes
 * (callers, fix remarks) exist only in the libclang backend.
 */
#include "cocci.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "registry.h"
#include "rulepack.h"
#include "run.h"
#include "udiff.h"
#include "unit.h"
#include "worker.h"
#include "banned.h"

extern char **environ;

int ccg_backend_parse(const char *s, unsigned *backends)
{
	if (!strcmp(s, "clang"))
		*backends = CCG_BACKEND_CLANG;
	else if (!strcmp(s, "cocci"))
		*backends = CCG_BACKEND_COCCI;
	else if (!strcmp(s, "both"))
		*backends = CCG_BACKEND_BOTH;
	else
		return -1;
	return 0;
}

char *cocci_dir(const struct rulepack *rp)
{
	const char *env = getenv("CCGATE_COCCI");
	struct strbuf sb = STRBUF_INIT;
	const char *slash;

	if (env && *env)
		return xstrdup(env);
	strbuf_addstr(&sb, rp->dir ? rp->dir : "rules");
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	slash = strrchr(sb.buf, '/');
	strbuf_setlen(&sb, slash ? (size_t)(slash - sb.buf) + 1 : 0);
	strbuf_addstr(&sb, "cocci");
	return strbuf_detach(&sb);
}

/* How one spatch run ended. */
struct spatch_end {
	int status;		/* exit status, or -1 */
	int signal;		/* the signal that killed it, or 0 */
	bool timed_out;		/* killed at the deadline */
};

/*
 * Run ARGV in DIR under the budgets of CTX: its stdout goes to OUT, its
 * stderr to ERR.  spatch is started with posix_spawn() (the sweep has run
 * threads: no bare fork), in a process group of its own, so that its
 * --jobs children go with it when the deadline kills it; its address
 * space is limited to the memory budget right after it starts, before it
 * has read its first file.
 */
static struct spatch_end spatch_capture(const struct ccg_ctx *ctx,
				     const char *dir, char *const *argv,
				     struct strbuf *out, struct strbuf *err,
				     unsigned deadline)
{
	struct spatch_end end = { -1, 0, false };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int ofd[2], efd[2], status, rc;
	struct timespec t0, now;
	bool oeof = false, eeof = false;
	sigset_t none;
	pid_t pid;

	if (pipe2(ofd, O_CLOEXEC) < 0 || pipe2(efd, O_CLOEXEC) < 0)
		die("cannot create a pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ofd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, efd[1], 2);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(ofd[1]);
	close(efd[1]);
	if (rc)
		die("cannot run '%s': %s", argv[0], strerror(rc));
	if (ctx->file_memory) {
		struct rlimit rl = { ctx->file_memory, ctx->file_memory };

		prlimit(pid, RLIMIT_AS, &rl, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!oeof || !eeof) {
		struct pollfd pfd[2] = {
			{ oeof ? -1 : ofd[0], POLLIN, 0 },
			{ eeof ? -1 : efd[0], POLLIN, 0 },
		};
		char buf[8192];

		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			die("poll failed: %s", strerror(errno));
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0)
				strbuf_add(i ? err : out, buf, (size_t)n);
			else if (!n || errno != EINTR)
				*(i ? &eeof : &oeof) = true;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (deadline && !end.timed_out &&
		    now.tv_sec - t0.tv_sec > (time_t)deadline) {
			kill(-pid, SIGKILL);
			end.timed_out = true;
		}
	}
	close(ofd[0]);
	close(efd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return end;
	if (WIFEXITED(status))
		end.status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		end.signal = WTERMSIG(status);
	return end;
}

/* The quoted function name that every message template starts with. */
static char *message_function(const char *msg)
{
	const char *end;

	if (msg[0] != '\'' || !(end = strchr(msg + 1, '\'')))
		return NULL;
	return xstrndup(msg + 1, (size_t)(end - msg - 1));
}

/*
 * One report line: "FILE:LINE:COL-COLEND: ERROR: MESSAGE [rule-id]".
 * Returns -1 for anything else (spatch's own chatter).
 */
static int parse_report_line(const struct cocci_run *run,
			     const struct rp_rule *rule, char *line,
			     struct ccg_findings *out)
{
	static const char *const sevs[] = { ": ERROR: ", ": WARNING: " };
	const char *root = run->ctx->unit.root;
	char *sep = NULL, *msg, *tag, *p, *path;
	unsigned long ln, col;
	struct ccg_finding *f;
	size_t rootlen = strlen(root), k;
	enum ccg_severity sev = CCG_SEV_ERROR;

	for (k = 0; k < 2 && !sep; k++) {
		sep = strstr(line, sevs[k]);
		sev = k ? CCG_SEV_WARNING : CCG_SEV_ERROR;
	}
	if (!sep)
		return -1;
	msg = sep + strlen(sevs[k - 1]);
	*sep = '\0';
	tag = strrchr(msg, '[');
	if (!tag || tag == msg || tag[-1] != ' ' ||
	    strncmp(tag + 1, rule->id, strlen(rule->id)) ||
	    strcmp(tag + 1 + strlen(rule->id), "]"))
		return -1;
	tag[-1] = '\0';
	/* FILE:LINE:COL-COLEND, read from the right */
	p = strrchr(line, '-');
	if (!p)
		return -1;
	*p = '\0';
	p = strrchr(line, ':');
	if (!p)
		return -1;
	col = strtoul(p + 1, NULL, 10);
	*p = '\0';
	p = strrchr(line, ':');
	if (!p)
		return -1;
	ln = strtoul(p + 1, NULL, 10);
	*p = '\0';
	path = line;
	if (!strncmp(path, root, rootlen) && path[rootlen] == '/')
		path += rootlen + 1;
	f = findings_add(out);
	f->rule = xstrdup(rule->id);
	f->severity = sev;
	f->file = xstrdup(path);
	f->line = (unsigned)ln;
	f->col = (unsigned)col + 1;
	f->message = xstrdup(msg);
	f->function = message_function(msg);
	f->backends = CCG_BACKEND_COCCI;
	if (ccg_engine_get((enum ccg_rule_nr)rule->nr)->lists_from_message)
		ccg_engine_get((enum ccg_rule_nr)rule->nr)->lists_from_message(rule, f);
	return 0;
}

/*
 * Split spatch's patch output into one diff per file, keyed by path.  This
 * text comes from another program: it is parsed here, once, into the hunks
 * a finding carries (udiff.h), and nothing reads it again.  A diff that does
 * not render back to the very text spatch wrote is not taken.
 */
static void split_patches(const char *text, struct strlist *paths,
			  struct udiff ***diffs)
{
	const char *p = text;
	size_t alloc = 0;

	while ((p = strstr(p, "diff -u -p a/"))) {
		const char *name = p + strlen("diff -u -p a/");
		const char *sp = strchr(name, ' ');
		const char *next = strstr(p + 1, "\ndiff -u -p a/");
		size_t len = next ? (size_t)(next + 1 - p) : strlen(p);
		char *one, *back;
		struct udiff *d;

		if (!sp)
			break;
		one = xstrndup(p, len);
		d = xcalloc(1, sizeof(*d));
		back = udiff_parse(d, one) < 0 ? NULL : udiff_text(d);
		if (!back || strcmp(back, one)) {
			error("spatch's patch of '%.*s' is not a diff ccgate reads; no patch",
			      (int)(sp - name), name);
			udiff_free(d);
		} else {
			ALLOC_GROW(*diffs, paths->nr + 1, alloc);
			(*diffs)[paths->nr] = d;
			strlist_push_nodup(paths,
					   xstrndup(name, (size_t)(sp - name)));
		}
		free(back);
		free(one);
		p += len;
	}
}

/* FILE (absolute, from spatch) failed for REASON under SP_FILE. */
static void add_failure(const struct cocci_run *run, const char *sp_file,
			const char *file, const char *reason)
{
	const char *root = run->ctx->unit.root, *base = strrchr(sp_file, '/');
	size_t rootlen = strlen(root);
	struct strbuf why = STRBUF_INIT;

	if (!strncmp(file, root, rootlen) && file[rootlen] == '/')
		file += rootlen + 1;
	/* a caller that keeps no list still hears of it */
	if (!run->failed) {
		error("'%s': %s: %s", file, base ? base + 1 : sp_file, reason);
		return;
	}
	strbuf_addf(&why, "'%s': %s", base ? base + 1 : sp_file, reason);
	strlist_push(&run->failed->files, file);
	strlist_push_nodup(&run->failed->reasons, strbuf_detach(&why));
}

/* The budget that ended a run, or the last thing spatch said: why it failed. */
static void end_reason(const struct ccg_ctx *ctx, const struct spatch_end *e,
		       const struct strbuf *err, struct strbuf *why)
{
	const char *last = err->buf ? err->buf : "", *p;

	if (e->timed_out) {
		strbuf_addf(why, "spatch exceeded the time budget of %u s",
			    ctx->file_timeout);
		return;
	}
	if (ctx->file_memory && (strstr(last, "Out_of_memory") ||
				 strstr(last, "out of memory"))) {
		strbuf_addstr(why, "spatch exceeded the ");
		budget_format(why, ctx->file_memory);
		strbuf_addstr(why, " memory budget");
		return;
	}
	if (e->signal)
		strbuf_addf(why, "spatch crashed (signal %d: %s)", e->signal,
			    strsignal(e->signal));
	else
		strbuf_addf(why, "spatch exited with status %d", e->status);
	if (e->signal && ctx->file_memory) {
		strbuf_addstr(why, " under the ");
		budget_format(why, ctx->file_memory);
		strbuf_addstr(why, " memory budget");
	}
	/* its last line, if any */
	for (p = last + strlen(last); p > last && p[-1] == '\n'; p--)
		;
	while (p > last && p[-1] != '\n')
		p--;
	if (*p && *p != '\n') {
		size_t n = strcspn(p, "\n");

		strbuf_addf(why, ": %.*s", (int)(n > 160 ? 160 : n), p);
	}
}

/*
 * spatch goes on after a file fails and names it on stderr:
 * "EXN: Coccinelle_modules.Common.Timeout in FILE" for --timeout, or
 * "EXN: <exception> in FILE".  Each such line is a failed file.
 */
static void stderr_failures(const struct cocci_run *run, const char *sp_file,
			    const struct strbuf *err)
{
	/* a Python script out of memory says so in its traceback, before */
	bool memory_error = false;

	for (const char *line = err->buf; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, len), *in;

		if (!strncmp(l, "EXN: ", 5) && (in = strstr(l, " in /"))) {
			struct strbuf why = STRBUF_INIT;
			const char *exn = l + 5;

			*in = '\0';
			if (strstr(exn, "Timeout")) {
				strbuf_addf(&why, "spatch exceeded the time budget of %u s",
					    run->ctx->file_timeout);
			} else if (strstr(exn, "Out_of_memory") ||
				   (memory_error && strstr(exn, "Python failure"))) {
				strbuf_addstr(&why, "spatch exceeded the ");
				budget_format(&why, run->ctx->file_memory);
				strbuf_addstr(&why, " memory budget");
			} else {
				strbuf_addf(&why, "spatch failed: %.*s",
					    (int)(strlen(exn) > 160 ? 160 : strlen(exn)),
					    exn);
			}
			add_failure(run, sp_file, in + 4, why.buf);
			strbuf_release(&why);
			memory_error = false;
		} else if (!strncmp(l, "MemoryError", 11)) {
			memory_error = true;
		}
		free(l);
		line = nl ? nl + 1 : NULL;
	}
}

static void report_lines(const struct cocci_run *run, const struct rp_rule *rule,
			 struct strbuf *text, struct ccg_findings *out)
{
	for (char *line = text->buf; line && *line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		parse_report_line(run, rule, line, out);
		line = nl ? nl + 1 : NULL;
	}
}

/*
 * A file that failed was not analyzed, as in the pool: what spatch had
 * reported for it before it failed is dropped (OUT from FIRST on; the
 * failures of this rule from NF on).
 */
static void drop_failed(const struct cocci_run *run, struct ccg_findings *out,
			size_t first, size_t nf)
{
	size_t k = first;

	if (!run->failed)
		return;
	for (size_t i = first; i < out->nr; i++) {
		bool failed = false;

		for (size_t f = nf; f < run->failed->files.nr && !failed; f++)
			failed = !strcmp(run->failed->files.v[f], out->v[i].file);
		if (failed)
			finding_release(&out->v[i]);
		else
			out->v[k++] = out->v[i];
	}
	out->nr = k;
}

/* How spatch runs for one rule: the parts of its command line. */
struct spatch_cmd {
	const char *spatch, *python, *sp_file, *groups, *tmp;
	struct strbuf jobs, tmo;
	unsigned deadline;
};

/*
 * The whole run failed (a crash, the memory budget): each file on its own,
 * so that one file costs only itself.
 */
static void run_each_file(const struct cocci_run *run,
			  const struct spatch_cmd *c,
			  const struct rp_rule *rule, struct ccg_findings *out)
{
	const struct ccg_ctx *ctx = run->ctx;
	struct strbuf one = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&one, "%s/one", c->tmp);
	for (size_t i = 0; i < run->files->nr; i++) {
		struct strbuf path = STRBUF_INIT, why = STRBUF_INIT;
		char *const argv[] = {
			(char *)c->spatch, "--python", (char *)c->python,
			"--very-quiet", "--no-includes", "--include-headers",
			"--sp-file", (char *)c->sp_file, "-D", "report",
			"--file-groups", one.buf,
			ctx->file_timeout ? "--timeout" : NULL, c->tmo.buf, NULL,
		};
		struct spatch_end e;
		int fd;

		strbuf_addf(&path, "%s/%s\n", ctx->unit.root, run->files->v[i]);
		fd = open(one.buf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, path.buf, path.len) != (ssize_t)path.len ||
		    close(fd) < 0)
			die("cannot write '%s': %s", one.buf, strerror(errno));
		strbuf_reset(&text);
		strbuf_reset(&err);
		e = spatch_capture(ctx, c->tmp, argv, &text, &err,
				   ctx->file_timeout ? ctx->file_timeout + 60 : 0);
		if (!e.timed_out && !e.signal && !e.status) {
			report_lines(run, rule, &text, out);
			stderr_failures(run, c->sp_file, &err);
		} else {
			strbuf_setlen(&path, path.len - 1);
			end_reason(ctx, &e, &err, &why);
			add_failure(run, c->sp_file, path.buf, why.buf);
		}
		strbuf_release(&path);
		strbuf_release(&why);
	}
	strbuf_release(&one);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* spatch's patch mode: each finding from FIRST on gets its file's diff. */
static void add_patches(const struct cocci_run *run,
			const struct spatch_cmd *c, size_t first,
			struct ccg_findings *out)
{
	const struct ccg_ctx *ctx = run->ctx;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct strlist paths = STRLIST_INIT;
	struct udiff **diffs = NULL;
	char *const argv[] = {
		(char *)c->spatch, "--python", (char *)c->python,
		"--very-quiet", "--no-includes", "--include-headers",
		"--jobs", (char *)c->jobs.buf, "--sp-file", (char *)c->sp_file,
		"-D", "patch", "--patch", (char *)ctx->unit.root,
		"--file-groups", (char *)c->groups,
		ctx->file_timeout ? "--timeout" : NULL, (char *)c->tmo.buf, NULL,
	};
	struct spatch_end e = spatch_capture(ctx, c->tmp, argv, &text, &err,
					     c->deadline);

	/* the findings stand without their patches */
	if (e.timed_out || e.signal || e.status) {
		struct strbuf why = STRBUF_INIT;

		end_reason(ctx, &e, &err, &why);
		error("'%s' gave no patches: %s", c->sp_file, why.buf);
		strbuf_release(&why);
	}
	split_patches(text.buf ? text.buf : "", &paths, &diffs);
	/* one diff per file: each finding of the file carries it */
	for (size_t k = 0; k < paths.nr; k++) {
		for (size_t i = first; i < out->nr; i++)
			if (!strcmp(paths.v[k], out->v[i].file))
				out->v[i].patch = udiff_dup(diffs[k]);
		udiff_free(diffs[k]);
	}
	free(diffs);
	strlist_release(&paths);
	strbuf_release(&text);
	strbuf_release(&err);
}

static void run_rule(const struct cocci_run *run, const char *spatch,
		     const char *python, const char *sp_file,
		     const char *groups, const char *tmp,
		     const struct rp_rule *rule, struct ccg_findings *out)
{
	struct spatch_cmd c = {
		spatch, python, sp_file, groups, tmp, STRBUF_INIT, STRBUF_INIT, 0,
	};
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const struct ccg_ctx *ctx = run->ctx;
	size_t first = out->nr, nfiles = run->files->nr;
	size_t nf = run->failed ? run->failed->files.nr : 0;
	struct spatch_end e;

	strbuf_addf(&c.jobs, "%d", ctx->jobs > 0 ? ctx->jobs : 1);
	strbuf_addf(&c.tmo, "%u", ctx->file_timeout);
	/* spatch times each file; this only ends a spatch that ignores it */
	if (ctx->file_timeout)
		c.deadline = ctx->file_timeout *
			   (unsigned)(nfiles / (size_t)(ctx->jobs > 0 ? ctx->jobs : 1) + 1) +
			   60;
	{
		char *const argv[] = {
			(char *)spatch, "--python", (char *)python,
			"--very-quiet", "--no-includes", "--include-headers",
			"--jobs", c.jobs.buf, "--sp-file", (char *)sp_file,
			"-D", "report", "--file-groups", (char *)groups,
			ctx->file_timeout ? "--timeout" : NULL, c.tmo.buf, NULL,
		};

		e = spatch_capture(ctx, tmp, argv, &text, &err, c.deadline);
	}
	if (!e.timed_out && !e.signal && !e.status) {
		report_lines(run, rule, &text, out);
		stderr_failures(run, sp_file, &err);
	} else {
		run_each_file(run, &c, rule, out);
	}
	drop_failed(run, out, first, nf);
	if (run->patches && out->nr > first)
		add_patches(run, &c, first, out);
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&c.jobs);
	strbuf_release(&c.tmo);
}

static int remove_one(const char *path, const struct stat *sb, int flag,
		      struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void cocci_sweep(const struct cocci_run *run, struct ccg_findings *out)
{
	const char *env = getenv("CCGATE_SPATCH");
	char *spatch = run_find_program(env && *env ? env : "spatch");
	char *python = run_find_program("python3");
	char *dir = cocci_dir(run->ctx->rp);
	char tmp[] = "/tmp/ccgate-cocci-XXXXXX";
	struct strbuf groups = STRBUF_INIT, list = STRBUF_INIT;
	int fd;

	if (!spatch)
		die("cannot run '%s': not found in PATH (install coccinelle, or set CCGATE_SPATCH)",
		    env && *env ? env : "spatch");
	if (!python)
		die("cannot run spatch: 'python3' not found in PATH");
	if (!mkdtemp(tmp))
		die("cannot create a temporary directory: %s", strerror(errno));
	for (size_t i = 0; i < run->files->nr; i++)
		strbuf_addf(&list, "%s%s/%s\n", i ? "\n" : "",
			    run->ctx->unit.root, run->files->v[i]);
	strbuf_addf(&groups, "%s/groups", tmp);
	fd = open(groups.buf, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, list.buf, list.len) != (ssize_t)list.len ||
	    close(fd) < 0) {
		remove_tree(tmp);
		die("cannot write '%s': %s", groups.buf, strerror(errno));
	}
	for (int r = 0; r < CCG_RULE_NR && run->files->nr; r++) {
		const struct rp_rule *rule = run->ctx->rp->rules[r];
		struct strbuf sp = STRBUF_INIT;

		if (!run->ctx->unit.enabled[r])
			continue;
		strbuf_addf(&sp, "%s/", dir);
		for (const char *c = rule->id; *c; c++)
			strbuf_addch(&sp, *c == '-' ? '_' : *c);
		strbuf_addstr(&sp, ".cocci");
		if (access(sp.buf, R_OK)) {
			remove_tree(tmp);
			die("cannot read '%s': %s", sp.buf, strerror(errno));
		}
		run_rule(run, spatch, python, sp.buf, groups.buf, tmp, rule, out);
		strbuf_release(&sp);
	}
	remove_tree(tmp);
	findings_sort_unique(out);
	strbuf_release(&groups);
	strbuf_release(&list);
	free(dir);
	free(python);
	free(spatch);
}

static bool same_finding(const struct ccg_finding *a, const struct ccg_finding *b)
{
	return !strcmp(a->rule, b->rule) && !strcmp(a->file, b->file) &&
	       a->line == b->line && a->col == b->col &&
	       !strcmp(a->message, b->message);
}

void cocci_merge(struct ccg_findings *clang, struct ccg_findings *cocci)
{
	size_t nr_clang = clang->nr;

	for (size_t i = 0; i < nr_clang; i++)
		clang->v[i].backends = CCG_BACKEND_CLANG;
	for (size_t k = 0; k < cocci->nr; k++) {
		struct ccg_finding *c = &cocci->v[k];
		bool found = false;

		for (size_t i = 0; i < nr_clang && !found; i++) {
			if (same_finding(&clang->v[i], c)) {
				clang->v[i].backends |= CCG_BACKEND_COCCI;
				found = true;
			}
		}
		if (!found) {
			c->backends = CCG_BACKEND_COCCI;
			finding_add_note(c, NULL, 0, 0,
					 "only the cocci engine reports this");
			*findings_add(clang) = *c;
			memset(c, 0, sizeof(*c));
		}
	}
	for (size_t i = 0; i < nr_clang; i++)
		if (clang->v[i].backends == CCG_BACKEND_CLANG)
			finding_add_note(&clang->v[i], NULL, 0, 0,
					 "only the clang engine reports this");
	findings_release(cocci);
	findings_sort_unique(clang);
}
