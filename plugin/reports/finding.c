// SPDX-License-Identifier: GPL-2.0-only
#include "finding.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "unit.h"
#include "banned.h"

struct ccg_finding *findings_add(struct ccg_findings *list)
{
	struct ccg_finding *f;

	ALLOC_GROW(list->v, list->nr + 1, list->alloc);
	f = &list->v[list->nr++];
	memset(f, 0, sizeof(*f));
	return f;
}

void finding_add_note(struct ccg_finding *f, const char *file, unsigned line,
		      unsigned col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct ccg_note *n;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(f->notes, f->nr_notes + 1, f->alloc_notes);
	n = &f->notes[f->nr_notes++];
	n->file = file ? xstrdup(file) : NULL;
	n->line = line;
	n->col = col;
	n->text = strbuf_detach(&sb);
}

void finding_add_lists(struct ccg_finding *f, const struct ccg_list_field *fields)
{
	for (; fields && fields->key; fields++) {
		struct ccg_flist *l;

		if (finding_list(f, fields->key))
			continue;
		f->lists = xrealloc(f->lists, (f->nr_lists + 1) * sizeof(*f->lists));
		l = &f->lists[f->nr_lists++];
		l->key = xstrdup(fields->key);
		l->identity = fields->identity;
		l->v = (struct strlist)STRLIST_INIT;
	}
}

struct strlist *finding_list(const struct ccg_finding *f, const char *key)
{
	for (size_t i = 0; i < f->nr_lists; i++)
		if (!strcmp(f->lists[i].key, key))
			return &f->lists[i].v;
	return NULL;
}

void finding_release(struct ccg_finding *f)
{
	free(f->rule);
	free(f->file);
	free(f->function);
	free(f->message);
	free(f->summary);
	for (size_t i = 0; i < f->nr_notes; i++) {
		free(f->notes[i].file);
		free(f->notes[i].text);
	}
	free(f->notes);
	for (size_t i = 0; i < f->nr_lists; i++) {
		free(f->lists[i].key);
		strlist_release(&f->lists[i].v);
	}
	free(f->lists);
	udiff_free(f->patch);
	strlist_release(&f->units);
	json_decref(f->triage);
	memset(f, 0, sizeof(*f));
}

void findings_release(struct ccg_findings *list)
{
	for (size_t i = 0; i < list->nr; i++)
		finding_release(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->nr = list->alloc = 0;
}

void findings_move(struct ccg_findings *dst, struct ccg_findings *src)
{
	for (size_t i = 0; i < src->nr; i++) {
		ALLOC_GROW(dst->v, dst->nr + 1, dst->alloc);
		dst->v[dst->nr++] = src->v[i];
	}
	free(src->v);
	src->v = NULL;
	src->nr = src->alloc = 0;
}

void findings_move_unit(struct ccg_findings *dst, struct ccg_findings *src,
			const char *unit)
{
	for (size_t i = 0; i < src->nr; i++)
		if (!strlist_has(&src->v[i].units, unit))
			strlist_push(&src->v[i].units, unit);
	findings_move(dst, src);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct ccg_finding *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	c = strcmp(x->rule, y->rule);
	if (c)
		return c;
	return strcmp(x->message, y->message);
}

void findings_sort_unique(struct ccg_findings *list)
{
	size_t out = 0;

	if (!list->nr)
		return;
	qsort(list->v, list->nr, sizeof(*list->v), cmp_finding);
	for (size_t i = 0; i < list->nr; i++) {
		if (out && !cmp_finding(&list->v[out - 1], &list->v[i])) {
			struct ccg_finding *keep = &list->v[out - 1];

			/* the first unit's notes win; a later patch fills a gap */
			if (!keep->patch && list->v[i].patch) {
				keep->patch = list->v[i].patch;
				list->v[i].patch = NULL;
			}
			for (size_t u = 0; u < list->v[i].units.nr; u++)
				if (!strlist_has(&keep->units, list->v[i].units.v[u]))
					strlist_push(&keep->units, list->v[i].units.v[u]);
			finding_release(&list->v[i]);
			continue;
		}
		if (out != i)
			list->v[out] = list->v[i];
		out++;
	}
	list->nr = out;
}

static json_t *strlist_to_json(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* Length of the valid UTF-8 sequence at S, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 :
		   (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

json_t *json_path(const char *path)
{
	json_t *j = json_string(path);
	struct strbuf sb = STRBUF_INIT;

	if (j)
		return j;
	for (const unsigned char *p = (const unsigned char *)path; *p;) {
		size_t n = utf8_len(p);

		if (n) {
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			strbuf_addf(&sb, "\\x%02x", *p++);
		}
	}
	j = json_string(sb.buf ? sb.buf : "");
	strbuf_release(&sb);
	/* overlong forms or surrogates that passed the byte check */
	return j ? j : json_string("(file name not valid UTF-8)");
}

void path_percent_encode(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			strbuf_addch(sb, c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void json_set_path(json_t *o, const char *key, const char *path)
{
	json_t *exact = json_string(path);
	struct strbuf k = STRBUF_INIT, enc = STRBUF_INIT;

	if (exact) {
		json_object_set_new(o, key, exact);
		return;
	}
	json_object_set_new(o, key, json_path(path));
	strbuf_addf(&k, "%s_bytes", key);
	path_percent_encode(&enc, path);
	json_object_set_new(o, k.buf, json_string(enc.buf));
	strbuf_release(&k);
	strbuf_release(&enc);
}

char *json_get_path(json_t *o, const char *key)
{
	struct strbuf k = STRBUF_INIT, out = STRBUF_INIT;
	const char *enc;
	json_t *v;

	strbuf_addf(&k, "%s_bytes", key);
	enc = json_string_value(json_object_get(o, k.buf));
	strbuf_release(&k);
	if (!enc) {
		v = json_object_get(o, key);
		return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
	}
	for (; *enc; enc++) {
		int hi, lo;

		if (*enc == '%' && (hi = hex_digit(enc[1])) >= 0 &&
		    (lo = hex_digit(enc[2])) >= 0 && (hi || lo)) {
			strbuf_addch(&out, hi * 16 + lo);
			enc += 2;
		} else {
			strbuf_addch(&out, *enc);
		}
	}
	return strbuf_detach(&out);
}

json_t *finding_to_json(const struct ccg_finding *f)
{
	json_t *o = finding_to_json_patch(f, NULL);

	if (f->patch) {
		char *text = udiff_text(f->patch);
		json_t *v = json_string(text);

		/* in place (jansson keeps the key's order); not UTF-8: none */
		if (v)
			json_object_set_new(o, "patch", v);
		else
			json_object_del(o, "patch");
		free(text);
	}
	return o;
}

json_t *finding_to_json_patch(const struct ccg_finding *f, json_t *patch)
{
	json_t *o = json_object();
	json_t *notes = json_array();

	json_object_set_new(o, "rule", json_string(f->rule));
	json_object_set_new(o, "severity",
			    json_string(ccg_severity_name(f->severity)));
	json_set_path(o, "file", f->file);
	json_object_set_new(o, "line", json_integer(f->line));
	json_object_set_new(o, "column", json_integer(f->col));
	json_object_set_new(o, "function",
			    f->function ? json_string(f->function) : json_null());
	json_object_set_new(o, "message", json_string(f->message));
	if (f->summary)
		json_object_set_new(o, "summary", json_string(f->summary));
	for (size_t i = 0; i < f->nr_notes; i++) {
		const struct ccg_note *n = &f->notes[i];

		json_t *no = json_pack("{s:i, s:i, s:s}",
				       "line", (json_int_t)n->line,
				       "column", (json_int_t)n->col,
				       "message", n->text);

		if (n->file)
			json_set_path(no, "file", n->file);
		else
			json_object_set_new(no, "file", json_null());
		json_array_append_new(notes, no);
	}
	json_object_set_new(o, "notes", notes);
	for (size_t i = 0; i < f->nr_lists; i++)
		json_object_set_new(o, f->lists[i].key,
				    strlist_to_json(&f->lists[i].v));
	json_object_set_new(o, "patch", patch ? patch : json_null());
	if (f->triage)
		json_object_set(o, "triage", f->triage);
	if (f->backends) {
		json_t *e = json_array();

		if (f->backends & CCG_BACKEND_CLANG)
			json_array_append_new(e, json_string("clang"));
		if (f->backends & CCG_BACKEND_COCCI)
			json_array_append_new(e, json_string("cocci"));
		json_object_set_new(o, "engines", e);
	}
	return o;
}

static char *json_dup(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static unsigned json_uint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (unsigned)json_integer_value(v) : 0;
}

static void strlist_from_json(struct strlist *l, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			strlist_push(l, json_string_value(v));
}

/* The extra fields of the finding's rule, if the object has any. */
static void lists_from_json(struct ccg_finding *f, json_t *o)
{
	int nr = ccg_rule_lookup(f->rule);
	const struct ccg_list_field *fields;
	bool any = false;

	fields = nr < 0 ? NULL : ccg_engine_get((enum ccg_rule_nr)nr)->lists;
	for (const struct ccg_list_field *k = fields; k && k->key; k++)
		any |= json_object_get(o, k->key) != NULL;
	if (!any)
		return;
	finding_add_lists(f, fields);
	for (size_t i = 0; i < f->nr_lists; i++)
		strlist_from_json(&f->lists[i].v,
				  json_object_get(o, f->lists[i].key));
}

int finding_from_json(struct ccg_finding *f, json_t *o)
{
	const char *sev;
	json_t *notes, *n;
	size_t i;

	memset(f, 0, sizeof(*f));
	sev = json_string_value(json_object_get(o, "severity"));
	f->rule = json_dup(o, "rule");
	f->file = json_get_path(o, "file");
	f->message = json_dup(o, "message");
	if (!f->rule || !f->file || !f->message || !sev ||
	    ccg_severity_parse(sev, &f->severity) < 0) {
		finding_release(f);
		return -1;
	}
	f->function = json_dup(o, "function");
	f->summary = json_dup(o, "summary");
	f->line = json_uint(o, "line");
	f->col = json_uint(o, "column");
	notes = json_object_get(o, "notes");
	json_array_foreach(notes, i, n) {
		char *file = json_get_path(n, "file");
		const char *text = json_string_value(json_object_get(n, "message"));

		finding_add_note(f, file, json_uint(n, "line"),
				 json_uint(n, "column"), "%s", text ? text : "");
		free(file);
	}
	lists_from_json(f, o);
	return 0;
}
