// SPDX-License-Identifier: GPL-2.0-only
/* A tree's Makefiles, #if lines and Kconfig files, as triage reads them. */
#include "fuzz.h"
#include "triage.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text, out = STRBUF_INIT;

	fuzz_text(&text, data, size);
	triage_probe(text.buf ? text.buf : "", &out);
	strbuf_release(&out);
	strbuf_release(&text);
	return 0;
}
