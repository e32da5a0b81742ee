/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_EXPAND_H
#define CCGATE_EXPAND_H

#include "strbuf.h"

struct expand_var {
	const char *name;
	const char *value;
};

/*
 * Expand "{name}" placeholders of a rule-pack message template.  Unknown
 * names are kept as written, so a typo in a rule file shows in the output.
 */
void expand_template(struct strbuf *out, const char *tmpl,
		     const struct expand_var *vars, size_t nr);

#endif
