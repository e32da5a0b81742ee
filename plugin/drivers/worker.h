/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_WORKER_H
#define CCGATE_WORKER_H

#include <stdint.h>

#include "strbuf.h"

/* The stack of each parse: clang recurses per nesting level. */
#define WORKER_STACK (256ul << 20)

/*
 * `ccgate --worker`: parse the jobs the pool sends on stdin, one result
 * line each on stdout, until stdin ends (worker.c).  Not a documented verb.
 */
int worker_main(void);

/*
 * The default --file-memory: a share of the machine's memory that keeps
 * JOBS workers together under half of it, at most 4 GiB each.
 */
uint64_t budget_default(int jobs);
/* "2.0 GiB", "400 MiB": a budget as messages name it. */
void budget_format(struct strbuf *sb, uint64_t bytes);
/* "400M", "2G", "1048576": -1 if S is not a size. */
int budget_parse(const char *s, uint64_t *bytes);

#endif
