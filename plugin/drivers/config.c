// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tree's option file, as checkpatch reads .checkpatch.conf: ".ccgate"
 * at the tree root holds one option per line ("--name", "--name=value" or
 * "--name value"; the value is the rest of the line), blank lines and
 * lines starting with '#' are skipped.  Every verb and the kbuild slot read
 * it; CCGATE_OPTIONS (shell words, no expansion) comes after it and the
 * command line after both, so the later one wins.  Each line goes through
 * the option table of cli.c, so an option is defined once.
 *
 * What the file may not say: the options that act on one run (--apply,
 * --fix-dir, --format-patch, --tree, --chain, --no-config, --help).  A tree
 * is data; a file in it must not make ccgate write into it.  The slot takes
 * from it only what chooses the findings (--rules, --enable, --disable,
 * --baseline, --exclude), not what changes the build (--fail-on, --format):
 * kbuild's checker contract is exit 0 and no files unless CHECK= asks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compdb.h"
#include "diag.h"
#include "banned.h"

#define CONFIG_FILE ".ccgate"
#define CONFIG_ENV "CCGATE_OPTIONS"
#define CONFIG_BASELINE ".ccgate-baseline.json"
#define CONFIG_MAX (1 << 20)

static void config_line(struct ccg_cli *cli, const char *dir, char *p,
			unsigned from)
{
	char *end = p + strlen(p), *name, *q, *value = NULL;

	while (*p == ' ' || *p == '\t')
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	if (!*p || *p == '#')
		return;
	if (strncmp(p, "--", 2) || !p[2] || p[2] == '=' || p[2] == ' ')
		die("%s: expected one option per line ('--name' or '--name=value'), not '%s'",
		    cli->origin, p);
	name = p + 2;
	q = name + strcspn(name, "= \t");
	if (*q == '=') {
		*q = '\0';
		value = q + 1;
	} else if (*q) {
		*q++ = '\0';
		while (*q == ' ' || *q == '\t')
			q++;
		value = q;
	}
	if (cli_set_named(cli, name, value, from, dir) < 0)
		die("%s: unknown option '--%s' (see 'ccgate --help')",
		    cli->origin, name);
}

/* A missing file is no file; anything else that is not a text file is bad. */
static bool config_read(const char *path, struct strbuf *text)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return false;
		die("cannot open '%s': %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		die("'%s' is not a regular file", path);
	if (st.st_size > CONFIG_MAX)
		die("'%s' is larger than 1 MiB: not an option file", path);
	if (strbuf_read_file(text, path) < 0)
		die("cannot read '%s': %s", path, strerror(errno));
	if (memchr(text->buf, '\0', text->len))
		die("'%s' holds a NUL byte: not an option file", path);
	return true;
}

static void config_file(struct ccg_cli *cli, const char *root, unsigned from)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *p, *nl;
	unsigned lineno = 0;

	strbuf_addf(&path, "%s/%s", root, CONFIG_FILE);
	if (!config_read(path.buf, &text)) {
		strbuf_release(&path);
		return;
	}
	for (p = text.buf; p && *p; p = nl) {
		struct strbuf where = STRBUF_INIT;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		strbuf_addf(&where, "%s:%u", path.buf, ++lineno);
		cli->origin = where.buf;
		config_line(cli, root, p, from);
		cli->origin = NULL;
		strbuf_release(&where);
	}
	strbuf_release(&text);
	strbuf_release(&path);
}

/* CCGATE_OPTIONS: words as the shell splits them, paths as the shell's. */
static void config_env(struct ccg_cli *cli, unsigned from)
{
	const char *env = getenv(CONFIG_ENV);
	struct strlist words = STRLIST_INIT;
	struct strbuf err = STRBUF_INIT;

	if (!env)
		return;
	if (compdb_split_command(env, &words, &err) < 0)
		die("%s: %s", CONFIG_ENV, err.buf);
	cli->origin = CONFIG_ENV;
	for (size_t i = 0; i < words.nr; i++) {
		char *w = words.v[i], *eq, *value = NULL;
		int has;

		if (strncmp(w, "--", 2) || !w[2] || w[2] == '=')
			die("%s: expected options ('--name' or '--name=value'), not '%s'",
			    CONFIG_ENV, w);
		eq = strchr(w, '=');
		if (eq) {
			*eq = '\0';
			value = eq + 1;
		}
		has = cli_option_has_value(w + 2, from);
		if (has > 0 && !value && i + 1 < words.nr)
			value = words.v[++i];
		if (cli_set_named(cli, w + 2, value, from, NULL) < 0)
			die("%s: unknown option '%s' (see 'ccgate --help')",
			    CONFIG_ENV, w);
	}
	cli->origin = NULL;
	strlist_release(&words);
	strbuf_release(&err);
}

void config_apply(struct ccg_cli *cli, const char *root, unsigned from)
{
	if (root && !cli->no_config)
		config_file(cli, root, from);
	config_env(cli, from);
}

void config_default_baseline(struct ccg_cli *cli, const char *root)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;

	if (cli->baseline || cli->no_config)
		return;
	strbuf_addf(&path, "%s/%s", root, CONFIG_BASELINE);
	if (lstat(path.buf, &st) < 0) {
		strbuf_release(&path);
		return;
	}
	if (!S_ISREG(st.st_mode))
		die("'%s' is not a regular file", path.buf);
	strlist_push_nodup(&cli->owned, strbuf_detach(&path));
	cli->baseline = cli->owned.v[cli->owned.nr - 1];
}
