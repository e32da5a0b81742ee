// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "registry.h"
#include "banned.h"

int cmd_rules(struct ccg_cli *cli)
{
	if (cli->paths.nr != 1 || strcmp(cli->paths.v[0], "list"))
		die("usage: ccgate rules list [--rules DIR]");
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = cli->rp.rules[r];

		printf("%-16s %-8s %-8s %s\n", rule->id,
		       ccg_severity_name(rule->severity),
		       cli->ctx.unit.enabled[r] ? "enabled" : "disabled",
		       rule->summary);
	}
	return 0;
}
