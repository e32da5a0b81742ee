// SPDX-License-Identifier: GPL-2.0-only
/*
 * vc-svm-opcodes, the fix: the missing cases, written in the validator's
 * own idiom (its indentation, its spacing between cases, its constants'
 * style, its accepted-exit return), before its "default:"; and the
 * dispatcher's cases that raise #UD for them.  See vc-svm-opcodes.c.
 */
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "toolkit.h"
#include "vc-svm-opcodes.h"
#include "banned.h"

/* A new constant of kind K, written like the function's existing ones. */
void vso_format_new(struct strbuf *out, const struct ccg_func *fn,
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
bool vso_insertion_point(const struct ccg_func *fn, const struct vso_scan *s,
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

void vso_insert_release(struct vso_insert *at)
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
static void vso_add_block(struct strbuf *out, const struct vso_insert *at,
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
static char *vso_compared_expr(const struct ccg_func *fn, const struct vso_scan *s,
			       enum vso_kind k)
{
	const struct strlist *vars = k == VSO_OPCODE ? &s->opcode_vars : &s->modrm_vars;

	for (size_t i = 0; i < s->nr_cmps; i++)
		if (s->cmps[i].kind == k)
			return tok_source(fn, s->cmps[i].expr_lo, s->cmps[i].expr_hi);
	return vars->nr ? xstrdup(vars->v[0]) : NULL;
}

/* "return ES_OK;" of a case: its value and the indent of the return line. */
static bool vso_ok_return(const struct ccg_func *fn, const struct vso_scan *s,
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

			if (c->then_exit != CCG_STMT_RETURN || c->exit_tok != ret->tok ||
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

/*
 * The constant of the case body to correct for row R: the first one of kind
 * K that matches no row of the label group, nor was corrected already.
 */
static struct vso_cmp *vso_fix_target(const struct vso_rule *rule,
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
			const struct vso_label *o = vso_find_label(s, row->exit_code);

			if (o && o->body_lo == l->body_lo &&
			    vso_insn_expect(row, k) == c->value)
				matches = true;
		}
		if (!matches)
			return c;
	}
	return NULL;
}

/*
 * The corrections of the wrong constants, and where the finding is (the
 * first constant corrected, else the first wrong one); false if one of
 * them has no constant to correct.
 */
bool vso_wrong_edits(const struct vso_rule *rule, const struct ccg_func *fn,
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
		c = vso_fix_target(rule, s, l, kinds[k]);
		if (!c) {
			fixable = false;
			continue;
		}
		c->used = true;
		t = &fn->toks[c->tok];
		if (!*loc || c->tok < (*loc)->tok)
			*loc = c;
		text_format_like(&val, t->text, vso_insn_expect(row, kinds[k]),
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

/* The cases the validator lacks, in its own idiom. */
void vso_build_validator_cases(const struct vso_rule *rule,
			       const struct ccg_func *fn,
			       const struct vso_scan *s,
			       struct vso_validator *v)
{
	struct vso_insert at;
	struct strbuf text = STRBUF_INIT;
	char *opv = vso_compared_expr(fn, s, VSO_OPCODE);
	char *modv = vso_compared_expr(fn, s, VSO_MODRM);
	char *ok = NULL, *ret_indent = NULL;
	bool first = true;

	if (!opv || !modv) {
		v->no_patch = xstrdup("cannot tell which variable holds the opcode or the ModRM; no patch");
		goto out;
	}
	if (!vso_ok_return(fn, s, &ok, &ret_indent)) {
		v->no_patch = xstrdup("no 'return' in the cases to copy for an accepted exit; no patch");
		goto out;
	}
	if (!vso_insertion_point(fn, s, &at)) {
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
		vso_format_new(&b, fn, s, VSO_OPCODE, vso_insn_opcode(row), row->opcode_count);
		strbuf_addf(&b, " && %s == ", modv);
		vso_format_new(&b, fn, s, VSO_MODRM, row->modrm, 1);
		strbuf_addf(&b, ")\n%sreturn %s;\n", ret_indent, ok);
		strbuf_addf(&b, "%sbreak;\n", at.body_indent);
		vso_add_block(&text, &at, b.buf, first);
		first = false;
		strbuf_release(&b);
	}
	v->ins_off = at.off;
	v->ins_text = strbuf_detach(&text);
	vso_insert_release(&at);
out:
	strbuf_release(&text);
	free(opv);
	free(modv);
	free(ok);
	free(ret_indent);
}

/* How the dispatcher names the #VC context: "ctxt->" or "ctxt.". */
char *vso_ctxt_access(const struct ccg_func *fn)
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
char *vso_result_var(const struct ccg_func *fn, const struct vso_scan *s)
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

/* The dispatcher's new cases: the missing exit codes raise #UD. */
static bool vso_dispatcher_text(const struct vso_dispatcher *d,
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
	vso_add_block(out, &d->at, b.buf, true);
	strbuf_release(&b);
	return true;
}

/* Validator hunk plus the dispatchers' hunks, one diff per file. */
struct udiff *vso_build_patch(struct ccg_unit *u,
			      const struct vso_validator *v,
			      struct ccg_finding *f)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct ccg_fix fix = CCG_FIX_INIT;
	struct udiff *patch;

	ccg_fix_add(&fix, v->file, v->ins_off, 0, v->ins_text);
	for (size_t i = 0; i < st->nr_dispatchers; i++) {
		const struct vso_dispatcher *d = &st->dispatchers[i];
		struct strbuf text = STRBUF_INIT;

		if (vso_dispatcher_text(d, &v->missing, &text) &&
		    !ccg_fix_add(&fix, d->file, d->at.off, 0, text.buf))
			finding_add_note(f, d->file->relpath, d->line, d->col,
					 "the patch makes '%s' raise #UD for them",
					 d->function);
		strbuf_release(&text);
	}
	patch = unit_fix_diff(u, &fix);
	ccg_fix_release(&fix);
	return patch;
}
