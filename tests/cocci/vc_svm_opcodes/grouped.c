// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grouped labels share one body: STGI and CLGI are both accepted by the
 * group, INVLPGA's group member compares a ModRM no SVM row expects.  No
 * dispatcher in this unit.
 */
#include <vc-stub.h>

static enum es_result vc_check_opcode_bytes(struct es_em_ctxt *ctxt,
					    unsigned long exit_code)
{
	unsigned int opcode = (unsigned int)ctxt->insn.opcode.value;
	u8 modrm = ctxt->insn.modrm.value;

	switch (exit_code) {
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
		if (opcode == 0x010f && (modrm == 0xdc || modrm == 0xdd))
			return ES_OK;
		break;
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_INVLPGA:
		if (opcode == 0x010f && (modrm == 0xd9 || modrm == 0xd0))
			return ES_OK;
		break;
	default:
		break;
	}

	return ES_UNSUPPORTED;
}
