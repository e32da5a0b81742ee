/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_ANALYZE_H
#define CCGATE_ANALYZE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "compdb.h"
#include "finding.h"
#include "overlay.h"
#include "result.h"
#include "rulepack.h"
#include "strbuf.h"
#include "unit.h"

/* What the drivers share: the frozen options of one run. */
struct ccg_ctx {
	const struct rulepack *rp;
	struct ccg_unit_opts unit;
	unsigned file_timeout;	/* seconds per file in the pool */
	uint64_t file_memory;	/* bytes per worker in the pool, 0: none */
	int jobs;
	const struct overlay *overlay;	/* other file texts, or NULL */
	struct compdb *compdb;		/* --compdb, or NULL */
	/* autoconf.h of the configuration (kconfig.h), or NULL (parse.h) */
	const char *autoconf;
	/* files generated once per run (parse_generate_programs()) */
	const struct strlist *gen_path, *gen_text;
	/*
	 * sweep, second pass: predicates defined with external linkage in
	 * other .c files, "name\tfile\tline\tcol" each; the engine treats a
	 * call to one as a call to a predicate (struct ccg_xcall).
	 */
	const struct strlist *xpreds;
	/* this process's scanned headers (headers.h), or NULL: one per file */
	struct headers_cache *headers;
	/* --exclude: paths the sweep does not list (treepath.h), or NULL */
	const struct strlist *exclude;
};

/*
 * The prefilter: is the unit of PATH (TEXT, and the .c files it #includes)
 * worth a parse for an enabled rule: a trigger token, and one of the rule's
 * also_requires words (any case) if it has them?  Cost for most files: one
 * memmem per trigger.  The includes are read only when TEXT names a .c
 * file.  UNIT_ONLY asks more: includes are followed even when TEXT names
 * no trigger, and each engine's text_may_report() must accept a text that
 * holds a trigger, or the text must name one of TESTS[rule] (may be NULL),
 * the macros of the tree whose definition holds a trigger: a finding must
 * be possible in the unit's own .c files.  The kbuild slot asks that of its
 * file; the sweep asks it of a .c unit before it parses it, and asks the
 * first question of every file it scans.
 */
bool ccg_wants_parse(const struct ccg_ctx *ctx, const char *path,
		     const char *text, size_t len, bool unit_only,
		     const struct strlist *tests);

/*
 * Add to TESTS[rule], for each enabled rule whose engine has a
 * text_may_report(), the macros TEXT #defines with one of the rule's
 * triggers in their definition (not a trigger itself: X86_FEATURE_SVM's
 * own #define): a file naming one may test through it.
 */
void ccg_macro_tests(const struct ccg_ctx *ctx, const char *text, size_t len,
		     struct strlist *tests);

/*
 * Add to TESTS[rule], for the rules ccg_macro_tests() serves, what TEXT (a
 * header) lets a file that includes it test through: its macro tests, and
 * with FUNCTIONS its functions whose body names a trigger
 * (headers_callables(): a predicate such as 6.1's cpu_has_svm(), whose
 * finding is in the header, where the kbuild slot does not report).
 */
void ccg_header_tests(const struct ccg_ctx *ctx, const char *text, size_t len,
		      bool functions, struct strlist *tests);

/*
 * Does TEXT name one of TESTS[rule] for an enabled rule that, if RELPATH
 * is given, does not exclude it?
 */
bool ccg_names_test(const struct ccg_ctx *ctx, const char *relpath,
		    const char *text, size_t len, const struct strlist *tests);

/*
 * Add to TESTS[rule] the tests (ccg_header_tests()) of the headers that
 * TEXT, the file RELPATH of the tree, #includes itself, found as an
 * unconfigured parse finds them: a quoted name in the file's directory
 * first, then parse_include_dirs.  OV (may be NULL) holds texts that
 * replace the tree's.  One level: what those headers include is not read.
 */
void ccg_include_tests(const struct ccg_ctx *ctx, const struct overlay *ov,
		       const char *relpath, const char *text, size_t len,
		       bool functions, struct strlist *tests);

/*
 * Parse and analyze one file in this process.  ARGS are the compiler
 * arguments; NULL means the kernel-tree defaults for an unconfigured tree.
 */
void analyze_file(const struct ccg_ctx *ctx, const char *abspath,
		  const char *relpath, const struct strlist *args,
		  struct ccg_file_result *res);


#endif
