/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_XPRED_H
#define CCGATE_XPRED_H

/*
 * Predicates across files.  A unit reports the predicates it found that
 * other files may call (struct ccg_xpred: external linkage, or defined in a
 * header).  The sweep then looks for their names in the tree's other .c
 * files (one text pass, only when there are such predicates) and parses
 * the files that name one as extra units: a header predicate is seen there
 * through the #include and judged as in any unit; a predicate of another
 * .c file is handed to the unit by name (ccg_ctx.xpreds), and each call to
 * it comes back as a struct ccg_xcall.  xpred_judge() then reports each
 * such predicate once: with the unguarded callers of every unit as notes,
 * or not at all when every caller in the tree checks the guard.
 */
#include <stdbool.h>
#include <stddef.h>

#include "analyze.h"

struct xpred_plan {
	const struct rulepack *rp;	/* callers outside a rule's scope are not read */
	struct strlist names;		/* every predicate name, sorted */
	struct strlist header_names;	/* of those, defined in headers */
	int *header_rules, *extern_rules;	/* parallel to the name lists */
	/* predicates of .c files: "rule\tname\tfile\tline\tcol" (ccg_ctx.xpreds) */
	struct strlist externs;
	struct strlist extern_names, extern_files;	/* parallel to externs */
	const struct strlist *candidates;	/* parsed already, sorted */
};

/*
 * Gather the predicates of RES, and MACROS[rule] (may be NULL): the macros
 * of the tree's headers whose definition holds a test (ccg_macro_tests()),
 * which a .c file naming none of the rule's triggers may test through.
 * Returns how many names there are.
 */
size_t xpred_plan_init(struct xpred_plan *p, const struct rulepack *rp,
		       const struct ccg_file_result *res, size_t n,
		       const struct strlist *candidates,
		       const struct strlist *macros);
void xpred_plan_release(struct xpred_plan *p);
/*
 * Is the .c file RELPATH with TEXT a caller to parse: it names a header
 * predicate and was not parsed, or names a predicate of another .c file?
 */
bool xpred_wants(void *plan, const char *relpath, const char *text, size_t len);

/*
 * Report each predicate of a .c file once over the units of RES: drop it
 * when the callers found elsewhere all check the guard, else note each
 * unguarded caller.  FINDINGS is sorted and unique.
 */
/*
 * Before FINDINGS (the units' findings, not yet unique) are made unique:
 * give every copy of a header predicate's finding the notes of all units
 * (each unit names its own unguarded callers).
 */
void xpred_merge_notes(const struct ccg_file_result *res, size_t n,
		       struct ccg_findings *findings);
void xpred_judge(const struct ccg_file_result *res, size_t n,
		 struct ccg_findings *findings);

#endif
