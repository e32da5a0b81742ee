// SPDX-License-Identifier: GPL-2.0-only
#include "compdb.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kbuild.h"
#include "banned.h"

int compdb_split_command(const char *cmd, struct strlist *out,
			 struct strbuf *err)
{
	struct strbuf word = STRBUF_INIT;
	bool in_word = false;
	const char *p = cmd;

	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				strlist_push(out, word.buf ? word.buf : "");
			strbuf_reset(&word);
			in_word = false;
			continue;
		}
		in_word = true;
		if (*p == '\\' && p[1]) {
			strbuf_addch(&word, *++p);
		} else if (*p == '\'') {
			const char *close = strchr(p + 1, '\'');

			if (!close)
				goto unterminated;
			strbuf_add(&word, p + 1, (size_t)(close - p - 1));
			p = close;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
					p++;
				strbuf_addch(&word, *p);
			}
			if (!*p)
				goto unterminated;
		} else {
			strbuf_addch(&word, *p);
		}
	}
	if (in_word)
		strlist_push(out, word.buf ? word.buf : "");
	strbuf_release(&word);
	return 0;
unterminated:
	strbuf_addstr(err, "unterminated quote in the command");
	strbuf_release(&word);
	return -1;
}

static char *join_path(const char *dir, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char real[PATH_MAX];

	if (*path != '/' && dir)
		strbuf_addf(&sb, "%s/", dir);
	strbuf_addstr(&sb, path);
	if (realpath(sb.buf, real)) {
		strbuf_release(&sb);
		return xstrdup(real);
	}
	return strbuf_detach(&sb);
}

/* -I/-include/... values are relative to the entry's directory. */
static void absolute_paths(struct strlist *args, const char *dir)
{
	static const char *const with_value[] = {
		"-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-I",
	};

	for (size_t i = 0; i < args->nr; i++) {
		char *a = args->v[i], **slot = NULL;
		const char *val = NULL;
		size_t keep = 0;

		for (size_t k = 0; k < sizeof(with_value) / sizeof(*with_value); k++) {
			if (!strcmp(a, with_value[k]) && i + 1 < args->nr) {
				slot = &args->v[++i];
				val = *slot;
				break;
			}
		}
		if (!slot && !strncmp(a, "-I", 2) && a[2]) {
			slot = &args->v[i];
			val = a + 2;
			keep = 2;
		}
		if (!slot || *val == '/')
			continue;
		{
			struct strbuf sb = STRBUF_INIT;

			strbuf_add(&sb, *slot, keep);
			strbuf_addf(&sb, "%s/%s", dir, val);
			free(*slot);
			*slot = strbuf_detach(&sb);
		}
	}
}

static int load_entry(struct compdb_entry *e, json_t *o, size_t idx,
		      struct strbuf *err)
{
	const char *dir = json_string_value(json_object_get(o, "directory"));
	const char *file = json_string_value(json_object_get(o, "file"));
	const char *command = json_string_value(json_object_get(o, "command"));
	json_t *arguments = json_object_get(o, "arguments"), *v;
	struct strlist argv = STRLIST_INIT;
	struct kbuild_cmd cmd;
	struct strbuf why = STRBUF_INIT;
	size_t i;
	int ret = -1;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(o) || !dir || !file || (!command && !json_is_array(arguments))) {
		strbuf_addf(err, "entry %zu: needs \"directory\", \"file\" and \"command\" or \"arguments\"",
			    idx);
		return -1;
	}
	/* assembler units (.S) have nothing for these rules */
	if (strlen(file) < 2 || strcmp(file + strlen(file) - 2, ".c"))
		return 1;
	if (json_is_array(arguments)) {
		json_array_foreach(arguments, i, v) {
			if (!json_is_string(v)) {
				strbuf_addf(err, "entry %zu: \"arguments\" holds a non-string", idx);
				goto out;
			}
			strlist_push(&argv, json_string_value(v));
		}
	} else if (compdb_split_command(command, &argv, &why) < 0) {
		strbuf_addf(err, "entry %zu: %s", idx, why.buf);
		goto out;
	}
	/* argv[0] is the compiler */
	if (argv.nr < 2 ||
	    kbuild_translate(&cmd, (int)argv.nr - 1,
			     (const char *const *)argv.v + 1, &why) < 0) {
		strbuf_addf(err, "entry %zu (%s): %s", idx, file,
			    argv.nr < 2 ? "no compiler arguments" : why.buf);
		goto out;
	}
	e->source = join_path(dir, file);
	e->args = cmd.args;
	memset(&cmd.args, 0, sizeof(cmd.args));
	absolute_paths(&e->args, dir);
	strlist_push(&e->args, "-w");
	strlist_push(&e->args, "-ferror-limit=0");
	strlist_push(&e->args, "-fno-spell-checking");
	kbuild_cmd_release(&cmd);
	ret = 0;
out:
	strlist_release(&argv);
	strbuf_release(&why);
	return ret;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct compdb_entry *)a)->source,
		      ((const struct compdb_entry *)b)->source);
}

int compdb_load(struct compdb *db, const char *path, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	memset(db, 0, sizeof(*db));
	if (strbuf_read_file(&text, path) < 0) {
		strbuf_addf(err, "cannot read the compilation database '%s': %s",
			    path, strerror(errno));
		return -1;
	}
	ret = compdb_parse(db, path, text.buf ? text.buf : "", text.len, err);
	strbuf_release(&text);
	return ret;
}

int compdb_parse(struct compdb *db, const char *path, const char *text,
		 size_t len, struct strbuf *err)
{
	json_error_t jerr;
	json_t *root, *o;
	size_t i;

	memset(db, 0, sizeof(*db));
	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		if (jerr.line > 0)
			strbuf_addf(err, "%s:%d:%d: not a compilation database: %s",
				    path, jerr.line, jerr.column, jerr.text);
		else
			strbuf_addf(err, "%s: not a compilation database: %s",
				    path, jerr.text);
		return -1;
	}
	if (!json_is_array(root) || !json_array_size(root)) {
		strbuf_addf(err, "%s: not a compilation database (expected a non-empty JSON array)",
			    path);
		json_decref(root);
		return -1;
	}
	db->v = xcalloc(json_array_size(root), sizeof(*db->v));
	json_array_foreach(root, i, o) {
		struct strbuf why = STRBUF_INIT;

		int rc = load_entry(&db->v[db->nr], o, i, &why);

		if (rc < 0) {
			strbuf_addf(err, "%s: %s", path, why.buf);
			strbuf_release(&why);
			json_decref(root);
			compdb_release(db);
			return -1;
		}
		if (!rc)
			db->nr++;
	}
	json_decref(root);
	qsort(db->v, db->nr, sizeof(*db->v), cmp_entry);
	return 0;
}

static const struct compdb_entry *find(const struct compdb *db, const char *src)
{
	struct compdb_entry key = { (char *)src, STRLIST_INIT };

	return bsearch(&key, db->v, db->nr, sizeof(*db->v), cmp_entry);
}

static void scan_includes(struct compdb *db)
{
	db->scanned_includes = true;
	for (size_t i = 0; i < db->nr; i++) {
		struct strbuf text = STRBUF_INIT;
		struct strlist inc = STRLIST_INIT;
		const char *src = db->v[i].source;

		if (strbuf_read_file(&text, src) < 0 || !memmem(text.buf, text.len, ".c\"", 3)) {
			strbuf_release(&text);
			continue;
		}
		kbuild_c_includes(src, text.buf, text.len, &inc);
		for (size_t k = 0; k < inc.nr; k++) {
			char real[PATH_MAX];

			strlist_push(&db->inc_file, realpath(inc.v[k], real) ? real : inc.v[k]);
			strlist_push(&db->inc_unit, src);
		}
		strlist_release(&inc);
		strbuf_release(&text);
	}
}

const struct compdb_entry *compdb_lookup(struct compdb *db, const char *abspath)
{
	const struct compdb_entry *e = find(db, abspath);
	size_t n = strlen(abspath);

	if (e || n < 2 || strcmp(abspath + n - 2, ".c"))
		return e;
	if (!db->scanned_includes)
		scan_includes(db);
	for (size_t i = 0; i < db->inc_file.nr; i++)
		if (!strcmp(db->inc_file.v[i], abspath))
			return find(db, db->inc_unit.v[i]);
	return NULL;
}

void compdb_release(struct compdb *db)
{
	for (size_t i = 0; i < db->nr; i++) {
		free(db->v[i].source);
		strlist_release(&db->v[i].args);
	}
	free(db->v);
	strlist_release(&db->inc_file);
	strlist_release(&db->inc_unit);
	memset(db, 0, sizeof(*db));
}
