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

#include "cli.h"
#include "diag.h"
#include "kbuild.h"
#include "overlay.h"
#include "run.h"
#include "banned.h"

struct kbuild_opts {
	bool fail_on_set;
	enum ccg_severity fail_on;
	const char *chain;	/* "sparse" or NULL */
};

/* "--name=value" or "--name value"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc)
		die("option '%s' needs a value", name);
	return argv[++*i];
}

/*
 * ccgate's own options come first (CHECK="ccgate --fail-on=error"); the
 * first argument that is not one of them starts the compiler's argv.
 */
static int parse_own_options(struct ccg_cli *cli, struct kbuild_opts *ko,
			     int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *v;

		if ((v = opt_value(argc, argv, &i, "--fail-on"))) {
			if (ccg_severity_parse(v, &ko->fail_on) < 0)
				die("option '--fail-on' expects error, warning or note, not '%s'", v);
			ko->fail_on_set = true;
		} else if ((v = opt_value(argc, argv, &i, "--chain"))) {
			if (strcmp(v, "sparse"))
				die("option '--chain' only knows 'sparse', not '%s'", v);
			ko->chain = v;
		} else if ((v = opt_value(argc, argv, &i, "--rules"))) {
			cli->rules_dir = v;
		} else if ((v = opt_value(argc, argv, &i, "--enable"))) {
			strlist_push(&cli->enable, v);
		} else if ((v = opt_value(argc, argv, &i, "--disable"))) {
			strlist_push(&cli->disable, v);
		} else if (!strcmp(argv[i], "--verbose")) {
			cli->verbose = true;
		} else {
			break;
		}
	}
	return i;
}

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
static bool chain_passes_probe(const char *tree, const char *path, int argc,
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
	args = xcalloc((size_t)argc + 4, sizeof(*args));
	args[n++] = (char *)"/bin/sh";
	args[n++] = script.buf;
	args[n++] = (char *)path;
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
 * Run PATH as PROG with the untouched compiler argv; its exit status.  IN,
 * if not NULL, is what it reads on standard input (ours is already read).
 */
static int run_chained(const char *prog, const char *path, int argc,
		       char **argv, const struct strbuf *in)
{
	char **args;
	pid_t pid;
	int status, fd[2] = { -1, -1 };

	args = xcalloc((size_t)argc + 2, sizeof(*args));
	args[0] = (char *)prog;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
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

/* Run the checker --chain names, if the tree's probe takes it; its status. */
static int kbuild_chain(const char *chain, const char *tree, int argc,
			char **argv, const char *source,
			const struct strbuf *stdin_text)
{
	char *path = run_find_program(chain);
	int chained = 0;

	if (!path)
		die("--chain=%s: '%s' is not installed (not found in PATH)",
		    chain, chain);
	if (!tree || chain_passes_probe(tree, path, argc, argv, source))
		chained = run_chained(chain, path, argc, argv, stdin_text);
	else
		ccg_report(stderr, source, 0, 0, CCG_SEV_WARNING, NULL,
			   "ccgate: '%s' fails this tree's checker probe (scripts/checker-valid.sh), too old for it: not chained, ccgate's own checks go on",
			   chain);
	free(path);
	return chained;
}

/* Parse the unit and report; 1 if a finding reaches --fail-on. */
static int kbuild_analyze(struct ccg_cli *cli, const struct kbuild_opts *ko,
			  struct kbuild_cmd *cmd, const char *abs,
			  const char *relpath)
{
	struct ccg_file_result res;
	int ret = 0;

	strlist_push(&cmd->args, "-w");
	strlist_push(&cmd->args, "-ferror-limit=0");
	strlist_push(&cmd->args, "-fno-spell-checking");
	analyze_file(&cli->ctx, abs, relpath, &cmd->args, &res);
	if (cli->verbose)
		fprintf(stderr, "ccgate: %s: %u error%s after translation (%zu arguments, %zu dropped)\n",
			res.relpath, res.nr_errors,
			res.nr_errors == 1 ? "" : "s", cmd->nr_in,
			cmd->dropped.nr);
	if (res.status == CCG_FILE_FAILED ||
	    (cli->verbose && res.status == CCG_FILE_INCOMPLETE))
		ccg_report(stderr, cmd->source, 0, 0, CCG_SEV_WARNING,
			   NULL, "ccgate: %s: %s",
			   ccg_file_status_name(res.status), res.reason);
	display_paths(cli, &res.findings);
	report_text(stderr, &res.findings);
	for (size_t i = 0; i < res.findings.nr; i++)
		if (ko->fail_on_set && res.findings.v[i].severity >= ko->fail_on)
			ret = 1;
	file_result_release(&res);
	return ret;
}

int cmd_kbuild(int argc, char **argv, const char *argv0)
{
	struct ccg_cli cli;
	struct kbuild_opts ko = { 0 };
	struct kbuild_cmd cmd;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct overlay ov = OVERLAY_INIT;
	char abs[PATH_MAX];
	char *tree;
	const char *relpath;
	int first, chained = 0, ret = 0;
	bool need, from_stdin;
	size_t rl;

	memset(&cli, 0, sizeof(cli));
	cli.verb = "kbuild";
	cli.jobs = 1;
	first = parse_own_options(&cli, &ko, argc, argv);
	if (kbuild_translate(&cmd, argc - first,
			     (const char *const *)argv + first, &err) < 0)
		die("%s (kbuild slot: ccgate [OPTIONS] COMPILER-ARGS... FILE.c)",
		    err.buf);
	tree = kbuild_srctree();
	from_stdin = !strcmp(cmd.source, "-");
	if (from_stdin) {
		/* a virtual file "-" in the current directory, as sparse names it */
		struct strbuf vpath = STRBUF_INIT;
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			die("cannot get the current directory: %s", strerror(errno));
		strbuf_addf(&vpath, "%s/-", cwd);
		if (vpath.len >= sizeof(abs))
			die("the current directory is too long for standard input");
		memcpy(abs, vpath.buf, vpath.len + 1);
		strbuf_release(&vpath);
		read_stdin(&text);
		cli_set_root(&cli, cwd);
		overlay_set(&ov, abs, text.buf, text.len);
		cli.ctx.overlay = &ov;
	} else {
		if (!realpath(cmd.source, abs))
			die("cannot open '%s': %s", cmd.source, strerror(errno));
		if (strbuf_read_file(&text, abs) < 0)
			die("cannot read '%s': %s", cmd.source, strerror(errno));
		cli_guess_root(&cli, abs);
	}
	if (ko.chain)
		chained = kbuild_chain(ko.chain, tree, argc - first, argv + first,
				       cmd.source, from_stdin ? &text : NULL);
	cli_setup_rules(&cli, argv0);
	cli.ctx.unit.only_c_files = true;

	need = ccg_wants_parse(&cli.ctx, abs, text.buf, text.len, true);
	strbuf_release(&text);
	rl = strlen(cli.root);
	relpath = !strncmp(abs, cli.root, rl) && abs[rl] == '/' ? abs + rl + 1 : abs;
	if (need) {
		ret = kbuild_analyze(&cli, &ko, &cmd, abs, relpath);
	} else if (cli.verbose) {
		fprintf(stderr, "ccgate: %s: not parsed (no rule can report here)\n",
			cmd.source);
	}
	overlay_release(&ov);
	free(tree);
	kbuild_cmd_release(&cmd);
	strbuf_release(&err);
	cli_release(&cli);
	return chained ? chained : ret;
}
