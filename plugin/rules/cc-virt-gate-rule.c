// SPDX-License-Identifier: GPL-2.0-only
/*
 * cc-virt-gate, the rule file: rules/cc-virt-gate.yaml beyond the common
 * header and its checks, and the kbuild slot's text prefilter.
 */
#include <cyaml/cyaml.h>
#include <stdlib.h>
#include <string.h>

#include "cc-virt-gate.h"
#include "toolkit.h"
#include "banned.h"

/*
 * A test is a tester (or a function-like macro of the file) called with
 * the feature bit, or a macro whose replacement holds the bit.  So a file
 * can hold a finding only if some occurrence of an enabled feature sits on
 * a '#' line or inside the parentheses of such a call: KVM's
 * guest_cpuid_has(vcpu, X86_FEATURE_SVM), feature tables and
 * X86_MATCH_FEATURE() are not tests.
 */
bool cvg_text_may_report(const struct rp_rule *rp, const char *text,
			 size_t len)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);

	for (unsigned f = 0; f < rule->features_count; f++) {
		const char *feat = rule->features[f].name, *p = text;
		const char *end = text + len;
		size_t fn = strlen(feat);

		if (!rule->features[f].enabled)
			continue;
		while ((p = memmem(p, (size_t)(end - p), feat, fn))) {
			const char *q = p, *name_end, *name;
			int depth = 0;

			p += fn;
			/* a '#' line: a macro of the file may wrap the test */
			for (name = q; name > text && name[-1] != '\n'; name--)
				;
			while (name < q && (*name == ' ' || *name == '\t'))
				name++;
			if (*name == '#')
				return true;
			/* the innermost unclosed '(' of the statement */
			while (q > text && q[-1] != ';' && q[-1] != '{' &&
			       q[-1] != '}') {
				q--;
				if (*q == ')')
					depth++;
				else if (*q == '(' && depth-- == 0)
					break;
			}
			if (q == text || *q != '(')
				continue;
			name_end = q;
			while (name_end > text && (name_end[-1] == ' ' ||
						   name_end[-1] == '\t'))
				name_end--;
			for (name = name_end; name > text && text_is_ident_char(name[-1]); name--)
				;
			if (name == name_end)
				continue;
			for (unsigned t = 0; t < rule->testers_count; t++)
				if (strlen(rule->testers[t].name) == (size_t)(name_end - name) &&
				    !memcmp(rule->testers[t].name, name,
					    (size_t)(name_end - name)))
					return true;
			if (text_defines_macro(text, len, name, (size_t)(name_end - name)))
				return true;
		}
	}
	return false;
}

static const cyaml_schema_field_t feature_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct cvg_feature,
			       name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("severity", CYAML_FLAG_DEFAULT, struct cvg_feature,
			 severity, rp_severity_strings,
			 CYAML_ARRAY_LEN(rp_severity_strings)),
	CYAML_FIELD_ENUM("enabled", CYAML_FLAG_STRICT, struct cvg_feature,
			 enabled, rp_bool_strings, CYAML_ARRAY_LEN(rp_bool_strings)),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t feature_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_feature,
			    feature_fields),
};

static const cyaml_schema_field_t tester_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct cvg_tester,
			       name, 1, CYAML_UNLIMITED),
	CYAML_FIELD_UINT("arg", CYAML_FLAG_DEFAULT, struct cvg_tester, arg),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t tester_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_tester,
			    tester_fields),
};

static const cyaml_schema_field_t guard_fields[] = {
	CYAML_FIELD_STRING_PTR("function", CYAML_FLAG_POINTER, struct cvg_guard,
			       function, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("arg", CYAML_FLAG_POINTER, struct cvg_guard,
			       arg, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t guard_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct cvg_guard, guard_fields),
};

static const cyaml_schema_field_t fix_fields[] = {
	CYAML_FIELD_STRING_PTR("include", CYAML_FLAG_POINTER, struct cvg_fix,
			       include, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("include_decl", CYAML_FLAG_POINTER,
			       struct cvg_fix, include_decl, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("negated", CYAML_FLAG_POINTER, struct cvg_fix,
			       negated, 1, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("positive", CYAML_FLAG_POINTER, struct cvg_fix,
			       positive, 1, CYAML_UNLIMITED),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t rule_fields[] = {
	RP_RULE_FIELDS(struct cvg_rule),
	CYAML_FIELD_SEQUENCE("features", RP_OPTIONAL, struct cvg_rule, features,
			     &feature_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("testers", RP_OPTIONAL, struct cvg_rule, testers,
			     &tester_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("guards", RP_OPTIONAL, struct cvg_rule, guards,
			     &guard_entry, 1, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("enablers", RP_OPTIONAL, struct cvg_rule, enablers,
			     &rp_string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_MAPPING_PTR("fix", RP_OPTIONAL, struct cvg_rule, fix,
				fix_fields),
	CYAML_FIELD_END
};

const cyaml_schema_value_t cvg_rule_schema =
	RP_RULE_SCHEMA(struct cvg_rule, rule_fields);

int cvg_validate(const struct rp_rule *rp, const char *path, char **err)
{
	const struct cvg_rule *rule = rp_rule_of(rp, struct cvg_rule);

	if (!rule->features || !rule->testers || !rule->guards || !rule->fix)
		return rp_error(err, "%s: rule '%s' needs the fields 'features', 'testers', 'guards' and 'fix'",
				path, rp->id);
	for (unsigned i = 0; i < rule->testers_count; i++)
		if (rule->testers[i].arg > 7)
			return rp_error(err, "%s: field 'testers[%u].arg': %u is not an argument position",
					path, i, rule->testers[i].arg);
	return 0;
}
