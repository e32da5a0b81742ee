#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `ccgate sweep --engine=...` on the sample tree: each engine finds the
# reference regression, `both` tags it with both engines, and a missing
# spatch or an unknown engine is one line on stderr and exit status 2.
# Usage: engine-cli.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$1
SAMPLE=$2/sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {	# check DESCRIPTION EXPECTED-STATUS COMMAND...
	local what=$1 want=$2 status
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" != "$want" ]; then
		echo "FAIL: $what: exit status $status, expected $want"
		cat "$tmp/err"
		fail=1
	fi
}

for e in clang cocci both; do
	check "--engine=$e" 1 "$CCGATE" sweep -q --engine=$e "$SAMPLE"
	grep -q "^arch/x86/virt/hw.c:272:7: error: .* \[cc-virt-gate\]$" "$tmp/out" ||
		{ echo "FAIL: --engine=$e does not report hw.c:272:7"; fail=1; }
	if grep -q "only the .* engine reports this" "$tmp/out"; then
		echo "FAIL: --engine=$e marks a finding as single-engine"
		fail=1
	fi
done

check "--engine=both --format=json" 1 \
	"$CCGATE" sweep -q --engine=both --format=json "$SAMPLE"
python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert [x["engines"] for x in f] == [["clang", "cocci"]], f
' "$tmp/out" || { echo "FAIL: JSON findings do not carry both engines"; fail=1; }

check "--engine=cocci --diff" 1 "$CCGATE" sweep -q --engine=cocci --diff "$SAMPLE"
grep '^[-+ ]' "$SAMPLE/golden/x86_svm_init.patch" | grep -v '^+++\|^---' >"$tmp/want"
grep '^[-+ ]' "$tmp/out" | grep -v '^+++\|^---' >"$tmp/got"
diff -u "$tmp/want" "$tmp/got" ||
	{ echo "FAIL: the cocci engine's patch differs from the reference hunk"; fail=1; }

# every output that renders fixes gets the cocci engine's: a mail, SARIF's
# fixes, and --apply (on a copy)
rm -rf "$tmp/mails"
check "--engine=cocci --format-patch" 1 \
	"$CCGATE" sweep -q --engine=cocci --format-patch "$tmp/mails" \
		--from "Ada <ada@example.org>" "$SAMPLE"
grep -q '^+	    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))' "$tmp"/mails/*.patch 2>/dev/null ||
	{ echo "FAIL: --engine=cocci --format-patch wrote no mail with the fix"; fail=1; }
check "--engine=cocci --format=sarif" 1 \
	"$CCGATE" sweep -q --engine=cocci --format=sarif "$SAMPLE"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert r and all(x.get("fixes") for x in r), r
' "$tmp/out" || { echo "FAIL: --engine=cocci SARIF results carry no fixes"; fail=1; }
rm -rf "$tmp/tree" && cp -r "$SAMPLE" "$tmp/tree"
check "--engine=cocci --apply" 1 "$CCGATE" sweep -q --engine=cocci --apply "$tmp/tree"
check "--engine=cocci after --apply" 0 "$CCGATE" sweep -q --engine=cocci "$tmp/tree"

check "missing spatch" 2 env CCGATE_SPATCH=/nonexistent/spatch \
	"$CCGATE" sweep --engine=cocci "$SAMPLE"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "spatch" "$tmp/err" ||
	{ echo "FAIL: a missing spatch is not one line on stderr"; cat "$tmp/err"; fail=1; }

check "unknown engine" 2 "$CCGATE" sweep --engine=sparse "$SAMPLE"
[ "$(wc -l <"$tmp/err")" = 1 ] ||
	{ echo "FAIL: an unknown engine is not one line on stderr"; fail=1; }

[ "$fail" = 0 ] && echo "engine-cli: ok"
exit "$fail"
