#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --apply on whole Debian 6.1 and 6.12 trees and sid's 7.2: on a hard-linked copy (cheap,
# and --apply replaces files by rename, so the cached tree is never written
# through), the fixes apply and a second sweep finds nothing.
# Usage: apply-kernels.sh CCGATE
set -euo pipefail

CCGATE=$1
. "$(dirname "$0")/lib.sh"
for v in 6.1 6.12 7.2; do
	tree=$(kernel_tree "$v")
	work=$(mktemp -d "$CCGATE_CACHE/apply.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	cp -al "$tree" "$work/t" 2>/dev/null || cp -a "$tree" "$work/t"
	before=$(cd "$tree/arch/x86" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
	status=0
	"$CCGATE" sweep -q --apply "$work/t" >/dev/null 2>"$work/err" || status=$?
	[ "$status" = 1 ] || die "$v: --apply exited $status: $(cat "$work/err")"
	changed=$(grep -c ': note: fix applied$' "$work/err" || true)
	[ "$changed" -ge 1 ] || die "$v: --apply named no file: $(cat "$work/err")"
	status=0
	"$CCGATE" sweep -q "$work/t" >/dev/null || status=$?
	[ "$status" = 0 ] || die "$v: the tree still has findings after --apply (exit $status)"
	after=$(cd "$tree/arch/x86" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
	[ "$before" = "$after" ] || die "$v: the cached tree was written through"
	echo "kernel $v: --apply changed $changed file(s), the tree then sweeps clean: ok"
	rm -rf "$work"
	trap - EXIT
done
