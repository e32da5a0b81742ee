// SPDX-License-Identifier: GPL-2.0-only
/*
 * cc-virt-gate: host code that decides hardware virtualization is usable from
 * a CPUID bit (X86_FEATURE_SVM) without consulting
 * cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT).
 *
 * Why: inside an SEV/SEV-ES/SEV-SNP guest the hypervisor may still advertise
 * SVM.  Nested virtualization cannot work there, and under SEV-ES the host's
 * EFER.SVME leaks into the guest, so Linux believes it enabled SVM and runs
 * STGI in its emergency-disable path; the #VC for that STGI is fatal.  See
 * the upstream fix "x86/virt: Treat SVM as unsupported when running as an
 * SEV+ guest".
 *
 * How: the testers are macros in the kernel, so tests are found in the token
 * stream (tester name, its bit argument at the position the rule pack gives,
 * or a local macro that expands to such a test).  The AST supplies the
 * statements.  A test is a gate when it is
 *  - negated in an if whose branch exits (return/goto): the code after it is
 *    the "virtualization is usable" path;
 *  - returned (positive predicate), or in an if that returns true;
 *  - returned negated (a "no SVM" predicate: its callers decide alike);
 *  - positive in an if whose branch uses virtualization (an enabler token).
 * A positive branch that only reads or clears the bit (init_amd()'s MSR_VM_CR
 * quirk) is not a gate.  A gate is guarded when the guard (or a function of
 * the unit returning it) appears in the function before the first enabler
 * that follows the test.
 *
 * Wrapper predicates (a function whose result is the test, such as 6.1's
 * cpu_has_svm()) are reported at the wrapper's test unless every caller in the
 * unit consults the guard; callers that are themselves predicates pass the
 * question on to their callers.  A static wrapper without callers in the unit
 * is left to the units that call it; one with external linkage is reported.
 * Predicates in headers or with external linkage also go to the sweep
 * (struct ccg_xpred), which parses their callers in other files (xpred.h);
 * there a predicate of another .c file arrives by name (u->xpreds_in) and
 * each call to it is reported back (struct ccg_xcall), not judged here.
 *
 * Known limits: only the active preprocessor branch is seen (the sweep defines
 * every CONFIG_ symbol the file names); callers that precede the wrapper's
 * definition in the unit are not seen; a test stored in a variable and
 * returned later is not followed.
 */
#include <stdlib.h>
#include <string.h>

#include "cc-virt-gate.h"
#include "toolkit.h"
#include "banned.h"

static bool is_guard_at(const struct cc_virt_gate_state *st,
			const struct cvg_rule *rule, const struct ccg_func *fn,
			size_t i)
{
	if (!tok_is_ident(fn, i) || !tok_is(fn, i + 1, "("))
		return false;
	for (unsigned g = 0; g < rule->guards_count; g++) {
		if (strcmp(fn->toks[i].text, rule->guards[g].function))
			continue;
		if (tok_is(fn, i + 2, rule->guards[g].arg) && tok_is(fn, i + 3, ")"))
			return true;
	}
	return strlist_has(&st->guard_wrappers, fn->toks[i].text) &&
	       strcmp(fn->toks[i].text, fn->name);
}

static bool is_enabler(const struct cvg_rule *rule, const struct ccg_func *fn,
		       size_t i)
{
	if (!tok_is_ident(fn, i))
		return false;
	return rp_list_has(rule->enablers, rule->enablers_count,
			   fn->toks[i].text);
}

static bool guarded(const struct cc_virt_gate_state *st,
		    const struct cvg_rule *rule, const struct ccg_func *fn,
		    const struct cvg_test *t)
{
	size_t limit = fn->nr_toks;

	for (size_t i = t->hi; i < fn->nr_toks; i++) {
		if (is_enabler(rule, fn, i)) {
			limit = i;
			break;
		}
	}
	for (size_t i = fn->body_lo; i < limit; i++)
		if (is_guard_at(st, rule, fn, i))
			return true;
	return false;
}

static const char *const falsy[] = { "0", "false", NULL };
static const char *const truthy[] = { "1", "true", NULL };

static struct cvg_context classify(const struct cvg_rule *rule,
				   const struct ccg_func *fn,
				   const struct cvg_test *t)
{
	struct cvg_context c = { CVG_OTHER, 0, 0, 0, false };
	const struct ccg_if *best = NULL;
	size_t olo, ohi;
	int neg;

	for (size_t i = 0; i < fn->nr_ifs; i++) {
		const struct ccg_if *s = &fn->ifs[i];

		if (s->cond_lo < t->lo && t->hi < s->cond_hi &&
		    (!best || s->cond_lo > best->cond_lo))
			best = s;
	}
	if (best) {
		c.op = expr_operand(fn, best->cond_lo + 1, best->cond_hi, t->lo,
			       &olo, &ohi);
		neg = expr_negations(fn, olo, ohi, t->lo, t->hi);
		c.fix_at = best->cond_hi;
		c.expr_lo = best->cond_lo + 1;
		if (neg < 0 || c.op == '?')
			return c;
		if (neg % 2) {
			if (best->then_exit != CCG_STMT_RETURN &&
			    best->then_exit != CCG_STMT_GOTO)
				return c;
			c.kind = stmt_returns(fn, best->exit_tok, falsy) ?
				 CVG_NEG_EXIT_PRED : CVG_NEG_EXIT;
			return c;
		}
		if (c.op == '|')
			return c;
		if (best->then_exit == CCG_STMT_RETURN &&
		    stmt_returns(fn, best->exit_tok, truthy)) {
			c.kind = CVG_POS_PRED;
			return c;
		}
		for (size_t i = best->then_lo; i <= best->then_hi && i < fn->nr_toks; i++) {
			if (is_enabler(rule, fn, i)) {
				c.kind = CVG_POS_ENABLE;
				return c;
			}
		}
		return c;
	}
	for (size_t i = 0; i < fn->nr_rets; i++) {
		const struct ccg_return *r = &fn->rets[i];

		if (!(r->tok < t->lo && t->hi < r->semi))
			continue;
		c.op = expr_operand(fn, r->tok + 1, r->semi, t->lo, &olo, &ohi);
		neg = expr_negations(fn, olo, ohi, t->lo, t->hi);
		c.fix_at = r->semi;
		c.expr_lo = r->tok + 1;
		c.in_return = true;
		if (neg >= 0 && neg % 2 == 0 && c.op != '|' && c.op != '?')
			c.kind = CVG_RETURN_PRED;
		else if (neg > 0 && neg % 2 && c.op != '&' && c.op != '?')
			c.kind = CVG_RETURN_NEG_PRED;
		return c;
	}
	return c;
}

bool cvg_is_predicate(enum cvg_kind k)
{
	return k == CVG_NEG_EXIT_PRED || k == CVG_RETURN_PRED ||
	       k == CVG_RETURN_NEG_PRED || k == CVG_POS_PRED;
}

static size_t add_site(struct ccg_unit *u, const struct cvg_rule *rule,
		       const struct ccg_func *fn, const struct cvg_test *t,
		       const struct cvg_context *c)
{
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;
	const struct cvg_feature *feat = cvg_feature_lookup(rule, t->feature);
	struct cvg_site *s;

	ALLOC_GROW(st->sites, st->nr_sites + 1, st->alloc_sites);
	s = &st->sites[st->nr_sites];
	memset(s, 0, sizeof(*s));
	s->file = xstrdup(fn->file->relpath);
	s->function = xstrdup(fn->name);
	s->test = tok_join(fn, t->lo, t->hi);
	s->feature = xstrdup(t->feature);
	s->severity = feat ? feat->severity : rule->common.severity;
	s->line = fn->toks[t->lo].line;
	s->col = fn->toks[t->lo].col;
	cvg_make_patch(u, rule, fn, c, s);
	return st->nr_sites++;
}

struct ccg_finding *cvg_report_site(struct ccg_unit *u,
				    const struct cvg_rule *rule, size_t i)
{
	struct cvg_site *s = &u->state.cc_virt_gate->sites[i];
	struct strbuf guard = STRBUF_INIT;
	struct ccg_finding *f;

	if (s->reported)
		return NULL;
	s->reported = true;
	strbuf_addf(&guard, "%s(%s)", rule->guards[0].function,
		    rule->guards[0].arg);
	const struct expand_var vars[] = {
		{ "function", s->function },
		{ "test", s->test },
		{ "feature", s->feature },
		{ "guard", guard.buf },
	};
	f = unit_report(u, &rule->common, &(struct ccg_report){
		.file = s->file, .line = s->line, .col = s->col,
		.function = s->function, .severity = &s->severity,
		.vars = vars, .nr_vars = ARRAY_SIZE(vars),
		.patch = s->patch,
	});
	s->patch = NULL;	/* the finding owns it: a site is reported once */
	if (s->fix_note)
		finding_add_note(f, s->file, s->line, s->col, "%s", s->fix_note);
	strbuf_release(&guard);
	return f;
}

static void cvg_unit_begin(struct ccg_unit *u, const struct rp_rule *rp)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	u->state.cc_virt_gate = xcalloc(1, sizeof(*u->state.cc_virt_gate));
	for (unsigned i = 0; i < rule->guards_count; i++)
		unit_add_trigger(u, rule->guards[i].function);
	unit_want_decl(u, rule->fix->include_decl);
	cvg_add_remote_wrappers(u, rule);
}

static void cvg_function(struct ccg_unit *u, const struct rp_rule *rp,
			 const struct ccg_func *fn)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;
	bool in_scope = unit_reports_in(u, &rule->common, fn->file);

	/* a definition here wins over a predicate of another file */
	for (size_t w = 0; w < st->nr_wrappers; w++)
		if (st->wrappers[w].remote && !strcmp(st->wrappers[w].name, fn->name))
			st->wrappers[w].shadowed = true;

	/* a function returning the guard is a guard too */
	for (size_t r = 0; r < fn->nr_rets; r++) {
		for (size_t i = fn->rets[r].tok + 1; i < fn->rets[r].semi; i++) {
			if (is_guard_at(st, rule, fn, i) &&
			    !strlist_has(&st->guard_wrappers, fn->name)) {
				strlist_push(&st->guard_wrappers, fn->name);
				unit_add_trigger(u, fn->name);
			}
		}
	}

	for (size_t i = fn->body_lo; i < fn->nr_toks; i++) {
		struct cvg_test t;
		struct cvg_context c;

		if (!cvg_test_at(st, rule, fn, i, &t))
			continue;
		c = classify(rule, fn, &t);
		if (t.via && st->wrappers[t.via_index].remote) {
			struct cvg_wrapper *w = &st->wrappers[t.via_index];
			bool g = guarded(st, rule, fn, &t);

			/*
			 * A predicate passing the remote one's result on is
			 * not followed further (a known limit).
			 */
			if (g || !cvg_is_predicate(c.kind))
				cvg_add_xcall(u, rule, w, fn, &t, g);
			continue;
		}
		if (t.via) {
			struct cvg_wrapper *w = &st->wrappers[t.via_index];

			w->callers++;
			if (guarded(st, rule, fn, &t))
				continue;
			if (cvg_is_predicate(c.kind))
				cvg_add_wrapper(st, fn, w->site, u);
			else if (fn->file->relpath)
				cvg_note_unguarded_caller(&st->wrappers[t.via_index], fn, &t);
			continue;
		}
		if (!in_scope || c.kind == CVG_OTHER || guarded(st, rule, fn, &t))
			continue;
		if (cvg_is_predicate(c.kind))
			cvg_add_wrapper(st, fn, add_site(u, rule, fn, &t, &c), u);
		else
			cvg_report_site(u, rule, add_site(u, rule, fn, &t, &c));
	}
}

static void state_free(struct cc_virt_gate_state *st)
{
	for (size_t i = 0; i < st->nr_sites; i++) {
		free(st->sites[i].file);
		free(st->sites[i].function);
		free(st->sites[i].test);
		free(st->sites[i].feature);
		udiff_free(st->sites[i].patch);
		free(st->sites[i].fix_note);
	}
	for (size_t i = 0; i < st->nr_wrappers; i++) {
		struct cvg_wrapper *w = &st->wrappers[i];

		for (size_t k = 0; k < w->nr_unguarded; k++) {
			free(w->unguarded[k].file);
			free(w->unguarded[k].function);
		}
		free(w->unguarded);
		free(w->name);
	}
	for (size_t i = 0; i < st->nr_macros; i++) {
		free(st->macros[i].name);
		free(st->macros[i].feature);
	}
	free(st->sites);
	free(st->wrappers);
	free(st->macros);
	strlist_release(&st->guard_wrappers);
	free(st);
}

static void cvg_unit_end(struct ccg_unit *u, const struct rp_rule *rp)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;

	for (size_t i = 0; i < st->nr_wrappers; i++)
		if (!st->wrappers[i].remote)
			cvg_report_wrapper(u, rule, &st->wrappers[i]);
	state_free(st);
	u->state.cc_virt_gate = NULL;
}

static const struct ccg_engine cc_virt_gate = {
	.schema = &cvg_rule_schema,
	.validate = cvg_validate,
	.unit_begin = cvg_unit_begin,
	.macro = cvg_macro,
	.function = cvg_function,
	.unit_end = cvg_unit_end,
	.text_may_report = cvg_text_may_report,
	.text_needs = "an enabled feature bit as a tester's argument, in a macro of the tree or on a directive line",
};

const struct ccg_engine *cc_virt_gate_engine(void)
{
	return &cc_virt_gate;
}
