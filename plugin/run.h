/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_RUN_H
#define CCGATE_RUN_H

/*
 * The program NAME as execv() would run it: NAME itself if it holds a '/',
 * else the first executable regular file NAME in $PATH (an empty entry is
 * the current directory).  NULL if there is none; the caller frees.
 */
char *run_find_program(const char *name);

#endif
