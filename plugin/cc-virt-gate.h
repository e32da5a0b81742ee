/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_CC_VIRT_GATE_H
#define CCGATE_CC_VIRT_GATE_H

#include "rulepack.h"

/* rules/cc-virt-gate.yaml beyond the common header (see that file). */

struct cvg_feature {
	char *name;
	enum ccg_severity severity;
	bool enabled;
};

struct cvg_tester {
	char *name;
	unsigned arg;
};

struct cvg_guard {
	char *function;
	char *arg;
};

struct cvg_fix {
	char *include;
	char *include_decl;
	char *negated;
	char *positive;
};

struct cvg_rule {
	struct rp_rule common;
	struct cvg_feature *features;
	unsigned features_count;
	struct cvg_tester *testers;
	unsigned testers_count;
	struct cvg_guard *guards;
	unsigned guards_count;
	char **enablers;
	unsigned enablers_count;
	struct cvg_fix *fix;
};

#endif
