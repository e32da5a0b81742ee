#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The semantic patches' own tests, Coccinelle upstream style: for each
# tests/cocci/<patch>/X.c, spatch -D patch must turn X.c into X.res (a file
# without finding has X.res identical to X.c), -D report must print exactly
# the lines of X.report, and -D context must mark exactly the lines of
# X.context (each empty if there is nothing to find).
# Usage: run.sh COCCI-DIR TESTS-DIR
set -euo pipefail

cocci_dir=$(realpath "$1")
tests_dir=$(realpath "$2")
python=$(command -v python3)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0

# spatch MODE FILE [ARGS...]: run the semantic patch in $tmp/work; its
# output goes to $tmp/MODE.  Returns non-zero (and says so) if spatch fails.
run_spatch() {
	local mode=$1 file=$2

	shift 2
	( cd "$tmp/work" &&
	  spatch --python "$python" --very-quiet --no-includes --include-headers \
		--sp-file "$sp" -D "$mode" "$file" "$@" >"$tmp/$mode" 2>"$tmp/err" ) && return
	echo "FAIL: $name/$file: spatch -D $mode failed"
	cat "$tmp/err"
	return 1
}

# expect EXPECTED-FILE ACTUAL-FILE WHAT
expect() {
	diff -u "$1" "$2" && return
	echo "FAIL: $name/$base.c: $3 differs from $(basename "$1")"
	fail=1
}

for dir in "$tests_dir"/*/; do
	name=$(basename "$dir")
	sp="$cocci_dir/$name.cocci"
	[ -f "$sp" ] || { echo "FAIL: $dir has no $sp"; fail=1; continue; }
	for c in "$dir"*.c; do
		base=$(basename "$c" .c)
		for want in "${c%.c}.res" "${c%.c}.report" "${c%.c}.context"; do
			[ -f "$want" ] || { echo "FAIL: $want is missing"; fail=1; }
		done
		rm -rf "$tmp/work" && mkdir "$tmp/work" && cp "$c" "$tmp/work/"
		run_spatch patch "$base.c" -o "$base.out" &&
			run_spatch report "$base.c" &&
			run_spatch context "$base.c" || { fail=1; continue; }
		[ -f "$tmp/work/$base.out" ] || cp "$c" "$tmp/work/$base.out"
		expect "${c%.c}.res" "$tmp/work/$base.out" "patch mode"
		expect "${c%.c}.report" "$tmp/report" "report mode"
		grep -v '^---' "$tmp/context" | grep '^-' >"$tmp/marked" || true
		expect "${c%.c}.context" "$tmp/marked" "context mode"
		count=$((count + 1))
	done
done
[ "$count" -gt 0 ] || [ "$fail" != 0 ] || { echo "FAIL: no test in $tests_dir"; exit 1; }
[ "$fail" = 0 ] && echo "cocci: $count semantic-patch tests passed"
exit "$fail"
