// SPDX-License-Identifier: GPL-2.0-only
#include "expand.h"

#include <string.h>

#include "banned.h"

void expand_template(struct strbuf *out, const char *tmpl,
		     const struct expand_var *vars, size_t nr)
{
	const char *p = tmpl;

	while (*p) {
		const char *open = strchr(p, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		size_t i;

		if (!open || !close) {
			strbuf_addstr(out, p);
			return;
		}
		strbuf_add(out, p, (size_t)(open - p));
		for (i = 0; i < nr; i++) {
			size_t n = strlen(vars[i].name);

			if ((size_t)(close - open - 1) == n &&
			    !strncmp(open + 1, vars[i].name, n)) {
				strbuf_addstr(out, vars[i].value);
				break;
			}
		}
		if (i == nr)
			strbuf_add(out, open, (size_t)(close - open + 1));
		p = close + 1;
	}
}
