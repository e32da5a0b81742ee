/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_REGISTRY_H
#define CCGATE_REGISTRY_H

#include <stddef.h>

struct ccg_engine;

enum ccg_rule_nr {
#define RULE(sym, id) CCG_RULE_##sym,
#include "rules.def"
#undef RULE
	CCG_RULE_NR
};

/* Rule ids in registry order. */
extern const char *const ccg_rule_ids[CCG_RULE_NR];

#define RULE(sym, id) const struct ccg_engine *sym##_engine(void);
#include "rules.def"
#undef RULE

const struct ccg_engine *ccg_engine_get(enum ccg_rule_nr nr);
/* Returns the rule's number, or -1 for an unknown id. */
int ccg_rule_lookup(const char *id);

#endif
