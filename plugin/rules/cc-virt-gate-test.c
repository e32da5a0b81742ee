// SPDX-License-Identifier: GPL-2.0-only
/*
 * cc-virt-gate, the tests: a tester of the rule file called with an
 * enabled feature bit at the argument position the file gives, a local
 * macro that expands to such a test (a tester of its own), or a call to a
 * wrapper predicate.  See cc-virt-gate.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cc-virt-gate.h"
#include "toolkit.h"
#include "banned.h"

const struct cvg_feature *cvg_feature_lookup(const struct cvg_rule *rule,
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

	return arg && cvg_feature_lookup(rule, arg) ? arg : NULL;
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
bool cvg_test_at(const struct cc_virt_gate_state *st,
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

/*
 * A macro of the unit whose replacement is a test becomes a tester of its
 * own: one of a header too where only .c files are reported in (the kbuild
 * slot), since the finding is at its use.
 */
void cvg_macro(struct ccg_unit *u, const struct rp_rule *rp,
	       const struct ccg_macro *m)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);
	struct cc_virt_gate_state *st = u->state.cc_virt_gate;
	struct ccg_func view;

	if (!m->file->relpath || rp_rule_excludes(rp, m->file->relpath) ||
	    !m->nr_toks)
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
		if (arg < 0 && !cvg_feature_lookup(rule, feature))
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
