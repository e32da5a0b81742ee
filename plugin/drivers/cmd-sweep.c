// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cocci.h"
#include "diag.h"
#include "sweep.h"
#include "banned.h"

static int cmp_result(const void *a, const void *b)
{
	return strcmp(((const struct ccg_file_result *)a)->relpath,
		      ((const struct ccg_file_result *)b)->relpath);
}

/*
 * A file the cocci backend could not analyze is failed, like a parse that
 * failed: its result (a clang result if --engine=both) says why.
 */
static void cocci_failed(struct ccg_sweep *sw, const struct cocci_failures *cf)
{
	for (size_t i = 0; i < cf->files.nr; i++) {
		struct ccg_file_result *r = NULL;
		struct strbuf why = STRBUF_INIT;

		for (size_t k = 0; k < sw->nr_results && !r; k++)
			if (!strcmp(sw->results[k].relpath, cf->files.v[i]))
				r = &sw->results[k];
		if (!r) {
			sw->results = xrealloc(sw->results, (sw->nr_results + 1) *
					       sizeof(*sw->results));
			r = &sw->results[sw->nr_results++];
			memset(r, 0, sizeof(*r));
			r->relpath = xstrdup(cf->files.v[i]);
		}
		if (r->status == CCG_FILE_FAILED && r->reason)
			strbuf_addf(&why, "%s; ", r->reason);
		strbuf_addstr(&why, cf->reasons.v[i]);
		free(r->reason);
		r->reason = strbuf_detach(&why);
		r->status = CCG_FILE_FAILED;
	}
	qsort(sw->results, sw->nr_results, sizeof(*sw->results), cmp_result);
	sw->stats.results = sw->results;
	sw->stats.nr_results = sw->nr_results;
}

/*
 * Does an output render the fixes?  spatch's patch mode is a second run,
 * made only for them: --diff, --fix-dir, --apply, --format-patch, and
 * JSON and SARIF, which carry them.
 */
static bool wants_patches(const struct ccg_cli *cli)
{
	return cli->diff || cli->fix_dir || cli->apply || cli->format_patch ||
	       cli->format == CCG_FORMAT_JSON || cli->format == CCG_FORMAT_SARIF;
}

/*
 * For --apply: the size and hash of each candidate whose text libclang did
 * not record (the cocci engine's files), taken into PRE before spatch reads
 * them, so that a file edited since makes apply_fixes() refuse, as it does
 * for libclang's fixes.
 */
static void cocci_preimages(const struct ccg_cli *cli, const struct ccg_sweep *sw,
			    struct ccg_file_result *pre)
{
	for (size_t i = 0; i < sw->files.nr; i++) {
		const char *rel = sw->files.v[i];
		struct strbuf abs = STRBUF_INIT, text = STRBUF_INIT;

		if (file_results_preimage(sw->results, sw->nr_results, rel))
			continue;
		strbuf_addf(&abs, "%s/%s", cli->root, rel);
		if (strbuf_read_file(&text, abs.buf) >= 0)
			file_result_add_preimage(pre, rel, text.len,
						 udiff_hash(text.buf, text.len));
		strbuf_release(&abs);
		strbuf_release(&text);
	}
}

/* Run the cocci backend on the candidates and merge as --engine asks. */
static void sweep_cocci(struct ccg_cli *cli, struct ccg_sweep *sw,
			struct ccg_file_result *pre)
{
	struct ccg_findings cocci = CCG_FINDINGS_INIT;
	struct cocci_failures failed = { STRLIST_INIT, STRLIST_INIT };
	struct cocci_run run = {
		.ctx = &cli->ctx,
		.files = &sw->files,
		.patches = wants_patches(cli),
		.failed = &failed,
	};

	if (cli->apply)
		cocci_preimages(cli, sw, pre);
	cocci_sweep(&run, &cocci);
	cocci_failed(sw, &failed);
	strlist_release(&failed.files);
	strlist_release(&failed.reasons);
	if (cli->backends & CCG_BACKEND_CLANG)
		cocci_merge(&sw->findings, &cocci);
	else
		findings_move(&sw->findings, &cocci);
}

int cmd_sweep(struct ccg_cli *cli)
{
	struct ccg_sweep sw;
	struct ccg_file_result pre = { 0 };
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
	sw.collect_only = !(cli->backends & CCG_BACKEND_CLANG);
	sweep_run(&cli->ctx, &sw,
		  !cli->quiet && isatty(2) ? &progress : NULL);
	if (cli->backends & CCG_BACKEND_COCCI)
		sweep_cocci(cli, &sw, &pre);
	sw.stats.preimages = &pre;
	cli_apply_baseline(cli, &sw.findings, NULL, NULL);
	cli_triage(cli, &sw.findings, &sw.stats);
	ret = cli_output(cli, &sw.findings, &sw.stats);
	if (ret != 2 && cli_write_mails(cli, &sw.findings, NULL) < 0)
		ret = 2;
	sweep_release(&sw);
	file_result_release(&pre);
	return ret;
}
