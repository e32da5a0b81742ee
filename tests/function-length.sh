#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# No function of plugin/ over 80 lines (issue 15; STYLE.md): counted from
# the first line of its signature to its closing brace, in kernel style
# (the body's "{" and "}" alone in column 0).  Lists each one over the limit.
# Usage: function-length.sh SOURCE-DIR [LIMIT]
set -euo pipefail

SRC=$1 LIMIT=${2:-80}
awk -v limit="$LIMIT" '
FNR == 1 { start = 0; open = 0 }
# a signature starts after a blank line, a ";", a "}" or a comment end
!open && /^[A-Za-z_]/ && (prev ~ /^$/ || prev ~ /[;}]$/ || prev ~ /\*\/$/ || prev ~ /^#/) {
	start = FNR; name = $0
}
!open && $0 == "{" && start { open = 1 }
open && $0 == "}" {
	n = FNR - start + 1
	if (n > limit) {
		sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
		printf "%s:%d: %s() is %d lines (limit %d)\n", FILENAME, start, name, n, limit
		bad = 1
	}
	open = 0; start = 0
}
{ prev = $0 }
END { exit bad }
' "$SRC"/plugin/*/*.c || { echo "function-length: split the functions above" >&2; exit 1; }
echo "function-length: no function in plugin/ over $LIMIT lines: ok"
