// SPDX-License-Identifier: GPL-2.0-only
#include "wire.h"

#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "registry.h"
#include "sites.h"
#include "udiff.h"
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

/*
 * A text, exact, under KEY of O: UTF-8 (NUL bytes included) as is, anything
 * else in hex under KEY_hex.
 */
static void text_set(json_t *o, const char *key, const char *text, size_t len)
{
	json_t *s = json_stringn(text, len);
	struct strbuf hex = STRBUF_INIT, k = STRBUF_INIT;

	if (s) {
		json_object_set_new(o, key, s);
		return;
	}
	for (size_t i = 0; i < len; i++)
		strbuf_addf(&hex, "%02x", (unsigned char)text[i]);
	strbuf_addf(&k, "%s_hex", key);
	json_object_set_new(o, k.buf, json_string(hex.buf ? hex.buf : ""));
	strbuf_release(&k);
	strbuf_release(&hex);
}

static int text_get(json_t *o, const char *key, struct strbuf *out)
{
	json_t *s = json_object_get(o, key);
	struct strbuf k = STRBUF_INIT;
	const char *hex;

	if (json_is_string(s)) {
		strbuf_add(out, json_string_value(s), json_string_length(s));
		return 0;
	}
	strbuf_addf(&k, "%s_hex", key);
	hex = json_string_value(json_object_get(o, k.buf));
	strbuf_release(&k);
	if (!hex)
		return -1;
	for (; hex[0] && hex[1]; hex += 2) {
		char b[3] = { hex[0], hex[1], 0 };

		strbuf_addch(out, (int)strtoul(b, NULL, 16));
	}
	return 0;
}

static void text_to_json(json_t *o, const char *text, size_t len)
{
	text_set(o, "text", text, len);
}

static int text_from_json(json_t *o, struct strbuf *out)
{
	return text_get(o, "text", out);
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

/* ---- a file's result, worker to parent ---- */

/* A finding's fix as its hunks: the parent renders, never re-parses. */
static json_t *patch_to_json(const struct udiff *d)
{
	json_t *files = json_array();

	for (size_t i = 0; i < d->nr; i++) {
		const struct udiff_file *f = &d->files[i];
		json_t *fo = json_object(), *hunks = json_array();

		json_set_path(fo, "path", f->path);
		text_set(fo, "header", f->header ? f->header : "",
			 f->header ? strlen(f->header) : 0);
		for (size_t k = 0; k < f->nr; k++) {
			const struct udiff_hunk *h = &f->hunks[k];
			json_t *ho = json_pack("{s:[I, I], s:[I, I]}",
				"old", (json_int_t)h->old_start, (json_int_t)h->old_count,
				"new", (json_int_t)h->new_start, (json_int_t)h->new_count);
			struct strbuf lines = STRBUF_INIT;

			if (h->func)
				text_set(ho, "func", h->func, strlen(h->func));
			/* no line holds a '\n': joined, they are one text */
			for (size_t l = 0; l < h->lines.nr; l++)
				strbuf_addf(&lines, "%s\n", h->lines.v[l]);
			text_set(ho, "lines", lines.buf ? lines.buf : "", lines.len);
			strbuf_release(&lines);
			json_array_append_new(hunks, ho);
		}
		json_object_set_new(fo, "hunks", hunks);
		json_array_append_new(files, fo);
	}
	return files;
}

static void hunk_from_json(struct udiff_hunk *h, json_t *ho)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object_get(ho, "old"), *n = json_object_get(ho, "new");

	h->old_start = (unsigned)json_integer_value(json_array_get(o, 0));
	h->old_count = (unsigned)json_integer_value(json_array_get(o, 1));
	h->new_start = (unsigned)json_integer_value(json_array_get(n, 0));
	h->new_count = (unsigned)json_integer_value(json_array_get(n, 1));
	if (!text_get(ho, "func", &sb))
		h->func = strbuf_detach(&sb);
	strbuf_reset(&sb);
	if (!text_get(ho, "lines", &sb)) {
		for (size_t s = 0, i = 0; i < sb.len; i++) {
			if (sb.buf[i] == '\n') {
				strlist_push_nodup(&h->lines,
						   xstrndup(sb.buf + s, i - s));
				s = i + 1;
			}
		}
	}
	strbuf_release(&sb);
}

static struct udiff *patch_from_json(json_t *files)
{
	struct udiff *d;
	json_t *fo, *ho;
	size_t i, k;

	if (!json_is_array(files))
		return NULL;
	d = xcalloc(1, sizeof(*d));
	json_array_foreach(files, i, fo) {
		char *path = json_get_path(fo, "path");
		struct strbuf head = STRBUF_INIT;
		struct udiff_file *f;

		text_get(fo, "header", &head);
		f = udiff_add_file(d, path ? path : "", strbuf_detach(&head));
		free(path);
		json_array_foreach(json_object_get(fo, "hunks"), k, ho)
			hunk_from_json(udiff_add_hunk(f), ho);
	}
	return d;
}

static json_t *preimages_to_json(const struct ccg_file_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_pre; i++) {
		char hex[17];
		json_t *p;

		snprintf(hex, sizeof(hex), "%016llx",
			 (unsigned long long)r->pre[i].hash);
		p = json_pack("{s:I, s:s}", "size", (json_int_t)r->pre[i].size,
			      "hash", hex);
		json_set_path(p, "file", r->pre[i].relpath);
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *xpreds_to_json(const struct ccg_file_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_xpreds; i++) {
		const struct ccg_xpred *x = &r->xpreds[i];
		json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:b, s:b}",
			"rule", ccg_rule_ids[x->rule], "name", x->name,
			"line", (json_int_t)x->line, "column", (json_int_t)x->col,
			"in_header", x->in_header, "lone", x->lone);

		json_set_path(p, "file", x->file);
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *xcalls_to_json(const struct ccg_file_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_xcalls; i++) {
		const struct ccg_xcall *x = &r->xcalls[i];
		json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:s, s:b}",
			"rule", ccg_rule_ids[x->rule], "name", x->name,
			"line", (json_int_t)x->line, "column", (json_int_t)x->col,
			"caller", x->caller, "guarded", x->guarded);

		json_set_path(p, "file", x->file);
		json_array_append_new(a, p);
	}
	return a;
}

json_t *file_result_to_json(const struct ccg_file_result *r)
{
	json_t *o = json_object(), *a = json_array();

	json_set_path(o, "file", r->relpath);
	json_object_set_new(o, "status",
			    json_string(ccg_file_status_name(r->status)));
	json_object_set_new(o, "reason",
			    r->reason ? json_path(r->reason) : json_null());
	json_object_set_new(o, "errors", json_integer(r->nr_errors));
	if (r->slim_retry)
		json_object_set_new(o, "slim_retry", json_true());
	for (size_t i = 0; i < r->findings.nr; i++) {
		const struct ccg_finding *f = &r->findings.v[i];

		json_array_append_new(a, finding_to_json_patch(f,
			f->patch ? patch_to_json(f->patch) : NULL));
	}
	json_object_set_new(o, "findings", a);
	json_object_set_new(o, "preimages", preimages_to_json(r));
	json_object_set_new(o, "sites", sites_to_json(r));
	json_object_set_new(o, "xpreds", xpreds_to_json(r));
	json_object_set_new(o, "xcalls", xcalls_to_json(r));
	return o;
}

static void preimages_from_json(struct ccg_file_result *r, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		char *pf = json_get_path(v, "file");
		const char *hash = json_string_value(json_object_get(v, "hash"));

		if (pf && hash)
			file_result_add_preimage(r, pf, (size_t)json_integer_value(
					json_object_get(v, "size")),
				     strtoull(hash, NULL, 16));
		free(pf);
	}
}

/* The rule, name and place of an xpred or xcall record; -1 if incomplete. */
static int xrecord_from_json(json_t *v, int *rule, char **name, char **file,
			     unsigned *line, unsigned *col)
{
	const char *r = json_string_value(json_object_get(v, "rule"));
	const char *n = json_string_value(json_object_get(v, "name"));

	*file = json_get_path(v, "file");
	if (!r || ccg_rule_lookup(r) < 0 || !n || !*file) {
		free(*file);
		return -1;
	}
	*rule = ccg_rule_lookup(r);
	*name = xstrdup(n);
	*line = (unsigned)json_integer_value(json_object_get(v, "line"));
	*col = (unsigned)json_integer_value(json_object_get(v, "column"));
	return 0;
}

static void xpreds_from_json(struct ccg_file_result *r, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		struct ccg_xpred x = { 0 };

		if (xrecord_from_json(v, &x.rule, &x.name, &x.file, &x.line,
				      &x.col) < 0)
			continue;
		x.in_header = json_is_true(json_object_get(v, "in_header"));
		x.lone = json_is_true(json_object_get(v, "lone"));
		ALLOC_GROW(r->xpreds, r->nr_xpreds + 1, r->alloc_xpreds);
		r->xpreds[r->nr_xpreds++] = x;
	}
}

static void xcalls_from_json(struct ccg_file_result *r, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		const char *caller = json_string_value(json_object_get(v, "caller"));
		struct ccg_xcall x = { 0 };

		if (!caller || xrecord_from_json(v, &x.rule, &x.name, &x.file,
						 &x.line, &x.col) < 0)
			continue;
		x.caller = xstrdup(caller);
		x.guarded = json_is_true(json_object_get(v, "guarded"));
		ALLOC_GROW(r->xcalls, r->nr_xcalls + 1, r->alloc_xcalls);
		r->xcalls[r->nr_xcalls++] = x;
	}
}

int file_result_from_json(struct ccg_file_result *r, json_t *o)
{
	const char *status = json_string_value(json_object_get(o, "status"));
	char *file = json_get_path(o, "file");
	const char *reason = json_string_value(json_object_get(o, "reason"));
	size_t i;
	json_t *v;

	if (!status || !file) {
		free(file);
		return -1;
	}
	r->relpath = file;
	r->status = ccg_file_status_parse(status);
	r->reason = reason ? xstrdup(reason) : NULL;
	r->nr_errors = (unsigned)json_integer_value(json_object_get(o, "errors"));
	r->slim_retry = json_is_true(json_object_get(o, "slim_retry"));
	json_array_foreach(json_object_get(o, "findings"), i, v) {
		struct ccg_finding f;

		if (finding_from_json(&f, v) < 0)
			continue;
		f.patch = patch_from_json(json_object_get(v, "patch"));
		*findings_add(&r->findings) = f;
	}
	preimages_from_json(r, json_object_get(o, "preimages"));
	sites_from_json(r, json_object_get(o, "sites"));
	xpreds_from_json(r, json_object_get(o, "xpreds"));
	xcalls_from_json(r, json_object_get(o, "xcalls"));
	return 0;
}
