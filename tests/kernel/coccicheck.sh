#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's own `make coccicheck MODE=report COCCI=...` with ccgate's
# semantic patches, on Debian's 6.12 tree and sid's 7.2 (both patches) and 6.1 tree
# (cc_virt_gate, whose finding is in a header: it needs the --include-headers
# of its "// Options:" line); and vc_svm_opcodes.cocci, which imports the
# Python module beside it, in the other modes on 7.2 (patch: a diff that
# applies and adds the STGI case; context: the validator marked; org: the
# finding as a TODO).  The cached trees are read-only for tests:
# make runs with O= in a temporary directory, from outside the tree, and the
# test fails if anything in the tree changed.
# Usage: coccicheck.sh SOURCE-DIR
set -euo pipefail

SRC=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python=$(command -v python3)

# coccicheck VERSION PATCH EXPECTED-LINE-OR-EMPTY
coccicheck() {
	local tree out start
	tree=$(kernel_tree "$1")
	out=$tmp/out-$1-$2
	mkdir -p "$out"
	touch "$tmp/marker"
	start=$(date +%s)
	# pin the Python of the semantic patches' script rules, as ccgate does
	(cd "$tmp" && make -s -C "$tree" O="$out" coccicheck MODE=report \
		COCCI="$SRC/cocci/$2.cocci" J=2 SPFLAGS="--python $python") \
		>"$tmp/report" 2>"$tmp/err" || {
		cat "$tmp/err" >&2
		die "make coccicheck with $2.cocci failed on $1"
	}
	grep -E '^/.*: (ERROR|WARNING): ' "$tmp/report" | sed "s|^$tree/||" \
		>"$tmp/found" || true
	if [ -n "$3" ]; then
		printf '%s\n' "$3" | diff -u - "$tmp/found" ||
			die "$1, $2.cocci: unexpected coccicheck report"
	else
		diff -u /dev/null "$tmp/found" ||
			die "$1, $2.cocci: expected no report"
	fi
	[ -z "$(find "$tree" -newer "$tmp/marker" -print -quit)" ] ||
		die "make coccicheck wrote into $tree"
	echo "coccicheck $1 $2.cocci: ok in $(( $(date +%s) - start )) s"
}

# coccimode VERSION PATCH MODE: make coccicheck MODE=MODE's output, in $tmp/MODE
coccimode() {
	local tree out
	tree=$(kernel_tree "$1")
	out=$tmp/out-$1-$2-$3
	mkdir -p "$out"
	touch "$tmp/marker"
	(cd "$tmp" && make -s -C "$tree" O="$out" coccicheck MODE="$3" \
		COCCI="$SRC/cocci/$2.cocci" J=2 SPFLAGS="--python $python") \
		>"$tmp/$3" 2>"$tmp/err" || {
		cat "$tmp/err" >&2
		die "make coccicheck MODE=$3 with $2.cocci failed on $1"
	}
	[ -z "$(find "$tree" -newer "$tmp/marker" -print -quit)" ] ||
		die "make coccicheck MODE=$3 wrote into $tree"
}

coccicheck 6.12 vc_svm_opcodes \
	"arch/x86/coco/sev/shared.c:1603:22-43: ERROR: 'vc_check_opcode_bytes' has no case for 'SVM_EXIT_VMRUN', 'SVM_EXIT_VMLOAD', 'SVM_EXIT_VMSAVE', 'SVM_EXIT_STGI', 'SVM_EXIT_CLGI', 'SVM_EXIT_SKINIT' and 'SVM_EXIT_INVLPGA'; their #VC intercept terminates the guest instead of raising #UD [vc-svm-opcodes]"
coccicheck 6.12 cc_virt_gate ""
coccicheck 7.2 vc_svm_opcodes \
	"arch/x86/coco/sev/vc-shared.c:7:22-43: ERROR: 'vc_check_opcode_bytes' has no case for 'SVM_EXIT_VMRUN', 'SVM_EXIT_VMLOAD', 'SVM_EXIT_VMSAVE', 'SVM_EXIT_STGI', 'SVM_EXIT_CLGI', 'SVM_EXIT_SKINIT' and 'SVM_EXIT_INVLPGA'; their #VC intercept terminates the guest instead of raising #UD [vc-svm-opcodes]"
coccicheck 7.2 cc_virt_gate ""
coccicheck 6.1 cc_virt_gate \
	"arch/x86/include/asm/virtext.h:94:6-18: ERROR: 'cpu_has_svm' trusts 'boot_cpu_has(X86_FEATURE_SVM)' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]"
tree72=$(kernel_tree 7.2)
coccimode 7.2 vc_svm_opcodes patch
grep -q '^+	case SVM_EXIT_STGI:$' "$tmp/patch" &&
	sed -n '/^diff -u -p a\//,$p' "$tmp/patch" | (cd "$tree72" && git apply --check) ||
	die "7.2, vc_svm_opcodes.cocci, MODE=patch: no diff adding the STGI case that applies"
echo "coccicheck 7.2 vc_svm_opcodes.cocci MODE=patch: ok"
coccimode 7.2 vc_svm_opcodes context
grep -q '^-static enum es_result vc_check_opcode_bytes(struct es_em_ctxt \*ctxt,$' "$tmp/context" ||
	die "7.2, vc_svm_opcodes.cocci, MODE=context: the validator is not marked"
echo "coccicheck 7.2 vc_svm_opcodes.cocci MODE=context: ok"
coccimode 7.2 vc_svm_opcodes org
grep -q "^\* TODO \[\[view:$tree72/arch/x86/coco/sev/vc-shared.c::face=ovl-face1::linb=7::colb=22::cole=43\]\['vc_check_opcode_bytes' has no case for " "$tmp/org" ||
	die "7.2, vc_svm_opcodes.cocci, MODE=org: no TODO for the validator"
echo "coccicheck 7.2 vc_svm_opcodes.cocci MODE=org: ok"
# the .cocci without its module: coccicheck fails, with spatch's one line
mkdir "$tmp/lone"
cp "$SRC/cocci/vc_svm_opcodes.cocci" "$tmp/lone/"
mkdir -p "$tmp/out-lone"
if (cd "$tmp" && make -s -C "$tree72" O="$tmp/out-lone" coccicheck MODE=report \
	COCCI="$tmp/lone/vc_svm_opcodes.cocci" J=2 SPFLAGS="--python $python") \
	>"$tmp/lone.out" 2>&1; then
	die "vc_svm_opcodes.cocci without vc_svm_opcodes.py: make coccicheck passed"
fi
grep -q "vc_svm_opcodes.cocci: vc_svm_opcodes.py must be beside it" "$tmp/lone.out" ||
	die "vc_svm_opcodes.cocci without its module: $(tail -3 "$tmp/lone.out")"
echo "coccicheck 7.2 vc_svm_opcodes.cocci without its module: fails, saying why"
