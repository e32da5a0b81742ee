// SPDX-License-Identifier: GPL-2.0-only
/* A rule file's YAML (libcyaml and the checks after it), for each rule id. */
#include <stdlib.h>

#include "fuzz.h"
#include "registry.h"
#include "rulepack.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < CCG_RULE_NR; i++) {
		struct rp_rule *rule = NULL;
		char *err = NULL;

		if (!rulepack_parse_rule("fuzz.yaml", ccg_rule_ids[i],
					 (const char *)data, size, &rule,
					 &err)) {
			rp_rule_excludes(rule, "arch/x86/kvm/svm/svm.c");
			rp_list_has(rule->triggers, rule->triggers_count,
				    "boot_cpu_has");
		}
		rulepack_rule_free(rule);
		free(err);
	}
	return 0;
}
