// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trigger-site accounting (see sites.h).  What counts as analyzed is what
 * the walk handed to the rule's engine: a site inside a function definition
 * that got a model (and whose extent holds no parse error), or inside a
 * macro definition that got one, for an engine with a macro hook.  The
 * reasons for the rest come from libclang: clang_getSkippedRanges() for
 * inactive preprocessor branches, the unit's top-level cursors for code
 * outside any function, its error diagnostics for code that did not parse.
 */
#include "sites.h"

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "banned.h"

/* The reasons another unit of the same file could change (site_may_be_live()) */
#define WHY_UNMODELED	"inside '%s', which the walk did not model"
#define WHY_INACTIVE	"in an inactive preprocessor branch"
#define WHY_NO_AST	"not in the AST"

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static int trigger_rule(const struct rulepack *rp, const bool *enabled,
			const char *tok, size_t len)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = rp->rules[r];

		if (!enabled[r])
			continue;
		for (unsigned i = 0; i < rule->triggers_count; i++) {
			const char *t = rule->triggers[i];
			size_t n = strlen(t);

			if (n > len || memcmp(tok, t, n))
				continue;
			if (n == len || t[n - 1] == '_')
				return r;
		}
	}
	return -1;
}

/* A quick test before the lexer: most texts hold no trigger at all. */
static bool any_trigger(const struct rulepack *rp, const bool *enabled,
			const char *text, size_t len)
{
	for (int r = 0; r < CCG_RULE_NR; r++)
		for (unsigned i = 0; enabled[r] && i < rp->rules[r]->triggers_count; i++)
			if (memmem(text, len, rp->rules[r]->triggers[i],
				   strlen(rp->rules[r]->triggers[i])))
				return true;
	return false;
}

void sites_scan(const struct rulepack *rp, const bool *enabled,
		const char *text, size_t len, site_fn fn, void *data)
{
	unsigned line = 1;
	size_t bol = 0, i = 0;
	char directive = 0;	/* of the current logical line */
	bool line_start = true;	/* only blanks so far on this logical line */

	if (!any_trigger(rp, enabled, text, len))
		return;
	while (i < len) {
		char c = text[i];

		if (c == '\n') {
			if (!(i > 0 && text[i - 1] == '\\'))
				directive = 0, line_start = true;
			line++;
			bol = ++i;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			i++;
			continue;
		}
		if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'); i++)
				if (text[i] == '\n')
					line++, bol = i + 1;
			i += 2;
			continue;
		}
		if (c == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && !(text[i] == '\n' && text[i - 1] != '\\'))
				i++;
			continue;
		}
		if (line_start && c == '#') {
			size_t k = i + 1;

			while (k < len && (text[k] == ' ' || text[k] == '\t'))
				k++;
			directive = len - k >= 6 && !memcmp(text + k, "define", 6) ?
				    'd' : '#';
		}
		line_start = false;
		if (c == '"' || c == '\'') {
			for (i++; i < len && text[i] != c && text[i] != '\n'; i++)
				if (text[i] == '\\' && i + 1 < len) {
					if (text[i + 1] == '\n')
						line++, bol = i + 2;
					i++;
				}
			i++;
			continue;
		}
		if (ident_start(c)) {
			size_t s = i;
			int r;

			while (i < len && ident_char(text[i]))
				i++;
			r = trigger_rule(rp, enabled, text + s, i - s);
			if (r >= 0)
				fn(data, r, text + s, i - s, (unsigned)s, line,
				   (unsigned)(s - bol + 1), directive);
			continue;
		}
		if (c >= '0' && c <= '9') {	/* pp-numbers: 0x1f, 1e5 */
			while (i < len && (ident_char(text[i]) || text[i] == '.'))
				i++;
			continue;
		}
		i++;
	}
}

/* An error diagnostic of the unit, located. */
struct site_diag {
	CXFile file;
	unsigned offset, line, col;
	char *text;
};

struct classify {
	struct ccg_unit *u;
	struct ccg_file *f;
	struct ccg_site_file *out;
	const struct site_diag *diags;
	size_t nr_diags;
	const struct ccg_extent **ext;	/* of F, by offset */
	size_t nr_ext;
	unsigned *skip;			/* of F: lo, hi, line_lo, line_hi */
	size_t nr_skip;
};

static char *cursor_name(CXCursor cur)
{
	CXString s = clang_getCursorSpelling(cur);
	char *name = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");

	clang_disposeString(s);
	return name;
}

static char *why_not(const struct classify *c, int rule, unsigned off,
		     char directive)
{
	const struct ccg_engine *e = ccg_engine_get(rule);
	const struct ccg_extent *in = NULL;
	struct strbuf sb = STRBUF_INIT;
	const struct site_diag *d;
	char *name;

	for (size_t i = 0; i < c->nr_ext; i++) {
		const struct ccg_extent *x = c->ext[i];

		if (x->lo > off)
			break;
		if (off >= x->hi)
			continue;
		/* a model wins over any other cursor around the site */
		if (!in || (x->model && !in->model))
			in = x;
	}
	if (in) {
		enum CXCursorKind kind = clang_getCursorKind(in->cursor);

		/*
		 * A model is what the engine saw, even when clang's recovery
		 * left holes in the function (the file's result says the
		 * parse was incomplete).
		 */
		if (kind == CXCursor_FunctionDecl && in->model &&
		    (e->function || unit_has_call_hooks(c->u, rule)))
			return NULL;
		if (kind == CXCursor_MacroDefinition && in->model && e->macro)
			return NULL;
		name = cursor_name(in->cursor);
		if (kind == CXCursor_MacroDefinition)
			strbuf_addf(&sb, "in the definition of macro '%s', which the %s engine does not read (it sees the macro where a function uses it)",
				    name, ccg_rule_ids[rule]);
		else if (kind == CXCursor_FunctionDecl && clang_isCursorDefinition(in->cursor))
			strbuf_addf(&sb, WHY_UNMODELED, name);
		else if (*name)
			strbuf_addf(&sb, "outside any function, in the declaration of '%s'", name);
		else
			strbuf_addstr(&sb, "outside any function");
		free(name);
		return strbuf_detach(&sb);
	}
	for (size_t i = 0; i < c->nr_skip; i++)
		if (c->skip[4 * i] <= off && off < c->skip[4 * i + 1]) {
			strbuf_addf(&sb, WHY_INACTIVE " (lines %u-%u)",
				    c->skip[4 * i + 2], c->skip[4 * i + 3]);
			return strbuf_detach(&sb);
		}
	if (directive == '#')
		return xstrdup("in a preprocessor directive");
	d = NULL;
	for (size_t i = 0; i < c->nr_diags; i++)
		if (c->diags[i].file == c->f->cxfile && c->diags[i].offset <= off)
			d = &c->diags[i];
	if (d) {
		strbuf_addf(&sb, WHY_NO_AST ": the code around it did not parse (last error before it at line %u:%u: %s)",
			    d->line, d->col, d->text);
	} else if (c->nr_diags) {
		CXString fname = clang_getFileName(c->diags[0].file);
		const char *s = clang_getCString(fname);
		const char *slash = s ? strrchr(s, '/') : NULL;

		strbuf_addf(&sb, WHY_NO_AST ": the code around it did not parse (first error of the unit at %s:%u:%u: %s)",
			    slash ? slash + 1 : s ? s : "?", c->diags[0].line,
			    c->diags[0].col, c->diags[0].text);
		clang_disposeString(fname);
	} else {
		strbuf_addstr(&sb, WHY_NO_AST);
	}
	return strbuf_detach(&sb);
}

/* A new site of SF; TOKEN and REASON (NULL: analyzed) are owned by it. */
static struct ccg_site *site_add(struct ccg_site_file *sf, int rule,
				 unsigned offset, unsigned line, unsigned col,
				 char *token, char *reason)
{
	struct ccg_site *s;

	ALLOC_GROW(sf->v, sf->nr, sf->alloc);
	s = &sf->v[sf->nr++];
	memset(s, 0, sizeof(*s));
	s->rule = rule;
	s->offset = offset;
	s->line = line;
	s->col = col;
	s->token = token;
	s->reason = reason;
	return s;
}

static void on_site(void *data, int rule, const char *tok, size_t len,
		    unsigned offset, unsigned line, unsigned col, char directive)
{
	struct classify *c = data;
	char *reason;

	if (rp_rule_excludes(c->u->rp->rules[rule], c->f->relpath))
		return;
	reason = why_not(c, rule, offset, directive);
	if (reason && !c->out->all) {
		free(reason);
		return;
	}
	site_add(c->out, rule, offset, line, col, xstrndup(tok, len), reason);
}

static int cmp_extent(const void *a, const void *b)
{
	const struct ccg_extent *x = *(const struct ccg_extent *const *)a;
	const struct ccg_extent *y = *(const struct ccg_extent *const *)b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void classify_file(struct classify *c)
{
	CXSourceRangeList *skipped;
	size_t n = 0;

	if (!any_trigger(c->u->rp, c->u->opts->enabled, c->f->text, c->f->len))
		return;
	c->ext = xcalloc(c->u->nr_extents + 1, sizeof(*c->ext));
	for (size_t i = 0; i < c->u->nr_extents; i++)
		if (c->u->extents[i].file == c->f)
			c->ext[n++] = &c->u->extents[i];
	if (n)
		qsort(c->ext, n, sizeof(*c->ext), cmp_extent);
	c->nr_ext = n;
	skipped = clang_getSkippedRanges(c->u->tu, c->f->cxfile);
	c->nr_skip = skipped ? skipped->count : 0;
	c->skip = xcalloc(4 * c->nr_skip + 1, sizeof(*c->skip));
	for (size_t i = 0; i < c->nr_skip; i++) {
		clang_getExpansionLocation(clang_getRangeStart(skipped->ranges[i]),
					   NULL, &c->skip[4 * i + 2], NULL,
					   &c->skip[4 * i]);
		clang_getExpansionLocation(clang_getRangeEnd(skipped->ranges[i]),
					   NULL, &c->skip[4 * i + 3], NULL,
					   &c->skip[4 * i + 1]);
	}
	if (skipped)
		clang_disposeSourceRangeList(skipped);
	sites_scan(c->u->rp, c->u->opts->enabled, c->f->text, c->f->len,
		   on_site, c);
	free(c->ext);
	free(c->skip);
}

void sites_classify(struct ccg_unit *u, struct ccg_file_result *res)
{
	struct site_diag *diags = NULL;
	size_t nr_diags = 0, alloc_diags = 0;
	unsigned nd = clang_getNumDiagnostics(u->tu);

	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(u->tu, i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			struct site_diag *sd;
			CXString s = clang_getDiagnosticSpelling(d);

			ALLOC_GROW(diags, nr_diags, alloc_diags);
			sd = &diags[nr_diags++];
			clang_getExpansionLocation(clang_getDiagnosticLocation(d),
						   &sd->file, &sd->line, &sd->col,
						   &sd->offset);
			sd->text = xstrdup(clang_getCString(s) ? clang_getCString(s) : "");
			clang_disposeString(s);
		}
		clang_disposeDiagnostic(d);
	}
	for (size_t i = 0; i < u->nr_files; i++) {
		struct ccg_file *f = u->files[i];
		struct ccg_site_file *sf;
		struct classify c;

		if (!f->relpath || !f->text || !f->len)
			continue;
		ALLOC_GROW(res->sites, res->nr_sites, res->alloc_sites);
		sf = &res->sites[res->nr_sites];
		memset(sf, 0, sizeof(*sf));
		sf->relpath = xstrdup(f->relpath);
		sf->all = f == u->main_file || f->is_c;
		memset(&c, 0, sizeof(c));
		c.u = u;
		c.f = f;
		c.out = sf;
		c.diags = diags;
		c.nr_diags = nr_diags;
		classify_file(&c);
		if (sf->nr || sf->all)
			res->nr_sites++;
		else
			site_files_release(sf, 1);
	}
	for (size_t i = 0; i < nr_diags; i++)
		free(diags[i].text);
	free(diags);
}

void site_files_release(struct ccg_site_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].nr; k++) {
			free(v[i].v[k].token);
			free(v[i].v[k].reason);
		}
		free(v[i].v);
		free(v[i].relpath);
		memset(&v[i], 0, sizeof(v[i]));
	}
}

/*
 * [{"file": F, "all": B, "sites": [[rule, offset, line, col, token, reason|null]]}];
 * a reason quoting bytes that are not UTF-8 travels escaped (json_path()),
 * never dropped.
 */
json_t *sites_to_json(const struct ccg_file_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_sites; i++) {
		const struct ccg_site_file *sf = &r->sites[i];
		json_t *o = json_object(), *l = json_array();

		json_set_path(o, "file", sf->relpath);
		json_object_set_new(o, "all", json_boolean(sf->all));
		for (size_t k = 0; k < sf->nr; k++) {
			const struct ccg_site *s = &sf->v[k];

			json_array_append_new(l, json_pack("[s, I, I, I, s, o]",
				ccg_rule_ids[s->rule], (json_int_t)s->offset,
				(json_int_t)s->line, (json_int_t)s->col, s->token,
				s->reason ? json_path(s->reason) : json_null()));
		}
		json_object_set_new(o, "sites", l);
		json_array_append_new(a, o);
	}
	return a;
}

void sites_from_json(struct ccg_file_result *r, json_t *a)
{
	json_t *o, *v;
	size_t i, k;

	json_array_foreach(a, i, o) {
		struct ccg_site_file *sf;
		char *file = json_get_path(o, "file");

		if (!file)
			continue;
		ALLOC_GROW(r->sites, r->nr_sites, r->alloc_sites);
		sf = &r->sites[r->nr_sites++];
		memset(sf, 0, sizeof(*sf));
		sf->relpath = file;
		sf->all = json_is_true(json_object_get(o, "all"));
		json_array_foreach(json_object_get(o, "sites"), k, v) {
			const char *rule = json_string_value(json_array_get(v, 0));
			const char *tok = json_string_value(json_array_get(v, 4));
			const char *why = json_string_value(json_array_get(v, 5));
			int nr = rule ? ccg_rule_lookup(rule) : -1;

			if (nr < 0 || !tok)
				continue;
			site_add(sf, nr,
				 (unsigned)json_integer_value(json_array_get(v, 1)),
				 (unsigned)json_integer_value(json_array_get(v, 2)),
				 (unsigned)json_integer_value(json_array_get(v, 3)),
				 xstrdup(tok), why ? xstrdup(why) : NULL);
		}
	}
}

struct site_ref {
	const char *file;
	const struct ccg_site *s;
	size_t order;		/* result and position: a deterministic tie */
	bool all;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct site_ref *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->s->offset != y->s->offset)
		return x->s->offset < y->s->offset ? -1 : 1;
	if (x->s->rule != y->s->rule)
		return x->s->rule < y->s->rule ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The sites of a candidate that was not analyzed, from its text. */
struct unread {
	struct ccg_site_file *sf;
	const char *why;
	const struct rulepack *rp;
	bool ruled_out;		/* by its text, not for a failure */
};

static void on_unread(void *data, int rule, const char *tok, size_t len,
		      unsigned offset, unsigned line, unsigned col, char directive)
{
	struct unread *ur = data;
	struct strbuf sb = STRBUF_INIT;

	if (rp_rule_excludes(ur->rp->rules[rule], ur->sf->relpath))
		return;
	strbuf_addf(&sb, "the file was not %s: %s",
		    ur->ruled_out ? "parsed" : "analyzed", ur->why);
	site_add(ur->sf, rule, offset, line, col, xstrndup(tok, len),
		 strbuf_detach(&sb))->ruled_out = ur->ruled_out;
}

/*
 * The sites of the candidates that failed or were ruled out by their text,
 * which have no unit: from their text (read from the root), none analyzed.
 */
static void unread_sites(const struct rulepack *rp,
			 const struct ccg_unit_opts *opts,
			 const struct ccg_file_result *res, size_t n,
			 struct ccg_site_file *unread)
{
	for (size_t i = 0; i < n; i++) {
		const struct ccg_file_result *r = &res[i];
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		struct unread ur = { &unread[i], r->reason ? r->reason : "failed",
				     rp, r->status == CCG_FILE_RULED_OUT };

		if ((r->status != CCG_FILE_FAILED && !ur.ruled_out) ||
		    r->nr_sites || !r->relpath)
			continue;
		strbuf_addf(&path, "%s/%s", opts->root, r->relpath);
		if (strbuf_read_file(&text, path.buf) == 0) {
			unread[i].relpath = xstrdup(r->relpath);
			unread[i].all = true;
			sites_scan(rp, opts->enabled, text.buf, text.len,
				   on_unread, &ur);
		}
		strbuf_release(&path);
		strbuf_release(&text);
	}
}

void sites_merge(const struct rulepack *rp, const struct ccg_unit_opts *opts,
		 const struct ccg_file_result *res, size_t n,
		 struct ccg_site_summary *out)
{
	struct site_ref *refs = NULL;
	size_t nr = 0, alloc = 0, order = 0;
	struct ccg_site_file *unread = xcalloc(n + 1, sizeof(*unread));

	unread_sites(rp, opts, res, n, unread);
	for (size_t i = 0; i < n; i++) {
		size_t nf = res[i].nr_sites;

		for (size_t f = 0; f <= nf; f++) {
			const struct ccg_site_file *sf = f < nf ? &res[i].sites[f] :
							 &unread[i];

			for (size_t k = 0; sf->relpath && k < sf->nr; k++) {
				ALLOC_GROW(refs, nr, alloc);
				refs[nr].file = sf->relpath;
				refs[nr].s = &sf->v[k];
				refs[nr].order = order++;
				refs[nr].all = sf->all;
				nr++;
			}
		}
	}
	if (nr)
		qsort(refs, nr, sizeof(*refs), cmp_ref);
	for (size_t i = 0; i < nr;) {
		size_t j = i;
		bool listed = false, analyzed = false, ruled_out = false;
		const char *why = NULL;
		struct ccg_msite *m;

		for (; j < nr && !strcmp(refs[j].file, refs[i].file) &&
		       refs[j].s->offset == refs[i].s->offset &&
		       refs[j].s->rule == refs[i].s->rule; j++) {
			listed |= refs[j].all;
			analyzed |= !refs[j].s->reason;
			if (!why && refs[j].all && refs[j].s->reason) {
				why = refs[j].s->reason;
				ruled_out = refs[j].s->ruled_out;
			}
		}
		if (listed) {
			ALLOC_GROW(out->v, out->nr, out->alloc);
			m = &out->v[out->nr++];
			m->file = xstrdup(refs[i].file);
			m->rule = ccg_rule_ids[refs[i].s->rule];
			m->token = xstrdup(refs[i].s->token);
			m->offset = refs[i].s->offset;
			m->line = refs[i].s->line;
			m->col = refs[i].s->col;
			m->reason = analyzed || !why ? NULL : xstrdup(why);
			m->ruled_out = m->reason && ruled_out;
			out->nr_analyzed += !m->reason;
			out->nr_ruled_out += m->ruled_out;
		}
		i = j;
	}
	free(refs);
	site_files_release(unread, n);
	free(unread);
}

void site_summary_release(struct ccg_site_summary *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->v[i].file);
		free(s->v[i].token);
		free(s->v[i].reason);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

bool site_may_be_live(const char *reason)
{
	return !strncmp(reason, WHY_INACTIVE, strlen(WHY_INACTIVE)) ||
	       !strncmp(reason, WHY_NO_AST, strlen(WHY_NO_AST)) ||
	       !strncmp(reason, WHY_UNMODELED, strlen("inside '"));
}
