// SPDX-License-Identifier: GPL-2.0-only
/* vc-svm-opcodes: placeholder until the engine lands (issue 3). */
#include "unit.h"
#include "banned.h"

static const struct ccg_engine vc_svm_opcodes = {
	.id = "vc-svm-opcodes",
};

const struct ccg_engine *vc_svm_opcodes_engine(void)
{
	return &vc_svm_opcodes;
}
