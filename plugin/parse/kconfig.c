// SPDX-License-Identifier: GPL-2.0-only
#include "kconfig.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "udiff.h"
#include "banned.h"

void kconfig_init(struct ccg_kconfig *kc)
{
	memset(kc, 0, sizeof(*kc));
}

void kconfig_release(struct ccg_kconfig *kc)
{
	free(kc->autoconf);
	free(kc->origin);
	free(kc->warning);
	kconfig_init(kc);
}

/*
 * As scripts/kconfig/confdata.c writes it: y is 1, m is FOO_MODULE 1, n and
 * "is not set" are absent, strings, decimals and hex values as written.
 */
void kconfig_autoconf(struct strbuf *out, const char *config, size_t len)
{
	const char *p = config, *end = config + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *eq;

		if (!strncmp(p, "CONFIG_", 7) &&
		    (eq = memchr(p, '=', (size_t)(eol - p)))) {
			const char *v = eq + 1;
			int nlen = (int)(eq - p);
			int vlen = (int)(eol - v);

			while (vlen && isspace((unsigned char)v[vlen - 1]))
				vlen--;
			if (vlen == 1 && *v == 'y')
				strbuf_addf(out, "#define %.*s 1\n", nlen, p);
			else if (vlen == 1 && *v == 'm')
				strbuf_addf(out, "#define %.*s_MODULE 1\n", nlen, p);
			else if (vlen && !(vlen == 1 && *v == 'n'))
				strbuf_addf(out, "#define %.*s %.*s\n", nlen, p,
					    vlen, v);
		}
		p = eol + (nl != NULL);
	}
}

static int xz_decode(struct strbuf *out, const struct strbuf *in, char **err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r = lzma_stream_decoder(&s, UINT64_MAX, 0);

	if (r != LZMA_OK) {
		*err = xstrdup("cannot start the xz decoder");
		return -1;
	}
	s.next_in = (const uint8_t *)in->buf;
	s.avail_in = in->len;
	do {
		strbuf_grow(out, 1 << 16);
		s.next_out = (uint8_t *)out->buf + out->len;
		s.avail_out = out->alloc - out->len - 1;
		r = lzma_code(&s, LZMA_FINISH);
		out->len = out->alloc - 1 - s.avail_out;
		out->buf[out->len] = '\0';
	} while (r == LZMA_OK);
	lzma_end(&s);
	if (r != LZMA_STREAM_END) {
		*err = xstrdup("not a valid xz file");
		return -1;
	}
	return 0;
}

int kconfig_read_text(struct strbuf *text, const char *file, char **err)
{
	struct strbuf raw = STRBUF_INIT, why = STRBUF_INIT;
	char *xerr = NULL;
	int ret = -1;

	if (strbuf_read_file(&raw, file) < 0) {
		strbuf_addf(&why, "cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (raw.len >= 6 && !memcmp(raw.buf, "\xfd" "7zXZ", 6)) {
		if (xz_decode(text, &raw, &xerr) < 0) {
			strbuf_addf(&why, "cannot read '%s': %s", file, xerr);
			goto out;
		}
	} else {
		strbuf_add(text, raw.buf, raw.len);
	}
	if (memchr(text->buf, '\0', text->len) ||
	    !strstr(text->buf ? text->buf : "", "CONFIG_")) {
		strbuf_addf(&why, "'%s' is not a kernel .config", file);
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		*err = strbuf_detach(&why);
	strbuf_release(&why);
	strbuf_release(&raw);
	free(xerr);
	return ret;
}

int kconfig_from_file(struct ccg_kconfig *kc, const char *file, char **err)
{
	struct strbuf text = STRBUF_INIT, ac = STRBUF_INIT, sb = STRBUF_INIT;

	if (kconfig_read_text(&text, file, err) < 0) {
		strbuf_release(&text);
		return -1;
	}
	kconfig_autoconf(&ac, text.buf, text.len);
	kc->autoconf = strbuf_detach(&ac);
	strbuf_addf(&sb, "'%s'", file);
	kc->origin = strbuf_detach(&sb);
	strbuf_release(&text);
	return 0;
}

char *ccg_cache_dir(void)
{
	const char *env = getenv("CCGATE_CACHE");
	struct strbuf sb = STRBUF_INIT;

	if (env && *env == '/')
		return xstrdup(env);
	env = getenv("XDG_CACHE_HOME");
	if (env && *env == '/') {
		strbuf_addf(&sb, "%s/ccgate", env);
		return strbuf_detach(&sb);
	}
	env = getenv("HOME");
	if (!env || *env != '/')
		return NULL;
	strbuf_addf(&sb, "%s/.cache/ccgate", env);
	return strbuf_detach(&sb);
}

static int mkdir_p(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	int ret = 0;

	for (const char *s = dir; !ret && *s; s++) {
		strbuf_addch(&p, *s);
		if ((s[1] == '/' || !s[1]) && p.len > 1 &&
		    mkdir(p.buf, 0755) < 0 && errno != EEXIST)
			ret = -1;
	}
	strbuf_release(&p);
	return ret;
}

/* Run ARGV with all output into LOG; its exit status, -1 if it did not run. */
static int run_logged(char *const *argv, const char *log)
{
	char *prog = run_find_program(argv[0]);
	int status, fd;
	pid_t pid;

	if (!prog)
		return -1;
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(prog);
		return -1;
	}
	pid = fork();
	if (!pid) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(prog, argv);
		_exit(127);
	}
	close(fd);
	free(prog);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static uint64_t tree_key(const char *root, const struct strbuf *fragment,
			 const struct strlist *files)
{
	struct strbuf k = STRBUF_INIT;
	uint64_t h;

	strbuf_addf(&k, "ccgate %s\n%s\n", CCGATE_VERSION, root);
	strbuf_add(&k, fragment->buf, fragment->len);
	for (size_t i = 0; i < files->nr; i++) {
		struct strbuf p = STRBUF_INIT;
		struct stat st;

		strbuf_addf(&p, "%s/%s", root, files->v[i]);
		if (!stat(p.buf, &st))
			strbuf_addf(&k, "%s %lld %lld.%09ld\n", files->v[i],
				    (long long)st.st_size,
				    (long long)st.st_mtim.tv_sec,
				    st.st_mtim.tv_nsec);
		strbuf_release(&p);
	}
	h = udiff_hash(k.buf, k.len);
	strbuf_release(&k);
	return h;
}

static int write_whole(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return close(fd);
}

/* make -C ROOT O=DIR x86_64_defconfig, FRAGMENT appended, olddefconfig. */
static int configure(const char *root, const char *dir,
		     const struct strbuf *fragment, const char *log)
{
	struct strbuf o = STRBUF_INIT, cfg = STRBUF_INIT, text = STRBUF_INIT;
	char *defconfig[] = { "make", "-s", "-C", (char *)root, NULL,
			      "ARCH=x86_64", "x86_64_defconfig", NULL };
	char *old[] = { "make", "-s", "-C", (char *)root, NULL,
			"ARCH=x86_64", "olddefconfig", NULL };
	int ret = -1;

	strbuf_addf(&o, "O=%s", dir);
	defconfig[4] = old[4] = o.buf;
	strbuf_addf(&cfg, "%s/.config", dir);
	if (run_logged(defconfig, log) != 0 ||
	    strbuf_read_file(&text, cfg.buf) < 0)
		goto out;
	strbuf_add(&text, fragment->buf, fragment->len);
	if (write_whole(cfg.buf, text.buf, text.len) < 0 ||
	    run_logged(old, log) != 0)
		goto out;
	ret = 0;
out:
	strbuf_release(&o);
	strbuf_release(&cfg);
	strbuf_release(&text);
	return ret;
}

static bool exists_in(const char *root, const char *rel)
{
	struct strbuf p = STRBUF_INIT;
	struct stat st;
	bool ok;

	strbuf_addf(&p, "%s/%s", root, rel);
	ok = !stat(p.buf, &st);
	strbuf_release(&p);
	return ok;
}

static void use_config(struct ccg_kconfig *kc, const struct strbuf *text,
		       const char *origin)
{
	struct strbuf ac = STRBUF_INIT;

	kconfig_autoconf(&ac, text->buf, text->len);
	kc->autoconf = strbuf_detach(&ac);
	kc->origin = xstrdup(origin);
}

/*
 * The configuration cached at BASE.config, else made there by the tree's
 * kconfig under BASE.lock (CACHE/kconfig created); TEXT gets it.  -1 if
 * that fails.
 */
static int cached_config(const char *root, const char *cache,
			 const char *base, const struct strbuf *frag,
			 struct strbuf *text)
{
	struct strbuf cfg = STRBUF_INIT, obj = STRBUF_INIT, sb = STRBUF_INIT;
	int lock = -1, ret = -1;

	strbuf_addf(&cfg, "%s.config", base);
	if (strbuf_read_file(text, cfg.buf) >= 0) {
		ret = 0;
		goto out;
	}
	strbuf_addf(&sb, "%s/kconfig", cache);
	if (mkdir_p(sb.buf) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s.lock", base);
	lock = open(sb.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		goto out;
	/* another sweep may have written it meanwhile */
	if (strbuf_read_file(text, cfg.buf) >= 0) {
		ret = 0;
		goto out;
	}
	strbuf_addf(&obj, "%s.obj", base);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s.log", base);
	unlink(sb.buf);
	if (mkdir_p(obj.buf) < 0 || configure(root, obj.buf, frag, sb.buf) < 0)
		goto out;
	strbuf_addstr(&obj, "/.config");
	if (rename(obj.buf, cfg.buf) >= 0 && strbuf_read_file(text, cfg.buf) >= 0)
		ret = 0;
out:
	if (lock >= 0)
		close(lock);
	strbuf_release(&cfg);
	strbuf_release(&obj);
	strbuf_release(&sb);
	return ret;
}

/* The tree's own .config. */
static void own_config(struct ccg_kconfig *kc, const char *root)
{
	struct strbuf cfg = STRBUF_INIT;
	char *err = NULL;

	strbuf_addf(&cfg, "%s/.config", root);
	if (kconfig_from_file(kc, cfg.buf, &err) < 0) {
		kc->warning = err;
	} else {
		free(kc->origin);
		kc->origin = xstrdup("the tree's own .config");
	}
	strbuf_release(&cfg);
}

void kconfig_for_tree(struct ccg_kconfig *kc, const char *root,
		      const char *fragment,
		      const struct strlist *kconfig_files)
{
	struct strbuf frag = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT, sb = STRBUF_INIT;
	char *cache = NULL;

	/* a configured tree speaks for itself (parse.c reads its autoconf.h) */
	if (exists_in(root, "include/generated/autoconf.h"))
		return;
	if (exists_in(root, ".config")) {
		own_config(kc, root);
		return;
	}
	if (!kconfig_files->nr || !exists_in(root, "scripts/kconfig/Makefile") ||
	    !exists_in(root, "arch/x86/configs/x86_64_defconfig"))
		return;
	if (fragment && strbuf_read_file(&frag, fragment) < 0)
		strbuf_reset(&frag);
	cache = ccg_cache_dir();
	if (!cache) {
		kc->warning = xstrdup("no cache directory for the tree's kconfig (set CCGATE_CACHE or HOME)");
		strbuf_release(&frag);
		return;
	}
	strbuf_addf(&base, "%s/kconfig/%016llx", cache,
		    (unsigned long long)tree_key(root, &frag, kconfig_files));
	if (cached_config(root, cache, base.buf, &frag, &text) < 0) {
		strbuf_addf(&sb, "cannot configure the tree with its own kconfig (make x86_64_defconfig in '%s.obj' failed; its output is in '%s.log')",
			    base.buf, base.buf);
		kc->warning = strbuf_detach(&sb);
	} else {
		strbuf_addf(&sb, "x86_64_defconfig%s, by the tree's kconfig",
			    frag.len ? " and the rule pack's x86_64.config" : "");
		use_config(kc, &text, sb.buf);
	}
	free(cache);
	strbuf_release(&frag);
	strbuf_release(&base);
	strbuf_release(&text);
	strbuf_release(&sb);
}
