#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What ccgate adds to a kernel build, next to sparse (issue 5).
#
# On the configured Debian 6.12 of the kernel tests, with the objects
# built, runs "make C=2" over arch/x86/{kernel,coco,kvm}/ with CHECK=true,
# CHECK=sparse and CHECK=ccgate, alternating, ROUNDS times, and prints
# ccgate's added time as a ratio of sparse's.  Target (issue 13): at most 0.15.
#
#   bench/kbuild-slot.sh [CCGATE] [ROUNDS]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CCGATE=$(realpath "${1:-$here/../build/plugin/ccgate}")
ROUNDS=${2:-2}
. "$here/../tests/kernel/lib.sh"

src=$(kernel_tree 6.12)
obj=$(kernel_build 6.12)
exec 9>"$obj/.lock"
flock 9
dirs=(arch/x86/kernel/ arch/x86/coco/ arch/x86/kvm/)
make -s -C "$src" O="$obj" -j"$(nproc)" "${dirs[@]}" >/dev/null

declare -A total=([true]=0 [sparse]=0 [ccgate]=0)
run() {
	local t0 t1
	t0=$(date +%s.%N)
	make -s -C "$src" O="$obj" -j"$(nproc)" C=2 CHECK="$2" "${dirs[@]}" >/dev/null 2>&1 ||
		{ echo "bench: make C=2 CHECK=$2 failed" >&2; exit 1; }
	t1=$(date +%s.%N)
	total[$1]=$(echo "${total[$1]} + $t1 - $t0" | bc)
	printf '  %-7s %6.2f s\n' "$1" "$(echo "$t1 - $t0" | bc)"
}

nfiles=$(make -C "$src" O="$obj" C=2 CHECK=true "${dirs[@]}" 2>/dev/null | grep -c "^  CHECK " || true)
echo "make C=2 over ${dirs[*]} ($nfiles files), $ROUNDS rounds, -j$(nproc)"
for ((r = 1; r <= ROUNDS; r++)); do
	echo "round $r:"
	run true true
	run sparse sparse
	run ccgate "$CCGATE"
done
sparse_add=$(echo "${total[sparse]} - ${total[true]}" | bc)
ccgate_add=$(echo "${total[ccgate]} - ${total[true]}" | bc)
printf 'added time: sparse %.2f s, ccgate %.2f s; ccgate/sparse = %.3f (target <= 0.15)\n' \
	"$(echo "$sparse_add / $ROUNDS" | bc -l)" "$(echo "$ccgate_add / $ROUNDS" | bc -l)" \
	"$(echo "$ccgate_add / $sparse_add" | bc -l)"
