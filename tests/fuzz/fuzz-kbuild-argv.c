// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kbuild slot's argv (NUL-separated arguments) through the translation
 * table, the same bytes as a C file whose "#include "*.c"" lines the slot
 * follows, and as the .cmd file of fixdep whose dependencies it reads.
 */
#include <string.h>

#include "fuzz.h"
#include "kbuild.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf text, err = STRBUF_INIT;
	struct strlist argv = STRLIST_INIT, inc = STRLIST_INIT;
	struct kbuild_cmd cmd;

	fuzz_text(&text, data, size);
	for (size_t i = 0; i < text.len; i += strlen(text.buf + i) + 1)
		strlist_push(&argv, text.buf + i);
	if (!kbuild_translate(&cmd, (int)argv.nr,
			      (const char *const *)argv.v, &err))
		kbuild_cmd_release(&cmd);
	kbuild_c_includes("/dir/unit.c", text.buf, text.len, &inc);
	strlist_release(&inc);
	kbuild_deps(text.buf, text.len, &inc);
	strlist_release(&inc);
	strlist_release(&argv);
	strbuf_release(&err);
	strbuf_release(&text);
	return 0;
}
