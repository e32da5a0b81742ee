// SPDX-License-Identifier: GPL-2.0-only
#include "fingerprint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "banned.h"

#define FP_EXPR_MAX 240

static bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* Offset of 1-based LINE:COL in TEXT, or LEN if it is not there. */
static size_t offset_of(const char *text, size_t len, unsigned line,
			unsigned col)
{
	size_t off = 0;

	for (unsigned l = 1; l < line && off < len; off++)
		if (text[off] == '\n')
			l++;
	for (unsigned c = 1; c < col && off < len && text[off] != '\n'; c++)
		off++;
	return off;
}

/*
 * The expression that starts at OFF: an identifier with its balanced
 * argument list (cpu_feature_enabled(X86_FEATURE_SVM)), a parenthesized
 * expression, or else the rest of the statement on that line.
 */
static void take_expression(struct strbuf *out, const char *text, size_t len,
			    size_t off)
{
	size_t end = off, depth = 0;

	while (end < len && is_ident((unsigned char)text[end]))
		end++;
	if (end > off) {
		size_t p = end;

		while (p < len && (text[p] == ' ' || text[p] == '\t'))
			p++;
		if (p < len && text[p] == '(')
			end = p;
		else
			goto add;
	}
	if (end < len && text[end] == '(') {
		for (; end < len; end++) {
			if (text[end] == '(')
				depth++;
			else if (text[end] == ')' && !--depth) {
				end++;
				break;
			}
		}
		goto add;
	}
	while (end < len && text[end] != '\n' && text[end] != ';' &&
	       text[end] != '{')
		end++;
add:
	for (size_t i = off; i < end && out->len < FP_EXPR_MAX; i++)
		if (!isspace((unsigned char)text[i]))
			strbuf_addch(out, text[i]);
}

void fp_key_init(struct fp_key *key, const struct ccg_finding *f,
		 const char *root, const struct overlay *overlay)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, expr = STRBUF_INIT;
	const struct overlay_file *ov;
	const char *t = NULL;
	size_t len = 0;

	strbuf_addf(&path, "%s/%s", root, f->file);
	ov = overlay_find(overlay, path.buf);
	if (ov) {
		t = ov->text;
		len = ov->len;
	} else if (!strbuf_read_file(&text, path.buf)) {
		t = text.buf;
		len = text.len;
	}
	if (t && f->line)
		take_expression(&expr, t, len,
				offset_of(t, len, f->line, f->col));
	/* the lists that tell two findings of one place apart (wrong bytes) */
	for (size_t k = 0; k < f->nr_lists; k++) {
		const struct ccg_flist *l = &f->lists[k];

		for (size_t i = 0; l->identity && i < l->v.nr; i++)
			if (i)
				strbuf_addf(&expr, ",%s", l->v.v[i]);
			else
				strbuf_addf(&expr, "|%s=%s", l->key, l->v.v[i]);
	}
	key->rule = xstrdup(f->rule);
	key->file = xstrdup(f->file);
	key->function = xstrdup(f->function ? f->function : "");
	key->expr = strbuf_detach(&expr);
	if (!key->expr)
		key->expr = xstrdup("");
	strbuf_release(&path);
	strbuf_release(&text);
}

void fp_key_release(struct fp_key *key)
{
	free(key->rule);
	free(key->file);
	free(key->function);
	free(key->expr);
	memset(key, 0, sizeof(*key));
}

bool fp_key_equal(const struct fp_key *a, const struct fp_key *b)
{
	return !strcmp(a->rule, b->rule) && !strcmp(a->file, b->file) &&
	       !strcmp(a->function, b->function) && !strcmp(a->expr, b->expr);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	/* the NUL is hashed too, so field boundaries count */
	do {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	} while (*s++);
	return h;
}

uint64_t fp_key_hash(const struct fp_key *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, key->rule);
	h = fnv1a(h, key->file);
	h = fnv1a(h, key->function);
	return fnv1a(h, key->expr);
}

void fp_keys_init(struct fp_keys *keys, const struct ccg_findings *list,
		  const char *root, const struct overlay *overlay)
{
	keys->nr = list->nr;
	keys->v = xcalloc(list->nr + 1, sizeof(*keys->v));
	for (size_t i = 0; i < list->nr; i++)
		fp_key_init(&keys->v[i], &list->v[i], root, overlay);
}

void fp_keys_release(struct fp_keys *keys)
{
	for (size_t i = 0; i < keys->nr; i++)
		fp_key_release(&keys->v[i]);
	free(keys->v);
	keys->v = NULL;
	keys->nr = 0;
}

void fp_keys_match(const struct fp_keys *a, const struct fp_keys *b,
		   bool *a_matched, bool *b_matched)
{
	memset(a_matched, 0, a->nr * sizeof(*a_matched));
	memset(b_matched, 0, b->nr * sizeof(*b_matched));
	for (size_t i = 0; i < a->nr; i++) {
		for (size_t j = 0; j < b->nr; j++) {
			if (b_matched[j] || !fp_key_equal(&a->v[i], &b->v[j]))
				continue;
			a_matched[i] = b_matched[j] = true;
			break;
		}
	}
}
