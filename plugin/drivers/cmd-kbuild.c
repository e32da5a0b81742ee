// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kbuild checker slot: "make C=1 CHECK=ccgate" runs
 * "ccgate [CCGATE-OPTIONS] $(CHECKFLAGS) $(c_flags) FILE.c" from the build
 * directory under "set -e".  Like sparse: diagnostics on stderr in gcc's
 * format, exit 0 unless --fail-on says otherwise, nothing written, and the
 * operand is C whatever its name ("-" is standard input).
 *
 * Since 7.x, kbuild validates the checker first: scripts/checker-valid.sh
 * runs "$(CHECK) $(CHECKFLAGS)" on a mktemp file and sets KBUILD_CHECKSRC=0
 * if any output line holds "error".  So nothing ccgate prints for that file
 * may say "error" unless ccgate really cannot check, and a chained checker
 * that fails the tree's probe (sparse 0.6.4 and __typeof_unqual__ on 7.x)
 * is not run: one warning per file says so and ccgate's own checks go on.
 * Otherwise the chained checker's errors would disable ccgate with it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "baseline.h"
#include "cli.h"
#include "compdb.h"
#include "diag.h"
#include "kbuild.h"
#include "overlay.h"
#include "run.h"
#include "banned.h"

/*
 * The source tree of the make that runs the checker: the build directory is
 * the tree itself, or an O= directory whose "source" link names it.  NULL
 * when there is none (a checker run by hand elsewhere).
 */
static char *kbuild_srctree(void)
{
	static const char *const cand[] = { ".", "source" };
	char buf[PATH_MAX];

	for (size_t i = 0; i < sizeof(cand) / sizeof(*cand); i++) {
		struct strbuf sb = STRBUF_INIT;
		bool found;

		strbuf_addf(&sb, "%s/include/linux/kconfig.h", cand[i]);
		found = !access(sb.buf, F_OK);
		strbuf_release(&sb);
		if (found && realpath(cand[i], buf))
			return xstrdup(buf);
	}
	return NULL;
}

/*
 * Does PATH pass TREE's own checker probe, run as the top Makefile runs it:
 * "scripts/checker-valid.sh $(CHECK) $(CHECKFLAGS)"?  CHECKFLAGS are the
 * arguments before c_flags, whose first is kbuild's -Wp,-MMD; the probe's
 * own run has no c_flags.  A tree without the script asks nothing.
 */
static bool chain_passes_probe(const char *tree, const char *path,
			       const struct strlist *words, int argc,
			       char **argv, const char *source)
{
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;
	char **args;
	int n = 0, rc;
	bool ok;

	strbuf_addf(&script, "%s/scripts/checker-valid.sh", tree);
	if (access(script.buf, R_OK)) {
		strbuf_release(&script);
		return true;
	}
	args = xcalloc((size_t)argc + words->nr + 4, sizeof(*args));
	args[n++] = (char *)"/bin/sh";
	args[n++] = script.buf;
	args[n++] = (char *)path;
	for (size_t w = 1; w < words->nr; w++)
		args[n++] = words->v[w];
	for (int i = 0; i < argc && strncmp(argv[i], "-Wp,", 4); i++)
		if (i != argc - 1 || strcmp(argv[i], source))
			args[n++] = argv[i];
	rc = run_capture(NULL, args, &out);
	ok = rc == 0 && !strcmp(out.buf, "1\n");
	free(args);
	strbuf_release(&script);
	strbuf_release(&out);
	return ok;
}

/*
 * Run PATH as WORDS (the chained command: its program and its own
 * arguments) followed by the untouched compiler argv; its exit status.
 * IN, if not NULL, is what it reads on standard input (ours is read).
 */
static int run_chained(const struct strlist *words, const char *path,
		       int argc, char **argv, const struct strbuf *in)
{
	const char *prog = words->v[0];
	char **args;
	pid_t pid;
	int status, fd[2] = { -1, -1 };
	size_t n = 0;

	args = xcalloc((size_t)argc + words->nr + 1, sizeof(*args));
	for (size_t w = 0; w < words->nr; w++)
		args[n++] = words->v[w];
	for (int i = 0; i < argc; i++)
		args[n++] = argv[i];
	if (in && pipe(fd) < 0)
		die("cannot start %s: %s", prog, strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("cannot start %s: %s", prog, strerror(errno));
	if (!pid) {
		if (in) {
			dup2(fd[0], 0);
			close(fd[0]);
			close(fd[1]);
		}
		execv(path, args);
		error("cannot run '%s': %s", path, strerror(errno));
		_exit(127);
	}
	free(args);
	if (in) {
		const char *p = in->buf;
		size_t left = in->len;

		close(fd[0]);
		signal(SIGPIPE, SIG_IGN);
		while (left) {
			ssize_t w = write(fd[1], p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		close(fd[1]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waiting for %s: %s", prog, strerror(errno));
	if (WIFSIGNALED(status))
		die("%s was killed by signal %d", prog, WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
		exit(2);
	return WEXITSTATUS(status);
}

/* Standard input, whole. */
static void read_stdin(struct strbuf *sb)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("cannot read standard input: %s", strerror(errno));
		strbuf_add(sb, buf, (size_t)n);
	}
}

/*
 * The path the user sees: as gcc would print it from the build directory,
 * that is relative when make runs in the tree, absolute for O= builds.
 */
static void display_paths(struct ccg_cli *cli, struct ccg_findings *list)
{
	char cwd[PATH_MAX];

	if (getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, cli->root))
		return;
	for (size_t i = 0; i < list->nr; i++) {
		struct ccg_finding *f = &list->v[i];
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s/%s", cli->root, f->file);
		free(f->file);
		f->file = strbuf_detach(&sb);
		for (size_t n = 0; n < f->nr_notes; n++) {
			struct ccg_note *note = &f->notes[n];

			if (!note->file)
				continue;
			strbuf_addf(&sb, "%s/%s", cli->root, note->file);
			free(note->file);
			note->file = strbuf_detach(&sb);
		}
	}
}

/* One run of the slot: the file kbuild hands over, and what was made of it. */
struct slot {
	struct ccg_cli cli;
	struct kbuild_cmd cmd;
	struct overlay ov;
	struct strbuf text;	/* the checked file's, until the prefilter */
	char abs[PATH_MAX];
	const char *relpath;
	bool from_stdin;
	int argc;		/* the compiler's argv, untouched */
	char **argv;
};

/* Read the checked file (or standard input) and find the tree it is in. */
static void slot_source(struct slot *s)
{
	s->from_stdin = !strcmp(s->cmd.source, "-");
	if (s->from_stdin) {
		/* a virtual file "-" in the current directory, as sparse names it */
		struct strbuf vpath = STRBUF_INIT;
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			die("cannot get the current directory: %s", strerror(errno));
		strbuf_addf(&vpath, "%s/-", cwd);
		if (vpath.len >= sizeof(s->abs))
			die("the current directory is too long for standard input");
		memcpy(s->abs, vpath.buf, vpath.len + 1);
		strbuf_release(&vpath);
		read_stdin(&s->text);
		cli_set_root(&s->cli, cwd);
		overlay_set(&s->ov, s->abs, s->text.buf, s->text.len);
	} else {
		if (!realpath(s->cmd.source, s->abs))
			die("cannot open '%s': %s", s->cmd.source, strerror(errno));
		if (strbuf_read_file(&s->text, s->abs) < 0)
			die("cannot read '%s': %s", s->cmd.source, strerror(errno));
		cli_guess_root(&s->cli, s->abs);
	}
}

/*
 * The slot's options again, over the tree's .ccgate and CCGATE_OPTIONS:
 * the command line (CHECK=...) wins, as for the verbs.
 */
static void slot_config(struct slot *s, int argc, char **argv)
{
	struct ccg_cli *cli = &s->cli;
	char root[PATH_MAX];
	bool no_config = cli->no_config;

	memcpy(root, cli->root, sizeof(root));
	cli_release(cli);
	memset(cli, 0, sizeof(*cli));
	cli->verb = "kbuild";
	cli->jobs = 1;
	cli->no_config = no_config;
	memcpy(cli->root, root, sizeof(root));
	config_apply(cli, root, CLI_FROM_FILE | CLI_FROM_SLOT);
	cli_parse_slot(cli, argc, argv);
	config_default_baseline(cli, root);
	if (cli->format != CCG_FORMAT_TEXT && cli->format != CCG_FORMAT_JSON)
		die("the kbuild slot writes text or json, not %s (see 'ccgate sweep')",
		    ccg_format_name(cli->format));
	if (cli->baseline) {
		struct baseline b = BASELINE_INIT;
		char *err = NULL;

		/* a bad baseline is bad input whether or not this file needs it */
		if (baseline_load(&b, cli->baseline, &err) < 0)
			die("%s", err);
		baseline_release(&b);
	}
	if (s->from_stdin)
		cli->ctx.overlay = &s->ov;
}

/* --chain=CMD: run it first; its status, 0 if it was not run. */
static int slot_chain(struct slot *s, const char *tree)
{
	const char *chain = s->cli.chain;
	struct strlist words = STRLIST_INIT;
	struct strbuf err = STRBUF_INIT;
	char *path;
	int ret = 0;

	if (!chain)
		return 0;
	if (compdb_split_command(chain, &words, &err) < 0)
		die("option '--chain': %s", err.buf);
	if (!words.nr)
		die("option '--chain' needs a command");
	path = run_find_program(words.v[0]);
	if (!path)
		die("--chain=%s: '%s' is not installed (not found in PATH)",
		    chain, words.v[0]);
	if (!tree || chain_passes_probe(tree, path, &words, s->argc, s->argv,
					s->cmd.source))
		ret = run_chained(&words, path, s->argc, s->argv,
				  s->from_stdin ? &s->text : NULL);
	else
		ccg_report(stderr, s->cmd.source, 0, 0, CCG_SEV_WARNING, NULL,
			   "ccgate: '%s' fails this tree's checker probe (scripts/checker-valid.sh), too old for it: not chained, ccgate's own checks go on",
			   words.v[0]);
	free(path);
	strlist_release(&words);
	strbuf_release(&err);
	return ret;
}

/*
 * --format=json: one document per checked file, as smatch's --file-output
 * writes one per file, but named after the object (OBJ.ccgate.json beside
 * kbuild's OBJ in the build directory), so an O= build leaves the source
 * tree alone.  Without kbuild's dependency file there is no object to
 * name (a checker run by hand, kbuild's probe): one warning, no file.
 */
static void slot_json(struct slot *s, const struct ccg_findings *list,
		      const struct ccg_file_result *res)
{
	struct ccg_run_stats st = { 0 };
	struct strbuf path = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	if (!s->cmd.object) {
		ccg_report(stderr, s->cmd.source, 0, 0, CCG_SEV_WARNING, NULL,
			   "ccgate: --format=json: no kbuild dependency file (-Wp,-MMD,...) names the object, nothing written");
		return;
	}
	st.scanned = 1;
	st.candidates = res ? 1 : 0;
	st.results = res;
	st.nr_results = res ? 1 : 0;
	out = open_memstream(&buf, &len);
	if (!out)
		die_oom();
	report_json(out, list, &st);
	if (fclose(out))
		die_oom();
	strbuf_addf(&path, "%s.ccgate.json", s->cmd.object);
	if (write_file_atomic(path.buf, buf, len, 0644) < 0)
		die("cannot write '%s': %s", path.buf, strerror(errno));
	free(buf);
	strbuf_release(&path);
}

/* The findings of a parsed file, as --exclude, the baseline and --format say. */
static int slot_report(struct slot *s, struct ccg_file_result *res)
{
	struct ccg_cli *cli = &s->cli;
	struct strlist files = STRLIST_INIT;
	int ret = 0;

	strlist_push(&files, s->relpath);
	cli_apply_baseline(cli, &res->findings, NULL, &files);
	strlist_release(&files);
	for (size_t i = 0; i < res->findings.nr; i++)
		if (cli->has_fail_on && res->findings.v[i].severity >= cli->fail_on)
			ret = 1;
	if (cli->format == CCG_FORMAT_JSON) {
		slot_json(s, &res->findings, res);
		return ret;
	}
	display_paths(cli, &res->findings);
	report_text(stderr, &res->findings);
	return ret;
}

/* Does TEXT name a trigger of an enabled rule that asks more of a text? */
static bool names_trigger(const struct ccg_ctx *ctx, const char *text,
			  size_t len)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = ctx->rp->rules[r];

		if (ctx->unit.enabled[r] && ccg_engine_get(r)->text_may_report &&
		    mem_has_any(text, len, rule->triggers, rule->triggers_count))
			return true;
	}
	return false;
}

/*
 * The test macros (ccg_macro_tests()) of the headers the compiler read
 * for the object, which kbuild's fixdep lists in its .cmd file before the
 * checker runs (kbuild_deps()).  Asked only for a file that names a
 * trigger where it is no test (a feature table): it may test through such
 * a macro.  Without the file (a run by hand, the probe) there are none.
 */
static void slot_header_tests(const struct slot *s, struct strlist *tests)
{
	struct strbuf cmd = STRBUF_INIT, path = STRBUF_INIT;
	struct strlist deps = STRLIST_INIT;

	if (s->cmd.object)
		kbuild_cmd_path(s->cmd.object, &path);
	if (s->cmd.object && strbuf_read_file(&cmd, path.buf) >= 0)
		kbuild_deps(cmd.buf, cmd.len, &deps);
	for (size_t i = 0; i < deps.nr; i++) {
		struct strbuf hdr = STRBUF_INIT;

		if (strbuf_read_file(&hdr, deps.v[i]) >= 0)
			ccg_macro_tests(&s->cli.ctx, hdr.buf, hdr.len, tests);
		strbuf_release(&hdr);
	}
	strlist_release(&deps);
	strbuf_release(&cmd);
	strbuf_release(&path);
}

/*
 * Does the file, which the prefilter passed over, name a test macro of a
 * header: one it #includes itself (ccg_include_tests(), if its path is in
 * the tree), or, when it names a trigger where it is no test, one of
 * every header the compiler read (slot_header_tests())?
 */
static bool slot_macro_user(const struct slot *s)
{
	struct strlist tests[CCG_RULE_NR] = { STRLIST_INIT };
	bool want = false;

	if (names_trigger(&s->cli.ctx, s->text.buf, s->text.len))
		slot_header_tests(s, tests);
	if (!s->from_stdin && s->relpath != s->abs)
		ccg_include_tests(&s->cli.ctx, NULL, s->relpath, s->text.buf,
				  s->text.len, false, tests);
	want = ccg_names_test(&s->cli.ctx, NULL, s->text.buf, s->text.len,
			      tests);
	for (int r = 0; r < CCG_RULE_NR; r++)
		strlist_release(&tests[r]);
	return want;
}

static int slot_check(struct slot *s)
{
	struct ccg_cli *cli = &s->cli;
	struct ccg_file_result res;
	struct ccg_findings none = CCG_FINDINGS_INIT;
	size_t rl = strlen(cli->root);
	bool need;
	int ret;

	s->relpath = !strncmp(s->abs, cli->root, rl) && s->abs[rl] == '/' ?
		     s->abs + rl + 1 : s->abs;
	need = ccg_wants_parse(&cli->ctx, s->abs, s->text.buf, s->text.len,
			       true, NULL) || slot_macro_user(s);
	strbuf_release(&s->text);
	if (!need) {
		if (cli->verbose)
			fprintf(stderr, "ccgate: %s: not parsed (no rule can report here)\n",
				s->cmd.source);
		if (cli->format == CCG_FORMAT_JSON)
			slot_json(s, &none, NULL);
		return 0;
	}
	strlist_push(&s->cmd.args, "-w");
	strlist_push(&s->cmd.args, "-ferror-limit=0");
	strlist_push(&s->cmd.args, "-fno-spell-checking");
	analyze_file(&cli->ctx, s->abs, s->relpath, &s->cmd.args, &res);
	if (cli->verbose)
		fprintf(stderr, "ccgate: %s: %u error%s after translation (%zu arguments, %zu dropped)\n",
			res.relpath, res.nr_errors, res.nr_errors == 1 ? "" : "s",
			s->cmd.nr_in, s->cmd.dropped.nr);
	if (res.status == CCG_FILE_FAILED ||
	    (cli->verbose && res.status == CCG_FILE_INCOMPLETE))
		ccg_report(stderr, s->cmd.source, 0, 0, CCG_SEV_WARNING, NULL,
			   "ccgate: %s: %s", ccg_file_status_name(res.status),
			   res.reason);
	ret = slot_report(s, &res);
	file_result_release(&res);
	return ret;
}

int cmd_kbuild(int argc, char **argv, const char *argv0)
{
	struct slot s;
	struct strbuf err = STRBUF_INIT;
	char *tree;
	int first, chained, ret;

	memset(&s, 0, sizeof(s));
	s.cli.verb = "kbuild";
	first = cli_parse_slot(&s.cli, argc, argv);
	s.argc = argc - first;
	s.argv = argv + first;
	if (kbuild_translate(&s.cmd, s.argc, (const char *const *)s.argv,
			     &err) < 0)
		die("%s (kbuild slot: ccgate [OPTIONS] COMPILER-ARGS... FILE.c)",
		    err.buf);
	ccg_set_diag_prefix(s.cmd.diag_prefix);
	tree = kbuild_srctree();
	slot_source(&s);
	slot_config(&s, argc, argv);
	chained = slot_chain(&s, tree);
	cli_setup_rules(&s.cli, argv0);
	s.cli.ctx.unit.only_c_files = true;
	ret = slot_check(&s);
	overlay_release(&s.ov);
	free(tree);
	kbuild_cmd_release(&s.cmd);
	strbuf_release(&err);
	cli_release(&s.cli);
	return chained ? chained : ret;
}
