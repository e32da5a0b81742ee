#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The semantic patches come from their templates and the rule pack: the
# committed cocci/<rule>.cocci (and its Python module, cocci/<rule>.py)
# must be what the build generated (else editing rules/*.yaml would change
# only the libclang engine), a fact edited in a copy of the rule pack must
# show up in the generated files, spatch keeps a grep query (its
# prefilter), each .cocci is at most 250 lines, and a bad rule file is one
# line on stderr and exit status 2.
# Usage: generated.sh SOURCE-DIR BUILD-DIR
set -euo pipefail

SRC=$1 BUILD=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "cocci-generated: FAIL: $*"
	fail=1
}

n=0
for t in "$SRC"/cocci/*.in; do
	f=$(basename "$t" .in)
	[ -f "$BUILD/cocci/$f" ] || { bad "build/cocci/$f was not generated"; continue; }
	cmp -s "$BUILD/cocci/$f" "$SRC/cocci/$f" ||
		bad "cocci/$f is not what the build generated from rules/: cp $BUILD/cocci/$f $SRC/cocci/"
	case $f in
	*.py)	# a semantic patch's module: Python that compiles
		python3 -c 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")' \
			"$SRC/cocci/$f" || bad "cocci/$f does not compile"
		sp=${f%.py}.cocci
		grep -q "^[[:space:]]*from ${f%.py} import " "$SRC/cocci/$sp" 2>/dev/null ||
			bad "cocci/$f is not imported by cocci/$sp"
		continue ;;
	esac
	n=$((n + 1))
	# spatch skips the files without the rule's tokens only with a grep
	# query: a script whose inputs all have defaults, or a conjunction
	# outside a dependent rule, loses it (minutes instead of seconds)
	spatch --parse-cocci "$SRC/cocci/$f" 2>&1 | grep -q '^Grep query' ||
		bad "cocci/$f gives spatch no grep query: it would parse every file"
	# issue 15: at most 250 lines each, the rest of the reasoning in the
	# Python module beside it (cocci/README.md, "Sizes")
	lines=$(wc -l <"$SRC/cocci/$f")
	[ "$lines" -le 250 ] || bad "cocci/$f has $lines lines, more than 250"
	echo "cocci/$f: $lines lines (template $(wc -l <"$t"))"
done
[ "$n" -gt 0 ] || bad "no template in $SRC/cocci"

# facts come from the YAML: enable VMX and add an enabler in a copy
gen="$SRC/cocci/generate.py"
sed -e '/name: X86_FEATURE_VMX/,/enabled:/s/enabled: false/enabled: true/' \
    -e 's/^  - kvm_enable_virtualization$/&\n  - ccgate_test_enabler/' \
    "$SRC/rules/cc-virt-gate.yaml" >"$tmp/cvg.yaml"
python3 "$gen" "$SRC/cocci/cc_virt_gate.cocci.in" "$tmp/cvg.yaml" "$tmp/cvg.cocci"
grep -q 'X86_FEATURE_SVM\\|X86_FEATURE_VMX' "$tmp/cvg.cocci" ||
	bad "an enabled feature of the rule pack is not in the generated SmPL"
grep -q 'ccgate_test_enabler' "$tmp/cvg.cocci" ||
	bad "an enabler of the rule pack is not in the generated SmPL"
sed 's/modrm: 0xdc/modrm: 0xd1/' "$SRC/rules/vc-svm-opcodes.yaml" >"$tmp/vso.yaml"
python3 "$gen" "$SRC/cocci/vc_svm_opcodes.py.in" "$tmp/vso.yaml" "$tmp/vso.py"
grep -q "('STGI', 'SVM_EXIT_STGI', 2, 0xd1, 0x010f, '0F 01 D1')" "$tmp/vso.py" ||
	bad "an instruction of the rule pack is not in the generated table"

# a bad rule file: one line, exit 2, no output written
printf 'id: cc-virt-gate\n' >"$tmp/bad.yaml"
status=0
python3 "$gen" "$SRC/cocci/cc_virt_gate.cocci.in" "$tmp/bad.yaml" "$tmp/bad.cocci" \
	2>"$tmp/err" || status=$?
[ "$status" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -e "$tmp/bad.cocci" ] ||
	bad "a rule without its facts: exit $status, stderr: $(cat "$tmp/err")"
[ "$fail" = 0 ] && echo "cocci-generated: $n semantic patches are their rules' facts"
exit "$fail"
