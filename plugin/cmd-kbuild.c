// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kbuild checker slot: "make C=1 CHECK=ccgate" runs
 * "ccgate [CCGATE-OPTIONS] $(CHECKFLAGS) $(c_flags) FILE.c" from the build
 * directory under "set -e".  Like sparse: diagnostics on stderr in gcc's
 * format, exit 0 unless --fail-on says otherwise, nothing written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "kbuild.h"
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

/* Run PROG with the untouched compiler argv; its exit status. */
static int run_chained(const char *prog, int argc, char **argv)
{
	char *path = run_find_program(prog);
	char **args;
	pid_t pid;
	int status;

	if (!path)
		die("--chain=%s: '%s' is not installed (not found in PATH)", prog, prog);
	args = xcalloc((size_t)argc + 2, sizeof(*args));
	args[0] = (char *)prog;
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("cannot start %s: %s", prog, strerror(errno));
	if (!pid) {
		execv(path, args);
		error("cannot run '%s': %s", path, strerror(errno));
		_exit(127);
	}
	free(args);
	free(path);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waiting for %s: %s", prog, strerror(errno));
	if (WIFSIGNALED(status))
		die("%s was killed by signal %d", prog, WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
		exit(2);
	return WEXITSTATUS(status);
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

int cmd_kbuild(int argc, char **argv, const char *argv0)
{
	struct ccg_cli cli;
	struct kbuild_opts ko = { 0 };
	struct kbuild_cmd cmd;
	struct ccg_file_result res;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	char abs[PATH_MAX];
	const char *relpath;
	int first, chained = 0, ret = 0;
	bool need;
	size_t rl;

	memset(&cli, 0, sizeof(cli));
	cli.verb = "kbuild";
	cli.jobs = 1;
	first = parse_own_options(&cli, &ko, argc, argv);
	if (kbuild_translate(&cmd, argc - first,
			     (const char *const *)argv + first, &err) < 0)
		die("%s (kbuild slot: ccgate [OPTIONS] COMPILER-ARGS... FILE.c)",
		    err.buf);
	if (ko.chain)
		chained = run_chained(ko.chain, argc - first, argv + first);
	if (!realpath(cmd.source, abs))
		die("cannot open '%s': %s", cmd.source, strerror(errno));
	cli_guess_root(&cli, abs);
	cli_setup_rules(&cli, argv0);
	cli.ctx.unit.only_c_files = true;

	if (strbuf_read_file(&text, abs) < 0)
		die("cannot read '%s': %s", cmd.source, strerror(errno));
	need = ccg_wants_parse(&cli.ctx, abs, text.buf, text.len, true);
	strbuf_release(&text);
	rl = strlen(cli.root);
	relpath = !strncmp(abs, cli.root, rl) && abs[rl] == '/' ? abs + rl + 1 : abs;
	if (need) {
		strlist_push(&cmd.args, "-w");
		strlist_push(&cmd.args, "-ferror-limit=0");
		strlist_push(&cmd.args, "-fno-spell-checking");
		analyze_file(&cli.ctx, abs, relpath, &cmd.args, &res);
		if (cli.verbose)
			fprintf(stderr, "ccgate: %s: %u error%s after translation (%zu arguments, %zu dropped)\n",
				res.relpath, res.nr_errors,
				res.nr_errors == 1 ? "" : "s", cmd.nr_in,
				cmd.dropped.nr);
		if (res.status == CCG_FILE_FAILED ||
		    (cli.verbose && res.status == CCG_FILE_INCOMPLETE))
			ccg_report(stderr, cmd.source, 0, 0, CCG_SEV_WARNING,
				   NULL, "ccgate: %s: %s",
				   ccg_file_status_name(res.status), res.reason);
		display_paths(&cli, &res.findings);
		report_text(stderr, &res.findings);
		for (size_t i = 0; i < res.findings.nr; i++)
			if (ko.fail_on_set &&
			    res.findings.v[i].severity >= ko.fail_on)
				ret = 1;
		file_result_release(&res);
	} else if (cli.verbose) {
		fprintf(stderr, "ccgate: %s: not parsed (no rule can report here)\n",
			cmd.source);
	}
	kbuild_cmd_release(&cmd);
	strbuf_release(&err);
	cli_release(&cli);
	return chained ? chained : ret;
}
