// SPDX-License-Identifier: GPL-2.0-only
/*
 * vc-svm-opcodes: SEV-ES #VC opcode validators (vc_check_opcode_bytes())
 * that have no case for the SVM instructions, so that the intercept of, for
 * example, the STGI of the emergency virtualization-disable path terminates
 * the guest instead of raising a #UD that exception fixup could absorb.
 *
 * What is a validator: a function named in the rule's validators, or one of
 * that shape: a switch whose case labels are exit codes (exit_prefix) and
 * whose cases compare the decoded opcode or ModRM with integer constants.  A
 * switch on the exit code without such comparisons is a dispatcher (such as
 * vc_handle_exitcode()), never a validator.
 *
 * How: the comparisons are read from the tokens.  The compared expression is
 * the opcode or the ModRM when its tokens, or the initializer of the local
 * variable it names, mention "opcode" or "modrm" (ctxt->insn.opcode.value).
 * A case body runs from its label's ':' to the next label of the same switch;
 * labels without statements share the body that follows (grouped labels).
 * The opcode is the little-endian value of the bytes: 0F 01 is 0x010f.
 *
 * Findings: one per validator definition listing the table's exit codes
 * without a case, and one per present case whose constants disagree with
 * the table.  The fix adds the missing cases before the validator's
 * "default:" in the function's own idiom, and makes the dispatchers of the
 * unit (rule->dispatchers) inject #UD for those exit codes.  Validator and
 * dispatcher may live in different files of the unit (6.12: shared.c is
 * #included into core.c), so the patch is assembled in unit_end.
 *
 * Known limits: only the active preprocessor branch is seen; a comparison
 * whose operand is a call or an array element (X86_MODRM_REG(...) == 7) is
 * not decoded; a dispatcher outside the unit of the validator is not seen,
 * so a validator #included into a unit without dispatcher gets its patch
 * from another unit of the sweep (the sweep keeps the first unit's notes and
 * fills a missing patch from a later unit).
 */
#include <ctype.h>
#include <cyaml/cyaml.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "fix.h"
#include "toolkit.h"
#include "unit.h"
#include "vc-svm-opcodes.h"
#include "banned.h"

enum vso_kind {
	VSO_NONE,
	VSO_OPCODE,
	VSO_MODRM,
};

struct vso_cmp {
	size_t tok;			/* the constant */
	size_t expr_lo, expr_hi;	/* the compared expression, inclusive */
	enum vso_kind kind;
	unsigned long value;
	bool used;			/* already the target of a fix */
};

struct vso_label {
	size_t tok, colon;
	bool is_default;
	char *text;			/* the label's expression; NULL: default */
	size_t body_lo, body_hi;	/* statements it leads to: [lo, hi) */
};

/* The exit-code switch of one function, decoded. */
struct vso_scan {
	const struct ccg_switch *sw;
	struct vso_label *labels;
	size_t nr_labels;
	struct vso_cmp *cmps;
	size_t nr_cmps, alloc_cmps;
	struct strlist opcode_vars, modrm_vars;	/* from initializers */
};

/* Where new cases go: the start of a line inside the switch. */
struct vso_insert {
	size_t off;
	bool before_brace;	/* at the switch's '}' (no label follows) */
	bool prev_blank;	/* the line above is empty */
	bool lead_blank;	/* start with an empty line */
	bool blank_style;	/* the switch separates its cases by empty lines */
	char *case_indent, *body_indent;
};

struct vso_validator {
	const struct ccg_file *file;
	char *function;
	unsigned line, col;
	unsigned sw_line, sw_col;
	bool main_file;			/* defined in the unit's main file */
	struct strlist missing;		/* exit codes without a case */
	struct strlist wrong;		/* exit codes with wrong constants */
	size_t ins_off;
	char *ins_text;			/* the missing cases, or NULL */
	char *no_patch;			/* why there is no patch */
};

struct vso_dispatcher {
	const struct ccg_file *file;
	char *function;
	unsigned line, col;
	struct strlist labels;		/* case labels present */
	struct vso_insert at;
	char *ctxt;			/* "ctxt->" or "ctxt." */
	char *result;			/* the variable cases assign, or NULL */
};

struct vc_svm_opcodes_state {
	struct vso_validator *validators;
	size_t nr_validators, alloc_validators;
	struct vso_dispatcher *dispatchers;
	size_t nr_dispatchers, alloc_dispatchers;
};

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

static void scan_release(struct vso_scan *s)
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
static bool scan_function(const struct vso_rule *rule, const struct ccg_func *fn,
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

static const struct vso_label *find_label(const struct vso_scan *s,
					  const char *text)
{
	for (size_t i = 0; i < s->nr_labels; i++)
		if (s->labels[i].text && !strcmp(s->labels[i].text, text))
			return &s->labels[i];
	return NULL;
}

static unsigned long insn_opcode(const struct vso_insn *r)
{
	unsigned long v = 0;

	for (unsigned i = 0; i < r->opcode_count && i < sizeof(v); i++)
		v |= (unsigned long)(r->opcode[i] & 0xff) << (8 * i);
	return v;
}

static unsigned long insn_expect(const struct vso_insn *r, enum vso_kind k)
{
	return k == VSO_OPCODE ? insn_opcode(r) : r->modrm;
}

/* A new constant of kind K, written like the function's existing ones. */
static void format_new(struct strbuf *out, const struct ccg_func *fn,
		       const struct vso_scan *s, enum vso_kind k,
		       unsigned long v, unsigned nbytes)
{
	const char *style = NULL;
	bool padded = k == VSO_MODRM;

	for (size_t i = 0; i < s->nr_cmps; i++) {
		const char *t = fn->toks[s->cmps[i].tok].text;

		if (s->cmps[i].kind != k)
			continue;
		if (s->cmps[i].value == v) {
			strbuf_addstr(out, t);
			return;
		}
		if (!style)
			style = t;
		if ((!strncmp(t, "0x", 2) || !strncmp(t, "0X", 2)) && t[2] == '0')
			padded = true;
	}
	for (size_t i = 0; !style && i < s->nr_cmps; i++)
		style = fn->toks[s->cmps[i].tok].text;
	text_format_like(out, style, v, padded ? 2 * nbytes : 1);
}

/*
 * Before "default:" when the case above it ends with break/return, else
 * before the closing brace when the last case does, else before the first
 * label (new cases end with break, so nothing falls into them or out).
 */
static bool insertion_point(const struct ccg_func *fn, const struct vso_scan *s,
			    struct vso_insert *at)
{
	const struct vso_label *def = NULL;
	size_t t = SIZE_MAX;
	bool before_first = false;

	memset(at, 0, sizeof(*at));
	for (size_t i = 0; i < s->nr_labels; i++)
		if (s->labels[i].is_default)
			def = &s->labels[i];
	if (def && (def == &s->labels[0] || tok_ends_path(fn, def->tok, s->sw->body_lo)))
		t = def->tok;
	else if (!def && (!s->nr_labels || tok_ends_path(fn, s->sw->body_hi, s->sw->body_lo)))
		t = s->sw->body_hi;
	if (t == SIZE_MAX || !text_first_on_line(fn->file, fn->toks[t].offset)) {
		if (!s->nr_labels)
			return false;
		t = s->labels[0].tok;
		before_first = true;
		if (!text_first_on_line(fn->file, fn->toks[t].offset))
			return false;
	}
	at->before_brace = t == s->sw->body_hi;
	at->off = text_line_start(fn->file, fn->toks[t].offset);
	for (size_t i = 1; i < s->nr_labels; i++)
		if (text_prev_line_blank(fn->file, fn->toks[s->labels[i].tok].offset))
			at->blank_style = true;
	at->prev_blank = text_prev_line_blank(fn->file, fn->toks[t].offset);
	at->lead_blank = at->blank_style && !before_first && !at->prev_blank;
	at->case_indent = text_indent(fn->file, fn->toks[s->nr_labels ?
				    s->labels[0].tok : s->sw->tok].offset);
	for (size_t i = 0; i < s->nr_labels && !at->body_indent; i++) {
		const struct vso_label *l = &s->labels[i];

		if (l->colon + 1 < l->body_hi && l->body_lo == l->colon + 1 &&
		    fn->toks[l->colon + 1].line > fn->toks[l->colon].line)
			at->body_indent = text_indent(fn->file, fn->toks[l->colon + 1].offset);
	}
	if (!at->body_indent) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s\t", at->case_indent);
		at->body_indent = strbuf_detach(&sb);
	}
	return true;
}

static void insert_release(struct vso_insert *at)
{
	free(at->case_indent);
	free(at->body_indent);
	at->case_indent = at->body_indent = NULL;
}

/*
 * Append one case block at AT.  With empty lines between cases, each block
 * is followed by one (the label after it keeps its distance), or preceded by
 * one before the closing brace.
 */
static void add_block(struct strbuf *out, const struct vso_insert *at,
		      const char *block, bool first)
{
	if (at->blank_style && at->before_brace && (!first || !at->prev_blank))
		strbuf_addch(out, '\n');
	else if (at->blank_style && first && at->lead_blank)
		strbuf_addch(out, '\n');
	strbuf_addstr(out, block);
	if (at->blank_style && !at->before_brace)
		strbuf_addch(out, '\n');
}

/* The expression the function compares for kind K, as written. */
static char *compared_expr(const struct ccg_func *fn, const struct vso_scan *s,
			   enum vso_kind k)
{
	const struct strlist *vars = k == VSO_OPCODE ? &s->opcode_vars : &s->modrm_vars;

	for (size_t i = 0; i < s->nr_cmps; i++)
		if (s->cmps[i].kind == k)
			return tok_source(fn, s->cmps[i].expr_lo, s->cmps[i].expr_hi);
	return vars->nr ? xstrdup(vars->v[0]) : NULL;
}

/* "return ES_OK;" of a case: its value and the indent of the return line. */
static bool ok_return(const struct ccg_func *fn, const struct vso_scan *s,
		      char **value, char **indent)
{
	const struct ccg_return *any = NULL;

	for (size_t r = 0; r < fn->nr_rets; r++) {
		const struct ccg_return *ret = &fn->rets[r];

		if (ret->tok < s->sw->body_lo || ret->tok > s->sw->body_hi ||
		    ret->semi <= ret->tok + 1 || ret->semi >= fn->nr_toks)
			continue;
		for (size_t i = 0; i < fn->nr_ifs; i++) {
			const struct ccg_if *c = &fn->ifs[i];

			if (c->then_exit != CCG_EXIT_RETURN || c->exit_tok != ret->tok ||
			    c->has_else)
				continue;
			for (size_t k = 0; k < s->nr_cmps; k++) {
				if (s->cmps[k].tok > c->cond_lo && s->cmps[k].tok < c->cond_hi) {
					*value = tok_source(fn, ret->tok + 1, ret->semi - 1);
					*indent = text_indent(fn->file, fn->toks[ret->tok].offset);
					return true;
				}
			}
		}
		if (!any)
			any = ret;
	}
	if (!any)
		return false;
	*value = tok_source(fn, any->tok + 1, any->semi - 1);
	*indent = NULL;
	return true;
}

/* The extra finding fields: the exit codes without a case, with wrong bytes. */
static const struct ccg_list_field vso_lists[] = {
	{ "missing", false },
	{ "wrong", true },
	{ NULL, false },
};

static void describe(struct strbuf *out, const struct ccg_func *fn,
		     const struct vso_scan *s, const struct vso_label *l,
		     enum vso_kind k)
{
	bool first = true;

	for (size_t i = 0; i < s->nr_cmps; i++) {
		const struct vso_cmp *c = &s->cmps[i];

		if (c->kind != k || c->tok < l->body_lo || c->tok >= l->body_hi)
			continue;
		if (first)
			strbuf_addf(out, "%s ", k == VSO_OPCODE ? "opcode" : "ModRM");
		else
			strbuf_addstr(out, " or ");
		strbuf_addstr(out, fn->toks[c->tok].text);
		first = false;
	}
}

/*
 * The constant of the case body to correct for row R: the first one of kind
 * K that matches no row of the label group, nor was corrected already.
 */
static struct vso_cmp *fix_target(const struct vso_rule *rule,
				  struct vso_scan *s, const struct vso_label *l,
				  enum vso_kind k)
{
	for (size_t i = 0; i < s->nr_cmps; i++) {
		struct vso_cmp *c = &s->cmps[i];
		bool matches = false;

		if (c->kind != k || c->used || c->tok < l->body_lo || c->tok >= l->body_hi)
			continue;
		for (unsigned r = 0; r < rule->instructions_count && !matches; r++) {
			const struct vso_insn *row = &rule->instructions[r];
			const struct vso_label *o = find_label(s, row->exit_code);

			if (o && o->body_lo == l->body_lo &&
			    insn_expect(row, k) == c->value)
				matches = true;
		}
		if (!matches)
			return c;
	}
	return NULL;
}

/* Does the body of L compare kind K, and never with the expected value? */
static bool kind_wrong(const struct vso_scan *s, const struct vso_label *l,
		       enum vso_kind k, unsigned long want)
{
	bool seen = false;

	for (size_t i = 0; i < s->nr_cmps; i++) {
		const struct vso_cmp *c = &s->cmps[i];

		if (c->kind != k || c->tok < l->body_lo || c->tok >= l->body_hi)
			continue;
		if (c->value == want)
			return false;
		seen = true;
	}
	return seen;
}

/* What the case compares ACTUAL, and what the table says (EXPECTED). */
static void wrong_texts(const struct ccg_func *fn, const struct vso_scan *s,
			const struct vso_label *l, const struct vso_insn *row,
			const bool wrongs[2], struct strbuf *actual,
			struct strbuf *expected)
{
	if (wrongs[0])
		describe(actual, fn, s, l, VSO_OPCODE);
	if (wrongs[1]) {
		if (wrongs[0])
			strbuf_addstr(actual, ", ");
		describe(actual, fn, s, l, VSO_MODRM);
	}
	for (unsigned i = 0; i < row->opcode_count; i++)
		strbuf_addf(expected, "%s%02X", i ? " " : "", row->opcode[i] & 0xff);
	strbuf_addf(expected, " %02X (opcode ", row->modrm & 0xff);
	format_new(expected, fn, s, VSO_OPCODE, insn_opcode(row), row->opcode_count);
	strbuf_addstr(expected, ", ModRM ");
	format_new(expected, fn, s, VSO_MODRM, row->modrm, 1);
	strbuf_addch(expected, ')');
}

/*
 * The corrections of the wrong constants, and where the finding is (the
 * first constant corrected, else the first wrong one); false if one of
 * them has no constant to correct.
 */
static bool wrong_edits(const struct vso_rule *rule, const struct ccg_func *fn,
			struct vso_scan *s, const struct vso_label *l,
			const struct vso_insn *row, const bool wrongs[2],
			struct fix_edits *edits, const struct vso_cmp **loc)
{
	static const enum vso_kind kinds[2] = { VSO_OPCODE, VSO_MODRM };
	bool fixable = true;

	for (int k = 0; k < 2; k++) {
		struct strbuf val = STRBUF_INIT;
		const struct ccg_token *t;
		struct vso_cmp *c;

		if (!wrongs[k])
			continue;
		c = fix_target(rule, s, l, kinds[k]);
		if (!c) {
			fixable = false;
			continue;
		}
		c->used = true;
		t = &fn->toks[c->tok];
		if (!*loc || c->tok < (*loc)->tok)
			*loc = c;
		text_format_like(&val, t->text, insn_expect(row, kinds[k]),
			    kinds[k] == VSO_OPCODE ? 1 : 2);
		fix_edits_add(edits, t->offset, strlen(t->text), val.buf);
		strbuf_release(&val);
	}
	for (size_t i = 0; i < s->nr_cmps && !*loc; i++)
		if (s->cmps[i].tok >= l->body_lo && s->cmps[i].tok < l->body_hi &&
		    ((wrongs[0] && s->cmps[i].kind == VSO_OPCODE) ||
		     (wrongs[1] && s->cmps[i].kind == VSO_MODRM)))
			*loc = &s->cmps[i];
	return fixable;
}

static void report_wrong(struct ccg_unit *u, const struct vso_rule *rule,
			 const struct ccg_func *fn, struct vso_scan *s,
			 const struct vso_label *l, const struct vso_insn *row,
			 bool op_wrong, bool mod_wrong)
{
	struct strbuf actual = STRBUF_INIT, expected = STRBUF_INIT;
	struct strbuf diff = STRBUF_INIT;
	struct fix_edits edits = FIX_EDITS_INIT;
	const struct vso_cmp *loc = NULL;
	const bool wrongs[2] = { op_wrong, mod_wrong };
	struct ccg_finding *f;
	bool fixable;

	wrong_texts(fn, s, l, row, wrongs, &actual, &expected);
	fixable = wrong_edits(rule, fn, s, l, row, wrongs, &edits, &loc);
	const struct expand_var vars[] = {
		{ "function", fn->name },
		{ "exit_code", row->exit_code },
		{ "mnemonic", row->mnemonic },
		{ "actual", actual.buf ? actual.buf : "" },
		{ "expected", expected.buf },
	};
	f = unit_report(u, &rule->common, &(struct ccg_report){
		.fn = fn, .at = loc ? &fn->toks[loc->tok] : NULL,
		.message = rule->wrong_message,
		.vars = vars, .nr_vars = ARRAY_SIZE(vars),
	});
	strlist_push(finding_list(f, "wrong"), row->exit_code);
	if (fixable && edits.nr &&
	    !fix_diff(&diff, fn->file->relpath, fn->file->text, fn->file->len, &edits))
		f->patch = strbuf_detach(&diff);
	else
		finding_add_note(f, f->file, f->line, f->col,
				 "every constant of this case matches another exit code of its label group; no patch");
	strbuf_release(&diff);
	strbuf_release(&actual);
	strbuf_release(&expected);
	fix_edits_release(&edits);
}

/* The cases the validator lacks, in its own idiom. */
static void build_validator_cases(const struct vso_rule *rule,
				  const struct ccg_func *fn,
				  const struct vso_scan *s,
				  struct vso_validator *v)
{
	struct vso_insert at;
	struct strbuf text = STRBUF_INIT;
	char *opv = compared_expr(fn, s, VSO_OPCODE);
	char *modv = compared_expr(fn, s, VSO_MODRM);
	char *ok = NULL, *ret_indent = NULL;
	bool first = true;

	if (!opv || !modv) {
		v->no_patch = xstrdup("cannot tell which variable holds the opcode or the ModRM; no patch");
		goto out;
	}
	if (!ok_return(fn, s, &ok, &ret_indent)) {
		v->no_patch = xstrdup("no 'return' in the cases to copy for an accepted exit; no patch");
		goto out;
	}
	if (!insertion_point(fn, s, &at)) {
		v->no_patch = xstrdup("no place in the switch to insert cases; no patch");
		goto out;
	}
	if (!ret_indent) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s\t", at.body_indent);
		ret_indent = strbuf_detach(&sb);
	}
	for (unsigned r = 0; r < rule->instructions_count; r++) {
		const struct vso_insn *row = &rule->instructions[r];
		struct strbuf b = STRBUF_INIT;

		if (!strlist_has(&v->missing, row->exit_code))
			continue;
		strbuf_addf(&b, "%scase %s:\n", at.case_indent, row->exit_code);
		strbuf_addf(&b, "%sif (%s == ", at.body_indent, opv);
		format_new(&b, fn, s, VSO_OPCODE, insn_opcode(row), row->opcode_count);
		strbuf_addf(&b, " && %s == ", modv);
		format_new(&b, fn, s, VSO_MODRM, row->modrm, 1);
		strbuf_addf(&b, ")\n%sreturn %s;\n", ret_indent, ok);
		strbuf_addf(&b, "%sbreak;\n", at.body_indent);
		add_block(&text, &at, b.buf, first);
		first = false;
		strbuf_release(&b);
	}
	v->ins_off = at.off;
	v->ins_text = strbuf_detach(&text);
	insert_release(&at);
out:
	strbuf_release(&text);
	free(opv);
	free(modv);
	free(ok);
	free(ret_indent);
}

static void check_validator(struct ccg_unit *u, const struct vso_rule *rule,
			    const struct ccg_func *fn, struct vso_scan *s)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct vso_validator *v;

	ALLOC_GROW(st->validators, st->nr_validators + 1, st->alloc_validators);
	v = &st->validators[st->nr_validators];
	memset(v, 0, sizeof(*v));
	for (unsigned r = 0; r < rule->instructions_count; r++) {
		const struct vso_insn *row = &rule->instructions[r];
		const struct vso_label *l = find_label(s, row->exit_code);
		bool op_wrong, mod_wrong;

		if (!l) {
			strlist_push(&v->missing, row->exit_code);
			continue;
		}
		op_wrong = kind_wrong(s, l, VSO_OPCODE, insn_opcode(row));
		mod_wrong = kind_wrong(s, l, VSO_MODRM, row->modrm);
		if (!op_wrong && !mod_wrong)
			continue;
		strlist_push(&v->wrong, row->exit_code);
		report_wrong(u, rule, fn, s, l, row, op_wrong, mod_wrong);
	}
	if (!v->missing.nr) {
		strlist_release(&v->wrong);
		return;
	}
	v->file = fn->file;
	v->function = xstrdup(fn->name);
	v->line = fn->line;
	v->col = fn->col;
	v->sw_line = fn->toks[s->sw->tok].line;
	v->sw_col = fn->toks[s->sw->tok].col;
	v->main_file = fn->file == u->main_file;
	build_validator_cases(rule, fn, s, v);
	st->nr_validators++;
}

/* How the dispatcher names the #VC context: "ctxt->" or "ctxt.". */
static char *ctxt_access(const struct ccg_func *fn)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i + 2 < fn->nr_toks; i++) {
		if (!tok_is(fn, i, "es_em_ctxt"))
			continue;
		if (tok_is(fn, i + 1, "*") && tok_is_ident(fn, i + 2)) {
			strbuf_addf(&sb, "%s->", fn->toks[i + 2].text);
			return strbuf_detach(&sb);
		}
		if (tok_is_ident(fn, i + 1) && !tok_is(fn, i + 2, "(")) {
			strbuf_addf(&sb, "%s.", fn->toks[i + 1].text);
			return strbuf_detach(&sb);
		}
	}
	return xstrdup("ctxt->");
}

/* The variable the dispatcher's cases assign their result to, if any. */
static char *result_var(const struct ccg_func *fn, const struct vso_scan *s)
{
	for (size_t i = 0; i < s->nr_labels; i++) {
		const struct vso_label *l = &s->labels[i];

		for (size_t t = l->body_lo; t + 1 < l->body_hi; t++) {
			bool stmt_start = t == l->body_lo || tok_is(fn, t - 1, ";") ||
					  tok_is(fn, t - 1, "{") || tok_is(fn, t - 1, "}");

			if (stmt_start && tok_is_ident(fn, t) && tok_is(fn, t + 1, "="))
				return xstrdup(fn->toks[t].text);
		}
	}
	return NULL;
}

static void record_dispatcher(struct ccg_unit *u, const struct ccg_func *fn,
			      const struct vso_scan *s)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct vso_dispatcher *d;
	struct vso_insert at;

	if (!fn->file->relpath || !insertion_point(fn, s, &at))
		return;
	ALLOC_GROW(st->dispatchers, st->nr_dispatchers + 1, st->alloc_dispatchers);
	d = &st->dispatchers[st->nr_dispatchers++];
	memset(d, 0, sizeof(*d));
	d->file = fn->file;
	d->function = xstrdup(fn->name);
	d->line = fn->line;
	d->col = fn->col;
	d->at = at;
	for (size_t i = 0; i < s->nr_labels; i++)
		if (s->labels[i].text)
			strlist_push(&d->labels, s->labels[i].text);
	d->ctxt = ctxt_access(fn);
	d->result = result_var(fn, s);
}

static void vso_unit_begin(struct ccg_unit *u, const struct rp_rule *rp)
{
	u->state.vc_svm_opcodes = xcalloc(1, sizeof(*u->state.vc_svm_opcodes));
}

static void vso_function(struct ccg_unit *u, const struct rp_rule *rp,
			 const struct ccg_func *fn)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);
	struct vso_scan s;
	bool named;

	if (!scan_function(rule, fn, &s))
		return;
	named = rp_list_has(rule->validators, rule->validators_count, fn->name);
	if (named || s.nr_cmps) {
		if (unit_reports_in(u, &rule->common, fn->file))
			check_validator(u, rule, fn, &s);
	} else if (rp_list_has(rule->dispatchers, rule->dispatchers_count, fn->name)) {
		record_dispatcher(u, fn, &s);
	}
	scan_release(&s);
}

/* The dispatcher's new cases: the missing exit codes raise #UD. */
static bool dispatcher_text(const struct vso_dispatcher *d,
			    const struct strlist *missing, struct strbuf *out)
{
	struct strbuf b = STRBUF_INIT;
	const char *bi = d->at.body_indent;
	bool any = false;

	for (size_t i = 0; i < missing->nr; i++) {
		if (strlist_has(&d->labels, missing->v[i]))
			continue;
		strbuf_addf(&b, "%scase %s:\n", d->at.case_indent, missing->v[i]);
		any = true;
	}
	if (!any) {
		strbuf_release(&b);
		return false;
	}
	strbuf_addf(&b, "%s%sfi.vector = X86_TRAP_UD;\n", bi, d->ctxt);
	strbuf_addf(&b, "%s%sfi.error_code = 0;\n", bi, d->ctxt);
	if (d->result) {
		strbuf_addf(&b, "%s%s = ES_EXCEPTION;\n", bi, d->result);
		strbuf_addf(&b, "%sbreak;\n", bi);
	} else {
		strbuf_addf(&b, "%sreturn ES_EXCEPTION;\n", bi);
	}
	add_block(out, &d->at, b.buf, true);
	strbuf_release(&b);
	return true;
}

/* Validator hunk plus the dispatchers' hunks, one diff per file. */
static char *build_patch(struct ccg_unit *u, const struct vso_validator *v,
			 struct ccg_finding *f)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct ccg_fix fix = CCG_FIX_INIT;
	char *patch;

	ccg_fix_add(&fix, v->file, v->ins_off, 0, v->ins_text);
	for (size_t i = 0; i < st->nr_dispatchers; i++) {
		const struct vso_dispatcher *d = &st->dispatchers[i];
		struct strbuf text = STRBUF_INIT;

		if (dispatcher_text(d, &v->missing, &text) &&
		    !ccg_fix_add(&fix, d->file, d->at.off, 0, text.buf))
			finding_add_note(f, d->file->relpath, d->line, d->col,
					 "the patch makes '%s' raise #UD for them",
					 d->function);
		strbuf_release(&text);
	}
	patch = ccg_fix_diff(&fix);
	ccg_fix_release(&fix);
	return patch;
}

static void report_missing(struct ccg_unit *u, const struct vso_rule *rule,
			   const struct vso_validator *v)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct strbuf missing = STRBUF_INIT, disp = STRBUF_INIT;
	struct ccg_finding *f;

	strbuf_add_quoted_list(&missing, &v->missing);
	const struct expand_var vars[] = {
		{ "function", v->function },
		{ "missing", missing.buf },
	};
	f = unit_report(u, &rule->common, &(struct ccg_report){
		.file = v->file->relpath, .line = v->line, .col = v->col,
		.function = v->function, .message = rule->missing_message,
		.vars = vars, .nr_vars = ARRAY_SIZE(vars),
	});
	strlist_push_all(finding_list(f, "missing"), &v->missing);
	strlist_push_all(finding_list(f, "wrong"), &v->wrong);
	finding_add_note(f, f->file, v->sw_line, v->sw_col,
			 "%s", "an exit code without a case is rejected here and the guest terminates; "
			 "the #VC handler must be more forgiving of SVM intercepts: accept them when "
			 "the bytes match and raise #UD, so that exception fixup (the STGI of the "
			 "emergency virtualization-disable path) can absorb it");
	for (unsigned i = 0; i < rule->dispatchers_count; i++)
		strbuf_addf(&disp, "%s'%s'", i ? " or " : "", rule->dispatchers[i]);
	if (!disp.len)
		strbuf_addstr(&disp, "dispatcher");
	if (v->no_patch) {
		finding_add_note(f, f->file, v->line, v->col, "%s", v->no_patch);
	} else if (!st->nr_dispatchers && !v->main_file) {
		/* #included: a unit that also has the dispatcher gives the patch */
		finding_add_note(f, f->file, v->line, v->col,
				 "no dispatcher (%s) in the unit of %s, which #includes this file, so this unit gives no patch (a unit that #includes it with the dispatcher does)",
				 disp.buf, u->main_file && u->main_file->relpath ?
				 u->main_file->relpath : "this file");
	} else {
		if (!st->nr_dispatchers)
			finding_add_note(f, f->file, v->line, v->col,
					 "no dispatcher (%s) in this unit; the patch only adds the cases to '%s', make the dispatcher raise #UD for them",
					 disp.buf, v->function);
		f->patch = build_patch(u, v, f);
	}
	strbuf_release(&missing);
	strbuf_release(&disp);
}

static void vso_unit_end(struct ccg_unit *u, const struct rp_rule *rp)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;

	for (size_t i = 0; i < st->nr_validators; i++)
		report_missing(u, rule, &st->validators[i]);
	for (size_t i = 0; i < st->nr_validators; i++) {
		struct vso_validator *v = &st->validators[i];

		free(v->function);
		strlist_release(&v->missing);
		strlist_release(&v->wrong);
		free(v->ins_text);
		free(v->no_patch);
	}
	for (size_t i = 0; i < st->nr_dispatchers; i++) {
		struct vso_dispatcher *d = &st->dispatchers[i];

		free(d->function);
		strlist_release(&d->labels);
		insert_release(&d->at);
		free(d->ctxt);
		free(d->result);
	}
	free(st->validators);
	free(st->dispatchers);
	free(st);
	u->state.vc_svm_opcodes = NULL;
}

/* ---- the rule file (rules/vc-svm-opcodes.yaml) ---- */

static const cyaml_schema_field_t insn_fields[] = {
	CYAML_FIELD_STRING_PTR("mnemonic", CYAML_FLAG_POINTER, struct vso_insn,
			       mnemonic, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("exit_code", CYAML_FLAG_POINTER, struct vso_insn,
			       exit_code, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("opcode", CYAML_FLAG_POINTER, struct vso_insn,
			     opcode, &rp_uint_entry, 1, 3),
	CYAML_FIELD_UINT("modrm", CYAML_FLAG_DEFAULT, struct vso_insn, modrm),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t insn_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct vso_insn, insn_fields),
};

static const cyaml_schema_field_t rule_fields[] = {
	RP_RULE_FIELDS(struct vso_rule),
	CYAML_FIELD_SEQUENCE("instructions", RP_OPTIONAL, struct vso_rule,
			     instructions, &insn_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("validators", RP_OPTIONAL, struct vso_rule,
			     validators, &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("dispatchers", RP_OPTIONAL, struct vso_rule,
			     dispatchers, &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("exit_prefix", RP_OPTIONAL, struct vso_rule,
			       exit_prefix, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("missing_message", RP_OPTIONAL, struct vso_rule,
			       missing_message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("wrong_message", RP_OPTIONAL, struct vso_rule,
			       wrong_message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t rule_schema =
	RP_RULE_SCHEMA(struct vso_rule, rule_fields);

static int vso_validate(const struct rp_rule *rp, const char *path, char **err)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);

	if (!rule->instructions || !rule->exit_prefix ||
	    !rule->missing_message || !rule->wrong_message)
		return rp_error(err, "%s: rule '%s' needs the fields 'instructions', 'exit_prefix', 'missing_message' and 'wrong_message'",
				path, rp->id);
	for (unsigned i = 0; i < rule->instructions_count; i++) {
		const struct vso_insn *in = &rule->instructions[i];

		if (in->modrm > 0xff)
			return rp_error(err, "%s: field 'instructions[%u].modrm': 0x%x is not a byte",
					path, i, in->modrm);
		for (unsigned j = 0; j < in->opcode_count; j++)
			if (in->opcode[j] > 0xff)
				return rp_error(err, "%s: field 'instructions[%u].opcode': 0x%x is not a byte",
						path, i, in->opcode[j]);
	}
	return 0;
}

/* The literal text of TMPL between "{function}" and the next placeholder. */
static char *template_key(const char *tmpl)
{
	const char *p = tmpl ? strstr(tmpl, "{function}") : NULL;
	const char *end;

	if (!p)
		return NULL;
	p += strlen("{function}");
	end = strchr(p, '{');
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* The twin's message only: its quoted exit codes go to a list. */
static void vso_lists_from_message(const struct rp_rule *rp,
				   struct ccg_finding *f)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);
	char *wrong_key = template_key(rule->wrong_message);
	const char *prefix = rule->exit_prefix;
	struct strlist *l;
	const char *p;

	if (!prefix || !*prefix) {
		free(wrong_key);
		return;
	}
	finding_add_lists(f, vso_lists);
	l = finding_list(f, wrong_key && *wrong_key &&
			 strstr(f->message, wrong_key) ? "wrong" : "missing");
	free(wrong_key);
	for (p = f->message; (p = strchr(p, '\'')); ) {
		const char *end = strchr(p + 1, '\'');

		if (!end)
			break;
		if (!strncmp(p + 1, prefix, strlen(prefix))) {
			char *code = xstrndup(p + 1, (size_t)(end - p - 1));

			if (!strlist_has(l, code))
				strlist_push(l, code);
			free(code);
		}
		p = end + 1;
	}
}

static const struct ccg_engine vc_svm_opcodes = {
	.schema = &rule_schema,
	.validate = vso_validate,
	.lists = vso_lists,
	.lists_from_message = vso_lists_from_message,
	.unit_begin = vso_unit_begin,
	.function = vso_function,
	.unit_end = vso_unit_end,
};

const struct ccg_engine *vc_svm_opcodes_engine(void)
{
	return &vc_svm_opcodes;
}
