// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sites.h"
#include "xpred.h"
#include "diag.h"
#include "pool.h"
#include "banned.h"

/* One clear line and exit 2 for anything that is not a readable C file. */
static void validate_input(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	struct stat st;
	const char *dot = strrchr(path, '.');

	if (stat(path, &st) < 0)
		die("cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		die("'%s' is a directory (use 'ccgate sweep' for trees)", path);
	if (!S_ISREG(st.st_mode))
		die("'%s' is not a regular file", path);
	if (!dot || (strcmp(dot, ".c") && strcmp(dot, ".h")))
		die("'%s' is not a C source file (.c or .h)", path);
	if (strbuf_read_file(&text, path) < 0)
		die("cannot read '%s': %s", path, strerror(errno));
	if (!text.len)
		die("'%s' is empty", path);
	if (memchr(text.buf, '\0', text.len))
		die("'%s' is a binary file", path);
	strbuf_release(&text);
}

int cmd_check(struct ccg_cli *cli)
{
	struct ccg_findings all = CCG_FINDINGS_INIT;
	struct ccg_site_summary sites = { 0 };
	struct ccg_run_stats st;
	struct pool_job *jobs;
	struct ccg_file_result *res;
	size_t n = cli->paths.nr;
	int ret;

	if (!n)
		die("check needs at least one file (see 'ccgate --help')");
	for (size_t i = 0; i < n; i++)
		validate_input(cli->paths.v[i]);
	if (cli->tree) {
		struct stat sb;

		if (stat(cli->tree, &sb) < 0 || !S_ISDIR(sb.st_mode))
			die("tree '%s' is not a directory", cli->tree);
		cli_set_root(cli, cli->tree);
	} else {
		cli_guess_root(cli, cli->paths.v[0]);
	}
	jobs = xcalloc(n, sizeof(*jobs));
	res = xcalloc(n, sizeof(*res));
	for (size_t i = 0; i < n; i++) {
		char abs[PATH_MAX];
		size_t rl = strlen(cli->root);

		if (!realpath(cli->paths.v[i], abs))
			die("cannot open '%s': %s", cli->paths.v[i], strerror(errno));
		jobs[i].abspath = xstrdup(abs);
		jobs[i].relpath = xstrdup(!strncmp(abs, cli->root, rl) && abs[rl] == '/' ?
					  abs + rl + 1 : abs);
		jobs[i].args = cli->has_compiler_args ? &cli->compiler_args : NULL;
	}
	pool_run(&cli->ctx, jobs, n, res, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		findings_move_unit(&all, &res[i].findings, res[i].relpath);
		free(jobs[i].abspath);
		free(jobs[i].relpath);
	}
	xpred_merge_notes(res, n, &all);
	findings_sort_unique(&all);
	xpred_judge(res, n, &all);
	memset(&st, 0, sizeof(st));
	st.scanned = n;
	st.candidates = n;
	st.results = res;
	st.nr_results = n;
	sites_merge(cli->ctx.rp, &cli->ctx.unit, res, n, &sites);
	st.sites = &sites;
	cli_triage(cli, &all, &st);
	ret = cli_output(cli, &all, &st);
	site_summary_release(&sites);
	for (size_t i = 0; i < n; i++)
		file_result_release(&res[i]);
	free(res);
	free(jobs);
	findings_release(&all);
	return ret;
}
