/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_FINDING_H
#define CCGATE_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "udiff.h"

struct ccg_note {
	char *file;	/* relative to the tree root */
	unsigned line, col;
	char *text;
};

/* The backends a sweep runs (--engine) and that found a finding. */
#define CCG_BACKEND_CLANG (1u << 0)
#define CCG_BACKEND_COCCI (1u << 1)
#define CCG_BACKEND_BOTH (CCG_BACKEND_CLANG | CCG_BACKEND_COCCI)

/*
 * A rule's extra finding fields (vc-svm-opcodes' "missing" and "wrong"):
 * named lists of names, declared by its module (ccg_engine.lists), kept in
 * that order, rendered under their key.  IDENTITY lists are part of the
 * finding's fingerprint.
 */
struct ccg_list_field {
	const char *key;
	bool identity;
};

struct ccg_flist {
	char *key;
	bool identity;
	struct strlist v;
};

struct ccg_finding {
	char *rule;
	enum ccg_severity severity;
	char *file;	/* relative to the tree root, forward slashes */
	unsigned line, col;
	char *function;
	char *message;
	/* a mail's subject after its prefix, or NULL: the rule's summary */
	char *summary;
	struct ccg_note *notes;
	size_t nr_notes, alloc_notes;
	struct ccg_flist *lists;	/* the rule's extra fields */
	size_t nr_lists;
	struct udiff *patch;	/* the fix, or NULL (udiff.h renders it) */
	unsigned backends;	/* CCG_BACKEND_* that found it; 0: not tracked */
	struct strlist units;	/* the units that reported it (triage.h) */
	json_t *triage;		/* the triage record (triage.h), or NULL */
};

struct ccg_findings {
	struct ccg_finding *v;
	size_t nr, alloc;
};

#define CCG_FINDINGS_INIT { NULL, 0, 0 }

/* Append a zeroed finding and return it; the list owns it. */
struct ccg_finding *findings_add(struct ccg_findings *list);
void finding_add_note(struct ccg_finding *f, const char *file, unsigned line,
		      unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Add the (empty) lists FIELDS declares to F, in their order. */
void finding_add_lists(struct ccg_finding *f, const struct ccg_list_field *fields);
/* F's list KEY, or NULL. */
struct strlist *finding_list(const struct ccg_finding *f, const char *key);
void finding_release(struct ccg_finding *f);
void findings_release(struct ccg_findings *list);
/* Move every finding of SRC to DST; SRC is left empty. */
void findings_move(struct ccg_findings *dst, struct ccg_findings *src);
/* Move SRC's findings to DST, each noting UNIT as a unit that reported it. */
void findings_move_unit(struct ccg_findings *dst, struct ccg_findings *src,
			const char *unit);
/* Sort by file, line, column, rule and drop exact duplicates. */
void findings_sort_unique(struct ccg_findings *list);

/*
 * A file name as a JSON string.  JSON holds only UTF-8: bytes that are not
 * valid UTF-8 are written as "\\xNN", as the text output writes them, so a
 * finding in such a file is never dropped.
 */
json_t *json_path(const char *path);
/*
 * Set KEY of O to PATH; a name that is not UTF-8 also gets KEY_bytes, the
 * exact bytes percent-encoded (as SARIF's URIs spell them), which
 * json_get_path() decodes: the pool's wire and the JSON output lose nothing.
 */
void json_set_path(json_t *o, const char *key, const char *path);
/* KEY of O as set by json_set_path(), exact bytes; NULL if absent. */
char *json_get_path(json_t *o, const char *key);
/* Percent-encode every byte of S but unreserved ASCII and '/' (RFC 3986). */
void path_percent_encode(struct strbuf *sb, const char *s);

/* The JSON contract of DESIGN.md: the patch rendered as diff text. */
json_t *finding_to_json(const struct ccg_finding *f);
/*
 * The same with PATCH (taken; NULL: null) as "patch": the worker's wire
 * (wire.c) sends the hunks themselves.
 */
json_t *finding_to_json_patch(const struct ccg_finding *f, json_t *patch);
/* Returns 0, or -1 if OBJ is not a finding; the patch is the wire's. */
int finding_from_json(struct ccg_finding *f, json_t *obj);

#endif
