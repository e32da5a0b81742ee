// SPDX-License-Identifier: GPL-2.0-only
#include "udiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fix.h"
#include "banned.h"

static char *strip_prefix(const char *p, size_t n)
{
	if (n > 2 && (p[0] == 'a' || p[0] == 'b') && p[1] == '/') {
		p += 2;
		n -= 2;
	}
	return xstrndup(p, n);
}

static bool parse_range(const char **s, unsigned *start, unsigned *count)
{
	char *end;

	*start = (unsigned)strtoul(*s, &end, 10);
	if (end == *s)
		return false;
	*count = 1;
	if (*end == ',') {
		const char *c = end + 1;

		*count = (unsigned)strtoul(c, &end, 10);
		if (end == c)
			return false;
	}
	*s = end;
	return true;
}

struct udiff_file *udiff_add_file(struct udiff *d, const char *path,
				  char *header)
{
	struct udiff_file *f;

	ALLOC_GROW(d->files, d->nr + 1, d->alloc);
	f = &d->files[d->nr++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->header = header;
	return f;
}

struct udiff_hunk *udiff_add_hunk(struct udiff_file *f)
{
	struct udiff_hunk *h;

	ALLOC_GROW(f->hunks, f->nr + 1, f->alloc);
	h = &f->hunks[f->nr++];
	memset(h, 0, sizeof(*h));
	return h;
}

/* "-START[,COUNT]": git and GNU diff leave out a count of 1. */
static void render_range(struct strbuf *out, char c, unsigned start,
			 unsigned count)
{
	strbuf_addf(out, "%c%u", c, start);
	if (count != 1)
		strbuf_addf(out, ",%u", count);
}

void udiff_render(struct strbuf *out, const struct udiff *d)
{
	for (size_t i = 0; d && i < d->nr; i++) {
		const struct udiff_file *f = &d->files[i];

		strbuf_addstr(out, f->header ? f->header : "");
		for (size_t k = 0; k < f->nr; k++) {
			const struct udiff_hunk *h = &f->hunks[k];

			strbuf_addstr(out, "@@ ");
			render_range(out, '-', h->old_start, h->old_count);
			strbuf_addch(out, ' ');
			render_range(out, '+', h->new_start, h->new_count);
			strbuf_addstr(out, " @@");
			strbuf_addstr(out, h->func ? h->func : "");
			strbuf_addch(out, '\n');
			for (size_t l = 0; l < h->lines.nr; l++) {
				strbuf_addstr(out, h->lines.v[l]);
				strbuf_addch(out, '\n');
			}
		}
	}
}

char *udiff_text(const struct udiff *d)
{
	struct strbuf out = STRBUF_INIT;

	udiff_render(&out, d);
	return strbuf_detach(&out);
}

/* One line of hunk H; -1 if it is not one or the hunk has no room for it. */
static int parse_hunk_line(struct udiff_hunk *h, const char *line, size_t n,
			   unsigned *left_old, unsigned *left_new)
{
	char c = n ? line[0] : ' ';

	if (c != '\\' && c != ' ' && c != '-' && c != '+')
		return -1;
	if (c == ' ' || c == '-') {
		if (!*left_old)
			return -1;
		--*left_old;
	}
	if (c == ' ' || c == '+') {
		if (!*left_new)
			return -1;
		--*left_new;
	}
	strlist_push_nodup(&h->lines, n ? xstrndup(line, n) : xstrdup(" "));
	return 0;
}

static int parse_hunk_head(struct udiff_hunk *h, const char *line, size_t n)
{
	const char *s = line + 4, *e;

	if (!parse_range(&s, &h->old_start, &h->old_count) ||
	    strncmp(s, " +", 2))
		return -1;
	s += 2;
	if (!parse_range(&s, &h->new_start, &h->new_count) ||
	    strncmp(s, " @@", 3))
		return -1;
	s += 3;
	e = line + n;
	if (s < e)
		h->func = xstrndup(s, (size_t)(e - s));
	return 0;
}

int udiff_parse(struct udiff *d, const char *text)
{
	struct udiff_file *f = NULL;
	struct udiff_hunk *h = NULL;
	struct strbuf head = STRBUF_INIT;
	unsigned left_old = 0, left_new = 0;
	const char *line = text;
	int ret = 0;

	while (!ret && line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);

		if (h && (left_old || left_new || (n && line[0] == '\\'))) {
			ret = parse_hunk_line(h, line, n, &left_old, &left_new);
		} else if (n > 4 && !strncmp(line, "@@ -", 4)) {
			if (!f)
				ret = -1;
			else
				h = udiff_add_hunk(f);
			if (h && parse_hunk_head(h, line, n) < 0)
				ret = -1;
			left_old = h ? h->old_count : 0;
			left_new = h ? h->new_count : 0;
		} else {
			strbuf_add(&head, line, n);
			strbuf_addch(&head, '\n');
			if (n > 4 && !strncmp(line, "+++ ", 4)) {
				char *path = strip_prefix(line + 4, n - 4);

				f = udiff_add_file(d, path, strbuf_detach(&head));
				free(path);
				h = NULL;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	strbuf_release(&head);
	return !ret && d->nr && !left_old && !left_new ? 0 : -1;
}

void udiff_release(struct udiff *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		for (size_t k = 0; k < d->files[i].nr; k++) {
			strlist_release(&d->files[i].hunks[k].lines);
			free(d->files[i].hunks[k].func);
		}
		free(d->files[i].hunks);
		free(d->files[i].path);
		free(d->files[i].header);
	}
	free(d->files);
	memset(d, 0, sizeof(*d));
}

struct udiff *udiff_dup(const struct udiff *d)
{
	struct udiff *c = xcalloc(1, sizeof(*c));

	for (size_t i = 0; i < d->nr; i++) {
		const struct udiff_file *f = &d->files[i];
		struct udiff_file *cf = udiff_add_file(c, f->path,
				f->header ? xstrdup(f->header) : NULL);

		for (size_t k = 0; k < f->nr; k++) {
			const struct udiff_hunk *h = &f->hunks[k];
			struct udiff_hunk *ch = udiff_add_hunk(cf);

			*ch = *h;
			ch->func = h->func ? xstrdup(h->func) : NULL;
			memset(&ch->lines, 0, sizeof(ch->lines));
			for (size_t l = 0; l < h->lines.nr; l++)
				strlist_push(&ch->lines, h->lines.v[l]);
		}
	}
	return c;
}

void udiff_free(struct udiff *d)
{
	if (!d)
		return;
	udiff_release(d);
	free(d);
}

/* Offset of the start of 1-based LINE in TEXT, or LEN if past the end. */
static size_t line_offset(const char *text, size_t len, size_t from,
			  unsigned *at, unsigned line)
{
	while (*at < line && from < len) {
		const char *nl = memchr(text + from, '\n', len - from);

		from = nl ? (size_t)(nl - text) + 1 : len;
		(*at)++;
	}
	return from;
}

static bool same_edit(const struct fix_edit *a, size_t off, size_t del, const char *ins)
{
	return a->off == off && a->del == del && !strcmp(a->ins, ins);
}

/* Add the edit to E unless E has it (a shared dispatcher fix, twice). */
static void edit_once(struct fix_edits *e, size_t off, size_t del, const char *ins)
{
	for (size_t i = 0; i < e->nr; i++)
		if (same_edit(&e->v[i], off, del, ins))
			return;
	fix_edits_add(e, off, del, ins);
}

/*
 * Add to E the edits of hunk H on TEXT: each run of removed and added lines
 * replaces the removed lines.  Returns -1 (and the 1-based line) if a
 * context or removed line is not the text's.
 */
static int hunk_edits(const struct udiff_hunk *h, const char *text, size_t len,
		      struct fix_edits *e, unsigned *bad_line)
{
	/* a pure insertion after line N has old_start N */
	unsigned at = 1, first = h->old_count ? h->old_start : h->old_start + 1;
	size_t pos = line_offset(text, len, 0, &at, first), from = SIZE_MAX;
	struct strbuf ins = STRBUF_INIT;
	int ret = 0;

	for (size_t i = 0; i <= h->lines.nr && !ret; i++) {
		const char *l = i < h->lines.nr ? h->lines.v[i] : " ";
		size_t ll = strlen(l + 1);

		if (l[0] == '\\')
			continue;
		if (l[0] == ' ' && from != SIZE_MAX) {	/* the end of a run */
			edit_once(e, from, pos - from, ins.buf ? ins.buf : "");
			strbuf_reset(&ins);
			from = SIZE_MAX;
		}
		if (i == h->lines.nr)
			break;
		if (from == SIZE_MAX && l[0] != ' ')
			from = pos;
		if (l[0] == '+') {
			strbuf_add(&ins, l + 1, ll);
			/* "\ No newline at end of file" after it: none */
			if (i + 1 == h->lines.nr || h->lines.v[i + 1][0] != '\\')
				strbuf_addch(&ins, '\n');
		} else if (pos + ll > len || memcmp(text + pos, l + 1, ll) ||
			   (pos + ll < len && text[pos + ll] != '\n')) {
			*bad_line = at;
			ret = -1;
		} else {
			pos += ll + (pos + ll < len);
			at++;
		}
	}
	strbuf_release(&ins);
	return ret;
}

/*
 * The hunks of several findings' patches, each made from the same TEXT,
 * may share lines (two fixes close together): applied as edits of TEXT,
 * only changes of the same bytes conflict.
 */
int udiff_apply(const struct udiff_file *f, const char *text, size_t len,
		struct strbuf *out, unsigned *bad_line)
{
	struct fix_edits e = FIX_EDITS_INIT;
	int ret = 0;

	for (size_t k = 0; k < f->nr && !ret; k++)
		ret = hunk_edits(&f->hunks[k], text, len, &e, bad_line);
	if (!ret && fix_apply(out, text, len, &e) < 0) {
		/* fix_apply() sorted them: the line of the first overlap */
		size_t i = 1, off;

		while (i < e.nr && e.v[i - 1].off + e.v[i - 1].del <= e.v[i].off)
			i++;
		off = i < e.nr ? e.v[i].off : len;
		*bad_line = 1;
		for (size_t o = 0; o < off; o++)
			*bad_line += text[o] == '\n';
		ret = -1;
	}
	fix_edits_release(&e);
	return ret;
}

int udiff_rebase(struct udiff *out, const struct udiff_file *prior,
		 const struct udiff_file *f, const char *text, size_t len)
{
	struct fix_edits pe = FIX_EDITS_INIT, fe = FIX_EDITS_INIT, moved = FIX_EDITS_INIT;
	struct strbuf now = STRBUF_INIT;
	unsigned bad;
	int ret = -1;

	for (size_t k = 0; k < prior->nr; k++)
		if (hunk_edits(&prior->hunks[k], text, len, &pe, &bad) < 0)
			goto out;
	for (size_t k = 0; k < f->nr; k++)
		if (hunk_edits(&f->hunks[k], text, len, &fe, &bad) < 0)
			goto out;
	if (fix_apply(&now, text, len, &pe) < 0)
		goto out;
	for (size_t i = 0; i < fe.nr; i++) {
		const struct fix_edit *x = &fe.v[i];
		size_t off = x->off;
		bool made = false;

		for (size_t j = 0; j < pe.nr && !made; j++) {
			const struct fix_edit *y = &pe.v[j];

			/* the same edit (a shared dispatcher fix) is made already;
			 * an earlier edit at or before X moves it (an insertion at
			 * the same place goes first); one within X conflicts */
			if (same_edit(y, x->off, x->del, x->ins))
				made = true;
			else if (y->off + y->del <= x->off)
				off += strlen(y->ins) - y->del;
			else if (y->off < x->off + x->del || y->off == x->off)
				goto out;
		}
		if (!made)
			fix_edits_add(&moved, off, x->del, x->ins);
	}
	ret = fix_hunks(out, f->path, now.buf ? now.buf : "", now.len, &moved);
out:
	fix_edits_release(&pe);
	fix_edits_release(&fe);
	fix_edits_release(&moved);
	strbuf_release(&now);
	return ret;
}

uint64_t udiff_hash(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
