// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slim headers (headers.h).  A worker keeps one cache across its units:
 * every header is read and scanned once (bodies, macros, #include lines,
 * directive lines); a unit costs its include closure, a fixed point over
 * the words, and a copy of each header it blanks.
 */
#include "headers.h"

#include <ctype.h>
#include <limits.h>
#include <search.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

enum hdr_dir_kind { HDR_DIR_OTHER, HDR_DIR_IF, HDR_DIR_ELSE, HDR_DIR_END,
		    HDR_DIR_INCLUDE };

struct hdr_directive {
	size_t lo, hi;		/* '#' to the end of its last line */
	enum hdr_dir_kind kind;
};

struct hdr_body {
	size_t item, lo, hi;	/* its declaration's start, '{', '}' */
	struct strlist names;	/* what a caller calls it by */
	bool blankable;
	unsigned kept;		/* generation of the unit that keeps it */
};

struct hdr_macro {
	char *name;
	size_t lo, hi;
};

struct hdr_include {
	char *name;
	bool angle, next;
	size_t at;		/* offset of the directive */
};

struct hdr_file {
	char *path;		/* real path: the cache's key */
	char *dir;
	char *text;
	size_t len;
	struct hdr_directive *dirs;
	size_t nr_dirs, alloc_dirs;
	struct hdr_body *bodies;
	size_t nr_bodies, alloc_bodies;
	struct hdr_macro *macros;
	size_t nr_macros, alloc_macros;
	struct hdr_include *incs;
	size_t nr_incs, alloc_incs;
	unsigned visit;		/* generation of the unit that reached it */
	/*
	 * Where the unit's walk meets the file: the offset in the main file
	 * of the #include that first reached it (breadth first, so it may
	 * be later than the compiler's, never earlier).
	 */
	size_t pos;
	/* words known to be in the text, or not: units share most words */
	struct strlist has, lacks;
};

struct hdr_lookup {
	char *key;		/* a candidate path */
	char *real;		/* its real path, NULL: no such file */
};

struct headers_cache {
	void *files;		/* tsearch() tree of struct hdr_file, by path */
	void *lookups;		/* of struct hdr_lookup, by candidate */
	unsigned gen;
};

/* What one plan works with. */
struct hdr_plan {
	struct headers_cache *c;
	struct strlist quote, angle;	/* search directories, absolute */
	struct hdr_file **virt;		/* virtual files, sorted by path */
	size_t nr_virt;
	struct hdr_file **reached;
	size_t nr_reached, alloc_reached;
};

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct hdr_file *)a)->path,
		      ((const struct hdr_file *)b)->path);
}

static int cmp_lookup(const void *a, const void *b)
{
	return strcmp(((const struct hdr_lookup *)a)->key,
		      ((const struct hdr_lookup *)b)->key);
}

static bool is_ident(int ch)
{
	return isalnum(ch) || ch == '_';
}

static bool all_caps(const char *s)
{
	bool upper = false;

	for (; *s; s++) {
		if (islower((unsigned char)*s))
			return false;
		upper |= isupper((unsigned char)*s) != 0;
	}
	return upper;
}

/* The end of the directive at T[I] ('#'): its last line's newline, or N. */
static size_t directive_end(const char *t, size_t n, size_t i)
{
	while (i < n) {
		if (t[i] == '\n' && !(i > 0 && t[i - 1] == '\\'))
			return i;
		if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
			const char *e = memmem(t + i + 2, n - i - 2, "*/", 2);

			i = e ? (size_t)(e - t) + 2 : n;
			continue;
		}
		i++;
	}
	return n;
}

static void read_directive(struct hdr_file *f, size_t lo, size_t hi)
{
	const char *t = f->text;
	struct hdr_directive *d;
	size_t i = lo + 1, k;

	ALLOC_GROW(f->dirs, f->nr_dirs + 1, f->alloc_dirs);
	d = &f->dirs[f->nr_dirs++];
	d->lo = lo;
	d->hi = hi;
	d->kind = HDR_DIR_OTHER;
	while (i < hi && (t[i] == ' ' || t[i] == '\t'))
		i++;
	for (k = i; k < hi && is_ident((unsigned char)t[k]); k++)
		;
#define KW(s) (k - i == sizeof(s) - 1 && !memcmp(t + i, s, k - i))
	if (KW("if") || KW("ifdef") || KW("ifndef")) {
		d->kind = HDR_DIR_IF;
	} else if (KW("else") || KW("elif") || KW("elifdef") || KW("elifndef")) {
		d->kind = HDR_DIR_ELSE;
	} else if (KW("endif")) {
		d->kind = HDR_DIR_END;
	} else if (KW("include") || KW("include_next")) {
		struct hdr_include *inc;
		bool next = KW("include_next");
		const char *close;

		d->kind = HDR_DIR_INCLUDE;
		while (k < hi && (t[k] == ' ' || t[k] == '\t'))
			k++;
		if (k >= hi || (t[k] != '<' && t[k] != '"'))
			return;
		close = memchr(t + k + 1, t[k] == '<' ? '>' : '"', hi - k - 1);
		if (!close)
			return;
		ALLOC_GROW(f->incs, f->nr_incs + 1, f->alloc_incs);
		inc = &f->incs[f->nr_incs++];
		inc->name = xstrndup(t + k + 1, (size_t)(close - t) - k - 1);
		inc->angle = t[k] == '<';
		inc->next = next;
		inc->at = lo;
	} else if (KW("define")) {
		struct hdr_macro *m;
		size_t e;

		while (k < hi && (t[k] == ' ' || t[k] == '\t'))
			k++;
		for (e = k; e < hi && is_ident((unsigned char)t[e]); e++)
			;
		if (e == k)
			return;
		ALLOC_GROW(f->macros, f->nr_macros + 1, f->alloc_macros);
		m = &f->macros[f->nr_macros++];
		m->name = xstrndup(t + k, e - k);
		m->lo = lo;
		m->hi = hi;
	}
#undef KW
}

static size_t line_start(const char *t, size_t off)
{
	while (off > 0 && t[off - 1] != '\n')
		off--;
	return off;
}

/*
 * Kernel style closes a function at column 0 (or on the line it opened):
 * a line in between that starts with a brace means the braces were not
 * paired the way the preprocessor will pair them.  Conditionals must
 * close inside the body and not switch branches at its own level.
 */
static bool body_blankable(const struct hdr_file *f, size_t lo, size_t hi)
{
	const char *t = f->text;
	size_t hi_line = line_start(t, hi);
	int level = 0;

	if (hi_line != line_start(t, lo) && hi_line != hi)
		return false;
	for (size_t i = lo; i + 1 < hi_line; i++)
		if (t[i] == '\n' && (t[i + 1] == '{' || t[i + 1] == '}'))
			return false;
	for (size_t i = 0; i < f->nr_dirs; i++) {
		const struct hdr_directive *d = &f->dirs[i];

		if (d->lo < lo || d->lo > hi)
			continue;
		if (d->kind == HDR_DIR_INCLUDE ||
		    (d->kind == HDR_DIR_ELSE && !level))
			return false;
		if (d->kind == HDR_DIR_IF)
			level++;
		else if (d->kind == HDR_DIR_END && --level < 0)
			return false;
	}
	return !level;
}

/* The lexer's state while scanning a file. */
struct hdr_scan {
	struct hdr_file *f;
	int depth, paren;
	char prev;		/* last significant character at file scope */
	size_t item;		/* where the current file-scope item starts */
	size_t open;		/* the '{' of the body being read, or SIZE_MAX */
	size_t ident_lo, ident_hi;	/* the last identifier at file scope */
	struct strlist names;	/* what the item's declarator calls */
	bool want_inner;	/* a CAPS(name) declarator: take the name */
	unsigned idents;	/* identifiers of the item so far */
	unsigned first_group;	/* ... when its first name( came */
};

static void scan_ident(struct hdr_scan *s, size_t lo, size_t hi)
{
	const char *t = s->f->text;

	if (s->depth)
		return;
	if (s->want_inner && s->paren == 1) {
		strlist_push_nodup(&s->names, xstrndup(t + lo, hi - lo));
		s->want_inner = false;
	}
	if (!s->paren) {
		s->ident_lo = lo;
		s->ident_hi = hi;
		s->idents++;
	}
	s->prev = 'a';
}

static void end_item(struct hdr_scan *s, size_t at)
{
	s->item = at;
	strlist_release(&s->names);
	s->want_inner = false;
	s->ident_hi = 0;
	s->idents = s->first_group = 0;
}

static void scan_punct(struct hdr_scan *s, size_t i)
{
	struct hdr_file *f = s->f;
	char ch = f->text[i];

	if (ch == '{') {
		if (!s->depth && !s->paren && s->prev == ')')
			s->open = i;
		s->depth++;
	} else if (ch == '}') {
		if (s->depth > 0 && !--s->depth && s->open != SIZE_MAX) {
			struct hdr_body *b;

			ALLOC_GROW(f->bodies, f->nr_bodies + 1, f->alloc_bodies);
			b = &f->bodies[f->nr_bodies++];
			memset(b, 0, sizeof(*b));
			b->item = s->item;
			b->lo = s->open;
			b->hi = i;
			b->names = s->names;
			memset(&s->names, 0, sizeof(s->names));
			/*
			 * "name(...) {" with nothing before the name is a
			 * macro, and may be a struct's (7.x's
			 * context_lock_struct()): a function has a type.
			 */
			b->blankable = s->first_group > 1 &&
				       body_blankable(f, b->lo, b->hi);
			s->open = SIZE_MAX;
			end_item(s, i + 1);
		}
	} else if (s->depth) {
		return;
	} else if (ch == '(') {
		if (!s->paren++ && s->ident_hi && s->prev == 'a') {
			char *name = xstrndup(f->text + s->ident_lo,
					      s->ident_hi - s->ident_lo);

			s->want_inner = all_caps(name);
			strlist_push_nodup(&s->names, name);
			if (!s->first_group)
				s->first_group = s->idents;
		}
	} else if (ch == ')') {
		if (s->paren > 0)
			s->paren--;
	} else if (ch == ';' && !s->paren) {
		end_item(s, i + 1);
	}
	if (!s->depth)
		s->prev = ch;
}

/* Skip a comment, string or character literal at T[I]; 0 if none. */
static size_t skip_literal(const char *t, size_t n, size_t i)
{
	if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
		const char *e = memmem(t + i + 2, n - i - 2, "*/", 2);

		return e ? (size_t)(e - t) + 2 : n;
	}
	if (t[i] == '/' && i + 1 < n && t[i + 1] == '/') {
		while (i < n && !(t[i] == '\n' && t[i - 1] != '\\'))
			i++;
		return i;
	}
	if (t[i] == '"' || t[i] == '\'') {
		char q = t[i++];

		while (i < n && t[i] != q && t[i] != '\n')
			i += t[i] == '\\' ? 2 : 1;
		return i < n ? i + 1 : n;
	}
	return 0;
}

static void scan_file(struct hdr_file *f)
{
	struct hdr_scan s = { .f = f, .open = SIZE_MAX };
	const char *t = f->text;
	size_t n = f->len, i = 0;
	bool bol = true;

	while (i < n) {
		unsigned char ch = (unsigned char)t[i];
		size_t e;

		if (ch == '\n') {
			bol = true;
			i++;
		} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			i++;
		} else if (bol && ch == '#') {
			e = directive_end(t, n, i);
			read_directive(f, i, e);
			i = e;
		} else if ((e = skip_literal(t, n, i))) {
			bol = false;
			if (t[i] == '"' || t[i] == '\'')
				s.prev = '"';
			i = e;
		} else if (is_ident(ch)) {
			for (e = i; e < n && is_ident((unsigned char)t[e]); e++)
				;
			scan_ident(&s, i, e);
			bol = false;
			i = e;
		} else {
			scan_punct(&s, i);
			bol = false;
			i++;
		}
	}
	strlist_release(&s.names);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

static struct hdr_file *file_new(const char *path, char *text, size_t len)
{
	struct hdr_file *f = xcalloc(1, sizeof(*f));

	f->path = xstrdup(path);
	f->dir = dir_of(path);
	f->text = text;
	f->len = len;
	scan_file(f);
	return f;
}

static void file_free(void *p)
{
	struct hdr_file *f = p;

	for (size_t i = 0; i < f->nr_bodies; i++)
		strlist_release(&f->bodies[i].names);
	for (size_t i = 0; i < f->nr_macros; i++)
		free(f->macros[i].name);
	for (size_t i = 0; i < f->nr_incs; i++)
		free(f->incs[i].name);
	free(f->bodies);
	free(f->macros);
	free(f->incs);
	free(f->dirs);
	strlist_release(&f->has);
	strlist_release(&f->lacks);
	free(f->text);
	free(f->dir);
	free(f->path);
	free(f);
}

static void lookup_free(void *p)
{
	struct hdr_lookup *l = p;

	free(l->key);
	free(l->real);
	free(l);
}

struct headers_cache *headers_cache_new(void)
{
	return xcalloc(1, sizeof(struct headers_cache));
}

void headers_cache_free(struct headers_cache *c)
{
	if (!c)
		return;
	tdestroy(c->files, file_free);
	tdestroy(c->lookups, lookup_free);
	free(c);
}

/* The cached file at real path REAL, read and scanned on first use. */
static struct hdr_file *cache_file(struct headers_cache *c, const char *real)
{
	struct hdr_file key = { .path = (char *)real }, *f, **slot;
	struct strbuf sb = STRBUF_INIT;

	slot = tfind(&key, &c->files, cmp_file);
	if (slot)
		return *slot;
	if (strbuf_read_file(&sb, real) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	f = file_new(real, sb.buf ? sb.buf : xstrdup(""), sb.len);
	tsearch(f, &c->files, cmp_file);
	return f;
}

/* The real path of CAND, or NULL; remembered for the worker's life. */
static const char *cache_lookup(struct headers_cache *c, const char *cand)
{
	struct hdr_lookup key = { .key = (char *)cand }, *l, **slot;
	char real[PATH_MAX];
	struct stat st;

	slot = tfind(&key, &c->lookups, cmp_lookup);
	if (slot)
		return (*slot)->real;
	l = xcalloc(1, sizeof(*l));
	l->key = xstrdup(cand);
	if (!stat(cand, &st) && S_ISREG(st.st_mode) && realpath(cand, real))
		l->real = xstrdup(real);
	tsearch(l, &c->lookups, cmp_lookup);
	return l->real;
}

static int cmp_virt(const void *key, const void *elt)
{
	return strcmp(key, (*(struct hdr_file *const *)elt)->path);
}

static struct hdr_file *plan_find(struct hdr_plan *p, const char *cand)
{
	struct hdr_file **v;
	const char *real;

	v = bsearch(cand, p->virt, p->nr_virt, sizeof(*p->virt), cmp_virt);
	if (v)
		return *v;
	real = cache_lookup(p->c, cand);
	return real ? cache_file(p->c, real) : NULL;
}

static void plan_reach(struct hdr_plan *p, struct hdr_file *f, size_t pos)
{
	if (!f || f->visit == p->c->gen)
		return;
	f->visit = p->c->gen;
	f->pos = pos;
	ALLOC_GROW(p->reached, p->nr_reached + 1, p->alloc_reached);
	p->reached[p->nr_reached++] = f;
}

/* Every file an #include of FROM can name (include_next: all of them). */
static void plan_include(struct hdr_plan *p, const struct hdr_file *from,
			 const struct hdr_include *inc, size_t pos)
{
	struct strbuf cand = STRBUF_INIT;
	const struct strlist *chains[] = { &p->quote, &p->angle };
	struct hdr_file *f = NULL;

	if (inc->name[0] == '/') {
		plan_reach(p, plan_find(p, inc->name), pos);
		return;
	}
	if (!inc->angle) {
		strbuf_addf(&cand, "%s/%s", from->dir, inc->name);
		f = plan_find(p, cand.buf);
		plan_reach(p, f, pos);
	}
	for (size_t c = inc->angle ? 1 : 0; c < 2 && !(f && !inc->next); c++) {
		for (size_t i = 0; i < chains[c]->nr; i++) {
			strbuf_reset(&cand);
			strbuf_addf(&cand, "%s/%s", chains[c]->v[i], inc->name);
			f = plan_find(p, cand.buf);
			plan_reach(p, f, pos);
			if (f && !inc->next)
				break;
		}
	}
	strbuf_release(&cand);
}

static void push_dir(struct strlist *l, const char *dir)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;

	if (realpath(dir, real))
		strbuf_addstr(&sb, real);
	else if (dir[0] != '/' && getcwd(cwd, sizeof(cwd)))
		strbuf_addf(&sb, "%s/%s", cwd, dir);
	else
		strbuf_addstr(&sb, dir);
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	if (!strlist_has(l, sb.buf))
		strlist_push(l, sb.buf);
	strbuf_release(&sb);
}

/* The value of option OPT at ARGV[*I], joined or separate; else NULL. */
static const char *opt_value(const struct strlist *argv, size_t *i,
			     const char *opt)
{
	const char *a = argv->v[*i];
	size_t n = strlen(opt);

	if (strncmp(a, opt, n))
		return NULL;
	if (a[n])
		return a + n;
	if (*i + 1 < argv->nr)
		return argv->v[++*i];
	return NULL;
}

static void plan_search_path(struct hdr_plan *p, const struct strlist *argv,
			     struct strlist *forced)
{
	struct strlist sys = STRLIST_INIT, after = STRLIST_INIT;
	const char *v;

	for (size_t i = 0; i < argv->nr; i++) {
		if ((v = opt_value(argv, &i, "-include")))
			strlist_push(forced, v);
		else if ((v = opt_value(argv, &i, "-iquote")))
			push_dir(&p->quote, v);
		else if ((v = opt_value(argv, &i, "-isystem")))
			push_dir(&sys, v);
		else if ((v = opt_value(argv, &i, "-idirafter")))
			push_dir(&after, v);
		else if ((v = opt_value(argv, &i, "-I")))
			push_dir(&p->angle, v);
	}
	for (size_t i = 0; i < sys.nr; i++)
		push_dir(&p->angle, sys.v[i]);
	for (size_t i = 0; i < after.nr; i++)
		push_dir(&p->angle, after.v[i]);
	strlist_release(&sys);
	strlist_release(&after);
}

static int cmp_virt_sort(const void *a, const void *b)
{
	return strcmp((*(struct hdr_file *const *)a)->path,
		      (*(struct hdr_file *const *)b)->path);
}

/*
 * The names a body or macro can make a trigger, each with the position
 * from which on the walk knows it; the seeds are known from the start
 * and match as substrings (as the walk's triggers do), so a name that
 * holds a seed adds nothing.
 */
struct hdr_words {
	struct strlist name;
	size_t *pos;
	size_t alloc, nr_seeds;
};

static void words_add(struct hdr_words *w, const char *name, size_t pos)
{
	for (size_t i = 0; i < w->name.nr; i++)
		if ((i < w->nr_seeds && strstr(name, w->name.v[i])) ||
		    (w->pos[i] <= pos && !strcmp(w->name.v[i], name)))
			return;
	ALLOC_GROW(w->pos, w->name.nr + 1, w->alloc);
	w->pos[w->name.nr] = pos;
	strlist_push(&w->name, name);
}

static bool mentions(const char *t, size_t lo, size_t hi,
		     const struct hdr_words *w, size_t from, size_t to,
		     size_t at)
{
	for (size_t i = from; i < to; i++)
		if (w->pos[i] <= at &&
		    memmem(t + lo, hi - lo, w->name.v[i], strlen(w->name.v[i])))
			return true;
	return false;
}

static bool file_mentions(struct hdr_file *f, const struct hdr_words *w,
			  size_t from, size_t to, size_t at)
{
	bool any = false;

	for (size_t i = from; i < to; i++) {
		const char *word = w->name.v[i];

		if (w->pos[i] > at)
			continue;
		if (strlist_has(&f->has, word)) {
			any = true;
		} else if (!strlist_has(&f->lacks, word)) {
			bool in = memmem(f->text, f->len, word, strlen(word));

			strlist_push(in ? &f->has : &f->lacks, word);
			any |= in;
		}
	}
	return any;
}

/*
 * Keep every body that names a word the walk knows when it gets there,
 * and make the names of what is kept words from there on: to a fixed
 * point.  The main file's bodies are where they are; any other file's
 * are where it is included.
 */
static void plan_keep(struct hdr_plan *p, const struct hdr_file *mf,
		      struct hdr_words *w)
{
	unsigned gen = p->c->gen;
	size_t done = 0;

	while (done < w->name.nr) {
		size_t upto = w->name.nr;

		for (size_t r = 0; r < p->nr_reached; r++) {
			struct hdr_file *f = p->reached[r];
			bool in_main = f == mf;

			if (!file_mentions(f, w, done, upto, in_main ? SIZE_MAX : f->pos))
				continue;
			for (size_t i = 0; i < f->nr_bodies; i++) {
				struct hdr_body *b = &f->bodies[i];
				size_t at = in_main ? b->lo : f->pos;

				if (b->kept == gen ||
				    !mentions(f->text, b->item, b->hi + 1, w, done,
					      upto, at))
					continue;
				b->kept = gen;
				for (size_t k = 0; k < b->names.nr; k++)
					words_add(w, b->names.v[k], at);
			}
			for (size_t i = 0; i < f->nr_macros; i++) {
				const struct hdr_macro *m = &f->macros[i];
				size_t at = in_main ? m->lo : f->pos;

				if (mentions(f->text, m->lo, m->hi, w, done, upto, at))
					words_add(w, m->name, at);
			}
		}
		done = upto;
	}
}

/* Spaces for every byte of OUT[LO, HI) but newlines. */
static void blank_range(char *out, size_t lo, size_t hi)
{
	while (lo < hi) {
		char *nl = memchr(out + lo, '\n', hi - lo);
		size_t e = nl ? (size_t)(nl - out) : hi;

		memset(out + lo, ' ', e - lo);
		lo = e + 1;
	}
}

/* F's text with its blankable, unkept bodies blanked; NULL if none. */
static char *blank(const struct hdr_file *f, unsigned gen, size_t *nr)
{
	char *out = NULL;
	size_t d = 0;

	for (size_t i = 0; i < f->nr_bodies; i++) {
		const struct hdr_body *b = &f->bodies[i];
		size_t k = b->lo + 1;

		if (b->kept == gen || !b->blankable)
			continue;
		if (!out) {
			out = xmalloc(f->len + 1);
			memcpy(out, f->text, f->len);
			out[f->len] = '\0';
		}
		(*nr)++;
		/* directive lines stay: a body may #define what others use */
		while (d < f->nr_dirs && f->dirs[d].hi < k)
			d++;
		for (; d < f->nr_dirs && f->dirs[d].lo < b->hi; d++) {
			blank_range(out, k, f->dirs[d].lo);
			k = f->dirs[d].hi;
		}
		blank_range(out, k, b->hi);
	}
	return out;
}

static int cmp_slim(const void *a, const void *b)
{
	return strcmp(((const struct headers_slim_file *)a)->path,
		      ((const struct headers_slim_file *)b)->path);
}

/* The unit's files with bodies to blank, but the virtual ones. */
static void plan_output(struct hdr_plan *p, struct hdr_file *mf,
			struct headers_slim *out)
{
	unsigned gen = p->c->gen;

	out->reached = p->nr_reached;
	for (size_t r = 0; r < p->nr_reached; r++) {
		struct hdr_file *f = p->reached[r];
		struct headers_slim_file *s;
		size_t nr = 0;
		char *text;

		out->bodies += f->nr_bodies;
		if ((f != mf && !strcmp(f->path, mf->path)) ||
		    bsearch(f->path, p->virt, p->nr_virt, sizeof(*p->virt),
			    cmp_virt))
			continue;
		text = blank(f, gen, &nr);
		if (!text)
			continue;
		out->blanked += nr;
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		s = &out->v[out->nr++];
		memset(s, 0, sizeof(*s));
		s->path = xstrdup(f->path);
		s->text = text;
		s->orig = f->text;
		s->len = f->len;
		if (f == mf) {
			/* the main file's text is the caller's, not the cache's */
			s->orig_owned = mf->text;
			mf->text = NULL;
		}
	}
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), cmp_slim);
}

void headers_slim_plan(struct headers_cache *c, const char *main,
		       const char *main_text, size_t main_len,
		       const struct strlist *argv, const struct strlist *vpath,
		       const struct strlist *vtext, const struct strlist *words,
		       struct headers_slim *out)
{
	struct hdr_plan p = { .c = c };
	struct strlist forced = STRLIST_INIT;
	struct hdr_words w = { STRLIST_INIT, NULL, 0, 0 };
	struct hdr_file *mf;
	char real[PATH_MAX];
	const char *main_real = realpath(main, real) ? real : NULL;

	c->gen++;
	plan_search_path(&p, argv, &forced);
	p.virt = xcalloc(vpath->nr + 1, sizeof(*p.virt));
	for (size_t i = 0; i < vpath->nr; i++)
		p.virt[p.nr_virt++] = file_new(vpath->v[i], xstrdup(vtext->v[i]),
					       strlen(vtext->v[i]));
	qsort(p.virt, p.nr_virt, sizeof(*p.virt), cmp_virt_sort);
	mf = file_new(main_real ? main_real : main, xstrndup(main_text, main_len),
		      main_len);
	plan_reach(&p, mf, 0);
	for (size_t i = 0; i < forced.nr; i++) {
		struct hdr_include inc = { .name = forced.v[i] };

		plan_include(&p, mf, &inc, 0);
	}
	/* the list grows while it is walked: breadth first */
	for (size_t r = 0; r < p.nr_reached; r++) {
		const struct hdr_file *f = p.reached[r];

		for (size_t i = 0; i < f->nr_incs; i++)
			plan_include(&p, f, &f->incs[i],
				     f == mf ? f->incs[i].at : f->pos);
	}
	for (size_t i = 0; i < words->nr; i++)
		words_add(&w, words->v[i], 0);
	w.nr_seeds = w.name.nr;
	plan_keep(&p, mf, &w);
	plan_output(&p, mf, out);
	for (size_t i = 0; i < p.nr_virt; i++)
		file_free(p.virt[i]);
	free(p.virt);
	file_free(mf);
	free(p.reached);
	strlist_release(&p.quote);
	strlist_release(&p.angle);
	strlist_release(&forced);
	strlist_release(&w.name);
	free(w.pos);
}

void headers_callables(const char *text, size_t len, char *const *words,
		       size_t nr_words, struct strlist *out)
{
	struct hdr_file *f;

	if (!mem_has_any(text, len, words, nr_words))
		return;
	f = file_new("-", xstrndup(text, len), len);
	for (size_t b = 0; b < f->nr_bodies; b++) {
		const struct hdr_body *body = &f->bodies[b];

		if (!mem_has_any(f->text + body->lo, body->hi - body->lo, words,
				 nr_words))
			continue;
		for (size_t k = 0; k < body->names.nr; k++)
			if (!strlist_has(out, body->names.v[k]))
				strlist_push(out, body->names.v[k]);
	}
	file_free(f);
}

void headers_slim_release(struct headers_slim *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->v[i].path);
		free(s->v[i].text);
		free(s->v[i].orig_owned);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const char *headers_slim_original(const struct headers_slim *s,
				  const char *realpath, size_t *len)
{
	struct headers_slim_file key = { .path = (char *)realpath }, *f;

	if (!s || !s->nr)
		return NULL;
	f = bsearch(&key, s->v, s->nr, sizeof(*s->v), cmp_slim);
	if (!f)
		return NULL;
	*len = f->len;
	return f->orig;
}
