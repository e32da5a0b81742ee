// SPDX-License-Identifier: GPL-2.0-only
/* The first release of a commit: "git tag --contains ID --list v*". */
#include <stdlib.h>

#include "fuzz.h"
#include "gitio.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text;

	fuzz_text(&text, data, size);
	free(git_release_pick(text.buf ? text.buf : ""));
	strbuf_release(&text);
	return 0;
}
