// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccgate baseline write FILE [TREE]: record the findings of a sweep of TREE
 * as accepted.  Entries that FILE already holds keep their reviewed reason;
 * new ones get --reason, to be reviewed before the file is committed.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "cli.h"
#include "diag.h"
#include "sweep.h"
#include "banned.h"

#define DEFAULT_REASON "not reviewed yet: say why this finding is accepted"

int cmd_baseline(struct ccg_cli *cli)
{
	struct baseline old = BASELINE_INIT;
	struct fp_keys keys;
	struct ccg_sweep sw;
	const char *file, *tree;
	struct stat st;
	bool have_old;
	int ret;

	if (cli->paths.nr < 2 || cli->paths.nr > 3 ||
	    strcmp(cli->paths.v[0], "write"))
		die("usage: ccgate baseline write [--reason TEXT] FILE [TREE]");
	file = cli->paths.v[1];
	tree = cli->paths.nr > 2 ? cli->paths.v[2] : ".";
	if (cli->reason && !cli->reason[strspn(cli->reason, " \t\n")])
		die("--reason must say something");
	if (stat(tree, &st) < 0)
		die("cannot open '%s': %s", tree, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("'%s' is not a directory", tree);
	have_old = !access(file, F_OK);
	if (have_old) {
		char *err = NULL;

		if (baseline_load(&old, file, &err) < 0)
			die("%s", err);
	}
	cli_set_root(cli, tree);
	memset(&sw, 0, sizeof(sw));
	sweep_run(&cli->ctx, &sw, NULL);
	fp_keys_init(&keys, &sw.findings, cli->root, NULL);
	ret = baseline_write(file, &keys, have_old ? &old : NULL,
			     cli->reason ? cli->reason : DEFAULT_REASON);
	if (!ret && !cli->quiet)
		fprintf(stderr, "ccgate: wrote %zu accepted finding%s to '%s'\n",
			keys.nr, keys.nr == 1 ? "" : "s", file);
	fp_keys_release(&keys);
	baseline_release(&old);
	sweep_release(&sw);
	return ret < 0 ? 2 : 0;
}
