// SPDX-License-Identifier: GPL-2.0-only
/*
 * The unit test runner: every suite, each test in its own process (Check's
 * default fork mode), so a crash or exit() in one test fails only that one.
 */
#include <stdlib.h>

#include "unit-suites.h"

const char *unit_source_dir(void)
{
	const char *env = getenv("CCGATE_SOURCE_DIR");

	return env && *env ? env : CCGATE_SOURCE_DIR;
}

int main(void)
{
	SRunner *sr = srunner_create(rulepack_suite());
	int failed;

	srunner_add_suite(sr, fix_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, kbuild_suite());
	srunner_add_suite(sr, gate_suite());
	srunner_add_suite(sr, cocci_suite());
	srunner_add_suite(sr, udiff_suite());
	srunner_add_suite(sr, untrusted_suite());
	srunner_add_suite(sr, wire_suite());
	srunner_add_suite(sr, sites_suite());
	srunner_add_suite(sr, triage_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
