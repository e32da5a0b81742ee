// SPDX-License-Identifier: GPL-2.0-only
/*
 * The worker pool's wire format: one JSON file result per parsed file, as
 * the parent reads it from a worker (which may have died mid-write).
 */
#include <string.h>

#include "analyze.h"
#include "wire.h"
#include "fuzz.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccg_file_result r;
	json_error_t jerr;
	json_t *o;

	o = json_loadb((const char *)data, size, 0, &jerr);
	if (!o)
		return 0;
	memset(&r, 0, sizeof(r));
	file_result_from_json(&r, o);
	file_result_release(&r);
	json_decref(o);
	return 0;
}
