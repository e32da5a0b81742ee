#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-logs.sh DIR: after a sanitized test run, fail if any process wrote
# a sanitizer report (ASan, UBSan or LSan) into DIR, and print them.
set -uo pipefail
dir=${1:?usage: check-logs.sh DIR}
shopt -s nullglob
logs=()
for f in "$dir"/*; do
	# The runtime's own complaints about the environment (no usable
	# llvm-symbolizer for a libFuzzer target) is not a report about
	# ccgate; a file holding nothing else is not counted.
	if ! grep -qv 'WARNING: .*external symbolizer' "$f"; then
		echo "sanitizers: '$f' holds only the symbolizer warnings, not a report"
		continue
	fi
	logs+=("$f")
done
if [ ${#logs[@]} -eq 0 ]; then
	echo "sanitizers: no report"
	exit 0
fi
for f in "${logs[@]}"; do
	echo "==== $f"
	head -n 80 "$f"
done
echo "sanitizers: ${#logs[@]} report file(s) in '$dir'" >&2
exit 1
