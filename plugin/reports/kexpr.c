// SPDX-License-Identifier: GPL-2.0-only
#include "kexpr.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static struct kexpr *kexpr_new(enum kexpr_kind kind)
{
	struct kexpr *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	return e;
}

struct kexpr *kexpr_const(int value)
{
	struct kexpr *e = kexpr_new(KEXPR_CONST);

	e->value = value;
	return e;
}

struct kexpr *kexpr_sym(const char *name, int at_n, int at_m, int at_y)
{
	struct kexpr *e = kexpr_new(KEXPR_SYM);

	e->name = xstrdup(name);
	e->map[0] = (unsigned char)at_n;
	e->map[1] = (unsigned char)at_m;
	e->map[2] = (unsigned char)at_y;
	return e;
}

struct kexpr *kexpr_unknown(const char *fmt, ...)
{
	struct kexpr *e = kexpr_new(KEXPR_UNKNOWN);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	e->name = strbuf_detach(&sb);
	return e;
}

static void kexpr_push(struct kexpr *e, struct kexpr *kid)
{
	ALLOC_GROW(e->kids, e->nr + 1, e->alloc);
	e->kids[e->nr++] = kid;
}

struct kexpr *kexpr_not(struct kexpr *a)
{
	struct kexpr *e;

	if (!a)
		return NULL;
	e = kexpr_new(KEXPR_NOT);
	kexpr_push(e, a);
	return e;
}

static struct kexpr *kexpr_binary(enum kexpr_kind kind, struct kexpr *a,
				  struct kexpr *b)
{
	struct kexpr *e;

	if (!a || !b)
		return a ? a : b;
	e = kexpr_new(kind);
	kexpr_push(e, a);
	kexpr_push(e, b);
	return e;
}

struct kexpr *kexpr_and(struct kexpr *a, struct kexpr *b)
{
	return kexpr_binary(KEXPR_AND, a, b);
}

struct kexpr *kexpr_or(struct kexpr *a, struct kexpr *b)
{
	return kexpr_binary(KEXPR_OR, a, b);
}

struct kexpr *kexpr_dup(const struct kexpr *e)
{
	struct kexpr *d;

	if (!e)
		return NULL;
	d = kexpr_new(e->kind);
	d->value = e->value;
	memcpy(d->map, e->map, sizeof(d->map));
	d->name = e->name ? xstrdup(e->name) : NULL;
	for (size_t i = 0; i < e->nr; i++)
		kexpr_push(d, kexpr_dup(e->kids[i]));
	return d;
}

void kexpr_free(struct kexpr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nr; i++)
		kexpr_free(e->kids[i]);
	free(e->kids);
	free(e->name);
	free(e);
}

static bool kexpr_equal(const struct kexpr *a, const struct kexpr *b);

/* Does every kid of A have an equal among the kids of B? */
static bool kids_subset(const struct kexpr *a, const struct kexpr *b)
{
	for (size_t i = 0; i < a->nr; i++) {
		size_t k;

		for (k = 0; k < b->nr && !kexpr_equal(a->kids[i], b->kids[k]); k++)
			;
		if (k == b->nr)
			return false;
	}
	return true;
}

static bool kexpr_equal(const struct kexpr *a, const struct kexpr *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case KEXPR_CONST:
		return a->value == b->value;
	case KEXPR_SYM:
		return !strcmp(a->name, b->name) && !memcmp(a->map, b->map, 3);
	case KEXPR_UNKNOWN:
		return !strcmp(a->name, b->name);
	case KEXPR_NOT:
		return kexpr_equal(a->kids[0], b->kids[0]);
	default:
		return a->nr == b->nr && kids_subset(a, b) && kids_subset(b, a);
	}
}

/* Is the term J (an atom or a group of KIND) a part of every term of K? */
static bool term_within(const struct kexpr *j, const struct kexpr *k,
			enum kexpr_kind kind)
{
	struct kexpr one = { .kind = kind, .nr = 1 };
	struct kexpr *kids[1];
	struct kexpr kone = one;
	struct kexpr *kkids[1];

	if (j->kind != kind) {
		kids[0] = (struct kexpr *)j;
		one.kids = kids;
		j = &one;
	}
	if (k->kind != kind) {
		kkids[0] = (struct kexpr *)k;
		kone.kids = kkids;
		k = &kone;
	}
	return kids_subset(j, k);
}

static void drop_kid(struct kexpr *e, size_t i)
{
	kexpr_free(e->kids[i]);
	memmove(e->kids + i, e->kids + i + 1, (e->nr - i - 1) * sizeof(*e->kids));
	e->nr--;
}

/* Pull what every term of the OR E shares out: (A && B) || (A && C). */
static struct kexpr *factor(struct kexpr *e)
{
	struct kexpr *first = e->kids[0], *common = NULL, *rest;
	size_t nfirst = first->kind == KEXPR_AND ? first->nr : 1;

	for (size_t c = 0; c < nfirst; c++) {
		const struct kexpr *cand = first->kind == KEXPR_AND ?
					   first->kids[c] : first;
		bool everywhere = true;

		for (size_t i = 1; i < e->nr && everywhere; i++)
			everywhere = term_within(cand, e->kids[i], KEXPR_AND);
		if (everywhere) {
			common = kexpr_dup(cand);
			break;
		}
	}
	if (!common)
		return e;
	rest = kexpr_new(KEXPR_OR);
	for (size_t i = 0; i < e->nr; i++) {
		struct kexpr *t = e->kids[i];

		if (t->kind == KEXPR_AND) {
			for (size_t k = 0; k < t->nr; k++)
				if (kexpr_equal(t->kids[k], common)) {
					drop_kid(t, k);
					break;
				}
			kexpr_push(rest, t);
		} else {
			kexpr_free(t);
			kexpr_push(rest, kexpr_const(KEXPR_Y));
		}
	}
	free(e->kids);
	e->kids = NULL;
	e->nr = e->alloc = 0;
	kexpr_free(e);
	return kexpr_simplify(kexpr_and(common, rest));
}

/* Terms of E's own kind become E's terms, in place, in the chain's order. */
static void flatten(struct kexpr *e)
{
	struct kexpr **kids = e->kids;
	size_t nr = e->nr;

	e->kids = NULL;
	e->nr = e->alloc = 0;
	for (size_t i = 0; i < nr; i++) {
		struct kexpr *k = kids[i];

		if (k->kind != e->kind) {
			kexpr_push(e, k);
			continue;
		}
		for (size_t n = 0; n < k->nr; n++)
			kexpr_push(e, k->kids[n]);
		k->nr = 0;
		kexpr_free(k);
	}
	free(kids);
}

enum fold_result { FOLD_NONE, FOLD_ZERO, FOLD_AGAIN };

/*
 * Constants out (the unit) or the whole group (the zero: FOLD_ZERO); two
 * atoms of one symbol merged pointwise (FOLD_AGAIN: simplify again).
 */
static enum fold_result fold_terms(struct kexpr *e, bool is_and)
{
	int unit = is_and ? KEXPR_Y : KEXPR_N, zero = is_and ? KEXPR_N : KEXPR_Y;

	for (size_t i = 0; i < e->nr; i++) {
		struct kexpr *k = e->kids[i];

		if (k->kind == KEXPR_CONST && k->value == zero)
			return FOLD_ZERO;
		if (k->kind == KEXPR_CONST && k->value == unit) {
			drop_kid(e, i--);
			continue;
		}
		for (size_t n = 0; k->kind == KEXPR_SYM && n < i; n++) {
			struct kexpr *o = e->kids[n];

			if (o->kind != KEXPR_SYM || strcmp(o->name, k->name))
				continue;
			for (int v = 0; v < 3; v++)
				o->map[v] = is_and ?
					(o->map[v] < k->map[v] ? o->map[v] : k->map[v]) :
					(o->map[v] > k->map[v] ? o->map[v] : k->map[v]);
			drop_kid(e, i);
			if (o->map[0] == o->map[1] && o->map[1] == o->map[2]) {
				e->kids[n] = kexpr_const(o->map[0]);
				kexpr_free(o);
			}
			return FOLD_AGAIN;
		}
	}
	return FOLD_NONE;
}

/*
 * A two-valued A: A || (!A && B) is A || B, A && (!A || B) is A && B.
 * Returns true if it dropped a term.
 */
static bool drop_complement(struct kexpr *e, bool is_and)
{
	for (size_t i = 0; i < e->nr; i++) {
		struct kexpr *j = e->kids[i];

		if (j->kind != KEXPR_SYM || (j->map[0] % 2) || (j->map[1] % 2) ||
		    (j->map[2] % 2))
			continue;
		for (size_t n = 0; n < e->nr; n++) {
			struct kexpr *k = e->kids[n];

			if (k->kind != (is_and ? KEXPR_OR : KEXPR_AND))
				continue;
			for (size_t a = 0; a < k->nr; a++) {
				struct kexpr *x = k->kids[a];

				if (x->kind == KEXPR_SYM && !strcmp(x->name, j->name) &&
				    x->map[0] == KEXPR_Y - j->map[0] &&
				    x->map[1] == KEXPR_Y - j->map[1] &&
				    x->map[2] == KEXPR_Y - j->map[2]) {
					drop_kid(k, a);
					return true;
				}
			}
		}
	}
	return false;
}

static struct kexpr *simplify_group(struct kexpr *e)
{
	bool is_and = e->kind == KEXPR_AND;
	int unit = is_and ? KEXPR_Y : KEXPR_N, zero = is_and ? KEXPR_N : KEXPR_Y;
	struct kexpr *r;

	for (size_t i = 0; i < e->nr; i++)
		e->kids[i] = kexpr_simplify(e->kids[i]);
	flatten(e);
	switch (fold_terms(e, is_and)) {
	case FOLD_ZERO:
		kexpr_free(e);
		return kexpr_const(zero);
	case FOLD_AGAIN:
		return kexpr_simplify(e);
	case FOLD_NONE:
		break;
	}
	if (drop_complement(e, is_and))
		return kexpr_simplify(e);
	/* duplicates, then absorption: A || (A && B) is A */
	for (size_t i = 0; i < e->nr; i++)
		for (size_t n = 0; n < e->nr; n++)
			if (n != i && term_within(e->kids[n], e->kids[i],
						  is_and ? KEXPR_OR : KEXPR_AND)) {
				drop_kid(e, i--);
				break;
			}
	if (!e->nr) {
		kexpr_free(e);
		return kexpr_const(unit);
	}
	if (e->nr == 1) {
		r = e->kids[0];
		e->nr = 0;
		kexpr_free(e);
		return r;
	}
	return is_and ? e : factor(e);
}

struct kexpr *kexpr_simplify(struct kexpr *e)
{
	struct kexpr *k;

	if (!e)
		return NULL;
	switch (e->kind) {
	case KEXPR_SYM:
		if (e->map[0] == e->map[1] && e->map[1] == e->map[2]) {
			k = kexpr_const(e->map[0]);
			kexpr_free(e);
			return k;
		}
		return e;
	case KEXPR_NOT:
		k = e->kids[0] = kexpr_simplify(e->kids[0]);
		if (k->kind == KEXPR_CONST) {
			k->value = KEXPR_Y - k->value;
		} else if (k->kind == KEXPR_SYM) {
			for (int v = 0; v < 3; v++)
				k->map[v] = (unsigned char)(KEXPR_Y - k->map[v]);
		} else if (k->kind == KEXPR_NOT) {
			struct kexpr *in = k->kids[0];

			k->nr = 0;
			kexpr_free(k);
			k = in;
		} else if (k->kind != KEXPR_UNKNOWN) {
			return e;
		}
		e->nr = 0;
		kexpr_free(e);
		return k;
	case KEXPR_AND:
	case KEXPR_OR:
		return simplify_group(e);
	default:
		return e;
	}
}

static void render_sym(struct strbuf *out, const struct kexpr *e)
{
	static const struct {
		unsigned char map[3];
		const char *pre, *post;
	} forms[] = {
		{ { 0, 1, 2 }, "", "" },	{ { 0, 2, 2 }, "", "" },
		{ { 0, 0, 2 }, "", "=y" },	{ { 0, 2, 0 }, "", "=m" },
		{ { 0, 1, 0 }, "", "=m" },	{ { 2, 1, 0 }, "!", "" },
		{ { 2, 0, 0 }, "!", "" },	{ { 2, 2, 0 }, "", "!=y" },
		{ { 2, 0, 2 }, "", "!=m" },	{ { 0, 1, 1 }, "", "" },
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++)
		if (!memcmp(forms[i].map, e->map, 3)) {
			strbuf_addf(out, "%s%s%s", forms[i].pre, e->name,
				    forms[i].post);
			return;
		}
	strbuf_addstr(out, e->name);
}

static void render(struct strbuf *out, const struct kexpr *e, bool nested)
{
	switch (e->kind) {
	case KEXPR_CONST:
		strbuf_addstr(out, e->value == KEXPR_Y ? "y" :
				   e->value == KEXPR_M ? "m" : "n");
		break;
	case KEXPR_SYM:
		render_sym(out, e);
		break;
	case KEXPR_UNKNOWN:
		strbuf_addstr(out, "unknown");
		break;
	case KEXPR_NOT:
		strbuf_addch(out, '!');
		render(out, e->kids[0], true);
		break;
	default:
		if (nested)
			strbuf_addch(out, '(');
		for (size_t i = 0; i < e->nr; i++) {
			if (i)
				strbuf_addstr(out, e->kind == KEXPR_AND ? " && " : " || ");
			render(out, e->kids[i], true);
		}
		if (nested)
			strbuf_addch(out, ')');
	}
}

void kexpr_render(struct strbuf *out, const struct kexpr *e)
{
	render(out, e, false);
}

void kexpr_unknowns(const struct kexpr *e, struct strlist *why)
{
	if (e->kind == KEXPR_UNKNOWN && !strlist_has(why, e->name))
		strlist_push(why, e->name);
	for (size_t i = 0; i < e->nr; i++)
		kexpr_unknowns(e->kids[i], why);
}

int kexpr_eval(const struct kexpr *e, kexpr_value_fn value, void *data)
{
	int v, r;
	bool unknown = false;

	switch (e->kind) {
	case KEXPR_CONST:
		return e->value;
	case KEXPR_UNKNOWN:
		return KEXPR_UNKNOWN_VALUE;
	case KEXPR_SYM:
		v = value(e->name, data);
		return v < 0 ? KEXPR_UNKNOWN_VALUE : e->map[v];
	case KEXPR_NOT:
		v = kexpr_eval(e->kids[0], value, data);
		return v < 0 ? v : KEXPR_Y - v;
	default:
		r = e->kind == KEXPR_AND ? KEXPR_Y : KEXPR_N;
		for (size_t i = 0; i < e->nr; i++) {
			v = kexpr_eval(e->kids[i], value, data);
			if (v < 0)
				unknown = true;
			else if (e->kind == KEXPR_AND ? v < r : v > r)
				r = v;
		}
		/* Kleene: n decides an &&, y decides an || */
		if (e->kind == KEXPR_AND && r == KEXPR_N)
			return KEXPR_N;
		if (e->kind == KEXPR_OR && r == KEXPR_Y)
			return KEXPR_Y;
		return unknown ? KEXPR_UNKNOWN_VALUE : r;
	}
}
