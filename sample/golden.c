// SPDX-License-Identifier: GPL-2.0-only
/*
 * The golden patch of the reference regression lives in
 * golden/x86_svm_init.patch: its -/+ and context lines are the upstream
 * hunk of "x86/virt: Treat SVM as unsupported when running as an SEV+ guest",
 * byte for byte (tab, then four spaces on the continuation line).
 */

/*
 * check-name: the suggested patch equals the reference hunk byte for byte
 * check-command: d=$(mktemp -d) && ccgate check -q --fix-dir "$d" --tree $root arch/x86/virt/hw.c >/dev/null; cat "$d"/*.patch; rm -rf "$d"
 * check-exit-value: 0
 * check-output-file: golden/x86_svm_init.patch
 */
