/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_VC_SVM_OPCODES_H
#define CCGATE_VC_SVM_OPCODES_H

#include "fix.h"
#include "rulepack.h"
#include "strbuf.h"
#include "unit.h"

/* rules/vc-svm-opcodes.yaml beyond the common header (see that file). */

struct vso_insn {
	char *mnemonic;
	char *exit_code;
	unsigned *opcode;
	unsigned opcode_count;
	unsigned modrm;
};

struct vso_rule {
	struct rp_rule common;
	struct vso_insn *instructions;
	unsigned instructions_count;
	char **validators;
	unsigned validators_count;
	char **dispatchers;
	unsigned dispatchers_count;
	char **intercepted;	/* only the semantic patch reads them */
	unsigned intercepted_count;
	char *exit_prefix;
	char *missing_message;
	char *wrong_message;
	char *wrong_summary;	/* a wrong-bytes fix's subject, or NULL */
};

/*
 * The module's parts: vc-svm-opcodes.c (what a validator is, what it lacks,
 * the findings), vc-svm-opcodes-fix.c (the cases to add, in the function's
 * own idiom), vc-svm-opcodes-rule.c (the rule file's schema and checks).
 */

enum vso_kind {
	VSO_NONE,
	VSO_OPCODE,
	VSO_MODRM,
};

struct vso_cmp {
	size_t tok;			/* the constant */
	size_t expr_lo, expr_hi;	/* the compared expression, inclusive */
	enum vso_kind kind;
	unsigned long value;
	bool used;			/* already the target of a fix */
};

struct vso_label {
	size_t tok, colon;
	bool is_default;
	char *text;			/* the label's expression; NULL: default */
	size_t body_lo, body_hi;	/* statements it leads to: [lo, hi) */
};

/* The exit-code switch of one function, decoded. */
struct vso_scan {
	const struct ccg_switch *sw;
	struct vso_label *labels;
	size_t nr_labels;
	struct vso_cmp *cmps;
	size_t nr_cmps, alloc_cmps;
	struct strlist opcode_vars, modrm_vars;	/* from initializers */
};

/* Where new cases go: the start of a line inside the switch. */
struct vso_insert {
	size_t off;
	bool before_brace;	/* at the switch's '}' (no label follows) */
	bool prev_blank;	/* the line above is empty */
	bool lead_blank;	/* start with an empty line */
	bool blank_style;	/* the switch separates its cases by empty lines */
	char *case_indent, *body_indent;
};

struct vso_validator {
	const struct ccg_file *file;
	char *function;
	unsigned line, col;
	unsigned sw_line, sw_col;
	bool main_file;			/* defined in the unit's main file */
	struct strlist missing;		/* exit codes without a case */
	struct strlist wrong;		/* exit codes with wrong constants */
	size_t ins_off;
	char *ins_text;			/* the missing cases, or NULL */
	char *no_patch;			/* why there is no patch */
};

struct vso_dispatcher {
	const struct ccg_file *file;
	char *function;
	unsigned line, col;
	struct strlist labels;		/* case labels present */
	struct vso_insert at;
	char *ctxt;			/* "ctxt->" or "ctxt." */
	char *result;			/* the variable cases assign, or NULL */
};

struct vc_svm_opcodes_state {
	struct vso_validator *validators;
	size_t nr_validators, alloc_validators;
	struct vso_dispatcher *dispatchers;
	size_t nr_dispatchers, alloc_dispatchers;
};

/* vc-svm-opcodes-scan.c */
/* Find and decode the exit-code switch; false if the function has none. */
bool vso_scan_function(const struct vso_rule *rule, const struct ccg_func *fn,
		       struct vso_scan *s);
void vso_scan_release(struct vso_scan *s);
const struct vso_label *vso_find_label(const struct vso_scan *s,
				       const char *text);
unsigned long vso_insn_opcode(const struct vso_insn *r);
unsigned long vso_insn_expect(const struct vso_insn *r, enum vso_kind k);

/* vc-svm-opcodes-fix.c */
void vso_format_new(struct strbuf *out, const struct ccg_func *fn,
		    const struct vso_scan *s, enum vso_kind k,
		    unsigned long v, unsigned nbytes);
bool vso_insertion_point(const struct ccg_func *fn, const struct vso_scan *s,
			 struct vso_insert *at);
void vso_insert_release(struct vso_insert *at);
bool vso_wrong_edits(const struct vso_rule *rule, const struct ccg_func *fn,
		     struct vso_scan *s, const struct vso_label *l,
		     const struct vso_insn *row, const bool wrongs[2],
		     struct fix_edits *edits, const struct vso_cmp **loc);
void vso_build_validator_cases(const struct vso_rule *rule,
			       const struct ccg_func *fn,
			       const struct vso_scan *s,
			       struct vso_validator *v);
char *vso_ctxt_access(const struct ccg_func *fn);
char *vso_result_var(const struct ccg_func *fn, const struct vso_scan *s);
struct udiff *vso_build_patch(struct ccg_unit *u,
			      const struct vso_validator *v,
			      struct ccg_finding *f);

/* vc-svm-opcodes-rule.c */
struct cyaml_schema_value;
extern const struct cyaml_schema_value vso_rule_schema;
extern const struct ccg_list_field vso_lists[];
int vso_validate(const struct rp_rule *rp, const char *path, char **err);
void vso_lists_from_message(const struct rp_rule *rp,
			    struct ccg_finding *f);

#endif
