// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rule modules' toolkit: what more than one rule needs to read a
 * function model (unit.h) and to report.  See toolkit.h.
 */
#include "toolkit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "banned.h"

struct ccg_call_hook {
	int rule;
	char *callee;
	ccg_call_hook_fn *hook;
};

void unit_add_call_hook(struct ccg_unit *u, const struct rp_rule *rule,
			const char *callee, ccg_call_hook_fn *hook)
{
	struct ccg_call_hook *h;

	ALLOC_GROW(u->call_hooks, u->nr_call_hooks + 1, u->alloc_call_hooks);
	h = &u->call_hooks[u->nr_call_hooks++];
	h->rule = rule->nr;
	h->callee = xstrdup(callee);
	h->hook = hook;
	unit_add_trigger(u, callee);
}

void unit_run_call_hooks(struct ccg_unit *u, int rule, const struct ccg_func *fn)
{
	struct ccg_call call;

	for (size_t k = 0; k < u->nr_call_hooks; k++) {
		const struct ccg_call_hook *h = &u->call_hooks[k];

		if (h->rule != rule)
			continue;
		for (size_t i = fn->body_lo; i < fn->nr_toks; i++)
			if (tok_is(fn, i, h->callee) && call_at(fn, i, &call))
				h->hook(u, u->rp->rules[rule], fn, &call);
	}
}

bool unit_has_call_hooks(const struct ccg_unit *u, int rule)
{
	for (size_t k = 0; k < u->nr_call_hooks; k++)
		if (u->call_hooks[k].rule == rule)
			return true;
	return false;
}

void unit_release_call_hooks(struct ccg_unit *u)
{
	for (size_t k = 0; k < u->nr_call_hooks; k++)
		free(u->call_hooks[k].callee);
	free(u->call_hooks);
	u->call_hooks = NULL;
	u->nr_call_hooks = u->alloc_call_hooks = 0;
}

bool call_at(const struct ccg_func *fn, size_t i, struct ccg_call *call)
{
	if (!tok_is_ident(fn, i) || (i > 0 && tok_is_member_op(fn, i - 1)) ||
	    !tok_is(fn, i + 1, "("))
		return false;
	call->name = i;
	call->open = i + 1;
	call->close = tok_match(fn, i + 1);
	return call->close < fn->nr_toks;
}

bool call_arg(const struct ccg_func *fn, size_t open, unsigned n,
	      size_t *lo, size_t *hi)
{
	size_t close = tok_match(fn, open), start = open + 1;
	unsigned arg = 0;
	int depth = 0;

	for (size_t i = open + 1; i <= close && i < fn->nr_toks; i++) {
		int d = tok_depth_delta(fn, i, TOK_ALL_BRACKETS);

		if (d > 0) {
			depth++;
		} else if (d < 0 && depth) {
			depth--;
		} else if (fn->toks[i].kind == CXToken_Punctuation &&
			   ((!depth && tok_is(fn, i, ",")) || i == close)) {
			if (arg == n) {
				*lo = start;
				*hi = i;
				return true;
			}
			arg++;
			start = i + 1;
		}
		if (i == close && arg <= n)
			break;
	}
	return false;
}

const char *call_arg_ident(const struct ccg_func *fn, size_t open, unsigned n)
{
	size_t lo, hi;

	if (!call_arg(fn, open, n, &lo, &hi) || hi != lo + 1 || !tok_is_ident(fn, lo))
		return NULL;
	return fn->toks[lo].text;
}

/* The '(' matching the ')' at I, or SIZE_MAX. */
static size_t tok_match_back(const struct ccg_func *fn, size_t i)
{
	int depth = 0;

	for (size_t j = i + 1; j-- > 0;) {
		if (tok_is(fn, j, ")"))
			depth++;
		else if (tok_is(fn, j, "(") && !--depth)
			return j;
	}
	return SIZE_MAX;
}

bool call_is_statement(const struct ccg_func *fn, const struct ccg_call *call)
{
	size_t p = call->name - 1, open;

	if (!call->name || !tok_is(fn, call->close + 1, ";"))
		return false;
	if (tok_is(fn, p, ";") || tok_is(fn, p, "{") || tok_is(fn, p, "}") ||
	    tok_is(fn, p, ":") || tok_is(fn, p, "else"))
		return true;
	/* the body of if (...), while (...) or for (...) without braces */
	if (!tok_is(fn, p, ")") || (open = tok_match_back(fn, p)) == SIZE_MAX || !open)
		return false;
	return tok_is(fn, open - 1, "if") || tok_is(fn, open - 1, "while") ||
	       tok_is(fn, open - 1, "for");
}

int tok_depth_delta(const struct ccg_func *fn, size_t i, unsigned kinds)
{
	const char *t = fn->toks[i].text;

	if (fn->toks[i].kind != CXToken_Punctuation || t[1])
		return 0;
	if (((kinds & TOK_PARENS) && t[0] == '(') ||
	    ((kinds & TOK_BRACKETS) && t[0] == '[') ||
	    ((kinds & TOK_BRACES) && t[0] == '{'))
		return 1;
	if (((kinds & TOK_PARENS) && t[0] == ')') ||
	    ((kinds & TOK_BRACKETS) && t[0] == ']') ||
	    ((kinds & TOK_BRACES) && t[0] == '}'))
		return -1;
	return 0;
}

size_t tok_find_depth0(const struct ccg_func *fn, size_t i, const char *what)
{
	int depth = 0;

	for (; i < fn->nr_toks; i++) {
		int d = tok_depth_delta(fn, i, TOK_ALL_BRACKETS);

		if (d)
			depth += d;
		else if (!depth && fn->toks[i].kind == CXToken_Punctuation &&
			 !strcmp(fn->toks[i].text, what))
			return i;
	}
	return fn->nr_toks;
}

char *tok_join(const struct ccg_func *fn, size_t lo, size_t hi)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = lo; i <= hi && i < fn->nr_toks; i++) {
		strbuf_addstr(&sb, fn->toks[i].text);
		if (tok_is(fn, i, ","))
			strbuf_addch(&sb, ' ');
	}
	return strbuf_detach(&sb);
}

char *tok_spaced(const struct ccg_func *fn, size_t lo, size_t hi)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = lo; i < hi; i++) {
		if (i > lo)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, fn->toks[i].text);
	}
	return strbuf_detach(&sb);
}

char *tok_source(const struct ccg_func *fn, size_t lo, size_t hi)
{
	size_t a = fn->toks[lo].offset;
	size_t b = fn->toks[hi].offset + strlen(fn->toks[hi].text);

	if (b > fn->file->len || b < a)
		return xstrdup(fn->toks[lo].text);
	return xstrndup(fn->file->text + a, b - a);
}

bool tok_int_literal(const struct ccg_token *t, unsigned long *v)
{
	char buf[64];
	size_t n = strlen(t->text);
	char *end;

	if (t->kind != CXToken_Literal || !n || n >= sizeof(buf) ||
	    !isdigit((unsigned char)t->text[0]))
		return false;
	memcpy(buf, t->text, n + 1);
	while (n && strchr("uUlL", buf[n - 1]))
		buf[--n] = '\0';
	if (!n)
		return false;
	*v = strtoul(buf, &end, 0);
	return !*end;
}

bool text_first_on_line(const struct ccg_file *f, size_t off)
{
	for (size_t i = text_line_start(f, off); i < off; i++)
		if (f->text[i] != ' ' && f->text[i] != '\t')
			return false;
	return true;
}

bool text_prev_line_blank(const struct ccg_file *f, size_t off)
{
	size_t ls = text_line_start(f, off), i;

	if (!ls)
		return false;
	i = ls - 1;	/* the previous line's '\n' */
	while (i > 0 && f->text[i - 1] != '\n') {
		if (f->text[i - 1] != ' ' && f->text[i - 1] != '\t')
			return false;
		i--;
	}
	return true;
}

char *text_indent(const struct ccg_file *f, size_t off)
{
	struct strbuf sb = STRBUF_INIT;

	text_line_indent(f, (unsigned)off, &sb);
	return strbuf_detach(&sb);
}

struct ccg_finding *unit_report(struct ccg_unit *u, const struct rp_rule *rule,
				const struct ccg_report *r)
{
	struct strbuf msg = STRBUF_INIT;
	struct ccg_finding *f;

	expand_template(&msg, r->message ? r->message : rule->message, r->vars,
			r->nr_vars);
	f = findings_add(&u->findings);
	f->rule = xstrdup(rule->id);
	f->severity = r->severity ? *r->severity : rule->severity;
	f->file = xstrdup(r->fn ? r->fn->file->relpath : r->file);
	f->line = r->at ? r->at->line : r->fn && !r->line ? r->fn->line : r->line;
	f->col = r->at ? r->at->col : r->fn && !r->line ? r->fn->col : r->col;
	f->function = xstrdup(r->fn && !r->function ? r->fn->name : r->function);
	f->message = strbuf_detach(&msg);
	f->patch = r->patch;
	finding_add_lists(f, ccg_engine_get((enum ccg_rule_nr)rule->nr)->lists);
	return f;
}
