#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/nipa/ccgate/ run as NIPA runs a patch test: run-nipa.py replays
# core/test.py's Test._exec_run() and write_result() (linux-netdev/nipa
# 95a29267a045), with the patch under test as HEAD of a real git history
# (tests/gate/lib.sh).  Usage: nipa.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$SRC/tests/gate/lib.sh"
make_repo
export CCGATE

# run-nipa.py TREE HEAD: the result's retcode, then its summary and desc
nipa() {
	git -C "$REPO" checkout -q "$2"
	python3 "$SRC/tests/nipa/run-nipa.py" "$SRC/contrib/nipa/ccgate" "$1" "$tmp/results"
}

# the patch adding the unguarded gate: a failure, with the finding
got=$(nipa "$REPO" "$C2")
[ "$(sed -n 1p <<<"$got")" = 1 ] && grep -q '^ccgate - FAILED$' <<<"$got" &&
	grep -qE "^desc: ccgate: 1 new finding\(s\): arch/x86/virt/hw\.c:[0-9]+:[0-9]+: error: .*\[cc-virt-gate\]$" <<<"$got" &&
	ok "the bad patch fails with its finding on DESC_FD" ||
	bad "the bad patch: $got"

# the unrelated patch on top: okay, one line of description
got=$(nipa "$REPO" "$C3")
[ "$(sed -n 1p <<<"$got")" = 0 ] && grep -q '^ccgate - OKAY$' <<<"$got" &&
	[ "$(grep -c '^desc: ' <<<"$got")" = 1 ] &&
	grep -q '^desc: ccgate: no new confidential-computing findings$' <<<"$got" &&
	ok "the unrelated patch is okay" || bad "the unrelated patch: $got"

# a candidate that parses incompletely, with --strict-coverage from the
# tree's .ccgate: no finding, but not analyzed completely: 250
git -C "$REPO" checkout -q "$C3"
cat >"$REPO/arch/x86/virt/odd.c" <<'EOC'
#include <asm/cpufeature.h>
int odd(void)
{
	return cpu_feature_enabled(X86_FEATURE_SVM) + undeclared_thing;
}
EOC
git -C "$REPO" add -A && git -C "$REPO" commit -qm "x86/virt: add odd.c"
printf -- '--strict-coverage\n' >"$REPO/.ccgate"
got=$(nipa "$REPO" HEAD)
[ "$(sed -n 1p <<<"$got")" = 250 ] && grep -q '^ccgate - WARNING$' <<<"$got" &&
	grep -q '^desc: ccgate: no new findings, but not every file was analyzed' <<<"$got" &&
	ok "a file not analyzed is a warning (250)" || bad "not analyzed: $got"

# ccgate cannot judge (a malformed .ccgate): a failure that says why
printf -- '--no-such-option\n' >"$REPO/.ccgate"
got=$(nipa "$REPO" HEAD)
[ "$(sed -n 1p <<<"$got")" = 2 ] && grep -q '^ccgate - FAILED$' <<<"$got" &&
	grep -q "^desc: ccgate could not check the patch: ccgate: error: .*unknown option '--no-such-option'" <<<"$got" &&
	ok "ccgate's bad input fails with its error line" || bad "bad input: $got"
rm "$REPO/.ccgate"

echo "nipa: $pass passed, $fail failed"
[ "$fail" = 0 ]
