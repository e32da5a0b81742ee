// SPDX-License-Identifier: GPL-2.0-only
/* The fixed sample, checked again, has no finding. */

/*
 * check-name: the patched tree re-checks clean and the patch applies with git apply
 * check-command: d=$(mktemp -d) && cp -r . "$d/t" && ccgate check -q --fix-dir "$d/f" --tree "$d/t" "$d/t/arch/x86/virt/hw.c" >/dev/null; (cd "$d/t" && git apply "$d"/f/*.patch) && ccgate check -q --tree "$d/t" "$d/t/arch/x86/virt/hw.c"; echo "status $?"; rm -rf "$d"
 * check-exit-value: 0
 *
 * check-output-start
status 0
 * check-output-end
 */
