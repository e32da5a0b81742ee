// SPDX-License-Identifier: GPL-2.0-only
/* The ccgate command: option parsing and verb dispatch only. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "worker.h"
#include "banned.h"

/* A source file for the kbuild slot: FILE.c, or any path (kbuild's probe). */
static bool is_source(const char *arg)
{
	size_t n = strlen(arg);

	return (n > 2 && !strcmp(arg + n - 2, ".c")) || strchr(arg, '/');
}

int main(int argc, char **argv)
{
	struct ccg_cli cli;
	const struct ccg_verb *verb = NULL, *slot = NULL;
	int ret;

	if (argc < 2) {
		cli_usage(stderr, NULL);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		cli_usage(stdout, NULL);
		return 0;
	}
	/* the pool's parse worker (pool.c), not a documented verb */
	if (!strcmp(argv[1], "--worker") && argc == 2)
		return worker_main();
	if (!strcmp(argv[1], "--version")) {
		printf("ccgate %s\n", CCGATE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < ccg_nr_verbs; i++) {
		if (ccg_verbs[i].flags & CCG_SLOT)
			slot = &ccg_verbs[i];
		else if (!strcmp(argv[1], ccg_verbs[i].name))
			verb = &ccg_verbs[i];
	}
	/* no verb: the kbuild checker slot, an option or the file comes first */
	if (!verb && slot && (argv[1][0] == '-' || is_source(argv[1])))
		return slot->run_argv(argc - 1, argv + 1, argv[0]);
	if (!verb)
		die("unknown command '%s' (see 'ccgate --help')", argv[1]);
	memset(&cli, 0, sizeof(cli));
	cli_parse(&cli, verb, argc - 1, argv + 1);
	if (verb->flags & CCG_NEED_RULES)
		cli_setup_rules(&cli, argv[0]);
	ret = verb->fn(&cli);
	cli_release(&cli);
	return ret;
}
