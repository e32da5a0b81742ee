/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_CLI_H
#define CCGATE_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "analyze.h"
#include "kconfig.h"
#include "report.h"
#include "rulepack.h"
#include "strbuf.h"

struct fp_keys;

/* The options of one run, frozen once parsed, and what they opened. */
struct ccg_cli {
	const char *verb;
	const char *rules_dir;
	enum ccg_format format;
	const char *fix_dir;
	const char *tree;
	const char *compdb_path;	/* --compdb */
	struct compdb compdb;
	int jobs;
	bool diff, quiet, verbose;
	bool apply, strict_coverage;
	const char *config_path;	/* --config */
	struct ccg_kconfig kconfig;
	unsigned file_timeout;
	uint64_t file_memory;		/* --file-memory, if has_file_memory */
	bool has_file_memory;
	/* --enable/--disable in the order given: "+rule" or "-rule", last wins */
	struct strlist rule_switches;
	struct strlist exclude;		/* --exclude: paths relative to the root */
	bool no_config;			/* --no-config */
	const char *chain;		/* the kbuild slot's --chain=CMD */
	/*
	 * Where the option being set comes from, for its messages: NULL for
	 * the command line, else "FILE:LINE" of a .ccgate or CCGATE_OPTIONS.
	 */
	const char *origin;
	unsigned origin_flags;		/* CLI_FROM_* of the option being set */
	struct strlist owned;		/* strings the options point into */
	struct strlist paths;		/* operands */
	struct strlist compiler_args;	/* after "--" */
	bool has_compiler_args;
	/* gate, patch, baseline, --format-patch */
	const char *base;
	const char *baseline;
	const char *format_patch;
	const char *from;
	const char *reason;
	bool signoff, has_fail_on;
	bool cc_maintainers;		/* --cc-maintainers */
	const char *mail_upstream;	/* gate: the merge base (mail.h) */
	enum ccg_severity fail_on;
	unsigned backends;		/* sweep: CCG_BACKEND_* (--engine) */
	bool triage, built_only;	/* --triage, --built-only (triage.h) */

	struct rulepack rp;
	struct ccg_ctx ctx;
	char root[PATH_MAX];
};

/* Verb capabilities, as in git's commands[] table. */
#define CCG_NEED_RULES (1 << 0)
/*
 * The kbuild checker slot: chosen by the shape of the command line (an
 * option or a source file first, no verb name), runs run_argv on kbuild's
 * argv: its own options first (rows of the option table, cli_parse_slot()),
 * then CHECKFLAGS and the compiler's flags.
 */
#define CCG_SLOT (1 << 1)

struct ccg_verb {
	const char *name;
	int (*fn)(struct ccg_cli *cli);
	unsigned flags;
	const char *synopsis;	/* the usage line after "ccgate "; NULL: none */
	int (*run_argv)(int argc, char **argv, const char *argv0);	/* CCG_SLOT */
};

/* The verbs, in the order of the usage text. */
extern const struct ccg_verb ccg_verbs[];
extern const size_t ccg_nr_verbs;
/*
 * The usage text, made from the verb and option tables: every verb's
 * synopsis, or VERB's alone (`ccgate VERB --help`), then every option.
 */
void cli_usage(FILE *out, const char *verb);

/*
 * Parse the options of VERB: the tree's .ccgate (config.c), then
 * CCGATE_OPTIONS, then ARGV, each overriding the one before; exits 2 on a
 * bad option.
 */
void cli_parse(struct ccg_cli *cli, const struct ccg_verb *verb, int argc,
	       char **argv);

/* Where an option's value comes from (cli_set_named()). */
#define CLI_FROM_FILE (1 << 0)	/* .ccgate or CCGATE_OPTIONS, not argv */
#define CLI_FROM_SLOT (1 << 1)	/* for the kbuild slot */

/*
 * Set the option NAME (the long name, without "--") to VALUE (NULL: none
 * given) as FROM says it was given.  Returns 1 if it was set, 0 if the
 * option does not apply there and is ignored (an option of another verb
 * in .ccgate, one the slot does not take from the file), -1 if NAME is no
 * option there; dies (exit 2) on a bad value.  DIR, if not NULL, is what a
 * relative path in VALUE is relative to.
 */
int cli_set_named(struct ccg_cli *cli, const char *name, const char *value,
		  unsigned from, const char *dir);
/* Does NAME, set from FROM, take a value? -1 if it is no option there. */
int cli_option_has_value(const char *name, unsigned from);
/*
 * The kbuild slot's own options, which come first in ARGV; returns the
 * index of the first word that is not one of them (the compiler's argv).
 */
int cli_parse_slot(struct ccg_cli *cli, int argc, char **argv);

/*
 * config.c: apply ROOT's .ccgate (unless cli->no_config) and then
 * CCGATE_OPTIONS to CLI, as FROM (CLI_FROM_FILE, | CLI_FROM_SLOT for the
 * slot); exits 2 on a malformed line.
 */
void config_apply(struct ccg_cli *cli, const char *root, unsigned from);
/* No --baseline given: ROOT's .ccgate-baseline.json if it exists. */
void config_default_baseline(struct ccg_cli *cli, const char *root);
/* Load the rule pack and settle --enable/--disable; exits 2 on error. */
void cli_setup_rules(struct ccg_cli *cli, const char *argv0);
void cli_release(struct ccg_cli *cli);
/*
 * Print findings in the chosen format, write --fix-dir, apply --apply and
 * return the exit status (enum ccg_exit).
 */
int cli_output(struct ccg_cli *cli, struct ccg_findings *list,
	       const struct ccg_run_stats *st);
/*
 * --triage and --built-only: the triage record of every finding of LIST;
 * with --built-only, drop those the --config does not build (counted in
 * ST).  Exits 2 if the configuration cannot be read.
 */
void cli_triage(struct ccg_cli *cli, struct ccg_findings *list,
		struct ccg_run_stats *st);
/* Resolve DIR to an absolute path without a trailing slash into cli->root. */
void cli_set_root(struct ccg_cli *cli, const char *dir);
/* The nearest parent of PATH holding include/linux/kconfig.h, else ".". */
void cli_guess_root(struct ccg_cli *cli, const char *path);

/*
 * cli-findings.c.  --exclude: drop the findings of LIST (and KEYS, index for index, if not
 * NULL) in a file or directory it names.
 */
void cli_exclude(const struct ccg_cli *cli, struct ccg_findings *list,
		 struct fp_keys *keys);
/*
 * --exclude, then --baseline for sweep, gate, patch and the slot: drop the
 * accepted findings of LIST (and of KEYS, index for index; NULL: the keys
 * of the files on disk) and warn about stale entries (only for FILES if
 * not NULL).  A malformed baseline is one error line and exit 2.
 */
void cli_apply_baseline(struct ccg_cli *cli, struct ccg_findings *list,
			struct fp_keys *keys, const struct strlist *files);
/*
 * Check --baseline and the --format-patch author up front (after the root
 * is set), so that bad input costs no analysis.
 */
void cli_check_outputs(struct ccg_cli *cli);
/* --format-patch: the mails of LIST; returns -1 after an error. */
int cli_write_mails(struct ccg_cli *cli, const struct ccg_findings *list,
		    const char *rev);

int cmd_sweep(struct ccg_cli *cli);
int cmd_check(struct ccg_cli *cli);
int cmd_rules(struct ccg_cli *cli);
/* The kbuild slot: ARGV is everything after the program name. */
int cmd_kbuild(int argc, char **argv, const char *argv0);
int cmd_gate(struct ccg_cli *cli);
int cmd_patch(struct ccg_cli *cli);
int cmd_baseline(struct ccg_cli *cli);


#endif
