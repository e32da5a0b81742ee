// SPDX-License-Identifier: GPL-2.0-only
#include "analyze.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "headers.h"
#include "kbuild.h"
#include "parse.h"
#include "sites.h"
#include "toolkit.h"
#include "udiff.h"
#include "banned.h"

enum {
	SAW_TRIGGER = 1 << 0,
	SAW_REQUIRED = 1 << 1,
	SAW_REPORTABLE = 1 << 2,	/* the engine's text_may_report() */
	SAW_ALL = SAW_TRIGGER | SAW_REQUIRED | SAW_REPORTABLE,
};

/* Is WORD in TEXT, regardless of case? */
static bool has_word_nocase(const char *text, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; n && i + n <= len; i++)
		if (tolower((unsigned char)text[i]) == tolower((unsigned char)*word) &&
		    !strncasecmp(text + i, word, n))
			return true;
	return false;
}

/*
 * Add what TEXT shows of each enabled rule to SAW; true if one is complete.
 * The required words are looked for only once a trigger was seen, unless
 * ALL_WORDS: most files have no trigger, and the word search is the slow
 * part.  An engine's text_may_report() is asked about texts that hold a
 * trigger, when SAW does not already carry SAW_REPORTABLE; so is TESTS, the
 * rule's macros of the tree that hold a trigger (ccg_macro_tests()).
 */
static bool scan_text(const struct ccg_ctx *ctx, const char *text, size_t len,
		      unsigned *saw, bool all_words,
		      const struct strlist *tests)
{
	bool complete = false;

	for (int r = 0; r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = ctx->rp->rules[r];
		bool here;

		if (!ctx->unit.enabled[r])
			continue;
		here = mem_has_any(text, len, rule->triggers, rule->triggers_count);
		if (here)
			saw[r] |= SAW_TRIGGER;
		if (!rule->also_requires_count)
			saw[r] |= SAW_REQUIRED;
		for (unsigned i = 0; !(saw[r] & SAW_REQUIRED) &&
		     (all_words || (saw[r] & SAW_TRIGGER)) &&
		     i < rule->also_requires_count; i++)
			if (has_word_nocase(text, len, rule->also_requires[i]))
				saw[r] |= SAW_REQUIRED;
		if (here && !(saw[r] & SAW_REPORTABLE) &&
		    ((ccg_engine_get(r)->text_may_report &&
		      ccg_engine_get(r)->text_may_report(rule, text, len)) ||
		     (tests && mem_has_any(text, len, tests[r].v, tests[r].nr))))
			saw[r] |= SAW_REPORTABLE;
		complete |= saw[r] == SAW_ALL;
	}
	return complete;
}

#define MAX_C_INCLUDES 16

bool ccg_wants_parse(const struct ccg_ctx *ctx, const char *path,
		     const char *text, size_t len, bool unit_only,
		     const struct strlist *tests)
{
	unsigned saw[CCG_RULE_NR] = { 0 };
	struct strlist todo = STRLIST_INIT;
	bool want = false;

	for (int r = 0; r < CCG_RULE_NR; r++)
		if (!unit_only || !ccg_engine_get(r)->text_may_report)
			saw[r] |= SAW_REPORTABLE;
	if (scan_text(ctx, text, len, saw, false, tests))
		return true;
	for (int r = 0; r < CCG_RULE_NR && !unit_only; r++)
		want |= saw[r] & SAW_TRIGGER;
	if ((!unit_only && !want) || !memmem(text, len, ".c\"", 3))
		return false;
	/* the words may be here and the trigger in an included file */
	scan_text(ctx, text, len, saw, true, tests);
	/* the unit is the file and the .c files it #includes */
	kbuild_c_includes(path, text, len, &todo);
	want = false;
	for (size_t i = 0; i < todo.nr && i < MAX_C_INCLUDES && !want; i++) {
		struct strbuf inc = STRBUF_INIT;

		if (strbuf_read_file(&inc, todo.v[i]) < 0)
			continue;
		want = scan_text(ctx, inc.buf, inc.len, saw, true, tests);
		if (!want && memmem(inc.buf, inc.len, ".c\"", 3))
			kbuild_c_includes(todo.v[i], inc.buf, inc.len, &todo);
		strbuf_release(&inc);
	}
	strlist_release(&todo);
	return want;
}

/* The start of the logical line (with backslash continuations) of P. */
static const char *logical_line(const char *text, const char *p)
{
	for (;;) {
		while (p > text && p[-1] != '\n')
			p--;
		if (p - text < 2 || p[-2] != '\\')
			return p;
		p--;
	}
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

struct macro_tests {
	const struct ccg_ctx *ctx;
	const char *text;
	size_t len;
	struct strlist *tests;
};

/*
 * A trigger site on a #define line (sites_scan() says which, outside
 * comments and strings): the macro's name, unless the site is the name
 * (X86_FEATURE_SVM's own #define).
 */
static void on_define_site(void *data, int rule, const char *tok, size_t len,
			   unsigned offset, unsigned line, unsigned col,
			   char directive)
{
	struct macro_tests *mt = data;
	const char *end = mt->text + mt->len, *name, *q;
	char *s;

	if (directive != 'd' || !ccg_engine_get(rule)->text_may_report)
		return;
	q = skip_blanks(logical_line(mt->text, mt->text + offset), end);
	q = skip_blanks(q + 1, end);		/* the '#' */
	q = name = skip_blanks(q + 6, end);	/* "define" */
	while (q < end && text_is_ident_char(*q))
		q++;
	if (q == name || name == mt->text + offset)
		return;
	s = xstrndup(name, (size_t)(q - name));
	if (!strlist_has(&mt->tests[rule], s))
		strlist_push(&mt->tests[rule], s);
	free(s);
}

void ccg_macro_tests(const struct ccg_ctx *ctx, const char *text, size_t len,
		     struct strlist *tests)
{
	struct macro_tests mt = { ctx, text, len, tests };

	sites_scan(ctx->rp, ctx->unit.enabled, text, len, on_define_site, &mt);
}

void ccg_header_tests(const struct ccg_ctx *ctx, const char *text, size_t len,
		      bool functions, struct strlist *tests)
{
	ccg_macro_tests(ctx, text, len, tests);
	for (int r = 0; functions && r < CCG_RULE_NR; r++) {
		const struct rp_rule *rule = ctx->rp->rules[r];

		if (ctx->unit.enabled[r] && ccg_engine_get(r)->text_may_report)
			headers_callables(text, len, rule->triggers,
					  rule->triggers_count, &tests[r]);
	}
}

bool ccg_names_test(const struct ccg_ctx *ctx, const char *relpath,
		    const char *text, size_t len, const struct strlist *tests)
{
	for (int r = 0; r < CCG_RULE_NR; r++)
		if (ctx->unit.enabled[r] &&
		    (!relpath || !rp_rule_excludes(ctx->rp->rules[r], relpath)) &&
		    mem_has_any(text, len, tests[r].v, tests[r].nr))
			return true;
	return false;
}

/*
 * The text of the tree's file REL (OV's if it has one) into OUT, or -1:
 * as the sweep reads a tree, a symbolic link or a file over 64 MiB is none.
 */
static int tree_text(const struct ccg_ctx *ctx, const struct overlay *ov,
		     const char *rel, struct strbuf *out)
{
	struct strbuf abs = STRBUF_INIT;
	const struct overlay_file *o;
	struct stat st;
	int ret = 0;

	strbuf_addf(&abs, "%s/%s", ctx->unit.root, rel);
	o = overlay_find(ov, abs.buf);
	if (o)
		strbuf_add(out, o->text, o->len);
	else if (lstat(abs.buf, &st) < 0 || !S_ISREG(st.st_mode) ||
		 st.st_size > (64 << 20) || strbuf_read_file(out, abs.buf) < 0)
		ret = -1;
	strbuf_release(&abs);
	return ret;
}

/* The macro tests of the header NAME #included by REL ('"' or '<'). */
static void included_tests(const struct ccg_ctx *ctx, const struct overlay *ov,
			   const char *rel, const char *name, size_t n,
			   char open, bool functions, struct strlist *tests)
{
	const char *slash = strrchr(rel, '/');
	struct strbuf cand = STRBUF_INIT, text = STRBUF_INIT;
	int found = -1;

	if (memmem(name, n, "..", 2))
		return;		/* within the tree's include paths only */
	if (open == '"') {
		strbuf_addf(&cand, "%.*s%.*s", slash ? (int)(slash + 1 - rel) : 0,
			    rel, (int)n, name);
		found = tree_text(ctx, ov, cand.buf, &text);
	}
	for (size_t d = 0; found < 0 && parse_include_dirs[d]; d++) {
		strbuf_reset(&cand);
		strbuf_addf(&cand, "%s/%.*s", parse_include_dirs[d], (int)n, name);
		found = tree_text(ctx, ov, cand.buf, &text);
	}
	if (!found)
		ccg_header_tests(ctx, text.buf, text.len, functions, tests);
	strbuf_release(&cand);
	strbuf_release(&text);
}

void ccg_include_tests(const struct ccg_ctx *ctx, const struct overlay *ov,
		       const char *relpath, const char *text, size_t len,
		       bool functions, struct strlist *tests)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = skip_blanks(p, end), *name, *close;

		if (!eol)
			eol = end;
		p = eol + 1;
		if (q >= eol || *q != '#')
			continue;
		q = skip_blanks(q + 1, eol);
		if ((size_t)(eol - q) < 9 || memcmp(q, "include", 7))
			continue;
		q = skip_blanks(q + 7, eol);
		if (q >= eol || (*q != '"' && *q != '<'))
			continue;
		name = q + 1;
		close = memchr(name, *q == '"' ? '"' : '>', (size_t)(eol - name));
		if (close && close - name > 2 && !memcmp(close - 2, ".h", 2))
			included_tests(ctx, ov, relpath, name,
				       (size_t)(close - name), *q, functions,
				       tests);
	}
}

/* Remember the text each patch was computed from, as libclang read it. */
static void record_preimages(const struct ccg_unit *u,
			     struct ccg_file_result *res)
{
	for (size_t j = 0; j < u->nr_files; j++) {
		const struct ccg_file *f = u->files[j];

		if (f->relpath && f->text && strlist_has(&u->fixed_files, f->relpath))
			file_result_add_preimage(res, f->relpath, f->len,
						 udiff_hash(f->text, f->len));
	}
}

/* The compiler argv and virtual files of ABSPATH; its text into TEXT. */
static int analyze_args(const struct ccg_ctx *ctx, const char *abspath,
			const struct strlist *args, struct ccg_parse_args *pa,
			struct strbuf *text)
{
	const struct overlay_file *ov = overlay_find(ctx->overlay, abspath);

	if (ov)
		strbuf_add(text, ov->text, ov->len);
	else if (strbuf_read_file(text, abspath) < 0 && !args)
		return -1;
	if (args) {
		for (size_t i = 0; i < args->nr; i++)
			strlist_push(&pa->argv, args->v[i]);
		return 0;
	}
	parse_args_for_tree(pa, ctx->unit.root, ctx->autoconf, abspath,
			    text->buf ? text->buf : "", text->len);
	for (size_t i = 0; ctx->gen_path && i < ctx->gen_path->nr; i++)
		parse_args_add_virtual(pa, ctx->gen_path->v[i],
				       ctx->gen_text->v[i]);
	return 0;
}

/*
 * Blank the header bodies the unit cannot need (headers.h), unless
 * --all-headers.  The virtual files and the overlay are read, never
 * blanked.
 */
static void analyze_slim(const struct ccg_ctx *ctx, struct headers_cache *hc,
			 const char *abspath, const struct strbuf *text,
			 const struct ccg_parse_args *pa, const struct ccg_unit *u,
			 struct headers_slim *slim)
{
	struct strlist vp = STRLIST_INIT, vt = STRLIST_INIT;

	if (ctx->unit.full_headers)
		return;
	for (size_t i = 0; i < pa->vpath.nr; i++) {
		strlist_push(&vp, pa->vpath.v[i]);
		strlist_push(&vt, pa->vtext.v[i]);
	}
	for (size_t i = 0; ctx->overlay && i < ctx->overlay->nr; i++) {
		strlist_push(&vp, ctx->overlay->v[i].abspath);
		strlist_push_nodup(&vt, xstrndup(ctx->overlay->v[i].text,
						 ctx->overlay->v[i].len));
	}
	headers_slim_plan(hc, abspath, text->buf ? text->buf : "", text->len,
			  &pa->argv, &vp, &vt, &u->triggers, slim);
	strlist_release(&vp);
	strlist_release(&vt);
}

static unsigned count_errors(CXTranslationUnit tu)
{
	unsigned n = 0;

	for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);

		n += clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
		clang_disposeDiagnostic(d);
	}
	return n;
}

/*
 * Parse with the slim headers; a blanked body can only matter to the
 * parse if the plan misjudged a brace, so a parse with errors is done
 * again with every header whole, and says so.
 */
static CXTranslationUnit analyze_parse(CXIndex idx, const char *abspath,
				       struct ccg_parse_args *pa,
				       struct ccg_unit *u,
				       struct ccg_file_result *res, char **err)
{
	CXTranslationUnit tu = parse_file(idx, abspath, pa, err);

	if (tu && pa->slim && pa->slim->nr && count_errors(tu)) {
		pa->slim = NULL;
		u->slim = NULL;
		res->slim_retry = true;
		clang_disposeTranslationUnit(tu);
		tu = parse_file(idx, abspath, pa, err);
	}
	return tu;
}

static void describe_errors(struct ccg_unit *u, struct ccg_file_result *res)
{
	struct strbuf why = STRBUF_INIT;
	CXDiagnostic d = NULL;

	for (unsigned i = 0; i < clang_getNumDiagnostics(u->tu); i++) {
		d = clang_getDiagnostic(u->tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
			break;
		clang_disposeDiagnostic(d);
		d = NULL;
	}
	strbuf_addf(&why, "%u parse error%s", u->nr_errors,
		    u->nr_errors == 1 ? "" : "s");
	if (d) {
		CXString s = clang_formatDiagnostic(d,
			CXDiagnostic_DisplaySourceLocation);

		strbuf_addf(&why, ", first: %s", clang_getCString(s));
		clang_disposeString(s);
		clang_disposeDiagnostic(d);
	}
	res->status = CCG_FILE_INCOMPLETE;
	res->reason = strbuf_detach(&why);
}

static void collect_unit(const struct ccg_ctx *ctx, struct ccg_unit *u,
			 struct ccg_file_result *res)
{
	res->nr_errors = u->nr_errors;
	if (u->incomplete)
		describe_errors(u, res);
	else
		res->status = CCG_FILE_PARSED;
	record_preimages(u, res);
	/* the kbuild slot shows no coverage: spare it the scan */
	if (!ctx->unit.only_c_files)
		sites_classify(u, res);
	findings_move(&res->findings, &u->findings);
	res->xpreds = u->xpreds;
	res->nr_xpreds = u->nr_xpreds;
	res->alloc_xpreds = u->alloc_xpreds;
	res->xcalls = u->xcalls;
	res->nr_xcalls = u->nr_xcalls;
	res->alloc_xcalls = u->alloc_xcalls;
	u->xpreds = NULL;
	u->xcalls = NULL;
	u->nr_xpreds = u->nr_xcalls = 0;
}

void analyze_file(const struct ccg_ctx *ctx, const char *abspath,
		  const char *relpath, const struct strlist *args,
		  struct ccg_file_result *res)
{
	struct headers_cache *hc = ctx->headers ? ctx->headers : headers_cache_new();
	struct headers_slim slim = HEADERS_SLIM_INIT;
	struct ccg_parse_args pa;
	struct strbuf text = STRBUF_INIT;
	struct ccg_unit u = { 0 };
	CXIndex idx;
	char *err = NULL;

	memset(res, 0, sizeof(*res));
	res->relpath = xstrdup(relpath);
	parse_args_init(&pa);
	if (analyze_args(ctx, abspath, args, &pa, &text) < 0) {
		res->status = CCG_FILE_FAILED;
		res->reason = xstrdup("cannot read the file");
		goto out;
	}
	libclang_load();
	pa.overlay = ctx->overlay;
	u.opts = &ctx->unit;
	u.rp = ctx->rp;
	u.xpreds_in = ctx->xpreds;
	unit_start(&u);
	analyze_slim(ctx, hc, abspath, &text, &pa, &u, &slim);
	pa.slim = u.slim = &slim;
	idx = clang_createIndex(0, 0);
	u.tu = analyze_parse(idx, abspath, &pa, &u, res, &err);
	if (!u.tu) {
		unit_finish(&u);
		res->status = CCG_FILE_FAILED;
		res->reason = err;
	} else {
		unit_walk(&u);
		collect_unit(ctx, &u, res);
		clang_disposeTranslationUnit(u.tu);
	}
	clang_disposeIndex(idx);
out:
	unit_release(&u);
	headers_slim_release(&slim);
	if (hc != ctx->headers)
		headers_cache_free(hc);
	parse_args_release(&pa);
	strbuf_release(&text);
}
