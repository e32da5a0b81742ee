#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The tree's .ccgate, CCGATE_OPTIONS and the command line, in that order of
# precedence, for the verbs and the kbuild slot; --no-config; the default
# .ccgate-baseline.json; --exclude; the slot's -fdiagnostic-prefix, --chain
# with any command and --format=json beside the object.  The malformed
# cases are in bad-input.sh.  Usage: config.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
unset CCGATE_OPTIONS

ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect WHAT STATUS NFINDINGS COMMAND...: exit status and finding lines
expect() {
	local what=$1 want=$2 nf=$3 status n
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	n=$(cat "$tmp/out" "$tmp/err" | grep -c '\[cc-virt-gate\]$')
	if [ "$status" = "$want" ] && [ "$n" = "$nf" ]; then
		ok "$what"
	else
		bad "$what: exit $status (want $want), $n findings (want $nf): $(cat "$tmp/err")"
	fi
}

cp -r "$SRC/sample" "$tmp/tree"
T=$tmp/tree
cd "$T"
flags=(-D__KERNEL__ -Iinclude -Iarch/x86/include)
sha_before=$(find . -type f ! -name .ccgate ! -name '.ccgate-baseline.json' -print0 | sort -z | xargs -0 sha256sum | sha256sum)

# precedence: file < environment < command line, for every verb that reads it
cat >.ccgate <<'EOC'
# the sample's accepted state: no gate rule here

--disable cc-virt-gate
	--quiet
EOC
expect "sweep: .ccgate disables the rule" 0 0 "$CCGATE" sweep .
[ ! -s "$tmp/err" ] && ok "sweep: .ccgate's --quiet (indented) is read" || bad "--quiet from .ccgate: $(cat "$tmp/err")"
expect "sweep: CCGATE_OPTIONS overrides .ccgate" 1 1 env CCGATE_OPTIONS='--enable cc-virt-gate' "$CCGATE" sweep .
expect "sweep: the command line overrides CCGATE_OPTIONS" 0 0 env CCGATE_OPTIONS='--enable cc-virt-gate' "$CCGATE" sweep --disable cc-virt-gate .
expect "sweep: the command line overrides .ccgate" 1 1 "$CCGATE" sweep --enable cc-virt-gate .
expect "sweep: --no-config ignores .ccgate" 1 1 "$CCGATE" sweep --no-config .
expect "check reads the tree's .ccgate" 0 0 "$CCGATE" check arch/x86/virt/hw.c
expect "check --tree reads it too" 0 0 "$CCGATE" check --tree . arch/x86/virt/hw.c
expect "the slot reads .ccgate's --disable" 0 0 "$CCGATE" "${flags[@]}" arch/x86/virt/hw.c
expect "the slot: CHECK= options override .ccgate" 0 1 "$CCGATE" --enable cc-virt-gate "${flags[@]}" arch/x86/virt/hw.c
expect "the slot: --no-config" 0 1 "$CCGATE" --no-config "${flags[@]}" arch/x86/virt/hw.c
(cd / && expect "sweep TREE reads TREE's .ccgate, not the current directory's" 0 0 "$CCGATE" sweep "$T")

# the slot takes from the file what chooses findings, not what changes the build
printf -- '--fail-on=error\n--format=json\n--jobs 3\n' >.ccgate
expect "the slot ignores .ccgate's --fail-on, --format and --jobs" 0 1 "$CCGATE" -Wp,-MMD,arch/x86/virt/.hw.o.d "${flags[@]}" arch/x86/virt/hw.c
[ ! -e arch/x86/virt/hw.o.ccgate.json ] && ok "no JSON file from .ccgate's --format" || bad "the slot wrote JSON for .ccgate's --format"
expect "sweep takes .ccgate's --format=json" 1 0 "$CCGATE" sweep .
grep -q '"tool": "ccgate"' "$tmp/out" && ok "sweep's output is JSON" || bad "not JSON: $(head -3 "$tmp/out")"
expect "the slot's own --fail-on still counts" 1 1 "$CCGATE" --fail-on=error "${flags[@]}" arch/x86/virt/hw.c

# an option of another verb in .ccgate is ignored; on the command line an error
printf -- '--engine=both\n--triage\n' >.ccgate
expect "check ignores .ccgate's sweep-only --engine" 1 1 "$CCGATE" check arch/x86/virt/hw.c
"$CCGATE" check --engine=both arch/x86/virt/hw.c >/dev/null 2>&1
[ $? = 2 ] && ok "--engine for check on the command line is still an error" || bad "--engine for check accepted"

# paths in .ccgate are relative to the tree; in CCGATE_OPTIONS to the current directory
mkdir -p conf
cp -r "$SRC/rules" conf/rules
sed -i 's/^enabled: true/enabled: false/' conf/rules/cc-virt-gate.yaml
printf -- '--rules conf/rules\n' >.ccgate
(cd / && expect "--rules in .ccgate is relative to the tree" 0 0 "$CCGATE" sweep "$T")
rm .ccgate
(cd conf && expect "--rules in CCGATE_OPTIONS is relative to the current directory" 0 0 env CCGATE_OPTIONS="--rules rules" "$CCGATE" sweep "$T")
expect "CCGATE_OPTIONS takes shell quoting" 0 0 env CCGATE_OPTIONS="--rules 'conf/rules' --quiet" "$CCGATE" sweep .

# .ccgate-baseline.json at the root is the default baseline
"$CCGATE" baseline write --reason "accepted in the test" .ccgate-baseline.json . 2>/dev/null
expect "sweep loads .ccgate-baseline.json by default" 0 0 "$CCGATE" sweep .
expect "--no-config ignores .ccgate-baseline.json" 1 1 "$CCGATE" sweep --no-config .
expect "the slot loads .ccgate-baseline.json" 0 0 "$CCGATE" "${flags[@]}" arch/x86/virt/hw.c
expect "the slot: --no-config" 0 1 "$CCGATE" --no-config "${flags[@]}" arch/x86/virt/hw.c
printf '{"ccgate-baseline": 1, "accepted": []}\n' >"$tmp/empty-baseline.json"
expect "--baseline FILE replaces the default one" 1 1 "$CCGATE" sweep --baseline "$tmp/empty-baseline.json" .
expect "the slot's --baseline FILE replaces it too" 0 1 "$CCGATE" --baseline "$tmp/empty-baseline.json" "${flags[@]}" arch/x86/virt/hw.c
rm .ccgate-baseline.json

# --exclude: a directory or a file of the tree, repeatable, from any source
expect "--exclude DIR" 0 0 "$CCGATE" sweep --exclude arch/x86/virt/ .
expect "--exclude FILE" 0 0 "$CCGATE" sweep --exclude ./arch/x86/virt/hw.c .
# an excluded file is not even read: the sweep counts it out of scope
"$CCGATE" sweep --exclude arch/x86/virt/hw.c . >/dev/null 2>"$tmp/err"
grep -q ', 0 failed, 1 out of scope; 0 findings' "$tmp/err" &&
	ok "--exclude: the file is out of scope, not parsed" ||
	bad "--exclude: $(grep '^ccgate:' "$tmp/err")"
expect "--exclude of a prefix that is no directory keeps the finding" 1 1 "$CCGATE" sweep --exclude arch/x86/vir .
expect "--exclude elsewhere keeps the finding" 1 1 "$CCGATE" sweep --exclude drivers --exclude arch/x86/kvm .
printf -- '--exclude arch/x86/virt\n' >.ccgate
expect "the slot takes .ccgate's --exclude" 0 0 "$CCGATE" "${flags[@]}" arch/x86/virt/hw.c
rm .ccgate

# the slot: -fdiagnostic-prefix as sparse's (bare: the checker's name)
expect "-fdiagnostic-prefix" 0 1 "$CCGATE" -fdiagnostic-prefix "${flags[@]}" arch/x86/virt/hw.c
grep -qE '^arch/x86/virt/hw\.c:[0-9]+:[0-9]+: ccgate: error: .*\[cc-virt-gate\]$' "$tmp/err" &&
	ok "the bare prefix is 'ccgate: '" || bad "bare prefix: $(cat "$tmp/err")"
expect "-fdiagnostic-prefix=X" 0 1 "$CCGATE" -fdiagnostic-prefix=ccg -fdiagnostic-prefix=bot "${flags[@]}" arch/x86/virt/hw.c
grep -qE '^arch/x86/virt/hw\.c:[0-9]+:[0-9]+: bot: error: ' "$tmp/err" &&
	ok "=X, the last one wins" || bad "=X: $(cat "$tmp/err")"
expect "no -fdiagnostic-prefix: no prefix" 0 1 "$CCGATE" "${flags[@]}" arch/x86/virt/hw.c
grep -qE '^arch/x86/virt/hw\.c:[0-9]+:[0-9]+: error: ' "$tmp/err" && ok "no prefix" || bad "no prefix: $(cat "$tmp/err")"

# --chain=CMD: any checker taking the same argv, its own words first
expect "--chain with sh -c" 0 1 "$CCGATE" --chain="sh -c 'echo \"chained:\" \"\$@\" >&2' sh -x" "${flags[@]}" arch/x86/virt/hw.c
grep -qx "chained: -x ${flags[*]} arch/x86/virt/hw.c" "$tmp/err" &&
	ok "the chained command got its words, then the untouched argv" || bad "chained argv: $(cat "$tmp/err")"
expect "--chain's failure is the status" 5 1 "$CCGATE" --chain="sh -c 'exit 5'" "${flags[@]}" arch/x86/virt/hw.c
expect "--chain=sparse runs sparse" 0 1 "$CCGATE" --chain=sparse "${flags[@]}" arch/x86/virt/hw.c

# --format=json: one document per file, named after kbuild's object
mkdir -p "$tmp/obj/arch/x86/virt"
(cd "$tmp/obj" && "$CCGATE" --format=json -Wp,-MMD,arch/x86/virt/.hw.o.d -D__KERNEL__ -I"$T/include" \
	-I"$T/arch/x86/include" "$T/arch/x86/virt/hw.c" 2>"$tmp/err")
status=$?
j=$tmp/obj/arch/x86/virt/hw.o.ccgate.json
[ "$status" = 0 ] && [ ! -s "$tmp/err" ] &&
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); f = d["findings"]; assert len(f) == 1 and f[0]["rule"] == "cc-virt-gate" and f[0]["file"] == "arch/x86/virt/hw.c", d' "$j" &&
	ok "--format=json writes OBJ.ccgate.json in the build directory, nothing on stderr" ||
	bad "--format=json: exit $status, $(cat "$tmp/err"), $(ls -R "$tmp/obj")"
(cd "$tmp/obj" && "$CCGATE" --format=json -Wp,-MMD,arch/x86/virt/.types.o.d "$T/include/linux/types.h" 2>"$tmp/err")
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["findings"] == [], d' "$tmp/obj/arch/x86/virt/types.o.ccgate.json" &&
	ok "an unparsed file gets its (empty) document too" || bad "no document for an unparsed file"
"$CCGATE" --format=json "${flags[@]}" arch/x86/virt/hw.c 2>"$tmp/err"
status=$?
[ "$status" = 0 ] && grep -q 'names the object, nothing written$' "$tmp/err" && ! grep -q error "$tmp/err" &&
	ok "without kbuild's dependency file: a warning without 'error', no file" || bad "no object: $status $(cat "$tmp/err")"

sha_after=$(find . -type f ! -name .ccgate ! -name '.ccgate-baseline.json' ! -path './conf/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum)
[ "$sha_before" = "$sha_after" ] && ok "nothing in the tree changed" || bad "the tree changed"

echo "config: $pass passed, $fail failed"
[ "$fail" = 0 ]
