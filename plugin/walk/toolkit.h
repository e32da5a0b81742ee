/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_TOOLKIT_H
#define CCGATE_TOOLKIT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "expand.h"
#include "finding.h"
#include "fix.h"
#include "unit.h"

/*
 * The rule modules' toolkit (smatch's add_function_hook(),
 * get_argument_from_call_expr() and sm_warning()): hooks by callee name,
 * argument access, token and text helpers, and the one call that makes a
 * finding.  A rule file holds its reasoning; what two rules need is here.
 */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ---- calls and their arguments ---- */

/* A call in a function's token stream: NAME '(' ... ')'. */
struct ccg_call {
	size_t name;		/* the callee's identifier */
	size_t open, close;	/* its '(' and the matching ')' */
};

typedef void ccg_call_hook_fn(struct ccg_unit *u, const struct rp_rule *rule,
			      const struct ccg_func *fn,
			      const struct ccg_call *call);

/*
 * Call HOOK for every call to CALLEE in the functions the walk models for
 * RULE (before the rule's function hook; in token order).  CALLEE becomes a
 * trigger of the unit.  Call from unit_begin.
 */
void unit_add_call_hook(struct ccg_unit *u, const struct rp_rule *rule,
			const char *callee, ccg_call_hook_fn *hook);
/* Is token I a call (an identifier, not a member, followed by '(')? */
bool call_at(const struct ccg_func *fn, size_t i, struct ccg_call *call);
/* Token range [lo, hi) of argument N of the call whose '(' is at OPEN. */
bool call_arg(const struct ccg_func *fn, size_t open, unsigned n,
	      size_t *lo, size_t *hi);
/* Argument N when it is a single identifier, else NULL. */
const char *call_arg_ident(const struct ccg_func *fn, size_t open, unsigned n);
/* Is the call a statement of its own, its result discarded? */
bool call_is_statement(const struct ccg_func *fn, const struct ccg_call *call);

/* ---- brackets ---- */

#define TOK_PARENS	(1u << 0)	/* ( ) */
#define TOK_BRACKETS	(1u << 1)	/* [ ] */
#define TOK_BRACES	(1u << 2)	/* { } */
#define TOK_ALL_BRACKETS (TOK_PARENS | TOK_BRACKETS | TOK_BRACES)

/* +1 for an opener of KINDS, -1 for a closer, else 0. */
int tok_depth_delta(const struct ccg_func *fn, size_t i, unsigned kinds);
/* First token from I on that is WHAT outside any bracket, or fn->nr_toks. */
size_t tok_find_depth0(const struct ccg_func *fn, size_t i, const char *what);

/* First token of the member chain (a.b->c) that ends at J, or SIZE_MAX. */
size_t tok_chain_back(const struct ccg_func *fn, size_t j);
/* Last token of the member chain that starts at J, or SIZE_MAX. */
size_t tok_chain_fwd(const struct ccg_func *fn, size_t j);

/* ---- expressions and statements ---- */

/*
 * The depth-0 operand of the expression [lo, hi) that holds token AT, and
 * the expression's top-level operator: '|' for ||, '&' for &&, 0 for none,
 * '?' for anything the toolkit does not follow (?:, =, ',').
 */
char expr_operand(const struct ccg_func *fn, size_t lo, size_t hi, size_t at,
		  size_t *olo, size_t *ohi);
/* Negations ('!') of the operand [lo, hi) if it is exactly TLO..THI, or -1. */
int expr_negations(const struct ccg_func *fn, size_t lo, size_t hi,
		   size_t tlo, size_t thi);
/* Does the 'return' at RET return one of the tokens VALUES (NULL-ended)? */
bool stmt_returns(const struct ccg_func *fn, size_t ret,
		  const char *const *values);
/* Does the statement before token T end the path (break, return, goto)? */
bool tok_ends_path(const struct ccg_func *fn, size_t t, size_t lo);

/* ---- token and source text ---- */

/* Tokens LO..HI (inclusive) run together, ", " after a comma: a test. */
char *tok_join(const struct ccg_func *fn, size_t lo, size_t hi);
/* Tokens [LO, HI) separated by one space: a case label. */
char *tok_spaced(const struct ccg_func *fn, size_t lo, size_t hi);
/* The source text of tokens LO..HI (inclusive), as written. */
char *tok_source(const struct ccg_func *fn, size_t lo, size_t hi);
/* An integer literal token, suffixes stripped, parsed with base 0. */
bool tok_int_literal(const struct ccg_token *t, unsigned long *v);
/* Is only whitespace before OFF on its line? */
bool text_first_on_line(const struct ccg_file *f, size_t off);
/* Is the line before the one holding OFF empty? */
bool text_prev_line_blank(const struct ccg_file *f, size_t off);
/* The leading whitespace of the line holding OFF (caller frees). */
char *text_indent(const struct ccg_file *f, size_t off);

/* A constant in the style of ORIG: prefix, case, digits, suffix. */
void text_format_like(struct strbuf *out, const char *orig, unsigned long v,
		      unsigned min_digits);
/* 'a', 'b' and 'c' */
void strbuf_add_quoted_list(struct strbuf *out, const struct strlist *l);
/* [A-Za-z0-9_] */
bool text_is_ident_char(char c);
/* Does TEXT define NAME (N bytes) as a function-like macro ("#define NAME(")? */
bool text_defines_macro(const char *text, size_t len, const char *name,
			size_t n);

/* ---- fixes ---- */

/* Edits to up to CCG_FIX_FILES files of the unit: one patch. */
#define CCG_FIX_FILES 16
struct ccg_fix {
	const struct ccg_file *files[CCG_FIX_FILES];
	struct fix_edits edits[CCG_FIX_FILES];
	size_t nr;
};

#define CCG_FIX_INIT { { NULL }, { FIX_EDITS_INIT }, 0 }

/* The edits of F (added to the fix), or NULL past the limit of files. */
struct fix_edits *ccg_fix_edits(struct ccg_fix *fix, const struct ccg_file *f);
/* Replace DEL bytes at OFF of F with INS; -1 (nothing added) past the limit. */
int ccg_fix_add(struct ccg_fix *fix, const struct ccg_file *f, size_t off,
		size_t del, const char *ins);
/* One diff per file, in the order of their first edit; NULL if one fails. */
struct udiff *ccg_fix_diff(struct ccg_fix *fix);
void ccg_fix_release(struct ccg_fix *fix);
/*
 * ccg_fix_diff() for a finding of U: the unit notes the files the patch
 * was computed from (u->fixed_files), whose text the worker records for
 * --apply, so that nothing reads the diff back to learn them.
 */
struct udiff *unit_fix_diff(struct ccg_unit *u, struct ccg_fix *fix);

/* ---- findings ---- */

/*
 * What a finding says.  FN gives file and function and AT the position;
 * without them FILE, LINE, COL and FUNCTION do.  MESSAGE is a template of
 * the rule pack (NULL: the rule's message), expanded with VARS.
 */
struct ccg_report {
	const struct ccg_func *fn;
	const struct ccg_token *at;
	const char *file;
	unsigned line, col;
	const char *function;
	const enum ccg_severity *severity;	/* NULL: the rule's */
	const char *message;
	const char *summary;			/* a template; NULL: the rule's */
	const struct expand_var *vars;
	size_t nr_vars;
	struct udiff *patch;			/* the finding takes it */
};

/*
 * The one way a rule reports: a finding of RULE in u->findings, with the
 * rule's extra fields (ccg_engine.lists) present and empty.
 */
struct ccg_finding *unit_report(struct ccg_unit *u, const struct rp_rule *rule,
				const struct ccg_report *r);

#endif
