// SPDX-License-Identifier: GPL-2.0-only
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "banned.h"

static const char *const status_names[] = {
	[CCG_FILE_PARSED] = "parsed",
	[CCG_FILE_INCOMPLETE] = "incomplete",
	[CCG_FILE_FAILED] = "failed",
	[CCG_FILE_SKIPPED] = "skipped",
};

const char *ccg_file_status_name(enum ccg_file_status s)
{
	return status_names[s];
}

void file_result_release(struct ccg_file_result *r)
{
	free(r->relpath);
	free(r->reason);
	findings_release(&r->findings);
	memset(r, 0, sizeof(*r));
}

bool ccg_text_has_trigger(const struct ccg_ctx *ctx, const char *text,
			  size_t len)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = ctx->rp->rules[r];

		if (!ctx->unit.enabled[r])
			continue;
		for (unsigned i = 0; i < rule->triggers_count; i++)
			if (memmem(text, len, rule->triggers[i],
				   strlen(rule->triggers[i])))
				return true;
	}
	return false;
}

void analyze_file(const struct ccg_ctx *ctx, const char *abspath,
		  const char *relpath, const struct strlist *args,
		  struct ccg_file_result *res)
{
	struct ccg_parse_args pa;
	const struct overlay_file *ov;
	struct strbuf text = STRBUF_INIT;
	struct ccg_unit u;
	CXIndex idx;
	char *err = NULL;

	memset(res, 0, sizeof(*res));
	res->relpath = xstrdup(relpath);
	parse_args_init(&pa);
	if (args) {
		for (size_t i = 0; i < args->nr; i++)
			strlist_push(&pa.argv, args->v[i]);
	} else if ((ov = overlay_find(ctx->overlay, abspath))) {
		parse_args_for_tree(&pa, ctx->unit.root, abspath, ov->text,
				    ov->len);
	} else {
		if (strbuf_read_file(&text, abspath) < 0) {
			res->status = CCG_FILE_FAILED;
			res->reason = xstrdup("cannot read the file");
			parse_args_release(&pa);
			return;
		}
		parse_args_for_tree(&pa, ctx->unit.root, abspath, text.buf,
				    text.len);
	}
	libclang_load();
	pa.overlay = ctx->overlay;
	idx = clang_createIndex(0, 0);
	u = (struct ccg_unit){ 0 };
	u.opts = &ctx->unit;
	u.rp = ctx->rp;
	u.tu = parse_file(idx, abspath, &pa, &err);
	if (!u.tu) {
		res->status = CCG_FILE_FAILED;
		res->reason = err;
	} else {
		unit_walk(&u);
		res->nr_errors = u.nr_errors;
		if (u.incomplete) {
			struct strbuf why = STRBUF_INIT;
			CXDiagnostic d = NULL;

			for (unsigned i = 0; i < clang_getNumDiagnostics(u.tu); i++) {
				d = clang_getDiagnostic(u.tu, i);
				if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
					break;
				clang_disposeDiagnostic(d);
				d = NULL;
			}
			strbuf_addf(&why, "%u parse error%s", u.nr_errors,
				    u.nr_errors == 1 ? "" : "s");
			if (d) {
				CXString s = clang_formatDiagnostic(d,
					CXDiagnostic_DisplaySourceLocation);

				strbuf_addf(&why, ", first: %s", clang_getCString(s));
				clang_disposeString(s);
				clang_disposeDiagnostic(d);
			}
			res->status = CCG_FILE_INCOMPLETE;
			res->reason = strbuf_detach(&why);
		} else {
			res->status = CCG_FILE_PARSED;
		}
		findings_move(&res->findings, &u.findings);
		unit_release(&u);
		clang_disposeTranslationUnit(u.tu);
	}
	clang_disposeIndex(idx);
	parse_args_release(&pa);
	strbuf_release(&text);
}

json_t *file_result_to_json(const struct ccg_file_result *r)
{
	json_t *o = json_object(), *a = json_array();

	json_object_set_new(o, "file", json_string(r->relpath));
	json_object_set_new(o, "status",
			    json_string(ccg_file_status_name(r->status)));
	json_object_set_new(o, "reason",
			    r->reason ? json_string(r->reason) : json_null());
	json_object_set_new(o, "errors", json_integer(r->nr_errors));
	for (size_t i = 0; i < r->findings.nr; i++)
		json_array_append_new(a, finding_to_json(&r->findings.v[i]));
	json_object_set_new(o, "findings", a);
	return o;
}

int file_result_from_json(struct ccg_file_result *r, json_t *o)
{
	const char *status = json_string_value(json_object_get(o, "status"));
	const char *file = json_string_value(json_object_get(o, "file"));
	const char *reason = json_string_value(json_object_get(o, "reason"));
	json_t *a = json_object_get(o, "findings"), *v;
	size_t i;

	if (!status || !file)
		return -1;
	r->relpath = xstrdup(file);
	r->status = CCG_FILE_FAILED;
	for (size_t s = 0; s < sizeof(status_names) / sizeof(*status_names); s++)
		if (!strcmp(status, status_names[s]))
			r->status = (enum ccg_file_status)s;
	r->reason = reason ? xstrdup(reason) : NULL;
	r->nr_errors = (unsigned)json_integer_value(json_object_get(o, "errors"));
	json_array_foreach(a, i, v) {
		struct ccg_finding f;

		if (finding_from_json(&f, v) < 0)
			continue;
		*findings_add(&r->findings) = f;
	}
	return 0;
}
