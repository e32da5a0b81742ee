// SPDX-License-Identifier: GPL-2.0-only
/*
 * vc-svm-opcodes, the decoder: a function's exit-code switch, its labels
 * in source order with their bodies (grouped labels share one), and the
 * comparisons of the opcode or the ModRM with constants in them.  See
 * vc-svm-opcodes.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "toolkit.h"
#include "vc-svm-opcodes.h"
#include "banned.h"

static bool has_word(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++) {
		size_t i;

		for (i = 0; i < n && s[i] && tolower((unsigned char)s[i]) == needle[i]; i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

static enum vso_kind name_kind(const char *s)
{
	if (has_word(s, "modrm"))
		return VSO_MODRM;
	if (has_word(s, "opcode"))
		return VSO_OPCODE;
	return VSO_NONE;
}

static enum vso_kind chain_kind(const struct ccg_func *fn,
				const struct vso_scan *s, size_t lo, size_t hi)
{
	enum vso_kind k = VSO_NONE;

	if (lo == hi) {
		if (strlist_has(&s->modrm_vars, fn->toks[lo].text))
			return VSO_MODRM;
		if (strlist_has(&s->opcode_vars, fn->toks[lo].text))
			return VSO_OPCODE;
	}
	for (size_t i = lo; i <= hi; i++) {
		enum vso_kind t = name_kind(fn->toks[i].text);

		if (t == VSO_MODRM)
			return t;
		if (t == VSO_OPCODE)
			k = t;
	}
	return k;
}

/* Variables whose initializer or assignment reads the opcode or the ModRM. */
static void collect_vars(const struct ccg_func *fn, size_t limit,
			 struct vso_scan *s)
{
	for (size_t i = fn->body_lo + 1; i < limit; i++) {
		enum vso_kind k = VSO_NONE;
		int depth = 0;

		if (!tok_is(fn, i, "=") || !tok_is_ident(fn, i - 1) ||
		    tok_is_member_op(fn, i - 2))
			continue;
		for (size_t j = i + 1; j < limit; j++) {
			const char *t = fn->toks[j].text;
			enum vso_kind tk;

			depth += tok_depth_delta(fn, j, TOK_PARENS | TOK_BRACKETS);
			if (!strcmp(t, ";") || (!depth && !strcmp(t, ",")))
				break;
			tk = name_kind(t);
			if (tk == VSO_MODRM || (tk == VSO_OPCODE && k == VSO_NONE))
				k = tk;
		}
		if (k == VSO_MODRM && !strlist_has(&s->modrm_vars, fn->toks[i - 1].text))
			strlist_push(&s->modrm_vars, fn->toks[i - 1].text);
		else if (k == VSO_OPCODE && !strlist_has(&s->opcode_vars, fn->toks[i - 1].text))
			strlist_push(&s->opcode_vars, fn->toks[i - 1].text);
	}
}

void vso_scan_release(struct vso_scan *s)
{
	for (size_t i = 0; i < s->nr_labels; i++)
		free(s->labels[i].text);
	free(s->labels);
	free(s->cmps);
	strlist_release(&s->opcode_vars);
	strlist_release(&s->modrm_vars);
	memset(s, 0, sizeof(*s));
}

static size_t count_prefixed(const struct vso_rule *rule,
			     const struct ccg_func *fn, size_t sw)
{
	size_t n = 0, plen = strlen(rule->exit_prefix);

	for (size_t i = 0; i < fn->nr_cases; i++) {
		const struct ccg_case *c = &fn->cases[i];

		if (c->sw == sw && !c->is_default && c->tok + 1 < fn->nr_toks &&
		    !strncmp(fn->toks[c->tok + 1].text, rule->exit_prefix, plen))
			n++;
	}
	return n;
}

/* The case labels of switch SW in source order, and their bodies. */
static void scan_labels(const struct ccg_func *fn, size_t sw, struct vso_scan *s)
{
	for (size_t i = 0; i < fn->nr_cases; i++) {
		const struct ccg_case *c = &fn->cases[i];
		struct vso_label *l;
		size_t k;

		if (c->sw != sw || c->colon >= fn->nr_toks)
			continue;
		s->labels = xrealloc(s->labels, (s->nr_labels + 1) * sizeof(*s->labels));
		for (k = s->nr_labels; k && s->labels[k - 1].tok > c->tok; k--)
			s->labels[k] = s->labels[k - 1];
		l = &s->labels[k];
		memset(l, 0, sizeof(*l));
		l->tok = c->tok;
		l->colon = c->colon;
		l->is_default = c->is_default;
		l->text = c->is_default ? NULL : tok_spaced(fn, c->tok + 1, c->colon);
		s->nr_labels++;
	}
	/* bodies; empty ones share the next label's (grouped labels) */
	for (size_t k = s->nr_labels; k--;) {
		struct vso_label *l = &s->labels[k];
		size_t end = k + 1 < s->nr_labels ? s->labels[k + 1].tok : s->sw->body_hi;

		if (l->colon + 1 >= end && k + 1 < s->nr_labels) {
			l->body_lo = s->labels[k + 1].body_lo;
			l->body_hi = s->labels[k + 1].body_hi;
		} else {
			l->body_lo = l->colon + 1;
			l->body_hi = end;
		}
	}
}

/* A comparison of the opcode or ModRM with a constant at the '==' I. */
static void scan_cmp(const struct ccg_func *fn, size_t i, struct vso_scan *s)
{
	size_t lo, hi, c;
	unsigned long v;
	struct vso_cmp *cmp;
	enum vso_kind k;

	if (i + 1 < fn->nr_toks && tok_int_literal(&fn->toks[i + 1], &v) &&
	    !tok_is(fn, i + 2, "(") && !tok_is_member_op(fn, i + 2) &&
	    (hi = i - 1, lo = tok_chain_back(fn, hi)) != SIZE_MAX)
		c = i + 1;
	else if (tok_int_literal(&fn->toks[i - 1], &v) &&
		 (lo = i + 1, hi = tok_chain_fwd(fn, lo)) != SIZE_MAX)
		c = i - 1;
	else
		return;
	k = chain_kind(fn, s, lo, hi);
	if (k == VSO_NONE)
		return;
	ALLOC_GROW(s->cmps, s->nr_cmps + 1, s->alloc_cmps);
	cmp = &s->cmps[s->nr_cmps++];
	cmp->tok = c;
	cmp->expr_lo = lo;
	cmp->expr_hi = hi;
	cmp->kind = k;
	cmp->value = v;
	cmp->used = false;
}

/* Find and decode the exit-code switch; false if the function has none. */
bool vso_scan_function(const struct vso_rule *rule, const struct ccg_func *fn,
		       struct vso_scan *s)
{
	size_t best = SIZE_MAX, best_n = 0;

	memset(s, 0, sizeof(*s));
	if (!rule->exit_prefix || !*rule->exit_prefix)
		return false;
	for (size_t i = 0; i < fn->nr_switches; i++) {
		size_t n = count_prefixed(rule, fn, i);

		if (n > best_n) {
			best = i;
			best_n = n;
		}
	}
	if (best == SIZE_MAX)
		return false;
	s->sw = &fn->switches[best];
	scan_labels(fn, best, s);
	collect_vars(fn, s->sw->tok, s);
	if (!s->nr_labels)
		return true;
	for (size_t i = s->labels[0].colon + 1; i < s->sw->body_hi; i++)
		if (tok_is(fn, i, "=="))
			scan_cmp(fn, i, s);
	return true;
}

const struct vso_label *vso_find_label(const struct vso_scan *s,
				       const char *text)
{
	for (size_t i = 0; i < s->nr_labels; i++)
		if (s->labels[i].text && !strcmp(s->labels[i].text, text))
			return &s->labels[i];
	return NULL;
}

unsigned long vso_insn_opcode(const struct vso_insn *r)
{
	unsigned long v = 0;

	for (unsigned i = 0; i < r->opcode_count && i < sizeof(v); i++)
		v |= (unsigned long)(r->opcode[i] & 0xff) << (8 * i);
	return v;
}

unsigned long vso_insn_expect(const struct vso_insn *r, enum vso_kind k)
{
	return k == VSO_OPCODE ? vso_insn_opcode(r) : r->modrm;
}
