/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_UNIT_SUITES_H
#define CCGATE_UNIT_SUITES_H

#include <check.h>

/* One suite per file; runner.c runs them all. */
Suite *rulepack_suite(void);
Suite *fix_suite(void);
Suite *cli_suite(void);
Suite *kbuild_suite(void);
Suite *gate_suite(void);
Suite *cocci_suite(void);
Suite *udiff_suite(void);
Suite *untrusted_suite(void);
Suite *wire_suite(void);
Suite *sites_suite(void);
Suite *triage_suite(void);

/*
 * The source tree, for rules/: the environment wins over the path compiled
 * in, so the binary can be run against another checkout.
 */
const char *unit_source_dir(void);

#endif
