// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccgate patch: git reads the diff or mbox itself (git apply), ccgate reads
 * what git says the patch touches ("git apply --numstat -z") and judges each
 * path.  Both halves, on the records and on the raw bytes as one path.
 */
#include "fuzz.h"
#include "gitio.h"
#include "treepath.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist paths = STRLIST_INIT;
	struct strbuf text;

	fuzz_text(&text, data, size);
	if (!git_numstat_paths(text.buf, text.len, &paths))
		for (size_t i = 0; i < paths.nr; i++)
			tree_path_problem(paths.v[i]);
	tree_path_problem(text.buf);
	strlist_release(&paths);
	strbuf_release(&text);
	return 0;
}
