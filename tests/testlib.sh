# SPDX-License-Identifier: GPL-2.0-only
# Shared by the shell tests: a scratch directory removed on exit, pass/fail
# counters, and the closing line that ctest and CI read.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# finish: the closing line, and the exit status
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
