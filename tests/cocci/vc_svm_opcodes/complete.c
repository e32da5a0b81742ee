// SPDX-License-Identifier: GPL-2.0-only
/* A validator with a case for every SVM instruction: no finding. */
#include <vc-stub.h>

static enum es_result vc_check_opcode_bytes(struct es_em_ctxt *ctxt,
					    unsigned long exit_code)
{
	unsigned int opcode = (unsigned int)ctxt->insn.opcode.value;
	u8 modrm = ctxt->insn.modrm.value;

	switch (exit_code) {
	case SVM_EXIT_IOIO:
	case SVM_EXIT_NPF:
		return ES_OK;

	case SVM_EXIT_CPUID:
		if (opcode == 0xa20f)
			return ES_OK;
		break;

	case SVM_EXIT_VMRUN:
		if (opcode == 0x010f && modrm == 0xd8)
			return ES_OK;
		break;

	case SVM_EXIT_VMMCALL:
		if (opcode == 0x010f && modrm == 0xd9)
			return ES_OK;
		break;

	case SVM_EXIT_VMLOAD:
		if (opcode == 0x010f && modrm == 0xda)
			return ES_OK;
		break;

	case SVM_EXIT_VMSAVE:
		if (opcode == 0x010f && modrm == 0xdb)
			return ES_OK;
		break;

	case SVM_EXIT_STGI:
		if (opcode == 0x010f && modrm == 0xdc)
			return ES_OK;
		break;

	case SVM_EXIT_CLGI:
		if (opcode == 0x010f && modrm == 0xdd)
			return ES_OK;
		break;

	case SVM_EXIT_SKINIT:
		if (opcode == 0x010f && modrm == 0xde)
			return ES_OK;
		break;

	case SVM_EXIT_INVLPGA:
		if (opcode == 0x010f && modrm == 0xdf)
			return ES_OK;
		break;

	default:
		break;
	}

	return ES_UNSUPPORTED;
}

enum es_result vc_handle_exitcode(struct es_em_ctxt *ctxt,
				  unsigned long exit_code)
{
	enum es_result result = vc_check_opcode_bytes(ctxt, exit_code);

	if (result != ES_OK)
		return result;

	switch (exit_code) {
	case SVM_EXIT_CPUID:
		result = emulate_cpuid(ctxt);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		ctxt->fi.vector = X86_TRAP_UD;
		ctxt->fi.error_code = 0;
		result = ES_EXCEPTION;
		break;
	default:
		result = ES_UNSUPPORTED;
	}

	return result;
}
