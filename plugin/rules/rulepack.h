/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RULEPACK_H
#define CCGATE_RULEPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cyaml/cyaml.h>

#include "diag.h"

/*
 * The rule pack: rules/<rule-id>.yaml, one file per rule, loaded at run time
 * with libcyaml.  This file knows only the header every rule file shares;
 * each rule module owns the rest of its file's schema and its checks.
 */

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

	/* filled by the loader, not the YAML */
	char *path;
	int nr;			/* enum ccg_rule_nr */
};

/*
 * A rule module's rule file maps onto its own struct, which starts with the
 * common header: struct xyz_rule { struct rp_rule common; ...its fields... }.
 * Its cyaml field list starts with RP_RULE_FIELDS(struct xyz_rule); the
 * module's engine gives the schema (ccg_engine.schema) and the checks the
 * schema cannot express (ccg_engine.validate).
 */
extern const cyaml_strval_t rp_severity_strings[3];
extern const cyaml_strval_t rp_bool_strings[2];
extern const cyaml_schema_value_t rp_string_entry;
extern const cyaml_schema_value_t rp_uint_entry;

#define RP_OPTIONAL (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

#define RP_RULE_FIELDS(type)						\
	CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_POINTER, type, common.id,	\
			       1, CYAML_UNLIMITED),			\
	CYAML_FIELD_ENUM("severity", CYAML_FLAG_DEFAULT, type,		\
			 common.severity, rp_severity_strings,		\
			 CYAML_ARRAY_LEN(rp_severity_strings)),		\
	CYAML_FIELD_ENUM("enabled", CYAML_FLAG_STRICT, type, common.enabled, \
			 rp_bool_strings, CYAML_ARRAY_LEN(rp_bool_strings)), \
	CYAML_FIELD_STRING_PTR("summary", CYAML_FLAG_POINTER, type,	\
			       common.summary, 1, CYAML_UNLIMITED),	\
	CYAML_FIELD_STRING_PTR("message", CYAML_FLAG_POINTER, type,	\
			       common.message, 1, CYAML_UNLIMITED),	\
	CYAML_FIELD_STRING_PTR("explanation", CYAML_FLAG_POINTER, type,	\
			       common.explanation, 1, CYAML_UNLIMITED),	\
	CYAML_FIELD_SEQUENCE("exclude", RP_OPTIONAL, type, common.exclude, \
			     &rp_string_entry, 0, CYAML_UNLIMITED),	\
	CYAML_FIELD_SEQUENCE("triggers", CYAML_FLAG_POINTER, type,	\
			     common.triggers, &rp_string_entry, 1,	\
			     CYAML_UNLIMITED),				\
	CYAML_FIELD_SEQUENCE("also_requires", RP_OPTIONAL, type,		\
			     common.also_requires, &rp_string_entry, 1,	\
			     CYAML_UNLIMITED)

/* The mapping schema of a module's rule struct TYPE with FIELDS. */
#define RP_RULE_SCHEMA(type, fields)					\
	{ CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, type, fields) }

/* The module's struct around a loaded rule. */
#define rp_rule_of(ptr, type)						\
	((const type *)((const char *)(ptr) - offsetof(type, common)))

/* Set *ERR to one line; returns -1 (for the modules' validate()). */
int rp_error(char **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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
/*
 * Directory of the rule pack: the install layout's (../share/ccgate/rules
 * from the binary), else next to the binary, else the install prefix's.
 */
char *rulepack_default_dir(const char *argv0);
/* Is S one of the N strings of a rule-pack list? */
bool rp_list_has(char *const *v, unsigned n, const char *s);
/* Is PATH (relative to the tree root) excluded by the rule's scope? */
bool rp_rule_excludes(const struct rp_rule *rule, const char *relpath);

#endif
