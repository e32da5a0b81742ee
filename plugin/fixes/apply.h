/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_APPLY_H
#define CCGATE_APPLY_H

#include <stddef.h>
#include <sys/types.h>

#include "result.h"
#include "finding.h"

/*
 * Apply the patches of LIST to the tree at ROOT in place.  Every file they
 * touch must still be what the workers analyzed (RESULTS hold its size and
 * hash); if one is not, or a patch does not apply, nothing is written and
 * -1 is returned after one error line per file.  Each changed file is named
 * on stderr.
 */
int apply_fixes(const char *root, const struct ccg_findings *list,
		const struct ccg_file_result *results, size_t nr_results);

/*
 * Replace PATH by a temporary file in the same directory holding DATA,
 * with permissions MODE, then rename; -1 with errno set on failure.
 */
int write_file_atomic(const char *path, const char *data, size_t len,
		      mode_t mode);

#endif
