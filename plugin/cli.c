// SPDX-License-Identifier: GPL-2.0-only
#include "cli.h"

#include <errno.h>
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

const char ccg_usage_text[] =
"usage: ccgate sweep [options] [TREE]\n"
"       ccgate check [options] [--tree ROOT] FILE... [-- COMPILER-ARGS]\n"
"       ccgate gate [options] [--base REV] [TREE]\n"
"       ccgate patch [options] [--tree TREE] FILE\n"
"       ccgate baseline write [--reason TEXT] FILE [TREE]\n"
"       ccgate rules list [--rules DIR]\n"
"       ccgate [--fail-on=SEV] [--chain=sparse] [--verbose] [--rules DIR]\n"
"              [--enable RULE] [--disable RULE] COMPILER-ARGS... FILE\n"
"                            (kbuild's checker slot: make C=1 CHECK=ccgate)\n"
"       ccgate --help | --version\n"
"\n"
"options:\n"
"  --format=text|json|sarif  output format (default: text)\n"
"  --diff               print the suggested patches after the diagnostics\n"
"  --fix-dir DIR        write one patch per finding into DIR\n"
"  --apply              apply the fixes in place (refused if a file changed)\n"
"  --strict-coverage    exit 3 also when a candidate parsed incompletely\n"
"  --config FILE        the .config (plain or .xz) to parse an unconfigured\n"
"                       tree under (default: its x86_64_defconfig and the\n"
"                       rule pack's x86_64.config, by the tree's kconfig)\n"
"  --all-headers        parse every inline function body whole (default:\n"
"                       blank the bodies no rule can need; same findings)\n"
"  --triage             (sweep, check) the build condition, its value under\n"
"                       --config and the release that brought each finding\n"
"  --built-only         (sweep) keep the findings --config builds (implies\n"
"                       --triage)\n"
"  --rules DIR          rule pack directory (default: next to the binary,\n"
"                       then the install prefix; env CCGATE_RULES)\n"
"  --enable RULE        enable a rule that the pack disables\n"
"  --disable RULE       disable a rule\n"
"  -j, --jobs N         N prefilter threads, N parses at once (default: cores)\n"
"  --file-timeout SEC   time budget per parsed file (default: 300, 0: none)\n"
"  --file-memory SIZE   memory budget per parse worker, K/M/G suffixes\n"
"                       (default: min(4G, RAM / (2 x jobs)), 0: none)\n"
"  --compdb FILE        (sweep) parse units with their compile_commands.json\n"
"                       flags (the kbuild slot's translation)\n"
"  --tree ROOT          (check) the tree root that paths are relative to;\n"
"                       (patch) the tree to apply to (default: .)\n"
"  --base REV           (gate) compare HEAD with merge-base(REV, HEAD)\n"
"  --fail-on=SEV        (gate, patch) exit 1 on new findings of at least\n"
"                       SEV: error (gate default), warning, note (patch)\n"
"  --baseline FILE      ignore the accepted findings of FILE\n"
"  --format-patch DIR   (sweep, gate) write each fix as a mail for git am\n"
"  --from 'NAME <MAIL>' author of the mails (default: git config user)\n"
"  --signoff            add Signed-off-by: to the mails\n"
"  --reason TEXT        (baseline write) reason of the new entries\n"
"  --engine=clang|cocci|both  (sweep) libclang, Coccinelle (spatch) or both\n"
"  -q, --quiet          no summary and no progress line\n"
"  -v, --verbose        say which files parsed incompletely and why\n"
"\n"
"exit status: 0 no findings, 1 findings, 2 usage or input error,\n"
"             3 no findings but a candidate was not analyzed\n";

enum {
	OPT_FORMAT = 256,
	OPT_FIX_DIR,
	OPT_RULES,
	OPT_ENABLE,
	OPT_DISABLE,
	OPT_TIMEOUT,
	OPT_TREE,
	OPT_DIFF,
	OPT_APPLY,
	OPT_STRICT_COVERAGE,
	OPT_ALL_HEADERS,
	OPT_CONFIG,
	OPT_HELP,
	OPT_COMPDB,
	OPT_BASE,
	OPT_BASELINE,
	OPT_FAIL_ON,
	OPT_FORMAT_PATCH,
	OPT_FROM,
	OPT_SIGNOFF,
	OPT_REASON,
	OPT_ENGINE,
	OPT_MEMORY,
	OPT_TRIAGE,
	OPT_BUILT_ONLY,
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fix-dir", required_argument, NULL, OPT_FIX_DIR },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "enable", required_argument, NULL, OPT_ENABLE },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "jobs", required_argument, NULL, 'j' },
	{ "file-timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "file-memory", required_argument, NULL, OPT_MEMORY },
	{ "tree", required_argument, NULL, OPT_TREE },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "strict-coverage", no_argument, NULL, OPT_STRICT_COVERAGE },
	{ "all-headers", no_argument, NULL, OPT_ALL_HEADERS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "compdb", required_argument, NULL, OPT_COMPDB },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "format-patch", required_argument, NULL, OPT_FORMAT_PATCH },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "signoff", no_argument, NULL, OPT_SIGNOFF },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "triage", no_argument, NULL, OPT_TRIAGE },
	{ "built-only", no_argument, NULL, OPT_BUILT_ONLY },
	{ NULL, 0, NULL, 0 },
};

static long parse_number(const char *opt, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		die("option '%s' expects a number from 0 to %ld, not '%s'", opt,
		    max, s);
	return v;
}

void cli_parse(struct ccg_cli *cli, const struct ccg_verb *verb, int argc,
	       char **argv)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int c, end = argc;

	cli->verb = verb->name;
	cli->jobs = n > 0 ? (int)n : 1;
	cli->file_timeout = 300;
	cli->format = CCG_FORMAT_TEXT;
	cli->engines = CCG_ENGINE_CLANG;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			end = i;
			cli->has_compiler_args = true;
			for (int k = i + 1; k < argc; k++)
				strlist_push(&cli->compiler_args, argv[k]);
			break;
		}
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(end, argv, ":j:qv", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (ccg_format_parse(optarg, &cli->format) < 0)
				die("unknown format '%s' (expected text, json or sarif)",
				    optarg);
			break;
		case OPT_FIX_DIR:
			cli->fix_dir = optarg;
			break;
		case OPT_COMPDB:
			cli->compdb_path = optarg;
			break;
		case OPT_RULES:
			cli->rules_dir = optarg;
			break;
		case OPT_ENABLE:
			strlist_push(&cli->enable, optarg);
			break;
		case OPT_DISABLE:
			strlist_push(&cli->disable, optarg);
			break;
		case 'j':
			cli->jobs = (int)parse_number("--jobs", optarg, 256);
			if (!cli->jobs)
				cli->jobs = 1;
			break;
		case OPT_TIMEOUT:
			cli->file_timeout = (unsigned)parse_number("--file-timeout",
								   optarg, 86400);
			break;
		case OPT_MEMORY:
			if (budget_parse(optarg, &cli->file_memory) < 0)
				die("option '--file-memory' expects a size such as 400M or 2G, not '%s'",
				    optarg);
			cli->has_file_memory = true;
			break;
		case OPT_TREE:
			cli->tree = optarg;
			break;
		case OPT_ENGINE:
			if (strcmp(verb->name, "sweep"))
				die("'--engine' is an option of 'sweep', not of '%s'",
				    verb->name);
			if (ccg_engine_parse(optarg, &cli->engines) < 0)
				die("unknown engine '%s' (expected clang, cocci or both)", optarg);
			break;
		case OPT_TRIAGE:
		case OPT_BUILT_ONLY:
			if (strcmp(verb->name, "sweep") &&
			    (c == OPT_BUILT_ONLY || strcmp(verb->name, "check")))
				die("'%s' is an option of 'sweep'%s, not of '%s'",
				    argv[optind - 1],
				    c == OPT_TRIAGE ? " and 'check'" : "", verb->name);
			cli->triage = true;
			cli->built_only |= c == OPT_BUILT_ONLY;
			break;
		case OPT_DIFF:
			cli->diff = true;
			break;
		case OPT_APPLY:
			cli->apply = true;
			break;
		case OPT_STRICT_COVERAGE:
			cli->strict_coverage = true;
			break;
		case OPT_ALL_HEADERS:
			cli->ctx.unit.full_headers = true;
			break;
		case OPT_CONFIG:
			cli->config_path = optarg;
			break;
		case 'q':
			cli->quiet = true;
			break;
		case 'v':
			cli->verbose = true;
			break;
		case OPT_HELP:
			fputs(ccg_usage_text, stdout);
			exit(0);
		case OPT_BASE:
			cli->base = optarg;
			break;
		case OPT_BASELINE:
			cli->baseline = optarg;
			break;
		case OPT_FAIL_ON:
			if (ccg_severity_parse(optarg, &cli->fail_on) < 0)
				die("unknown severity '%s' (expected error, warning or note)",
				    optarg);
			cli->has_fail_on = true;
			break;
		case OPT_FORMAT_PATCH:
			cli->format_patch = optarg;
			break;
		case OPT_FROM:
			cli->from = optarg;
			break;
		case OPT_SIGNOFF:
			cli->signoff = true;
			break;
		case OPT_REASON:
			cli->reason = optarg;
			break;
		case ':':
			die("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				die("unknown option '-%c' (see 'ccgate --help')", optopt);
			die("unknown option '%s' (see 'ccgate --help')",
			    argv[optind - 1]);
		}
	}
	for (int i = optind; i < end; i++)
		strlist_push(&cli->paths, argv[i]);
	if (cli->built_only && !cli->config_path)
		die("'--built-only' needs the configuration to build with: '--config FILE'");
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
	for (size_t i = 0; i < cli->enable.nr; i++) {
		int r = ccg_rule_lookup(cli->enable.v[i]);

		if (r < 0)
			die("unknown rule '%s' (see 'ccgate rules list')", cli->enable.v[i]);
		cli->ctx.unit.enabled[r] = true;
	}
	for (size_t i = 0; i < cli->disable.nr; i++) {
		int r = ccg_rule_lookup(cli->disable.v[i]);

		if (r < 0)
			die("unknown rule '%s' (see 'ccgate rules list')", cli->disable.v[i]);
		cli->ctx.unit.enabled[r] = false;
	}
	cli->ctx.rp = &cli->rp;
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
	strlist_release(&cli->enable);
	strlist_release(&cli->disable);
	strlist_release(&cli->paths);
	strlist_release(&cli->compiler_args);
	compdb_release(&cli->compdb);
	kconfig_release(&cli->kconfig);
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
	if (cli->apply &&
	    apply_fixes(cli->root, list, st->results, st->nr_results) < 0)
		return CCG_EXIT_USAGE;
	return ret;
}
