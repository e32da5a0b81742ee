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
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "toolkit.h"
#include "vc-svm-opcodes.h"
#include "banned.h"

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
	vso_format_new(expected, fn, s, VSO_OPCODE, vso_insn_opcode(row), row->opcode_count);
	strbuf_addstr(expected, ", ModRM ");
	vso_format_new(expected, fn, s, VSO_MODRM, row->modrm, 1);
	strbuf_addch(expected, ')');
}

static void report_wrong(struct ccg_unit *u, const struct vso_rule *rule,
			 const struct ccg_func *fn, struct vso_scan *s,
			 const struct vso_label *l, const struct vso_insn *row,
			 bool op_wrong, bool mod_wrong)
{
	struct strbuf actual = STRBUF_INIT, expected = STRBUF_INIT;
	struct ccg_fix fix = CCG_FIX_INIT;
	struct fix_edits *edits = ccg_fix_edits(&fix, fn->file);
	const struct vso_cmp *loc = NULL;
	const bool wrongs[2] = { op_wrong, mod_wrong };
	struct ccg_finding *f;
	bool fixable;

	wrong_texts(fn, s, l, row, wrongs, &actual, &expected);
	fixable = vso_wrong_edits(rule, fn, s, l, row, wrongs, edits, &loc);
	const struct expand_var vars[] = {
		{ "function", fn->name },
		{ "exit_code", row->exit_code },
		{ "mnemonic", row->mnemonic },
		{ "actual", actual.buf ? actual.buf : "" },
		{ "expected", expected.buf },
	};
	f = unit_report(u, &rule->common, &(struct ccg_report){
		.fn = fn, .at = loc ? &fn->toks[loc->tok] : NULL,
		.message = rule->wrong_message, .summary = rule->wrong_summary,
		.vars = vars, .nr_vars = ARRAY_SIZE(vars),
	});
	strlist_push(finding_list(f, "wrong"), row->exit_code);
	if (fixable && edits->nr)
		f->patch = unit_fix_diff(u, &fix);
	if (!f->patch)
		finding_add_note(f, f->file, f->line, f->col,
				 "every constant of this case matches another exit code of its label group; no patch");
	strbuf_release(&actual);
	strbuf_release(&expected);
	ccg_fix_release(&fix);
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
		const struct vso_label *l = vso_find_label(s, row->exit_code);
		bool op_wrong, mod_wrong;

		if (!l) {
			strlist_push(&v->missing, row->exit_code);
			continue;
		}
		op_wrong = kind_wrong(s, l, VSO_OPCODE, vso_insn_opcode(row));
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
	vso_build_validator_cases(rule, fn, s, v);
	st->nr_validators++;
}

static void record_dispatcher(struct ccg_unit *u, const struct ccg_func *fn,
			      const struct vso_scan *s)
{
	struct vc_svm_opcodes_state *st = u->state.vc_svm_opcodes;
	struct vso_dispatcher *d;
	struct vso_insert at;

	if (!fn->file->relpath || !vso_insertion_point(fn, s, &at))
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
	d->ctxt = vso_ctxt_access(fn);
	d->result = vso_result_var(fn, s);
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

	if (!vso_scan_function(rule, fn, &s))
		return;
	named = rp_list_has(rule->validators, rule->validators_count, fn->name);
	if (named || s.nr_cmps) {
		if (unit_reports_in(u, &rule->common, fn->file))
			check_validator(u, rule, fn, &s);
	} else if (rp_list_has(rule->dispatchers, rule->dispatchers_count, fn->name)) {
		record_dispatcher(u, fn, &s);
	}
	vso_scan_release(&s);
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
		f->patch = vso_build_patch(u, v, f);
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
		vso_insert_release(&d->at);
		free(d->ctxt);
		free(d->result);
	}
	free(st->validators);
	free(st->dispatchers);
	free(st);
	u->state.vc_svm_opcodes = NULL;
}

static const struct ccg_engine vc_svm_opcodes = {
	.schema = &vso_rule_schema,
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
