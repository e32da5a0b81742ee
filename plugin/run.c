// SPDX-License-Identifier: GPL-2.0-only
#include "run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "banned.h"

char *run_find_program(const char *name)
{
	const char *path = getenv("PATH");
	struct strbuf sb = STRBUF_INIT;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : xstrdup(name);
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *colon = strchrnul(path, ':');
		size_t n = (size_t)(colon - path);
		struct stat st;

		strbuf_reset(&sb);
		strbuf_add(&sb, n ? path : ".", n ? n : 1);
		strbuf_addf(&sb, "/%s", name);
		if (!stat(sb.buf, &st) && S_ISREG(st.st_mode) &&
		    !access(sb.buf, X_OK))
			return strbuf_detach(&sb);
		path = *colon ? colon + 1 : colon;
	}
	strbuf_release(&sb);
	return NULL;
}
