// SPDX-License-Identifier: GPL-2.0-only
#include "wire.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "registry.h"
#include "banned.h"

void ctx_wire_init(struct ctx_wire *w)
{
	memset(w, 0, sizeof(*w));
}

void ctx_wire_release(struct ctx_wire *w)
{
	rulepack_release(&w->rp);
	overlay_release(&w->overlay);
	strlist_release(&w->gen_path);
	strlist_release(&w->gen_text);
	strlist_release(&w->xpreds);
	free(w->autoconf);
	free(w->root);
	ctx_wire_init(w);
}

static json_t *strlist_to_json(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; l && i < l->nr; i++) {
		json_t *o = json_object();

		json_set_path(o, "s", l->v[i]);
		json_array_append_new(a, o);
	}
	return a;
}

static void strlist_from_json(struct strlist *l, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		char *s = json_get_path(v, "s");

		if (s)
			strlist_push_nodup(l, s);
	}
}

/* A file text, exact: UTF-8 (NUL bytes included) as is, anything else in hex. */
static void text_to_json(json_t *o, const char *text, size_t len)
{
	json_t *s = json_stringn(text, len);
	struct strbuf hex = STRBUF_INIT;

	if (s) {
		json_object_set_new(o, "text", s);
		return;
	}
	for (size_t i = 0; i < len; i++)
		strbuf_addf(&hex, "%02x", (unsigned char)text[i]);
	json_object_set_new(o, "text_hex", json_string(hex.buf ? hex.buf : ""));
	strbuf_release(&hex);
}

static int text_from_json(json_t *o, struct strbuf *out)
{
	json_t *s = json_object_get(o, "text");
	const char *hex;

	if (json_is_string(s)) {
		strbuf_add(out, json_string_value(s), json_string_length(s));
		return 0;
	}
	hex = json_string_value(json_object_get(o, "text_hex"));
	if (!hex)
		return -1;
	for (; hex[0] && hex[1]; hex += 2) {
		char b[3] = { hex[0], hex[1], 0 };

		strbuf_addch(out, (int)strtoul(b, NULL, 16));
	}
	return 0;
}

json_t *ctx_to_json(const struct ccg_ctx *ctx)
{
	json_t *o = json_object(), *en = json_array(), *ov = json_array();

	json_set_path(o, "rules", ctx->rp->dir ? ctx->rp->dir : "");
	for (int r = 0; r < CCG_RULE_NR; r++)
		if (ctx->unit.enabled[r])
			json_array_append_new(en, json_string(ccg_rule_ids[r]));
	json_object_set_new(o, "enabled", en);
	json_set_path(o, "root", ctx->unit.root);
	json_object_set_new(o, "verbose", json_boolean(ctx->unit.verbose));
	json_object_set_new(o, "only_c_files",
			    json_boolean(ctx->unit.only_c_files));
	json_object_set_new(o, "full_headers",
			    json_boolean(ctx->unit.full_headers));
	json_object_set_new(o, "file_timeout", json_integer(ctx->file_timeout));
	json_object_set_new(o, "file_memory",
			    json_integer((json_int_t)ctx->file_memory));
	json_object_set_new(o, "jobs", json_integer(ctx->jobs));
	if (ctx->autoconf) {
		json_t *ac = json_object();

		text_to_json(ac, ctx->autoconf, strlen(ctx->autoconf));
		json_object_set_new(o, "autoconf", ac);
	}
	if (ctx->gen_path) {
		json_t *gen = json_array();

		for (size_t i = 0; i < ctx->gen_path->nr; i++) {
			json_t *fo = json_object();

			json_set_path(fo, "path", ctx->gen_path->v[i]);
			text_to_json(fo, ctx->gen_text->v[i],
				     strlen(ctx->gen_text->v[i]));
			json_array_append_new(gen, fo);
		}
		json_object_set_new(o, "generated", gen);
	}
	if (ctx->xpreds)
		json_object_set_new(o, "xpreds", strlist_to_json(ctx->xpreds));
	for (size_t i = 0; ctx->overlay && i < ctx->overlay->nr; i++) {
		const struct overlay_file *f = &ctx->overlay->v[i];
		json_t *fo = json_object();

		json_set_path(fo, "path", f->abspath);
		text_to_json(fo, f->text, f->len);
		json_array_append_new(ov, fo);
	}
	json_object_set_new(o, "overlay", ov);
	/* the compile database travels per job, as its arguments */
	return o;
}

int ctx_from_json(struct ccg_ctx *ctx, struct ctx_wire *w, json_t *o,
		  char **err)
{
	char *rules = json_get_path(o, "rules");
	json_t *v, *a;
	size_t i;

	memset(ctx, 0, sizeof(*ctx));
	w->root = json_get_path(o, "root");
	if (!rules || !w->root) {
		free(rules);
		*err = xstrdup("the run context names no rule pack or no tree");
		return -1;
	}
	if (rulepack_load(&w->rp, rules, err) < 0) {
		free(rules);
		return -1;
	}
	free(rules);
	ctx->rp = &w->rp;
	json_array_foreach(json_object_get(o, "enabled"), i, v) {
		int r = ccg_rule_lookup(json_string_value(v) ?
					json_string_value(v) : "");

		if (r >= 0)
			ctx->unit.enabled[r] = true;
	}
	ctx->unit.root = w->root;
	ctx->unit.verbose = json_is_true(json_object_get(o, "verbose"));
	ctx->unit.only_c_files = json_is_true(json_object_get(o, "only_c_files"));
	ctx->unit.full_headers = json_is_true(json_object_get(o, "full_headers"));
	ctx->file_timeout = (unsigned)json_integer_value(
				json_object_get(o, "file_timeout"));
	ctx->file_memory = (uint64_t)json_integer_value(
				json_object_get(o, "file_memory"));
	ctx->jobs = (int)json_integer_value(json_object_get(o, "jobs"));
	if ((a = json_object_get(o, "autoconf"))) {
		struct strbuf text = STRBUF_INIT;

		if (!text_from_json(a, &text))
			w->autoconf = xstrdup(text.buf ? text.buf : "");
		strbuf_release(&text);
		ctx->autoconf = w->autoconf;
	}
	json_array_foreach(json_object_get(o, "generated"), i, v) {
		char *path = json_get_path(v, "path");
		struct strbuf text = STRBUF_INIT;

		if (path && !text_from_json(v, &text)) {
			strlist_push(&w->gen_path, path);
			strlist_push(&w->gen_text, text.buf ? text.buf : "");
		}
		free(path);
		strbuf_release(&text);
	}
	if ((a = json_object_get(o, "xpreds"))) {
		strlist_from_json(&w->xpreds, a);
		ctx->xpreds = &w->xpreds;
	}
	if (w->gen_path.nr) {
		ctx->gen_path = &w->gen_path;
		ctx->gen_text = &w->gen_text;
	}
	json_array_foreach(json_object_get(o, "overlay"), i, v) {
		char *path = json_get_path(v, "path");
		struct strbuf text = STRBUF_INIT;

		if (path && !text_from_json(v, &text))
			overlay_set(&w->overlay, path, text.buf ? text.buf : "",
				    text.len);
		free(path);
		strbuf_release(&text);
	}
	ctx->overlay = w->overlay.nr ? &w->overlay : NULL;
	return 0;
}

json_t *job_to_json(const struct pool_job *job)
{
	json_t *o = json_object();

	json_set_path(o, "abspath", job->abspath);
	json_set_path(o, "relpath", job->relpath);
	if (job->args)
		json_object_set_new(o, "args", strlist_to_json(job->args));
	return o;
}

int job_from_json(struct job_wire *jw, json_t *o)
{
	json_t *a = json_object_get(o, "args");

	memset(jw, 0, sizeof(*jw));
	jw->job.abspath = json_get_path(o, "abspath");
	jw->job.relpath = json_get_path(o, "relpath");
	if (a) {
		strlist_from_json(&jw->args, a);
		jw->job.args = &jw->args;
	}
	if (!jw->job.abspath || !jw->job.relpath) {
		job_wire_release(jw);
		return -1;
	}
	return 0;
}

void job_wire_release(struct job_wire *jw)
{
	free(jw->job.abspath);
	free(jw->job.relpath);
	strlist_release(&jw->args);
	memset(jw, 0, sizeof(*jw));
}
