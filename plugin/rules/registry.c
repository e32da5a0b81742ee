// SPDX-License-Identifier: GPL-2.0-only
#include "registry.h"

#include <string.h>

#include "banned.h"

const char *const ccg_rule_ids[CCG_RULE_NR] = {
#define RULE(sym, id) [CCG_RULE_##sym] = id,
#include "rules.def"
#undef RULE
};

const struct ccg_engine *ccg_engine_get(enum ccg_rule_nr nr)
{
	switch (nr) {
#define RULE(sym, id) case CCG_RULE_##sym: return sym##_engine();
#include "rules.def"
#undef RULE
	default:
		return NULL;
	}
}

int ccg_rule_lookup(const char *id)
{
	for (int i = 0; i < CCG_RULE_NR; i++)
		if (!strcmp(ccg_rule_ids[i], id))
			return i;
	return -1;
}
