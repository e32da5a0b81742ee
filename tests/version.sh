#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One version, from CMake's project(): `ccgate --version`, the JSON
# "version", SARIF's tool.driver.version, the mails' signature, the man
# pages' footer and debian/changelog all say it.
#
# version.sh CCGATE SRCDIR VERSION MANDIR
set -euo pipefail

ccgate=${1:?usage: version.sh CCGATE SRCDIR VERSION MANDIR}
src=${2:?usage: version.sh CCGATE SRCDIR VERSION MANDIR}
want=${3:?usage: version.sh CCGATE SRCDIR VERSION MANDIR}
mandir=${4:?usage: version.sh CCGATE SRCDIR VERSION MANDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {	# WHAT GOT
	if [ "$2" = "$want" ]; then
		echo "version: $1: $2"
	else
		echo "version: $1 says '$2', CMake's project() says '$want'" >&2
		fail=1
	fi
}

v=$("$ccgate" --version)
check "ccgate --version" "${v#ccgate }"
[ "$v" = "ccgate ${v#ccgate }" ] || { echo "version: '--version' printed '$v'" >&2; fail=1; }

cp -r "$src/sample" "$tmp/tree"
rc=0
"$ccgate" sweep -q --format=json "$tmp/tree" >"$tmp/out.json" || rc=$?
[ "$rc" = 1 ] || { echo "version: the JSON sweep of sample/ exited $rc, not 1" >&2; exit 1; }
check "JSON version" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$tmp/out.json")"

rc=0
"$ccgate" sweep -q --format=sarif "$tmp/tree" >"$tmp/out.sarif" || rc=$?
[ "$rc" = 1 ] || { echo "version: the SARIF sweep of sample/ exited $rc, not 1" >&2; exit 1; }
check "SARIF tool.driver.version" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]
print(d["version"] if d["version"] == d["semanticVersion"] else "semanticVersion " + d["semanticVersion"])
' "$tmp/out.sarif")"

rc=0
"$ccgate" sweep -q --format-patch "$tmp/mails" --from 'Ada Tester <ada@example.org>' \
	"$tmp/tree" >/dev/null || rc=$?
[ "$rc" = 1 ] || { echo "version: the --format-patch sweep exited $rc, not 1" >&2; exit 1; }
n=0
for m in "$tmp"/mails/*.patch; do
	[ -f "$m" ] || continue
	n=$((n + 1))
	# git format-patch's signature: "-- ", then the version line, last
	sig=$(tail -n 3 "$m" | head -n 2)
	[ "$(printf '%s\n' "$sig" | head -n 1)" = "-- " ] ||
		{ echo "version: $(basename "$m") has no '-- ' signature line" >&2; fail=1; }
	check "signature of $(basename "$m")" "$(printf '%s\n' "$sig" | sed -n '2s/^ccgate //p')"
done
[ "$n" -gt 0 ] || { echo "version: --format-patch wrote no mail" >&2; exit 1; }

for page in "$mandir"/*.[15]; do
	[ -e "$page" ] || continue	# -DCCGATE_MANPAGES=OFF
	check "footer of $(basename "$page")" \
		"$(sed -n 's/^\.TH .* "ccgate \([0-9][^"]*\)".*/\1/p' "$page")"
done

# A native package: the version is the upstream one, no Debian revision.
check "debian/changelog" "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)"
exit $fail
