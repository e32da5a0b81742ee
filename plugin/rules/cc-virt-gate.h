/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_CC_VIRT_GATE_H
#define CCGATE_CC_VIRT_GATE_H

#include "rulepack.h"
#include "strbuf.h"
#include "udiff.h"
#include "unit.h"

/* rules/cc-virt-gate.yaml beyond the common header (see that file). */

struct cvg_feature {
	char *name;
	enum ccg_severity severity;
	bool enabled;
};

struct cvg_tester {
	char *name;
	unsigned arg;
};

struct cvg_guard {
	char *function;
	char *arg;
};

struct cvg_fix {
	char *include;
	char *include_decl;
	char *negated;
	char *positive;
};

struct cvg_rule {
	struct rp_rule common;
	struct cvg_feature *features;
	unsigned features_count;
	struct cvg_tester *testers;
	unsigned testers_count;
	struct cvg_guard *guards;
	unsigned guards_count;
	char **enablers;
	unsigned enablers_count;
	struct cvg_fix *fix;
};

/*
 * The module's parts: cc-virt-gate.c (what a test and a gate are, when a
 * gate is guarded, the findings), cc-virt-gate-test.c (what a test is),
 * cc-virt-gate-wrappers.c (predicates and
 * their callers, across files), cc-virt-gate-fix.c (the patch),
 * cc-virt-gate-rule.c (the rule file's schema and checks).
 */

enum cvg_kind {
	CVG_OTHER,
	CVG_NEG_EXIT,		/* if (!T(F)) return -E...; */
	CVG_NEG_EXIT_PRED,	/* if (!T(F)) return 0/false; */
	CVG_RETURN_PRED,	/* return T(F); */
	CVG_RETURN_NEG_PRED,	/* return !T(F); (a "no SVM" predicate) */
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
	struct udiff *patch;
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

struct cvg_context {
	enum cvg_kind kind;
	size_t fix_at;		/* token before which the guard goes */
	char op;		/* top-level operator of the expression */
	size_t expr_lo;		/* first token of the condition/expression */
	bool in_return;
};

/* cc-virt-gate.c */
bool cvg_is_predicate(enum cvg_kind k);
struct ccg_finding *cvg_report_site(struct ccg_unit *u,
				    const struct cvg_rule *rule, size_t i);

/* cc-virt-gate-test.c */
const struct cvg_feature *cvg_feature_lookup(const struct cvg_rule *rule,
					     const char *name);
/* A direct, macro or wrapper test starting at token I. */
bool cvg_test_at(const struct cc_virt_gate_state *st,
		 const struct cvg_rule *rule, const struct ccg_func *fn,
		 size_t i, struct cvg_test *t);
/* A local macro whose replacement is a test becomes a tester of its own. */
void cvg_macro(struct ccg_unit *u, const struct rp_rule *rp,
	       const struct ccg_macro *m);

/* cc-virt-gate-wrappers.c */
void cvg_add_wrapper(struct cc_virt_gate_state *st, const struct ccg_func *fn,
		     size_t site, struct ccg_unit *u);
/*
 * Predicates of other .c files (the sweep's second pass): a call to one is
 * judged like a call to a wrapper of the unit, and recorded for the parent
 * (struct ccg_xcall), which reports the predicate once.
 */
void cvg_add_remote_wrappers(struct ccg_unit *u, const struct cvg_rule *rule);
void cvg_add_xcall(struct ccg_unit *u, const struct cvg_rule *rule,
		   const struct cvg_wrapper *w, const struct ccg_func *fn,
		   const struct cvg_test *t, bool guarded);
void cvg_note_unguarded_caller(struct cvg_wrapper *w,
			       const struct ccg_func *fn,
			       const struct cvg_test *t);
/* A wrapper some caller trusts, or one with external linkage and none. */
void cvg_report_wrapper(struct ccg_unit *u, const struct cvg_rule *rule,
			const struct cvg_wrapper *w);

/* cc-virt-gate-fix.c */
/* The fix: the guard as a new, aligned continuation line of the condition. */
void cvg_make_patch(struct ccg_unit *u, const struct cvg_rule *rule,
		    const struct ccg_func *fn, const struct cvg_context *c,
		    struct cvg_site *site);

/* cc-virt-gate-rule.c */
struct cyaml_schema_value;
extern const struct cyaml_schema_value cvg_rule_schema;
/*
 * A test is a tester (or a function-like macro of the file) called with
 * the feature bit, or a macro whose replacement holds the bit.  So a file
 * can hold a finding only if some occurrence of an enabled feature sits on
 * a '#' line or inside the parentheses of such a call: KVM's
 * guest_cpuid_has(vcpu, X86_FEATURE_SVM), feature tables and
 * X86_MATCH_FEATURE() are not tests.
 */
bool cvg_text_may_report(const struct rp_rule *rp, const char *text,
			 size_t len);
int cvg_validate(const struct rp_rule *rp, const char *path, char **err);

#endif
