/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_VC_SVM_OPCODES_H
#define CCGATE_VC_SVM_OPCODES_H

#include "rulepack.h"

/* rules/vc-svm-opcodes.yaml beyond the common header (see that file). */

struct vso_insn {
	char *mnemonic;
	char *exit_code;
	unsigned *opcode;
	unsigned opcode_count;
	unsigned modrm;
};

struct vso_rule {
	struct rp_rule common;
	struct vso_insn *instructions;
	unsigned instructions_count;
	char **validators;
	unsigned validators_count;
	char **dispatchers;
	unsigned dispatchers_count;
	char *exit_prefix;
	char *missing_message;
	char *wrong_message;
};

#endif
