/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_DIAG_H
#define CCGATE_DIAG_H

#include <stdio.h>

enum ccg_severity {
	CCG_SEV_NOTE,
	CCG_SEV_WARNING,
	CCG_SEV_ERROR,
};

struct strbuf;

const char *ccg_severity_name(enum ccg_severity sev);
/* Returns 0 and sets *sev, or -1 for an unknown name. */
int ccg_severity_parse(const char *name, enum ccg_severity *sev);

/*
 * The one place that formats what the user reads:
 * "path:line:col: severity: message [rule]".  A NULL path prints the program
 * name instead; line 0 omits line and column; a NULL rule omits the tag.
 * Control characters in the path are escaped so nothing reaches a terminal
 * raw.
 */
void ccg_report(FILE *out, const char *path, unsigned line, unsigned col,
		enum ccg_severity sev, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/*
 * The kbuild slot's -fdiagnostic-prefix[=X], as sparse has it: every line
 * after this reads "path:line:col: PREFIX: severity: ...".  Set once,
 * before the first report (a frozen option); NULL: none.
 */
void ccg_set_diag_prefix(const char *prefix);

/* S with control characters as \xNN, as ccg_report() writes it, to SB. */
void diag_add_escaped(struct strbuf *sb, const char *s);

/* Usage and input errors: one line on stderr, exit status 2. */
void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void die_oom(void) __attribute__((noreturn));
/* A non-fatal error line on stderr. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning line on stderr: the run goes on, with less than it wanted. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Programmer errors only. */
#define BUG_ON(cond) \
	do { \
		if (cond) \
			ccg_bug(__FILE__, __LINE__, #cond); \
	} while (0)
void ccg_bug(const char *file, int line, const char *what)
	__attribute__((noreturn));

#endif
