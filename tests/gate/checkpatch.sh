#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The --format-patch mails pass the kernel's own scripts/checkpatch.pl
# (6.12, from the cache of the kernel tests) with no errors: gate's mail for
# the lib.sh history (Fixes: checked against its git), and sweep's mails
# for the real findings of 6.1 and 6.12.  Usage: checkpatch.sh CCGATE SRC
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
. "$(dirname "$0")/../kernel/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
K612=$(kernel_tree 6.12)
K61=$(kernel_tree 6.1)
. "$(dirname "$0")/lib.sh"
CHECKPATCH="perl $K612/scripts/checkpatch.pl --no-tree --strict --show-types"

# checkpatch WHAT [OPTIONS] MAIL...: no ERROR lines, a "total: 0 errors" line
checkpatch() {
	local what=$1 out
	shift
	out=$($CHECKPATCH "$@" 2>&1)
	if printf '%s\n' "$out" | grep -q '^ERROR:' ||
	   ! printf '%s\n' "$out" | grep -q 'total: 0 errors'; then
		bad "$what: $out"
	else
		ok "$what: $(printf '%s\n' "$out" | grep total: | sort -u | tr '\n' ' ')"
	fi
}

make_repo
cd "$REPO" || exit 2
"$CCGATE" gate -q --base "$C1" --signoff --format-patch "$tmp/so" >/dev/null 2>&1
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/noso" >/dev/null 2>&1
# checkpatch checks the Fixes: commit and subject against the git in cwd
checkpatch "gate mail with --signoff" "$tmp"/so/*.patch
checkpatch "gate mail without --signoff (checkpatch --no-signoff)" --no-signoff "$tmp"/noso/*.patch
sed 's/^Fixes: \(............\) .*/Fixes: \1 ("wrong subject")/' "$tmp"/so/*.patch >"$tmp/wrong.patch"
$CHECKPATCH "$tmp/wrong.patch" >"$tmp/wrong.out" 2>&1
if grep -q 'BAD_FIXES_TAG\|GIT_COMMIT_ID' "$tmp/wrong.out"; then
	ok "checkpatch does check the Fixes: subject (a wrong one is flagged)"
else
	bad "checkpatch accepted a wrong Fixes: subject: $(cat "$tmp/wrong.out")"
fi

cd "$tmp" || exit 2
for k in "$K61" "$K612"; do
	v=${k##*-}
	"$CCGATE" sweep -q --format-patch "$tmp/k$v" --signoff \
		--from 'Ada Tester <ada@example.org>' "$k" >/dev/null 2>&1
	n=$(ls "$tmp/k$v"/*.patch 2>/dev/null | wc -l)
	if [ "$n" -eq 1 ]; then
		ok "sweep of $v: one mail, $(grep '^Subject:' "$tmp/k$v"/*.patch)"
		checkpatch "sweep mail of $v" "$tmp/k$v"/*.patch
	else
		bad "sweep of $v wrote $n mails"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
