// SPDX-License-Identifier: GPL-2.0-only
/*
 * template: a call whose result is discarded, for the functions the rule
 * file lists (rules/template.yaml: cc_platform_has()).  Asking whether the
 * guest's memory is encrypted and ignoring the answer is a gate that
 * forgot to gate.
 *
 * The rule a new one copies (docs/writing-a-rule.md): a rule file with one
 * field of its own, a hook by callee name, one report.  It is disabled in
 * its rule file, so it changes nothing unless enabled.
 *
 * Known limits: a call in a macro's replacement is not seen; a result cast
 * to void is not reported (the idiom for "ignored on purpose").
 */
#include <cyaml/cyaml.h>
#include <stdlib.h>

#include "rulepack.h"
#include "toolkit.h"
#include "banned.h"

/* rules/template.yaml: the common header, then this rule's own field. */
struct template_rule {
	struct rp_rule common;
	char **functions;
	unsigned functions_count;
};

static const cyaml_schema_field_t rule_fields[] = {
	RP_RULE_FIELDS(struct template_rule),
	CYAML_FIELD_SEQUENCE("functions", CYAML_FLAG_POINTER,
			     struct template_rule, functions, &rp_string_entry,
			     1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t rule_schema =
	RP_RULE_SCHEMA(struct template_rule, rule_fields);

/* What the schema cannot say: the prefilter must let the calls through. */
static int template_validate(const struct rp_rule *rp, const char *path,
			     char **err)
{
	const struct template_rule *rule = rp_rule_of(rp, struct template_rule);

	for (unsigned i = 0; i < rule->functions_count; i++)
		if (!rp_list_has(rp->triggers, rp->triggers_count,
				 rule->functions[i]))
			return rp_error(err, "%s: field 'functions[%u]': '%s' is not one of the rule's triggers",
					path, i, rule->functions[i]);
	return 0;
}

/* The reasoning: a call that is a statement of its own. */
static void on_call(struct ccg_unit *u, const struct rp_rule *rule,
		    const struct ccg_func *fn, const struct ccg_call *call)
{
	char *text;

	if (!unit_reports_in(u, rule, fn->file) || !call_is_statement(fn, call))
		return;
	text = tok_join(fn, call->name, call->close);
	const struct expand_var vars[] = {
		{ "function", fn->name },
		{ "call", text },
	};
	unit_report(u, rule, &(struct ccg_report){
		.fn = fn, .at = &fn->toks[call->name],
		.vars = vars, .nr_vars = ARRAY_SIZE(vars),
	});
	free(text);
}

static void template_unit_begin(struct ccg_unit *u, const struct rp_rule *rp)
{
	const struct template_rule *rule = rp_rule_of(rp, struct template_rule);

	for (unsigned i = 0; i < rule->functions_count; i++)
		unit_add_call_hook(u, rp, rule->functions[i], on_call);
}

static const struct ccg_engine template = {
	.schema = &rule_schema,
	.validate = template_validate,
	.unit_begin = template_unit_begin,
};

const struct ccg_engine *template_engine(void)
{
	return &template;
}
