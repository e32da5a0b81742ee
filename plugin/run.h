/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RUN_H
#define CCGATE_RUN_H

#include "strbuf.h"

/*
 * The program NAME as execv() would run it: NAME itself if it holds a '/',
 * else the first executable regular file NAME in $PATH (an empty entry is
 * the current directory).  NULL if there is none; the caller frees.
 */
char *run_find_program(const char *name);

/*
 * Run ARGV (NULL-terminated, argv[0] the program's path) in DIR (NULL: here)
 * with standard input and error on /dev/null; its standard output is
 * appended to OUT.  Its exit status, or -1 if it was killed; 127 if it
 * could not be run.
 */
int run_capture(const char *dir, char *const *argv, struct strbuf *out);

#endif
