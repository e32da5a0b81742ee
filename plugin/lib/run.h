/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RUN_H
#define CCGATE_RUN_H

/*
 * The program NAME as execv() would run it: NAME itself if it holds a '/',
 * else the first executable regular file NAME in $PATH (an empty entry is
 * the current directory).  NULL if there is none; the caller frees.
 */
char *run_find_program(const char *name);

#include "strbuf.h"

/*
 * Run ARGV (ARGV[0] looked up as above) in DIR (NULL: here) with no
 * standard input and its standard error discarded; its standard output
 * into OUT.  The exit status, or -1 if it could not run or died of a
 * signal.  Call only before any thread starts, or from the only one.
 */
int run_capture(const char *dir, char *const *argv, struct strbuf *out);

#endif
