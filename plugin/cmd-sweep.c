// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "cocci.h"
#include "diag.h"
#include "sweep.h"
#include "banned.h"

/* Run the cocci engine on the candidates and merge as --engine asks. */
static void sweep_cocci(struct ccg_cli *cli, struct ccg_sweep *sw)
{
	struct ccg_findings cocci = CCG_FINDINGS_INIT;
	struct cocci_run run = {
		.ctx = &cli->ctx,
		.files = &sw->files,
		.patches = cli->diff || cli->fix_dir ||
			   cli->format == CCG_FORMAT_JSON,
	};

	cocci_sweep(&run, &cocci);
	if (cli->engines & CCG_ENGINE_CLANG)
		cocci_merge(&sw->findings, &cocci);
	else
		findings_move(&sw->findings, &cocci);
}

int cmd_sweep(struct ccg_cli *cli)
{
	struct ccg_sweep sw;
	struct sweep_progress progress;
	const char *tree = cli->paths.nr ? cli->paths.v[0] : ".";
	struct stat st;
	int ret;

	if (cli->paths.nr > 1)
		die("sweep takes one tree, not %zu", cli->paths.nr);
	if (stat(tree, &st) < 0)
		die("cannot open '%s': %s", tree, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("'%s' is not a directory (use 'ccgate check' for files)", tree);
	cli_set_root(cli, tree);
	if (cli->compdb_path) {
		struct strbuf err = STRBUF_INIT;

		if (compdb_load(&cli->compdb, cli->compdb_path, &err) < 0)
			die("%s", err.buf);
		cli->ctx.compdb = &cli->compdb;
	}
	cli_check_outputs(cli);
	memset(&sw, 0, sizeof(sw));
	memset(&progress, 0, sizeof(progress));
	sw.collect_only = !(cli->engines & CCG_ENGINE_CLANG);
	sweep_run(&cli->ctx, &sw,
		  !cli->quiet && isatty(2) ? &progress : NULL);
	if (cli->engines & CCG_ENGINE_COCCI)
		sweep_cocci(cli, &sw);
	cli_apply_baseline(cli, &sw.findings, NULL, NULL);
	ret = cli_output(cli, &sw.findings, &sw.stats);
	if (ret != 2 && cli_write_mails(cli, &sw.findings, NULL) < 0)
		ret = 2;
	sweep_release(&sw);
	return ret;
}
