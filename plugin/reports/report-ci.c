// SPDX-License-Identifier: GPL-2.0-only
/*
 * The formats of the tools kernel developers and their CI already run, each
 * rendered from the finding structures to its consumer's contract:
 *
 * - checkpatch: the lines of `checkpatch.pl --terse --showfile --show-types`
 *   ("FILE:LINE: ERROR:TYPE: message"), which b4's run_local_check() reads:
 *   a line is an error only if it holds "ERROR:", and every stderr line is
 *   a failure, so nothing but these lines is written.
 * - codeclimate: the Code Climate issues GitLab's Code Quality widget reads
 *   (description, check_name, fingerprint, severity, location.path,
 *   location.lines.begin); the fingerprint is the baseline's (fingerprint.h),
 *   so an issue keeps it when code above it moves.
 * - github: workflow commands (::error file=F,line=L,col=C,title=T::msg),
 *   which need no token; values escaped as the Actions toolkit escapes them.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fingerprint.h"
#include "strbuf.h"
#include "banned.h"

/* checkpatch's --show-types spelling: cc-virt-gate -> CC_VIRT_GATE. */
static void add_type(struct strbuf *sb, const char *rule)
{
	for (; *rule; rule++)
		strbuf_addch(sb, *rule == '-' ? '_' :
			     *rule >= 'a' && *rule <= 'z' ? *rule - 'a' + 'A' :
			     *rule);
}

static const char *checkpatch_level(enum ccg_severity sev)
{
	return sev == CCG_SEV_ERROR ? "ERROR" :
	       sev == CCG_SEV_WARNING ? "WARNING" : "CHECK";
}

static void checkpatch_line(FILE *out, const char *file, unsigned line,
			    const char *level, const char *type,
			    const char *msg)
{
	struct strbuf sb = STRBUF_INIT;

	diag_add_escaped(&sb, file);
	if (line)
		strbuf_addf(&sb, ":%u", line);
	strbuf_addf(&sb, ": %s:", level);
	add_type(&sb, type);
	strbuf_addstr(&sb, ": ");
	diag_add_escaped(&sb, msg);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}

/* A file that failed must not pass as clean: why it was not analyzed. */
static bool not_analyzed(const struct ccg_file_result *r, struct strbuf *msg)
{
	if (r->status != CCG_FILE_FAILED)
		return false;
	strbuf_addf(msg, "not analyzed: %s",
		    r->reason ? r->reason : "no reason given");
	return true;
}

size_t report_checkpatch(FILE *out, const struct ccg_findings *list,
			 const struct ccg_run_stats *st)
{
	size_t n = 0;

	for (size_t i = 0; i < list->nr; i++) {
		const struct ccg_finding *f = &list->v[i];

		checkpatch_line(out, f->file, f->line,
				checkpatch_level(f->severity), f->rule,
				f->message);
	}
	for (size_t i = 0; i < st->nr_results; i++) {
		struct strbuf msg = STRBUF_INIT;

		if (not_analyzed(&st->results[i], &msg)) {
			checkpatch_line(out, st->results[i].relpath, 0, "WARNING",
					"ccgate-not-analyzed", msg.buf);
			n++;
		}
		strbuf_release(&msg);
	}
	for (size_t i = 0; st->skipped_patches && i < st->skipped_patches->nr; i++) {
		checkpatch_line(out, st->patch_name ? st->patch_name : "-", 0,
				"WARNING", "ccgate-patch-skipped",
				st->skipped_patches->v[i]);
		n++;
	}
	return n;
}

static const char *codeclimate_severity(enum ccg_severity sev)
{
	return sev == CCG_SEV_ERROR ? "major" :
	       sev == CCG_SEV_WARNING ? "minor" : "info";
}

/*
 * GitLab wants each fingerprint unique: a second finding with the same key
 * (the same test twice in one function) gets "-2", and so on.
 */
static void fingerprint_of(struct strbuf *sb, const struct fp_keys *keys,
			   size_t i)
{
	unsigned seen = 1;

	for (size_t k = 0; k < i; k++)
		seen += fp_key_equal(&keys->v[k], &keys->v[i]);
	strbuf_addf(sb, "%016llx",
		    (unsigned long long)fp_key_hash(&keys->v[i]));
	if (seen > 1)
		strbuf_addf(sb, "-%u", seen);
}

void report_codeclimate(FILE *out, const char *root,
			const struct ccg_findings *list,
			const struct ccg_run_stats *st)
{
	struct fp_keys own = { NULL, 0 };
	const struct fp_keys *keys = st->keys;
	json_t *issues = json_array();
	char *s;

	if (!keys) {
		fp_keys_init(&own, list, root, NULL);
		keys = &own;
	}
	for (size_t i = 0; i < list->nr; i++) {
		const struct ccg_finding *f = &list->v[i];
		struct strbuf fp = STRBUF_INIT;
		json_t *loc = json_object(), *o;

		fingerprint_of(&fp, keys, i);
		json_object_set_new(loc, "path", json_path(f->file));
		json_object_set_new(loc, "lines", json_pack("{s:I}", "begin",
				    (json_int_t)(f->line ? f->line : 1)));
		o = json_pack("{s:s, s:s, s:o, s:[s], s:s, s:s, s:o}",
			      "type", "issue", "check_name", f->rule,
			      "description", json_path(f->message),
			      "categories", "Bug Risk",
			      "fingerprint", fp.buf,
			      "severity", codeclimate_severity(f->severity),
			      "location", loc);
		json_array_append_new(issues, o);
		strbuf_release(&fp);
	}
	s = json_dumps(issues, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(s, out);
	fputc('\n', out);
	free(s);
	json_decref(issues);
	fp_keys_release(&own);
}

/*
 * The Actions toolkit's escapeData() and escapeProperty(): '%', CR and LF
 * always; ':' and ',' also in a property, where they would end it.
 */
static void add_github_escaped(struct strbuf *sb, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			strbuf_addstr(sb, "%25");
		else if (*s == '\r')
			strbuf_addstr(sb, "%0D");
		else if (*s == '\n')
			strbuf_addstr(sb, "%0A");
		else if (property && *s == ':')
			strbuf_addstr(sb, "%3A");
		else if (property && *s == ',')
			strbuf_addstr(sb, "%2C");
		else
			strbuf_addch(sb, *s);
	}
}

static void github_command(FILE *out, const char *cmd, const char *file,
			   unsigned line, unsigned col, const char *title,
			   const char *msg)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "::%s file=", cmd);
	add_github_escaped(&sb, file, true);
	if (line)
		strbuf_addf(&sb, ",line=%u", line);
	if (line && col)
		strbuf_addf(&sb, ",col=%u", col);
	strbuf_addstr(&sb, ",title=");
	add_github_escaped(&sb, title, true);
	strbuf_addstr(&sb, "::");
	add_github_escaped(&sb, msg, false);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}

void report_github(FILE *out, const struct ccg_findings *list,
		   const struct ccg_run_stats *st)
{
	for (size_t i = 0; i < list->nr; i++) {
		const struct ccg_finding *f = &list->v[i];
		struct strbuf title = STRBUF_INIT;

		strbuf_addf(&title, "ccgate %s", f->rule);
		github_command(out, f->severity == CCG_SEV_ERROR ? "error" :
			       f->severity == CCG_SEV_WARNING ? "warning" : "notice",
			       f->file, f->line, f->col, title.buf, f->message);
		strbuf_release(&title);
	}
	for (size_t i = 0; i < st->nr_results; i++) {
		struct strbuf msg = STRBUF_INIT;

		if (not_analyzed(&st->results[i], &msg))
			github_command(out, "warning", st->results[i].relpath, 0, 0,
				       "ccgate", msg.buf);
		strbuf_release(&msg);
	}
	for (size_t i = 0; st->skipped_patches && i < st->skipped_patches->nr; i++)
		github_command(out, "warning", st->patch_name ? st->patch_name : "-",
			       0, 0, "ccgate", st->skipped_patches->v[i]);
}
