// SPDX-License-Identifier: GPL-2.0-only
/* Predicates across files: the plan of the second pass, and the verdict. */
#include "xpred.h"

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "banned.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool sorted_has(const struct strlist *l, const char *s)
{
	return l && l->nr &&
	       bsearch(&s, l->v, l->nr, sizeof(*l->v), cmp_str) != NULL;
}

/* NAME, defined in a header, is a predicate of RULE. */
static void add_header_name(struct xpred_plan *p, int rule, const char *name)
{
	if (!strlist_has(&p->names, name))
		strlist_push(&p->names, name);
	if (!strlist_has(&p->header_names, name)) {
		p->header_rules[p->header_names.nr] = rule;
		strlist_push(&p->header_names, name);
	}
}

size_t xpred_plan_init(struct xpred_plan *p, const struct rulepack *rp,
		       const struct ccg_file_result *res, size_t n,
		       const struct strlist *candidates,
		       const struct strlist *macros)
{
	size_t nx = 0;

	memset(p, 0, sizeof(*p));
	p->rp = rp;
	p->candidates = candidates;
	for (size_t i = 0; i < n; i++)
		nx += res[i].nr_xpreds;
	for (int r = 0; macros && r < CCG_RULE_NR; r++)
		nx += macros[r].nr;
	p->header_rules = xcalloc(nx + 1, sizeof(*p->header_rules));
	p->extern_rules = xcalloc(nx + 1, sizeof(*p->extern_rules));
	for (int r = 0; macros && r < CCG_RULE_NR; r++)
		for (size_t k = 0; k < macros[r].nr; k++)
			add_header_name(p, r, macros[r].v[k]);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].nr_xpreds; k++) {
			const struct ccg_xpred *x = &res[i].xpreds[k];
			struct strbuf rec = STRBUF_INIT;

			if (x->in_header) {
				add_header_name(p, x->rule, x->name);
				continue;
			}
			if (!strlist_has(&p->names, x->name))
				strlist_push(&p->names, x->name);
			strbuf_addf(&rec, "%s\t%s\t%s\t%u\t%u",
				    ccg_rule_ids[x->rule], x->name, x->file,
				    x->line, x->col);
			if (!strlist_has(&p->externs, rec.buf)) {
				p->extern_rules[p->externs.nr] = x->rule;
				strlist_push(&p->externs, rec.buf);
				strlist_push(&p->extern_names, x->name);
				strlist_push(&p->extern_files, x->file);
			}
			strbuf_release(&rec);
		}
	if (p->names.nr)
		qsort(p->names.v, p->names.nr, sizeof(*p->names.v), cmp_str);
	return p->names.nr;
}

void xpred_plan_release(struct xpred_plan *p)
{
	strlist_release(&p->names);
	strlist_release(&p->header_names);
	strlist_release(&p->externs);
	strlist_release(&p->extern_names);
	strlist_release(&p->extern_files);
	free(p->header_rules);
	free(p->extern_rules);
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Does TEXT hold NAME as a whole identifier? */
static bool names(const char *text, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *p = text, *end = text + len;

	while ((p = memmem(p, (size_t)(end - p), name, n))) {
		bool before = p > text && ident_char(p[-1]);
		bool after = p + n < end && ident_char(p[n]);

		p += n;
		if (!before && !after)
			return true;
	}
	return false;
}

bool xpred_wants(void *plan, const char *relpath, const char *text, size_t len)
{
	const struct xpred_plan *p = plan;
	size_t rl = strlen(relpath);
	bool parsed;

	if (rl < 2 || strcmp(relpath + rl - 2, ".c"))
		return false;
	parsed = sorted_has(p->candidates, relpath);
	for (size_t i = 0; i < p->extern_names.nr; i++)
		if (strcmp(p->extern_files.v[i], relpath) &&
		    !rp_rule_excludes(p->rp->rules[p->extern_rules[i]], relpath) &&
		    names(text, len, p->extern_names.v[i]))
			return true;
	for (size_t i = 0; !parsed && i < p->header_names.nr; i++)
		if (!rp_rule_excludes(p->rp->rules[p->header_rules[i]], relpath) &&
		    names(text, len, p->header_names.v[i]))
			return true;
	return false;
}

static bool is_lone_note(const struct ccg_note *n, const char *name)
{
	size_t len = strlen(name);

	return n->text[0] == '\'' && !strncmp(n->text + 1, name, len) &&
	       !strcmp(n->text + 1 + len, "' has external linkage and no caller in this unit checks the guard");
}

static int cmp_xcall(const void *a, const void *b)
{
	const struct ccg_xcall *x = *(const struct ccg_xcall *const *)a;
	const struct ccg_xcall *y = *(const struct ccg_xcall *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static struct ccg_finding *find_finding(struct ccg_findings *list,
					const struct ccg_xpred *x)
{
	for (size_t i = 0; i < list->nr; i++) {
		struct ccg_finding *f = &list->v[i];

		if (!strcmp(f->rule, ccg_rule_ids[x->rule]) &&
		    !strcmp(f->file, x->file) && f->line == x->line &&
		    f->col == x->col)
			return f;
	}
	return NULL;
}

static void judge_one(const struct ccg_xpred *x, const struct ccg_file_result *res,
		      size_t n, struct ccg_findings *findings)
{
	const struct ccg_xcall **calls = NULL;
	size_t nr = 0, alloc = 0, unguarded = 0;
	struct ccg_finding *f = find_finding(findings, x);

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].nr_xcalls; k++) {
			const struct ccg_xcall *c = &res[i].xcalls[k];

			if (c->rule != x->rule || strcmp(c->name, x->name))
				continue;
			ALLOC_GROW(calls, nr, alloc);
			calls[nr++] = c;
			unguarded += !c->guarded;
		}
	if (!f || !nr) {
		free(calls);
		return;
	}
	qsort(calls, nr, sizeof(*calls), cmp_xcall);
	if (x->lone) {
		size_t out = 0;

		/* the callers elsewhere decide, not the lack of one here */
		for (size_t k = 0; k < f->nr_notes; k++) {
			if (is_lone_note(&f->notes[k], x->name)) {
				free(f->notes[k].file);
				free(f->notes[k].text);
				continue;
			}
			f->notes[out++] = f->notes[k];
		}
		f->nr_notes = out;
		if (!unguarded) {
			size_t at = (size_t)(f - findings->v);

			finding_release(f);
			memmove(f, f + 1, (findings->nr - at - 1) * sizeof(*f));
			findings->nr--;
			free(calls);
			return;
		}
	}
	for (size_t k = 0; k < nr; k++) {
		const struct ccg_xcall *c = calls[k];
		bool dup = false;

		if (c->guarded || (k && !cmp_xcall(&calls[k - 1], &calls[k])))
			continue;
		for (size_t j = 0; j < f->nr_notes && !dup; j++)
			dup = f->notes[j].file && !strcmp(f->notes[j].file, c->file) &&
			      f->notes[j].line == c->line && f->notes[j].col == c->col;
		if (!dup)
			finding_add_note(f, c->file, c->line, c->col,
					 "'%s' is called from '%s' without checking the guard",
					 c->name, c->caller);
	}
	free(calls);
}

void xpred_judge(const struct ccg_file_result *res, size_t n,
		 struct ccg_findings *findings)
{
	struct strlist done = STRLIST_INIT;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].nr_xpreds; k++) {
			const struct ccg_xpred *x = &res[i].xpreds[k];
			struct strbuf key = STRBUF_INIT;

			strbuf_addf(&key, "%d\t%s\t%s\t%u\t%u", x->rule, x->name,
				    x->file, x->line, x->col);
			if (!x->in_header && !strlist_has(&done, key.buf)) {
				strlist_push(&done, key.buf);
				judge_one(x, res, n, findings);
			}
			strbuf_release(&key);
		}
	strlist_release(&done);
}

static bool same_note(const struct ccg_note *m, const struct ccg_note *n)
{
	return !strcmp(m->text, n->text) && m->line == n->line &&
	       m->col == n->col &&
	       (m->file ? n->file && !strcmp(m->file, n->file) : !n->file);
}

void xpred_merge_notes(const struct ccg_file_result *res, size_t n,
		       struct ccg_findings *findings)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < res[i].nr_xpreds; k++) {
			const struct ccg_xpred *x = &res[i].xpreds[k];
			struct ccg_finding *first = NULL;

			if (!x->in_header)
				continue;
			/* gather every unit's notes in the first, then copy back */
			for (int pass = 0; pass < 2; pass++)
				for (size_t f = 0; f < findings->nr; f++) {
					struct ccg_finding *g = &findings->v[f];
					struct ccg_finding *to = pass ? g : first;
					const struct ccg_finding *from = pass ? first : g;

					if (strcmp(g->rule, ccg_rule_ids[x->rule]) ||
					    strcmp(g->file, x->file) ||
					    g->line != x->line || g->col != x->col)
						continue;
					if (!first) {
						first = g;
						continue;
					}
					if (g == first)
						continue;
					for (size_t a = 0; a < from->nr_notes; a++) {
						bool dup = false;

						for (size_t b = 0; b < to->nr_notes && !dup; b++)
							dup = same_note(&to->notes[b], &from->notes[a]);
						if (!dup)
							finding_add_note(to, from->notes[a].file,
									 from->notes[a].line,
									 from->notes[a].col, "%s",
									 from->notes[a].text);
					}
				}
		}
}
