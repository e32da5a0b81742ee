// SPDX-License-Identifier: GPL-2.0-only
#include "rulepack.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"
#include "unit.h"
#include "strbuf.h"
#include "banned.h"

const cyaml_strval_t rp_severity_strings[3] = {
	{ "note", CCG_SEV_NOTE },
	{ "warning", CCG_SEV_WARNING },
	{ "error", CCG_SEV_ERROR },
};

/* libcyaml 1.3 takes any word but its false words as true: be strict. */
const cyaml_strval_t rp_bool_strings[2] = {
	{ "false", 0 },
	{ "true", 1 },
};

const cyaml_schema_value_t rp_string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

const cyaml_schema_value_t rp_uint_entry = {
	CYAML_VALUE_UINT(CYAML_FLAG_DEFAULT, unsigned),
};

static const cyaml_schema_value_t *rule_schema(int nr)
{
	return ccg_engine_get((enum ccg_rule_nr)nr)->schema;
}

/*
 * libcyaml reports a schema violation as several log lines: the error, then
 * a backtrace whose entries carry "(line: N, column: M)".  Keep the first
 * error text and the innermost position, and turn them into one line.
 */
struct load_log {
	struct strbuf what;
	struct strbuf field;
	unsigned line, col;
};

static void rp_log(cyaml_log_t level, void *data, const char *fmt, va_list ap)
{
	struct load_log *log = data;
	struct strbuf msg = STRBUF_INIT;
	const char *p;
	unsigned line, col;

	if (level < CYAML_LOG_ERROR)
		return;
	strbuf_vaddf(&msg, fmt, ap);
	while (msg.len && (msg.buf[msg.len - 1] == '\n' || msg.buf[msg.len - 1] == ' '))
		msg.buf[--msg.len] = '\0';
	p = strstr(msg.buf, "(line: ");
	if (p && sscanf(p, "(line: %u, column: %u)", &line, &col) == 2) {
		if (!log->line) {
			const char *q = strchr(msg.buf, '\'');
			const char *e = q ? strchr(q + 1, '\'') : NULL;

			log->line = line;
			log->col = col;
			if (e)
				strbuf_add(&log->field, q + 1, (size_t)(e - q - 1));
		}
	} else if (!log->what.len && strncmp(msg.buf, "Load: Backtrace", 15)) {
		p = msg.buf;
		if (!strncmp(p, "Load: ", 6))
			p += 6;
		strbuf_addstr(&log->what, p);
	}
	strbuf_release(&msg);
}

static const cyaml_config_t base_config = {
	.log_fn = rp_log,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_DEFAULT,
};

static void rule_free(struct rp_rule *rule)
{
	cyaml_config_t cfg = base_config;
	char *path;

	if (!rule)
		return;
	path = rule->path;
	rule->path = NULL;
	cyaml_free(&cfg, rule_schema(rule->nr), rule, 0);
	free(path);
}

int rp_error(char **err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	*err = strbuf_detach(&sb);
	return -1;
}

/* The common header's checks, then the module's. */
static int rule_validate(const struct rp_rule *rule, const char *id,
			 const char *path, char **err)
{
	const struct ccg_engine *e = ccg_engine_get((enum ccg_rule_nr)rule->nr);

	if (strcmp(rule->id, id))
		return rp_error(err, "%s: field 'id': '%s' does not match the file name",
			       path, rule->id);
	return e->validate ? e->validate(rule, path, err) : 0;
}

int rulepack_parse_rule(const char *path, const char *id, const char *text,
			size_t len, struct rp_rule **out, char **err)
{
	struct load_log log = { STRBUF_INIT, STRBUF_INIT, 0, 0 };
	cyaml_config_t cfg = base_config;
	struct rp_rule *rule = NULL;
	int nr = ccg_rule_lookup(id);
	cyaml_err_t rc;
	int ret = -1;

	*out = NULL;
	if (nr < 0) {
		rp_error(err, "%s: '%s' is not a rule of the registry", path, id);
		goto out;
	}
	if (!len) {
		rp_error(err, "%s: empty rule file", path);
		goto out;
	}
	if (memchr(text, '\0', len)) {
		rp_error(err, "%s: binary data in rule file", path);
		goto out;
	}
	cfg.log_ctx = &log;
	rc = cyaml_load_data((const uint8_t *)text, len, &cfg,
			     rule_schema(nr), (cyaml_data_t **)&rule, NULL);
	if (rc != CYAML_OK) {
		if (log.line)
			rp_error(err, "%s:%u:%u: field '%s': %s", path, log.line,
				log.col, log.field.len ? log.field.buf : "?",
				log.what.len ? log.what.buf : cyaml_strerror(rc));
		else
			rp_error(err, "%s: %s", path,
				log.what.len ? log.what.buf : cyaml_strerror(rc));
		rule = NULL;
		goto out;
	}
	if (!rule) {		/* a document of comments only */
		rp_error(err, "%s: no rule in the file", path);
		goto out;
	}
	rule->nr = nr;
	if (rule_validate(rule, id, path, err) < 0) {
		rule_free(rule);
		rule = NULL;
		goto out;
	}
	rule->path = xstrdup(path);
	*out = rule;
	ret = 0;
out:
	strbuf_release(&log.what);
	strbuf_release(&log.field);
	return ret;
}

void rulepack_rule_free(struct rp_rule *rule)
{
	rule_free(rule);
}

static int rule_load(const char *path, const char *id, struct rp_rule **out,
		     char **err)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	*out = NULL;
	if (strbuf_read_file(&text, path) < 0)
		return rp_error(err, "cannot read rule file '%s': %s", path,
			       strerror(errno));
	ret = rulepack_parse_rule(path, id, text.buf ? text.buf : "", text.len,
				  out, err);
	strbuf_release(&text);
	return ret;
}

int rulepack_load(struct rulepack *rp, const char *dir, char **err)
{
	struct stat st;

	*err = NULL;
	if (stat(dir, &st) < 0)
		return rp_error(err, "cannot open rule pack directory '%s': %s",
			       dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return rp_error(err, "rule pack '%s' is not a directory", dir);
	rp->rules = xcalloc(CCG_RULE_NR, sizeof(*rp->rules));
	rp->nr = CCG_RULE_NR;
	rp->dir = xstrdup(dir);
	for (size_t i = 0; i < CCG_RULE_NR; i++) {
		struct strbuf path = STRBUF_INIT;
		int r;

		strbuf_addf(&path, "%s/%s.yaml", dir, ccg_rule_ids[i]);
		r = rule_load(path.buf, ccg_rule_ids[i], &rp->rules[i], err);
		strbuf_release(&path);
		if (r < 0) {
			rulepack_release(rp);
			return -1;
		}
	}
	return 0;
}

void rulepack_release(struct rulepack *rp)
{
	for (size_t i = 0; i < rp->nr; i++)
		rule_free(rp->rules[i]);
	free(rp->rules);
	free(rp->dir);
	rp->rules = NULL;
	rp->dir = NULL;
	rp->nr = 0;
}

const struct rp_rule *rulepack_find(const struct rulepack *rp, const char *id)
{
	for (size_t i = 0; i < rp->nr; i++)
		if (rp->rules[i] && !strcmp(rp->rules[i]->id, id))
			return rp->rules[i];
	return NULL;
}

static int is_rule_dir(const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	int ok;

	strbuf_addf(&p, "%s/%s.yaml", dir, ccg_rule_ids[0]);
	ok = access(p.buf, R_OK) == 0;
	strbuf_release(&p);
	return ok;
}

char *rulepack_default_dir(const char *argv0)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("CCGATE_RULES");
	/* the install layout first: a stray rules/ above /usr/bin must not win */
	static const char *const rel[] = {
		"../share/ccgate/rules", "rules", "../rules", "../../rules",
	};

	if (env && *env)
		return xstrdup(env);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			for (size_t i = 0; i < sizeof(rel) / sizeof(*rel); i++) {
				struct strbuf d = STRBUF_INIT;

				strbuf_addf(&d, "%s/%s", self, rel[i]);
				if (is_rule_dir(d.buf))
					return strbuf_detach(&d);
				strbuf_release(&d);
			}
		}
	}
	(void)argv0;
	return xstrdup(CCGATE_RULES_INSTALL_DIR);
}

bool rp_list_has(char *const *v, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool rp_rule_excludes(const struct rp_rule *rule, const char *relpath)
{
	for (unsigned i = 0; i < rule->exclude_count; i++) {
		size_t n = strlen(rule->exclude[i]);

		if (!strncmp(relpath, rule->exclude[i], n))
			return true;
	}
	return false;
}
