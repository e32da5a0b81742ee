// SPDX-License-Identifier: GPL-2.0-only
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

int run_capture(const char *dir, char *const *argv, struct strbuf *out)
{
	char *prog = run_find_program(argv[0]);
	int p[2], status;
	pid_t pid;

	if (!prog)
		return -1;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(prog);
		return -1;
	}
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 2);
		dup2(p[1], 1);
		if (dir && chdir(dir) < 0)
			_exit(127);
		execv(prog, argv);
		_exit(127);
	}
	free(prog);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	for (;;) {
		ssize_t n;

		strbuf_grow(out, 65536);
		n = read(p[0], out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
		out->buf[out->len] = '\0';
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
