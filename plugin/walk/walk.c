// SPDX-License-Identifier: GPL-2.0-only
/*
 * The walk: one pass over a translation unit's top-level cursors.  Only
 * functions whose text holds a trigger (a rule's trigger token, or a name an
 * engine asked for, such as a wrapper predicate found earlier in the unit)
 * get a model; the thousands of inline functions in kernel headers cost one
 * memmem each.
 */
#include "unit.h"

#include "headers.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "toolkit.h"
#include "banned.h"

bool tok_is(const struct ccg_func *fn, size_t i, const char *text)
{
	return i < fn->nr_toks && !strcmp(fn->toks[i].text, text);
}

bool tok_is_ident(const struct ccg_func *fn, size_t i)
{
	return i < fn->nr_toks && fn->toks[i].kind == CXToken_Identifier;
}

bool tok_is_member_op(const struct ccg_func *fn, size_t i)
{
	return tok_is(fn, i, ".") || tok_is(fn, i, "->");
}

size_t tok_match(const struct ccg_func *fn, size_t i)
{
	const char *open = fn->toks[i].text;
	const char *close;
	int depth = 0;

	if (!strcmp(open, "("))
		close = ")";
	else if (!strcmp(open, "{"))
		close = "}";
	else if (!strcmp(open, "["))
		close = "]";
	else
		return fn->nr_toks;
	for (size_t j = i; j < fn->nr_toks; j++) {
		if (fn->toks[j].kind != CXToken_Punctuation)
			continue;
		if (!strcmp(fn->toks[j].text, open))
			depth++;
		else if (!strcmp(fn->toks[j].text, close) && !--depth)
			return j;
	}
	return fn->nr_toks;
}

size_t text_line_start(const struct ccg_file *f, size_t off)
{
	while (off > 0 && f->text[off - 1] != '\n')
		off--;
	return off;
}

void text_line_indent(const struct ccg_file *f, unsigned off, struct strbuf *out)
{
	size_t start = text_line_start(f, off);

	while (start < f->len && (f->text[start] == ' ' || f->text[start] == '\t'))
		strbuf_addch(out, f->text[start++]);
}

void unit_add_trigger(struct ccg_unit *u, const char *name)
{
	if (strlist_has(&u->triggers, name))
		return;
	strlist_push(&u->triggers, name);
	u->trigger_gen++;
}

void unit_want_decl(struct ccg_unit *u, const char *name)
{
	if (!strlist_has(&u->wanted_decls, name))
		strlist_push(&u->wanted_decls, name);
}

bool unit_declares(const struct ccg_unit *u, const char *name)
{
	return strlist_has(&u->seen_decls, name);
}

bool unit_reports_in(const struct ccg_unit *u, const struct rp_rule *rule,
		     const struct ccg_file *file)
{
	if (!file->relpath || rp_rule_excludes(rule, file->relpath))
		return false;
	if (u->opts->only_c_files && !file->is_c)
		return false;
	return true;
}

static bool has_trigger(const struct ccg_unit *u, const char *text, size_t len)
{
	return mem_has_any(text, len, u->triggers.v, u->triggers.nr);
}

static struct ccg_file *unit_file(struct ccg_unit *u, CXFile cxf)
{
	struct ccg_file *f;
	CXString name;
	const char *s;
	char real[PATH_MAX];
	size_t rootlen = strlen(u->opts->root);

	if (!cxf)
		return NULL;
	if (u->last_file && u->last_file->cxfile == cxf)
		return u->last_file;
	for (size_t i = 0; i < u->nr_files; i++) {
		if (u->files[i]->cxfile == cxf)
			return u->last_file = u->files[i];
	}
	f = xcalloc(1, sizeof(*f));
	f->cxfile = cxf;
	name = clang_getFileName(cxf);
	s = clang_getCString(name);
	f->abspath = xstrdup(realpath(s ? s : "", real) ? real : (s ? s : ""));
	clang_disposeString(name);
	if (!strncmp(f->abspath, u->opts->root, rootlen) &&
	    f->abspath[rootlen] == '/')
		f->relpath = xstrdup(f->abspath + rootlen + 1);
	/*
	 * The main file (unit_walk() makes it first) is C whatever its name
	 * (kbuild's probe has none), unless it is a header: a sweep parses
	 * header candidates alone.
	 */
	s = strrchr(f->abspath, '.');
	f->is_c = (s && !strcmp(s, ".c")) ||
		  (!(s && !strcmp(s, ".h")) && !u->main_file);
	/* a blanked header: its offsets are the file's, its text is not */
	f->text = headers_slim_original(u->slim, f->abspath, &f->len);
	if (!f->text)
		f->text = clang_getFileContents(u->tu, cxf, &f->len);
	if (!f->text)
		f->len = 0;
	f->trigger_gen = UINT_MAX;
	ALLOC_GROW(u->files, u->nr_files + 1, u->alloc_files);
	u->files[u->nr_files++] = f;
	return u->last_file = f;
}

static bool file_interesting(struct ccg_unit *u, struct ccg_file *f)
{
	if (!f || !f->relpath || !f->text)
		return false;
	if (f->trigger_gen != u->trigger_gen) {
		f->interesting = has_trigger(u, f->text, f->len);
		f->trigger_gen = u->trigger_gen;
	}
	return f->interesting;
}

static void range_offsets(CXSourceRange r, unsigned *lo, unsigned *hi)
{
	clang_getExpansionLocation(clang_getRangeStart(r), NULL, NULL, NULL, lo);
	clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, hi);
}

static struct ccg_token *copy_tokens(CXTranslationUnit tu, CXSourceRange r,
				     size_t *nr)
{
	CXToken *toks = NULL;
	unsigned n = 0, out = 0;
	struct ccg_token *v;

	clang_tokenize(tu, r, &toks, &n);
	v = xcalloc(n + 1, sizeof(*v));
	for (unsigned i = 0; i < n; i++) {
		CXTokenKind kind = clang_getTokenKind(toks[i]);
		CXString s;

		if (kind == CXToken_Comment)
			continue;
		s = clang_getTokenSpelling(tu, toks[i]);
		v[out].kind = kind;
		v[out].text = xstrdup(clang_getCString(s));
		clang_disposeString(s);
		clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]),
					  NULL, &v[out].line, &v[out].col,
					  &v[out].offset);
		out++;
	}
	clang_disposeTokens(tu, toks, n);
	*nr = out;
	return v;
}

static void free_tokens(struct ccg_token *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].text);
	free(t);
}

/* First token at or after OFF. */
static size_t tok_at(const struct ccg_func *fn, unsigned off)
{
	size_t lo = 0, hi = fn->nr_toks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (fn->toks[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Last token that starts before OFF. */
static size_t tok_before(const struct ccg_func *fn, unsigned off)
{
	size_t i = tok_at(fn, off);

	return i ? i - 1 : 0;
}

struct children {
	CXCursor c[4];
	unsigned n;
	CXCursor last;
};

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent,
					     CXClientData data)
{
	struct children *ch = data;

	if (ch->n < 4)
		ch->c[ch->n] = c;
	ch->n++;
	ch->last = c;
	return CXChildVisit_Continue;
}

static enum ccg_stmt_exit exit_kind(CXCursor c, CXCursor *exit_cursor)
{
	struct children ch = { .n = 0 };

	switch (clang_getCursorKind(c)) {
	case CXCursor_ReturnStmt:
		*exit_cursor = c;
		return CCG_STMT_RETURN;
	case CXCursor_GotoStmt:
		*exit_cursor = c;
		return CCG_STMT_GOTO;
	case CXCursor_BreakStmt:
	case CXCursor_ContinueStmt:
		*exit_cursor = c;
		return CCG_STMT_BREAK;
	case CXCursor_CompoundStmt:
		clang_visitChildren(c, collect_child, &ch);
		if (!ch.n)
			return CCG_STMT_NONE;
		return exit_kind(ch.last, exit_cursor);
	default:
		return CCG_STMT_NONE;
	}
}

struct fn_builder {
	struct ccg_unit *u;
	struct ccg_func *fn;
};

static void add_if(struct ccg_func *fn, CXCursor c, size_t tok)
{
	struct children ch = { .n = 0 };
	struct ccg_if *s;
	CXCursor exit_cursor;
	unsigned lo, hi;

	if (!tok_is(fn, tok + 1, "("))
		return;
	clang_visitChildren(c, collect_child, &ch);
	if (ch.n < 2)
		return;
	ALLOC_GROW(fn->ifs, fn->nr_ifs + 1, fn->alloc_ifs);
	s = &fn->ifs[fn->nr_ifs++];
	memset(s, 0, sizeof(*s));
	s->tok = tok;
	s->cond_lo = tok + 1;
	s->cond_hi = tok_match(fn, tok + 1);
	range_offsets(clang_getCursorExtent(ch.c[1]), &lo, &hi);
	s->then_lo = tok_at(fn, lo);
	s->then_hi = tok_before(fn, hi);
	s->has_else = ch.n >= 3;
	s->then_exit = exit_kind(ch.c[1], &exit_cursor);
	if (s->then_exit != CCG_STMT_NONE) {
		range_offsets(clang_getCursorExtent(exit_cursor), &lo, &hi);
		s->exit_tok = tok_at(fn, lo);
	}
}

static enum CXChildVisitResult build_stmt(CXCursor c, CXCursor parent,
					  CXClientData data)
{
	struct fn_builder *b = data;
	struct ccg_func *fn = b->fn;
	enum CXCursorKind kind = clang_getCursorKind(c);
	unsigned lo, hi;
	size_t tok;

	if (kind != CXCursor_IfStmt && kind != CXCursor_ReturnStmt &&
	    kind != CXCursor_SwitchStmt && kind != CXCursor_CaseStmt &&
	    kind != CXCursor_DefaultStmt)
		return CXChildVisit_Recurse;
	range_offsets(clang_getCursorExtent(c), &lo, &hi);
	tok = tok_at(fn, lo);
	if (tok >= fn->nr_toks || fn->toks[tok].offset != lo)
		return CXChildVisit_Recurse;

	switch (kind) {
	case CXCursor_IfStmt:
		if (tok_is(fn, tok, "if"))
			add_if(fn, c, tok);
		break;
	case CXCursor_ReturnStmt:
		if (tok_is(fn, tok, "return")) {
			ALLOC_GROW(fn->rets, fn->nr_rets + 1, fn->alloc_rets);
			fn->rets[fn->nr_rets].tok = tok;
			fn->rets[fn->nr_rets].semi = tok_find_depth0(fn, tok, ";");
			fn->nr_rets++;
		}
		break;
	case CXCursor_SwitchStmt:
		if (tok_is(fn, tok, "switch") && tok_is(fn, tok + 1, "(")) {
			struct ccg_switch *s;
			size_t close = tok_match(fn, tok + 1);

			if (!tok_is(fn, close + 1, "{"))
				break;
			ALLOC_GROW(fn->switches, fn->nr_switches + 1,
				   fn->alloc_switches);
			s = &fn->switches[fn->nr_switches++];
			s->tok = tok;
			s->cond_lo = tok + 1;
			s->cond_hi = close;
			s->body_lo = close + 1;
			s->body_hi = tok_match(fn, close + 1);
		}
		break;
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt:
		if (tok_is(fn, tok, "case") || tok_is(fn, tok, "default")) {
			struct ccg_case *cs;

			ALLOC_GROW(fn->cases, fn->nr_cases + 1, fn->alloc_cases);
			cs = &fn->cases[fn->nr_cases++];
			cs->tok = tok;
			cs->colon = tok_find_depth0(fn, tok, ":");
			cs->is_default = kind == CXCursor_DefaultStmt;
			cs->sw = SIZE_MAX;
		}
		break;
	default:
		break;
	}
	return CXChildVisit_Recurse;
}

static void func_release(struct ccg_func *fn)
{
	free(fn->name);
	free_tokens(fn->toks, fn->nr_toks);
	free(fn->ifs);
	free(fn->rets);
	free(fn->switches);
	free(fn->cases);
}

static int cmp_if(const void *a, const void *b)
{
	const struct ccg_if *x = a, *y = b;

	return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Returns whether the function got a model. */
static bool build_function(struct ccg_unit *u, CXCursor c, struct ccg_file *f)
{
	struct ccg_func fn;
	struct fn_builder b = { u, &fn };
	CXString name;
	unsigned lo, hi;

	memset(&fn, 0, sizeof(fn));
	range_offsets(clang_getCursorExtent(c), &lo, &hi);
	if (hi <= lo || hi > f->len || !has_trigger(u, f->text + lo, hi - lo))
		return false;
	fn.file = f;
	name = clang_getCursorSpelling(c);
	fn.name = xstrdup(clang_getCString(name));
	clang_disposeString(name);
	fn.is_static = clang_Cursor_getStorageClass(c) == CX_SC_Static;
	clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &fn.line,
				   &fn.col, NULL);
	fn.toks = copy_tokens(u->tu, clang_getCursorExtent(c), &fn.nr_toks);
	fn.body_lo = fn.nr_toks;
	for (size_t i = 0; i < fn.nr_toks; i++) {
		if (tok_is(&fn, i, "{")) {
			fn.body_lo = i;
			break;
		}
	}
	clang_visitChildren(c, build_stmt, &b);
	if (fn.nr_ifs)	/* qsort() wants a valid pointer even for none */
		qsort(fn.ifs, fn.nr_ifs, sizeof(*fn.ifs), cmp_if);
	for (size_t i = 0; i < fn.nr_cases; i++) {
		size_t best = SIZE_MAX;

		for (size_t s = 0; s < fn.nr_switches; s++) {
			const struct ccg_switch *sw = &fn.switches[s];

			if (sw->body_lo < fn.cases[i].tok &&
			    fn.cases[i].tok < sw->body_hi &&
			    (best == SIZE_MAX || sw->body_lo > fn.switches[best].body_lo))
				best = s;
		}
		fn.cases[i].sw = best;
	}

	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct ccg_engine *e = ccg_engine_get(r);

		if (!u->opts->enabled[r])
			continue;
		unit_run_call_hooks(u, r, &fn);
		if (e->function)
			e->function(u, u->rp->rules[r], &fn);
	}
	func_release(&fn);
	return true;
}

static bool build_macro(struct ccg_unit *u, CXCursor c, struct ccg_file *f)
{
	struct ccg_macro m;
	struct ccg_token *t;
	size_t n, i = 1;

	memset(&m, 0, sizeof(m));
	t = copy_tokens(u->tu, clang_getCursorExtent(c), &n);
	if (!n || !has_trigger(u, f->text + t[0].offset,
			       t[n - 1].offset + strlen(t[n - 1].text) - t[0].offset)) {
		free_tokens(t, n);
		return false;
	}
	m.name = t[0].text;
	m.file = f;
	m.function_like = clang_Cursor_isMacroFunctionLike(c);
	if (m.function_like && n > 1 && !strcmp(t[1].text, "(")) {
		for (i = 2; i < n && strcmp(t[i].text, ")"); i++)
			if (strcmp(t[i].text, ","))
				strlist_push(&m.params, t[i].text);
		i++;
	}
	m.toks = t + (i < n ? i : n);
	m.nr_toks = i < n ? n - i : 0;
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct ccg_engine *e = ccg_engine_get(r);

		if (u->opts->enabled[r] && e->macro)
			e->macro(u, u->rp->rules[r], &m);
	}
	strlist_release(&m.params);
	free_tokens(t, n);
	return true;
}

static void add_extent(struct ccg_unit *u, CXCursor c, struct ccg_file *f,
		       bool model)
{
	struct ccg_extent *e;

	ALLOC_GROW(u->extents, u->nr_extents + 1, u->alloc_extents);
	e = &u->extents[u->nr_extents++];
	e->file = f;
	e->cursor = c;
	e->model = model;
	range_offsets(clang_getCursorExtent(c), &e->lo, &e->hi);
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent,
					 CXClientData data)
{
	struct ccg_unit *u = data;
	enum CXCursorKind kind = clang_getCursorKind(c);
	struct ccg_file *f;
	CXFile cxf;

	bool model = false;

	if (kind == CXCursor_MacroExpansion || kind == CXCursor_InclusionDirective)
		return CXChildVisit_Continue;
	clang_getExpansionLocation(clang_getCursorLocation(c), &cxf, NULL, NULL,
				   NULL);
	f = unit_file(u, cxf);
	if (kind != CXCursor_FunctionDecl && kind != CXCursor_MacroDefinition) {
		/* declarations: where a trigger outside any function sits */
		if (file_interesting(u, f))
			add_extent(u, c, f, false);
		return CXChildVisit_Continue;
	}
	if (kind == CXCursor_FunctionDecl &&
	    u->seen_decls.nr < u->wanted_decls.nr) {
		CXString s = clang_getCursorSpelling(c);
		const char *name = clang_getCString(s);

		if (strlist_has(&u->wanted_decls, name) &&
		    !strlist_has(&u->seen_decls, name))
			strlist_push(&u->seen_decls, name);
		clang_disposeString(s);
	}
	if (!file_interesting(u, f))
		return CXChildVisit_Continue;
	if (kind == CXCursor_MacroDefinition)
		model = build_macro(u, c, f);
	else if (clang_isCursorDefinition(c))
		model = build_function(u, c, f);
	add_extent(u, c, f, model);
	return CXChildVisit_Continue;
}

void unit_start(struct ccg_unit *u)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = u->rp->rules[r];

		if (!u->opts->enabled[r])
			continue;
		for (unsigned i = 0; i < rule->triggers_count; i++)
			unit_add_trigger(u, rule->triggers[i]);
	}
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct ccg_engine *e = ccg_engine_get(r);

		if (u->opts->enabled[r] && e->unit_begin)
			e->unit_begin(u, u->rp->rules[r]);
	}
}

void unit_walk(struct ccg_unit *u)
{
	unsigned nd = clang_getNumDiagnostics(u->tu);
	CXString spelling;
	CXFile main;

	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic d = clang_getDiagnostic(u->tu, i);

		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
			u->nr_errors++;
		clang_disposeDiagnostic(d);
	}
	u->incomplete = u->nr_errors > 0;
	spelling = clang_getTranslationUnitSpelling(u->tu);
	main = clang_getFile(u->tu, clang_getCString(spelling));
	clang_disposeString(spelling);
	u->main_file = unit_file(u, main);
	clang_visitChildren(clang_getTranslationUnitCursor(u->tu), visit_top, u);
	unit_finish(u);
}

void unit_finish(struct ccg_unit *u)
{
	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct ccg_engine *e = ccg_engine_get(r);

		if (u->opts->enabled[r] && e->unit_end)
			e->unit_end(u, u->rp->rules[r]);
	}
}

void xpreds_release(struct ccg_xpred *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].file);
	}
}

void xcalls_release(struct ccg_xcall *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].file);
		free(v[i].caller);
	}
}

void unit_release(struct ccg_unit *u)
{
	xpreds_release(u->xpreds, u->nr_xpreds);
	free(u->xpreds);
	xcalls_release(u->xcalls, u->nr_xcalls);
	free(u->xcalls);
	u->xpreds = NULL;
	u->xcalls = NULL;
	u->nr_xpreds = u->nr_xcalls = 0;
	for (size_t i = 0; i < u->nr_files; i++) {
		free(u->files[i]->abspath);
		free(u->files[i]->relpath);
		free(u->files[i]);
	}
	free(u->files);
	free(u->extents);
	u->extents = NULL;
	u->nr_extents = u->alloc_extents = 0;
	unit_release_call_hooks(u);
	strlist_release(&u->fixed_files);
	strlist_release(&u->triggers);
	strlist_release(&u->wanted_decls);
	strlist_release(&u->seen_decls);
	findings_release(&u->findings);
	u->files = NULL;
	u->nr_files = 0;
}
