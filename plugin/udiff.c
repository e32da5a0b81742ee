// SPDX-License-Identifier: GPL-2.0-only
#include "udiff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

int udiff_parse(struct udiff *d, const char *text)
{
	struct udiff_file *f = NULL;
	struct udiff_hunk *h = NULL;
	unsigned left_old = 0, left_new = 0;
	const char *line = text;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);

		if (h && (left_old || left_new)) {
			char c = n ? line[0] : ' ';

			if (c == '\\') {
				/* "\ No newline at end of file" */
			} else if (c != ' ' && c != '-' && c != '+') {
				return -1;
			} else {
				if (c != '+') {
					if (!left_old)
						return -1;
					left_old--;
				}
				if (c != '-') {
					if (!left_new)
						return -1;
					left_new--;
				}
				strlist_push_nodup(&h->lines, n ? xstrndup(line, n) :
						   xstrdup(" "));
			}
		} else if (n > 4 && !strncmp(line, "+++ ", 4)) {
			ALLOC_GROW(d->files, d->nr, d->alloc);
			f = &d->files[d->nr++];
			memset(f, 0, sizeof(*f));
			f->path = strip_prefix(line + 4, n - 4);
			h = NULL;
		} else if (n > 3 && !strncmp(line, "@@ -", 4)) {
			const char *s = line + 4;

			if (!f)
				return -1;
			ALLOC_GROW(f->hunks, f->nr, f->alloc);
			h = &f->hunks[f->nr++];
			memset(h, 0, sizeof(*h));
			if (!parse_range(&s, &h->old_start, &h->old_count) ||
			    strncmp(s, " +", 2))
				return -1;
			s += 2;
			if (!parse_range(&s, &h->new_start, &h->new_count))
				return -1;
			left_old = h->old_count;
			left_new = h->new_count;
		}
		line = eol ? eol + 1 : NULL;
	}
	return d->nr && !left_old && !left_new ? 0 : -1;
}

void udiff_release(struct udiff *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		for (size_t k = 0; k < d->files[i].nr; k++)
			strlist_release(&d->files[i].hunks[k].lines);
		free(d->files[i].hunks);
		free(d->files[i].path);
	}
	free(d->files);
	memset(d, 0, sizeof(*d));
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

int udiff_apply(const struct udiff_file *f, const char *text, size_t len,
		struct strbuf *out, unsigned *bad_line)
{
	size_t pos = 0;
	unsigned at = 1;

	for (size_t k = 0; k < f->nr; k++) {
		const struct udiff_hunk *h = &f->hunks[k];
		/* a pure insertion after line N has old_start N */
		unsigned first = h->old_count ? h->old_start : h->old_start + 1;
		size_t off;

		if (first < at) {
			*bad_line = first;
			return -1;
		}
		off = line_offset(text, len, pos, &at, first);
		strbuf_add(out, text + pos, off - pos);
		pos = off;
		for (size_t i = 0; i < h->lines.nr; i++) {
			const char *l = h->lines.v[i];
			size_t ll = strlen(l + 1);

			if (l[0] == '+') {
				strbuf_add(out, l + 1, ll);
				strbuf_addch(out, '\n');
				continue;
			}
			if (pos + ll > len || memcmp(text + pos, l + 1, ll) ||
			    (pos + ll < len && text[pos + ll] != '\n')) {
				*bad_line = at;
				return -1;
			}
			if (l[0] == ' ')
				strbuf_add(out, text + pos, ll + (pos + ll < len));
			pos += ll + (pos + ll < len);
			at++;
		}
	}
	strbuf_add(out, text + pos, len - pos);
	return 0;
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
