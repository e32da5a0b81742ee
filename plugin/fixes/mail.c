// SPDX-License-Identifier: GPL-2.0-only
#include "mail.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "diag.h"
#include "gitio.h"
#include "udiff.h"
#include "banned.h"

#define MAIL_WRAP 72
#define PREFIX_HISTORY "30"

static bool valid_from(const char *s)
{
	const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');

	return lt && gt && lt > s && gt > lt + 1 && !gt[1] &&
	       memchr(lt, '@', (size_t)(gt - lt)) && !strchr(s, '\n');
}

void mail_opts_init(struct mail_opts *o, const char *dir, const char *root,
		    const char *rev, const char *from, bool signoff,
		    const struct rulepack *rp)
{
	memset(o, 0, sizeof(*o));
	o->dir = dir;
	o->root = root;
	o->git = git_is_worktree(root);
	o->rev = rev;
	o->signoff = signoff;
	o->rp = rp;
	if (from) {
		if (!valid_from(from))
			die("--from '%s' is not 'Name <address>'", from);
		o->from = xstrdup(from);
	} else {
		char *name = git_line(root, "config", "user.name", NULL);
		char *mail = git_line(root, "config", "user.email", NULL);
		struct strbuf sb = STRBUF_INIT;

		if (!name || !mail) {
			free(name);
			free(mail);
			die("--format-patch needs an author: set git config user.name and user.email, or pass --from 'Name <address>'");
		}
		strbuf_addf(&sb, "%s <%s>", name, mail);
		o->from = strbuf_detach(&sb);
		free(name);
		free(mail);
	}
}

void mail_opts_release(struct mail_opts *o)
{
	free(o->from);
	free(o->base_commit);
	strlist_release(&o->prereqs);
	memset(o, 0, sizeof(*o));
}

/* A prefix of SUBJECT: leading "word: " groups, "KVM: x86: Fix" -> "KVM: x86". */
static size_t subject_prefix_len(const char *s)
{
	size_t end = 0, p = 0;

	for (;;) {
		size_t w = p;

		while (s[w] && (isalnum((unsigned char)s[w]) ||
				strchr("_./+-,", s[w])))
			w++;
		if (w == p || w - p > 32 || s[w] != ':' || s[w + 1] != ' ')
			return end;
		end = w;
		p = w + 2;
	}
}

char *mail_common_prefix(const char *subjects)
{
	struct strlist seen = STRLIST_INIT;
	unsigned *count = NULL;
	size_t alloc = 0, best = 0;
	const char *s = subjects;
	char *ret = NULL;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = subject_prefix_len(s);

		if (n && (!nl || s + n < nl)) {
			char *p = xstrndup(s, n);
			size_t i;

			for (i = 0; i < seen.nr && strcmp(seen.v[i], p); i++)
				;
			if (i == seen.nr) {
				strlist_push(&seen, p);
				ALLOC_GROW(count, seen.nr, alloc);
				count[i] = 0;
			}
			count[i]++;
			free(p);
		}
		s = nl ? nl + 1 : NULL;
	}
	/* the most common; on a tie, the most recent (seen first) */
	for (size_t i = 1; i < seen.nr; i++)
		if (count[i] > count[best])
			best = i;
	if (seen.nr)
		ret = xstrdup(seen.v[best]);
	strlist_release(&seen);
	free(count);
	return ret;
}

char *mail_path_prefix(const char *relpath)
{
	static const char *const skip[] = { "include", "asm", "kernel", "uapi" };
	struct strbuf sb = STRBUF_INIT;
	const char *p = relpath, *slash;
	int parts = 0;

	if (!strncmp(p, "arch/", 5))
		p += 5;
	while (parts < 2 && (slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);
		bool skipped = false;

		for (size_t i = 0; i < sizeof(skip) / sizeof(*skip); i++)
			skipped |= strlen(skip[i]) == n && !strncmp(p, skip[i], n);
		if (!skipped || !parts) {
			if (parts)
				strbuf_addch(&sb, '/');
			strbuf_add(&sb, p, n);
			parts++;
		}
		p = slash + 1;
	}
	if (!sb.len)
		strbuf_addstr(&sb, "treewide");
	return strbuf_detach(&sb);
}

static char *file_prefix(const struct mail_opts *o, const char *relpath)
{
	char *prefix = NULL;

	if (o->git) {
		struct git_cmd c = GIT_CMD_INIT;

		c.dir = o->root;
		git_cmd_args(&c, "log", "--no-merges", "--no-ext-diff",
			     "-n", PREFIX_HISTORY, "--format=%s", NULL);
		if (o->rev)
			strlist_push(&c.args, o->rev);
		git_cmd_args(&c, "--", relpath, NULL);
		if (!git_cmd_run(&c))
			prefix = mail_common_prefix(c.out.buf);
		git_cmd_release(&c);
	}
	return prefix ? prefix : mail_path_prefix(relpath);
}

/*
 * The Fixes: tag: the commit that last wrote the finding's line, as blame
 * sees it.  Nothing when the line is not committed or the history stops
 * (a shallow clone's boundary is not necessarily the culprit).  When a
 * release (vX.Y tag) carries that commit, the stable kernels from it on
 * need the fix: "Cc: stable@vger.kernel.org # vX.Y+", as
 * Documentation/process/stable-kernel-rules.rst asks.
 */
static void add_fixes(struct strbuf *out, const struct mail_opts *o,
		      const struct ccg_finding *f)
{
	struct git_origin org;
	char *release;

	if (!o->git || !f->line)
		return;
	if (git_line_origin(o->root, o->rev, f->file, f->line, &org)) {
		if (org.boundary)
			ccg_report(stderr, f->file, f->line, f->col, CCG_SEV_NOTE, NULL,
				   "no Fixes: tag: the history ends before the commit that wrote this line (shallow clone?)");
		return;
	}
	strbuf_addf(out, "Fixes: %.12s (\"%s\")\n", org.id, org.summary);
	release = git_first_release(o->root, org.id);
	if (release)
		strbuf_addf(out, "Cc: stable@vger.kernel.org # %s+\n", release);
	free(release);
	free(org.summary);
}

/*
 * Re-flow TEXT's paragraphs (blank-line separated) to MAIL_WRAP columns,
 * the first line of each indented by IN1, the others by IN2, as git's
 * strbuf_add_wrapped_text().
 */
static void add_wrapped_indented(struct strbuf *out, const char *text,
				 size_t in1, size_t in2)
{
	size_t col = 0;
	const char *s = text;
	bool first = true;

	while (*s) {
		size_t n;

		if (*s == '\n' && s[1] == '\n') {
			strbuf_addstr(out, "\n\n");
			col = 0;
			first = true;
			while (*s == '\n')
				s++;
			continue;
		}
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		n = strcspn(s, " \t\n");
		if (col && col + 1 + n > MAIL_WRAP) {
			strbuf_addch(out, '\n');
			col = 0;
		}
		if (!col) {
			col = first ? in1 : in2;
			strbuf_addf(out, "%*s", (int)col, "");
			first = false;
		} else {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, s, n);
		col += n;
		s += n;
	}
	if (col)
		strbuf_addch(out, '\n');
}

static void add_wrapped(struct strbuf *out, const char *text)
{
	add_wrapped_indented(out, text, 0, 0);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines PATCHES[0..N) add and delete in PATH. */
static void count_changes(const struct udiff **patches, size_t n, const char *path,
			  int *add, int *del)
{
	*add = *del = 0;
	for (size_t p = 0; p < n; p++)
		for (size_t k = 0; k < patches[p]->nr; k++) {
			const struct udiff_file *f = &patches[p]->files[k];

			for (size_t h = 0; !strcmp(f->path, path) && h < f->nr; h++)
				for (size_t j = 0; j < f->hunks[h].lines.nr; j++) {
					*add += f->hunks[h].lines.v[j][0] == '+';
					*del += f->hunks[h].lines.v[j][0] == '-';
				}
		}
}

static int scale_linear(int it, int width, int max_change)
{
	return it ? 1 + it * (width - 1) / max_change : 0;
}

/* git's show_stats(): the widths of the name and the graph in WIDTH columns. */
static void stat_widths(int width, int max_change, int max_len, int number_width,
			int *graph_width, int *name_width)
{
	*graph_width = max_change;
	*name_width = max_len;
	if (*name_width + number_width + 6 + *graph_width <= width)
		return;
	if (*graph_width > width * 3 / 8 - number_width - 6) {
		*graph_width = width * 3 / 8 - number_width - 6;
		if (*graph_width < 6)
			*graph_width = 6;
	}
	if (*name_width > width - number_width - 6 - *graph_width)
		*name_width = width - number_width - 6 - *graph_width;
	else
		*graph_width = width - number_width - 6 - *name_width;
}

/*
 * git's diffstat of PATCHES[0..N) as format-patch writes it (72 columns:
 * the graph scaled and a long name cut as git's show_stats() does), the
 * files by path.  The patches of a series are made from the same text and
 * never change one line twice (--apply refuses that), so their counts per
 * file add up to git diff --stat's for the whole series.
 */
static void add_diffstat(struct strbuf *out, const struct udiff **patches, size_t n)
{
	struct strlist names = STRLIST_INIT;
	int *add, *del, max_change = 0, max_len = 0, total_add = 0, total_del = 0;
	int number_width, graph_width, name_width;

	for (size_t p = 0; p < n; p++)
		for (size_t i = 0; i < patches[p]->nr; i++)
			if (!strlist_has(&names, patches[p]->files[i].path))
				strlist_push(&names, patches[p]->files[i].path);
	qsort(names.v, names.nr, sizeof(*names.v), cmp_name);
	add = xcalloc(names.nr + 1, sizeof(*add));
	del = xcalloc(names.nr + 1, sizeof(*del));
	for (size_t i = 0; i < names.nr; i++) {
		count_changes(patches, n, names.v[i], &add[i], &del[i]);
		if (add[i] + del[i] > max_change)
			max_change = add[i] + del[i];
		if ((int)strlen(names.v[i]) > max_len)
			max_len = (int)strlen(names.v[i]);
		total_add += add[i];
		total_del += del[i];
	}
	number_width = snprintf(NULL, 0, "%d", max_change);
	stat_widths(MAIL_WRAP, max_change, max_len, number_width, &graph_width,
		    &name_width);
	for (size_t i = 0; i < names.nr; i++) {
		const char *name = names.v[i], *prefix = "";
		int len = name_width, a = add[i], d = del[i];

		if (name_width < (int)strlen(name)) {
			prefix = "...";
			len -= 3;
			name += strlen(name) - (size_t)len;
			if (strchr(name, '/'))
				name = strchr(name, '/');
		}
		if (graph_width <= max_change) {
			int total = scale_linear(a + d, graph_width, max_change);

			if (total < 2 && a && d)
				total = 2;
			if (a < d) {
				a = scale_linear(a, graph_width, max_change);
				d = total - a;
			} else {
				d = scale_linear(d, graph_width, max_change);
				a = total - d;
			}
		}
		strbuf_addf(out, " %s%-*s | %*d%s", prefix, len, name, number_width,
			    add[i] + del[i], add[i] + del[i] ? " " : "");
		for (int k = 0; k < a; k++)
			strbuf_addch(out, '+');
		for (int k = 0; k < d; k++)
			strbuf_addch(out, '-');
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, " %zu file%s changed", names.nr,
		    names.nr == 1 ? "" : "s");
	if (total_add)
		strbuf_addf(out, ", %d insertion%s(+)", total_add,
			    total_add == 1 ? "" : "s");
	if (total_del)
		strbuf_addf(out, ", %d deletion%s(-)", total_del,
			    total_del == 1 ? "" : "s");
	strbuf_addstr(out, "\n\n");
	strlist_release(&names);
	free(add);
	free(del);
}

/* RFC 2047 for a display name that is not plain ASCII. */
static void add_from_header(struct strbuf *out, const char *from)
{
	const char *lt = strchr(from, '<');
	size_t n = (size_t)(lt - from);
	bool ascii = true;

	while (n && from[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)from[i] < 0x80;
	strbuf_addstr(out, "From: ");
	if (ascii) {
		strbuf_addstr(out, from);
	} else {
		strbuf_addstr(out, "=?UTF-8?q?");
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)from[i];

			if (c == ' ')
				strbuf_addch(out, '_');
			else if (isalnum(c))
				strbuf_addch(out, c);
			else
				strbuf_addf(out, "=%02X", c);
		}
		strbuf_addf(out, "?= %s", lt);
	}
	strbuf_addch(out, '\n');
}

static void add_subject(struct strbuf *out, const struct mail_opts *o,
			const struct ccg_finding *f)
{
	const struct rp_rule *rule = rulepack_find(o->rp, f->rule);
	char *prefix = file_prefix(o, f->file);

	strbuf_addf(out, "%s: %s", prefix, f->summary ? f->summary :
		    rule && rule->summary ? rule->summary : f->rule);
	free(prefix);
}

/*
 * How the fix was found, as Documentation/process/researcher-guidelines.rst
 * asks of a patch a tool found: the tool, its version, the rule, and the
 * command that finds it again.
 */
static void add_tool_paragraph(struct strbuf *out, const struct ccg_finding *f)
{
	struct strbuf para = STRBUF_INIT;

	strbuf_addf(&para, "Found by ccgate %s, a static checker for confidential-computing hazards, with its rule %s. To reproduce, in the tree:\n",
		    CCGATE_VERSION, f->rule);
	strbuf_addch(out, '\n');
	add_wrapped(out, para.buf);
	strbuf_addf(out, "\n  ccgate sweep --enable %s\n", f->rule);
	strbuf_release(&para);
}

/*
 * "base-commit:" and "prerequisite-patch-id:" as git format-patch --base
 * writes them, after the patch.  A work tree file that differs from HEAD
 * has no base the patch applies to: none is written.
 */
static void add_base(struct strbuf *out, const struct mail_opts *o,
		     const struct ccg_finding *f)
{
	if (!o->base_commit)
		return;
	if (!o->rev) {
		struct git_cmd c = GIT_CMD_INIT;
		int dirty;

		c.dir = o->root;
		git_cmd_args(&c, "diff", "--quiet", "--no-ext-diff", "HEAD",
			     "--", f->file, NULL);
		dirty = git_cmd_run(&c);
		git_cmd_release(&c);
		if (dirty) {
			ccg_report(stderr, f->file, 0, 0, CCG_SEV_NOTE, NULL,
				   "no base-commit: the file differs from HEAD");
			return;
		}
	}
	strbuf_addf(out, "\nbase-commit: %s\n", o->base_commit);
	for (size_t i = 0; i < o->prereqs.nr; i++)
		strbuf_addf(out, "prerequisite-patch-id: %s\n", o->prereqs.v[i]);
}

/* Run ARGV (no shell) in DIR with stdin from IN (NULL: /dev/null). */
static int run_capture(const char *dir, char *const *argv, const char *in,
		       struct strbuf *out)
{
	int pfd[2], status;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open(in ? in : "/dev/null", O_RDONLY);

		if (fd < 0 || dup2(fd, 0) < 0 || dup2(pfd[1], 1) < 0 ||
		    (dir && chdir(dir) < 0))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		strbuf_add(out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The files a patch touches. */
static void patch_files(const struct udiff *patch, struct strlist *files)
{
	for (size_t i = 0; patch && i < patch->nr; i++)
		if (!strlist_has(files, patch->files[i].path))
			strlist_push(files, patch->files[i].path);
}

/*
 * "Cc:" from the tree's own scripts/get_maintainer.pl --no-git (the
 * MAINTAINERS entries of FILES, without digging in the history), one
 * header folded as git format-patch --cc folds it.
 */
static void add_cc(struct strbuf *out, const struct mail_opts *o,
		   const struct strlist *files)
{
	struct strlist argv = STRLIST_INIT;
	struct strbuf res = STRBUF_INIT;
	bool first = true;

	strlist_push(&argv, "perl");
	strlist_push(&argv, "scripts/get_maintainer.pl");
	strlist_push(&argv, "--no-git");
	strlist_push(&argv, "--no-git-fallback");
	strlist_push(&argv, "--no-rolestats");
	for (size_t i = 0; i < files->nr; i++) {
		strlist_push(&argv, "-f");
		strlist_push(&argv, files->v[i]);
	}
	strlist_push_nodup(&argv, NULL);
	argv.nr--;
	if (run_capture(o->root, argv.v, NULL, &res))
		ccg_report(stderr, files->v[0], 0, 0, CCG_SEV_WARNING, NULL,
			   "no Cc: 'scripts/get_maintainer.pl' failed");
	else
		for (const char *p = res.buf; p && *p; ) {
			size_t n = strcspn(p, "\n");

			if (n && !memchr(p, '\r', n)) {
				strbuf_addstr(out, first ? "Cc: " : ",\n    ");
				strbuf_add(out, p, n);
				first = false;
			}
			p = p[n] ? p + n + 1 : NULL;
		}
	if (!first)
		strbuf_addch(out, '\n');
	strlist_release(&argv);
	strbuf_release(&res);
}

/* A mail's headers up to the body; Cc: for FILES with --cc-maintainers. */
static void add_headers(struct strbuf *out, const struct mail_opts *o,
			const char *tag, const char *subject,
			const struct strlist *files)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z",
		 localtime_r(&now, &tm));
	strbuf_addstr(out, "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
	add_from_header(out, o->from);
	strbuf_addf(out, "Date: %s\nSubject: [%s] %s\n", date, tag, subject);
	if (o->cc_maintainers && files->nr)
		add_cc(out, o, files);
	strbuf_addstr(out, "MIME-Version: 1.0\n"
			   "Content-Type: text/plain; charset=UTF-8\n"
			   "Content-Transfer-Encoding: 8bit\n\n");
}

/*
 * TAG: "PATCH", or "PATCH i/n" for a mail of a series; BASE: the
 * base-commit and prerequisite-patch-id lines, which a lone patch carries
 * (a series' cover letter carries them, as format-patch --cover-letter
 * --base writes them).
 */
static void format_mail(struct strbuf *out, const struct mail_opts *o,
			const struct ccg_finding *f, const char *tag,
			bool base, const char *subject)
{
	const struct rp_rule *rule = rulepack_find(o->rp, f->rule);
	const struct udiff *patch = f->patch;
	struct strlist files = STRLIST_INIT;
	struct strbuf para = STRBUF_INIT;

	patch_files(f->patch, &files);
	add_headers(out, o, tag, subject, &files);
	strlist_release(&files);
	strbuf_addf(&para, "In %s, %s.\n\n", f->file, f->message);
	if (rule && rule->explanation)
		strbuf_addstr(&para, rule->explanation);
	add_wrapped(out, para.buf);
	add_tool_paragraph(out, f);
	strbuf_reset(&para);
	add_fixes(&para, o, f);
	if (o->signoff)
		strbuf_addf(&para, "Signed-off-by: %s\n", o->from);
	if (para.len)
		strbuf_addf(out, "\n%s", para.buf);
	strbuf_addstr(out, "---\n");
	add_diffstat(out, &patch, 1);
	udiff_render(out, f->patch);
	if (base)
		add_base(out, o, f);
	strbuf_addf(out, "-- \nccgate %s\n\n", CCGATE_VERSION);
	strbuf_release(&para);
}

void mail_format(struct strbuf *out, const struct mail_opts *o,
		 const struct ccg_finding *f)
{
	struct strbuf subject = STRBUF_INIT;

	add_subject(&subject, o, f);
	format_mail(out, o, f, "PATCH", true, subject.buf);
	strbuf_release(&subject);
}

/*
 * format-patch's file name: the subject with runs of other bytes as '-'.
 * The subject comes from commit subjects of the tree: no '/', no control
 * character, no "..", no leading '.'.
 */
static void add_subject_name(struct strbuf *name, const char *subject)
{
	size_t start = name->len;
	bool dash = false;

	for (const char *s = subject; *s && name->len - start < 52; s++) {
		if (*s == '.' && (name->len == start ||
				  name->buf[name->len - 1] == '.' || dash)) {
			dash = true;
		} else if (isalnum((unsigned char)*s) || *s == '_' || *s == '.') {
			if (dash && name->len > start)
				strbuf_addch(name, '-');
			strbuf_addch(name, *s);
			dash = false;
		} else {
			dash = true;
		}
	}
	while (name->len > start && (name->buf[name->len - 1] == '.' ||
				     name->buf[name->len - 1] == '-'))
		strbuf_setlen(name, name->len - 1);
}

/* Is PATH ours (or root's) and writable by no one else? */
static const char *owner_problem(const char *path, bool dir)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return "it cannot be read";
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return dir ? "it is not a directory" :
			     "it is not a regular file (a symbolic link?)";
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return "it belongs to another user";
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return "others may write it";
	return NULL;
}

void mail_check_trust(const struct mail_opts *o)
{
	struct strbuf script = STRBUF_INIT;
	const char *why;

	if (!o->cc_maintainers)
		return;
	strbuf_addf(&script, "%s/scripts/get_maintainer.pl", o->root);
	why = owner_problem(o->root, true);
	if (why)
		die("--cc-maintainers: the tree '%s' is not trusted: %s", o->root,
		    why);
	why = owner_problem(script.buf, false);
	if (why)
		die("--cc-maintainers: '%s' is not trusted: %s", script.buf, why);
	/* the change under review must not bring the code that runs */
	if (o->upstream) {
		struct git_cmd c = GIT_CMD_INIT;

		c.dir = o->root;
		git_cmd_args(&c, "diff", "--quiet", "--no-ext-diff", o->upstream,
			     "--", "scripts/get_maintainer.pl",
			     ".get_maintainer.conf", NULL);
		if (git_cmd_run(&c))
			die("--cc-maintainers: '%s' is not trusted: the change under review (or the work tree) differs from %.12s there",
			    script.buf, o->upstream);
		git_cmd_release(&c);
	}
	strbuf_release(&script);
}

/* The commit the mails apply to, and the change's commits on top of it. */
static void settle_base(struct mail_opts *o)
{
	struct git_cmd c = GIT_CMD_INIT;
	const char *head = o->rev ? o->rev : "HEAD", *t = getenv("TMPDIR");
	struct strbuf tmp = STRBUF_INIT, r = STRBUF_INIT;
	char *range;
	int fd = -1;

	if (!o->git)
		return;
	o->base_commit = git_line(o->root, "rev-parse", "--verify", "-q",
				  o->upstream ? o->upstream : head, NULL);
	if (!o->base_commit || !o->upstream)
		return;
	strbuf_addf(&r, "%s..%s", o->upstream, head);
	range = strbuf_detach(&r);
	strbuf_addf(&tmp, "%s/ccgate-patch-id-XXXXXX", t && *t ? t : "/tmp");
	/* git patch-id --stable of each commit, as format-patch --base */
	c.dir = o->root;
	git_cmd_args(&c, "log", "-p", "--no-merges", "--topo-order", "--reverse",
		     "--no-ext-diff", "--no-textconv", "--format=commit %H", NULL);
	strlist_push_nodup(&c.args, range);
	fd = mkstemp(tmp.buf);
	if (fd < 0 || git_cmd_run(&c) ||
	    write(fd, c.out.buf ? c.out.buf : "", c.out.len) != (ssize_t)c.out.len ||
	    close(fd) < 0)
		goto out;
	git_cmd_release(&c);
	c.dir = o->root;
	c.in_path = tmp.buf;
	git_cmd_args(&c, "patch-id", "--stable", NULL);
	if (!git_cmd_run(&c))
		for (const char *p = c.out.buf; p && *p; ) {
			size_t n = strcspn(p, " \n");

			if (n == 40)
				strlist_push_nodup(&o->prereqs, xstrndup(p, n));
			p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
		}
out:
	if (fd >= 0)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	git_cmd_release(&c);
}

/* Into PRIOR, the hunks in PATH of the findings before I in LIST (borrowed). */
static void prior_hunks(const struct ccg_findings *list, size_t i, const char *path,
			struct udiff_file *prior)
{
	for (size_t j = 0; j < i; j++)
		for (size_t m = 0; list->v[j].patch && m < list->v[j].patch->nr; m++) {
			const struct udiff_file *e = &list->v[j].patch->files[m];

			for (size_t h = 0; !strcmp(e->path, path) && h < e->nr; h++) {
				ALLOC_GROW(prior->hunks, prior->nr, prior->alloc);
				prior->hunks[prior->nr++] = e->hunks[h];
			}
		}
}

/* The text of PATH that the findings' patches were made from. */
static int analyzed_text(const struct mail_opts *o, const char *path,
			 struct strbuf *out)
{
	struct strbuf s = STRBUF_INIT;
	int ret;

	if (o->rev) {
		strbuf_addf(&s, "%s:%s", o->rev, path);
		ret = git_blob(o->root, s.buf, out, NULL);
	} else {
		strbuf_addf(&s, "%s/%s", o->root, path);
		ret = strbuf_read_file(out, s.buf) < 0 ? -1 : 0;
	}
	strbuf_release(&s);
	return ret;
}

/*
 * The patch of the finding I of LIST as the next mail of the series: where
 * an earlier mail changed one of its files, rebased onto that change, so
 * that git am applies the series in order (each finding's patch is made
 * from the analyzed text).  NULL: the finding's own patch is the one.
 */
static struct udiff *series_patch(const struct mail_opts *o,
				  const struct ccg_findings *list, size_t i)
{
	const struct udiff *p = list->v[i].patch;
	struct udiff_file *prior = xcalloc(p->nr, sizeof(*prior));
	struct udiff *out = NULL;
	size_t moved = 0;
	int ret = 0;

	for (size_t k = 0; k < p->nr; k++) {
		prior_hunks(list, i, p->files[k].path, &prior[k]);
		moved += prior[k].nr;
	}
	if (moved)
		out = xcalloc(1, sizeof(*out));
	for (size_t k = 0; moved && k < p->nr && !ret; k++) {
		struct strbuf text = STRBUF_INIT;

		ret = analyzed_text(o, p->files[k].path, &text);
		if (!ret)
			ret = udiff_rebase(out, &prior[k], &p->files[k],
					   text.buf ? text.buf : "", text.len);
		strbuf_release(&text);
	}
	for (size_t k = 0; k < p->nr; k++)
		free(prior[k].hunks);
	free(prior);
	if (ret) {
		udiff_free(out);
		return NULL;
	}
	return out;
}

static bool share_file(const struct udiff *a, const struct udiff *b)
{
	for (size_t i = 0; i < a->nr; i++)
		for (size_t k = 0; k < b->nr; k++)
			if (!strcmp(a->files[i].path, b->files[k].path))
				return true;
	return false;
}

static size_t series_root(const size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i];
	return i;
}

/*
 * The series of each mail: mails that fix a file in common go together,
 * in order (the later ones are made on top of the earlier, series_patch());
 * SERIES[i] is the first finding of I's series.  AT[i] is I's number in
 * it, SIZE[series] how many it has.  Independent fixes are series of one,
 * a "[PATCH]" each for its own maintainers; format-patch numbers a series.
 */
static void mail_series(const struct ccg_findings *list, size_t *series,
			size_t *at, size_t *size)
{
	for (size_t i = 0; i < list->nr; i++) {
		series[i] = i;
		for (size_t j = 0; list->v[i].patch && j < i; j++) {
			size_t a = series_root(series, i), b = series_root(series, j);

			if (a != b && list->v[j].patch &&
			    share_file(list->v[i].patch, list->v[j].patch))
				series[a > b ? a : b] = a > b ? b : a;
		}
	}
	for (size_t i = 0; i < list->nr; i++) {
		series[i] = series_root(series, i);
		at[i] = list->v[i].patch ? ++size[series[i]] : 0;
	}
}

/* Write the mail of finding I of LIST, the NR-th file, tagged TAG. */
static int write_mail(const struct mail_opts *o, const struct ccg_findings *list,
		      size_t i, int nr, const char *tag, bool base)
{
	struct strbuf path = STRBUF_INIT, mail = STRBUF_INIT;
	struct strbuf subject = STRBUF_INIT;
	struct udiff *rebased = series_patch(o, list, i);
	struct ccg_finding g = list->v[i];
	int ret;

	add_subject(&subject, o, &g);
	strbuf_addf(&path, "%s/%04d-", o->dir, nr);
	add_subject_name(&path, subject.buf);
	strbuf_addstr(&path, ".patch");
	if (rebased)
		g.patch = rebased;
	format_mail(&mail, o, &g, tag, base, subject.buf);
	udiff_free(rebased);
	ret = write_file_atomic(path.buf, mail.buf, mail.len, 0644);
	if (ret < 0)
		error("cannot write '%s': %s", path.buf, strerror(errno));
	strbuf_release(&path);
	strbuf_release(&mail);
	strbuf_release(&subject);
	return ret;
}

/* "PATCH", or "PATCH AT/N" in a series (format-patch's width: N's). */
static void add_tag(struct strbuf *tag, size_t at, size_t n)
{
	strbuf_addstr(tag, "PATCH");
	if (n > 1)
		strbuf_addf(tag, " %0*zu/%zu", snprintf(NULL, 0, "%zu", n), at, n);
}

/*
 * The cover letter of the series of LIST's findings MEMBERS[0..N), the
 * NR-th file, as git format-patch --cover-letter --base writes one, with
 * its subject and blurb filled in: what ccgate found where, the shortlog,
 * the series' diffstat and base.  The subject is the rule's summary when
 * one rule found them all.
 */
static int write_cover(const struct mail_opts *o, const struct ccg_findings *list,
		       const size_t *members, size_t n, int nr)
{
	const struct ccg_finding *f = &list->v[members[0]];
	const struct rp_rule *rule = rulepack_find(o->rp, f->rule);
	const struct udiff **patches = xcalloc(n, sizeof(*patches));
	struct strlist files = STRLIST_INIT, rules = STRLIST_INIT;
	struct strbuf mail = STRBUF_INIT, text = STRBUF_INIT, s = STRBUF_INIT;
	char *prefix = file_prefix(o, f->file);
	int ret;

	for (size_t i = 0; i < n; i++) {
		patches[i] = list->v[members[i]].patch;
		patch_files(patches[i], &files);
		if (!strlist_has(&rules, list->v[members[i]].rule))
			strlist_push(&rules, list->v[members[i]].rule);
	}
	strbuf_addf(&s, "%s: ", prefix);
	if (rules.nr == 1 && rule && rule->summary)
		strbuf_addstr(&s, rule->summary);
	else
		strbuf_addf(&s, "Fix confidential-computing hazards in %s", f->file);
	add_tag(&text, 0, n);
	add_headers(&mail, o, text.buf, s.buf, &files);
	strbuf_reset(&text);
	strbuf_addf(&text, "ccgate %s, a static checker for confidential-computing hazards, found %zu problems in ",
		    CCGATE_VERSION, n);
	for (size_t i = 0; i < files.nr; i++)
		strbuf_addf(&text, "%s%s", i == 0 ? "" : i + 1 < files.nr ? ", " : " and ",
			    files.v[i]);
	strbuf_addf(&text, " with its rule%s", rules.nr > 1 ? "s" : "");
	for (size_t i = 0; i < rules.nr; i++)
		strbuf_addf(&text, "%s%s", i == 0 ? " " : i + 1 < rules.nr ? ", " : " and ",
			    rules.v[i]);
	strbuf_addf(&text, ". These %zu patches fix them. They change the same code, so they apply in this order, each on top of the one before.\n",
		    n);
	add_wrapped(&mail, text.buf);
	strbuf_reset(&text);
	strbuf_add(&text, o->from, strcspn(o->from, "<"));
	while (text.len && text.buf[text.len - 1] == ' ')
		strbuf_setlen(&text, text.len - 1);
	strbuf_addf(&mail, "\n%s (%zu):\n", text.buf, n);
	for (size_t i = 0; i < n; i++) {
		strbuf_reset(&s);
		add_subject(&s, o, &list->v[members[i]]);
		add_wrapped_indented(&mail, s.buf, 2, 4);	/* git shortlog -w */
	}
	strbuf_addch(&mail, '\n');
	add_diffstat(&mail, patches, n);
	add_base(&mail, o, f);
	strbuf_addf(&mail, "-- \nccgate %s\n\n", CCGATE_VERSION);
	strbuf_reset(&text);
	strbuf_addf(&text, "%s/%04d-cover-letter.patch", o->dir, nr);
	ret = write_file_atomic(text.buf, mail.buf, mail.len, 0644);
	if (ret < 0)
		error("cannot write '%s': %s", text.buf, strerror(errno));
	free(prefix);
	free(patches);
	strlist_release(&files);
	strlist_release(&rules);
	strbuf_release(&mail);
	strbuf_release(&text);
	strbuf_release(&s);
	return ret;
}

/* The cover letter of the N findings of the series of LIST's finding I. */
static int cover(const struct mail_opts *o, const struct ccg_findings *list,
		 const size_t *series, size_t i, size_t n, int nr)
{
	size_t *members = xcalloc(n, sizeof(*members)), k = 0;
	int ret;

	for (size_t j = i; j < list->nr && k < n; j++)
		if (series[j] == series[i] && list->v[j].patch)
			members[k++] = j;
	ret = write_cover(o, list, members, k, nr);
	free(members);
	return ret;
}

int mail_write_all(struct mail_opts *o, const struct ccg_findings *list)
{
	size_t *series = xcalloc(list->nr + 1, sizeof(*series));
	size_t *at = xcalloc(list->nr + 1, sizeof(*at));
	size_t *size = xcalloc(list->nr + 1, sizeof(*size));
	struct strbuf tag = STRBUF_INIT;
	int nr = 0;
	bool made;

	mail_check_trust(o);
	settle_base(o);
	made = !mkdir(o->dir, 0777);

	if (!made && errno != EEXIST) {
		error("cannot create '%s': %s", o->dir, strerror(errno));
		nr = -1;
	}
	mail_series(list, series, at, size);
	for (size_t i = 0; nr >= 0 && i < list->nr; i++) {
		size_t n = size[series[i]];

		if (!list->v[i].patch)
			continue;
		strbuf_reset(&tag);
		add_tag(&tag, at[i], n);
		if ((n > 1 && at[i] == 1 && cover(o, list, series, i, n, ++nr) < 0) ||
		    write_mail(o, list, i, ++nr, tag.buf, n == 1) < 0) {
			if (made)	/* no empty directory left */
				rmdir(o->dir);
			nr = -1;
		}
	}
	strbuf_release(&tag);
	free(series);
	free(at);
	free(size);
	return nr;
}
