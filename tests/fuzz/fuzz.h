/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_FUZZ_H
#define CCGATE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * libFuzzer's entry point.  Each fuzz-<input>.c feeds the bytes to the
 * I/O-free half of one parser of outside input.  The parsers read strbuf
 * text, which is always NUL-terminated: fuzz_text() gives them the same.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_text(struct strbuf *sb, const uint8_t *data,
			     size_t size)
{
	strbuf_init(sb);
	strbuf_add(sb, data, size);
}

#endif
