// SPDX-License-Identifier: GPL-2.0-only
/*
 * What gate and patch share: analyze the changed files of two versions of
 * a tree and report the difference by fingerprint, so moved code is not new.
 */
#include "compare.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "sweep.h"
#include "banned.h"

void cmp_side_init(struct cmp_side *s)
{
	memset(s, 0, sizeof(*s));
}

void cmp_side_release(struct cmp_side *s)
{
	sweep_release(&s->sw);
	overlay_release(&s->ov);
	strlist_release(&s->files);
	fp_keys_release(&s->keys);
	memset(s, 0, sizeof(*s));
}

void cmp_side_set(struct cmp_side *s, const char *root, const char *relpath,
		  const char *text, size_t len)
{
	struct strbuf abs = STRBUF_INIT;

	strbuf_addf(&abs, "%s/%s", root, relpath);
	overlay_set(&s->ov, abs.buf, text, len);
	if (!strlist_has(&s->files, relpath))
		strlist_push(&s->files, relpath);
	strbuf_release(&abs);
}

static bool is_c_or_h(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h"));
}

/* The text of the changed file REL of S (its overlay's, else the disk's). */
static int side_text(const struct ccg_cli *cli, const struct cmp_side *s,
		     const char *rel, struct strbuf *text)
{
	struct strbuf abs = STRBUF_INIT;
	const struct overlay_file *ov;
	int ret = 0;

	strbuf_addf(&abs, "%s/%s", cli->root, rel);
	ov = overlay_find(&s->ov, abs.buf);
	if (ov)
		strbuf_add(text, ov->text, ov->len);
	else
		ret = strbuf_read_file(text, abs.buf) < 0 ? -1 : 0;
	strbuf_release(&abs);
	return ret || memchr(text->buf ? text->buf : "", '\0', text->len) ? -1 : 0;
}

/*
 * The changed files worth a parse: those the sweep would parse, and the
 * .c files testing through a macro of a changed header or of a header
 * they include (sweep_wants_macro_user()), which need not name the bit.
 */
void cmp_side_run(struct ccg_cli *cli, struct cmp_side *s)
{
	struct strlist tests[CCG_RULE_NR] = { STRLIST_INIT };
	bool *want = xcalloc(s->files.nr + 1, sizeof(*want));
	/* the texts of the files not wanted yet, for the second question */
	struct strbuf *rest = xcalloc(s->files.nr + 1, sizeof(*rest));

	for (size_t i = 0; i < s->files.nr; i++) {
		const char *rel = s->files.v[i];

		if (!is_c_or_h(rel))
			continue;
		s->sw.stats.scanned++;
		if (side_text(cli, s, rel, &rest[i]) < 0) {
			strbuf_release(&rest[i]);
			continue;
		}
		want[i] = sweep_wants(&cli->ctx, rel, rest[i].buf, rest[i].len);
		if (want[i] && rel[strlen(rel) - 1] == 'h')
			ccg_header_tests(&cli->ctx, rest[i].buf, rest[i].len,
					 true, tests);
		if (want[i])
			strbuf_release(&rest[i]);
	}
	for (size_t i = 0; i < s->files.nr; i++) {
		const char *rel = s->files.v[i];

		if (rest[i].buf)
			want[i] = sweep_wants_macro_user(&cli->ctx, &s->ov, rel,
							 rest[i].buf,
							 rest[i].len, tests);
		if (want[i])
			strlist_push(&s->sw.files, rel);
		strbuf_release(&rest[i]);
	}
	for (int r = 0; r < CCG_RULE_NR; r++)
		strlist_release(&tests[r]);
	free(rest);
	free(want);
	cli->ctx.overlay = &s->ov;
	sweep_parse(&cli->ctx, &s->sw);
	cli->ctx.overlay = NULL;
	fp_keys_init(&s->keys, &s->sw.findings, cli->root, &s->ov);
}

/* Move the findings of SRC (and keys) whose MATCHED flag is false to DST. */
static void take_unmatched(struct ccg_findings *dst, struct fp_keys *dkeys,
			   struct cmp_side *src, const bool *matched)
{
	struct ccg_findings *from = &src->sw.findings;

	dkeys->v = xcalloc(from->nr + 1, sizeof(*dkeys->v));
	for (size_t i = 0; i < from->nr; i++) {
		if (matched[i])
			continue;
		*findings_add(dst) = from->v[i];
		memset(&from->v[i], 0, sizeof(from->v[i]));
		dkeys->v[dkeys->nr++] = src->keys.v[i];
		memset(&src->keys.v[i], 0, sizeof(src->keys.v[i]));
	}
}

int cmp_report(struct ccg_cli *cli, struct cmp_side *before,
	       struct cmp_side *after, enum ccg_severity fail_on,
	       const char *rev, const char *what)
{
	struct ccg_findings added = CCG_FINDINGS_INIT, gone = CCG_FINDINGS_INIT;
	struct fp_keys added_keys = { NULL, 0 }, gone_keys = { NULL, 0 };
	bool *a_matched = xcalloc(after->sw.findings.nr + 1, sizeof(bool));
	bool *b_matched = xcalloc(before->sw.findings.nr + 1, sizeof(bool));
	struct ccg_run_stats st = after->sw.stats;
	bool skipped = st.skipped_patches && st.skipped_patches->nr;
	int ret, failing = 0;

	fp_keys_match(&after->keys, &before->keys, a_matched, b_matched);
	take_unmatched(&added, &added_keys, after, a_matched);
	take_unmatched(&gone, &gone_keys, before, b_matched);
	free(a_matched);
	free(b_matched);
	cli_apply_baseline(cli, &added, &added_keys, &after->files);
	if (cli->has_fail_on)
		fail_on = cli->fail_on;
	for (size_t i = 0; i < added.nr; i++)
		failing += added.v[i].severity >= fail_on;

	st.resolved = &gone;
	st.keys = &added_keys;
	ret = cli_output(cli, &added, &st);
	if (ret != 2 && cli->format == CCG_FORMAT_TEXT) {
		for (size_t i = 0; i < gone.nr; i++)
			ccg_report(stdout, gone.v[i].file, gone.v[i].line,
				   gone.v[i].col, CCG_SEV_NOTE, gone.v[i].rule,
				   "resolved: %s", gone.v[i].message);
		fflush(stdout);
		for (size_t i = 0; skipped && i < st.skipped_patches->nr; i++)
			ccg_report(stderr, st.patch_name, 0, 0, CCG_SEV_WARNING,
				   NULL, "%s", st.skipped_patches->v[i]);
	}
	if (!cli->quiet)
		fprintf(stderr, "ccgate: %s: %zu changed file%s analyzed, %zu new finding%s (%d failing at %s or above), %zu resolved\n",
			what, after->sw.files.nr, after->sw.files.nr == 1 ? "" : "s",
			added.nr, added.nr == 1 ? "" : "s", failing,
			ccg_severity_name(fail_on), gone.nr);
	if (ret != 2 && cli_write_mails(cli, &added, rev) < 0)
		ret = 2;
	/*
	 * DESIGN's contract: 3 when nothing fails but the run fell short (a
	 * patch of the series was not applied, a file not analyzed);
	 * checkpatch's convention is 1 for any line printed.
	 */
	if (ret != 2)
		ret = failing ? 1 :
		      cli->format == CCG_FORMAT_CHECKPATCH &&
		      (skipped || report_coverage_short(&st, false)) ? 1 :
		      skipped || ret == CCG_EXIT_COVERAGE ? CCG_EXIT_COVERAGE : 0;
	findings_release(&added);
	findings_release(&gone);
	fp_keys_release(&added_keys);
	fp_keys_release(&gone_keys);
	return ret;
}
