// SPDX-License-Identifier: GPL-2.0-only
/*
 * vc-svm-opcodes, the rule file: rules/vc-svm-opcodes.yaml beyond the
 * common header, its checks, and the rule's extra finding fields.
 */
#include <cyaml/cyaml.h>
#include <stdlib.h>
#include <string.h>

#include "toolkit.h"
#include "vc-svm-opcodes.h"
#include "banned.h"

/* The extra finding fields: the exit codes without a case, with wrong bytes. */
const struct ccg_list_field vso_lists[] = {
	{ "missing", false },
	{ "wrong", true },
	{ NULL, false },
};

static const cyaml_schema_field_t insn_fields[] = {
	CYAML_FIELD_STRING_PTR("mnemonic", CYAML_FLAG_POINTER, struct vso_insn,
			       mnemonic, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("exit_code", CYAML_FLAG_POINTER, struct vso_insn,
			       exit_code, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("opcode", CYAML_FLAG_POINTER, struct vso_insn,
			     opcode, &rp_uint_entry, 1, 3),
	CYAML_FIELD_UINT("modrm", CYAML_FLAG_DEFAULT, struct vso_insn, modrm),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t insn_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct vso_insn, insn_fields),
};

static const cyaml_schema_field_t rule_fields[] = {
	RP_RULE_FIELDS(struct vso_rule),
	CYAML_FIELD_SEQUENCE("instructions", RP_OPTIONAL, struct vso_rule,
			     instructions, &insn_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("validators", RP_OPTIONAL, struct vso_rule,
			     validators, &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("dispatchers", RP_OPTIONAL, struct vso_rule,
			     dispatchers, &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("intercepted", RP_OPTIONAL, struct vso_rule,
			     intercepted, &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("exit_prefix", RP_OPTIONAL, struct vso_rule,
			       exit_prefix, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("missing_message", RP_OPTIONAL, struct vso_rule,
			       missing_message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("wrong_message", RP_OPTIONAL, struct vso_rule,
			       wrong_message, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("wrong_summary", RP_OPTIONAL, struct vso_rule,
			       wrong_summary, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

const cyaml_schema_value_t vso_rule_schema =
	RP_RULE_SCHEMA(struct vso_rule, rule_fields);

int vso_validate(const struct rp_rule *rp, const char *path, char **err)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);

	if (!rule->instructions || !rule->exit_prefix ||
	    !rule->missing_message || !rule->wrong_message)
		return rp_error(err, "%s: rule '%s' needs the fields 'instructions', 'exit_prefix', 'missing_message' and 'wrong_message'",
				path, rp->id);
	for (unsigned i = 0; i < rule->instructions_count; i++) {
		const struct vso_insn *in = &rule->instructions[i];

		if (in->modrm > 0xff)
			return rp_error(err, "%s: field 'instructions[%u].modrm': 0x%x is not a byte",
					path, i, in->modrm);
		for (unsigned j = 0; j < in->opcode_count; j++)
			if (in->opcode[j] > 0xff)
				return rp_error(err, "%s: field 'instructions[%u].opcode': 0x%x is not a byte",
						path, i, in->opcode[j]);
	}
	return 0;
}

/* The literal text of TMPL between "{function}" and the next placeholder. */
static char *template_key(const char *tmpl)
{
	const char *p = tmpl ? strstr(tmpl, "{function}") : NULL;
	const char *end;

	if (!p)
		return NULL;
	p += strlen("{function}");
	end = strchr(p, '{');
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* A wrong-bytes finding's subject: wrong_summary for the row of CODE. */
static void wrong_summary(const struct vso_rule *rule, struct ccg_finding *f,
			  const char *code)
{
	struct strbuf sb = STRBUF_INIT;

	for (unsigned i = 0; rule->wrong_summary && !f->summary &&
	     i < rule->instructions_count; i++) {
		const struct vso_insn *row = &rule->instructions[i];
		const struct expand_var vars[] = {
			{ "function", f->function },
			{ "exit_code", row->exit_code },
			{ "mnemonic", row->mnemonic },
		};

		if (strcmp(row->exit_code, code))
			continue;
		expand_template(&sb, rule->wrong_summary, vars, ARRAY_SIZE(vars));
		f->summary = strbuf_detach(&sb);
	}
}

/*
 * The twin's message only: its quoted exit codes go to a list, and a
 * wrong-bytes finding gets its subject.
 */
void vso_lists_from_message(const struct rp_rule *rp,
			    struct ccg_finding *f)
{
	const struct vso_rule *rule = rp_rule_of(rp, struct vso_rule);
	char *wrong_key = template_key(rule->wrong_message);
	const char *prefix = rule->exit_prefix;
	struct strlist *l;
	const char *p;
	bool wrong;

	if (!prefix || !*prefix) {
		free(wrong_key);
		return;
	}
	finding_add_lists(f, vso_lists);
	wrong = wrong_key && *wrong_key && strstr(f->message, wrong_key);
	l = finding_list(f, wrong ? "wrong" : "missing");
	free(wrong_key);
	for (p = f->message; (p = strchr(p, '\'')); ) {
		const char *end = strchr(p + 1, '\'');

		if (!end)
			break;
		if (!strncmp(p + 1, prefix, strlen(prefix))) {
			char *code = xstrndup(p + 1, (size_t)(end - p - 1));

			if (!strlist_has(l, code))
				strlist_push(l, code);
			free(code);
		}
		p = end + 1;
	}
	if (wrong && l->nr)
		wrong_summary(rule, f, l->v[0]);
}
