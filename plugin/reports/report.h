/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_REPORT_H
#define CCGATE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"
#include "finding.h"
#include "rulepack.h"

struct ccg_site_summary;
struct fp_keys;

struct ccg_run_stats {
	size_t scanned;		/* files the prefilter read */
	size_t candidates;	/* files with a trigger token */
	size_t skipped_scope;	/* files outside every rule's scope */
	size_t compdb_units;	/* candidates parsed with --compdb flags */
	const char *config;	/* the configuration parsed under, or NULL */
	size_t xpreds;		/* predicates other files may call */
	size_t caller_units;	/* files parsed for their callers */
	const struct ccg_file_result *results;
	size_t nr_results;
	/* --apply: preimages no result holds (the cocci engine's), or NULL */
	const struct ccg_file_result *preimages;
	/* trigger sites, merged over the units (sites.h), or NULL */
	const struct ccg_site_summary *sites;
	/* --built-only: findings dropped as not built by --config */
	bool built_only;
	size_t not_built;
	/* gate, patch: what the change removed (reported as "resolved") */
	const struct ccg_findings *resolved;
	/* the fingerprints of the findings, index for index (gate, patch:
	 * of the analyzed texts), or NULL: from the files on disk */
	const struct fp_keys *keys;
	/* patch: the patches of a series that were not applied, one line
	 * each ("patch 2/3 'subject' skipped: ..."), and the patch file */
	const struct strlist *skipped_patches;
	const char *patch_name;
};

enum ccg_format {
	CCG_FORMAT_TEXT,
	CCG_FORMAT_JSON,
	CCG_FORMAT_SARIF,
	CCG_FORMAT_CHECKPATCH,	/* checkpatch.pl --terse lines (b4) */
	CCG_FORMAT_CODECLIMATE,	/* GitLab Code Quality */
	CCG_FORMAT_GITHUB,	/* GitHub workflow commands */
};

/*
 * Exit statuses of sweep and check.  Findings win over coverage: they are
 * what a developer acts on, and the summary still names what was not
 * analyzed.
 */
enum ccg_exit {
	CCG_EXIT_CLEAN = 0,	/* no findings, every candidate analyzed */
	CCG_EXIT_FINDINGS = 1,
	CCG_EXIT_USAGE = 2,	/* usage or input error, refused --apply */
	CCG_EXIT_COVERAGE = 3,	/* no findings, but a candidate was not
				 * analyzed (failed: crash, time budget,
				 * unreadable), or with --strict-coverage
				 * parsed incompletely */
};

int ccg_format_parse(const char *s, enum ccg_format *fmt);
const char *ccg_format_name(enum ccg_format fmt);

/* Does the run fall short of full coverage (see CCG_EXIT_COVERAGE)? */
bool report_coverage_short(const struct ccg_run_stats *st, bool strict);
/* The coverage counters and the files not parsed completely, as JSON. */
json_t *report_stats_json(const struct ccg_run_stats *st,
			  const struct ccg_findings *list);

/* Compiler-style lines; notes follow their finding. */
void report_text(FILE *out, const struct ccg_findings *list);
/* The patches, one after another, for `--diff`. */
void report_patches(FILE *out, const struct ccg_findings *list);
/* The one-line coverage summary, plus every incomplete/failed file if VERBOSE. */
void report_summary(FILE *out, const struct ccg_findings *list,
		    const struct ccg_run_stats *st, bool verbose);
void report_json(FILE *out, const struct ccg_findings *list,
		 const struct ccg_run_stats *st);
/*
 * SARIF 2.1.0 (sarif.c): the rules of RP with their help text, the
 * findings with related locations, fixes and fingerprints, and the
 * coverage in the invocation.  ROOT is the tree root (SRCROOT).
 */
void report_sarif(FILE *out, const struct rulepack *rp, const bool *enabled,
		  const char *root, const struct ccg_findings *list,
		  const struct ccg_run_stats *st, int exit_code);
/*
 * report-ci.c: checkpatch.pl --terse --showfile --show-types lines
 * (ERROR:/WARNING:/CHECK:), the failed files and skipped patches as
 * WARNING: lines; returns the number of those lines.
 */
size_t report_checkpatch(FILE *out, const struct ccg_findings *list,
			 const struct ccg_run_stats *st);
/* A Code Climate issue list for GitLab's Code Quality (reports: codequality). */
void report_codeclimate(FILE *out, const char *root,
			const struct ccg_findings *list,
			const struct ccg_run_stats *st);
/* GitHub workflow commands: ::error/::warning/::notice file=...::message. */
void report_github(FILE *out, const struct ccg_findings *list,
		   const struct ccg_run_stats *st);
/*
 * Write one patch per finding into DIR (created if missing) as
 * NNNN-<rule>-<function>.patch.  Returns -1 after printing an error.
 */
int report_fix_dir(const char *dir, const struct ccg_findings *list);

#endif
