// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every verb (and the kbuild slot) does to its findings around the
 * output, from the options of cli.h: --exclude and --baseline before it,
 * --format-patch after it.  See cli.h.
 */
#include "cli.h"

#include <stdlib.h>

#include "baseline.h"
#include "diag.h"
#include "fingerprint.h"
#include "mail.h"
#include "treepath.h"
#include "banned.h"

static bool excluded(const struct ccg_cli *cli, const char *file)
{
	return tree_path_excluded(&cli->exclude, file);
}

void cli_exclude(const struct ccg_cli *cli, struct ccg_findings *list,
		 struct fp_keys *keys)
{
	size_t out = 0;

	for (size_t i = 0; i < list->nr; i++) {
		if (!excluded(cli, list->v[i].file)) {
			if (keys)
				keys->v[out] = keys->v[i];
			list->v[out++] = list->v[i];
			continue;
		}
		finding_release(&list->v[i]);
		if (keys)
			fp_key_release(&keys->v[i]);
	}
	list->nr = out;
	if (keys)
		keys->nr = out;
}

void cli_apply_baseline(struct ccg_cli *cli, struct ccg_findings *list,
			struct fp_keys *keys, const struct strlist *files)
{
	struct baseline b = BASELINE_INIT;
	struct fp_keys own = { NULL, 0 };
	char *err = NULL;

	cli_exclude(cli, list, keys);
	if (!cli->baseline)
		return;
	if (baseline_load(&b, cli->baseline, &err) < 0)
		die("%s", err);
	if (!keys) {
		fp_keys_init(&own, list, cli->root, NULL);
		keys = &own;
	}
	baseline_filter(&b, list, keys);
	/* b4 takes any stderr line of a check for a failure */
	if (cli->format != CCG_FORMAT_CHECKPATCH)
		baseline_report_stale(&b, files, stderr);
	baseline_release(&b);
	fp_keys_release(&own);
}

void cli_check_outputs(struct ccg_cli *cli)
{
	struct baseline b = BASELINE_INIT;
	char *err = NULL;

	if (cli->baseline && baseline_load(&b, cli->baseline, &err) < 0)
		die("%s", err);
	baseline_release(&b);
	if (cli->format_patch) {
		struct mail_opts o;

		mail_opts_init(&o, cli->format_patch, cli->root, NULL,
			       cli->from, cli->signoff, &cli->rp);
		o.upstream = cli->mail_upstream;
		o.cc_maintainers = cli->cc_maintainers;
		mail_check_trust(&o);
		mail_opts_release(&o);
	} else if (cli->cc_maintainers) {
		die("'--cc-maintainers' is an option of the mails: use it with '--format-patch DIR'");
	}
}

int cli_write_mails(struct ccg_cli *cli, const struct ccg_findings *list,
		    const char *rev)
{
	struct mail_opts o;
	int n;

	if (!cli->format_patch)
		return 0;
	mail_opts_init(&o, cli->format_patch, cli->root, rev, cli->from,
		       cli->signoff, &cli->rp);
	o.upstream = cli->mail_upstream;
	o.cc_maintainers = cli->cc_maintainers;
	n = mail_write_all(&o, list);
	mail_opts_release(&o);
	if (n > 0 && !cli->quiet)
		fprintf(stderr, "ccgate: wrote %d mail%s to '%s'\n", n,
			n == 1 ? "" : "s", cli->format_patch);
	return n < 0 ? -1 : 0;
}
