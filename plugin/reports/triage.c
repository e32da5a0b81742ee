// SPDX-License-Identifier: GPL-2.0-only
/*
 * Triage (triage.h): the build condition of a finding from the tree's
 * Makefiles, Kbuild files and #if context, its value under a .config, and
 * its history.
 *
 * The Makefile model is kbuild's, read as text, not run: a directory D is
 * built when a line of its parent's Kbuild (else Makefile) lists "D/" in
 * obj-<s> or subdir-<s>, when arch/x86/Makefile lists it in a top-level
 * list (core-, drivers-, libs-...), or when a recipe descends into it
 * ($(MAKE) $(build)=D, as the boot image does); an object x.o is built
 * when its directory, or the nearest one above it, lists it in obj-<s>,
 * lib-<s>, in a composite object's list (kvm-amd-y += svm/svm.o, with
 * kvm-amd.o's own condition), or in another list the Makefile uses as
 * $(list-y) (the boot stub's vmlinux-objs-y).  <s> is y, m or
 * $(CONFIG_X); ifdef/ifndef/ifeq/ifneq blocks around a line add theirs.
 * What cannot be read is an unknown atom with the reason: a computed name
 * ($(subst ...), $(call ...)), a conditional on something else than a
 * CONFIG_ symbol, a directory or object no line names.
 */
#include "triage.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gitio.h"
#include "kconfig.h"
#include "kexpr.h"
#include "banned.h"

/* How deep composite objects and Kconfig defaults are followed. */
#define TRIAGE_DEPTH 8

struct mk_stmt {
	unsigned line;
	char *text;		/* as written, continuations joined */
	char *lhs, *rhs;	/* an assignment; rhs with variables expanded */
	bool recipe;
	struct kexpr *cond;	/* of the ifdef blocks around it, or NULL */
	struct strlist ctx;	/* those blocks' lines, for the chain */
};

struct mk_file {
	char *path;		/* relative to the root */
	bool exists;
	char *text;
	struct mk_stmt *v;
	size_t nr, alloc;
};

/* A condition and the lines it comes from. */
struct cond {
	struct kexpr *e;
	struct strlist chain;
};

struct dir_cond {
	char *dir;
	struct cond c;
};

struct sym {
	char *name;		/* CONFIG_X */
	int value;
};

/* One "config X" of the tree's Kconfig. */
struct kdef {
	char *name;		/* CONFIG_X */
	size_t order;		/* in the listing, to keep the first default first */
	bool prompt, is_bool;
	struct kexpr *deps;	/* NULL: none */
	struct kexpr **defaults, **default_if;
	size_t nr_defaults, alloc_defaults, alloc_if;
};

struct kselect {
	char *target, *by;	/* CONFIG_ names */
	struct kexpr *cond;
};

struct triage {
	char *root;
	char *config;		/* the file, for the record; NULL: none */
	struct sym *syms;
	size_t nr_syms;
	struct mk_file **mk;
	size_t nr_mk, alloc_mk;
	struct dir_cond *dirs;
	size_t nr_dirs, alloc_dirs;
	bool git;
	/* the tree's Kconfig, read on the first symbol the .config lacks */
	bool kconfig_read;
	size_t nr_kconfig_files;
	struct kdef *kdefs;
	size_t nr_kdefs, alloc_kdefs;
	struct kselect *selects;
	size_t nr_selects, alloc_selects;
	struct sym *derived;	/* values worked out from the Kconfig */
	size_t nr_derived, alloc_derived;
	struct strlist resolving;	/* against cycles */
	struct strlist *why;	/* the current evaluation's unknowns */
};

static char *path_join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	if (*a)
		strbuf_addf(&sb, "%s/%s", a, b);
	else
		strbuf_addstr(&sb, b);
	return strbuf_detach(&sb);
}

static char *parent_dir(const char *d)
{
	const char *slash = strrchr(d, '/');

	return slash ? xstrndup(d, (size_t)(slash - d)) : xstrdup("");
}

static void cond_release(struct cond *c)
{
	kexpr_free(c->e);
	strlist_release(&c->chain);
}

static void chain_add(struct strlist *chain, const char *file, unsigned line,
		      const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s:%u: %s", file, line, text);
	if (!strlist_has(chain, sb.buf))
		strlist_push(chain, sb.buf);
	strbuf_release(&sb);
}

static void chain_append(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->nr; i++)
		if (!strlist_has(dst, src->v[i]))
			strlist_push(dst, src->v[i]);
}

/* ---- reading Makefiles ---- */

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/*
 * Expand the variables of S that the model knows: $(obj) and $(src) are
 * DIR, $(srctree)/ and $(objtree)/ the top, $(SRCARCH) and $(ARCH) x86,
 * $(BITS) 64, and the simple variables the Makefile set before (VARS,
 * "name\tvalue").  Others stay as written: a computed name.
 */
static char *expand(const char *s, const char *dir, const struct strlist *vars)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		const char *end;
		char *name;
		const char *val = NULL;

		if (s[0] != '$' || s[1] != '(') {
			strbuf_addch(&sb, *s++);
			continue;
		}
		end = s + 2;
		while (is_ident(*end) || *end == '-')
			end++;
		if (*end != ')') {
			strbuf_addch(&sb, *s++);
			continue;
		}
		name = xstrndup(s + 2, (size_t)(end - s - 2));
		if (!strcmp(name, "obj") || !strcmp(name, "src"))
			val = *dir ? dir : ".";
		else if (!strcmp(name, "srctree") || !strcmp(name, "objtree"))
			val = ".";
		else if (!strcmp(name, "SRCARCH") || !strcmp(name, "ARCH"))
			val = "x86";
		else if (!strcmp(name, "BITS"))
			val = "64";
		for (size_t i = vars->nr; !val && i-- > 0;) {
			size_t n = strlen(name);

			if (!strncmp(vars->v[i], name, n) && vars->v[i][n] == '\t')
				val = vars->v[i] + n + 1;
		}
		if (val) {
			strbuf_addstr(&sb, val);
		} else {
			strbuf_add(&sb, s, (size_t)(end - s + 1));
		}
		free(name);
		s = end + 1;
	}
	return strbuf_detach(&sb);
}

/* "$(CONFIG_X)" exactly: its name, else NULL. */
static char *config_ref(const char *s)
{
	size_t n = strlen(s);

	if (n > 10 && !strncmp(s, "$(CONFIG_", 9) && s[n - 1] == ')') {
		for (size_t i = 2; i < n - 1; i++)
			if (!is_ident(s[i]))
				return NULL;
		return xstrndup(s + 2, n - 3);
	}
	return NULL;
}

/* The two operands of ifeq/ifneq: "(a,b)" or "'a' 'b'" / "\"a\" \"b\"". */
static int ifeq_args(const char *s, char **a, char **b)
{
	int depth = 0;
	const char *comma = NULL, *p;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '(') {
		size_t n = strlen(s);

		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n < 2 || s[n - 1] != ')')
			return -1;
		for (p = s + 1; p < s + n - 1; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if (*p == ',' && !depth && !comma)
				comma = p;
		}
		if (!comma)
			return -1;
		*a = trim_dup(s + 1, (size_t)(comma - s - 1));
		*b = trim_dup(comma + 1, (size_t)(s + n - 1 - comma - 1));
		return 0;
	}
	if (*s == '"' || *s == '\'') {
		char q = *s;
		const char *e1 = strchr(s + 1, q), *s2, *e2;

		if (!e1)
			return -1;
		s2 = e1 + 1;
		while (*s2 == ' ' || *s2 == '\t')
			s2++;
		if (*s2 != '"' && *s2 != '\'')
			return -1;
		e2 = strchr(s2 + 1, *s2);
		if (!e2)
			return -1;
		*a = xstrndup(s + 1, (size_t)(e1 - s - 1));
		*b = xstrndup(s2 + 1, (size_t)(e2 - s2 - 1));
		return 0;
	}
	return -1;
}

/*
 * The condition of a Makefile conditional DIRECTIVE ("ifdef", ...) with
 * ARG: a test of one CONFIG_ symbol, else unknown.
 */
static struct kexpr *mk_if_cond(const char *directive, const char *arg,
				const char *file, unsigned line)
{
	char *a = NULL, *b = NULL, *sym = NULL;
	struct kexpr *e = NULL;
	bool neg = !strcmp(directive, "ifndef") || !strcmp(directive, "ifneq");

	if (!strcmp(directive, "ifdef") || !strcmp(directive, "ifndef")) {
		char *name = trim_dup(arg, strlen(arg));

		if (!strncmp(name, "CONFIG_", 7)) {
			bool ok = true;

			for (const char *p = name; *p; p++)
				ok &= is_ident(*p);
			if (ok)
				e = kexpr_sym(name, KEXPR_N, KEXPR_Y, KEXPR_Y);
		}
		free(name);
	} else if (!ifeq_args(arg, &a, &b)) {
		char *ref = config_ref(a), *val = b;

		if (!ref) {
			ref = config_ref(b);
			val = a;
		}
		sym = ref;
		if (sym && !strcmp(val, "y"))
			e = kexpr_sym(sym, KEXPR_N, KEXPR_N, KEXPR_Y);
		else if (sym && !strcmp(val, "m"))
			e = kexpr_sym(sym, KEXPR_N, KEXPR_Y, KEXPR_N);
		else if (sym && (!*val || !strcmp(val, "n")))
			e = kexpr_sym(sym, KEXPR_Y, KEXPR_N, KEXPR_N);
	}
	free(a);
	free(b);
	free(sym);
	if (!e)
		return kexpr_unknown("'%s %s' at %s:%u does not test a CONFIG_ symbol",
				     directive, arg, file, line);
	return neg ? kexpr_not(e) : e;
}

struct mk_frame {
	struct kexpr *cur;	/* this branch's condition */
	struct kexpr *taken;	/* the earlier branches', OR-ed */
	char *text;		/* "file:line: directive" of the branch */
};

static struct kexpr *frames_cond(const struct mk_frame *f, size_t nr)
{
	struct kexpr *e = NULL;

	for (size_t i = 0; i < nr; i++)
		e = kexpr_and(e, kexpr_dup(f[i].cur));
	return kexpr_simplify(e);
}

static bool starts_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (!s[n] || s[n] == ' ' || s[n] == '\t' ||
				     s[n] == '(' || s[n] == '"' || s[n] == '\'');
}

/* Find the assignment operator at depth 0: its offset and length. */
static bool find_assign(const char *s, size_t *at, size_t *oplen)
{
	int depth = 0;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '(' || s[i] == '{')
			depth++;
		else if (s[i] == ')' || s[i] == '}')
			depth--;
		if (depth)
			continue;
		if (s[i] == '=') {
			*at = i;
			*oplen = 1;
			return true;
		}
		if ((s[i] == '+' || s[i] == '?' || s[i] == '!') && s[i + 1] == '=') {
			*at = i;
			*oplen = 2;
			return true;
		}
		if (s[i] == ':') {
			if (s[i + 1] == '=') {
				*at = i;
				*oplen = 2;
				return true;
			}
			if (s[i + 1] == ':' && s[i + 2] == '=') {
				*at = i;
				*oplen = 3;
				return true;
			}
			return false;	/* a rule */
		}
	}
	return false;
}

/* S with each run of blanks as one space, for the chain. */
static char *squeeze(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			if (sb.len && sb.buf[sb.len - 1] != ' ')
				strbuf_addch(&sb, ' ');
			continue;
		}
		strbuf_addch(&sb, *s);
	}
	return sb.buf ? strbuf_detach(&sb) : xstrdup("");
}

/* A Makefile's parse state: its open conditionals and simple variables. */
struct mk_state {
	struct mk_frame frames[32];
	size_t nf;
	struct strlist vars;
	bool in_rule;
};

/*
 * The next logical line of *P into SB: continuation lines joined (with a
 * space between them if SPACE, as make reads them), up to line BEFORE
 * (0: to the end).
 */
static void logical_line(const char **pp, unsigned *lineno, unsigned before,
			 bool space, struct strbuf *sb)
{
	const char *p = *pp;

	for (;;) {
		size_t n = strcspn(p, "\n");

		(*lineno)++;
		if (n && p[n - 1] == '\\') {
			strbuf_add(sb, p, n - 1);
			if (space)
				strbuf_addch(sb, ' ');
			p += n + (p[n] != 0);
			if (*p && (!before || *lineno + 1 < before))
				continue;
		} else {
			strbuf_add(sb, p, n);
			p += n + (p[n] != 0);
		}
		break;
	}
	*pp = p;
}

/* "else [ifeq ...]": the frame's branch switches. */
static void mk_else(struct mk_file *mk, struct mk_frame *f, const char *s,
		    unsigned first)
{
	const char *rest = s + 4;
	struct strbuf txt = STRBUF_INIT;
	char *sq = squeeze(s);

	while (*rest == ' ' || *rest == '\t')
		rest++;
	f->taken = kexpr_or(f->taken, f->cur);
	f->cur = kexpr_not(kexpr_dup(f->taken));
	strbuf_addf(&txt, "%s:%u: %s (%s)", mk->path, first, sq, f->text);
	free(sq);
	free(f->text);
	f->text = strbuf_detach(&txt);
	if (*rest) {
		size_t w = strcspn(rest, " \t(\"'");
		char *d = xstrndup(rest, w);

		f->cur = kexpr_and(f->cur, mk_if_cond(d, rest + w, mk->path,
						      first));
		free(d);
	}
}

/* A statement S at FIRST (TAB: it starts with a tab) under the frames. */
static void mk_stmt(struct mk_file *mk, struct mk_state *ms, const char *dir,
		    const char *s, unsigned first, bool tab)
{
	struct mk_stmt *st;
	size_t at, oplen;

	ALLOC_GROW(mk->v, mk->nr + 1, mk->alloc);
	st = &mk->v[mk->nr++];
	memset(st, 0, sizeof(*st));
	st->line = first;
	st->text = squeeze(s);
	st->cond = frames_cond(ms->frames, ms->nf);
	for (size_t k = 0; k < ms->nf; k++)
		strlist_push(&st->ctx, ms->frames[k].text);
	if (tab && ms->in_rule) {
		st->recipe = true;
		st->rhs = expand(s, dir, &ms->vars);
	} else if (find_assign(s, &at, &oplen)) {
		st->lhs = trim_dup(s, at);
		st->rhs = expand(s + at + oplen, dir, &ms->vars);
		ms->in_rule = false;
		if (s[at] != '+' && !strchr(st->lhs, '$') &&
		    !strchr(st->rhs, '$')) {
			struct strbuf v = STRBUF_INIT;
			char *val = trim_dup(st->rhs, strlen(st->rhs));

			strbuf_addf(&v, "%s\t%s", st->lhs, val);
			strlist_push_nodup(&ms->vars, strbuf_detach(&v));
			free(val);
		}
	} else {
		ms->in_rule = strchr(s, ':') != NULL;
	}
}

/* One line S (comment cut, trimmed, not empty) at FIRST. */
static void mk_line(struct mk_file *mk, struct mk_state *ms, const char *dir,
		    const char *s, unsigned first, bool tab)
{
	if (starts_word(s, "ifdef") || starts_word(s, "ifndef") ||
	    starts_word(s, "ifeq") || starts_word(s, "ifneq")) {
		size_t w = strcspn(s, " \t(\"'");
		char *d = xstrndup(s, w);

		if (ms->nf < sizeof(ms->frames) / sizeof(*ms->frames)) {
			struct mk_frame *f = &ms->frames[ms->nf++];
			struct strbuf txt = STRBUF_INIT;
			char *sq = squeeze(s);

			strbuf_addf(&txt, "%s:%u: %s", mk->path, first, sq);
			free(sq);
			f->cur = mk_if_cond(d, s + w, mk->path, first);
			f->taken = NULL;
			f->text = strbuf_detach(&txt);
		}
		free(d);
	} else if (starts_word(s, "else") && ms->nf) {
		mk_else(mk, &ms->frames[ms->nf - 1], s, first);
	} else if (starts_word(s, "endif") && ms->nf) {
		ms->nf--;
		kexpr_free(ms->frames[ms->nf].cur);
		kexpr_free(ms->frames[ms->nf].taken);
		free(ms->frames[ms->nf].text);
	} else {
		mk_stmt(mk, ms, dir, s, first, tab);
	}
}

static void mk_parse(struct mk_file *mk, const char *dir)
{
	struct mk_state ms;
	const char *p = mk->text;
	unsigned lineno = 0;

	memset(&ms, 0, sizeof(ms));
	while (*p) {
		struct strbuf line = STRBUF_INIT;
		unsigned first = lineno + 1;
		bool tab = *p == '\t';
		char *s, *hash;

		logical_line(&p, &lineno, 0, true, &line);
		hash = line.buf ? strchr(line.buf, '#') : NULL;
		if (hash && !tab)
			strbuf_setlen(&line, (size_t)(hash - line.buf));
		s = trim_dup(line.buf ? line.buf : "", line.len);
		if (*s)
			mk_line(mk, &ms, dir, s, first, tab);
		free(s);
		strbuf_release(&line);
	}
	while (ms.nf--) {
		kexpr_free(ms.frames[ms.nf].cur);
		kexpr_free(ms.frames[ms.nf].taken);
		free(ms.frames[ms.nf].text);
	}
	strlist_release(&ms.vars);
}

static const struct mk_file *mk_get(struct triage *t, const char *path,
				    const char *dir)
{
	struct mk_file *mk;
	struct strbuf abs = STRBUF_INIT, text = STRBUF_INIT;

	for (size_t i = 0; i < t->nr_mk; i++)
		if (!strcmp(t->mk[i]->path, path))
			return t->mk[i];
	mk = xcalloc(1, sizeof(*mk));
	mk->path = xstrdup(path);
	strbuf_addf(&abs, "%s/%s", t->root, path);
	if (!strbuf_read_file(&text, abs.buf) && !memchr(text.buf ? text.buf : "", 0, text.len)) {
		mk->exists = true;
		mk->text = strbuf_detach(&text);
		mk_parse(mk, dir);
	}
	strbuf_release(&abs);
	strbuf_release(&text);
	ALLOC_GROW(t->mk, t->nr_mk + 1, t->alloc_mk);
	t->mk[t->nr_mk++] = mk;
	return mk;
}

/* The file kbuild reads for DIR's lists: Kbuild, else Makefile. */
static const struct mk_file *mk_kbuild(struct triage *t, const char *dir)
{
	char *p = path_join(dir, "Kbuild");
	const struct mk_file *mk = mk_get(t, p, dir);

	free(p);
	if (mk->exists)
		return mk;
	p = path_join(dir, "Makefile");
	mk = mk_get(t, p, dir);
	free(p);
	return mk;
}

/*
 * Split an assignment's left side "LIST-SUFFIX" (obj-y, kvm-amd-$(CONFIG_X),
 * kvm-objs).  Returns false for a name that is no list.
 */
static bool lhs_split(const char *lhs, char **list, char **suffix)
{
	int depth = 0;
	const char *dash = NULL;

	for (const char *p = lhs; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '-' && !depth)
			dash = p;
	}
	if (!dash || dash == lhs)
		return false;
	*list = xstrndup(lhs, (size_t)(dash - lhs));
	*suffix = xstrdup(dash + 1);
	return true;
}

/* The condition a list's SUFFIX gives: NULL for none (a cleaning list). */
static struct kexpr *suffix_cond(const char *suffix, const struct mk_file *mk,
				 const struct mk_stmt *st)
{
	char *sym;

	if (!strcmp(suffix, "y") || !strcmp(suffix, "objs"))
		return kexpr_const(KEXPR_Y);
	if (!strcmp(suffix, "m"))
		return kexpr_const(KEXPR_M);
	if (!*suffix)
		return NULL;
	sym = config_ref(suffix);
	if (sym) {
		struct kexpr *e = kexpr_sym(sym, KEXPR_N, KEXPR_M, KEXPR_Y);

		free(sym);
		return e;
	}
	return kexpr_unknown("computed name '%s' at %s:%u", st->lhs, mk->path,
			     st->line);
}

/* Does the word list RHS hold WANT, as written or under DIR/? */
static bool rhs_names(const char *rhs, const char *dir, const char *want)
{
	const char *p = rhs;
	size_t dl = strlen(dir);

	while (*p) {
		size_t n;
		const char *w;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		w = p;
		if (n > 2 && !strncmp(w, "./", 2)) {
			w += 2;
			n -= 2;
		}
		if (dl && n > dl + 1 && !strncmp(w, dir, dl) && w[dl] == '/') {
			w += dl + 1;
			n -= dl + 1;
		}
		if (n && n == strlen(want) && !strncmp(w, want, n))
			return true;
		p += n;
	}
	return false;
}

static bool is_list(const char *list, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(list, *names))
			return true;
	return false;
}

static const char *const obj_lists[] = { "obj", "lib", "extra", "always", NULL };
static const char *const dir_lists[] = { "obj", "subdir", NULL };
static const char *const top_lists[] = {
	"core", "drivers", "libs", "init", "net", "virt", "head", NULL
};
static const char *const no_build_lists[] = {
	"subdir", "targets", "hostprogs", "clean-files", "clean-dirs",
	"userprogs", "always-y", NULL
};

static void cond_dir(struct triage *t, const char *dir, struct cond *out);

/* Add the term of statement ST of MK (its suffix, its ifdef context). */
static void add_term(struct kexpr **terms, struct strlist *chain,
		     const struct mk_file *mk, const struct mk_stmt *st,
		     struct kexpr *suffix)
{
	*terms = kexpr_or(*terms, kexpr_and(kexpr_dup(st->cond), suffix));
	for (size_t i = 0; i < st->ctx.nr; i++)
		if (!strlist_has(chain, st->ctx.v[i]))
			strlist_push(chain, st->ctx.v[i]);
	chain_add(chain, mk->path, st->line, st->text);
}

/* "$(build)=DIR" in a recipe of MK. */
static bool recipe_builds(const struct mk_stmt *st, const char *dir)
{
	const char *p = st->rhs;

	while (st->recipe && (p = strstr(p, "$(build)=")) != NULL) {
		p += 9;
		if (!strncmp(p, "./", 2))
			p += 2;
		if (!strncmp(p, dir, strlen(dir))) {
			const char *e = p + strlen(dir);

			e += *e == '/';
			if (!*e || *e == ' ' || *e == '\t')
				return true;
		}
	}
	return false;
}

/*
 * The lines of ANC's files that build DIR (REL from ANC): obj-/subdir- of
 * its Kbuild, the top-level lists of arch/x86/Makefile, recipes that
 * descend into it.  False if none does; *COMPUTED collects the lines
 * with names that cannot be read.
 */
static bool dir_terms(struct triage *t, const char *anc, const char *dir,
		      struct kexpr **terms, struct kexpr **computed,
		      struct strlist *chain)
{
	const struct mk_file *kb = mk_kbuild(t, anc), *files[3];
	const char *rel = dir + strlen(anc) + (*anc ? 1 : 0);
	struct strbuf want = STRBUF_INIT, full = STRBUF_INIT;
	char *mkpath = path_join(anc, "Makefile");
	size_t nfiles = 0;
	bool found = false;

	strbuf_addf(&want, "%s/", rel);
	strbuf_addf(&full, "%s/", dir);
	files[nfiles++] = kb;
	if (strcmp(kb->path, mkpath))
		files[nfiles++] = mk_get(t, mkpath, anc);
	if (strcmp(anc, "arch/x86") && !strncmp(dir, "arch/x86/", 9))
		files[nfiles++] = mk_get(t, "arch/x86/Makefile", "arch/x86");
	for (size_t f = 0; f < nfiles; f++) {
		const struct mk_file *mk = files[f];

		for (size_t i = 0; i < mk->nr; i++) {
			const struct mk_stmt *st = &mk->v[i];
			char *list, *suffix;

			if (recipe_builds(st, dir)) {
				add_term(terms, chain, mk, st, kexpr_const(KEXPR_Y));
				found = true;
				continue;
			}
			if (!st->lhs || !lhs_split(st->lhs, &list, &suffix))
				continue;
			if (((mk == kb && is_list(list, dir_lists)) &&
			     rhs_names(st->rhs, anc, want.buf)) ||
			    (is_list(list, top_lists) &&
			     rhs_names(st->rhs, "", full.buf))) {
				struct kexpr *s = suffix_cond(suffix, mk, st);

				if (s) {
					add_term(terms, chain, mk, st, s);
					found = true;
				}
			} else if (mk == kb && is_list(list, dir_lists) && *suffix &&
				   strstr(st->rhs, "$(")) {
				*computed = kexpr_or(*computed, kexpr_unknown(
					"'%s' is not named by a line that can be read; %s:%u lists computed names: '%s'",
					full.buf, mk->path, st->line, st->text));
			}
			free(list);
			free(suffix);
		}
	}
	strbuf_release(&want);
	strbuf_release(&full);
	free(mkpath);
	return found;
}

static void cond_dir_uncached(struct triage *t, const char *dir,
			      struct cond *out)
{
	char *anc = parent_dir(dir);
	struct kexpr *terms = NULL, *computed = NULL;
	struct cond up = { NULL, STRLIST_INIT };
	struct strlist chain = STRLIST_INIT;
	char *first_kbuild = NULL;

	/* the nearest directory above whose files name it: obj-y += arch/x86/ */
	for (;;) {
		if (!first_kbuild)
			first_kbuild = xstrdup(mk_kbuild(t, anc)->path);
		if (dir_terms(t, anc, dir, &terms, &computed, &chain) || !*anc)
			break;
		{
			char *next = parent_dir(anc);

			free(anc);
			anc = next;
		}
	}
	if (!terms)
		terms = computed ? computed :
			kexpr_unknown("no line of '%s' builds '%s/'", first_kbuild,
				      dir);
	else
		kexpr_free(computed);
	cond_dir(t, anc, &up);
	out->e = kexpr_simplify(kexpr_and(kexpr_dup(up.e), terms));
	chain_append(&out->chain, &up.chain);
	chain_append(&out->chain, &chain);
	cond_release(&up);
	strlist_release(&chain);
	free(first_kbuild);
	free(anc);
}

static void cond_dir(struct triage *t, const char *dir, struct cond *out)
{
	struct dir_cond *dc;
	struct cond c = { NULL, STRLIST_INIT };

	memset(out, 0, sizeof(*out));
	if (!*dir) {
		out->e = kexpr_const(KEXPR_Y);
		return;
	}
	for (size_t i = 0; i < t->nr_dirs; i++)
		if (!strcmp(t->dirs[i].dir, dir)) {
			out->e = kexpr_dup(t->dirs[i].c.e);
			chain_append(&out->chain, &t->dirs[i].c.chain);
			return;
		}
	/* the parents are worked out (and cached) first */
	cond_dir_uncached(t, dir, &c);
	ALLOC_GROW(t->dirs, t->nr_dirs + 1, t->alloc_dirs);
	dc = &t->dirs[t->nr_dirs++];
	dc->dir = xstrdup(dir);
	dc->c = c;
	out->e = kexpr_dup(dc->c.e);
	chain_append(&out->chain, &dc->c.chain);
}

/*
 * The condition of object OBJ ("svm/svm.o") as DIR's lists give it, or
 * false if no line there names it.
 */
static bool cond_in_dir(struct triage *t, const char *dir, const char *obj,
			int depth, struct kexpr **terms, struct strlist *chain)
{
	const struct mk_file *mk = mk_kbuild(t, dir);
	bool found = false;

	for (size_t i = 0; mk->exists && i < mk->nr; i++) {
		const struct mk_stmt *st = &mk->v[i];
		char *list, *suffix;
		struct kexpr *s;

		if (!st->lhs || !rhs_names(st->rhs, dir, obj) ||
		    !lhs_split(st->lhs, &list, &suffix))
			continue;
		if (is_list(list, no_build_lists) || !(s = suffix_cond(suffix, mk, st))) {
			free(list);
			free(suffix);
			continue;
		}
		if (is_list(list, obj_lists)) {
			add_term(terms, chain, mk, st, s);
			found = true;
		} else {
			struct strbuf comp = STRBUF_INIT, use = STRBUF_INIT;
			struct kexpr *ct = NULL;
			struct strlist cc = STRLIST_INIT;

			/* a composite object: kvm-amd-y += svm/svm.o */
			strbuf_addf(&comp, "%s.o", list);
			strbuf_addf(&use, "$(%s-y)", list);
			if (depth < TRIAGE_DEPTH &&
			    cond_in_dir(t, dir, comp.buf, depth + 1, &ct, &cc)) {
				add_term(terms, chain, mk, st, kexpr_and(s, ct));
				chain_append(chain, &cc);
				found = true;
			} else if (strstr(mk->text, use.buf)) {
				/* a list the Makefile links itself */
				add_term(terms, chain, mk, st, s);
				found = true;
			} else {
				kexpr_free(s);
				kexpr_free(ct);
			}
			strlist_release(&cc);
			strbuf_release(&comp);
			strbuf_release(&use);
		}
		free(list);
		free(suffix);
	}
	return found;
}

/* The condition of the .c file REL (its object, from the nearest Makefile). */
static void cond_object(struct triage *t, const char *rel, struct cond *out)
{
	char *dir = parent_dir(rel);
	struct kexpr *terms = NULL;
	struct strlist chain = STRLIST_INIT;
	size_t n = strlen(rel);

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *tail = rel + strlen(dir) + (*dir ? 1 : 0);
		struct strbuf obj = STRBUF_INIT;
		bool found;
		char *up;

		strbuf_add(&obj, tail, strlen(tail) - (n > 2 ? 2 : 0));
		strbuf_addstr(&obj, ".o");
		found = cond_in_dir(t, dir, obj.buf, 0, &terms, &chain);
		strbuf_release(&obj);
		if (found) {
			struct cond dc;

			cond_dir(t, dir, &dc);
			out->e = kexpr_simplify(kexpr_and(kexpr_dup(dc.e), terms));
			chain_append(&out->chain, &dc.chain);
			chain_append(&out->chain, &chain);
			cond_release(&dc);
			break;
		}
		if (!*dir) {
			out->e = kexpr_unknown("no Makefile line builds '%s'", rel);
			break;
		}
		up = parent_dir(dir);
		free(dir);
		dir = up;
	}
	strlist_release(&chain);
	free(dir);
}

/* ---- #if context ---- */

struct pp_tok {
	const char *s;
	size_t n;
};

struct pp_parse {
	struct pp_tok *tok;
	size_t nr, pos;
	bool bad;
	const char *file;
	unsigned line;
};

static bool tok_is(const struct pp_parse *p, const char *s)
{
	return p->pos < p->nr && p->tok[p->pos].n == strlen(s) &&
	       !strncmp(p->tok[p->pos].s, s, p->tok[p->pos].n);
}

static struct kexpr *pp_or(struct pp_parse *p);

static char *pp_ident(struct pp_parse *p)
{
	if (p->pos >= p->nr || !is_ident(*p->tok[p->pos].s) ||
	    (*p->tok[p->pos].s >= '0' && *p->tok[p->pos].s <= '9')) {
		p->bad = true;
		return NULL;
	}
	p->pos++;
	return xstrndup(p->tok[p->pos - 1].s, p->tok[p->pos - 1].n);
}

/* A CONFIG_ name through MAP, or unknown for another macro. */
static struct kexpr *pp_sym(struct pp_parse *p, char *name, int n, int m, int y)
{
	struct kexpr *e;

	if (!name)
		return NULL;
	if (strncmp(name, "CONFIG_", 7))
		e = kexpr_unknown("'%s' at %s:%u is not a CONFIG_ symbol", name,
				  p->file, p->line);
	else
		e = kexpr_sym(name, n, m, y);
	free(name);
	return e;
}

static struct kexpr *pp_primary(struct pp_parse *p)
{
	static const struct {
		const char *name;
		int n, m, y;
	} macros[] = {
		{ "IS_ENABLED", 0, 2, 2 }, { "IS_BUILTIN", 0, 0, 2 },
		{ "IS_MODULE", 0, 2, 0 }, { "IS_REACHABLE", 0, 2, 2 },
		{ "IS_TRISTATE", 0, 1, 2 },	/* kc_expr(): a Kconfig name */
	};
	struct kexpr *e;

	if (p->pos >= p->nr) {
		p->bad = true;
		return NULL;
	}
	if (tok_is(p, "!")) {
		p->pos++;
		return kexpr_not(pp_primary(p));
	}
	if (tok_is(p, "(")) {
		p->pos++;
		e = pp_or(p);
		if (!tok_is(p, ")"))
			p->bad = true;
		p->pos++;
		return e;
	}
	if (tok_is(p, "defined")) {
		bool paren;

		p->pos++;
		paren = tok_is(p, "(");
		p->pos += paren;
		e = pp_sym(p, pp_ident(p), 0, 0, 2);
		if (paren && !tok_is(p, ")"))
			p->bad = true;
		p->pos += paren;
		return e;
	}
	for (size_t i = 0; i < sizeof(macros) / sizeof(*macros); i++)
		if (tok_is(p, macros[i].name)) {
			p->pos++;
			if (!tok_is(p, "(")) {
				p->bad = true;
				return NULL;
			}
			p->pos++;
			e = pp_sym(p, pp_ident(p), macros[i].n, macros[i].m,
				   macros[i].y);
			if (!tok_is(p, ")"))
				p->bad = true;
			p->pos++;
			return e;
		}
	if (*p->tok[p->pos].s >= '0' && *p->tok[p->pos].s <= '9') {
		bool zero = strspn(p->tok[p->pos].s, "0") == p->tok[p->pos].n;

		p->pos++;
		return kexpr_const(zero ? KEXPR_N : KEXPR_Y);
	}
	/* a bare CONFIG_X is 1 when it is y */
	return pp_sym(p, pp_ident(p), 0, 0, 2);
}

static struct kexpr *pp_and(struct pp_parse *p)
{
	struct kexpr *e = pp_primary(p);

	while (!p->bad && tok_is(p, "&&")) {
		p->pos++;
		e = kexpr_and(e, pp_primary(p));
	}
	return e;
}

static struct kexpr *pp_or(struct pp_parse *p)
{
	struct kexpr *e = pp_and(p);

	while (!p->bad && tok_is(p, "||")) {
		p->pos++;
		e = kexpr_or(e, pp_and(p));
	}
	return e;
}

/* The condition of "#if EXPR"; unknown for what is not a CONFIG_ test. */
static struct kexpr *pp_cond(const char *expr, const char *file, unsigned line)
{
	struct pp_parse p = { NULL, 0, 0, false, file, line };
	size_t alloc = 0;
	struct kexpr *e;
	const char *s = expr;

	while (*s) {
		size_t n = 0;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (is_ident(*s))
			while (is_ident(s[n]))
				n++;
		else if ((s[0] == '&' && s[1] == '&') || (s[0] == '|' && s[1] == '|'))
			n = 2;
		else if (strchr("!()", *s) && !(s[0] == '!' && s[1] == '='))
			n = 1;
		else
			p.bad = true;
		if (p.bad)
			break;
		ALLOC_GROW(p.tok, p.nr + 1, alloc);
		p.tok[p.nr].s = s;
		p.tok[p.nr++].n = n;
		s += n;
	}
	e = p.bad ? NULL : pp_or(&p);
	if (p.bad || p.pos != p.nr) {
		kexpr_free(e);
		e = kexpr_unknown("'#if %s' at %s:%u is not a test of CONFIG_ symbols",
				  expr, file, line);
	}
	free(p.tok);
	return e;
}

struct pp_frame {
	struct kexpr *cur, *taken;
	unsigned line;
	char *text;		/* the branch's directive, as "file:line: text" */
	bool guard;
};

/* Comments out of S, in place; the state carries over lines. */
static void pp_strip_comments(char *s, bool *in_comment)
{
	size_t o = 0;

	for (size_t i = 0; s[i]; i++) {
		if (*in_comment) {
			if (s[i] == '*' && s[i + 1] == '/') {
				*in_comment = false;
				i++;
			}
			continue;
		}
		if (s[i] == '/' && s[i + 1] == '*') {
			*in_comment = true;
			i++;
			s[o++] = ' ';
			continue;
		}
		if (s[i] == '/' && s[i + 1] == '/')
			break;
		s[o++] = s[i];
	}
	s[o] = '\0';
}

/* The preprocessor state of if_context(): the open conditionals. */
struct pp_state {
	struct pp_frame fr[64];
	size_t nf;
	unsigned ndirectives;
	char *guard;		/* the first #ifndef's symbol, until line 2 */
	const char *rel;
};

/* The condition of #WORD ARG (if, ifdef, ifndef and their elif forms). */
static struct kexpr *pp_directive_cond(const char *word, const char *arg,
				       const char *rel, unsigned first)
{
	struct pp_parse pp = { NULL, 0, 0, false, rel, first };
	struct kexpr *c;

	if (!strcmp(word, "if") || !strcmp(word, "elif"))
		return pp_cond(arg, rel, first);
	c = pp_sym(&pp, xstrdup(arg), 0, 0, 2);
	if (!strcmp(word, "ifndef") || !strcmp(word, "elifndef"))
		c = kexpr_not(c);
	return c;
}

static bool is_word(const char *word, const char *a, const char *b,
		    const char *c, const char *d)
{
	return !strcmp(word, a) || !strcmp(word, b) || !strcmp(word, c) ||
	       (d && !strcmp(word, d));
}

/* #WORD ARG at line FIRST, SHOWN its text (taken): push, switch or pop. */
static void pp_directive(struct pp_state *st, const char *word,
			 const char *arg, unsigned first, char *shown)
{
	const char *g = st->guard;

	st->ndirectives++;
	if (g && st->ndirectives == 2 && !strcmp(word, "define") &&
	    !strncmp(arg, g, strlen(g)) &&
	    (!arg[strlen(g)] || arg[strlen(g)] == ' ') && st->nf)
		st->fr[st->nf - 1].guard = true;
	free(st->guard);
	st->guard = NULL;
	if (is_word(word, "if", "ifdef", "ifndef", NULL) &&
	    st->nf < sizeof(st->fr) / sizeof(*st->fr)) {
		struct pp_frame *f = &st->fr[st->nf++];

		if (!strcmp(word, "ifndef") && st->ndirectives == 1)
			st->guard = xstrdup(arg);
		f->cur = pp_directive_cond(word, arg, st->rel, first);
		f->taken = NULL;
		f->line = first;
		f->text = shown;
		f->guard = false;
		return;
	}
	if (is_word(word, "elif", "else", "elifdef", "elifndef") && st->nf) {
		struct pp_frame *f = &st->fr[st->nf - 1];
		struct kexpr *c = strcmp(word, "else") ?
			pp_directive_cond(word, arg, st->rel, first) : NULL;
		struct strbuf both = STRBUF_INIT;

		f->taken = kexpr_or(f->taken, f->cur);
		f->cur = kexpr_and(kexpr_not(kexpr_dup(f->taken)), c);
		strbuf_addf(&both, "%s (%s)", shown, f->text);
		free(f->text);
		f->text = strbuf_detach(&both);
	} else if (!strcmp(word, "endif") && st->nf) {
		st->nf--;
		kexpr_free(st->fr[st->nf].cur);
		kexpr_free(st->fr[st->nf].taken);
		free(st->fr[st->nf].text);
	}
	free(shown);
}

/* Line S (comments out) at FIRST: a directive goes to pp_directive(). */
static void pp_line(struct pp_state *st, const char *s, unsigned first)
{
	struct strbuf txt = STRBUF_INIT;
	char *word, *arg;
	size_t w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '#')
		return;
	s++;
	while (*s == ' ' || *s == '\t')
		s++;
	w = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	word = xstrndup(s, w);
	arg = trim_dup(s + w, strlen(s + w));
	strbuf_addf(&txt, "%s:%u: #%s%s%s", st->rel, first, word,
		    *arg ? " " : "", arg);
	pp_directive(st, word, arg, first, strbuf_detach(&txt));
	free(word);
	free(arg);
}

/*
 * The preprocessor conditions around line LINE of the file REL (its text
 * TEXT): their AND into *E, the directives into CHAIN.  An include guard
 * (a first #ifndef X followed by #define X) is not a condition.
 */
static void if_context(const char *rel, const char *text, unsigned line,
		       struct kexpr **e, struct strlist *chain)
{
	struct pp_state st;
	unsigned lineno = 0;
	const char *p = text;
	bool in_comment = false;

	memset(&st, 0, sizeof(st));
	st.rel = rel;
	while (*p && lineno + 1 < line) {
		struct strbuf sb = STRBUF_INIT;
		unsigned first = lineno + 1;
		char *s;

		logical_line(&p, &lineno, line, false, &sb);
		s = xstrdup(sb.buf ? sb.buf : "");
		strbuf_release(&sb);
		pp_strip_comments(s, &in_comment);
		pp_line(&st, s, first);
		free(s);
	}
	free(st.guard);
	for (size_t i = 0; i < st.nf; i++) {
		if (!st.fr[i].guard) {
			*e = kexpr_and(*e, st.fr[i].cur);
			strlist_push(chain, st.fr[i].text);
		} else {
			kexpr_free(st.fr[i].cur);
		}
		kexpr_free(st.fr[i].taken);
		free(st.fr[i].text);
	}
}

static char *read_rel(const struct triage *t, const char *rel)
{
	struct strbuf abs = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&abs, "%s/%s", t->root, rel);
	if (strbuf_read_file(&text, abs.buf) < 0)
		strbuf_reset(&text);
	strbuf_release(&abs);
	return text.buf ? strbuf_detach(&text) : xstrdup("");
}

/* The line of UNIT's text that #includes a file named like INCLUDED. */
static unsigned include_line(const char *text, const char *included)
{
	const char *base = strrchr(included, '/') ? strrchr(included, '/') + 1 :
			   included;
	unsigned line = 1;

	for (const char *p = text; *p; line++) {
		size_t n = strcspn(p, "\n");
		const char *q = p;

		while (q < p + n && (*q == ' ' || *q == '\t'))
			q++;
		if (*q == '#') {
			char *l = xstrndup(q, (size_t)(p + n - q));
			char *inc = strstr(l, "include");
			char *name = inc ? strpbrk(inc, "\"<") : NULL;

			if (name) {
				char *end = strpbrk(name + 1, "\">");
				size_t len = end ? (size_t)(end - name - 1) : 0;
				size_t bl = strlen(base);

				if (len >= bl && !strncmp(name + 1 + len - bl, base, bl) &&
				    (len == bl || name[len - bl] == '/')) {
					free(l);
					return line;
				}
			}
			free(l);
		}
		p += n + (p[n] != 0);
	}
	return 0;
}

/* ---- the configuration ---- */

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct sym *)a)->name, ((const struct sym *)b)->name);
}

static void read_syms(struct triage *t, const char *text)
{
	size_t alloc = 0;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		const char *eq = memchr(p, '=', n);
		struct sym s = { NULL, KEXPR_N };

		if (!strncmp(p, "CONFIG_", 7) && eq) {
			const char *v = eq + 1;
			size_t vl = (size_t)(p + n - v);

			s.name = xstrndup(p, (size_t)(eq - p));
			s.value = vl == 1 && *v == 'm' ? KEXPR_M :
				  vl == 1 && *v == 'n' ? KEXPR_N :
				  vl ? KEXPR_Y : KEXPR_N;
		} else if (!strncmp(p, "# CONFIG_", 9) && n > 13 &&
			   !strncmp(p + n - 11, " is not set", 11)) {
			s.name = xstrndup(p + 2, n - 13);
		}
		if (s.name) {
			ALLOC_GROW(t->syms, t->nr_syms + 1, alloc);
			t->syms[t->nr_syms++] = s;
		}
		p += n + (p[n] != 0);
	}
	if (t->nr_syms)
		qsort(t->syms, t->nr_syms, sizeof(*t->syms), cmp_sym);
}

static const struct sym *find_sym(const struct sym *v, size_t n,
				  const char *name)
{
	struct sym key = { (char *)name, 0 };

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_sym) : NULL;
}

/* Kconfig's expression syntax ("A && !B", "X = y") over bare names. */
static struct kexpr *kc_expr(const char *s, const char *file, unsigned line)
{
	struct strbuf conv = STRBUF_INIT;
	struct kexpr *e;
	const char *p = s;

	/* y/m/n and "X = y" / "X != n" become what pp_cond() reads */
	while (*p) {
		if (is_ident(*p)) {
			size_t n = 0;
			const char *q;
			char *name;

			while (is_ident(p[n]))
				n++;
			name = xstrndup(p, n);
			q = p + n;
			while (*q == ' ')
				q++;
			if ((q[0] == '=' || (q[0] == '!' && q[1] == '=')) ) {
				bool ne = q[0] == '!';
				const char *v = q + 1 + ne;

				while (*v == ' ')
					v++;
				if ((*v == 'y' || *v == 'm' || *v == 'n') && !is_ident(v[1])) {
					static const char *const eq[] = {
						"!IS_ENABLED(CONFIG_%s)", "IS_MODULE(CONFIG_%s)",
						"IS_BUILTIN(CONFIG_%s)" };
					static const char *const neq[] = {
						"IS_ENABLED(CONFIG_%s)", "!IS_MODULE(CONFIG_%s)",
						"!IS_BUILTIN(CONFIG_%s)" };
					int k = *v == 'y' ? 2 : *v == 'm' ? 1 : 0;

					strbuf_addf(&conv, ne ? neq[k] : eq[k], name);
					p = v + 1;
					free(name);
					continue;
				}
				strbuf_addstr(&conv, "?");	/* unknown */
				p = q + 1;
				free(name);
				continue;
			}
			if (!strcmp(name, "y"))
				strbuf_addstr(&conv, "1");
			else if (!strcmp(name, "n"))
				strbuf_addstr(&conv, "0");
			else if (!strcmp(name, "m"))
				strbuf_addstr(&conv, "?");
			else
				strbuf_addf(&conv, "IS_TRISTATE(CONFIG_%s)", name);
			free(name);
			p += n;
			continue;
		}
		strbuf_addch(&conv, *p++);
	}
	e = pp_cond(conv.buf ? conv.buf : "1", file, line);
	strbuf_release(&conv);
	return e;
}

/* "default V [if C]" (def_bool, def_tristate) of CUR. */
static void kc_default(struct kdef *cur, const char *l, const char *rel,
		       unsigned lineno)
{
	char *ifp;
	struct kexpr *v, *c = NULL;
	char *a = xstrdup(l + strcspn(l, " \t"));

	cur->is_bool |= starts_word(l, "def_bool");
	ifp = strstr(a, " if ");
	if (ifp) {
		*ifp = '\0';
		c = kc_expr(ifp + 4, rel, lineno);
	}
	v = kc_expr(a, rel, lineno);
	ALLOC_GROW(cur->defaults, cur->nr_defaults + 1, cur->alloc_defaults);
	ALLOC_GROW(cur->default_if, cur->nr_defaults + 1, cur->alloc_if);
	cur->defaults[cur->nr_defaults] = v;
	cur->default_if[cur->nr_defaults++] = c;
	free(a);
}

/* "select S [if C]" of CUR. */
static void kc_select(struct triage *t, const struct kdef *cur, const char *l,
		      const char *rel, unsigned lineno)
{
	char *a = trim_dup(l + 6, strlen(l + 6));
	char *ifp = strstr(a, " if ");
	struct kselect *s;
	struct strbuf name = STRBUF_INIT;

	ALLOC_GROW(t->selects, t->nr_selects + 1, t->alloc_selects);
	s = &t->selects[t->nr_selects++];
	s->cond = NULL;
	if (ifp) {
		s->cond = kc_expr(ifp + 4, rel, lineno);
		*ifp = '\0';
	}
	strbuf_addf(&name, "CONFIG_%.*s", (int)strcspn(a, " \t"), a);
	s->target = strbuf_detach(&name);
	s->by = xstrdup(cur->name);
	free(a);
}

/* An attribute line L of the entry CUR. */
static void kc_attribute(struct triage *t, struct kdef *cur, const char *l,
			 const char *rel, unsigned lineno)
{
	if (starts_word(l, "bool") || starts_word(l, "tristate")) {
		cur->is_bool = *l == 'b';
		cur->prompt |= strchr(l, '"') != NULL;
	} else if (starts_word(l, "prompt")) {
		cur->prompt = true;
	} else if (starts_word(l, "depends")) {
		const char *arg = strstr(l, "on") ? strstr(l, "on") + 2 : "";

		cur->deps = kexpr_and(cur->deps, kc_expr(arg, rel, lineno));
	} else if (starts_word(l, "def_bool") || starts_word(l, "def_tristate") ||
		   starts_word(l, "default")) {
		kc_default(cur, l, rel, lineno);
	} else if (starts_word(l, "select")) {
		kc_select(t, cur, l, rel, lineno);
	}
}

/* "config NAME" (or menuconfig) under the IFS: a new entry. */
static struct kdef *kc_entry(struct triage *t, const char *l,
			     struct kexpr **ifs, size_t nif)
{
	const char *sp = strchr(l, ' ') ? strchr(l, ' ') : "";
	struct strbuf name = STRBUF_INIT;
	char *w = trim_dup(sp, strlen(sp));
	struct kdef *cur;

	strbuf_addf(&name, "CONFIG_%s", w);
	free(w);
	ALLOC_GROW(t->kdefs, t->nr_kdefs + 1, t->alloc_kdefs);
	cur = &t->kdefs[t->nr_kdefs++];
	memset(cur, 0, sizeof(*cur));
	cur->name = strbuf_detach(&name);
	cur->order = t->nr_kdefs;
	for (size_t i = 0; i < nif; i++)
		cur->deps = kexpr_and(cur->deps, kexpr_dup(ifs[i]));
	return cur;
}

static void kc_index_file(struct triage *t, const char *rel, const char *text)
{
	struct kdef *cur = NULL;
	struct kexpr *ifs[32];
	size_t nif = 0;
	unsigned lineno = 0;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *l = trim_dup(p, n), *hash;
		bool indented = n && (*p == ' ' || *p == '\t');

		lineno++;
		p += n + (p[n] != 0);
		if (*l == '#') {
			free(l);
			continue;
		}
		hash = strstr(l, " #");
		if (hash)
			*hash = '\0';
		if (starts_word(l, "config") || starts_word(l, "menuconfig")) {
			cur = kc_entry(t, l, ifs, nif);
		} else if (!indented && starts_word(l, "if")) {
			if (nif < sizeof(ifs) / sizeof(*ifs))
				ifs[nif++] = kc_expr(l + 2, rel, lineno);
			cur = NULL;
		} else if (!indented && starts_word(l, "endif")) {
			if (nif)
				kexpr_free(ifs[--nif]);
			cur = NULL;
		} else if (!indented && *l) {
			cur = NULL;	/* menu, choice, source, comment ... */
		} else if (cur) {
			kc_attribute(t, cur, l, rel, lineno);
		}
		free(l);
	}
	while (nif)
		kexpr_free(ifs[--nif]);
}

static void kc_list_dir(struct triage *t, struct strbuf *rel)
{
	struct strbuf abs = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	size_t len = rel->len;

	strbuf_addf(&abs, "%s/%s", t->root, rel->buf ? rel->buf : "");
	d = opendir(abs.buf);
	strbuf_release(&abs);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (len)
			strbuf_addch(rel, '/');
		strbuf_addstr(rel, de->d_name);
		if (de->d_type == DT_DIR) {
			kc_list_dir(t, rel);
		} else if (de->d_type == DT_REG && !strncmp(de->d_name, "Kconfig", 7)) {
			char *text = read_rel(t, rel->buf);

			t->nr_kconfig_files++;
			kc_index_file(t, rel->buf, text);
			free(text);
		}
		strbuf_setlen(rel, len);
	}
	closedir(d);
}

static int sym_value(const char *name, void *data);

static int cmp_kdef(const void *a, const void *b)
{
	const struct kdef *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_kselect(const void *a, const void *b)
{
	const struct kselect *x = a, *y = b;
	int c = strcmp(x->target, y->target);

	return c ? c : strcmp(x->by, y->by);
}

/* The first index of the sorted V[N] whose NAME_AT() is NAME, or N. */
#define LOWER_BOUND(v, n, field, name, out) \
	do { \
		size_t lo_ = 0, hi_ = (n); \
		while (lo_ < hi_) { \
			size_t mid_ = (lo_ + hi_) / 2; \
			if (strcmp((v)[mid_].field, (name)) < 0) \
				lo_ = mid_ + 1; \
			else \
				hi_ = mid_; \
		} \
		(out) = lo_; \
	} while (0)

static void kc_read(struct triage *t)
{
	struct strbuf rel = STRBUF_INIT;

	t->kconfig_read = true;
	kc_list_dir(t, &rel);
	strbuf_release(&rel);
	if (t->nr_kdefs)
		qsort(t->kdefs, t->nr_kdefs, sizeof(*t->kdefs), cmp_kdef);
	if (t->nr_selects)
		qsort(t->selects, t->nr_selects, sizeof(*t->selects), cmp_kselect);
}

/* What the definitions of a symbol say together. */
struct kc_defs {
	int sel, dep;		/* the strongest select, the loosest depends */
	bool defined, prompt, is_bool, sel_unknown;
	const struct kdef *def;	/* the first with defaults */
};

static void kc_selects(struct triage *t, const char *name, struct kc_defs *d)
{
	size_t first;

	LOWER_BOUND(t->selects, t->nr_selects, target, name, first);
	for (size_t i = first; i < t->nr_selects; i++) {
		const struct kselect *s = &t->selects[i];
		int by, c;

		if (strcmp(s->target, name))
			break;
		by = sym_value(s->by, t);
		c = s->cond ? kexpr_eval(s->cond, sym_value, t) : KEXPR_Y;
		if (by < 0 || c < 0)
			d->sel_unknown |= !(by == KEXPR_N || c == KEXPR_N);
		else if ((by < c ? by : c) > d->sel)
			d->sel = by < c ? by : c;
	}
}

static void kc_definitions(struct triage *t, const char *name,
			   struct kc_defs *d)
{
	size_t first;

	LOWER_BOUND(t->kdefs, t->nr_kdefs, name, name, first);
	for (size_t i = first; i < t->nr_kdefs; i++) {
		const struct kdef *k = &t->kdefs[i];
		int v;

		if (strcmp(k->name, name))
			break;
		d->defined = true;
		d->prompt |= k->prompt;
		d->is_bool |= k->is_bool;
		v = k->deps ? kexpr_eval(k->deps, sym_value, t) : KEXPR_Y;
		if (v < 0 || d->dep < 0)
			d->dep = (v == KEXPR_Y || d->dep == KEXPR_Y) ? KEXPR_Y :
				 KEXPR_UNKNOWN_VALUE;
		else if (v > d->dep)
			d->dep = v;
		if (!d->def && k->nr_defaults)
			d->def = k;
	}
}

/* The first default whose condition holds, within depends and selects. */
static int kc_default_value(struct triage *t, const struct kc_defs *d)
{
	const struct kdef *def = d->def;

	for (size_t i = 0; i < def->nr_defaults; i++) {
		int v, c = def->default_if[i] ?
			kexpr_eval(def->default_if[i], sym_value, t) : KEXPR_Y;

		if (c < 0)
			return KEXPR_UNKNOWN_VALUE;
		if (c == KEXPR_N)
			continue;
		v = kexpr_eval(def->defaults[i], sym_value, t);
		if (v >= 0) {
			v = v < c ? v : c;
			v = v < d->dep ? v : d->dep;
			v = v > d->sel ? v : d->sel;
		}
		return v;
	}
	return KEXPR_N;
}

/*
 * The value of NAME, which the .config leaves out, from the tree's
 * Kconfig: n if no Kconfig defines it, the selects of symbols that are y,
 * n when its dependencies are n, a prompt-less default; else unknown.
 */
static int kc_derive(struct triage *t, const char *name)
{
	struct kc_defs d = { KEXPR_N, KEXPR_N, false, false, false, false, NULL };
	int v;

	if (!t->kconfig_read)
		kc_read(t);
	if (t->resolving.nr > TRIAGE_DEPTH || strlist_has(&t->resolving, name))
		return KEXPR_UNKNOWN_VALUE;
	strlist_push(&t->resolving, name);
	kc_selects(t, name, &d);
	kc_definitions(t, name, &d);
	t->resolving.nr--;
	free(t->resolving.v[t->resolving.nr]);
	if (!d.defined)
		return KEXPR_N;	/* make expands an undefined name to nothing */
	if (d.sel == KEXPR_Y)
		return KEXPR_Y;
	if (d.sel_unknown)
		v = KEXPR_UNKNOWN_VALUE;
	else if (d.dep == KEXPR_N)
		v = d.sel;
	else if (d.dep < 0 || d.prompt)
		v = KEXPR_UNKNOWN_VALUE;
	else if (!d.def)
		v = d.sel;
	else
		v = kc_default_value(t, &d);
	if (v == KEXPR_M && d.is_bool)
		v = KEXPR_Y;
	return v;
}

static int sym_value(const char *name, void *data)
{
	struct triage *t = data;
	const struct sym *s = find_sym(t->syms, t->nr_syms, name);
	struct sym d;

	if (s)
		return s->value;
	for (size_t i = 0; i < t->nr_derived; i++)
		if (!strcmp(t->derived[i].name, name))
			return t->derived[i].value;
	d.value = kc_derive(t, name);
	/* a cycle leaves the inner symbols unknown: honest, and final */
	d.name = xstrdup(name);
	ALLOC_GROW(t->derived, t->nr_derived + 1, t->alloc_derived);
	t->derived[t->nr_derived++] = d;
	if (d.value < 0 && t->why && !t->resolving.nr) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "'%s' is not in the configuration and the tree's Kconfig does not settle it (a prompt, or defaults past what ccgate evaluates)",
			    name);
		if (!strlist_has(t->why, sb.buf))
			strlist_push(t->why, sb.buf);
		strbuf_release(&sb);
	}
	return d.value;
}

/* ---- the record ---- */

struct triage *triage_new(const char *root, const char *config, char **err)
{
	struct triage *t = xcalloc(1, sizeof(*t));

	t->root = xstrdup(root);
	if (config) {
		struct strbuf text = STRBUF_INIT;

		if (kconfig_read_text(&text, config, err) < 0) {
			strbuf_release(&text);
			triage_free(t);
			return NULL;
		}
		read_syms(t, text.buf);
		strbuf_release(&text);
		t->config = xstrdup(config);
	}
	t->git = git_is_worktree(root);
	return t;
}

void triage_free(struct triage *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr_mk; i++) {
		struct mk_file *mk = t->mk[i];

		for (size_t k = 0; k < mk->nr; k++) {
			free(mk->v[k].text);
			free(mk->v[k].lhs);
			free(mk->v[k].rhs);
			kexpr_free(mk->v[k].cond);
			strlist_release(&mk->v[k].ctx);
		}
		free(mk->v);
		free(mk->text);
		free(mk->path);
		free(mk);
	}
	free(t->mk);
	for (size_t i = 0; i < t->nr_dirs; i++) {
		free(t->dirs[i].dir);
		cond_release(&t->dirs[i].c);
	}
	free(t->dirs);
	for (size_t i = 0; i < t->nr_syms; i++)
		free(t->syms[i].name);
	free(t->syms);
	for (size_t i = 0; i < t->nr_derived; i++)
		free(t->derived[i].name);
	free(t->derived);
	for (size_t i = 0; i < t->nr_kdefs; i++) {
		struct kdef *k = &t->kdefs[i];

		free(k->name);
		kexpr_free(k->deps);
		for (size_t d = 0; d < k->nr_defaults; d++) {
			kexpr_free(k->defaults[d]);
			kexpr_free(k->default_if[d]);
		}
		free(k->defaults);
		free(k->default_if);
	}
	free(t->kdefs);
	for (size_t i = 0; i < t->nr_selects; i++) {
		free(t->selects[i].target);
		free(t->selects[i].by);
		kexpr_free(t->selects[i].cond);
	}
	free(t->selects);
	strlist_release(&t->resolving);
	free(t->config);
	free(t->root);
	free(t);
}

static bool is_c_file(const char *p)
{
	size_t n = strlen(p);

	return n > 2 && !strcmp(p + n - 2, ".c");
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->nr; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static json_t *cond_json(const struct kexpr *e, json_t *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct strlist why = STRLIST_INIT;

	if (e->kind == KEXPR_CONST && e->value == KEXPR_Y)
		strbuf_addstr(&sb, "always");
	else if (e->kind == KEXPR_CONST && e->value == KEXPR_N)
		strbuf_addstr(&sb, "never");
	else
		kexpr_render(&sb, e);
	json_object_set_new(o, "condition", json_string(sb.buf));
	kexpr_unknowns(e, &why);
	if (why.nr)
		json_object_set_new(o, "unknown", strlist_json(&why));
	strbuf_release(&sb);
	strlist_release(&why);
	return o;
}

/* The condition of unit UNIT (a .c file) for a finding in FILE. */
static struct kexpr *unit_cond(struct triage *t, const char *unit,
			       const char *file, json_t *units)
{
	struct cond c;
	json_t *o = json_object();

	cond_object(t, unit, &c);
	if (strcmp(unit, file) && is_c_file(file)) {
		/* FILE is #included by UNIT: the #include line's context */
		char *text = read_rel(t, unit);
		unsigned at = include_line(text, file);

		if (at)
			if_context(unit, text, at, &c.e, &c.chain);
		free(text);
	}
	c.e = kexpr_simplify(c.e);
	json_object_set_new(o, "unit", json_string(unit));
	cond_json(c.e, o);
	json_object_set_new(o, "chain", strlist_json(&c.chain));
	json_array_append_new(units, o);
	strlist_release(&c.chain);
	return c.e;
}

static const char *result_name(int v)
{
	return v == KEXPR_Y ? "built-in" : v == KEXPR_M ? "module" :
	       v == KEXPR_N ? "not built" : "unknown";
}

static void triage_one(struct triage *t, struct ccg_finding *f)
{
	json_t *rec = json_object(), *units = json_array();
	struct kexpr *e = NULL, *ctx = NULL;
	struct strlist ifs = STRLIST_INIT;
	size_t nc = 0;
	char *text;

	for (size_t i = 0; i < f->units.nr; i++)
		nc += is_c_file(f->units.v[i]);
	if (nc) {
		for (size_t i = 0; i < f->units.nr; i++)
			if (is_c_file(f->units.v[i]))
				e = kexpr_or(e, unit_cond(t, f->units.v[i], f->file, units));
	} else if (is_c_file(f->file)) {
		e = unit_cond(t, f->file, f->file, units);
	} else {
		e = kexpr_unknown("'%s' is a header and no .c unit that includes it reported the finding",
				  f->file);
	}
	text = read_rel(t, f->file);
	if_context(f->file, text, f->line, &ctx, &ifs);
	free(text);
	e = kexpr_simplify(kexpr_and(e, ctx));
	cond_json(e, rec);
	json_object_set_new(rec, "units", units);
	json_object_set_new(rec, "if_context", strlist_json(&ifs));
	if (t->config) {
		struct strlist why = STRLIST_INIT;
		json_t *c = json_object();
		int v;

		t->why = &why;
		v = kexpr_eval(e, sym_value, t);
		t->why = NULL;
		if (v < 0)
			kexpr_unknowns(e, &why);
		json_object_set_new(c, "file", json_string(t->config));
		json_object_set_new(c, "result", json_string(result_name(v)));
		if (v < 0)
			json_object_set_new(c, "unknown", strlist_json(&why));
		json_object_set_new(rec, "config", c);
		strlist_release(&why);
	}
	if (t->git && f->line) {
		struct git_origin org;

		if (!git_line_origin(t->root, NULL, f->file, f->line, &org)) {
			char *rel = git_first_release(t->root, org.id);

			json_object_set_new(rec, "introduced", json_pack("{s:s, s:s, s:o}",
				"commit", org.id, "subject", org.summary,
				"release", rel ? json_string(rel) : json_null()));
			free(rel);
			free(org.summary);
		}
	}
	kexpr_free(e);
	strlist_release(&ifs);
	json_decref(f->triage);
	f->triage = rec;
}

void triage_files_read(const struct triage *t, size_t *makefiles,
		       size_t *kconfig)
{
	*makefiles = 0;
	for (size_t i = 0; i < t->nr_mk; i++)
		*makefiles += t->mk[i]->exists;
	*kconfig = t->nr_kconfig_files;
}

void triage_findings(struct triage *t, struct ccg_findings *list)
{
	for (size_t i = 0; i < list->nr; i++)
		triage_one(t, &list->v[i]);
}

int triage_built(const struct ccg_finding *f)
{
	json_t *c = f->triage ? json_object_get(f->triage, "config") : NULL;
	const char *r = c ? json_string_value(json_object_get(c, "result")) : NULL;

	if (!r || !strcmp(r, "unknown"))
		return -1;
	return strcmp(r, "not built") != 0;
}

void triage_note(struct strbuf *out, const struct ccg_finding *f)
{
	json_t *r = f->triage, *c, *in, *units;
	const char *cond;
	size_t i, n = 0;
	json_t *u;

	if (!r)
		return;
	cond = json_string_value(json_object_get(r, "condition"));
	strbuf_addf(out, "built %s%s%s", !strcmp(cond, "always") ? "" : "when '",
		    cond, !strcmp(cond, "always") ? "" : "'");
	units = json_object_get(r, "units");
	{
		struct strlist seen = STRLIST_INIT;
		json_t *l;
		size_t k;

		json_array_foreach(units, i, u)
			json_array_foreach(json_object_get(u, "chain"), k, l)
				if (!strlist_has(&seen, json_string_value(l)))
					strlist_push(&seen, json_string_value(l));
		n = seen.nr + json_array_size(json_object_get(r, "if_context"));
		strlist_release(&seen);
	}
	strbuf_addf(out, " (%zu Makefile and #if line%s", n, n == 1 ? "" : "s");
	if (json_array_size(units) > 1 ||
	    (json_array_size(units) == 1 &&
	     strcmp(json_string_value(json_object_get(json_array_get(units, 0), "unit")),
		    f->file)))
		strbuf_addf(out, ", over %zu unit%s", json_array_size(units),
			    json_array_size(units) == 1 ? "" : "s");
	strbuf_addch(out, ')');
	if (json_object_get(r, "unknown")) {
		json_t *why = json_object_get(r, "unknown");

		strbuf_addf(out, "; unknown: %s", json_string_value(json_array_get(why, 0)));
		if (json_array_size(why) > 1)
			strbuf_addf(out, " (and %zu more)", json_array_size(why) - 1);
	}
	c = json_object_get(r, "config");
	if (c)
		strbuf_addf(out, "; under '%s': %s",
			    json_string_value(json_object_get(c, "file")),
			    json_string_value(json_object_get(c, "result")));
	in = json_object_get(r, "introduced");
	if (in) {
		const char *rel = json_string_value(json_object_get(in, "release"));

		strbuf_addf(out, "; introduced by %.12s (\"%s\"), %s%s",
			    json_string_value(json_object_get(in, "commit")),
			    json_string_value(json_object_get(in, "subject")),
			    rel ? "first released in " : "in no release yet",
			    rel ? rel : "");
	}
}

void triage_probe(const char *text, struct strbuf *out)
{
	struct triage *t = xcalloc(1, sizeof(*t));
	struct mk_file *mk = xcalloc(1, sizeof(*mk));
	struct kexpr *e = NULL;
	struct strlist chain = STRLIST_INIT;
	unsigned lines = 1;

	t->root = xstrdup("/nonexistent");
	mk->path = xstrdup("d/Makefile");
	mk->text = xstrdup(text);
	mk->exists = true;
	mk_parse(mk, "d");
	ALLOC_GROW(t->mk, t->nr_mk + 1, t->alloc_mk);
	t->mk[t->nr_mk++] = mk;
	for (size_t i = 0; i < mk->nr; i++) {
		char *list, *suffix;

		if (mk->v[i].cond)
			kexpr_render(out, mk->v[i].cond);
		if (mk->v[i].lhs && lhs_split(mk->v[i].lhs, &list, &suffix)) {
			kexpr_free(suffix_cond(suffix, mk, &mk->v[i]));
			free(list);
			free(suffix);
		}
		strbuf_addch(out, '\n');
	}
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if_context("d/f.c", text, lines, &e, &chain);
	if (e) {
		e = kexpr_simplify(e);
		kexpr_render(out, e);
		kexpr_free(e);
	}
	kc_index_file(t, "d/Kconfig", text);
	strlist_release(&chain);
	triage_free(t);
}
