// SPDX-License-Identifier: GPL-2.0-only
/*
 * cc-virt-gate, the fix: the guard as a new, aligned continuation line of
 * the condition (|| for a negated test, && for a positive one), and the
 * #include that declares it when the unit does not.  See cc-virt-gate.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cc-virt-gate.h"
#include "fix.h"
#include "toolkit.h"
#include "banned.h"

/* The fix: the guard as a new, aligned continuation line of the condition. */
void cvg_make_patch(struct ccg_unit *u, const struct cvg_rule *rule,
		    const struct ccg_func *fn, const struct cvg_context *c,
		    struct cvg_site *site)
{
	struct ccg_fix fix = CCG_FIX_INIT;
	struct strbuf ins = STRBUF_INIT;
	const struct ccg_token *first = &fn->toks[c->expr_lo];
	const struct ccg_token *last = &fn->toks[c->fix_at - 1];
	bool negated = c->kind == CVG_NEG_EXIT || c->kind == CVG_NEG_EXIT_PRED ||
		       c->kind == CVG_RETURN_NEG_PRED;
	bool wrap = negated ? c->op == '&' : c->op == '|';
	/* continuation lines align with the expression: the line's tabs, then spaces */
	unsigned align = first->col - 1, tabs = 0;
	const char *line = fn->file->text + first->offset - align;

	while (tabs < align && line[tabs] == '\t')
		tabs++;
	if (wrap)
		strbuf_addch(&ins, ')');
	strbuf_addf(&ins, " %s\n", negated ? "||" : "&&");
	for (unsigned i = 0; i < align; i++)
		strbuf_addch(&ins, i < tabs ? '\t' : ' ');
	strbuf_addstr(&ins, negated ? rule->fix->negated : rule->fix->positive);
	if (wrap)
		ccg_fix_add(&fix, fn->file, first->offset, 0, "(");
	ccg_fix_add(&fix, fn->file, last->offset + strlen(last->text), 0, ins.buf);
	bool declared = unit_declares(u, rule->fix->include_decl);

	if (!declared && !u->incomplete) {
		if (fix_include_edit(ccg_fix_edits(&fix, fn->file), fn->file->text, fn->file->len,
				     rule->fix->include) < 0)
			site->fix_note = xstrdup("the file has no #include block; the patch adds no include");
	} else if (!declared) {
		struct strbuf n = STRBUF_INIT;

		strbuf_addf(&n, "the parse was incomplete, so the patch adds no '#include <%s>'; add it if '%s' is not declared",
			    rule->fix->include, rule->fix->include_decl);
		site->fix_note = strbuf_detach(&n);
	}
	site->patch = unit_fix_diff(u, &fix);
	strbuf_release(&ins);
	ccg_fix_release(&fix);
}
