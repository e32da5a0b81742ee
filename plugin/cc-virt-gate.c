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
#include <cyaml/cyaml.h>
#include <stdlib.h>
#include <string.h>

#include "expand.h"
#include "fix.h"
#include "cc-virt-gate.h"
#include "toolkit.h"
#include "unit.h"
#include "banned.h"

enum cvg_kind {
	CVG_OTHER,
	CVG_NEG_EXIT,		/* if (!T(F)) return -E...; */
	CVG_NEG_EXIT_PRED,	/* if (!T(F)) return 0/false; */
	CVG_RETURN_PRED,	/* return T(F); */
	CVG_POS_PRED,		/* if (T(F)) return 1/true; */
	CVG_POS_ENABLE,		/* if (T(F)) { enabler } */
};

struct cvg_site {
	char *file;
	char *function;
	char *test;
	char *feature;
	enum ccg_severity severity;
	unsigned line, col;
	char *patch;
	char *fix_note;
	bool reported;
};

struct cvg_caller {
	char *file;
	unsigned line, col;
	char *function;
};

struct cvg_wrapper {
	char *name;
	bool is_static;
	bool in_header;		/* defined in a header */
	bool remote;		/* defined in another .c file (ccg_ctx.xpreds) */
	bool shadowed;		/* remote, but this unit defines the name too */
	size_t site;		/* SIZE_MAX when remote */
	unsigned callers;
	struct cvg_caller *unguarded;	/* callers that do not check the guard */
	size_t nr_unguarded, alloc_unguarded;
};

struct cvg_macro {
	char *name;
	int arg;	/* -1: the macro is itself the test; else arg position */
	char *feature;
};

struct cc_virt_gate_state {
	struct cvg_site *sites;
	size_t nr_sites, alloc_sites;
	struct cvg_wrapper *wrappers;
	size_t nr_wrappers, alloc_wrappers;
	struct cvg_macro *macros;
	size_t nr_macros, alloc_macros;
	struct strlist guard_wrappers;
};

struct cvg_test {
	size_t lo, hi;		/* first token, last token */
	const char *feature;	/* NULL for a wrapper call */
	const struct cvg_wrapper *via;
	size_t via_index;
};

static const struct cvg_feature *feature_lookup(const struct cvg_rule *rule,
					       const char *name)
{
	for (unsigned i = 0; i < rule->features_count; i++)
		if (rule->features[i].enabled &&
		    !strcmp(rule->features[i].name, name))
			return &rule->features[i];
	return NULL;
}

/* Is the argument the single identifier of an enabled feature? */
static const char *feature_arg(const struct cvg_rule *rule,
			       const struct ccg_func *fn, size_t open, unsigned n)
{
	const char *arg = call_arg_ident(fn, open, n);

	return arg && feature_lookup(rule, arg) ? arg : NULL;
}

static const struct cvg_tester *tester_lookup(const struct cvg_rule *rule,
					     const char *name)
{
	for (unsigned i = 0; i < rule->testers_count; i++)
		if (!strcmp(rule->testers[i].name, name))
			return &rule->testers[i];
	return NULL;
}

/* A direct, macro or wrapper test starting at token I. */
static bool test_at(const struct cc_virt_gate_state *st,
		    const struct cvg_rule *rule, const struct ccg_func *fn,
		    size_t i, struct cvg_test *t)
{
	const char *name;
	const struct cvg_tester *tester;

	if (!tok_is_ident(fn, i) || (i > 0 && tok_is_member_op(fn, i - 1)))
		return false;
	name = fn->toks[i].text;
	memset(t, 0, sizeof(*t));
	t->lo = i;
	tester = tester_lookup(rule, name);
	if (tester && tok_is(fn, i + 1, "(")) {
		t->feature = feature_arg(rule, fn, i + 1, tester->arg);
		t->hi = tok_match(fn, i + 1);
		return t->feature && t->hi < fn->nr_toks;
	}
	for (size_t m = 0; m < st->nr_macros; m++) {
		const struct cvg_macro *mac = &st->macros[m];

		if (strcmp(mac->name, name))
			continue;
		if (mac->arg < 0) {
			t->feature = mac->feature;
			t->hi = tok_is(fn, i + 1, "(") ? tok_match(fn, i + 1) : i;
			return t->hi < fn->nr_toks;
		}
		if (!tok_is(fn, i + 1, "("))
			return false;
		t->feature = feature_arg(rule, fn, i + 1, (unsigned)mac->arg);
		t->hi = tok_match(fn, i + 1);
		return t->feature && t->hi < fn->nr_toks;
	}
	if (!tok_is(fn, i + 1, "(") || !strcmp(name, fn->name))
		return false;
	for (size_t w = 0; w < st->nr_wrappers; w++) {
		if (!strcmp(st->wrappers[w].name, name) && !st->wrappers[w].shadowed) {
			t->via = &st->wrappers[w];
			t->via_index = w;
			t->hi = tok_match(fn, i + 1);
			return t->hi < fn->nr_toks;
		}
	}
	return false;
}

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

struct cvg_context {
	enum cvg_kind kind;
	size_t fix_at;		/* token before which the guard goes */
	char op;		/* top-level operator of the expression */
	size_t expr_lo;		/* first token of the condition/expression */
	bool in_return;
};

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
			if (best->then_exit != CCG_EXIT_RETURN &&
			    best->then_exit != CCG_EXIT_GOTO)
				return c;
			c.kind = stmt_returns(fn, best->exit_tok, falsy) ?
				 CVG_NEG_EXIT_PRED : CVG_NEG_EXIT;
			return c;
		}
		if (c.op == '|')
			return c;
		if (best->then_exit == CCG_EXIT_RETURN &&
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
		return c;
	}
	return c;
}

static bool is_predicate(enum cvg_kind k)
{
	return k == CVG_NEG_EXIT_PRED || k == CVG_RETURN_PRED || k == CVG_POS_PRED;
}

/* The fix: the guard as a new, aligned continuation line of the condition. */
static void make_patch(struct ccg_unit *u, const struct cvg_rule *rule,
		       const struct ccg_func *fn, const struct cvg_context *c,
		       struct cvg_site *site)
{
	struct fix_edits edits = FIX_EDITS_INIT;
	struct strbuf ins = STRBUF_INIT, diff = STRBUF_INIT;
	const struct ccg_token *first = &fn->toks[c->expr_lo];
	const struct ccg_token *last = &fn->toks[c->fix_at - 1];
	bool negated = c->kind == CVG_NEG_EXIT || c->kind == CVG_NEG_EXIT_PRED;
	bool wrap = negated ? c->op == '&' : c->op == '|';
	/* continuation lines align with the expression: the line's tabs, then spaces */
	unsigned align = first->col - 1, tabs = 0;
	const char *line = fn->file->text + first->offset - align;

	while (tabs < align && line[tabs] == '\t')
		tabs++;
	if (wrap)
		strbuf_addch(&ins, ')');
	strbuf_addf(&ins, " %s\n", negated ? "||" : "&&");
	for (unsigned i = 0; i < align; i++)
		strbuf_addch(&ins, i < tabs ? '\t' : ' ');
	strbuf_addstr(&ins, negated ? rule->fix->negated : rule->fix->positive);
	if (wrap)
		fix_edits_add(&edits, first->offset, 0, "(");
	fix_edits_add(&edits, last->offset + strlen(last->text), 0, ins.buf);
	bool declared = unit_declares(u, rule->fix->include_decl);

	if (!declared && !u->incomplete) {
		if (fix_include_edit(&edits, fn->file->text, fn->file->len,
				     rule->fix->include) < 0)
			site->fix_note = xstrdup("the file has no #include block; the patch adds no include");
	} else if (!declared) {
		struct strbuf n = STRBUF_INIT;

		strbuf_addf(&n, "the parse was incomplete, so the patch adds no '#include <%s>'; add it if '%s' is not declared",
			    rule->fix->include, rule->fix->include_decl);
		site->fix_note = strbuf_detach(&n);
	}
	if (!fix_diff(&diff, fn->file->relpath, fn->file->text, fn->file->len,
		      &edits))
		site->patch = strbuf_detach(&diff);
	strbuf_release(&diff);
	strbuf_release(&ins);
	fix_edits_release(&edits);
}

static size_t add_site(struct ccg_unit *u, const struct cvg_rule *rule,
		       const struct ccg_func *fn, const struct cvg_test *t,
		       const struct cvg_context *c)
{
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;
	const struct cvg_feature *feat = feature_lookup(rule, t->feature);
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
	make_patch(u, rule, fn, c, s);
	return st->nr_sites++;
}

static struct ccg_finding *report_site(struct ccg_unit *u,
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
		.patch = s->patch ? xstrdup(s->patch) : NULL,
	});
	if (s->fix_note)
		finding_add_note(f, s->file, s->line, s->col, "%s", s->fix_note);
	strbuf_release(&guard);
	return f;
}

static void add_wrapper(struct cc_virt_gate_state *st, const struct ccg_func *fn,
			size_t site, struct ccg_unit *u)
{
	struct cvg_wrapper *w;

	for (size_t i = 0; i < st->nr_wrappers; i++)
		if (!strcmp(st->wrappers[i].name, fn->name) &&
		    !st->wrappers[i].shadowed)
			return;
	ALLOC_GROW(st->wrappers, st->nr_wrappers + 1, st->alloc_wrappers);
	w = &st->wrappers[st->nr_wrappers++];
	memset(w, 0, sizeof(*w));
	w->name = xstrdup(fn->name);
	w->is_static = fn->is_static;
	w->in_header = !fn->file->is_c;
	w->site = site;
	unit_add_trigger(u, fn->name);
}

/*
 * Predicates of other .c files (the sweep's second pass): a call to one is
 * judged like a call to a wrapper of the unit, and recorded for the parent
 * (struct ccg_xcall), which reports the predicate once.
 */
static void add_remote_wrappers(struct ccg_unit *u, const struct cvg_rule *rule)
{
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;

	for (size_t i = 0; u->xpreds_in && i < u->xpreds_in->nr; i++) {
		const char *rec = u->xpreds_in->v[i], *tab = strchr(rec, '\t');
		struct cvg_wrapper *w;

		if (!tab || strncmp(rec, rule->common.id, (size_t)(tab - rec)) ||
		    rule->common.id[tab - rec])
			continue;
		rec = tab + 1;
		tab = strchr(rec, '\t');
		ALLOC_GROW(st->wrappers, st->nr_wrappers + 1, st->alloc_wrappers);
		w = &st->wrappers[st->nr_wrappers++];
		memset(w, 0, sizeof(*w));
		w->name = tab ? xstrndup(rec, (size_t)(tab - rec)) : xstrdup(rec);
		w->remote = true;
		w->site = SIZE_MAX;
		unit_add_trigger(u, w->name);
	}
}

static void cvg_unit_begin(struct ccg_unit *u, const struct rp_rule *rp)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	u->state.cc_virt_gate = xcalloc(1, sizeof(*u->state.cc_virt_gate));
	for (unsigned i = 0; i < rule->guards_count; i++)
		unit_add_trigger(u, rule->guards[i].function);
	unit_want_decl(u, rule->fix->include_decl);
	add_remote_wrappers(u, rule);
}

static void add_xcall(struct ccg_unit *u, const struct cvg_rule *rule,
		      const struct cvg_wrapper *w, const struct ccg_func *fn,
		      const struct cvg_test *t, bool guarded)
{
	struct ccg_xcall *x;

	if (!fn->file->relpath)
		return;
	ALLOC_GROW(u->xcalls, u->nr_xcalls, u->alloc_xcalls);
	x = &u->xcalls[u->nr_xcalls++];
	x->rule = ccg_rule_lookup(rule->common.id);
	x->name = xstrdup(w->name);
	x->file = xstrdup(fn->file->relpath);
	x->line = fn->toks[t->lo].line;
	x->col = fn->toks[t->lo].col;
	x->caller = xstrdup(fn->name);
	x->guarded = guarded;
}

/* A local macro whose replacement is a test becomes a tester of its own. */
static void cvg_macro(struct ccg_unit *u, const struct rp_rule *rp,
		      const struct ccg_macro *m)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;
	struct ccg_func view;

	if (!unit_reports_in(u, &rule->common, m->file) || !m->nr_toks)
		return;
	memset(&view, 0, sizeof(view));
	view.toks = m->toks;
	view.nr_toks = m->nr_toks;
	view.name = m->name;
	for (size_t i = 0; i < m->nr_toks; i++) {
		const struct cvg_tester *tester = tester_lookup(rule, m->toks[i].text);
		size_t lo, hi;
		struct cvg_macro *mac;
		int arg = -1;
		const char *feature;

		if (!tester || !tok_is(&view, i + 1, "(") ||
		    !call_arg(&view, i + 1, tester->arg, &lo, &hi) || hi != lo + 1)
			continue;
		feature = m->toks[lo].text;
		for (size_t p = 0; p < m->params.nr; p++)
			if (!strcmp(m->params.v[p], feature))
				arg = (int)p;
		if (arg < 0 && !feature_lookup(rule, feature))
			continue;
		ALLOC_GROW(st->macros, st->nr_macros + 1, st->alloc_macros);
		mac = &st->macros[st->nr_macros++];
		mac->name = xstrdup(m->name);
		mac->arg = arg;
		mac->feature = arg < 0 ? xstrdup(feature) : NULL;
		unit_add_trigger(u, m->name);
		return;
	}
}

static void note_unguarded_caller(struct cvg_wrapper *w,
				  const struct ccg_func *fn,
				  const struct cvg_test *t)
{
	const struct ccg_token *at = &fn->toks[t->lo];
	struct cvg_caller *c;

	for (size_t i = 0; i < w->nr_unguarded; i++) {
		c = &w->unguarded[i];
		if (c->line == at->line && c->col == at->col &&
		    !strcmp(c->file, fn->file->relpath) && !strcmp(c->function, fn->name))
			return;
	}
	ALLOC_GROW(w->unguarded, w->nr_unguarded + 1, w->alloc_unguarded);
	c = &w->unguarded[w->nr_unguarded++];
	c->file = xstrdup(fn->file->relpath);
	c->line = at->line;
	c->col = at->col;
	c->function = xstrdup(fn->name);
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

		if (!test_at(st, rule, fn, i, &t))
			continue;
		c = classify(rule, fn, &t);
		if (t.via && st->wrappers[t.via_index].remote) {
			struct cvg_wrapper *w = &st->wrappers[t.via_index];
			bool g = guarded(st, rule, fn, &t);

			/*
			 * A predicate passing the remote one's result on is
			 * not followed further (a known limit).
			 */
			if (g || !is_predicate(c.kind))
				add_xcall(u, rule, w, fn, &t, g);
			continue;
		}
		if (t.via) {
			struct cvg_wrapper *w = &st->wrappers[t.via_index];

			w->callers++;
			if (guarded(st, rule, fn, &t))
				continue;
			if (is_predicate(c.kind))
				add_wrapper(st, fn, w->site, u);
			else if (fn->file->relpath)
				note_unguarded_caller(&st->wrappers[t.via_index], fn, &t);
			continue;
		}
		if (!in_scope || c.kind == CVG_OTHER || guarded(st, rule, fn, &t))
			continue;
		if (is_predicate(c.kind))
			add_wrapper(st, fn, add_site(u, rule, fn, &t, &c), u);
		else
			report_site(u, rule, add_site(u, rule, fn, &t, &c));
	}
}

/*
 * A predicate other files may call: the sweep looks for its callers in the
 * rest of the tree.  LONE: reported here only for want of any caller.
 */
static void add_xpred(struct ccg_unit *u, const struct cvg_rule *rule,
		      const struct cvg_wrapper *w, const struct cvg_site *s)
{
	struct ccg_xpred *x;

	ALLOC_GROW(u->xpreds, u->nr_xpreds, u->alloc_xpreds);
	x = &u->xpreds[u->nr_xpreds++];
	x->rule = ccg_rule_lookup(rule->common.id);
	x->name = xstrdup(w->name);
	x->file = xstrdup(s->file);
	x->line = s->line;
	x->col = s->col;
	x->in_header = w->in_header;
	x->lone = !w->nr_unguarded && !w->callers && !w->is_static;
}

/* The finding of S, made now or earlier through another wrapper. */
static struct ccg_finding *site_finding(struct ccg_unit *u,
					const struct cvg_rule *rule, size_t i)
{
	const struct cvg_site *s = &u->state.cc_virt_gate->sites[i];
	struct ccg_finding *f = report_site(u, rule, i);

	for (size_t k = 0; !f && k < u->findings.nr; k++) {
		struct ccg_finding *g = &u->findings.v[u->findings.nr - 1 - k];

		if (!strcmp(g->file, s->file) && g->line == s->line &&
		    g->col == s->col && !strcmp(g->rule, rule->common.id))
			f = g;
	}
	return f;
}

/* A wrapper some caller trusts, or one with external linkage and none. */
static void report_wrapper(struct ccg_unit *u, const struct cvg_rule *rule,
			   const struct cvg_wrapper *w)
{
	const struct cvg_site *s = &u->state.cc_virt_gate->sites[w->site];
	struct ccg_finding *f;

	if (w->in_header || !w->is_static)
		add_xpred(u, rule, w, s);
	if (!w->nr_unguarded && (w->callers || w->is_static))
		return;
	f = site_finding(u, rule, w->site);
	if (!f)
		return;
	if (!w->nr_unguarded)
		finding_add_note(f, s->file, s->line, s->col,
				 "'%s' has external linkage and no caller in this unit checks the guard",
				 w->name);
	for (size_t k = 0; k < w->nr_unguarded; k++) {
		const struct cvg_caller *c = &w->unguarded[k];

		finding_add_note(f, c->file, c->line, c->col,
				 "'%s' is called from '%s' without checking the guard",
				 w->name, c->function);
	}
}

static void state_free(struct cc_virt_gate_state *st)
{
	for (size_t i = 0; i < st->nr_sites; i++) {
		free(st->sites[i].file);
		free(st->sites[i].function);
		free(st->sites[i].test);
		free(st->sites[i].feature);
		free(st->sites[i].patch);
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
			report_wrapper(u, rule, &st->wrappers[i]);
	state_free(st);
	u->state.cc_virt_gate = NULL;
}

/*
 * A test is a tester (or a function-like macro of the file) called with
 * the feature bit, or a macro whose replacement holds the bit.  So a file
 * can hold a finding only if some occurrence of an enabled feature sits on
 * a '#' line or inside the parentheses of such a call: KVM's
 * guest_cpuid_has(vcpu, X86_FEATURE_SVM), feature tables and
 * X86_MATCH_FEATURE() are not tests.
 */
static bool cvg_text_may_report(const struct rp_rule *rp, const char *text,
				size_t len)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);

	for (unsigned f = 0; f < rule->features_count; f++) {
		const char *feat = rule->features[f].name, *p = text;
		const char *end = text + len;
		size_t fn = strlen(feat);

		if (!rule->features[f].enabled)
			continue;
		while ((p = memmem(p, (size_t)(end - p), feat, fn))) {
			const char *q = p, *name_end, *name;
			int depth = 0;

			p += fn;
			/* a '#' line: a macro of the file may wrap the test */
			for (name = q; name > text && name[-1] != '\n'; name--)
				;
			while (name < q && (*name == ' ' || *name == '\t'))
				name++;
			if (*name == '#')
				return true;
			/* the innermost unclosed '(' of the statement */
			while (q > text && q[-1] != ';' && q[-1] != '{' &&
			       q[-1] != '}') {
				q--;
				if (*q == ')')
					depth++;
				else if (*q == '(' && depth-- == 0)
					break;
			}
			if (q == text || *q != '(')
				continue;
			name_end = q;
			while (name_end > text && (name_end[-1] == ' ' ||
						   name_end[-1] == '\t'))
				name_end--;
			for (name = name_end; name > text && text_is_ident_char(name[-1]); name--)
				;
			if (name == name_end)
				continue;
			for (unsigned t = 0; t < rule->testers_count; t++)
				if (strlen(rule->testers[t].name) == (size_t)(name_end - name) &&
				    !memcmp(rule->testers[t].name, name,
					    (size_t)(name_end - name)))
					return true;
			if (text_defines_macro(text, len, name, (size_t)(name_end - name)))
				return true;
		}
	}
	return false;
}

/* ---- the rule file (rules/cc-virt-gate.yaml) ---- */

static const cyaml_schema_field_t feature_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct cvg_feature,
			       name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("severity", CYAML_FLAG_DEFAULT, struct cvg_feature,
			 severity, rp_severity_strings,
			 CYAML_ARRAY_LEN(rp_severity_strings)),
	CYAML_FIELD_ENUM("enabled", CYAML_FLAG_STRICT, struct cvg_feature,
			 enabled, rp_bool_strings, CYAML_ARRAY_LEN(rp_bool_strings)),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t feature_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_feature,
			    feature_fields),
};

static const cyaml_schema_field_t tester_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct cvg_tester,
			       name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_UINT("arg", CYAML_FLAG_DEFAULT, struct cvg_tester, arg),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t tester_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_tester,
			    tester_fields),
};

static const cyaml_schema_field_t guard_fields[] = {
	CYAML_FIELD_STRING_PTR("function", CYAML_FLAG_POINTER, struct cvg_guard,
			       function, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("arg", CYAML_FLAG_POINTER, struct cvg_guard,
			       arg, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t guard_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_guard, guard_fields),
};

static const cyaml_schema_field_t fix_fields[] = {
	CYAML_FIELD_STRING_PTR("include", CYAML_FLAG_POINTER, struct cvg_fix,
			       include, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("include_decl", CYAML_FLAG_POINTER,
			       struct cvg_fix, include_decl, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("negated", CYAML_FLAG_POINTER, struct cvg_fix,
			       negated, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("positive", CYAML_FLAG_POINTER, struct cvg_fix,
			       positive, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t rule_fields[] = {
	RP_RULE_FIELDS(struct cvg_rule),
	CYAML_FIELD_SEQUENCE("features", RP_OPTIONAL, struct cvg_rule, features,
			     &feature_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("testers", RP_OPTIONAL, struct cvg_rule, testers,
			     &tester_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("guards", RP_OPTIONAL, struct cvg_rule, guards,
			     &guard_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("enablers", RP_OPTIONAL, struct cvg_rule, enablers,
			     &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("fix", RP_OPTIONAL, struct cvg_rule, fix,
				fix_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t rule_schema =
	RP_RULE_SCHEMA(struct cvg_rule, rule_fields);

static int cvg_validate(const struct rp_rule *rp, const char *path, char **err)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);

	if (!rule->features || !rule->testers || !rule->guards || !rule->fix)
		return rp_error(err, "%s: rule '%s' needs the fields 'features', 'testers', 'guards' and 'fix'",
				path, rp->id);
	for (unsigned i = 0; i < rule->testers_count; i++)
		if (rule->testers[i].arg > 7)
			return rp_error(err, "%s: field 'testers[%u].arg': %u is not an argument position",
					path, i, rule->testers[i].arg);
	return 0;
}

static const struct ccg_engine cc_virt_gate = {
	.schema = &rule_schema,
	.validate = cvg_validate,
	.unit_begin = cvg_unit_begin,
	.macro = cvg_macro,
	.function = cvg_function,
	.unit_end = cvg_unit_end,
	.text_may_report = cvg_text_may_report,
};

const struct ccg_engine *cc_virt_gate_engine(void)
{
	return &cc_virt_gate;
}
