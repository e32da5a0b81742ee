/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_STRBUF_H
#define CCGATE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable, always NUL-terminated string (git's strbuf, trimmed down). */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
char *strbuf_detach(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Read a whole file; returns 0 or -1 with errno set. */
int strbuf_read_file(struct strbuf *sb, const char *path);

/* A plain growable list of owned strings. */
struct strlist {
	char **v;
	size_t nr;
	size_t alloc;
};

#define STRLIST_INIT { NULL, 0, 0 }

void strlist_push(struct strlist *l, const char *s);
void strlist_push_nodup(struct strlist *l, char *s);
int strlist_has(const struct strlist *l, const char *s);
void strlist_release(struct strlist *l);
/* Push a copy of every string of SRC to DST. */
void strlist_push_all(struct strlist *dst, const struct strlist *src);

/* Allocation helpers that die on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#define ALLOC_GROW(x, nr, alloc) \
	do { \
		if ((nr) >= (alloc)) { \
			(alloc) = (alloc) ? (alloc) * 2 : 16; \
			if ((alloc) <= (nr)) \
				(alloc) = (nr) + 1; \
			(x) = xrealloc((x), (alloc) * sizeof(*(x))); \
		} \
	} while (0)

/* Does TEXT hold one of the N strings of V? */
bool mem_has_any(const char *text, size_t len, char *const *v, size_t n);

#endif
