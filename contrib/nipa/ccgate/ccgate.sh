#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# NIPA (linux-netdev/nipa) patch test: ccgate on what the patch under test
# adds.  NIPA runs this from the tree with the patch applied as HEAD, one
# line of description expected on $DESC_FD, and reads the exit status as
# 0 okay, 250 warning, anything else a failure (core/test.py).
#
# ccgate gate's statuses map onto that: 0 no new finding -> 0; 1 a new
# finding -> 1; 3 no new finding but a file that could not be analyzed ->
# 250; 2 (ccgate could not judge: not a git tree, a bad .ccgate) -> 2,
# which NIPA counts as failed.  The tree's .ccgate is read as by any verb.
#
# Install: copy this directory to nipa's tests/patch/ccgate/ and have
# ccgate in PATH (or set CCGATE to the binary).

CCGATE=${CCGATE:-ccgate}
desc=${DESC_FD:-2}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

"$CCGATE" gate --base HEAD~ >"$out" 2>"$err"
rc=$?
cat "$out"
cat "$err" >&2
findings=$(grep -cE ':[0-9]+:[0-9]+: (error|warning): .* \[[a-z0-9-]+\]$' "$out")

case $rc in
0)
	echo "ccgate: no new confidential-computing findings" >&"$desc"
	exit 0
	;;
1)
	echo "ccgate: $findings new finding(s): $(grep -m1 -E ': (error|warning): ' "$out")" >&"$desc"
	exit 1
	;;
3)
	echo "ccgate: no new findings, but not every file was analyzed: $(tail -1 "$err")" >&"$desc"
	exit 250
	;;
*)
	echo "ccgate could not check the patch: $(head -1 "$err")" >&"$desc"
	exit "$rc"
	;;
esac
