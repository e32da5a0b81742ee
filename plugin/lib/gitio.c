// SPDX-License-Identifier: GPL-2.0-only
#include "gitio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "banned.h"

/* Options in front of every command, so no configuration can run a program. */
static const char *const safe_opts[] = {
	"--no-pager",
	"-c", "core.pager=cat",
	"-c", "color.ui=never",
	"-c", "core.quotepath=off",
	"-c", "diff.external=",
	"-c", "core.fsmonitor=false",
	"-c", "log.showSignature=false",
	"-c", "core.hooksPath=/dev/null",
	"-c", "advice.detachedHead=false",
	"-c", "gc.auto=0",
	"-c", "maintenance.auto=false",
	"-c", "core.sshCommand=false",
	"-c", "gpg.program=false",
};

/*
 * The filter drivers the configuration seen in DIR defines
 * ("filter.NAME.*"), the user's own included: a patch may add a
 * .gitattributes that names one.
 */
static void filter_drivers(const char *dir, bool no_repo,
			   struct strlist *names)
{
	static struct strbuf cached_dir;
	static struct strlist cached;
	static bool have;
	struct git_cmd c = GIT_CMD_INIT;
	const char *p, *end;

	if (!dir)
		dir = "";
	if (have && !strcmp(cached_dir.buf ? cached_dir.buf : "", dir)) {
		for (size_t i = 0; i < cached.nr; i++)
			strlist_push(names, cached.v[i]);
		return;
	}
	c.dir = *dir ? dir : NULL;
	c.no_repo = no_repo;
	c.config_only = true;
	git_cmd_args(&c, "config", "--null", "--name-only", "--get-regexp",
		     "^filter\\.", NULL);
	git_cmd_run(&c);	/* status 1: none */
	p = c.out.buf ? c.out.buf : "";
	end = p + c.out.len;
	for (; p < end; p += strlen(p) + 1) {
		const char *dot = strrchr(p, '.');
		char *name;

		if (strncmp(p, "filter.", 7) || !dot || dot < p + 7)
			continue;
		name = xstrndup(p + 7, (size_t)(dot - p - 7));
		if (!strlist_has(names, name))
			strlist_push(names, name);
		free(name);
	}
	git_cmd_release(&c);
	strbuf_reset(&cached_dir);
	strbuf_addstr(&cached_dir, dir);
	strlist_release(&cached);
	for (size_t i = 0; i < names->nr; i++)
		strlist_push(&cached, names->v[i]);
	have = true;
}

/* GIT_CONFIG_COUNT/KEY/VALUE: no quoting issue whatever the driver's name. */
static void neutralize_filters(const struct strlist *names)
{
	static const char *const keys[] = {
		"clean", "smudge", "process", "required",
	};
	struct strbuf k = STRBUF_INIT, v = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < names->nr; i++) {
		for (size_t j = 0; j < sizeof(keys) / sizeof(*keys); j++) {
			strbuf_reset(&k);
			strbuf_addf(&k, "GIT_CONFIG_KEY_%zu", n);
			strbuf_reset(&v);
			strbuf_addf(&v, "filter.%s.%s", names->v[i], keys[j]);
			setenv(k.buf, v.buf, 1);
			strbuf_reset(&k);
			strbuf_addf(&k, "GIT_CONFIG_VALUE_%zu", n++);
			setenv(k.buf, j == 3 ? "false" : "", 1);
		}
	}
	strbuf_reset(&k);
	strbuf_addf(&k, "%zu", n);
	setenv("GIT_CONFIG_COUNT", k.buf, 1);
	strbuf_release(&k);
	strbuf_release(&v);
}

static const char *const unset_env[] = {
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_EXTERNAL_DIFF",
	"GIT_DIFF_OPTS", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
	"GIT_NAMESPACE", "GIT_PREFIX",
};

void git_cmd_release(struct git_cmd *c)
{
	strlist_release(&c->args);
	strbuf_release(&c->out);
	strbuf_release(&c->err);
}

void git_cmd_args(struct git_cmd *c, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, c);
	while ((s = va_arg(ap, const char *)))
		strlist_push(&c->args, s);
	va_end(ap);
}

static void __attribute__((noreturn))
run_git_child(struct git_cmd *c, const struct strlist *filters, int out,
	      int err)
{
	struct strlist argv = STRLIST_INIT;
	int in;

	in = open(c->in_path ? c->in_path : "/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	for (size_t i = 0; i < sizeof(unset_env) / sizeof(*unset_env); i++)
		unsetenv(unset_env[i]);
	neutralize_filters(filters);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_PAGER", "cat", 1);
	setenv("PAGER", "cat", 1);
	setenv("GIT_OPTIONAL_LOCKS", "0", 1);
	setenv("GIT_TERMINAL_PROMPT", "0", 1);
	setenv("LC_ALL", "C", 1);
	setenv("LANGUAGE", "C", 1);
	if (c->dir && chdir(c->dir) < 0) {
		dprintf(2, "fatal: cannot change to '%s': %s\n", c->dir,
			strerror(errno));
		_exit(128);
	}
	if (c->no_repo)
		setenv("GIT_CEILING_DIRECTORIES", c->dir ? c->dir : ".", 1);
	strlist_push(&argv, "git");
	for (size_t i = 0; i < sizeof(safe_opts) / sizeof(*safe_opts); i++)
		strlist_push(&argv, safe_opts[i]);
	for (size_t i = 0; i < c->args.nr; i++)
		strlist_push(&argv, c->args.v[i]);
	strlist_push_nodup(&argv, NULL);
	execvp("git", argv.v);
	dprintf(2, "fatal: cannot run git: %s\n", strerror(errno));
	_exit(127);
}

int git_cmd_run(struct git_cmd *c)
{
	struct strlist filters = STRLIST_INIT;
	int po[2], pe[2], status;
	struct pollfd pfd[2];
	pid_t pid;

	if (!c->config_only)
		filter_drivers(c->dir, c->no_repo, &filters);
	if (pipe(po) < 0 || pipe(pe) < 0) {
		strbuf_addf(&c->err, "fatal: cannot run git: %s\n",
			    strerror(errno));
		strlist_release(&filters);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		strbuf_addf(&c->err, "fatal: cannot run git: %s\n",
			    strerror(errno));
		strlist_release(&filters);
		return -1;
	}
	if (!pid) {
		close(po[0]);
		close(pe[0]);
		run_git_child(c, &filters, po[1], pe[1]);
	}
	strlist_release(&filters);
	close(po[1]);
	close(pe[1]);
	pfd[0].fd = po[0];
	pfd[1].fd = pe[0];
	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		pfd[0].events = pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char buf[65536];
			ssize_t n;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			strbuf_add(i ? &c->err : &c->out, buf, (size_t)n);
		}
	}
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 127 && !c->out.len)
			return -1;
		return WEXITSTATUS(status);
	}
	strbuf_addf(&c->err, "fatal: git was killed by signal %d\n",
		    WTERMSIG(status));
	return -1;
}

const char *git_cmd_error(struct git_cmd *c)
{
	char *s = c->err.buf ? c->err.buf : "";
	char *nl;

	/* the last "fatal:"/"error:" line is the reason; hints come after */
	for (char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "fatal: ", 7) || !strncmp(p, "error: ", 7)) {
			s = p + 7;
			break;
		}
	}
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	return *s ? s : "git failed without a message";
}

char *git_line(const char *dir, ...)
{
	struct git_cmd c = GIT_CMD_INIT;
	char *line = NULL;
	const char *s;
	va_list ap;

	c.dir = dir;
	va_start(ap, dir);
	while ((s = va_arg(ap, const char *)))
		strlist_push(&c.args, s);
	va_end(ap);
	if (!git_cmd_run(&c) && c.out.len) {
		size_t n = strcspn(c.out.buf, "\n");

		if (n)
			line = xstrndup(c.out.buf, n);
	}
	git_cmd_release(&c);
	return line;
}

int git_blob(const char *dir, const char *obj, struct strbuf *out,
	     struct strbuf *why)
{
	struct git_cmd c = GIT_CMD_INIT;
	int ret;

	c.dir = dir;
	git_cmd_args(&c, "cat-file", "blob", obj, NULL);
	ret = git_cmd_run(&c);
	if (!ret)
		strbuf_add(out, c.out.buf ? c.out.buf : "", c.out.len);
	else if (why)
		strbuf_addstr(why, git_cmd_error(&c));
	git_cmd_release(&c);
	return ret ? -1 : 0;
}

static bool all_of(const char *s, const char *set)
{
	return *s && !s[strspn(s, set)];
}

int git_raw_next(const char **pp, const char *end, struct git_raw_record *r)
{
	const char *p = *pp, *nul;
	char st[8];

	if (p >= end)
		return 0;
	nul = memchr(p, '\0', (size_t)(end - p));
	if (*p != ':' || !nul || nul + 1 >= end)
		return -1;
	if (sscanf(p, ":%7s %7s %64s %64s %7s", r->mode1, r->mode2, r->id1,
		   r->id2, st) != 5 || !all_of(r->mode1, "01234567") ||
	    !all_of(r->mode2, "01234567") ||
	    !all_of(r->id1, "0123456789abcdef") ||
	    !all_of(r->id2, "0123456789abcdef"))
		return -1;
	r->status = st[0];
	r->path = nul + 1;
	if (!*r->path)
		return -1;
	*pp = r->path + strlen(r->path) + 1;
	return 1;
}

int git_blame_parse(const char *buf, size_t len, struct git_blame_line *b)
{
	const char *p, *nl, *end = buf + len;

	memset(b, 0, sizeof(*b));
	if (len < 41 || strspn(buf, "0123456789abcdef") != 40 || buf[40] != ' ')
		return -1;
	memcpy(b->id, buf, 40);
	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (*p == '\t')
			break;	/* the line's text: the header is over */
		if (!strncmp(p, "summary ", 8) && !b->summary) {
			b->summary = p + 8;
			b->summary_len = (size_t)(nl - b->summary);
		} else if (nl - p == 8 && !memcmp(p, "boundary", 8)) {
			b->boundary = true;
		}
	}
	return b->summary ? 0 : -1;
}

int git_numstat_paths(const char *buf, size_t len, struct strlist *paths)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *name;

		if (tab)
			tab = memchr(tab + 1, '\t', (size_t)(end - tab - 1));
		if (!tab || tab + 1 >= end)
			return -1;
		name = tab + 1;
		if (!*name) {	/* rename or copy: "\0old\0new\0" */
			name++;
			if (name >= end || !*name)
				return -1;
			if (!strlist_has(paths, name))
				strlist_push(paths, name);
			name += strlen(name) + 1;
		}
		if (name >= end || !*name)
			return -1;
		if (!strlist_has(paths, name))
			strlist_push(paths, name);
		p = name + strlen(name) + 1;
	}
	return 0;
}

bool git_is_worktree(const char *dir)
{
	char *s = git_line(dir, "rev-parse", "--is-inside-work-tree", NULL);
	bool yes = s && !strcmp(s, "true");

	free(s);
	return yes;
}

/*
 * A shallow clone's oldest commits look like root commits: blame marks
 * them as boundaries, as it marks the true root.  Only in a complete
 * history is the root commit the one that wrote a line (Linux's
 * 1da177e4c3f4 is many a Fixes: tag).
 */
static bool is_shallow(const char *root)
{
	static char *cached_root;
	static bool cached;
	char *line;

	if (cached_root && !strcmp(cached_root, root))
		return cached;
	line = git_line(root, "rev-parse", "--is-shallow-repository", NULL);
	free(cached_root);
	cached_root = xstrdup(root);
	cached = !line || strcmp(line, "false");
	free(line);
	return cached;
}

int git_line_origin(const char *root, const char *rev, const char *file,
		    unsigned line, struct git_origin *o)
{
	struct git_cmd c = GIT_CMD_INIT;
	struct strbuf range = STRBUF_INIT;
	struct git_blame_line b;
	int ret = -1;

	memset(o, 0, sizeof(*o));
	strbuf_addf(&range, "%u,%u", line, line);
	c.dir = root;
	git_cmd_args(&c, "blame", "--porcelain", "--no-textconv", "-L",
		     range.buf, NULL);
	if (!is_shallow(root))
		strlist_push(&c.args, "--root");
	if (rev)
		strlist_push(&c.args, rev);
	git_cmd_args(&c, "--", file, NULL);
	if (git_cmd_run(&c) || !c.out.buf ||
	    git_blame_parse(c.out.buf, c.out.len, &b) < 0)
		goto out;
	ret = 1;
	o->boundary = b.boundary;
	if (strspn(b.id, "0") == 40 || b.boundary)
		goto out;
	memcpy(o->id, b.id, sizeof(o->id));
	o->summary = xstrndup(b.summary, b.summary_len);
	ret = 0;
out:
	strbuf_release(&range);
	git_cmd_release(&c);
	return ret;
}

/* "vX.Y" exactly, into *MAJOR and *MINOR. */
static bool release_tag(const char *s, size_t n, unsigned long *major,
			unsigned long *minor)
{
	size_t a, b;

	if (n < 4 || *s != 'v')
		return false;
	a = strspn(s + 1, "0123456789");
	if (!a || a > 6 || s[1 + a] != '.')
		return false;
	b = strspn(s + 2 + a, "0123456789");
	if (!b || b > 6 || 2 + a + b != n)
		return false;
	*major = strtoul(s + 1, NULL, 10);
	*minor = strtoul(s + 2 + a, NULL, 10);
	return true;
}

char *git_release_pick(const char *tags)
{
	unsigned long best_major = 0, best_minor = 0, major, minor;
	const char *best = NULL, *p = tags;
	size_t best_len = 0;

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		if (release_tag(p, n, &major, &minor) &&
		    (!best || major < best_major ||
		     (major == best_major && minor < best_minor))) {
			best = p;
			best_len = n;
			best_major = major;
			best_minor = minor;
		}
		p += n;
		if (*p)
			p++;
	}
	return best ? xstrndup(best, best_len) : NULL;
}

char *git_first_release(const char *root, const char *id)
{
	struct git_cmd c = GIT_CMD_INIT;
	char *rel = NULL;

	c.dir = root;
	git_cmd_args(&c, "tag", "--contains", id, "--list", "v*", NULL);
	if (!git_cmd_run(&c) && c.out.buf)
		rel = git_release_pick(c.out.buf);
	git_cmd_release(&c);
	return rel;
}
