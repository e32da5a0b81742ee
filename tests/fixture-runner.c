// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-describing fixtures, in the manner of sparse's validation/: each
 * fixture ends with a comment block that names the command and the exact
 * expected output.
 *
 *   check-name: <what the fixture shows>
 *   check-command: ccgate check --tree $root $file
 *   check-exit-value: 1
 *   check-output-start
 *   <exact stdout, one line per line>
 *   check-output-end
 *   check-output-file: <file with the exact stdout, e.g. a golden patch>
 *   check-known-to-fail
 *
 * $root is the fixture's rule directory (tests/fixtures/<rule>), $file the
 * fixture relative to it; commands run in $root, "ccgate" is the built
 * binary.  An unknown check- tag is an error, so a typo cannot turn a test
 * off.
 *
 * Usage: fixture-runner CCGATE FIXTURE-DIR...          (Check suite)
 *        fixture-runner --format CCGATE FIXTURE-FILE   (rewrite the block
 *                                                       from current output)
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "strbuf.h"
#include "banned.h"

struct fixture {
	char *path;		/* as found */
	char *root;		/* its rule directory */
	char *rel;		/* relative to root */
	char *name;
	char *command;
	int exit_value;
	bool has_output;
	struct strbuf output;
	char *output_file;
	bool known_to_fail;
	char *error;		/* a malformed block */
};

static struct fixture *fixtures;
static size_t nr_fixtures, alloc_fixtures;
static const char *ccgate_bin;

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static void fixture_parse(struct fixture *fx, const char *text)
{
	const char *p = text;
	bool in_output = false;

	fx->exit_value = 0;
	strbuf_init(&fx->output);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		char *tag = strstr(line, "check-");

		p += n + (nl ? 1 : 0);
		if (in_output) {
			if (tag && !strncmp(trim(line), "* check-output-end", 18)) {
				in_output = false;
			} else {
				strbuf_addstr(&fx->output, line);
				strbuf_addch(&fx->output, '\n');
			}
			free(line);
			continue;
		}
		if (!tag || strncmp(trim(line), "* check-", 8)) {
			free(line);
			continue;
		}
		{
			char *colon = strchr(tag, ':');
			char *val = colon ? trim(colon + 1) : NULL;

			if (colon)
				*colon = '\0';
			tag = trim(tag);
			if (!strcmp(tag, "check-name") && val)
				fx->name = xstrdup(val);
			else if (!strcmp(tag, "check-command") && val)
				fx->command = xstrdup(val);
			else if (!strcmp(tag, "check-exit-value") && val)
				fx->exit_value = atoi(val);
			else if (!strcmp(tag, "check-output-start"))
				in_output = fx->has_output = true;
			else if (!strcmp(tag, "check-output-file") && val)
				fx->output_file = xstrdup(val);
			else if (!strcmp(tag, "check-known-to-fail"))
				fx->known_to_fail = true;
			else if (!fx->error) {
				struct strbuf e = STRBUF_INIT;

				strbuf_addf(&e, "unknown tag '%s'", tag);
				fx->error = strbuf_detach(&e);
			}
		}
		free(line);
	}
	if (!fx->error && in_output)
		fx->error = xstrdup("check-output-start without check-output-end");
	if (!fx->error && (!fx->name || !fx->command))
		fx->error = xstrdup("no check-name or check-command");
	if (!fx->error && !fx->has_output && !fx->output_file)
		fx->error = xstrdup("no expected output");
}

static void add_fixture(const char *root, const char *rel)
{
	struct fixture *fx;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", root, rel);
	if (strbuf_read_file(&text, path.buf) < 0 || !strstr(text.buf, "check-name:")) {
		strbuf_release(&path);
		strbuf_release(&text);
		return;
	}
	ALLOC_GROW(fixtures, nr_fixtures + 1, alloc_fixtures);
	fx = &fixtures[nr_fixtures++];
	memset(fx, 0, sizeof(*fx));
	fx->path = strbuf_detach(&path);
	fx->root = xstrdup(root);
	fx->rel = xstrdup(rel);
	fixture_parse(fx, text.buf);
	strbuf_release(&text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .c/.h with a check-name block under ROOT (recursively). */
static void scan(const char *root, const char *sub)
{
	struct strbuf dir = STRBUF_INIT;
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	DIR *d;

	strbuf_addf(&dir, "%s%s%s", root, *sub ? "/" : "", sub);
	d = opendir(dir.buf);
	if (!d) {
		fprintf(stderr, "fixture-runner: cannot open '%s': %s\n", dir.buf,
			strerror(errno));
		exit(2);
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			strlist_push(&names, de->d_name);
	closedir(d);
	qsort(names.v, names.nr, sizeof(*names.v), cmp_str);
	for (size_t i = 0; i < names.nr; i++) {
		struct strbuf rel = STRBUF_INIT;
		const char *dot = strrchr(names.v[i], '.');

		strbuf_addf(&rel, "%s%s%s", sub, *sub ? "/" : "", names.v[i]);
		if (dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h")))
			add_fixture(root, rel.buf);
		else if (!dot)
			scan(root, rel.buf);
		strbuf_release(&rel);
	}
	strlist_release(&names);
	strbuf_release(&dir);
}

static void replace_all(struct strbuf *out, const char *s, const char *what,
			const char *with)
{
	size_t n = strlen(what);

	while (*s) {
		const char *hit = strstr(s, what);

		if (!hit) {
			strbuf_addstr(out, s);
			break;
		}
		strbuf_add(out, s, (size_t)(hit - s));
		strbuf_addstr(out, with);
		s = hit + n;
	}
}

static const char *const verbs[] = { "check ", "sweep ", "gate ", "patch " };

/*
 * COMMAND with --all-headers after its verb (every header body parsed
 * whole: the default blanks the ones no rule can need, and must find
 * the same), or NULL for a command without one (the kbuild slot).
 */
static char *whole_headers(const char *command)
{
	struct strbuf sb = STRBUF_INIT;

	if (strncmp(command, "ccgate ", 7))
		return NULL;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
		size_t n = strlen(verbs[i]);

		if (!strncmp(command + 7, verbs[i], n)) {
			strbuf_add(&sb, command, 7 + n);
			strbuf_addstr(&sb, "--all-headers ");
			strbuf_addstr(&sb, command + 7 + n);
			return strbuf_detach(&sb);
		}
	}
	return NULL;
}

/* Run COMMAND of the fixture; returns its exit status, stdout in OUT. */
static int run(const struct fixture *fx, const char *command, struct strbuf *out)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, cmd = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *p;
	int st;

	replace_all(&a, command, "$root", ".");
	replace_all(&b, a.buf, "$file", fx->rel);
	/* "ccgate" in the command is the binary under test */
	{
		const char *slash = strrchr(ccgate_bin, '/');

		strbuf_addf(&cmd, "cd '%s' && PATH='%.*s':\"$PATH\" && (%s) 2>/dev/null",
			    fx->root, slash ? (int)(slash - ccgate_bin) : 1,
			    slash ? ccgate_bin : ".", b.buf);
	}
	p = popen(cmd.buf, "r");
	if (!p) {
		fprintf(stderr, "fixture-runner: cannot run '%s'\n", cmd.buf);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	st = pclose(p);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool output_matches(const struct fixture *fx, const char *command,
			   const struct strbuf *want, struct strbuf *why)
{
	struct strbuf out = STRBUF_INIT;
	int status = run(fx, command, &out);
	bool ok = true;

	if (status != fx->exit_value) {
		strbuf_addf(why, "%s: exit status %d, expected %d\n", command,
			    status, fx->exit_value);
		ok = false;
	}
	if (strcmp(out.buf ? out.buf : "", want->buf ? want->buf : "")) {
		strbuf_addf(why, "%s: output differs\n--- expected\n%s--- actual\n%s",
			    command, want->buf ? want->buf : "",
			    out.buf ? out.buf : "");
		ok = false;
	}
	strbuf_release(&out);
	return ok;
}

static bool fixture_passes(const struct fixture *fx, struct strbuf *why)
{
	struct strbuf want = STRBUF_INIT;
	char *whole = whole_headers(fx->command);
	bool ok;

	if (fx->output_file) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "%s/%s", fx->root, fx->output_file);
		if (strbuf_read_file(&want, path.buf) < 0)
			strbuf_addf(why, "cannot read '%s'\n", path.buf);
		strbuf_release(&path);
	} else {
		strbuf_add(&want, fx->output.buf, fx->output.len);
	}
	ok = output_matches(fx, fx->command, &want, why);
	if (whole)
		ok &= output_matches(fx, whole, &want, why);
	free(whole);
	strbuf_release(&want);
	return ok;
}

START_TEST(test_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	struct strbuf why = STRBUF_INIT;
	bool ok;

	ck_assert_msg(!fx->error, "%s: %s", fx->path, fx->error ? fx->error : "");
	ok = fixture_passes(fx, &why);
	if (fx->known_to_fail) {
		if (ok)
			ck_abort_msg("%s: known to fail, but passes (XPASS): %s",
				     fx->path, fx->name);
		fprintf(stderr, "XFAIL: %s: %s\n", fx->path, fx->name);
	} else {
		ck_assert_msg(ok, "%s: %s\n%s", fx->path, fx->name,
			      why.buf ? why.buf : "");
	}
	strbuf_release(&why);
}
END_TEST

static int format_fixture(const char *path)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT, res = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	char *start, *end;
	struct fixture fx;

	if (strbuf_read_file(&text, path) < 0) {
		fprintf(stderr, "fixture-runner: cannot read '%s'\n", path);
		return 2;
	}
	memset(&fx, 0, sizeof(fx));
	fixture_parse(&fx, text.buf);
	if (!fx.command) {
		fprintf(stderr, "fixture-runner: '%s' has no check-command\n", path);
		return 2;
	}
	fx.root = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	fx.rel = xstrdup(slash ? slash + 1 : path);
	{
		char *r = getenv("FIXTURE_ROOT");

		if (r) {
			size_t rl = strlen(r);

			free(fx.root);
			free(fx.rel);
			fx.root = xstrdup(r);
			fx.rel = xstrdup(path + rl + (path[rl] == '/'));
		}
	}
	fx.exit_value = run(&fx, fx.command, &out);
	if (fx.output_file) {
		/* golden file: write it, keep the block, update the exit value */
		struct strbuf gp = STRBUF_INIT;
		FILE *g;

		strbuf_addf(&gp, "%s/%s", fx.root, fx.output_file);
		g = fopen(gp.buf, "w");
		if (!g || fputs(out.buf ? out.buf : "", g) < 0 || fclose(g)) {
			fprintf(stderr, "fixture-runner: cannot write '%s'\n", gp.buf);
			return 2;
		}
		strbuf_release(&gp);
		start = strstr(text.buf, " * check-exit-value:");
		end = start ? strchr(start, '\n') : NULL;
		if (!end)
			return 2;
		strbuf_add(&res, text.buf, (size_t)(start - text.buf));
		strbuf_addf(&res, " * check-exit-value: %d", fx.exit_value);
		strbuf_addstr(&res, end);
		fputs(res.buf, stdout);
		return 0;
	}
	start = strstr(text.buf, " * check-exit-value:");
	end = strstr(text.buf, " * check-output-end");
	if (!start || !end) {
		fprintf(stderr, "fixture-runner: '%s' lacks check-exit-value or check-output-end\n", path);
		return 2;
	}
	strbuf_add(&res, text.buf, (size_t)(start - text.buf));
	strbuf_addf(&res, " * check-exit-value: %d\n *\n * check-output-start\n%s",
		    fx.exit_value, out.buf ? out.buf : "");
	strbuf_addstr(&res, end);
	fputs(res.buf, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	Suite *s;
	SRunner *sr;
	TCase *tc;
	int failed;

	if (argc == 4 && !strcmp(argv[1], "--format")) {
		ccgate_bin = argv[2];
		return format_fixture(argv[3]);
	}
	if (argc < 3) {
		fprintf(stderr, "usage: fixture-runner CCGATE DIR...\n"
				"       fixture-runner --format CCGATE FILE\n");
		return 2;
	}
	ccgate_bin = argv[1];
	for (int i = 2; i < argc; i++)
		scan(argv[i], "");
	if (!nr_fixtures) {
		fprintf(stderr, "fixture-runner: no fixtures found\n");
		return 2;
	}
	s = suite_create("fixtures");
	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_fixture, 0, (int)nr_fixtures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
