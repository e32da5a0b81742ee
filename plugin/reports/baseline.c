// SPDX-License-Identifier: GPL-2.0-only
#include "baseline.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "diag.h"
#include "banned.h"

#define BASELINE_VERSION 1

static const char *const entry_fields[] = {
	"rule", "file", "function", "expression", "reason",
};

static int bad(char **err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char **err, const char *path, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_addf(&sb, "baseline '%s': ", path);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	*err = strbuf_detach(&sb);
	return -1;
}

static int load_entry(struct baseline *b, json_t *o, size_t i, char **err)
{
	const char *v[5];
	struct baseline_entry *e;
	const char *key;
	json_t *val;

	if (!json_is_object(o))
		return bad(err, b->path, "entry %zu is not an object", i + 1);
	for (size_t k = 0; k < 5; k++) {
		v[k] = json_string_value(json_object_get(o, entry_fields[k]));
		if (!v[k])
			return bad(err, b->path, "entry %zu has no string '%s'",
				   i + 1, entry_fields[k]);
	}
	json_object_foreach(o, key, val) {
		bool known = false;

		for (size_t k = 0; k < 5; k++)
			known |= !strcmp(key, entry_fields[k]);
		if (!known)
			return bad(err, b->path, "entry %zu has an unknown field '%s'",
				   i + 1, key);
	}
	if (!*v[0] || !*v[1])
		return bad(err, b->path, "entry %zu has an empty rule or file",
			   i + 1);
	if (!v[4][strspn(v[4], " \t\n")])
		return bad(err, b->path, "entry %zu ('%s' in '%s') gives no reason",
			   i + 1, v[0], v[1]);
	ALLOC_GROW(b->v, b->nr + 1, b->alloc);
	e = &b->v[b->nr++];
	e->key.rule = xstrdup(v[0]);
	e->key.file = xstrdup(v[1]);
	e->key.function = xstrdup(v[2]);
	e->key.expr = xstrdup(v[3]);
	e->reason = xstrdup(v[4]);
	e->used = false;
	return 0;
}

int baseline_load(struct baseline *b, const char *path, char **err)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	if (strbuf_read_file(&text, path) < 0)
		return bad(err, path, "%s", strerror(errno));
	ret = baseline_parse(b, path, text.buf ? text.buf : "", text.len, err);
	strbuf_release(&text);
	return ret;
}

int baseline_parse(struct baseline *b, const char *path, const char *text,
		   size_t len, char **err)
{
	json_error_t jerr;
	json_t *root, *list, *o;
	size_t i;
	int ret = 0;

	b->path = xstrdup(path);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line <= 0)
			ret = bad(err, path, "%s", jerr.text);
		else
			ret = bad(err, path, "line %d: %s", jerr.line, jerr.text);
		baseline_release(b);
		return ret;
	}
	list = json_object_get(root, "accepted");
	if (!json_is_object(root) ||
	    json_integer_value(json_object_get(root, "ccgate-baseline")) !=
	    BASELINE_VERSION) {
		ret = bad(err, path, "not a ccgate baseline (expected \"ccgate-baseline\": %d)",
			  BASELINE_VERSION);
	} else if (!json_is_array(list)) {
		ret = bad(err, path, "no \"accepted\" list");
	} else {
		json_array_foreach(list, i, o) {
			ret = load_entry(b, o, i, err);
			if (ret < 0)
				break;
		}
	}
	json_decref(root);
	if (ret < 0)
		baseline_release(b);
	return ret;
}

void baseline_release(struct baseline *b)
{
	for (size_t i = 0; i < b->nr; i++) {
		fp_key_release(&b->v[i].key);
		free(b->v[i].reason);
	}
	free(b->v);
	free(b->path);
	memset(b, 0, sizeof(*b));
}

size_t baseline_filter(struct baseline *b, struct ccg_findings *list,
		       struct fp_keys *keys)
{
	size_t out = 0, dropped = 0;

	for (size_t i = 0; i < list->nr; i++) {
		bool accepted = false;

		for (size_t e = 0; e < b->nr && !accepted; e++) {
			if (b->v[e].used || !fp_key_equal(&b->v[e].key, &keys->v[i]))
				continue;
			b->v[e].used = accepted = true;
		}
		if (accepted) {
			finding_release(&list->v[i]);
			fp_key_release(&keys->v[i]);
			dropped++;
			continue;
		}
		list->v[out] = list->v[i];
		keys->v[out] = keys->v[i];
		out++;
	}
	list->nr = keys->nr = out;
	return dropped;
}

size_t baseline_report_stale(const struct baseline *b,
			     const struct strlist *files, FILE *out)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nr; i++) {
		const struct fp_key *k = &b->v[i].key;

		if (b->v[i].used || (files && !strlist_has(files, k->file)))
			continue;
		ccg_report(out, b->path, 0, 0, CCG_SEV_WARNING, NULL,
			   "stale entry %zu: no '%s' finding in '%s' function '%s' testing '%s'; remove it",
			   i + 1, k->rule, k->file, k->function, k->expr);
		n++;
	}
	return n;
}

int baseline_write(const char *path, const struct fp_keys *keys,
		   const struct baseline *old, const char *reason)
{
	json_t *root = json_object(), *list = json_array();
	bool *taken = xcalloc(old ? old->nr + 1 : 1, sizeof(*taken));
	struct strbuf text = STRBUF_INIT;
	char *s;
	int ret;

	for (size_t i = 0; i < keys->nr; i++) {
		const struct fp_key *k = &keys->v[i];
		const char *why = reason;

		for (size_t e = 0; old && e < old->nr; e++) {
			if (taken[e] || !fp_key_equal(&old->v[e].key, k))
				continue;
			taken[e] = true;
			why = old->v[e].reason;
			break;
		}
		json_array_append_new(list,
			json_pack("{s:s, s:s, s:s, s:s, s:s}", "rule", k->rule,
				  "file", k->file, "function", k->function,
				  "expression", k->expr, "reason", why));
	}
	json_object_set_new(root, "ccgate-baseline",
			    json_integer(BASELINE_VERSION));
	json_object_set_new(root, "accepted", list);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	free(taken);
	if (!s)
		die_oom();
	strbuf_addf(&text, "%s\n", s);
	free(s);
	ret = write_file_atomic(path, text.buf, text.len, 0644);
	strbuf_release(&text);
	if (ret < 0)
		error("cannot write '%s': %s", path, strerror(errno));
	return ret;
}
