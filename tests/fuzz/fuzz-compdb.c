// SPDX-License-Identifier: GPL-2.0-only
/*
 * compile_commands.json: the JSON, each entry's command split as a shell
 * would and translated as in the kbuild slot; and the splitter alone on
 * the raw bytes.
 */
#include "compdb.h"
#include "fuzz.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text, err = STRBUF_INIT;
	struct strlist words = STRLIST_INIT;
	struct compdb db;

	fuzz_text(&text, data, size);
	if (!compdb_parse(&db, "fuzz.json", text.buf, text.len, &err))
		compdb_release(&db);
	strbuf_reset(&err);
	compdb_split_command(text.buf, &words, &err);
	strlist_release(&words);
	strbuf_release(&err);
	strbuf_release(&text);
	return 0;
}
