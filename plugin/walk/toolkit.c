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
	if (r->summary) {
		expand_template(&msg, r->summary, r->vars, r->nr_vars);
		f->summary = strbuf_detach(&msg);
	}
	f->patch = r->patch;
	finding_add_lists(f, ccg_engine_get((enum ccg_rule_nr)rule->nr)->lists);
	return f;
}

/* First token of the member chain (a.b->c) that ends at J, or SIZE_MAX. */
size_t tok_chain_back(const struct ccg_func *fn, size_t j)
{
	if (!tok_is_ident(fn, j))
		return SIZE_MAX;
	while (j >= 2 && tok_is_member_op(fn, j - 1) && tok_is_ident(fn, j - 2))
		j -= 2;
	if (j && tok_is_member_op(fn, j - 1))
		return SIZE_MAX;
	return j;
}

/* Last token of the member chain that starts at J, or SIZE_MAX. */
size_t tok_chain_fwd(const struct ccg_func *fn, size_t j)
{
	if (!tok_is_ident(fn, j) || (j && tok_is_member_op(fn, j - 1)))
		return SIZE_MAX;
	while (tok_is_member_op(fn, j + 1) && tok_is_ident(fn, j + 2))
		j += 2;
	if (tok_is(fn, j + 1, "(") || tok_is(fn, j + 1, "[") ||
	    tok_is_member_op(fn, j + 1))
		return SIZE_MAX;
	return j;
}

/* Does the statement before token T end the path (break, return, goto)? */
bool tok_ends_path(const struct ccg_func *fn, size_t t, size_t lo)
{
	size_t j;

	if (t <= lo + 1 || !tok_is(fn, t - 1, ";"))
		return false;
	for (j = t - 1; j > lo + 1; j--) {
		const char *p = fn->toks[j - 1].text;

		if (!strcmp(p, ";") || !strcmp(p, "{") || !strcmp(p, "}") ||
		    !strcmp(p, ":"))
			break;
	}
	return tok_is(fn, j, "break") || tok_is(fn, j, "return") ||
	       tok_is(fn, j, "goto") || tok_is(fn, j, "continue");
}

/* A constant in the style of ORIG: prefix, case, digits, suffix. */
void text_format_like(struct strbuf *out, const char *orig, unsigned long v,
		      unsigned min_digits)
{
	const char *p = orig, *suffix;
	bool hex = orig && (!strncmp(orig, "0x", 2) || !strncmp(orig, "0X", 2));
	bool upper = false;
	unsigned digits = 0;

	if (!orig) {
		strbuf_addf(out, "0x%0*lx", (int)min_digits, v);
		return;
	}
	if (hex)
		p += 2;
	suffix = p;
	while (*suffix && isxdigit((unsigned char)*suffix)) {
		if (isupper((unsigned char)*suffix))
			upper = true;
		suffix++;
		digits++;
	}
	if (!hex) {
		strbuf_addf(out, "%lu%s", v, suffix);
		return;
	}
	if (min_digits > digits)
		digits = min_digits;
	strbuf_add(out, orig, 2);
	strbuf_addf(out, upper ? "%0*lX" : "%0*lx", (int)digits, v);
	strbuf_addstr(out, suffix);
}

void strbuf_add_quoted_list(struct strbuf *out, const struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (i)
			strbuf_addstr(out, i + 1 == l->nr ? " and " : ", ");
		strbuf_addf(out, "'%s'", l->v[i]);
	}
}

/*
 * The depth-0 operand of the expression [lo, hi) that holds token AT, and
 * the expression's top-level operator: '|' for ||, '&' for &&, 0 for none,
 * '?' for anything this analysis does not follow.
 */
char expr_operand(const struct ccg_func *fn, size_t lo, size_t hi, size_t at,
		  size_t *olo, size_t *ohi)
{
	int depth = 0;
	char op = 0;
	size_t start = lo;

	*olo = lo;
	*ohi = hi;
	for (size_t i = lo; i < hi; i++) {
		const char *t = fn->toks[i].text;
		int d = tok_depth_delta(fn, i, TOK_PARENS | TOK_BRACKETS);

		if (fn->toks[i].kind != CXToken_Punctuation)
			continue;
		if (d)
			depth += d;
		else if (!depth && (!strcmp(t, "||") || !strcmp(t, "&&"))) {
			char this = t[0];

			if (op && op != this)
				op = '?';
			else if (op != '?')
				op = this;
			if (at >= start && at < i) {
				*olo = start;
				*ohi = i;
			}
			start = i + 1;
		} else if (!depth && (!strcmp(t, "?") || !strcmp(t, "=") ||
				      !strcmp(t, ","))) {
			return '?';
		}
	}
	if (at >= start && at < hi) {
		*olo = start;
		*ohi = hi;
	}
	return op;
}

/* Negations of the operand if it is exactly the test, or -1. */
int expr_negations(const struct ccg_func *fn, size_t lo, size_t hi,
		   size_t tlo, size_t thi)
{
	int neg = 0;

	for (;;) {
		if (lo < hi && tok_is(fn, lo, "!")) {
			neg++;
			lo++;
		} else if (lo < hi && tok_is(fn, lo, "(") &&
			   tok_match(fn, lo) == hi - 1) {
			lo++;
			hi--;
		} else {
			break;
		}
	}
	return lo == tlo && hi == thi + 1 ? neg : -1;
}

bool stmt_returns(const struct ccg_func *fn, size_t ret,
		  const char *const *values)
{
	if (!tok_is(fn, ret, "return"))
		return false;
	for (size_t v = 0; values[v]; v++)
		if (tok_is(fn, ret + 1, values[v]) && tok_is(fn, ret + 2, ";"))
			return true;
	return false;
}

bool text_is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Does TEXT define NAME as a function-like macro ("#define NAME(")? */
bool text_defines_macro(const char *text, size_t len, const char *name,
			size_t n)
{
	const char *p = text, *end = text + len;

	while ((p = memmem(p, (size_t)(end - p), name, n))) {
		const char *q = p;

		p += n;
		if (p >= end || *p != '(' || (q > text && text_is_ident_char(q[-1])))
			continue;
		while (q > text && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q - text >= 6 && !memcmp(q - 6, "define", 6))
			return true;
	}
	return false;
}

struct fix_edits *ccg_fix_edits(struct ccg_fix *fix, const struct ccg_file *f)
{
	size_t k;

	for (k = 0; k < fix->nr && fix->files[k] != f; k++)
		;
	if (k == fix->nr) {
		if (fix->nr == CCG_FIX_FILES)
			return NULL;
		fix->files[fix->nr] = f;
		fix->edits[fix->nr++] = (struct fix_edits)FIX_EDITS_INIT;
	}
	return &fix->edits[k];
}

int ccg_fix_add(struct ccg_fix *fix, const struct ccg_file *f, size_t off,
		size_t del, const char *ins)
{
	struct fix_edits *e = ccg_fix_edits(fix, f);

	if (!e)
		return -1;
	fix_edits_add(e, off, del, ins);
	return 0;
}

struct udiff *ccg_fix_diff(struct ccg_fix *fix)
{
	struct udiff *d = xcalloc(1, sizeof(*d));

	for (size_t k = 0; k < fix->nr; k++) {
		if (fix_hunks(d, fix->files[k]->relpath, fix->files[k]->text,
			      fix->files[k]->len, &fix->edits[k])) {
			udiff_free(d);
			return NULL;
		}
	}
	return d;
}

struct udiff *unit_fix_diff(struct ccg_unit *u, struct ccg_fix *fix)
{
	struct udiff *patch = ccg_fix_diff(fix);

	for (size_t k = 0; patch && k < fix->nr; k++)
		if (!strlist_has(&u->fixed_files, fix->files[k]->relpath))
			strlist_push(&u->fixed_files, fix->files[k]->relpath);
	return patch;
}

void ccg_fix_release(struct ccg_fix *fix)
{
	for (size_t k = 0; k < fix->nr; k++)
		fix_edits_release(&fix->edits[k]);
	fix->nr = 0;
}
