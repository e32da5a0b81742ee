// SPDX-License-Identifier: GPL-2.0-only
/* gate's list of changes: "git diff --raw -z --no-abbrev". */
#include <string.h>

#include "fuzz.h"
#include "gitio.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct git_raw_record r;
	struct strbuf text;
	const char *p;
	volatile size_t n = 0;

	fuzz_text(&text, data, size);
	p = text.buf;
	while (git_raw_next(&p, text.buf + text.len, &r) > 0)
		n += strlen(r.path) + (r.status == 'M');
	strbuf_release(&text);
	return 0;
}
