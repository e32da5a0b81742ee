// SPDX-License-Identifier: GPL-2.0-only
/*
 * ccgate patch: git reads the diff or mbox itself (git apply); ccgate reads
 * its file-name headers for what git would misread (absolute names), then
 * what git says the patch touches ("git apply --numstat -z"), and judges
 * each path.  The same bytes go to all three.
 */
#include "fuzz.h"
#include "gitio.h"
#include "treepath.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist paths = STRLIST_INIT;
	struct strbuf text, name = STRBUF_INIT;

	fuzz_text(&text, data, size);
	tree_patch_header_problem(text.buf, text.len, &name);
	if (!git_numstat_paths(text.buf, text.len, &paths))
		for (size_t i = 0; i < paths.nr; i++)
			tree_path_problem(paths.v[i]);
	tree_path_problem(text.buf);
	strlist_release(&paths);
	strbuf_release(&name);
	strbuf_release(&text);
	return 0;
}
