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
