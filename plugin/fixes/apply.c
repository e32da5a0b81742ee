// SPDX-License-Identifier: GPL-2.0-only
/*
 * --apply: write the fixes into the analyzed tree.
 *
 * Every patch was computed from the text libclang read, whose size and hash
 * the worker recorded (struct ccg_preimage).  A file whose contents differ
 * now was edited since: applying hunks by line number could then corrupt
 * it, so the whole run is refused before anything is written.  Each file is
 * replaced by rename from a temporary file in its directory, keeping its
 * permissions, so a reader sees the old or the new file, never half of one.
 */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "udiff.h"
#include "banned.h"

/*
 * The signals that end ccgate are held while the temporary file exists, so
 * an interrupt leaves the complete file or none, never NAME.tmp.PID: it is
 * delivered once the file is renamed or removed.
 */
static int write_file_atomic_held(const char *path, const char *data,
				  size_t len, mode_t mode)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, saved;

	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		data += n;
		len -= (size_t)n;
	}
	/* set the mode explicitly: the umask must not narrow it */
	if (fchmod(fd, mode) < 0)
		goto fail_close;
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail_unlink;
	}
	if (rename(tmp.buf, path) < 0)
		goto fail_unlink;
	strbuf_release(&tmp);
	return 0;
fail_close:
	saved = errno;
	close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp.buf);
	errno = saved;
fail:
	strbuf_release(&tmp);
	return -1;
}

int write_file_atomic(const char *path, const char *data, size_t len,
		      mode_t mode)
{
	sigset_t hold, old;
	int ret, saved;

	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old);
	ret = write_file_atomic_held(path, data, len, mode);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return ret;
}

struct target {
	const char *path;
	struct udiff_file merged;	/* hunks borrowed from the patches */
	struct strbuf text;		/* the new contents */
	mode_t mode;
};

static bool same_hunk(const struct udiff_hunk *a, const struct udiff_hunk *b)
{
	if (a->old_start != b->old_start || a->lines.nr != b->lines.nr)
		return false;
	for (size_t i = 0; i < a->lines.nr; i++)
		if (strcmp(a->lines.v[i], b->lines.v[i]))
			return false;
	return true;
}

static int cmp_hunk(const void *a, const void *b)
{
	const struct udiff_hunk *x = a, *y = b;

	return x->old_start < y->old_start ? -1 : x->old_start > y->old_start;
}

/* Add the hunks of F to T; identical hunks (a shared dispatcher fix) once. */
static void merge_hunks(struct target *t, const struct udiff_file *f)
{
	for (size_t k = 0; k < f->nr; k++) {
		bool dup = false;

		for (size_t i = 0; i < t->merged.nr && !dup; i++)
			dup = same_hunk(&t->merged.hunks[i], &f->hunks[k]);
		if (dup)
			continue;
		ALLOC_GROW(t->merged.hunks, t->merged.nr, t->merged.alloc);
		/* a shallow copy: the lines stay owned by the patch */
		t->merged.hunks[t->merged.nr++] = f->hunks[k];
	}
}

/* Check one target against its preimage and compute its new text. */
static int prepare(const char *root, struct target *t,
		   const struct ccg_file_result *results, size_t nr_results)
{
	const struct ccg_preimage *pre;
	struct strbuf abs = STRBUF_INIT, cur = STRBUF_INIT;
	struct stat st;
	unsigned bad = 0;
	int ret = -1;

	qsort(t->merged.hunks, t->merged.nr, sizeof(*t->merged.hunks),
	      cmp_hunk);
	strbuf_addf(&abs, "%s/%s", root, t->path);
	pre = file_results_preimage(results, nr_results, t->path);
	if (!pre) {
		error("'%s': the analyzed contents were not recorded; not applying",
		      t->path);
	} else if (lstat(abs.buf, &st) == 0 && !S_ISREG(st.st_mode)) {
		error("'%s' is %s now; --apply writes only regular files, never through a link",
		      t->path, S_ISLNK(st.st_mode) ? "a symbolic link" :
		      "not a regular file");
	} else if (lstat(abs.buf, &st) < 0 ||
		   strbuf_read_file(&cur, abs.buf) < 0) {
		error("cannot read '%s': %s", t->path, strerror(errno));
	} else if (cur.len != pre->size ||
		   udiff_hash(cur.buf, cur.len) != pre->hash) {
		error("'%s' changed since it was analyzed; not applying", t->path);
	} else if (udiff_apply(&t->merged, cur.buf, cur.len, &t->text,
			       &bad) < 0) {
		error("'%s': the fixes do not apply at line %u (they overlap); not applying",
		      t->path, bad);
	} else {
		t->mode = st.st_mode & 07777;
		ret = 0;
	}
	strbuf_release(&cur);
	strbuf_release(&abs);
	return ret;
}

/* The target of PATH among T[0..*NT), added if new. */
static struct target *target_of(struct target **t, size_t *nt, size_t *at,
				const char *path)
{
	size_t j;

	for (j = 0; j < *nt && strcmp((*t)[j].path, path); j++)
		;
	if (j == *nt) {
		ALLOC_GROW(*t, *nt + 1, *at);
		memset(&(*t)[j], 0, sizeof(**t));
		(*t)[j].path = path;
		(*nt)++;
	}
	return &(*t)[j];
}

static int write_targets(const char *root, struct target *t, size_t nt)
{
	int ret = 0;

	for (size_t j = 0; j < nt && !ret; j++) {
		struct strbuf abs = STRBUF_INIT;

		strbuf_addf(&abs, "%s/%s", root, t[j].path);
		if (write_file_atomic(abs.buf, t[j].text.buf ? t[j].text.buf : "",
				      t[j].text.len, t[j].mode) < 0) {
			error("cannot write '%s': %s", t[j].path, strerror(errno));
			ret = -1;
		} else {
			ccg_report(stderr, t[j].path, 0, 0, CCG_SEV_NOTE, NULL,
				   "fix applied");
		}
		strbuf_release(&abs);
	}
	return ret;
}

int apply_fixes(const char *root, const struct ccg_findings *list,
		const struct ccg_file_result *results, size_t nr_results)
{
	struct target *t = NULL;
	size_t nt = 0, at = 0;
	int ret = 0;

	/* the hunks as the findings carry them: nothing reads a diff back */
	for (size_t i = 0; i < list->nr; i++) {
		const struct udiff *d = list->v[i].patch;

		for (size_t k = 0; d && k < d->nr; k++)
			merge_hunks(target_of(&t, &nt, &at, d->files[k].path),
				    &d->files[k]);
	}
	for (size_t j = 0; j < nt; j++)
		if (prepare(root, &t[j], results, nr_results) < 0)
			ret = -1;
	if (!ret)
		ret = write_targets(root, t, nt);
	for (size_t j = 0; j < nt; j++) {
		free(t[j].merged.hunks);
		strbuf_release(&t[j].text);
	}
	free(t);
	return ret;
}
