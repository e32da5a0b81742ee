// SPDX-License-Identifier: GPL-2.0-only
/* The Fixes: tag's source: "git blame --porcelain -L N,N". */
#include "fuzz.h"
#include "gitio.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct git_blame_line b;
	struct strbuf text, out = STRBUF_INIT;

	fuzz_text(&text, data, size);
	if (!git_blame_parse(text.buf, text.len, &b)) {
		strbuf_add(&out, b.id, 12);
		strbuf_add(&out, b.summary, b.summary_len);
	}
	strbuf_release(&out);
	strbuf_release(&text);
	return 0;
}
