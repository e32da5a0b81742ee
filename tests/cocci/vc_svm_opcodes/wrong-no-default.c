// SPDX-License-Identifier: GPL-2.0-only
/*
 * A validator without a default label that also compares a wrong ModRM:
 * the constant fix rewrites the function before the missing cases are
 * added after its last "break;", so that fix cannot go by position.
 */
#include <vc-stub.h>

static int insn_bytes_ok(struct es_em_ctxt *ctxt, unsigned long code)
{
	unsigned int op = ctxt->insn.opcode.value;
	unsigned int rm = ctxt->insn.modrm.value;

	switch (code) {
	case SVM_EXIT_CPUID:
		if (op == 0xA20F)
			return 1;
		break;
	case SVM_EXIT_VMMCALL:
		if (op == 0x010F && rm == 0xD0)
			return 1;
		break;
	}

	return 0;
}

enum es_result vc_handle_exitcode(unsigned long exit_code, unsigned int op,
				  unsigned int rm)
{
	struct es_em_ctxt vc;

	vc.insn.opcode.value = op;
	vc.insn.modrm.value = rm;
	if (!insn_bytes_ok(&vc, exit_code))
		return ES_UNSUPPORTED;

	switch (exit_code) {
	case SVM_EXIT_CPUID:
		return emulate_cpuid(&vc);
	case SVM_EXIT_VMMCALL:
		return emulate_hypercall(&vc);
	default:
		return ES_UNSUPPORTED;
	}
}

/*
 * check-name: vc-svm-opcodes: wrong bytes and missing cases in a validator without default
 * check-command: ccgate check --tree $root $file
 * check-exit-value: 1
 *
 * check-output-start
wrong-no-default.c:9:12: error: 'insn_bytes_ok' has no case for 'SVM_EXIT_VMRUN', 'SVM_EXIT_VMLOAD', 'SVM_EXIT_VMSAVE', 'SVM_EXIT_STGI', 'SVM_EXIT_CLGI', 'SVM_EXIT_SKINIT' and 'SVM_EXIT_INVLPGA'; their #VC intercept terminates the guest instead of raising #UD [vc-svm-opcodes]
wrong-no-default.c:14:2: note: an exit code without a case is rejected here and the guest terminates; the #VC handler must be more forgiving of SVM intercepts: accept them when the bytes match and raise #UD, so that exception fixup (the STGI of the emergency virtualization-disable path) can absorb it
wrong-no-default.c:28:16: note: the patch makes 'vc_handle_exitcode' raise #UD for them
wrong-no-default.c:20:29: error: 'insn_bytes_ok' accepts 'SVM_EXIT_VMMCALL' (VMMCALL) with the wrong bytes: it compares ModRM 0xD0, the instruction is 0F 01 D9 (opcode 0x010F, ModRM 0xD9) [vc-svm-opcodes]
 * check-output-end
 */
