// SPDX-License-Identifier: GPL-2.0-only
/*
 * SARIF 2.1.0 for code scanning.  What GitHub's ingestion needs shapes it:
 * artifact URIs relative to the tree root with uriBaseId SRCROOT (declared
 * in originalUriBaseIds), partialFingerprints that survive line shifts, and
 * levels error/warning/note.  Fixes are the finding's hunks as whole-line
 * replacements; coverage goes into the invocation: one
 * toolExecutionNotification per file that parsed incompletely or failed.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "sites.h"
#include "udiff.h"
#include "banned.h"

#define SARIF_SCHEMA \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *sarif_level(enum ccg_severity sev)
{
	return sev == CCG_SEV_ERROR ? "error" :
	       sev == CCG_SEV_WARNING ? "warning" : "note";
}

/* RFC 3986: keep unreserved characters and '/', escape the rest. */
static json_t *artifact(const char *relpath)
{
	struct strbuf uri = STRBUF_INIT;
	json_t *o;

	path_percent_encode(&uri, relpath);
	o = json_pack("{s:s, s:s}", "uri", uri.buf, "uriBaseId", "SRCROOT");
	strbuf_release(&uri);
	return o;
}

static json_t *location(const char *relpath, unsigned line, unsigned col)
{
	json_t *phys = json_pack("{s:o}", "artifactLocation", artifact(relpath));

	if (line)
		json_object_set_new(phys, "region",
			col ? json_pack("{s:i, s:i}", "startLine", (json_int_t)line,
					"startColumn", (json_int_t)col) :
			      json_pack("{s:i}", "startLine", (json_int_t)line));
	return json_pack("{s:o}", "physicalLocation", phys);
}

static json_t *text_message(const char *text)
{
	return json_pack("{s:s}", "text", text);
}

static json_t *rule_descriptor(const struct rp_rule *r, bool enabled)
{
	json_t *o = json_object();
	struct strbuf name = STRBUF_INIT;
	bool up = true;

	/* the friendly name: cc-virt-gate -> CcVirtGate */
	for (const char *c = r->id; *c; c++) {
		if (*c == '-' || *c == '_') {
			up = true;
			continue;
		}
		strbuf_addch(&name, up && *c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
		up = false;
	}

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", json_string(name.buf));
	json_object_set_new(o, "shortDescription",
			    text_message(r->summary ? r->summary : r->id));
	if (r->explanation) {
		json_object_set_new(o, "fullDescription",
				    text_message(r->explanation));
		json_object_set_new(o, "help", text_message(r->explanation));
	}
	json_object_set_new(o, "defaultConfiguration",
			    json_pack("{s:s, s:b}", "level",
				      sarif_level(r->severity), "enabled",
				      enabled));
	json_object_set_new(o, "properties",
			    json_pack("{s:[s, s]}", "tags", "security",
				      "confidential-computing"));
	strbuf_release(&name);
	return o;
}

/*
 * One replacement per run of removed/added lines of a hunk: the removed
 * lines as a whole-line region (an empty region before the line for a pure
 * insertion), the added lines as inserted text.
 */
static void hunk_replacements(json_t *reps, const struct udiff_hunk *h)
{
	unsigned line = h->old_count ? h->old_start : h->old_start + 1;
	size_t i = 0;

	while (i < h->lines.nr) {
		struct strbuf ins = STRBUF_INIT;
		unsigned first = line, removed = 0;
		json_t *rep;

		if (h->lines.v[i][0] == ' ' || h->lines.v[i][0] == '\\') {
			line += h->lines.v[i][0] == ' ';
			i++;
			continue;
		}
		for (; i < h->lines.nr && h->lines.v[i][0] != ' '; i++) {
			if (h->lines.v[i][0] == '\\') {
				/* "\ No newline at end of file": not a line */
			} else if (h->lines.v[i][0] == '-') {
				removed++;
				line++;
			} else {
				strbuf_addstr(&ins, h->lines.v[i] + 1);
				strbuf_addch(&ins, '\n');
			}
		}
		rep = json_pack("{s:{s:i, s:i, s:i, s:i}}", "deletedRegion",
				"startLine", (json_int_t)first, "startColumn", 1,
				"endLine", (json_int_t)(first + removed),
				"endColumn", 1);
		if (ins.len)
			json_object_set_new(rep, "insertedContent",
					    text_message(ins.buf));
		json_array_append_new(reps, rep);
		strbuf_release(&ins);
	}
}

static json_t *fixes(const struct ccg_finding *f)
{
	const struct udiff *d = f->patch;
	json_t *changes, *fix;

	if (!d)
		return NULL;
	changes = json_array();
	for (size_t i = 0; i < d->nr; i++) {
		json_t *reps = json_array();

		for (size_t k = 0; k < d->files[i].nr; k++)
			hunk_replacements(reps, &d->files[i].hunks[k]);
		json_array_append_new(changes,
			json_pack("{s:o, s:o}", "artifactLocation",
				  artifact(d->files[i].path), "replacements", reps));
	}
	fix = json_pack("{s:o, s:o}", "description",
			text_message("apply the suggested patch (also in --fix-dir and --diff)"),
			"artifactChanges", changes);
	return json_pack("[o]", fix);
}

/* Stable across line shifts: rule, file, function and message. */
static json_t *fingerprints(const struct ccg_finding *f)
{
	struct strbuf key = STRBUF_INIT;
	char hex[17];

	strbuf_addf(&key, "%s\n%s\n%s\n%s", f->rule, f->file,
		    f->function ? f->function : "", f->message);
	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)udiff_hash(key.buf, key.len));
	strbuf_release(&key);
	return json_pack("{s:s}", "ccgate/v1", hex);
}

static json_t *result(const struct ccg_finding *f, int rule_index)
{
	json_t *o = json_object(), *loc = location(f->file, f->line, f->col);
	json_t *fx;

	json_object_set_new(o, "ruleId", json_string(f->rule));
	if (rule_index >= 0)
		json_object_set_new(o, "ruleIndex", json_integer(rule_index));
	json_object_set_new(o, "level", json_string(sarif_level(f->severity)));
	json_object_set_new(o, "message", text_message(f->message));
	if (f->function)
		json_object_set_new(loc, "logicalLocations",
				    json_pack("[{s:s, s:s}]", "name", f->function,
					      "kind", "function"));
	json_object_set_new(o, "locations", json_pack("[o]", loc));
	if (f->nr_notes) {
		json_t *rel = json_array();

		for (size_t n = 0; n < f->nr_notes; n++) {
			const struct ccg_note *note = &f->notes[n];
			json_t *l = note->file ?
				    location(note->file, note->line, note->col) :
				    location(f->file, f->line, f->col);

			json_object_set_new(l, "id", json_integer((json_int_t)n + 1));
			json_object_set_new(l, "message", text_message(note->text));
			json_array_append_new(rel, l);
		}
		json_object_set_new(o, "relatedLocations", rel);
	}
	json_object_set_new(o, "partialFingerprints", fingerprints(f));
	if (f->triage)
		json_object_set_new(o, "properties",
				    json_pack("{s:O}", "triage", f->triage));
	fx = fixes(f);
	if (fx)
		json_object_set_new(o, "fixes", fx);
	return o;
}

static json_t *invocation(const struct ccg_run_stats *st, int exit_code)
{
	json_t *notes = json_array(), *inv;

	for (size_t i = 0; i < st->nr_results; i++) {
		const struct ccg_file_result *r = &st->results[i];
		struct strbuf msg = STRBUF_INIT;
		bool failed = r->status == CCG_FILE_FAILED;
		bool quiet = r->status == CCG_FILE_SKIPPED ||
			     r->status == CCG_FILE_RULED_OUT;

		if (r->status == CCG_FILE_PARSED)
			continue;
		strbuf_addf(&msg, "%s: %s", ccg_file_status_name(r->status),
			    r->reason ? r->reason : "no reason given");
		json_array_append_new(notes, json_pack("{s:s, s:o, s:[o], s:{s:s}}",
			"level", failed ? "error" : quiet ? "note" : "warning",
			"message", text_message(msg.buf),
			"locations", location(r->relpath, 0, 0),
			"descriptor", "id",
			failed ? "ccgate/file-not-analyzed" :
			r->status == CCG_FILE_SKIPPED ? "ccgate/file-skipped" :
			r->status == CCG_FILE_RULED_OUT ? "ccgate/file-ruled-out" :
			"ccgate/parse-incomplete"));
		strbuf_release(&msg);
	}
	for (size_t i = 0; st->sites && i < st->sites->nr; i++) {
		const struct ccg_msite *m = &st->sites->v[i];
		struct strbuf msg = STRBUF_INIT;

		if (!m->reason)
			continue;
		strbuf_addf(&msg, "trigger '%s' of %s not analyzed: %s",
			    m->token, m->rule, m->reason);
		json_array_append_new(notes, json_pack("{s:s, s:o, s:[o], s:{s:s}}",
			"level", m->ruled_out ? "note" : "warning",
			/* a reason may quote bytes that are not UTF-8 */
			"message", json_pack("{s:o}", "text", json_path(msg.buf)),
			"locations", location(m->file, m->line, m->col),
			"descriptor", "id", m->ruled_out ? "ccgate/site-ruled-out" :
			"ccgate/site-not-analyzed"));
		strbuf_release(&msg);
	}
	for (size_t i = 0; st->skipped_patches && i < st->skipped_patches->nr; i++)
		json_array_append_new(notes, json_pack("{s:s, s:o, s:{s:s}}",
			"level", "warning",
			"message", json_pack("{s:o}", "text",
					     json_path(st->skipped_patches->v[i])),
			"descriptor", "id", "ccgate/patch-skipped"));
	inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_true());
	json_object_set_new(inv, "exitCode", json_integer(exit_code));
	json_object_set_new(inv, "toolExecutionNotifications", notes);
	json_object_set_new(inv, "properties", report_stats_json(st, NULL));
	return inv;
}

void report_sarif(FILE *out, const struct rulepack *rp, const bool *enabled,
		  const char *root, const struct ccg_findings *list,
		  const struct ccg_run_stats *st, int exit_code)
{
	json_t *rules = json_array(), *results = json_array(), *run, *doc;
	struct strbuf base = STRBUF_INIT;
	char *s;

	for (size_t r = 0; r < rp->nr; r++)
		json_array_append_new(rules, rule_descriptor(rp->rules[r],
							     enabled[r]));
	for (size_t i = 0; i < list->nr; i++) {
		int idx = -1;

		for (size_t r = 0; r < rp->nr; r++)
			if (!strcmp(rp->rules[r]->id, list->v[i].rule))
				idx = (int)r;
		json_array_append_new(results, result(&list->v[i], idx));
	}
	strbuf_addstr(&base, "file://");
	path_percent_encode(&base, root);
	strbuf_addch(&base, '/');
	run = json_object();
	json_object_set_new(run, "tool", json_pack("{s:{s:s, s:s, s:s, s:o}}",
		"driver", "name", "ccgate", "version", CCGATE_VERSION,
		"semanticVersion", CCGATE_VERSION, "rules", rules));
	json_object_set_new(run, "originalUriBaseIds",
			    json_pack("{s:{s:s}}", "SRCROOT", "uri", base.buf));
	json_object_set_new(run, "invocations",
			    json_pack("[o]", invocation(st, exit_code)));
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", results);
	doc = json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA,
			"version", "2.1.0", "runs", run);
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(s, out);
	fputc('\n', out);
	free(s);
	json_decref(doc);
	strbuf_release(&base);
}
