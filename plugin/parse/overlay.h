/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_OVERLAY_H
#define CCGATE_OVERLAY_H

#include <stddef.h>

/*
 * Another version of some files of a tree, held in memory: gate analyzes a
 * revision and patch a patched tree by handing these texts to libclang as
 * unsaved files, so the tree on disk is never written and every other file
 * (headers above all) is read from it as usual.
 */
struct overlay_file {
	char *abspath;		/* the path the file has in the tree */
	char *text;
	size_t len;
};

struct overlay {
	struct overlay_file *v;
	size_t nr, alloc;
};

#define OVERLAY_INIT { NULL, 0, 0 }

/* Add (or replace) ABSPATH's text; the overlay copies it. */
void overlay_set(struct overlay *o, const char *abspath, const char *text,
		 size_t len);
const struct overlay_file *overlay_find(const struct overlay *o,
					const char *abspath);
void overlay_release(struct overlay *o);

#endif
