// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mails' subject prefix: "git log --format=%s" of the file's history,
 * and the fallback guessed from a path; git's stderr turned into a reason.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "gitio.h"
#include "mail.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct git_cmd c = GIT_CMD_INIT;
	struct strbuf text;

	fuzz_text(&text, data, size);
	free(mail_common_prefix(text.buf));
	free(mail_path_prefix(text.buf));
	strbuf_add(&c.err, text.buf, text.len);
	git_cmd_error(&c);
	git_cmd_release(&c);
	strbuf_release(&text);
	return 0;
}
