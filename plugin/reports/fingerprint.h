/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_FINGERPRINT_H
#define CCGATE_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "finding.h"
#include "overlay.h"

/*
 * What identifies a finding across versions of a tree: its rule, file,
 * function and the tested expression at its location with all white space
 * removed.  Line and column are left out, so a finding keeps its identity
 * when code above it moves; the message is left out, so rewording the rule
 * pack does not make a baseline stale.
 */
struct fp_key {
	char *rule;
	char *file;
	char *function;		/* "" outside a function */
	char *expr;
};

/*
 * Fill KEY for F, reading the text of F's file from OVERLAY (by ROOT/file)
 * or else from the tree under ROOT.
 */
void fp_key_init(struct fp_key *key, const struct ccg_finding *f,
		 const char *root, const struct overlay *overlay);
void fp_key_release(struct fp_key *key);
bool fp_key_equal(const struct fp_key *a, const struct fp_key *b);
/* A stable 64-bit hash of the key (FNV-1a), e.g. for SARIF fingerprints. */
uint64_t fp_key_hash(const struct fp_key *key);

/* The keys of a list of findings, index for index. */
struct fp_keys {
	struct fp_key *v;
	size_t nr;
};

void fp_keys_init(struct fp_keys *keys, const struct ccg_findings *list,
		  const char *root, const struct overlay *overlay);
void fp_keys_release(struct fp_keys *keys);

/*
 * Match A against B as multisets of keys: a_matched[i] / b_matched[j] say
 * whether A's i-th / B's j-th key has a partner (arrays of A->nr / B->nr).
 */
void fp_keys_match(const struct fp_keys *a, const struct fp_keys *b,
		   bool *a_matched, bool *b_matched);

#endif
