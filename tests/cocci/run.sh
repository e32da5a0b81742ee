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
		( cd "$tmp/work" &&
		  spatch --python "$python" --very-quiet --no-includes --include-headers \
			--sp-file "$sp" -D patch "$base.c" -o "$base.out" >/dev/null 2>"$tmp/err" ) ||
			{ echo "FAIL: $name/$base.c: spatch -D patch failed"; cat "$tmp/err"; fail=1; continue; }
		[ -f "$tmp/work/$base.out" ] || cp "$c" "$tmp/work/$base.out"
		if ! diff -u "${c%.c}.res" "$tmp/work/$base.out"; then
			echo "FAIL: $name/$base.c: patch mode differs from $base.res"
			fail=1
		fi
		( cd "$tmp/work" &&
		  spatch --python "$python" --very-quiet --no-includes --include-headers \
			--sp-file "$sp" -D report "$base.c" >"$tmp/report" 2>"$tmp/err" ) ||
			{ echo "FAIL: $name/$base.c: spatch -D report failed"; cat "$tmp/err"; fail=1; continue; }
		if ! diff -u "${c%.c}.report" "$tmp/report"; then
			echo "FAIL: $name/$base.c: report mode differs from $base.report"
			fail=1
		fi
		( cd "$tmp/work" &&
		  spatch --python "$python" --very-quiet --no-includes --include-headers \
			--sp-file "$sp" -D context "$base.c" >"$tmp/context" 2>"$tmp/err" ) ||
			{ echo "FAIL: $name/$base.c: spatch -D context failed"; cat "$tmp/err"; fail=1; continue; }
		grep -v '^---' "$tmp/context" | grep '^-' >"$tmp/marked" || true
		if ! diff -u "${c%.c}.context" "$tmp/marked"; then
			echo "FAIL: $name/$base.c: context mode differs from $base.context"
			fail=1
		fi
		count=$((count + 1))
	done
done
[ "$count" -gt 0 ] || [ "$fail" != 0 ] || { echo "FAIL: no test in $tests_dir"; exit 1; }
[ "$fail" = 0 ] && echo "cocci: $count semantic-patch tests passed"
exit "$fail"
