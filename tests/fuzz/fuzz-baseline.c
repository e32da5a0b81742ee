// SPDX-License-Identifier: GPL-2.0-only
/* The baseline file (--baseline), and the stale-entry report it leads to. */
#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "fuzz.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct baseline b = BASELINE_INIT;
	char *err = NULL;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!baseline_parse(&b, "fuzz.json", (const char *)data, size, &err)) {
		baseline_report_stale(&b, NULL, null);
		baseline_release(&b);
	}
	free(err);
	return 0;
}
