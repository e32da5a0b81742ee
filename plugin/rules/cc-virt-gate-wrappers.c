// SPDX-License-Identifier: GPL-2.0-only
/*
 * cc-virt-gate, wrapper predicates: a function whose result is the test is
 * judged at its callers; one no caller guards, or with external linkage
 * and no caller in the unit, is reported at its test.  Predicates others
 * files may call go to the sweep (struct ccg_xpred), and calls to
 * predicates of other files come back (struct ccg_xcall).  See
 * cc-virt-gate.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cc-virt-gate.h"
#include "registry.h"
#include "toolkit.h"
#include "banned.h"

void cvg_add_wrapper(struct cc_virt_gate_state *st, const struct ccg_func *fn,
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
void cvg_add_remote_wrappers(struct ccg_unit *u, const struct cvg_rule *rule)
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

void cvg_add_xcall(struct ccg_unit *u, const struct cvg_rule *rule,
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

void cvg_note_unguarded_caller(struct cvg_wrapper *w,
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
	struct ccg_finding *f = cvg_report_site(u, rule, i);

	for (size_t k = 0; !f && k < u->findings.nr; k++) {
		struct ccg_finding *g = &u->findings.v[u->findings.nr - 1 - k];

		if (!strcmp(g->file, s->file) && g->line == s->line &&
		    g->col == s->col && !strcmp(g->rule, rule->common.id))
			f = g;
	}
	return f;
}

/* A wrapper some caller trusts, or one with external linkage and none. */
void cvg_report_wrapper(struct ccg_unit *u, const struct cvg_rule *rule,
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
