// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum kb_action {
	KB_DROP,	/* the flag alone */
	KB_DROP_ARG,	/* the flag and its separate value */
	KB_KEEP_ARG,	/* keep the flag and its separate value */
	KB_REPLACE,	/* what replace() pushes instead */
};

struct kb_flag {
	const char *name;
	bool prefix;
	enum kb_action action;
	void (*replace)(const char *arg, struct strlist *out);
};

/* -mpreferred-stack-boundary=N is gcc's spelling of -mstack-alignment=2^N. */
static void replace_stack_boundary(const char *arg, struct strlist *out)
{
	const char *v = strchr(arg, '=') + 1;
	char *end;
	long n = strtol(v, &end, 10);
	struct strbuf sb = STRBUF_INIT;

	if (end == v || *end || n < 2 || n > 12)
		return;
	strbuf_addf(&sb, "-mstack-alignment=%ld", 1L << n);
	strlist_push_nodup(out, strbuf_detach(&sb));
}

/* -mindirect-branch=thunk-extern is gcc's -mretpoline-external-thunk. */
static void replace_indirect_branch(const char *arg, struct strlist *out)
{
	if (!strcmp(arg, "-mindirect-branch=thunk-extern"))
		strlist_push(out, "-mretpoline-external-thunk");
}

#define DROP(n) { n, false, KB_DROP, NULL }
#define DROP_PREFIX(n) { n, true, KB_DROP, NULL }
#define DROP_ARG(n) { n, false, KB_DROP_ARG, NULL }
#define KEEP_ARG(n) { n, false, KB_KEEP_ARG, NULL }
#define REPLACE(n, fn) { n, true, KB_REPLACE, fn }

/*
 * First match wins.  Everything not listed is passed through: clang accepts
 * most of gcc's spelling, and a new gcc-only flag shows up as a libclang
 * error that --verbose counts (and the kbuild test asserts to be zero).
 */
static const struct kb_flag kb_flags[] = {
	/* kbuild's outputs: ccgate never writes the dependency file */
	DROP_PREFIX("-Wp,"),
	DROP("-MD"), DROP("-MMD"), DROP("-MP"), DROP("-MG"),
	DROP_ARG("-MF"), DROP_ARG("-MT"), DROP_ARG("-MQ"), DROP_ARG("-o"),
	DROP("-c"), DROP("-S"), DROP("-E"),
	/* warnings: ccgate parses with -w; sparse's and gcc's -W are unknown */
	DROP_PREFIX("-W"),
	/* never __CHECKER__: the headers then use sparse-only syntax */
	DROP("-D__CHECKER__"), DROP_PREFIX("-D__CHECKER__="),
	/* sparse's own options */
	DROP_PREFIX("--arch="), DROP_PREFIX("-fmemcpy-max-count="),
	DROP_PREFIX("-fdiagnostic-prefix"), DROP_PREFIX("-fmax-warnings="),
	/* gcc-only options that clang rejects */
	DROP_PREFIX("--param="), DROP_ARG("--param"),
	DROP_PREFIX("-fplugin"),
	DROP("-fconserve-stack"),
	DROP("-fno-allow-store-data-races"), DROP("-fallow-store-data-races"),
	DROP("-fno-var-tracking-assignments"), DROP("-fno-var-tracking"),
	DROP_PREFIX("-fno-ipa-"), DROP_PREFIX("-fno-tree-"),
	DROP("-fno-code-hoisting"), DROP("-fno-partial-inlining"),
	DROP("-fsched-pressure"), DROP_PREFIX("-fmin-function-alignment="),
	DROP_PREFIX("-fasan-shadow-offset="),
	DROP("-mrecord-mcount"), DROP("-mindirect-branch-register"),
	REPLACE("-mpreferred-stack-boundary=", replace_stack_boundary),
	REPLACE("-mindirect-branch=", replace_indirect_branch),
	/* options whose value is the next argument */
	KEEP_ARG("-include"), KEEP_ARG("-imacros"), KEEP_ARG("-isystem"),
	KEEP_ARG("-iquote"), KEEP_ARG("-idirafter"), KEEP_ARG("-I"),
	KEEP_ARG("-D"), KEEP_ARG("-U"), KEEP_ARG("-x"), KEEP_ARG("-Xclang"),
	KEEP_ARG("-target"), KEEP_ARG("-mllvm"),
};

/*
 * What the slot keeps of the flags the table drops: sparse's
 * -fdiagnostic-prefix[=X] (bare, the checker's own name; the last wins)
 * and the object that kbuild's dependency file is named after
 * ($(depfile) is $(dir $@).$(notdir $@).d).
 */
static void kb_note(struct kbuild_cmd *cmd, const char *arg)
{
	static const char dp[] = "-fdiagnostic-prefix";
	struct strbuf sb = STRBUF_INIT;
	const char *dep = NULL, *base;
	size_t n;

	if (!strncmp(arg, dp, sizeof(dp) - 1) &&
	    (!arg[sizeof(dp) - 1] || arg[sizeof(dp) - 1] == '=')) {
		free(cmd->diag_prefix);
		cmd->diag_prefix = xstrdup(arg[sizeof(dp) - 1] ?
					   arg + sizeof(dp) : "ccgate");
		return;
	}
	if (!strncmp(arg, "-Wp,-MMD,", 9))
		dep = arg + 9;
	else if (!strncmp(arg, "-Wp,-MD,", 8))
		dep = arg + 8;
	if (!dep)
		return;
	base = strrchr(dep, '/');
	base = base ? base + 1 : dep;
	n = strlen(base);
	if (base[0] != '.' || n < 4 || strcmp(base + n - 2, ".d"))
		return;
	strbuf_add(&sb, dep, (size_t)(base - dep));
	strbuf_add(&sb, base + 1, n - 3);
	free(cmd->object);
	cmd->object = strbuf_detach(&sb);
}

static const struct kb_flag *lookup(const char *arg)
{
	for (size_t i = 0; i < sizeof(kb_flags) / sizeof(*kb_flags); i++) {
		const struct kb_flag *f = &kb_flags[i];

		if (f->prefix ? !strncmp(arg, f->name, strlen(f->name)) :
				!strcmp(arg, f->name))
			return f;
	}
	return NULL;
}

int kbuild_translate(struct kbuild_cmd *cmd, int argc, const char *const *argv,
		     struct strbuf *err)
{
	struct strlist operands = STRLIST_INIT;

	memset(cmd, 0, sizeof(*cmd));
	cmd->nr_in = (size_t)argc;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct kb_flag *f = arg[0] == '-' ? lookup(arg) : NULL;

		if (arg[0] != '-' || !arg[1]) {
			strlist_push(&operands, arg);
			continue;
		}
		if (!f) {
			strlist_push(&cmd->args, arg);
			continue;
		}
		if ((f->action == KB_DROP_ARG || f->action == KB_KEEP_ARG) &&
		    i + 1 >= argc) {
			strbuf_addf(err, "option '%s' needs a value", arg);
			goto fail;
		}
		switch (f->action) {
		case KB_DROP:
			kb_note(cmd, arg);
			strlist_push(&cmd->dropped, arg);
			break;
		case KB_DROP_ARG:
			strlist_push(&cmd->dropped, arg);
			strlist_push(&cmd->dropped, argv[++i]);
			break;
		case KB_KEEP_ARG:
			strlist_push(&cmd->args, arg);
			strlist_push(&cmd->args, argv[++i]);
			break;
		case KB_REPLACE:
			strlist_push(&cmd->dropped, arg);
			f->replace(arg, &cmd->args);
			break;
		}
	}
	if (operands.nr != 1) {
		if (operands.nr)
			strbuf_addf(err, "expected one source file in the compiler arguments, got %zu",
				    operands.nr);
		else
			strbuf_addstr(err, "no source file in the compiler arguments");
		goto fail;
	}
	/*
	 * Like sparse, the one operand is C whatever its name ("-" is
	 * standard input): kbuild's checker probe (scripts/checker-valid.sh)
	 * hands the checker a mktemp file without a suffix.
	 */
	strlist_push(&cmd->args, "-x");
	strlist_push(&cmd->args, "c");
	cmd->source = xstrdup(operands.v[0]);
	strlist_release(&operands);
	return 0;
fail:
	strlist_release(&operands);
	kbuild_cmd_release(cmd);
	return -1;
}

void kbuild_cmd_release(struct kbuild_cmd *cmd)
{
	strlist_release(&cmd->args);
	strlist_release(&cmd->dropped);
	free(cmd->source);
	free(cmd->diag_prefix);
	free(cmd->object);
	memset(cmd, 0, sizeof(*cmd));
}

void kbuild_cmd_path(const char *object, struct strbuf *cmd_path)
{
	const char *base = strrchr(object, '/');

	base = base ? base + 1 : object;
	strbuf_addf(cmd_path, "%.*s.%s.cmd", (int)(base - object), object, base);
}

void kbuild_deps(const char *text, size_t len, struct strlist *out)
{
	const char *end = text + len, *p = text;

	/* the line "deps_OBJ := \" */
	while ((size_t)(end - p) < 5 || memcmp(p, "deps_", 5)) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
	}
	p = memchr(p, '\n', (size_t)(end - p));
	while (p && p < end) {
		const char *a = p + 1, *eol, *z;

		eol = memchr(a, '\n', (size_t)(end - a));
		if (!eol)
			eol = end;
		while (a < eol && (*a == ' ' || *a == '\t'))
			a++;
		z = eol > a && eol[-1] == '\\' ? eol - 1 : eol;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if (z - a > 2 && !memcmp(z - 2, ".h", 2) && memcmp(a, "$(", 2))
			strlist_push_nodup(out, xstrndup(a, (size_t)(z - a)));
		if (eol == a || eol[-1] != '\\')
			break;	/* the last line of the list */
		p = eol;
	}
}

void kbuild_c_includes(const char *includer, const char *text, size_t len,
		       struct strlist *out)
{
	const char *p = text, *end = text + len;
	const char *slash = strrchr(includer, '/');
	int dirlen = slash ? (int)(slash - includer) : 1;
	const char *dir = slash ? includer : ".";

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *name, *close;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '#') {
			q++;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if ((size_t)(eol - q) > 7 && !memcmp(q, "include", 7)) {
				q += 7;
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
				name = q + 1;
				close = q < eol && *q == '"' ?
					memchr(name, '"', (size_t)(eol - name)) : NULL;
				if (close && close - name > 2 && !memcmp(close - 2, ".c", 2)) {
					struct strbuf sb = STRBUF_INIT;

					if (*name != '/')
						strbuf_addf(&sb, "%.*s/", dirlen, dir);
					strbuf_add(&sb, name, (size_t)(close - name));
					if (strlist_has(out, sb.buf))
						strbuf_release(&sb);
					else
						strlist_push_nodup(out, strbuf_detach(&sb));
				}
			}
		}
		p = eol + 1;
	}
}
