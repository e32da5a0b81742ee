#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The vc-svm-opcodes fix compiles (issue 3): sweep Debian 6.12 and sid's 7.2,
# apply the emitted patch to a copy of the tree, build the object that holds
# the validator and the dispatcher (6.12: arch/x86/coco/sev/core.o; 7.2:
# arch/x86/coco/sev/vc-handle.o, which #includes vc-shared.c) with the
# kernel's own make before and after, and require no new warning.  (The
# boot stub's sev.o #includes the same validator but only builds as part of
# bzImage, after vmlinux: too slow for this test.)
# Usage: vc-fix-builds.sh CCGATE
set -euo pipefail

CCGATE=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "vc-fix-builds: FAIL: $*" >&2
	exit 1
}

# check_version V TARGET
check_version() {
	local v=$1 target=$2 tree status work copy obj want new f t
	local -a files targets

	tree=$(kernel_tree "$v")
	status=0
	"$CCGATE" sweep --format=json --enable vc-svm-opcodes --disable cc-virt-gate \
		"$tree" >"$tmp/sweep.json" || status=$?
	[ "$status" = 1 ] || fail "the sweep of $v exited $status, expected 1 (findings)"
	python3 - "$tmp/sweep.json" "$tmp/vc.patch" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
vc = [f for f in doc["findings"] if f["rule"] == "vc-svm-opcodes"]
assert len(vc) == 1, "expected one vc-svm-opcodes finding, got %d" % len(vc)
assert vc[0]["patch"], "the finding has no patch"
open(sys.argv[2], "w").write(vc[0]["patch"])
PY
	mapfile -t files < <(sed -n 's|^+++ b/||p' "$tmp/vc.patch")
	[ "${#files[@]}" -ge 2 ] || fail "expected the patch to touch the validator and the dispatcher"

	# A hard-linked copy of the tree, made once; the files the patch touches
	# are replaced (never written through the links) and restored each run.
	work=$CCGATE_CACHE/vc-fix-$v
	copy=$work/src
	obj=$work/obj
	mkdir -p "$work"
	exec 9>"$work/.lock"
	flock 9
	if [ ! -f "$work/.copied" ]; then
		rm -rf "$copy"
		cp -al "$tree" "$copy"
		touch "$work/.copied"
	fi
	for f in "${files[@]}"; do
		ln -f "$tree/$f" "$copy/$f"
	done
	want=$(echo "$KERNEL_CONFIG_ENABLE" | tr -s ' \n' ' ')
	if [ ! -f "$obj/.ccgate-configured" ] || [ "$(cat "$obj/.ccgate-configured")" != "$want" ]; then
		rm -rf "$obj"
		kernel_configure "$copy" "$obj"
		echo "$want" >"$obj/.ccgate-configured"
	fi

	targets=("$target")

	# build NAME: rebuild the targets from scratch, keep the warnings without
	# line numbers (the patch moves lines).
	build() {
		local t
		for t in "${targets[@]}"; do
			rm -f "$obj/$t"
		done
		make -s -C "$copy" O="$obj" -j"$(nproc)" "${targets[@]}" >"$tmp/$1.out" 2>"$tmp/$1.err" ||
			fail "the $1 build failed: $(grep -m3 -E 'error|Error' "$tmp/$1.err")"
		for t in "${targets[@]}"; do
			[ -s "$obj/$t" ] || fail "the $1 build did not produce $t"
		done
		sed -nE 's/^([^:]+):[0-9]+:[0-9]+: warning: /\1: warning: /p' "$tmp/$1.err" |
			sort -u >"$tmp/$1.warnings"
	}

	build pristine
	# Replace, then patch: the copy's other files stay links to the cache.
	for f in "${files[@]}"; do
		cp "$copy/$f" "$copy/$f.tmp" && mv "$copy/$f.tmp" "$copy/$f"
	done
	(cd "$copy" && export GIT_CEILING_DIRECTORIES="$work" &&
		git apply --check "$tmp/vc.patch" && git apply "$tmp/vc.patch") ||
		fail "the patch does not apply to the copy"
	cmp -s "$tree/${files[0]}" "$copy/${files[0]}" && fail "the patch changed nothing"
	build patched
	for f in "${files[@]}"; do
		ln -f "$tree/$f" "$copy/$f"
	done

	new=$(comm -13 "$tmp/pristine.warnings" "$tmp/patched.warnings")
	[ -z "$new" ] || fail "new warnings with the patch: $new"
	echo "vc-fix-builds: $v: ${targets[*]} build with the patch, no new warning" \
		"($(wc -l <"$tmp/pristine.warnings") before): ok"
	exec 9>&-
}

check_version 6.12 arch/x86/coco/sev/core.o
check_version 7.2 arch/x86/coco/sev/vc-handle.o
