/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RULEPACK_H
#define CCGATE_RULEPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/*
 * The rule pack: rules/<rule-id>.yaml, one file per rule, loaded at run time
 * with libcyaml.  The structs mirror the YAML schema one to one; every rule
 * file shares the header fields, and each rule reads only its own sections.
 */

struct rp_feature {
	char *name;
	enum ccg_severity severity;
	bool enabled;
};

struct rp_tester {
	char *name;
	unsigned arg;
};

struct rp_guard {
	char *function;
	char *arg;
};

struct rp_insn {
	char *mnemonic;
	char *exit_code;
	unsigned *opcode;
	unsigned opcode_count;
	unsigned modrm;
};

struct rp_fix {
	char *include;
	char *include_decl;
	char *negated;
	char *positive;
};

struct rp_rule {
	char *id;
	enum ccg_severity severity;
	bool enabled;
	char *summary;
	char *message;
	char *explanation;
	char **exclude;
	unsigned exclude_count;
	char **triggers;
	unsigned triggers_count;
	char **also_requires;		/* and one of these words, any case */
	unsigned also_requires_count;

	/* cc-virt-gate */
	struct rp_feature *features;
	unsigned features_count;
	struct rp_tester *testers;
	unsigned testers_count;
	struct rp_guard *guards;
	unsigned guards_count;
	char **enablers;
	unsigned enablers_count;
	struct rp_fix *fix;

	/* vc-svm-opcodes */
	struct rp_insn *instructions;
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

	/* filled by the loader, not the YAML */
	char *path;
};

struct rulepack {
	struct rp_rule **rules;
	size_t nr;
	char *dir;
};

#define RULEPACK_INIT { NULL, 0, NULL }

/*
 * Load every rule of the registry from DIR.  On error, *err gets one line
 * naming file, line and field, and the pack is left empty; returns -1.
 */
int rulepack_load(struct rulepack *rp, const char *dir, char **err);
void rulepack_release(struct rulepack *rp);
/*
 * Parse and check the text of one rule file (PATH names it in messages; ID
 * is the rule id its name gives).  The I/O-free half of rulepack_load(),
 * for the fuzzer.  Returns 0 with *OUT set, or -1 with one line in *ERR.
 */
int rulepack_parse_rule(const char *path, const char *id, const char *text,
			size_t len, struct rp_rule **out, char **err);
void rulepack_rule_free(struct rp_rule *rule);
const struct rp_rule *rulepack_find(const struct rulepack *rp, const char *id);
/* Directory of the rule pack next to the binary or in the install prefix. */
char *rulepack_default_dir(const char *argv0);
/* Is S one of the N strings of a rule-pack list? */
bool rp_list_has(char *const *v, unsigned n, const char *s);
/* Is PATH (relative to the tree root) excluded by the rule's scope? */
bool rp_rule_excludes(const struct rp_rule *rule, const char *relpath);

#endif
