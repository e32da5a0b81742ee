/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_SITES_H
#define CCGATE_SITES_H

/*
 * Trigger-site accounting: every occurrence of an enabled rule's trigger in
 * a candidate's text is either analyzed (inside a function or macro model
 * the walk handed to the rule's engine) or listed with the reason it was
 * not.  Workers classify the sites of their unit (sites_classify()); the
 * parent merges the units' lists (sites_merge()), counting each (file,
 * offset, rule) once and a site analyzed in any unit as analyzed.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "result.h"
#include "rulepack.h"
#include "unit.h"

/* One merged site, as reported. */
struct ccg_msite {
	char *file;
	const char *rule;	/* rule id */
	char *token;
	unsigned offset, line, col;
	char *reason;		/* NULL: analyzed */
	bool ruled_out;		/* in a unit its text ruled out (not a gap) */
};

struct ccg_site_summary {
	struct ccg_msite *v;	/* every site, by file, offset, rule */
	size_t nr, alloc;
	size_t nr_analyzed;
	size_t nr_ruled_out;	/* not analyzed, in units ruled out */
};

/*
 * Call back for each occurrence of an enabled rule's trigger in TEXT that is
 * an identifier outside comments, string and character literals: an
 * identifier equal to a trigger, or starting with it when the trigger ends
 * in '_' (SVM_EXIT_).  DIRECTIVE is 'd' on a #define line, '#' on another
 * directive, 0 elsewhere.
 */
typedef void (*site_fn)(void *data, int rule, const char *tok, size_t len,
			unsigned offset, unsigned line, unsigned col,
			char directive);
void sites_scan(const struct rulepack *rp, const bool *enabled,
		const char *text, size_t len, site_fn fn, void *data);

/* In the worker, after unit_walk(): the sites of U's files into RES. */
void sites_classify(struct ccg_unit *u, struct ccg_file_result *res);

void site_files_release(struct ccg_site_file *v, size_t n);
json_t *sites_to_json(const struct ccg_file_result *r);
void sites_from_json(struct ccg_file_result *r, json_t *a);

/*
 * Merge the sites of N results into OUT.  A candidate that failed has no
 * unit: its text (read from OPTS' root) gives its sites, none analyzed.
 */
void sites_merge(const struct rulepack *rp, const struct ccg_unit_opts *opts,
		 const struct ccg_file_result *res, size_t n,
		 struct ccg_site_summary *out);
void site_summary_release(struct ccg_site_summary *s);

/*
 * Could another unit of the same file analyze a site its unit left with
 * REASON?  An inactive branch, code that did not parse or a function the
 * walk did not model may be live where an includer defines more; a table,
 * a directive or a macro the engine does not read is the same everywhere.
 */
bool site_may_be_live(const char *reason);

#endif
