// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "sweep.h"
#include "banned.h"

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
	memset(&sw, 0, sizeof(sw));
	memset(&progress, 0, sizeof(progress));
	sweep_run(&cli->ctx, &sw,
		  !cli->quiet && isatty(2) ? &progress : NULL);
	ret = cli_output(cli, &sw.findings, &sw.stats);
	sweep_release(&sw);
	return ret;
}
