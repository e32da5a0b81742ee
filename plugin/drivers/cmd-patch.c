// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccgate patch: checkpatch's workflow for these rules.  The patch (a
 * format-patch mail, an mbox series or a plain diff) is applied with
 * `git apply` to copies of the files it touches in a temporary directory;
 * the patched texts are then analyzed as an overlay on TREE and compared
 * with the unpatched files.  TREE is only read.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "diag.h"
#include "gitio.h"
#include "treepath.h"
#include "banned.h"

static char tmpdir[PATH_MAX];	/* holds tree/ and a patch read from stdin */
static char treedir[PATH_MAX];	/* the copies of the touched files, patched */
static char basedir[PATH_MAX];	/* the copies, without the patches in TREE */
static pid_t tmp_owner;

/*
 * Everything the temporary directory can hold, in creation order, so that a
 * signal handler can remove it with unlink() and rmdir() alone (nftw() is
 * not async-signal-safe).  Pushed with the signals blocked.
 */
static struct strlist tmp_entries;

static void tmp_register(const char *path)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	strlist_push(&tmp_entries, path);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tmpdir(void)
{
	sigset_t all, old;

	if (getpid() != tmp_owner)
		return;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (tmpdir[0])
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	strlist_release(&tmp_entries);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void remove_tmpdir_on_signal(int sig)
{
	if (getpid() == tmp_owner) {
		for (size_t i = tmp_entries.nr; i-- > 0; )
			if (unlink(tmp_entries.v[i]) < 0)
				rmdir(tmp_entries.v[i]);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void make_subdir(char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", tmpdir, name);
	tmp_register(sb.buf);
	if (sb.len >= PATH_MAX || mkdir(sb.buf, 0700) < 0)
		die("cannot create '%s': %s", sb.buf, strerror(errno));
	memcpy(dir, sb.buf, sb.len + 1);
	strbuf_release(&sb);
}

static void make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	struct strbuf sb = STRBUF_INIT;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = remove_tmpdir_on_signal;
	sigfillset(&sa.sa_mask);
	strbuf_addf(&sb, "%s/ccgate-patch-XXXXXX", t && *t ? t : "/tmp");
	if (sb.len >= sizeof(tmpdir))
		die("temporary directory name too long: '%s'", sb.buf);
	tmp_owner = getpid();
	atexit(remove_tmpdir);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* mkdtemp() makes it 0700: private to us */
	if (!mkdtemp(sb.buf))
		die("cannot create a temporary directory in '%s': %s",
		    t && *t ? t : "/tmp", strerror(errno));
	memcpy(tmpdir, sb.buf, sb.len + 1);
	tmp_register(tmpdir);
	make_subdir(treedir, "tree");
	make_subdir(basedir, "base");
	strbuf_release(&sb);
}

static void copy_into_tmp(const char *root, const char *rel, const char *dir)
{
	struct strbuf src = STRBUF_INIT, dst = STRBUF_INIT, text = STRBUF_INIT;
	int fd;

	strbuf_addf(&src, "%s/%s", root, rel);
	strbuf_addf(&dst, "%s/%s", dir, rel);
	/* the directories and the file, for the signal handler */
	for (char *s = dst.buf + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		tmp_register(dst.buf);
		*s = '/';
	}
	tmp_register(dst.buf);
	if (strbuf_read_file(&text, src.buf) < 0) {
		if (errno != ENOENT)
			die("cannot read '%s': %s", src.buf, strerror(errno));
		goto out;	/* the patch creates it */
	}
	for (char *s = dst.buf + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(dst.buf, 0700) < 0 && errno != EEXIST)
			die("cannot create '%s': %s", dst.buf, strerror(errno));
		*s = '/';
	}
	fd = open(dst.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || write(fd, text.buf ? text.buf : "", text.len) !=
		      (ssize_t)text.len || close(fd) < 0)
		die("cannot write '%s': %s", dst.buf, strerror(errno));
out:
	strbuf_release(&src);
	strbuf_release(&dst);
	strbuf_release(&text);
}

/*
 * The paths of `git apply --numstat -z` (both sides of a rename or copy),
 * each checked: nothing outside ROOT, through a symlink that leaves it, or
 * inside .git/.
 */
static int touched_paths(const char *root, const char *patch,
			 const char *name, struct strlist *paths, bool in_series)
{
	struct git_cmd c = GIT_CMD_INIT;
	int ret;

	c.dir = treedir;
	c.no_repo = true;
	git_cmd_args(&c, "apply", "--numstat", "-z", patch, NULL);
	ret = git_cmd_run(&c);
	if (ret < 0)
		die("cannot run 'git' (patch applies with git apply): %s",
		    git_cmd_error(&c));
	if (ret) {
		if (c.err.buf && strstr(c.err.buf, "No valid patches")) {
			/* a cover letter, or a mail of the thread */
			if (in_series) {
				git_cmd_release(&c);
				return -1;
			}
			die("'%s' holds no patch", name);
		}
		die("'%s' is not a patch git can read: %s", name,
		    git_cmd_error(&c));
	}
	if (git_numstat_paths(c.out.buf ? c.out.buf : "", c.out.len,
			      paths) < 0)
		die("cannot read git's list of the paths '%s' touches", name);
	git_cmd_release(&c);
	if (!paths->nr && !in_series)
		die("'%s' changes no file", name);
	for (size_t i = 0; i < paths->nr; i++) {
		const char *why = tree_path_problem(paths->v[i]);

		if (!why && tree_path_escapes(root, paths->v[i]))
			why = "a path through a symbolic link leaving the tree";
		if (why)
			die("'%s' touches %s: '%s'", name, why, paths->v[i]);
	}
	return 0;
}

/* What git apply would misread, refused before it runs. */
static void check_patch_text(const char *name, const struct strbuf *text)
{
	struct strbuf bad = STRBUF_INIT;
	const char *why = tree_patch_header_problem(text->buf, text->len, &bad);

	if (why)
		die("'%s' touches %s: '%s'", name, why, bad.buf);
}

/* "-": the patch is read from standard input into the temporary directory. */
static void save_stdin(char *path, size_t size)
{
	struct strbuf text = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd;

	while ((n = read(0, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("cannot read the patch from standard input: %s",
			    strerror(errno));
		strbuf_add(&text, buf, (size_t)n);
	}
	if (!text.len)
		die("the patch on standard input is empty");
	check_patch_text("-", &text);
	if ((size_t)snprintf(path, size, "%s/stdin.patch", tmpdir) >= size)
		die("temporary directory name too long");
	tmp_register(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text.buf, text.len) != (ssize_t)text.len ||
	    close(fd) < 0)
		die("cannot write '%s': %s", path, strerror(errno));
	strbuf_release(&text);
}

static void validate_patch_file(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct stat st;

	if (stat(path, &st) < 0)
		die("cannot open '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("'%s' is not a regular file", path);
	if (strbuf_read_file(&text, path) < 0)
		die("cannot read '%s': %s", path, strerror(errno));
	if (!text.len)
		die("'%s' is empty", path);
	check_patch_text(path, &text);
	strbuf_release(&text);
}

/* One mail of a series, saved on its own in the temporary directory. */
struct series_patch {
	char *path;
	char *subject;
	bool has_diff;		/* not a cover letter */
	bool in_tree;		/* already applied to TREE */
};

struct series {
	struct series_patch *v;
	size_t nr, alloc;
	size_t nr_diffs;
};

/* The subject of a mail without its "[PATCH n/m] ", or NULL. */
static char *mail_subject(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	/* the headers end at the first empty line */
	while (p < end && *p != '\n') {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *s = p + 9, *b;

		if (!e)
			e = end;
		if (e - p > 9 && !strncmp(p, "Subject: ", 9)) {
			b = memchr(s, ']', (size_t)(e - s));
			if (*s == '[' && b)
				s = b + 1;
			while (s < e && *s == ' ')
				s++;
			return xstrndup(s, e - s > 72 ? 72 : (size_t)(e - s));
		}
		p = e + 1;
	}
	return NULL;
}

static void series_add(struct series *sr, const char *text, size_t len)
{
	struct series_patch *p;
	struct strbuf path = STRBUF_INIT;
	int fd;

	ALLOC_GROW(sr->v, sr->nr + 1, sr->alloc);
	p = &sr->v[sr->nr];
	memset(p, 0, sizeof(*p));
	strbuf_addf(&path, "%s/%04zu.patch", tmpdir, ++sr->nr);
	tmp_register(path.buf);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0)
		die("cannot write '%s': %s", path.buf, strerror(errno));
	p->path = strbuf_detach(&path);
	p->subject = mail_subject(text, len);
}

/*
 * Split an mbox at its "From " lines (format-patch's "From <id> Mon Sep 17
 * 00:00:00 2001", an mbox's separators): a line that starts the file or
 * follows a blank line, which no line of a diff can be.  Anything else, a
 * plain diff included, is one piece.
 */
static void split_series(const char *path, struct series *sr)
{
	struct strbuf text = STRBUF_INIT;
	size_t start = 0;

	if (strbuf_read_file(&text, path) < 0)
		die("cannot read '%s': %s", path, strerror(errno));
	for (size_t off = 0; off < text.len; ) {
		const char *nl = memchr(text.buf + off, '\n', text.len - off);
		size_t next = nl ? (size_t)(nl - text.buf) + 1 : text.len;

		if (off > start && !strncmp(text.buf + off, "From ", 5) &&
		    off >= 2 && text.buf[off - 2] == '\n') {
			series_add(sr, text.buf + start, off - start);
			start = off;
		}
		off = next;
	}
	series_add(sr, text.buf + start, text.len - start);
	strbuf_release(&text);
}

static void series_release(struct series *sr)
{
	for (size_t i = 0; i < sr->nr; i++) {
		free(sr->v[i].path);
		free(sr->v[i].subject);
	}
	free(sr->v);
}

/* git apply [-R] [--check] PATCH in DIR; *WHY gets git's reason. */
static int git_apply_in(const char *dir, const char *patch, bool reverse,
			bool check, char **why)
{
	struct git_cmd c = GIT_CMD_INIT;
	int ret;

	c.dir = dir;
	c.no_repo = true;
	git_cmd_args(&c, "apply", "--whitespace=nowarn", NULL);
	if (reverse)
		git_cmd_args(&c, "-R", NULL);
	if (check)
		git_cmd_args(&c, "--check", NULL);
	git_cmd_args(&c, patch, NULL);
	ret = git_cmd_run(&c);
	if (ret && why)
		*why = xstrdup(git_cmd_error(&c));
	git_cmd_release(&c);
	return ret;
}

/*
 * The paths every patch of the series touches, each checked, into PATHS;
 * a mail without a diff (a cover letter) is no patch.
 */
static void series_paths(const char *root, struct series *sr, const char *name,
			 struct strlist *paths)
{
	for (size_t i = 0; i < sr->nr; i++) {
		struct strlist own = STRLIST_INIT;

		if (touched_paths(root, sr->v[i].path, name, &own, sr->nr > 1) < 0 ||
		    !own.nr) {
			strlist_release(&own);
			continue;
		}
		sr->v[i].has_diff = true;
		sr->nr_diffs++;
		for (size_t k = 0; k < own.nr; k++)
			if (!strlist_has(paths, own.v[k]))
				strlist_push(paths, own.v[k]);
		strlist_release(&own);
	}
	if (!paths->nr)
		die("'%s' holds no patch", name);
}

/*
 * Apply the series in order to the copies in treedir.  A patch that does
 * not apply but whose reverse does is already in TREE (b4 prep --check
 * runs on the commits of the work tree): TREE is its patched side, and it
 * is reversed in basedir instead.  A later patch of a series that neither
 * applies nor is in TREE is skipped with git's reason; a lone patch that
 * does not apply is an input error.
 */
static void apply_series(struct ccg_cli *cli, struct series *sr,
			 const char *name, struct strlist *skipped)
{
	size_t k = 0;

	for (size_t i = 0; i < sr->nr; i++) {
		struct series_patch *p = &sr->v[i];
		struct strbuf line = STRBUF_INIT;
		char *why = NULL;

		if (!p->has_diff)
			continue;
		k++;
		if (!git_apply_in(treedir, p->path, false, false, &why))
			continue;
		if (!git_apply_in(treedir, p->path, true, true, NULL)) {
			p->in_tree = true;
			free(why);
			continue;
		}
		if (sr->nr_diffs == 1)
			die("'%s' does not apply to '%s': %s", name, cli->root, why);
		strbuf_addf(&line, "patch %zu/%zu", k, sr->nr_diffs);
		if (p->subject)
			strbuf_addf(&line, " '%s'", p->subject);
		strbuf_addf(&line, " skipped: it does not apply: %s", why);
		strlist_push_nodup(skipped, strbuf_detach(&line));
		free(why);
	}
	for (size_t i = sr->nr; i-- > 0; ) {
		char *why = NULL;

		if (sr->v[i].in_tree &&
		    git_apply_in(basedir, sr->v[i].path, true, false, &why))
			die("cannot take '%s' back out of the copies of '%s': %s",
			    name, cli->root, why);
	}
}

/* The text of RELPATH under DIR, if a regular file, on SIDE. */
static void side_from_dir(struct ccg_cli *cli, struct cmp_side *side,
			  const char *dir, const char *relpath)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	struct stat st;

	strbuf_addf(&p, "%s/%s", dir, relpath);
	if (!lstat(p.buf, &st) && S_ISREG(st.st_mode) &&
	    !strbuf_read_file(&text, p.buf))
		cmp_side_set(side, cli->root, relpath, text.buf ? text.buf : "",
			     text.len);
	strbuf_release(&p);
	strbuf_release(&text);
}

int cmd_patch(struct ccg_cli *cli)
{
	const char *tree = cli->tree ? cli->tree : ".";
	struct strlist paths = STRLIST_INIT, skipped = STRLIST_INIT;
	struct series sr = { NULL, 0, 0, 0 };
	struct cmp_side before, after;
	char patch[PATH_MAX];
	struct stat st;
	int ret;

	if (cli->paths.nr != 1)
		die("patch takes one patch file (see 'ccgate --help')");
	if (cli->format_patch)
		die("--format-patch is for sweep and gate, not patch");
	if (strcmp(cli->paths.v[0], "-")) {
		validate_patch_file(cli->paths.v[0]);
		if (!realpath(cli->paths.v[0], patch))
			die("cannot open '%s': %s", cli->paths.v[0],
			    strerror(errno));
	}
	if (stat(tree, &st) < 0 || !S_ISDIR(st.st_mode))
		die("tree '%s' is not a directory", tree);
	cli_set_root(cli, tree);
	cli_check_outputs(cli);
	make_tmpdir();
	if (!strcmp(cli->paths.v[0], "-"))
		save_stdin(patch, sizeof(patch));
	split_series(patch, &sr);
	series_paths(cli->root, &sr, cli->paths.v[0], &paths);
	for (size_t i = 0; i < paths.nr; i++) {
		copy_into_tmp(cli->root, paths.v[i], treedir);
		copy_into_tmp(cli->root, paths.v[i], basedir);
	}
	apply_series(cli, &sr, cli->paths.v[0], &skipped);

	cmp_side_init(&before);
	cmp_side_init(&after);
	for (size_t i = 0; i < paths.nr; i++) {
		side_from_dir(cli, &before, basedir, paths.v[i]);
		side_from_dir(cli, &after, treedir, paths.v[i]);
	}
	cmp_side_run(cli, &before);
	cmp_side_run(cli, &after);
	after.sw.stats.skipped_patches = &skipped;
	after.sw.stats.patch_name = cli->paths.v[0];
	ret = cmp_report(cli, &before, &after, CCG_SEV_NOTE, NULL, "patch");
	cmp_side_release(&before);
	cmp_side_release(&after);
	strlist_release(&paths);
	strlist_release(&skipped);
	series_release(&sr);
	return ret;
}
