// SPDX-License-Identifier: GPL-2.0-only
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "diag.h"
#include "sites.h"
#include "strbuf.h"
#include "triage.h"
#include "udiff.h"
#include "banned.h"

static const char *const format_names[] = {
	[CCG_FORMAT_TEXT] = "text",
	[CCG_FORMAT_JSON] = "json",
	[CCG_FORMAT_SARIF] = "sarif",
	[CCG_FORMAT_CHECKPATCH] = "checkpatch",
	[CCG_FORMAT_CODECLIMATE] = "codeclimate",
	[CCG_FORMAT_GITHUB] = "github",
};

int ccg_format_parse(const char *s, enum ccg_format *fmt)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
		if (!strcmp(s, format_names[i])) {
			*fmt = (enum ccg_format)i;
			return 0;
		}
	return -1;
}

const char *ccg_format_name(enum ccg_format fmt)
{
	return format_names[fmt];
}

void report_text(FILE *out, const struct ccg_findings *list)
{
	for (size_t i = 0; i < list->nr; i++) {
		const struct ccg_finding *f = &list->v[i];

		ccg_report(out, f->file, f->line, f->col, f->severity, f->rule,
			   "%s", f->message);
		for (size_t n = 0; n < f->nr_notes; n++) {
			const struct ccg_note *note = &f->notes[n];

			ccg_report(out, note->file ? note->file : f->file,
				   note->file ? note->line : f->line,
				   note->file ? note->col : f->col, CCG_SEV_NOTE,
				   NULL, "%s", note->text);
		}
		if (f->triage) {
			struct strbuf sb = STRBUF_INIT;

			triage_note(&sb, f);
			ccg_report(out, f->file, f->line, f->col, CCG_SEV_NOTE,
				   NULL, "%s", sb.buf);
			strbuf_release(&sb);
		}
	}
}

void report_patches(FILE *out, const struct ccg_findings *list)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < list->nr; i++)
		udiff_render(&sb, list->v[i].patch);
	if (sb.len)
		fputs(sb.buf, out);
	strbuf_release(&sb);
}

static size_t count_status(const struct ccg_run_stats *st,
			   enum ccg_file_status s)
{
	size_t n = 0;

	for (size_t i = 0; i < st->nr_results; i++)
		n += st->results[i].status == s;
	return n;
}

static size_t sites_unanalyzed(const struct ccg_run_stats *st)
{
	return st->sites ? st->sites->nr - st->sites->nr_analyzed -
			   st->sites->nr_ruled_out : 0;
}

bool report_coverage_short(const struct ccg_run_stats *st, bool strict)
{
	/* skipped files (symlinks, FIFOs, binary or huge files) are listed */
	return count_status(st, CCG_FILE_FAILED) ||
	       (strict && (count_status(st, CCG_FILE_INCOMPLETE) ||
			   count_status(st, CCG_FILE_SKIPPED) ||
			   sites_unanalyzed(st)));
}

static size_t count_retries(const struct ccg_run_stats *st)
{
	size_t n = 0;

	for (size_t i = 0; i < st->nr_results; i++)
		n += st->results[i].slim_retry;
	return n;
}

void report_summary(FILE *out, const struct ccg_findings *list,
		    const struct ccg_run_stats *st, bool verbose)
{
	size_t inc = count_status(st, CCG_FILE_INCOMPLETE);
	size_t failed = count_status(st, CCG_FILE_FAILED);

	fprintf(out, "ccgate: %zu files scanned, %zu candidates, %zu parsed completely, %zu incomplete, %zu failed",
		st->scanned, st->candidates, count_status(st, CCG_FILE_PARSED),
		inc, failed);
	if (count_status(st, CCG_FILE_RULED_OUT))
		fprintf(out, ", %zu ruled out by their text",
			count_status(st, CCG_FILE_RULED_OUT));
	if (count_status(st, CCG_FILE_SKIPPED))
		fprintf(out, ", %zu skipped", count_status(st, CCG_FILE_SKIPPED));
	if (st->skipped_scope)
		fprintf(out, ", %zu out of scope", st->skipped_scope);
	fprintf(out, "; %zu finding%s%s", list->nr, list->nr == 1 ? "" : "s",
		failed ? "; files that failed were not analyzed" :
		inc && !verbose ? " (-v says which parsed incompletely)" : "");
	if (st->sites) {
		size_t left = sites_unanalyzed(st);

		fprintf(out, "; %zu trigger site%s, %zu analyzed", st->sites->nr,
			st->sites->nr == 1 ? "" : "s", st->sites->nr_analyzed);
		if (st->sites->nr_ruled_out)
			fprintf(out, ", %zu in units ruled out by their text",
				st->sites->nr_ruled_out);
		if (left)
			fprintf(out, " (%zu not analyzed%s)", left,
				verbose ? "" : ": -v lists them");
	}
	fputc('\n', out);
	if (st->built_only)
		fprintf(out, "ccgate: %zu finding%s dropped: not built by the configuration (--built-only)\n",
			st->not_built, st->not_built == 1 ? "" : "s");
	if (st->compdb_units)
		fprintf(out, "ccgate: %zu of %zu candidates parsed with their compile_commands.json flags\n",
			st->compdb_units, st->candidates);
	if (st->caller_units)
		fprintf(out, "ccgate: %zu more file%s parsed for the callers of %zu predicate%s that other files may call\n",
			st->caller_units, st->caller_units == 1 ? "" : "s",
			st->xpreds, st->xpreds == 1 ? "" : "s");
	for (size_t i = 0; i < st->nr_results; i++) {
		const struct ccg_file_result *r = &st->results[i];

		if (r->status == CCG_FILE_FAILED ||
		    r->status == CCG_FILE_SKIPPED ||
		    (verbose && r->status != CCG_FILE_PARSED))
			ccg_report(out, r->relpath, 0, 0,
				   r->status == CCG_FILE_FAILED ? CCG_SEV_ERROR : CCG_SEV_NOTE,
				   NULL, "%s: %s", ccg_file_status_name(r->status),
				   r->reason ? r->reason : "no reason given");
		if (verbose && r->slim_retry)
			ccg_report(out, r->relpath, 0, 0, CCG_SEV_NOTE, NULL,
				   "parsed again with every header whole: the parse with blanked inline bodies had errors");
	}
	for (size_t i = 0; verbose && st->sites && i < st->sites->nr; i++) {
		const struct ccg_msite *m = &st->sites->v[i];

		if (m->reason)
			ccg_report(out, m->file, m->line, m->col, CCG_SEV_NOTE,
				   m->rule, "trigger '%s' not analyzed: %s",
				   m->token, m->reason);
	}
}

/* The trigger sites of the run, as JSON stats: counts, then the lists. */
static void sites_stats_json(json_t *stats, const struct ccg_site_summary *sites)
{
	json_t *left = json_array(), *ruled = json_array();

	json_object_set_new(stats, "trigger_sites",
			    json_integer((json_int_t)sites->nr));
	json_object_set_new(stats, "trigger_sites_analyzed",
			    json_integer((json_int_t)sites->nr_analyzed));
	json_object_set_new(stats, "trigger_sites_ruled_out",
			    json_integer((json_int_t)sites->nr_ruled_out));
	for (size_t i = 0; i < sites->nr; i++) {
		const struct ccg_msite *m = &sites->v[i];
		json_t *o;

		if (!m->reason)
			continue;
		o = json_pack("{s:I, s:I, s:s, s:s, s:o}",
			"line", (json_int_t)m->line,
			"column", (json_int_t)m->col, "rule", m->rule,
			"token", m->token, "reason", json_path(m->reason));
		json_set_path(o, "file", m->file);
		json_array_append_new(m->ruled_out ? ruled : left, o);
	}
	json_object_set_new(stats, "sites_not_analyzed", left);
	json_object_set_new(stats, "sites_ruled_out", ruled);
}

json_t *report_stats_json(const struct ccg_run_stats *st,
			  const struct ccg_findings *list)
{
	json_t *stats = json_object(), *files = json_array(), *out = json_array();

	json_object_set_new(stats, "files_scanned", json_integer((json_int_t)st->scanned));
	json_object_set_new(stats, "candidates", json_integer((json_int_t)st->candidates));
	json_object_set_new(stats, "compdb_units", json_integer((json_int_t)st->compdb_units));
	if (st->built_only)
		json_object_set_new(stats, "not_built_dropped",
				    json_integer((json_int_t)st->not_built));
	json_object_set_new(stats, "caller_units", json_integer((json_int_t)st->caller_units));
	json_object_set_new(stats, "parsed",
			    json_integer((json_int_t)count_status(st, CCG_FILE_PARSED)));
	json_object_set_new(stats, "incomplete",
			    json_integer((json_int_t)count_status(st, CCG_FILE_INCOMPLETE)));
	json_object_set_new(stats, "failed",
			    json_integer((json_int_t)count_status(st, CCG_FILE_FAILED)));
	json_object_set_new(stats, "skipped",
			    json_integer((json_int_t)count_status(st, CCG_FILE_SKIPPED)));
	json_object_set_new(stats, "ruled_out",
			    json_integer((json_int_t)count_status(st, CCG_FILE_RULED_OUT)));
	json_object_set_new(stats, "out_of_scope",
			    json_integer((json_int_t)st->skipped_scope));
	json_object_set_new(stats, "reparsed_whole",
			    json_integer((json_int_t)count_retries(st)));
	json_object_set_new(stats, "complete",
			    json_boolean(!report_coverage_short(st, true)));
	if (list)
		json_object_set_new(stats, "findings",
				    json_integer((json_int_t)list->nr));
	for (size_t i = 0; i < st->nr_results; i++) {
		const struct ccg_file_result *r = &st->results[i];

		if (r->status == CCG_FILE_PARSED)
			continue;
		json_t *fo = json_pack("{s:s, s:o?, s:i}",
			"status", ccg_file_status_name(r->status),
			"reason", r->reason ? json_path(r->reason) : NULL,
			"errors", (json_int_t)r->nr_errors);

		json_set_path(fo, "file", r->relpath);
		json_array_append_new(r->status == CCG_FILE_RULED_OUT ? out : files,
				      fo);
	}
	json_object_set_new(stats, "not_parsed_completely", files);
	json_object_set_new(stats, "ruled_out_files", out);
	if (st->skipped_patches) {
		json_t *skipped = json_array();

		for (size_t i = 0; i < st->skipped_patches->nr; i++)
			json_array_append_new(skipped,
				json_path(st->skipped_patches->v[i]));
		json_object_set_new(stats, "skipped_patches", skipped);
	}
	if (st->sites)
		sites_stats_json(stats, st->sites);
	return stats;
}

void report_json(FILE *out, const struct ccg_findings *list,
		 const struct ccg_run_stats *st)
{
	json_t *root = json_object(), *findings = json_array();
	char *s;

	for (size_t i = 0; i < list->nr; i++)
		json_array_append_new(findings, finding_to_json(&list->v[i]));
	json_object_set_new(root, "tool", json_string("ccgate"));
	json_object_set_new(root, "version", json_string(CCGATE_VERSION));
	json_object_set_new(root, "findings", findings);
	if (st->resolved) {
		json_t *gone = json_array();

		for (size_t i = 0; i < st->resolved->nr; i++)
			json_array_append_new(gone,
				finding_to_json(&st->resolved->v[i]));
		json_object_set_new(root, "resolved", gone);
	}
	json_object_set_new(root, "stats", report_stats_json(st, list));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(s, out);
	fputc('\n', out);
	free(s);
	json_decref(root);
}

static void sanitize_name(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		strbuf_addch(sb, (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || c == '_' || c == '-' ?
				 c : '_');
	}
}

int report_fix_dir(const char *dir, const struct ccg_findings *list)
{
	unsigned nr = 0;
	bool made;

	made = !mkdir(dir, 0777);
	if (!made && errno != EEXIST) {
		error("cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < list->nr; i++) {
		const struct ccg_finding *f = &list->v[i];
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		int bad;

		if (!f->patch)
			continue;
		strbuf_addf(&path, "%s/%04u-", dir, ++nr);
		sanitize_name(&path, f->rule);
		strbuf_addch(&path, '-');
		sanitize_name(&path, f->function ? f->function : "file");
		strbuf_addstr(&path, ".patch");
		udiff_render(&text, f->patch);
		bad = write_file_atomic(path.buf, text.buf, text.len, 0644);
		strbuf_release(&text);
		if (bad < 0) {
			error("cannot write '%s': %s", path.buf, strerror(errno));
			strbuf_release(&path);
			if (made && nr == 1)	/* no empty directory left */
				rmdir(dir);
			return -1;
		}
		strbuf_release(&path);
	}
	return 0;
}
