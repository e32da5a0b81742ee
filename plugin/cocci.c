// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Coccinelle engine: runs cocci/<rule>.cocci with spatch over the
 * sweep's candidate files and turns its report lines into findings.
 *
 * Why spatch runs as a child with --file-groups: given several files on its
 * command line, spatch treats them as one group and lets a rule matched in
 * one file enable the next rule in another; one group per file keeps the
 * semantic patches' per-file reasoning.  spatch runs in an empty temporary
 * directory, so that no .cocciconfig of the tree or of the caller adds
 * options, and its parallel work files land there.
 *
 * The report line is coccilib's "FILE:LINE:COL-COLEND: ERROR: MESSAGE
 * [rule-id]" with a 0-based column; the function is the quoted name that
 * every message of the pack starts with.  Known limit: a finding's notes
 * (callers, fix remarks) exist only in the libclang engine.
 */
#include "cocci.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "registry.h"
#include "rulepack.h"
#include "run.h"
#include "banned.h"

int ccg_engine_parse(const char *s, unsigned *engines)
{
	if (!strcmp(s, "clang"))
		*engines = CCG_ENGINE_CLANG;
	else if (!strcmp(s, "cocci"))
		*engines = CCG_ENGINE_COCCI;
	else if (!strcmp(s, "both"))
		*engines = CCG_ENGINE_BOTH;
	else
		return -1;
	return 0;
}

char *cocci_dir(const struct rulepack *rp)
{
	const char *env = getenv("CCGATE_COCCI");
	struct strbuf sb = STRBUF_INIT;
	const char *slash;

	if (env && *env)
		return xstrdup(env);
	strbuf_addstr(&sb, rp->dir ? rp->dir : "rules");
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		strbuf_setlen(&sb, sb.len - 1);
	slash = strrchr(sb.buf, '/');
	strbuf_setlen(&sb, slash ? (size_t)(slash - sb.buf) + 1 : 0);
	strbuf_addstr(&sb, "cocci");
	return strbuf_detach(&sb);
}

/* The quoted function name that every message template starts with. */
static char *message_function(const char *msg)
{
	const char *end;

	if (msg[0] != '\'' || !(end = strchr(msg + 1, '\'')))
		return NULL;
	return xstrndup(msg + 1, (size_t)(end - msg - 1));
}

/* The literal text of TMPL between "{function}" and the next placeholder. */
static char *template_key(const char *tmpl)
{
	const char *p = tmpl ? strstr(tmpl, "{function}") : NULL;
	const char *end;

	if (!p)
		return NULL;
	p += strlen("{function}");
	end = strchr(p, '{');
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* vc-svm-opcodes: the quoted exit codes of the message go to a list. */
static void add_lists(const struct rp_rule *rule, struct ccg_finding *f)
{
	char *wrong_key = template_key(rule->wrong_message);
	const char *prefix = rule->exit_prefix;
	struct strlist *l;
	const char *p;

	f->has_lists = true;
	l = wrong_key && *wrong_key && strstr(f->message, wrong_key) ?
	    &f->wrong : &f->missing;
	free(wrong_key);
	for (p = f->message; (p = strchr(p, '\'')); ) {
		const char *end = strchr(p + 1, '\'');

		if (!end)
			break;
		if (!strncmp(p + 1, prefix, strlen(prefix))) {
			char *code = xstrndup(p + 1, (size_t)(end - p - 1));

			if (!strlist_has(l, code))
				strlist_push(l, code);
			free(code);
		}
		p = end + 1;
	}
}

/*
 * One report line: "FILE:LINE:COL-COLEND: ERROR: MESSAGE [rule-id]".
 * Returns -1 for anything else (spatch's own chatter).
 */
static int parse_report_line(const struct cocci_run *run,
			     const struct rp_rule *rule, char *line,
			     struct ccg_findings *out)
{
	static const char *const sevs[] = { ": ERROR: ", ": WARNING: " };
	const char *root = run->ctx->unit.root;
	char *sep = NULL, *msg, *tag, *p, *path;
	unsigned long ln, col;
	struct ccg_finding *f;
	size_t rootlen = strlen(root), k;
	enum ccg_severity sev = CCG_SEV_ERROR;

	for (k = 0; k < 2 && !sep; k++) {
		sep = strstr(line, sevs[k]);
		sev = k ? CCG_SEV_WARNING : CCG_SEV_ERROR;
	}
	if (!sep)
		return -1;
	msg = sep + strlen(sevs[k - 1]);
	*sep = '\0';
	tag = strrchr(msg, '[');
	if (!tag || tag == msg || tag[-1] != ' ' ||
	    strncmp(tag + 1, rule->id, strlen(rule->id)) ||
	    strcmp(tag + 1 + strlen(rule->id), "]"))
		return -1;
	tag[-1] = '\0';
	/* FILE:LINE:COL-COLEND, read from the right */
	p = strrchr(line, '-');
	if (!p)
		return -1;
	*p = '\0';
	p = strrchr(line, ':');
	if (!p)
		return -1;
	col = strtoul(p + 1, NULL, 10);
	*p = '\0';
	p = strrchr(line, ':');
	if (!p)
		return -1;
	ln = strtoul(p + 1, NULL, 10);
	*p = '\0';
	path = line;
	if (!strncmp(path, root, rootlen) && path[rootlen] == '/')
		path += rootlen + 1;
	f = findings_add(out);
	f->rule = xstrdup(rule->id);
	f->severity = sev;
	f->file = xstrdup(path);
	f->line = (unsigned)ln;
	f->col = (unsigned)col + 1;
	f->message = xstrdup(msg);
	f->function = message_function(msg);
	f->engines = CCG_ENGINE_COCCI;
	if (rule->exit_prefix && *rule->exit_prefix)
		add_lists(rule, f);
	return 0;
}

/* Split spatch's patch output into one diff per file, keyed by path. */
static void split_patches(const char *text, struct strlist *paths,
			  struct strlist *diffs)
{
	const char *p = text;

	while ((p = strstr(p, "diff -u -p a/"))) {
		const char *name = p + strlen("diff -u -p a/");
		const char *sp = strchr(name, ' ');
		const char *next = strstr(p + 1, "\ndiff -u -p a/");
		size_t len = next ? (size_t)(next + 1 - p) : strlen(p);

		if (!sp)
			break;
		strlist_push_nodup(paths, xstrndup(name, (size_t)(sp - name)));
		strlist_push_nodup(diffs, xstrndup(p, len));
		p += len;
	}
}

static void run_rule(const struct cocci_run *run, const char *spatch,
		     const char *python, const char *sp_file,
		     const char *groups, const char *tmp,
		     const struct rp_rule *rule, struct ccg_findings *out)
{
	struct strbuf jobs = STRBUF_INIT, text = STRBUF_INIT;
	struct strlist paths = STRLIST_INIT, diffs = STRLIST_INIT;
	size_t first = out->nr;
	char *line;
	int status;

	strbuf_addf(&jobs, "%d", run->ctx->jobs > 0 ? run->ctx->jobs : 1);
	{
		char *const argv[] = {
			(char *)spatch, "--python", (char *)python,
			"--very-quiet", "--no-includes", "--include-headers",
			"--jobs", jobs.buf, "--sp-file", (char *)sp_file,
			"-D", "report", "--file-groups", (char *)groups, NULL,
		};

		status = run_capture(tmp, argv, &text);
	}
	if (status)
		die("'%s' failed on '%s' (exit status %d)", spatch, sp_file, status);
	for (line = text.buf; line && *line; ) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		parse_report_line(run, rule, line, out);
		line = nl ? nl + 1 : NULL;
	}
	if (run->patches && out->nr > first) {
		char *const argv[] = {
			(char *)spatch, "--python", (char *)python,
			"--very-quiet", "--no-includes", "--include-headers",
			"--jobs", jobs.buf, "--sp-file", (char *)sp_file,
			"-D", "patch", "--patch", (char *)run->ctx->unit.root,
			"--file-groups", (char *)groups, NULL,
		};

		strbuf_reset(&text);
		if (run_capture(tmp, argv, &text))
			die("'%s' failed on '%s' in patch mode", spatch, sp_file);
		split_patches(text.buf, &paths, &diffs);
		for (size_t i = first; i < out->nr; i++)
			for (size_t k = 0; k < paths.nr; k++)
				if (!strcmp(paths.v[k], out->v[i].file))
					out->v[i].patch = xstrdup(diffs.v[k]);
	}
	strlist_release(&paths);
	strlist_release(&diffs);
	strbuf_release(&text);
	strbuf_release(&jobs);
}

static void remove_tree(const char *dir)
{
	char *const argv[] = { "/bin/rm", "-rf", (char *)dir, NULL };
	struct strbuf ignored = STRBUF_INIT;

	run_capture("/", argv, &ignored);
	strbuf_release(&ignored);
}

void cocci_sweep(const struct cocci_run *run, struct ccg_findings *out)
{
	const char *env = getenv("CCGATE_SPATCH");
	char *spatch = run_find_program(env && *env ? env : "spatch");
	char *python = run_find_program("python3");
	char *dir = cocci_dir(run->ctx->rp);
	char tmp[] = "/tmp/ccgate-cocci-XXXXXX";
	struct strbuf groups = STRBUF_INIT, list = STRBUF_INIT;
	int fd;

	if (!spatch)
		die("cannot run '%s': not found in PATH (install coccinelle, or set CCGATE_SPATCH)",
		    env && *env ? env : "spatch");
	if (!python)
		die("cannot run spatch: 'python3' not found in PATH");
	if (!mkdtemp(tmp))
		die("cannot create a temporary directory: %s", strerror(errno));
	for (size_t i = 0; i < run->files->nr; i++)
		strbuf_addf(&list, "%s%s/%s\n", i ? "\n" : "",
			    run->ctx->unit.root, run->files->v[i]);
	strbuf_addf(&groups, "%s/groups", tmp);
	fd = open(groups.buf, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, list.buf, list.len) != (ssize_t)list.len ||
	    close(fd) < 0) {
		remove_tree(tmp);
		die("cannot write '%s': %s", groups.buf, strerror(errno));
	}
	for (int r = 0; r < CCG_RULE_NR && run->files->nr; r++) {
		const struct rp_rule *rule = run->ctx->rp->rules[r];
		struct strbuf sp = STRBUF_INIT;

		if (!run->ctx->unit.enabled[r])
			continue;
		strbuf_addf(&sp, "%s/", dir);
		for (const char *c = rule->id; *c; c++)
			strbuf_addch(&sp, *c == '-' ? '_' : *c);
		strbuf_addstr(&sp, ".cocci");
		if (access(sp.buf, R_OK)) {
			remove_tree(tmp);
			die("cannot read '%s': %s", sp.buf, strerror(errno));
		}
		run_rule(run, spatch, python, sp.buf, groups.buf, tmp, rule, out);
		strbuf_release(&sp);
	}
	remove_tree(tmp);
	findings_sort_unique(out);
	strbuf_release(&groups);
	strbuf_release(&list);
	free(dir);
	free(python);
	free(spatch);
}

static bool same_finding(const struct ccg_finding *a, const struct ccg_finding *b)
{
	return !strcmp(a->rule, b->rule) && !strcmp(a->file, b->file) &&
	       a->line == b->line && a->col == b->col &&
	       !strcmp(a->message, b->message);
}

void cocci_merge(struct ccg_findings *clang, struct ccg_findings *cocci)
{
	size_t nr_clang = clang->nr;

	for (size_t i = 0; i < nr_clang; i++)
		clang->v[i].engines = CCG_ENGINE_CLANG;
	for (size_t k = 0; k < cocci->nr; k++) {
		struct ccg_finding *c = &cocci->v[k];
		bool found = false;

		for (size_t i = 0; i < nr_clang && !found; i++) {
			if (same_finding(&clang->v[i], c)) {
				clang->v[i].engines |= CCG_ENGINE_COCCI;
				found = true;
			}
		}
		if (!found) {
			c->engines = CCG_ENGINE_COCCI;
			finding_add_note(c, NULL, 0, 0,
					 "only the cocci engine reports this");
			*findings_add(clang) = *c;
			memset(c, 0, sizeof(*c));
		}
	}
	for (size_t i = 0; i < nr_clang; i++)
		if (clang->v[i].engines == CCG_ENGINE_CLANG)
			finding_add_note(&clang->v[i], NULL, 0, 0,
					 "only the clang engine reports this");
	findings_release(cocci);
	findings_sort_unique(clang);
}
