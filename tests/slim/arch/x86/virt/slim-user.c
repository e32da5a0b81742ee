// SPDX-License-Identifier: GPL-2.0-only
/*
 * Uses what the blanked headers must keep: a predicate reached through
 * another header's predicate, struct members, a macro defined in a body.
 */
#include <linux/types.h>
#include <asm/slim-b.h>

int slim_enable(struct slim_lock *l, struct slim_after_uneven *u,
		struct slim_after_braces *b)
{
	if (slim_b_svm_ok())
		stgi();
	return l->raw + l->owner + u->member + b->field + SLIM_FROM_BODY;
}

void slim_enable_checked(void)
{
	if (slim_b_svm_ok() && !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		stgi();
}

/*
 * check-name: blanked header bodies: a predicate reached through another header's predicate, a struct defined by a macro call, uneven braces under #if, a #define in a body, braces in comments and strings
 * check-command: ccgate check --tree $root $file
 * check-exit-value: 1
 *
 * check-output-start
arch/x86/include/asm/slim-a.h:10:9: error: 'slim_a_has_svm' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]
arch/x86/virt/slim-user.c:12:6: note: 'slim_b_svm_ok' is called from 'slim_enable' without checking the guard
 * check-output-end
 */
