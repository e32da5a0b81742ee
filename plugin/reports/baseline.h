/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_BASELINE_H
#define CCGATE_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "fingerprint.h"
#include "strbuf.h"

/*
 * The baseline: a reviewed, committed JSON file of accepted findings, each
 * with the reason it is accepted:
 *
 *   {"ccgate-baseline": 1,
 *    "accepted": [{"rule": "cc-virt-gate",
 *                  "file": "arch/x86/include/asm/virtext.h",
 *                  "function": "cpu_has_svm",
 *                  "expression": "boot_cpu_has(X86_FEATURE_SVM)",
 *                  "reason": "KVM's caller checks the guard"}]}
 *
 * Entries match findings by fingerprint (rule, file, function, expression),
 * never by line, so they survive unrelated edits.
 */
struct baseline_entry {
	struct fp_key key;
	char *reason;
	bool used;
};

struct baseline {
	char *path;
	struct baseline_entry *v;
	size_t nr, alloc;
};

#define BASELINE_INIT { NULL, NULL, 0, 0 }

/* Returns 0, or -1 with one line in *err (the file is missing or malformed). */
int baseline_load(struct baseline *b, const char *path, char **err);
/* The same from TEXT, PATH naming it in messages (no I/O; the fuzzer's). */
int baseline_parse(struct baseline *b, const char *path, const char *text,
		   size_t len, char **err);
void baseline_release(struct baseline *b);

/*
 * Drop from LIST (and KEYS, index for index) every finding an unused entry
 * accepts, marking the entry used.  Returns how many were dropped.
 */
size_t baseline_filter(struct baseline *b, struct ccg_findings *list,
		       struct fp_keys *keys);

/*
 * One warning line on OUT per entry that matched nothing; with FILES, only
 * entries whose file is in FILES (what the run analyzed) can be stale.
 * Returns the number of stale entries.
 */
size_t baseline_report_stale(const struct baseline *b,
			     const struct strlist *files, FILE *out);

/*
 * Write KEYS as the baseline PATH, keeping the reason of each entry of OLD
 * (may be NULL) that still matches and giving REASON to the others.
 * Returns -1 after printing an error.
 */
int baseline_write(const char *path, const struct fp_keys *keys,
		   const struct baseline *old, const char *reason);

#endif
