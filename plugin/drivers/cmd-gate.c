// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccgate gate: fail a CI job only for what a change introduced.  The files
 * changed between merge-base(REV, HEAD) and HEAD are analyzed as they are
 * at HEAD and at the merge base; both versions come from git's object store
 * as in-memory overlays, so the work tree is neither read for them nor
 * written.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "diag.h"
#include "gitio.h"
#include "banned.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* The base when --base is not given: what the CI system says. */
static const char *default_base(struct strbuf *sb)
{
	const char *v = env("CI_MERGE_REQUEST_DIFF_BASE_SHA");

	if (v)
		return v;
	v = env("GITHUB_BASE_REF");
	if (!v)
		v = env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
	if (!v)
		die("gate needs a base: pass --base REV (in CI: the target branch, e.g. --base origin/master)");
	strbuf_addf(sb, "origin/%s", v);
	return sb->buf;
}

static bool is_hex_id(const char *s)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	return n >= 7 && !s[n];
}

static bool is_shallow(const char *root)
{
	char *s = git_line(root, "rev-parse", "--is-shallow-repository", NULL);
	bool yes = s && !strcmp(s, "true");

	free(s);
	return yes;
}

/* REV is not in the clone: say what to fetch. */
static void __attribute__((noreturn)) die_missing_base(const char *root,
							const char *rev)
{
	const char *slash = strchr(rev, '/');

	if (is_hex_id(rev))
		die("base '%s' is not in this clone; fetch it: git fetch --no-tags origin %s (and deepen until it connects to HEAD)",
		    rev, rev);
	if (slash && slash != rev) {
		char *remote = xstrndup(rev, (size_t)(slash - rev));
		char *url = git_line(root, "remote", "get-url", remote, NULL);

		if (url) {
			free(url);
			die("base '%s' is not in this clone; fetch it: git fetch --no-tags %s %s:refs/remotes/%s (actions/checkout: fetch-depth: 0)",
			    rev, remote, slash + 1, rev);
		}
		free(remote);
	}
	die("unknown revision '%s' for --base%s", rev,
	    is_shallow(root) ? " (this clone is shallow: fetch the base branch first)" : "");
}

static char *resolve(const char *root, const char *rev)
{
	struct strbuf spec = STRBUF_INIT;
	char *id;

	strbuf_addf(&spec, "%s^{commit}", rev);
	id = git_line(root, "rev-parse", "--verify", "--quiet",
		      "--end-of-options", spec.buf, NULL);
	strbuf_release(&spec);
	return id;
}

/* The blob ID into OUT; -1 if git cannot give it. */
static int read_blob(const char *root, const char *id, const char *path,
		     struct strbuf *out)
{
	struct strbuf why = STRBUF_INIT;
	int ret = git_blob(root, id, out, &why);

	if (ret)
		error("cannot read '%s' (%.12s) from git: %s", path, id, why.buf);
	strbuf_release(&why);
	return ret;
}

static bool is_c_or_h(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h"));
}

/*
 * One side of a raw diff record: regular files only (a symlink's blob is
 * its target, a gitlink has none), the all-zero id of an absent file skipped.
 */
static void load_blob(const char *root, const char *mode, const char *id,
		      const char *path, struct cmp_side *side)
{
	struct strbuf text = STRBUF_INIT;

	if (strncmp(mode, "100", 3) || strspn(id, "0") == strlen(id))
		return;
	if (!read_blob(root, id, path, &text))
		cmp_side_set(side, root, path, text.buf ? text.buf : "",
			     text.len);
	strbuf_release(&text);
}

/*
 * The changed C files of BASE..HEAD into the two sides, from
 * "git diff --raw -z": ":MODE1 MODE2 ID1 ID2 STATUS\0PATH\0" records.
 */
static void load_changes(const char *root, const char *base, const char *head,
			 struct cmp_side *before, struct cmp_side *after)
{
	struct git_cmd c = GIT_CMD_INIT;
	struct git_raw_record r;
	const char *p, *end;
	int rc;

	c.dir = root;
	git_cmd_args(&c, "diff", "--no-ext-diff", "--no-textconv",
		     "--no-renames", "--raw", "--no-abbrev", "-z", base, head,
		     "--", NULL);
	if (git_cmd_run(&c))
		die("cannot list the changes of %.12s..%.12s: %s", base, head,
		    git_cmd_error(&c));
	p = c.out.buf ? c.out.buf : "";
	end = p + c.out.len;
	while ((rc = git_raw_next(&p, end, &r)) > 0) {
		if (is_c_or_h(r.path)) {
			load_blob(root, r.mode1, r.id1, r.path, before);
			load_blob(root, r.mode2, r.id2, r.path, after);
		}
	}
	if (rc < 0)
		die("cannot read git's list of changes near '%.40s'", p);
	git_cmd_release(&c);
}

int cmd_gate(struct ccg_cli *cli)
{
	const char *tree = cli->paths.nr ? cli->paths.v[0] : ".";
	struct strbuf envbase = STRBUF_INIT, what = STRBUF_INIT;
	struct cmp_side before, after;
	char *top, *base, *head, *mb;
	const char *rev;
	struct stat st;
	int ret;

	if (cli->paths.nr > 1)
		die("gate takes one tree, not %zu", cli->paths.nr);
	if (stat(tree, &st) < 0)
		die("cannot open '%s': %s", tree, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("'%s' is not a directory", tree);
	top = git_line(NULL, "--version", NULL);
	if (!top)
		die("cannot run 'git': gate needs git in PATH");
	free(top);
	top = git_line(tree, "rev-parse", "--show-toplevel", NULL);
	if (!top || !git_is_worktree(tree))
		die("'%s' is not a git work tree (gate compares git revisions; use 'ccgate sweep')",
		    tree);
	cli_set_root(cli, top);
	free(top);
	rev = cli->base ? cli->base : default_base(&envbase);
	if (!*rev || *rev == '-')
		die("bad --base '%s'", rev);
	head = resolve(cli->root, "HEAD");
	if (!head)
		die("'%s' has no commit at HEAD", cli->root);
	base = resolve(cli->root, rev);
	if (!base)
		die_missing_base(cli->root, rev);
	mb = git_line(cli->root, "merge-base", base, head, NULL);
	if (!mb) {
		if (is_shallow(cli->root))
			die("no merge base of '%s' and HEAD in this shallow clone; deepen it: git fetch --deepen=200 origin (or --unshallow; actions/checkout: fetch-depth: 0)",
			    rev);
		die("'%s' and HEAD have no common history", rev);
	}
	strbuf_addf(&what, "gate %.12s..%.12s", mb, head);
	/* with the merge base known: --cc-maintainers' trust needs it */
	cli->mail_upstream = mb;
	cli_check_outputs(cli);
	cmp_side_init(&before);
	cmp_side_init(&after);
	load_changes(cli->root, mb, head, &before, &after);
	cmp_side_run(cli, &before);
	cmp_side_run(cli, &after);
	ret = cmp_report(cli, &before, &after, CCG_SEV_ERROR, head, what.buf);
	cmp_side_release(&before);
	cmp_side_release(&after);
	free(base);
	free(head);
	free(mb);
	strbuf_release(&envbase);
	strbuf_release(&what);
	return ret;
}
