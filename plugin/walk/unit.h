/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_UNIT_H
#define CCGATE_UNIT_H

#include "libclang.h"
#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "registry.h"
#include "rulepack.h"
#include "strbuf.h"

/*
 * The model the walk hands to the rule engines.  Everything is copied out of
 * libclang while the translation unit is alive; engines never see a cursor.
 *
 * A function is its token stream (the source as written, so macros such as
 * boot_cpu_has() stay visible) plus the statements the AST found, expressed
 * as token indices into that stream.
 */

struct headers_slim;

struct ccg_file {
	CXFile cxfile;
	char *abspath;
	char *relpath;		/* relative to the tree root, or NULL outside */
	const char *text;	/* as read: the translation unit's, or the slim plan's */
	size_t len;
	bool is_c;		/* a .c file (main file or #included .c) */
	unsigned trigger_gen;	/* trigger generation of 'interesting' */
	bool interesting;
};

struct ccg_token {
	CXTokenKind kind;
	char *text;
	unsigned offset;	/* in the function's file */
	unsigned line, col;
};

enum ccg_stmt_exit {
	CCG_STMT_NONE,
	CCG_STMT_RETURN,
	CCG_STMT_GOTO,
	CCG_STMT_BREAK,
};

struct ccg_if {
	size_t tok;		/* 'if' */
	size_t cond_lo, cond_hi;	/* '(' and its matching ')' */
	size_t then_lo, then_hi;	/* first and last token of the branch */
	enum ccg_stmt_exit then_exit;
	size_t exit_tok;	/* the exiting 'return'/'goto' token */
	bool has_else;
};

struct ccg_return {
	size_t tok;		/* 'return' */
	size_t semi;		/* its ';' */
};

struct ccg_case {
	size_t tok;		/* 'case' or 'default' */
	size_t colon;		/* the label's ':' */
	bool is_default;
	size_t sw;		/* index of the owning switch */
};

struct ccg_switch {
	size_t tok;		/* 'switch' */
	size_t cond_lo, cond_hi;
	size_t body_lo, body_hi;	/* '{' and '}' */
};

struct ccg_func {
	char *name;
	struct ccg_file *file;
	bool is_static;
	unsigned line, col;	/* of the name */
	struct ccg_token *toks;
	size_t nr_toks;
	size_t body_lo;		/* the body's '{' */
	struct ccg_if *ifs;
	size_t nr_ifs, alloc_ifs;
	struct ccg_return *rets;
	size_t nr_rets, alloc_rets;
	struct ccg_switch *switches;
	size_t nr_switches, alloc_switches;
	struct ccg_case *cases;
	size_t nr_cases, alloc_cases;
};

struct ccg_macro {
	char *name;
	struct ccg_file *file;
	bool function_like;
	struct strlist params;
	struct ccg_token *toks;	/* the replacement list */
	size_t nr_toks;
};

/*
 * One occurrence of a rule's trigger in a file's text (comments and string
 * literals aside): analyzed (its engine saw it in a function or macro model
 * of the walk) or not, with the reason.
 */
struct ccg_site {
	int rule;		/* enum ccg_rule_nr */
	unsigned offset, line, col;
	char *token;		/* the identifier, e.g. SVM_EXIT_VMRUN */
	char *reason;		/* NULL: analyzed */
	bool ruled_out;		/* the parent's: its unit was ruled out */
};

/*
 * The sites a unit saw in one file.  A unit accounts for every site of the
 * files it was made for (its main file and the .c files it #includes:
 * ALL); of the other in-tree files it read (headers, which are candidates
 * of their own) it lists only the sites it analyzed, since a header site
 * analyzed in any unit counts as analyzed.
 */
struct ccg_site_file {
	char *relpath;
	bool all;
	struct ccg_site *v;
	size_t nr, alloc;
};

/*
 * A cc-virt-gate-style predicate a unit found whose callers may live in
 * other files (external linkage, or defined in a header), or a call seen
 * to a predicate of another file: what the sweep's second pass needs to
 * find callers elsewhere and to judge the predicate once.
 */
struct ccg_xpred {
	int rule;
	char *name;
	char *file;		/* the predicate's test, where it is reported */
	unsigned line, col;
	bool in_header;		/* else a .c file with external linkage */
	/* reported here for lack of a caller in the unit (no other reason) */
	bool lone;
};

struct ccg_xcall {
	int rule;
	char *name;		/* the predicate called */
	char *file;		/* the call */
	unsigned line, col;
	char *caller;
	bool guarded;
};

/*
 * A top-level cursor of an interesting file, kept while the translation
 * unit lives: MODEL says the walk built a function or macro model of it
 * and handed it to the engines with that hook.
 */
struct ccg_extent {
	struct ccg_file *file;
	unsigned lo, hi;	/* offsets in the file */
	CXCursor cursor;
	bool model;
};

/* Per-engine unit state types, one per registry line, defined by each engine. */
#define RULE(sym, id) struct sym##_state;
#include "rules.def"
#undef RULE

struct ccg_unit_opts {
	const char *root;		/* tree root, absolute, no trailing slash */
	bool verbose;
	bool only_c_files;		/* kbuild slot: findings in .c files only */
	bool full_headers;		/* --all-headers: blank no header body */
	bool parse_every;		/* --parse-every-candidate: rule no unit out */
	bool enabled[CCG_RULE_NR];
};

struct ccg_unit {
	const struct ccg_unit_opts *opts;
	const struct rulepack *rp;
	CXTranslationUnit tu;
	struct ccg_file *main_file;
	bool incomplete;	/* the parse reported errors */
	unsigned nr_errors;
	/* declarations engines asked about (unit_want_decl) and those seen */
	struct strlist wanted_decls;
	struct strlist seen_decls;

	struct ccg_file **files;
	size_t nr_files, alloc_files;
	struct ccg_file *last_file;

	/* names that make a function worth building a model for */
	struct strlist triggers;
	unsigned trigger_gen;

	struct ccg_findings findings;
	/* files the unit's patches were computed from (unit_fix_diff()) */
	struct strlist fixed_files;

	/* top-level cursors of interesting files, for the site accounting */
	struct ccg_extent *extents;
	size_t nr_extents, alloc_extents;
	/* predicates of other files (ccg_ctx.xpreds), and what engines saw */
	const struct strlist *xpreds_in;
	/* headers parsed with bodies blanked (headers.h), or NULL */
	const struct headers_slim *slim;
	struct ccg_xpred *xpreds;
	size_t nr_xpreds, alloc_xpreds;
	struct ccg_xcall *xcalls;
	size_t nr_xcalls, alloc_xcalls;

	/* the rules' hooks by callee name (toolkit.h) */
	struct ccg_call_hook *call_hooks;
	size_t nr_call_hooks, alloc_call_hooks;

	struct {
#define RULE(sym, id) struct sym##_state *sym;
#include "rules.def"
#undef RULE
	} state;
};

struct cyaml_schema_value;

/*
 * A rule module: its rule file's schema and checks, its extra finding
 * fields, and its typed hooks, called in registry order.  The id is the
 * registry's (rules.def); nothing else spells it.
 */
struct ccg_engine {
	/* rules/<id>.yaml: a mapping of the module's struct (rulepack.h) */
	const struct cyaml_schema_value *schema;
	/* checks the schema cannot express; one line in *ERR, return -1 */
	int (*validate)(const struct rp_rule *rule, const char *path, char **err);
	/* extra finding fields, NULL-key terminated; NULL for none */
	const struct ccg_list_field *lists;
	/*
	 * Optional: fill the extra fields of F, a finding of this rule that
	 * another backend (the Coccinelle twin) gave as a message only.
	 */
	void (*lists_from_message)(const struct rp_rule *rule,
				   struct ccg_finding *f);
	void (*unit_begin)(struct ccg_unit *u, const struct rp_rule *rule);
	void (*macro)(struct ccg_unit *u, const struct rp_rule *rule,
		      const struct ccg_macro *m);
	void (*function)(struct ccg_unit *u, const struct rp_rule *rule,
			 const struct ccg_func *fn);
	void (*unit_end)(struct ccg_unit *u, const struct rp_rule *rule);
	/*
	 * Optional, for the kbuild slot's prefilter: could a finding of this
	 * rule be located in TEXT (a file holding a trigger)?  A cheap test
	 * on the text alone that must never be stricter than the engine.
	 */
	bool (*text_may_report)(const struct rp_rule *rule, const char *text,
				size_t len);
	/* what text_may_report() looks for, for the reason of a ruled-out unit */
	const char *text_needs;
};

/*
 * Ask the walk to note whether the unit declares the function NAME (any file,
 * any position); call from unit_begin, read with unit_declares().
 */
void unit_want_decl(struct ccg_unit *u, const char *name);
bool unit_declares(const struct ccg_unit *u, const char *name);
/* Add NAME to the unit's triggers (function bodies containing it are walked). */
/*
 * NAME must be a function or macro whose text names a trigger the unit
 * already had: the slim plan (headers.h) keeps exactly the bodies such
 * names can reach, and blanks the rest before the parse.
 */
void unit_add_trigger(struct ccg_unit *u, const char *name);
/* Should this rule report in this file? (tree, scope, kbuild filter) */
bool unit_reports_in(const struct ccg_unit *u, const struct rp_rule *rule,
		     const struct ccg_file *file);

/*
 * Walk a parsed translation unit: build the model of each function worth a
 * look and feed it to the enabled engines.  Findings land in u->findings.
 */
/*
 * Before the parse: the rules' triggers and the engines' unit_begin hooks,
 * so the triggers a unit starts with are known to the slim plan.
 */
void unit_start(struct ccg_unit *u);
/* The walk, ending with unit_finish(). */
void unit_walk(struct ccg_unit *u);
/* The engines' unit_end hooks: a unit that did not parse still needs them. */
void unit_finish(struct ccg_unit *u);
void unit_release(struct ccg_unit *u);
/* The walk's side of the toolkit's call hooks (toolkit.c). */
void unit_run_call_hooks(struct ccg_unit *u, int rule, const struct ccg_func *fn);
void unit_release_call_hooks(struct ccg_unit *u);
/* Does RULE read function models through call hooks? (site accounting) */
bool unit_has_call_hooks(const struct ccg_unit *u, int rule);
void xpreds_release(struct ccg_xpred *v, size_t n);
void xcalls_release(struct ccg_xcall *v, size_t n);

/* Token helpers shared by the engines. */
bool tok_is(const struct ccg_func *fn, size_t i, const char *text);
bool tok_is_ident(const struct ccg_func *fn, size_t i);
/* Is token I '.' or '->'? */
bool tok_is_member_op(const struct ccg_func *fn, size_t i);
/* Index of the bracket matching the opener at I, or fn->nr_toks. */
size_t tok_match(const struct ccg_func *fn, size_t i);
/* Offset of the start of the line holding offset OFF. */
size_t text_line_start(const struct ccg_file *f, size_t off);
/* Leading whitespace of the line holding offset OFF. */
void text_line_indent(const struct ccg_file *f, unsigned off, struct strbuf *out);

#endif
