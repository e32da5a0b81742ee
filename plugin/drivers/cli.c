// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "cocci.h"
#include "diag.h"
#include "kconfig.h"
#include "registry.h"
#include "triage.h"
#include "worker.h"
#include "banned.h"

const struct ccg_verb ccg_verbs[] = {
	{ "sweep", cmd_sweep, CCG_NEED_RULES, "sweep [options] [TREE]", NULL },
	{ "check", cmd_check, CCG_NEED_RULES,
	  "check [options] [--tree ROOT] FILE... [-- COMPILER-ARGS]", NULL },
	{ "gate", cmd_gate, CCG_NEED_RULES, "gate [options] [--base REV] [TREE]",
	  NULL },
	{ "patch", cmd_patch, CCG_NEED_RULES, "patch [options] [--tree TREE] FILE",
	  NULL },
	{ "baseline", cmd_baseline, CCG_NEED_RULES,
	  "baseline write [--reason TEXT] FILE [TREE]", NULL },
	{ "rules", cmd_rules, CCG_NEED_RULES, "rules list [--rules DIR]", NULL },
	{ "kbuild", NULL, CCG_SLOT,
	  "[--fail-on=SEV] [--chain=CMD] [--format=text|json] [--verbose]\n"
	  "              [--rules DIR] [--enable RULE] [--disable RULE]\n"
	  "              [--baseline FILE] [--exclude PATH] [--no-config]\n"
	  "              COMPILER-ARGS... FILE\n"
	  "                            (kbuild's checker slot: make C=1 CHECK=ccgate)",
	  cmd_kbuild },
};

const size_t ccg_nr_verbs = sizeof(ccg_verbs) / sizeof(*ccg_verbs);

/*
 * The options (git's struct option): name, value, help, and what setting
 * them does.  getopt's table and the usage text are made from this one
 * list, in its order.
 */
enum cli_opt_type {
	CLI_BOOL,		/* sets a bool field */
	CLI_STRING,		/* stores the value in a const char * field */
	CLI_CALLBACK,		/* set(cli, value) */
};

typedef void cli_set_fn(struct ccg_cli *cli, const char *value);

/* Where an option may be given, and what its value is. */
#define OPTF_NO_FILE	(1 << 0)	/* command line only: it acts on this run */
#define OPTF_PATH	(1 << 1)	/* a path: in .ccgate, relative to its tree */
#define OPTF_SLOT	(1 << 2)	/* the kbuild slot takes it on its argv */
#define OPTF_SLOT_FILE	(1 << 3)	/* ... and from .ccgate, CCGATE_OPTIONS */

struct cli_option {
	enum cli_opt_type type;
	const char *name;
	int short_name;		/* 0: none */
	const char *argh;	/* how the help spells the value; NULL: none */
	size_t off;		/* of the field, for BOOL, STRING, LIST */
	cli_set_fn *set;	/* CALLBACK */
	const char *help;	/* lines of the usage text; NULL: not listed */
	unsigned flags;		/* OPTF_* */
};

#define CLI_FIELD(f) offsetof(struct ccg_cli, f)
#define OPT_BOOL(n, s, f, fl, h) \
	{ CLI_BOOL, n, s, NULL, CLI_FIELD(f), NULL, h, fl }
#define OPT_STRING(n, s, a, f, fl, h) \
	{ CLI_STRING, n, s, a, CLI_FIELD(f), NULL, h, fl }
#define OPT_CALLBACK(n, s, a, fn, fl, h) { CLI_CALLBACK, n, s, a, 0, fn, h, fl }

/* A bad value: one line, with the .ccgate line or CCGATE_OPTIONS it is from. */
static void __attribute__((format(printf, 2, 3), noreturn))
opt_die(const struct ccg_cli *cli, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (cli->origin)
		die("%s: %s", cli->origin, sb.buf);
	die("%s", sb.buf);
}

/*
 * Is OPT an option of the verb (V1 or V2)?  On the command line another
 * verb's option is an error; .ccgate serves every verb, so there it is
 * ignored.
 */
static bool verb_takes(const struct ccg_cli *cli, const char *opt,
		       const char *v1, const char *v2)
{
	if (!strcmp(cli->verb, v1) || (v2 && !strcmp(cli->verb, v2)))
		return true;
	if (cli->origin_flags & CLI_FROM_FILE)
		return false;
	if (v2)
		opt_die(cli, "'%s' is an option of '%s' and '%s', not of '%s'",
			opt, v1, v2, cli->verb);
	opt_die(cli, "'%s' is an option of '%s', not of '%s'", opt, v1,
		cli->verb);
}

static long parse_number(const struct ccg_cli *cli, const char *opt,
			 const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		opt_die(cli, "option '%s' expects a number from 0 to %ld, not '%s'",
			opt, max, s);
	return v;
}

static void set_format(struct ccg_cli *cli, const char *v)
{
	if (ccg_format_parse(v, &cli->format) < 0)
		opt_die(cli, "unknown format '%s' (expected text, json, sarif, checkpatch, codeclimate or github)",
			v);
	/* b4 counts every line on stderr as a failure: none but errors */
	if (cli->format == CCG_FORMAT_CHECKPATCH)
		cli->quiet = true;
}

static void set_jobs(struct ccg_cli *cli, const char *v)
{
	cli->jobs = (int)parse_number(cli, "--jobs", v, 256);
	if (!cli->jobs)
		cli->jobs = 1;
}

static void set_timeout(struct ccg_cli *cli, const char *v)
{
	cli->file_timeout = (unsigned)parse_number(cli, "--file-timeout", v,
						   86400);
}

static void set_memory(struct ccg_cli *cli, const char *v)
{
	if (budget_parse(v, &cli->file_memory) < 0)
		opt_die(cli, "option '--file-memory' expects a size such as 400M or 2G, not '%s'",
			v);
	cli->has_file_memory = true;
}

static void set_backend(struct ccg_cli *cli, const char *v)
{
	if (!verb_takes(cli, "--engine", "sweep", NULL))
		return;
	if (ccg_backend_parse(v, &cli->backends) < 0)
		opt_die(cli, "unknown engine '%s' (expected clang, cocci or both)", v);
}

static void set_fail_on(struct ccg_cli *cli, const char *v)
{
	if (ccg_severity_parse(v, &cli->fail_on) < 0)
		opt_die(cli, "unknown severity '%s' (expected error, warning or note)",
			v);
	cli->has_fail_on = true;
}

static void set_triage(struct ccg_cli *cli, const char *v)
{
	if (verb_takes(cli, "--triage", "sweep", "check"))
		cli->triage = true;
}

static void set_built_only(struct ccg_cli *cli, const char *v)
{
	if (verb_takes(cli, "--built-only", "sweep", NULL))
		cli->triage = cli->built_only = true;
}

static void set_all_headers(struct ccg_cli *cli, const char *v)
{
	cli->ctx.unit.full_headers = true;
}

static void set_parse_every(struct ccg_cli *cli, const char *v)
{
	if (verb_takes(cli, "--parse-every-candidate", "sweep", NULL))
		cli->ctx.unit.parse_every = true;
}

static void check_rule(const struct ccg_cli *cli, const char *v)
{
	if (ccg_rule_lookup(v) < 0)
		opt_die(cli, "unknown rule '%s' (see 'ccgate rules list')", v);
}

static void set_rule_on(struct ccg_cli *cli, const char *v)
{
	struct strbuf sb = STRBUF_INIT;

	check_rule(cli, v);
	strbuf_addf(&sb, "+%s", v);
	strlist_push_nodup(&cli->rule_switches, strbuf_detach(&sb));
}

static void set_rule_off(struct ccg_cli *cli, const char *v)
{
	struct strbuf sb = STRBUF_INIT;

	check_rule(cli, v);
	strbuf_addf(&sb, "-%s", v);
	strlist_push_nodup(&cli->rule_switches, strbuf_detach(&sb));
}

/* A path of the tree as findings name it: no "./", no trailing '/'. */
static void set_exclude(struct ccg_cli *cli, const char *v)
{
	size_t n;

	while (v[0] == '.' && v[1] == '/')
		v += 2;
	n = strlen(v);
	while (n && v[n - 1] == '/')
		n--;
	if (!n || v[0] == '/' || !strcmp(v, "..") || !strncmp(v, "../", 3))
		opt_die(cli, "option '--exclude' expects a path inside the tree, not '%s'",
			v);
	strlist_push_nodup(&cli->exclude, xstrndup(v, n));
}

static void show_help(struct ccg_cli *cli, const char *v)
{
	cli_usage(stdout, cli->verb);
	exit(0);
}

#define SLOT_ALL (OPTF_SLOT | OPTF_SLOT_FILE)

static const struct cli_option options[] = {
	OPT_CALLBACK("format", 0, "=FMT", set_format, OPTF_SLOT,
		     "output format: text (default), json, sarif,\n"
		     "checkpatch (b4), codeclimate (GitLab), github"),
	OPT_BOOL("diff", 0, diff, 0,
		 "print the suggested patches after the diagnostics"),
	OPT_STRING("fix-dir", 0, " DIR", fix_dir, OPTF_NO_FILE,
		   "write one patch per finding into DIR"),
	OPT_BOOL("apply", 0, apply, OPTF_NO_FILE,
		 "apply the fixes in place (refused if a file changed)"),
	OPT_BOOL("strict-coverage", 0, strict_coverage, 0,
		 "exit 3 also when a candidate parsed incompletely"),
	OPT_STRING("config", 0, " FILE", config_path, OPTF_PATH,
		   "the .config (plain or .xz) to parse an unconfigured\n"
		   "tree under (default: its x86_64_defconfig and the\n"
		   "rule pack's x86_64.config, by the tree's kconfig)"),
	OPT_CALLBACK("all-headers", 0, NULL, set_all_headers, 0,
		     "parse every inline function body whole (default:\n"
		     "blank the bodies no rule can need; same findings)"),
	OPT_CALLBACK("parse-every-candidate", 0, NULL, set_parse_every, 0,
		     "(sweep) parse the .c units whose text cannot give a\n"
		     "finding too (default: rule them out; same findings)"),
	OPT_CALLBACK("triage", 0, NULL, set_triage, 0,
		     "(sweep, check) the build condition, its value under\n"
		     "--config and the release that brought each finding"),
	OPT_CALLBACK("built-only", 0, NULL, set_built_only, 0,
		     "(sweep) keep the findings --config builds (implies\n"
		     "--triage)"),
	OPT_STRING("rules", 0, " DIR", rules_dir, OPTF_PATH | SLOT_ALL,
		   "rule pack directory (default: ../share/ccgate/rules\n"
		   "from the binary, then next to it; env CCGATE_RULES)"),
	OPT_CALLBACK("enable", 0, " RULE", set_rule_on, SLOT_ALL,
		     "enable a rule that the pack disables"),
	OPT_CALLBACK("disable", 0, " RULE", set_rule_off, SLOT_ALL,
		     "disable a rule"),
	OPT_CALLBACK("jobs", 'j', " N", set_jobs, 0,
		     "N prefilter threads, N parses at once (default: cores)"),
	OPT_CALLBACK("file-timeout", 0, " SEC", set_timeout, 0,
		     "time budget per parsed file (default: 300, 0: none)"),
	OPT_CALLBACK("file-memory", 0, " SIZE", set_memory, 0,
		     "memory budget per parse worker, K/M/G suffixes\n"
		     "(default: min(4G, RAM / (2 x jobs)), 0: none)"),
	OPT_STRING("compdb", 0, " FILE", compdb_path, OPTF_PATH,
		   "(sweep) parse units with their compile_commands.json\n"
		   "flags (the kbuild slot's translation)"),
	OPT_STRING("tree", 0, " ROOT", tree, OPTF_NO_FILE,
		   "(check) the tree root that paths are relative to;\n"
		   "(patch) the tree to apply to (default: .)"),
	OPT_STRING("base", 0, " REV", base, 0,
		   "(gate) compare HEAD with merge-base(REV, HEAD)"),
	OPT_CALLBACK("fail-on", 0, "=SEV", set_fail_on, OPTF_SLOT,
		     "(gate, patch) exit 1 on new findings of at least\n"
		     "SEV: error (gate default), warning, note (patch)"),
	OPT_STRING("baseline", 0, " FILE", baseline, OPTF_PATH | SLOT_ALL,
		   "ignore the accepted findings of FILE (default:\n"
		   "the tree's .ccgate-baseline.json, if any)"),
	OPT_CALLBACK("exclude", 0, " PATH", set_exclude, SLOT_ALL,
		     "drop the findings in PATH, a file or directory of\n"
		     "the tree (repeatable)"),
	OPT_BOOL("no-config", 0, no_config, OPTF_NO_FILE | OPTF_SLOT,
		 "ignore the tree's .ccgate and .ccgate-baseline.json"),
	OPT_STRING("format-patch", 0, " DIR", format_patch, OPTF_NO_FILE,
		   "(sweep, gate) write each fix as a mail for git am"),
	OPT_STRING("from", 0, " 'NAME <MAIL>'", from, 0,
		   "author of the mails (default: git config user)"),
	OPT_BOOL("signoff", 0, signoff, 0, "add Signed-off-by: to the mails"),
	OPT_BOOL("cc-maintainers", 0, cc_maintainers, 0,
		 "Cc: the mails as the tree's get_maintainer.pl\n"
		 "says (runs code of the tree: only a trusted one)"),
	OPT_STRING("reason", 0, " TEXT", reason, 0,
		   "(baseline write) reason of the new entries"),
	OPT_CALLBACK("engine", 0, "=clang|cocci|both", set_backend, 0,
		     "(sweep) libclang, Coccinelle (spatch) or both"),
	OPT_BOOL("quiet", 'q', quiet, 0, "no summary and no progress line"),
	OPT_BOOL("verbose", 'v', verbose, OPTF_SLOT,
		 "say which files parsed incompletely and why"),
	/* the kbuild slot's: its usage line says it */
	OPT_STRING("chain", 0, "=CMD", chain, OPTF_NO_FILE | OPTF_SLOT, NULL),
	OPT_CALLBACK("help", 0, NULL, show_help, OPTF_NO_FILE, NULL),
};

#define NR_OPTIONS (sizeof(options) / sizeof(*options))
#define HELP_COLUMN 23

/* "  -j, --jobs N" padded to the help column, then the help's lines. */
static void usage_option(FILE *out, const struct cli_option *o)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = o->help, *nl;

	strbuf_addstr(&sb, "  ");
	if (o->short_name)
		strbuf_addf(&sb, "-%c, ", o->short_name);
	strbuf_addf(&sb, "--%s%s", o->name, o->argh ? o->argh : "");
	if (sb.len < HELP_COLUMN)
		while (sb.len < HELP_COLUMN)
			strbuf_addch(&sb, ' ');
	else
		strbuf_addstr(&sb, "  ");
	while ((nl = strchr(p, '\n'))) {
		strbuf_add(&sb, p, (size_t)(nl - p + 1));
		for (int i = 0; i < HELP_COLUMN; i++)
			strbuf_addch(&sb, ' ');
		p = nl + 1;
	}
	strbuf_addf(&sb, "%s\n", p);
	fputs(sb.buf, out);
	strbuf_release(&sb);
}

void cli_usage(FILE *out, const char *verb)
{
	bool first = true;

	for (size_t i = 0; i < ccg_nr_verbs; i++) {
		const char *syn = ccg_verbs[i].synopsis;

		if (!syn || (verb && strcmp(verb, ccg_verbs[i].name)))
			continue;
		fprintf(out, "%s ccgate %s\n", first ? "usage:" : "      ", syn);
		first = false;
	}
	if (!verb)
		fputs("       ccgate --help | --version\n", out);
	fputs("\noptions:\n", out);
	for (size_t i = 0; i < NR_OPTIONS; i++)
		if (options[i].help)
			usage_option(out, &options[i]);
	fputs("\nexit status: 0 no findings, 1 findings, 2 usage or input error,\n"
	      "             3 no findings but a candidate was not analyzed\n", out);
}

static void set_option(struct ccg_cli *cli, const struct cli_option *o,
		       const char *value)
{
	char *field = (char *)cli + o->off;

	switch (o->type) {
	case CLI_BOOL:
		*(bool *)field = true;
		break;
	case CLI_STRING:
		*(const char **)field = value;
		break;
	case CLI_CALLBACK:
		o->set(cli, value);
		break;
	}
}

/* getopt's tables, made from options[]: val is the index + 256. */
static void getopt_tables(struct option *longs, struct strbuf *shorts)
{
	strbuf_addch(shorts, ':');
	for (size_t i = 0; i < NR_OPTIONS; i++) {
		const struct cli_option *o = &options[i];

		longs[i] = (struct option){ o->name,
			o->argh ? required_argument : no_argument, NULL,
			(int)(256 + i) };
		if (o->short_name)
			strbuf_addf(shorts, "%c%s", o->short_name, o->argh ? ":" : "");
	}
	longs[NR_OPTIONS] = (struct option){ NULL, 0, NULL, 0 };
}

static const struct cli_option *option_of(int c)
{
	if (c >= 256 && (size_t)(c - 256) < NR_OPTIONS)
		return &options[c - 256];
	for (size_t i = 0; i < NR_OPTIONS; i++)
		if (options[i].short_name && options[i].short_name == c)
			return &options[i];
	return NULL;
}

/* "--" ends the options; what follows is the compiler's argv. */
static int split_compiler_args(struct ccg_cli *cli, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--"))
			continue;
		cli->has_compiler_args = true;
		for (int k = i + 1; k < argc; k++)
			strlist_push(&cli->compiler_args, argv[k]);
		return i;
	}
	return argc;
}

static void cli_defaults(struct ccg_cli *cli, const char *verb)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	cli->verb = verb;
	cli->jobs = n > 0 ? (int)n : 1;
	cli->file_timeout = 300;
	cli->format = CCG_FORMAT_TEXT;
	cli->backends = CCG_BACKEND_CLANG;
}

static void parse_argv(struct ccg_cli *cli, int argc, char **argv)
{
	struct option longs[NR_OPTIONS + 1];
	struct strbuf shorts = STRBUF_INIT;
	int c, end;

	end = split_compiler_args(cli, argc, argv);
	getopt_tables(longs, &shorts);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(end, argv, shorts.buf, longs, NULL)) != -1) {
		const struct cli_option *o = option_of(c);

		if (c == ':')
			die("option '%s' needs a value", argv[optind - 1]);
		if (!o) {
			if (optopt && optopt < 256)
				die("unknown option '-%c' (see 'ccgate --help')", optopt);
			die("unknown option '%s' (see 'ccgate --help')",
			    argv[optind - 1]);
		}
		set_option(cli, o, optarg);
	}
	strbuf_release(&shorts);
	for (int i = optind; i < end; i++)
		strlist_push(&cli->paths, argv[i]);
}

/*
 * The directory whose .ccgate the run reads: the tree the verb will open
 * (its operand or --tree; check's is the tree holding its first file).
 * False if there is none yet to read: the verb itself reports a bad one.
 */
static bool config_root(struct ccg_cli *cli, char *root)
{
	const char *dir = ".";
	struct ccg_cli probe;

	if (!strcmp(cli->verb, "check")) {
		if (!cli->tree) {
			if (!cli->paths.nr || access(cli->paths.v[0], F_OK))
				return false;
			memset(&probe, 0, sizeof(probe));
			cli_guess_root(&probe, cli->paths.v[0]);
			memcpy(root, probe.root, sizeof(probe.root));
			return true;
		}
		dir = cli->tree;
	} else if (!strcmp(cli->verb, "patch")) {
		dir = cli->tree ? cli->tree : ".";
	} else if (!strcmp(cli->verb, "baseline")) {
		dir = cli->paths.nr > 2 ? cli->paths.v[2] : ".";
	} else if (strcmp(cli->verb, "rules") && cli->paths.nr) {
		dir = cli->paths.v[0];
	}
	return realpath(dir, root) != NULL;
}

/*
 * The command line is read twice: once to find the tree and --no-config,
 * then again over what .ccgate and CCGATE_OPTIONS set, so it wins.
 */
void cli_parse(struct ccg_cli *cli, const struct ccg_verb *verb, int argc,
	       char **argv)
{
	char root[PATH_MAX];
	bool have_root, no_config;

	cli_defaults(cli, verb->name);
	parse_argv(cli, argc, argv);
	have_root = config_root(cli, root);
	no_config = cli->no_config;
	cli_release(cli);
	memset(cli, 0, sizeof(*cli));
	cli_defaults(cli, verb->name);
	cli->no_config = no_config;
	config_apply(cli, have_root ? root : NULL, CLI_FROM_FILE);
	parse_argv(cli, argc, argv);
	if (have_root && strcmp(verb->name, "baseline") &&
	    strcmp(verb->name, "rules"))
		config_default_baseline(cli, root);
	if (cli->built_only && !cli->config_path)
		die("'--built-only' needs the configuration to build with: '--config FILE'");
}

static const struct cli_option *option_named(const char *name)
{
	for (size_t i = 0; i < NR_OPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

/* The option NAME as FROM may give it, or NULL (0 in *IGNORED: unknown). */
static const struct cli_option *option_from(const char *name, unsigned from,
					    bool *ignored)
{
	const struct cli_option *o = option_named(name);
	unsigned need = from & CLI_FROM_FILE ? OPTF_SLOT_FILE : OPTF_SLOT;

	*ignored = false;
	if (!o || !(from & CLI_FROM_SLOT) || (o->flags & need))
		return o;
	/* .ccgate serves the verbs too: the slot skips what is theirs */
	*ignored = (from & CLI_FROM_FILE) != 0;
	return NULL;
}

int cli_option_has_value(const char *name, unsigned from)
{
	bool ignored;
	const struct cli_option *o = option_from(name, from, &ignored);

	if (!o)
		return ignored ? (option_named(name)->argh != NULL) : -1;
	return o->argh != NULL;
}

int cli_set_named(struct ccg_cli *cli, const char *name, const char *value,
		  unsigned from, const char *dir)
{
	const struct cli_option *o = option_named(name);
	bool ignored;

	if (!o)
		return -1;
	if ((from & CLI_FROM_FILE) && (o->flags & OPTF_NO_FILE))
		opt_die(cli, "option '--%s' is for the command line only", name);
	/* a malformed line is one whoever reads the file */
	if (o->argh && (!value || ((from & CLI_FROM_FILE) && !*value)))
		opt_die(cli, "option '--%s' needs a value", name);
	if (!o->argh && value)
		opt_die(cli, "option '--%s' takes no value", name);
	o = option_from(name, from, &ignored);
	if (!o)
		return ignored ? 0 : -1;
	if (value && (from & CLI_FROM_FILE)) {
		struct strbuf sb = STRBUF_INIT;

		if (dir && (o->flags & OPTF_PATH) && value[0] != '/')
			strbuf_addf(&sb, "%s/", dir);
		strbuf_addstr(&sb, value);
		strlist_push_nodup(&cli->owned, strbuf_detach(&sb));
		value = cli->owned.v[cli->owned.nr - 1];
	}
	cli->origin_flags = from;
	set_option(cli, o, value);
	cli->origin_flags = 0;
	return 1;
}

/*
 * ccgate's options come first (CHECK="ccgate --fail-on=error"), as
 * "--name=value" or "--name value"; the first word that is not one of
 * the slot's starts the compiler's argv.
 */
int cli_parse_slot(struct ccg_cli *cli, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *value = NULL;
		char *name;
		int has;

		if (strncmp(a, "--", 2) || !a[2])
			break;
		eq = strchr(a, '=');
		name = eq ? xstrndup(a + 2, (size_t)(eq - a - 2)) : xstrdup(a + 2);
		has = cli_option_has_value(name, CLI_FROM_SLOT);
		if (has < 0) {
			free(name);
			break;
		}
		if (eq)
			value = eq + 1;
		else if (has && i + 1 < argc)
			value = argv[++i];
		else if (has)
			die("option '%s' needs a value", a);
		cli_set_named(cli, name, value, CLI_FROM_SLOT, NULL);
		free(name);
	}
	return i;
}

void cli_triage(struct ccg_cli *cli, struct ccg_findings *list,
		struct ccg_run_stats *st)
{
	struct triage *t;
	struct timespec t0, t1;
	char *err = NULL;
	size_t out = 0;

	if (!cli->triage)
		return;
	t = triage_new(cli->root, cli->config_path, &err);
	if (!t)
		die("%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	triage_findings(t, list);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (cli->verbose && !cli->quiet) {
		size_t mk, kc;

		triage_files_read(t, &mk, &kc);
		fprintf(stderr, "ccgate: triage of %zu finding%s: %.0f ms, %zu Makefile/Kbuild file%s and %zu Kconfig file%s read\n",
			list->nr, list->nr == 1 ? "" : "s",
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
			mk, mk == 1 ? "" : "s", kc, kc == 1 ? "" : "s");
	}
	triage_free(t);
	if (!cli->built_only)
		return;
	st->built_only = true;
	for (size_t i = 0; i < list->nr; i++) {
		if (triage_built(&list->v[i]) == 0) {
			finding_release(&list->v[i]);
			st->not_built++;
			continue;
		}
		list->v[out++] = list->v[i];
	}
	list->nr = out;
}

void cli_setup_rules(struct ccg_cli *cli, const char *argv0)
{
	char *dir = cli->rules_dir ? xstrdup(cli->rules_dir) :
		    rulepack_default_dir(argv0);
	char *err = NULL;

	if (rulepack_load(&cli->rp, dir, &err) < 0) {
		free(dir);
		error("%s", err);
		free(err);
		exit(2);
	}
	free(dir);
	for (int r = 0; r < CCG_RULE_NR; r++)
		cli->ctx.unit.enabled[r] = cli->rp.rules[r]->enabled;
	/* in the order given: the command line's come last and win */
	for (size_t i = 0; i < cli->rule_switches.nr; i++) {
		const char *sw = cli->rule_switches.v[i];
		int r = ccg_rule_lookup(sw + 1);

		if (r < 0)
			die("unknown rule '%s' (see 'ccgate rules list')", sw + 1);
		cli->ctx.unit.enabled[r] = sw[0] == '+';
	}
	cli->ctx.rp = &cli->rp;
	cli->ctx.exclude = &cli->exclude;
	cli->ctx.jobs = cli->jobs;
	cli->ctx.file_timeout = cli->file_timeout;
	if (cli->config_path) {
		char *err = NULL;

		if (kconfig_from_file(&cli->kconfig, cli->config_path, &err) < 0) {
			error("%s", err);
			free(err);
			exit(2);
		}
		cli->ctx.autoconf = cli->kconfig.autoconf;
	}
	cli->ctx.file_memory = cli->has_file_memory ? cli->file_memory :
			       budget_default(cli->jobs);
	cli->ctx.unit.verbose = cli->verbose;
	cli->ctx.unit.root = cli->root;
}

void cli_set_root(struct ccg_cli *cli, const char *dir)
{
	size_t n;

	if (!realpath(dir, cli->root))
		die("cannot open '%s': %s", dir, strerror(errno));
	n = strlen(cli->root);
	while (n > 1 && cli->root[n - 1] == '/')
		cli->root[--n] = '\0';
}

/* The kernel tree holding PATH: the nearest parent with include/linux/kconfig.h. */
void cli_guess_root(struct ccg_cli *cli, const char *path)
{
	char buf[PATH_MAX];
	char *slash;

	if (!realpath(path, buf))
		die("cannot open '%s': %s", path, strerror(errno));
	while ((slash = strrchr(buf, '/')) && slash != buf) {
		struct strbuf marker = STRBUF_INIT;
		bool found;

		*slash = '\0';
		strbuf_addf(&marker, "%s/include/linux/kconfig.h", buf);
		found = access(marker.buf, F_OK) == 0;
		strbuf_release(&marker);
		if (found) {
			cli_set_root(cli, buf);
			return;
		}
	}
	cli_set_root(cli, ".");
}

void cli_release(struct ccg_cli *cli)
{
	rulepack_release(&cli->rp);
	strlist_release(&cli->rule_switches);
	strlist_release(&cli->exclude);
	strlist_release(&cli->owned);
	strlist_release(&cli->paths);
	strlist_release(&cli->compiler_args);
	compdb_release(&cli->compdb);
	kconfig_release(&cli->kconfig);
}

/* --apply: with the preimages of the results and those ST holds apart. */
static int apply_all(const char *root, const struct ccg_findings *list,
		     const struct ccg_run_stats *st)
{
	struct ccg_file_result *all;
	int ret;

	if (!st->preimages || !st->preimages->nr_pre)
		return apply_fixes(root, list, st->results, st->nr_results);
	all = xcalloc(st->nr_results + 1, sizeof(*all));
	if (st->nr_results)
		memcpy(all, st->results, st->nr_results * sizeof(*all));
	all[st->nr_results] = *st->preimages;	/* borrowed, for the lookup */
	ret = apply_fixes(root, list, all, st->nr_results + 1);
	free(all);
	return ret;
}

int cli_output(struct ccg_cli *cli, struct ccg_findings *list,
	       const struct ccg_run_stats *st)
{
	int ret = list->nr ? CCG_EXIT_FINDINGS :
		  report_coverage_short(st, cli->strict_coverage) ?
		  CCG_EXIT_COVERAGE : CCG_EXIT_CLEAN;

	if (cli->fix_dir && report_fix_dir(cli->fix_dir, list) < 0)
		return CCG_EXIT_USAGE;
	if (cli->format == CCG_FORMAT_JSON) {
		report_json(stdout, list, st);
	} else if (cli->format == CCG_FORMAT_SARIF) {
		report_sarif(stdout, &cli->rp, cli->ctx.unit.enabled, cli->root,
			     list, st, ret);
	} else if (cli->format == CCG_FORMAT_CHECKPATCH) {
		/* checkpatch's convention: 1 when it printed anything */
		if (report_checkpatch(stdout, list, st))
			ret = CCG_EXIT_FINDINGS;
	} else if (cli->format == CCG_FORMAT_CODECLIMATE) {
		report_codeclimate(stdout, cli->root, list, st);
	} else if (cli->format == CCG_FORMAT_GITHUB) {
		report_github(stdout, list, st);
		if (!cli->quiet)
			report_summary(stderr, list, st, cli->verbose);
	} else {
		report_text(stdout, list);
		if (cli->diff)
			report_patches(stdout, list);
		if (!cli->quiet)
			report_summary(stderr, list, st, cli->verbose);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("cannot write the output: %s", strerror(errno));
		return CCG_EXIT_USAGE;
	}
	if (cli->apply && apply_all(cli->root, list, st) < 0)
		return CCG_EXIT_USAGE;
	return ret;
}
