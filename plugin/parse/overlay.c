// SPDX-License-Identifier: GPL-2.0-only
#include "overlay.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "banned.h"

const struct overlay_file *overlay_find(const struct overlay *o,
					const char *abspath)
{
	if (!o)
		return NULL;
	for (size_t i = 0; i < o->nr; i++)
		if (!strcmp(o->v[i].abspath, abspath))
			return &o->v[i];
	return NULL;
}

void overlay_set(struct overlay *o, const char *abspath, const char *text,
		 size_t len)
{
	struct overlay_file *f = (struct overlay_file *)overlay_find(o, abspath);

	if (!f) {
		ALLOC_GROW(o->v, o->nr + 1, o->alloc);
		f = &o->v[o->nr++];
		f->abspath = xstrdup(abspath);
	} else {
		free(f->text);
	}
	f->text = xmalloc(len + 1);
	memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
}

void overlay_release(struct overlay *o)
{
	for (size_t i = 0; i < o->nr; i++) {
		free(o->v[i].abspath);
		free(o->v[i].text);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}
