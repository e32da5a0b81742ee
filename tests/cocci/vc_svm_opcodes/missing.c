// SPDX-License-Identifier: GPL-2.0-only
/*
 * The validator knows VMMCALL only; the dispatcher in the same file gets the
 * #UD cases.
 */
#include <vc-stub.h>

static enum es_result vc_check_opcode_bytes(struct es_em_ctxt *ctxt,
					    unsigned long exit_code)
{
	unsigned int opcode = (unsigned int)ctxt->insn.opcode.value;
	u8 modrm = ctxt->insn.modrm.value;

	switch (exit_code) {

	case SVM_EXIT_IOIO:
		/* decoded elsewhere */
		return ES_OK;

	case SVM_EXIT_CPUID:
		if (opcode == 0xa20f)
			return ES_OK;
		break;

	case SVM_EXIT_MSR:
		if (opcode == 0x320f || opcode == 0x300f)
			return ES_OK;
		break;

	case SVM_EXIT_VMMCALL:
		if (opcode == 0x010f && modrm == 0xd9)
			return ES_OK;

		break;

	case SVM_EXIT_WBINVD:
		if (opcode == 0x90f)
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
	case SVM_EXIT_MSR:
		result = emulate_msr(ctxt);
		break;
	case SVM_EXIT_IOIO:
		result = emulate_port(ctxt);
		break;
	case SVM_EXIT_VMMCALL:
		result = emulate_hypercall(ctxt);
		break;
	default:
		result = ES_UNSUPPORTED;
	}

	return result;
}
