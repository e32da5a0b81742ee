# SPDX-License-Identifier: GPL-2.0-only
# expect2 WHAT COMMAND...: COMMAND is bad input, so it must exit 2 with one
# line on stderr and nothing on stdout.  Sourced by the shell tests; uses
# $tmp and counts into $pass and $fail.
expect2() {
	local what=$1 out err status
	shift
	out=$("$@" 2>"$tmp/err")
	status=$?
	err=$(cat "$tmp/err")
	if [ "$status" -ne 2 ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] ||
	   [ -z "$err" ] || [ -n "$out" ]; then
		echo "FAIL: $what: status $status, stderr: $err, stdout: $out"
		fail=$((fail + 1))
	else
		echo "ok: $what: $err"
		pass=$((pass + 1))
	fi
}
