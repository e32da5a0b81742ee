// SPDX-License-Identifier: GPL-2.0-only
#include "treepath.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "strbuf.h"
#include "banned.h"

const char *tree_path_problem(const char *path)
{
	const char *s = path;

	if (!*path)
		return "an empty path";
	if (*path == '/')
		return "an absolute path";
	for (;;) {
		size_t n = strcspn(s, "/");

		if (!n || (n == 1 && *s == '.'))
			return "a path that is not normalized";
		if (n == 2 && !memcmp(s, "..", 2))
			return "a path outside the tree";
		if (n == 4 && !strncasecmp(s, ".git", 4))
			return "a path inside .git/";
		if (!s[n])
			return NULL;
		s += n + 1;
	}
}

static const char *const header_names[] = {
	"--- ", "+++ ", "rename from ", "rename to ", "copy from ", "copy to ",
};
#define NR_HEADER_NAMES (sizeof(header_names) / sizeof(*header_names))

const char *tree_patch_header_problem(const char *text, size_t len,
				      struct strbuf *name)
{
	const char *p, *nl, *end = text + len;

	for (p = text; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		for (size_t i = 0; i < NR_HEADER_NAMES; i++) {
			size_t k = strlen(header_names[i]);
			const char *v = p + k, *ve;

			if ((size_t)(nl - p) < k ||
			    memcmp(p, header_names[i], k))
				continue;
			if (v < nl && *v == '"')	/* a C-quoted name */
				v++;
			if (v >= nl)
				continue;
			ve = memchr(v, '\t', (size_t)(nl - v));
			if (!ve)
				ve = nl;
			while (ve > v && ve[-1] == '\r')
				ve--;
			if (v < ve && *v == '/' && !((size_t)(ve - v) == 9 &&
						     !memcmp(v, "/dev/null", 9))) {
				strbuf_add(name, v, (size_t)(ve - v));
				return "an absolute path";
			}
		}
	}
	return NULL;
}

static bool below(const char *root, const char *real)
{
	size_t n = strlen(root);

	if (n == 1 && *root == '/')
		return true;
	return !strncmp(real, root, n) && (!real[n] || real[n] == '/');
}

bool tree_path_escapes(const char *root, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	bool escapes = false;
	const char *s = rel;

	strbuf_addstr(&sb, root);
	while (*s && !escapes) {
		size_t n = strcspn(s, "/");
		struct stat st;

		strbuf_addch(&sb, '/');
		strbuf_add(&sb, s, n);
		if (lstat(sb.buf, &st) < 0)
			break;		/* created by the patch */
		if (S_ISLNK(st.st_mode)) {
			char real[PATH_MAX];

			escapes = !realpath(sb.buf, real) || !below(root, real);
		}
		s += n;
		if (*s)
			s++;
	}
	strbuf_release(&sb);
	return escapes;
}

bool tree_path_excluded(const struct strlist *exclude, const char *rel)
{
	for (size_t k = 0; exclude && k < exclude->nr; k++) {
		size_t n = strlen(exclude->v[k]);

		if (!strncmp(rel, exclude->v[k], n) && (!rel[n] || rel[n] == '/'))
			return true;
	}
	return false;
}
