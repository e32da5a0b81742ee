// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fixes: edits to the original text become the hunks of a unified diff
 * (struct udiff), rendered only by the outputs.  The edits are known
 * exactly, so no diff algorithm is needed: each edit's lines are the
 * preimage, the edited lines the postimage, and hunks get three lines of
 * context and git's default function-name header.
 */
#include "fix.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

void fix_edits_add(struct fix_edits *e, size_t off, size_t del, const char *ins)
{
	ALLOC_GROW(e->v, e->nr + 1, e->alloc);
	e->v[e->nr].off = off;
	e->v[e->nr].del = del;
	e->v[e->nr].ins = xstrdup(ins);
	e->v[e->nr].seq = e->nr;
	e->nr++;
}

void fix_edits_release(struct fix_edits *e)
{
	for (size_t i = 0; i < e->nr; i++)
		free(e->v[i].ins);
	free(e->v);
	e->v = NULL;
	e->nr = e->alloc = 0;
}

/*
 * By offset; at one offset insertions before a replacement (which starts
 * there), and edits in the order they were added, since qsort() is not
 * stable.
 */
static int cmp_edit(const void *a, const void *b)
{
	const struct fix_edit *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (!x->del != !y->del)
		return x->del ? 1 : -1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int edits_sort_check(struct fix_edits *e, size_t len)
{
	if (e->nr)
		qsort(e->v, e->nr, sizeof(*e->v), cmp_edit);
	for (size_t i = 0; i < e->nr; i++) {
		if (e->v[i].off + e->v[i].del > len)
			return -1;
		if (i && e->v[i - 1].off + e->v[i - 1].del > e->v[i].off)
			return -1;
	}
	return 0;
}

int fix_apply(struct strbuf *out, const char *text, size_t len,
	      struct fix_edits *e)
{
	size_t pos = 0;

	if (edits_sort_check(e, len) < 0)
		return -1;
	for (size_t i = 0; i < e->nr; i++) {
		strbuf_add(out, text + pos, e->v[i].off - pos);
		strbuf_addstr(out, e->v[i].ins);
		pos = e->v[i].off + e->v[i].del;
	}
	strbuf_add(out, text + pos, len - pos);
	return 0;
}

/* Line table: start offsets of each line, plus one past the end. */
struct lines {
	size_t *start;
	size_t nr;	/* number of lines */
};

static void lines_init(struct lines *l, const char *text, size_t len)
{
	size_t alloc = 0;

	l->start = NULL;
	l->nr = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == 0 || text[i - 1] == '\n') {
			ALLOC_GROW(l->start, l->nr + 1, alloc);
			l->start[l->nr++] = i;
		}
	}
	ALLOC_GROW(l->start, l->nr + 1, alloc);
	l->start[l->nr] = len;
}

/* 0-based line holding OFF. */
static size_t line_of(const struct lines *l, size_t off)
{
	size_t lo = 0, hi = l->nr;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* A change: old lines [a, b) become the text NEW (whole lines). */
struct change {
	size_t a, b;
	size_t k0, k1;	/* the edits it holds */
	struct strbuf new;
};

/* Line S (N bytes, its '\n' included if it has one) of hunk H, marked. */
static void add_line(struct udiff_hunk *h, char mark, const char *s, size_t n)
{
	bool nl = n && s[n - 1] == '\n';
	char *l = xmalloc(n + 2);

	l[0] = mark;
	memcpy(l + 1, s, n - nl);
	l[1 + n - nl] = '\0';
	strlist_push_nodup(&h->lines, l);
	if (!nl)
		strlist_push(&h->lines, "\\ No newline at end of file");
}

static char *funcname(const char *text, const struct lines *l, size_t before)
{
	while (before-- > 0) {
		const char *s = text + l->start[before];
		size_t n = l->start[before + 1] - l->start[before];

		if (isalpha((unsigned char)*s) || *s == '_' || *s == '$') {
			struct strbuf sb = STRBUF_INIT;

			/* as git: cut to 80 bytes, then drop trailing space */
			if (n > 80)
				n = 80;
			while (n && isspace((unsigned char)s[n - 1]))
				n--;
			strbuf_addch(&sb, ' ');
			strbuf_add(&sb, s, n);
			return strbuf_detach(&sb);
		}
	}
	return NULL;
}

static void emit_lines(struct udiff_hunk *h, char mark, const char *text,
		       const struct lines *l, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		add_line(h, mark, text + l->start[i],
			 l->start[i + 1] - l->start[i]);
}

static size_t count_lines(const struct strbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->len; i++)
		if (sb->buf[i] == '\n' || i == sb->len - 1)
			n++;
	return n;
}

static void emit_new(struct udiff_hunk *h, const struct strbuf *sb)
{
	size_t s = 0;

	for (size_t i = 0; i < sb->len; i++) {
		if (sb->buf[i] == '\n' || i == sb->len - 1) {
			add_line(h, '+', sb->buf + s, i + 1 - s);
			s = i + 1;
		}
	}
}

/* The edits (sorted, not overlapping) as changes of whole lines. */
static size_t collect_changes(struct change **chp, const char *text,
			      size_t len, const struct lines *l,
			      const struct fix_edits *e)
{
	struct change *ch = NULL;
	size_t nch = 0, alloc = 0;

	for (size_t i = 0; i < e->nr; i++) {
		const struct fix_edit *ed = &e->v[i];
		size_t a = line_of(l, ed->off);
		size_t b = line_of(l, ed->off + ed->del - (ed->del ? 1 : 0)) + 1;
		size_t n = strlen(ed->ins);
		int pure = !ed->del && n && ed->ins[n - 1] == '\n' &&
			   (ed->off == len || ed->off == l->start[a]);

		if (pure) {
			a = b = ed->off == len ? l->nr : a;
		} else if (nch && ch[nch - 1].b > ch[nch - 1].a &&
			   ch[nch - 1].b > a) {
			if (b > ch[nch - 1].b)
				ch[nch - 1].b = b;
			ch[nch - 1].k1 = i + 1;
			continue;
		}
		ALLOC_GROW(ch, nch + 1, alloc);
		ch[nch].a = a;
		ch[nch].b = b;
		ch[nch].k0 = i;
		ch[nch].k1 = i + 1;
		strbuf_init(&ch[nch].new);
		nch++;
	}
	*chp = ch;
	return nch;
}

/* The new text of each change: its lines with its edits applied. */
static void change_texts(struct change *ch, size_t nch, const char *text,
			 const struct lines *l, const struct fix_edits *e)
{
	for (size_t c = 0; c < nch; c++) {
		size_t lo = l->start[ch[c].a], hi = l->start[ch[c].b], pos = lo;

		if (ch[c].a == ch[c].b) {
			strbuf_addstr(&ch[c].new, e->v[ch[c].k0].ins);
			continue;
		}
		for (size_t k = ch[c].k0; k < ch[c].k1; k++) {
			strbuf_add(&ch[c].new, text + pos, e->v[k].off - pos);
			strbuf_addstr(&ch[c].new, e->v[k].ins);
			pos = e->v[k].off + e->v[k].del;
		}
		strbuf_add(&ch[c].new, text + pos, hi - pos);
	}
}

#define FIX_CONTEXT 3

/* Changes I..J as one hunk of F, with context and git's ranges. */
static void emit_hunk(struct udiff_file *f, const char *text,
		      const struct lines *l, const struct change *ch,
		      size_t i, size_t j)
{
	struct udiff_hunk *h = udiff_add_hunk(f);
	size_t ha, hb, old_n, new_n, k;
	long delta = 0;

	ha = ch[i].a > FIX_CONTEXT ? ch[i].a - FIX_CONTEXT : 0;
	hb = ch[j].b + FIX_CONTEXT < l->nr ? ch[j].b + FIX_CONTEXT : l->nr;
	old_n = hb - ha;
	for (k = 0; k < i; k++)
		delta += (long)count_lines(&ch[k].new) -
			 (long)(ch[k].b - ch[k].a);
	new_n = old_n;
	for (k = i; k <= j; k++)
		new_n = new_n - (ch[k].b - ch[k].a) + count_lines(&ch[k].new);
	h->old_start = (unsigned)(old_n ? ha + 1 : ha);
	h->old_count = (unsigned)old_n;
	h->new_start = (unsigned)((long)(new_n ? ha + 1 : ha) + delta);
	h->new_count = (unsigned)new_n;
	h->func = funcname(text, l, ha);
	k = ha;
	for (size_t c = i; c <= j; c++) {
		emit_lines(h, ' ', text, l, k, ch[c].a);
		emit_lines(h, '-', text, l, ch[c].a, ch[c].b);
		emit_new(h, &ch[c].new);
		k = ch[c].b;
	}
	emit_lines(h, ' ', text, l, k, hb);
}

int fix_hunks(struct udiff *out, const char *relpath, const char *text,
	      size_t len, struct fix_edits *e)
{
	struct strbuf head = STRBUF_INIT;
	struct udiff_file *f;
	struct change *ch;
	size_t nch, i = 0;
	struct lines l;

	if (edits_sort_check(e, len) < 0 || !e->nr)
		return -1;
	lines_init(&l, text, len);
	nch = collect_changes(&ch, text, len, &l, e);
	change_texts(ch, nch, text, &l, e);
	strbuf_addf(&head, "diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n",
		    relpath, relpath, relpath, relpath);
	f = udiff_add_file(out, relpath, strbuf_detach(&head));
	while (i < nch) {
		size_t j = i;

		/* merge changes whose contexts touch */
		while (j + 1 < nch && ch[j + 1].a <= ch[j].b + 2 * FIX_CONTEXT)
			j++;
		emit_hunk(f, text, &l, ch, i, j);
		i = j + 1;
	}
	for (i = 0; i < nch; i++)
		strbuf_release(&ch[i].new);
	free(ch);
	free(l.start);
	return 0;
}

int fix_diff(struct strbuf *out, const char *relpath, const char *text,
	     size_t len, struct fix_edits *e)
{
	struct udiff d = UDIFF_INIT;
	int ret = fix_hunks(&d, relpath, text, len, e);

	if (!ret)
		udiff_render(out, &d);
	udiff_release(&d);
	return ret;
}

static int is_include_line(const char *s, size_t n, const char **name,
			   size_t *name_len)
{
	const char *e = s + n;

	if (n < 10 || strncmp(s, "#include", 8))
		return 0;
	s += 8;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= e || (*s != '<' && *s != '"'))
		return 0;
	*name = s;
	while (s < e && *s != '\n')
		s++;
	*name_len = (size_t)(s - *name);
	return 1;
}

int fix_include_edit(struct fix_edits *e, const char *text, size_t len,
		     const char *header)
{
	struct strbuf want = STRBUF_INIT, line = STRBUF_INIT;
	const char *slash = strrchr(header, '/');
	size_t dirlen = slash ? (size_t)(slash - header) + 1 : 0;
	size_t pos = 0, last_end = 0, insert = (size_t)-1;
	int seen_any = 0, in_block = 0;

	strbuf_addf(&want, "<%s>", header);
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) + 1 : len - pos;
		const char *name;
		size_t name_len;

		if (is_include_line(s, n, &name, &name_len)) {
			seen_any = 1;
			last_end = pos + n;
			if (name[0] == '<' && name_len > dirlen &&
			    !strncmp(name + 1, header, dirlen)) {
				in_block = 1;
				if (insert == (size_t)-1 &&
				    strncmp(name, want.buf, want.len) > 0)
					insert = pos;
			} else if (in_block && insert == (size_t)-1) {
				insert = pos;
			}
		} else if (seen_any && n > 1 && s[0] != '#' && s[0] != '/' &&
			   s[0] != ' ' && s[0] != '\n' && s[0] != '*') {
			break;	/* past the include section */
		}
		pos += n;
	}
	if (!seen_any) {
		strbuf_release(&want);
		return -1;
	}
	if (insert == (size_t)-1)
		insert = last_end;
	strbuf_addf(&line, "#include %s\n", want.buf);
	fix_edits_add(e, insert, 0, line.buf);
	strbuf_release(&want);
	strbuf_release(&line);
	return 0;
}
