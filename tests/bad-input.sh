#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every bad input gets one line on stderr and exit status 2, and the tree is
# never written to.  Usage: bad-input.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$1
SRC=$2
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
fail=0 pass=0

. "$(dirname "$0")/expect2.sh"

mkdir "$tmp/dir"
: >"$tmp/empty.c"
printf 'int x;\0\1\2' >"$tmp/binary.c"
echo 'int x;' >"$tmp/notc.txt"
echo 'int x;' >"$tmp/unreadable.c"
chmod 000 "$tmp/unreadable.c"
mkdir "$tmp/rules"
cp "$SRC"/rules/*.yaml "$tmp/rules/"
printf 'id: cc-virt-gate\nseverity: fatal\n' >"$tmp/rules/cc-virt-gate.yaml"

expect2 "nonexistent file" "$CCGATE" check "$tmp/nope.c"
expect2 "nonexistent tree" "$CCGATE" sweep "$tmp/nope"
expect2 "directory given to check" "$CCGATE" check "$tmp/dir"
expect2 "file given to sweep" "$CCGATE" sweep "$tmp/empty.c"
expect2 "empty file" "$CCGATE" check "$tmp/empty.c"
expect2 "binary file" "$CCGATE" check "$tmp/binary.c"
expect2 "not a C file" "$CCGATE" check "$tmp/notc.txt"
expect2 "bad --file-memory" "$CCGATE" sweep --file-memory 12X "$SRC/sample"
expect2 "negative --file-memory" "$CCGATE" sweep --file-memory -1 "$SRC/sample"
expect2 "--file-memory too large" "$CCGATE" sweep --file-memory 99999999999G "$SRC/sample"
if [ "$(id -u)" != 0 ]; then
	expect2 "unreadable file" "$CCGATE" check "$tmp/unreadable.c"
else
	# root reads anything: drop privileges if possible, else note it
	if command -v setpriv >/dev/null; then
		chmod 755 "$tmp"
		expect2 "unreadable file" setpriv --reuid=65534 --regid=65534 --clear-groups "$CCGATE" check "$tmp/unreadable.c"
	fi
fi
expect2 "unknown option" "$CCGATE" sweep --bogus "$SRC/sample"
expect2 "unknown verb" "$CCGATE" frobnicate
expect2 "bad --format" "$CCGATE" sweep --format=xml "$SRC/sample"
expect2 "bad -j" "$CCGATE" sweep -j many "$SRC/sample"
expect2 "unknown rule" "$CCGATE" sweep --enable no-such-rule "$SRC/sample"
expect2 "malformed rule file" "$CCGATE" sweep --rules "$tmp/rules" "$SRC/sample"
mkdir "$tmp/rules-empty"
cp "$SRC"/rules/*.yaml "$tmp/rules-empty/"
printf '# only a comment\n' >"$tmp/rules-empty/vc-svm-opcodes.yaml"
expect2 "rule file of comments only" "$CCGATE" sweep --rules "$tmp/rules-empty" "$SRC/sample"
expect2 "missing rule dir" "$CCGATE" sweep --rules "$tmp/none" "$SRC/sample"

# compile_commands.json
printf '[{"directory": "/", "file": "a.c", "command": "gcc -c a.c"' >"$tmp/cc-truncated.json"
printf '{"directory": "/"}' >"$tmp/cc-object.json"
printf '[]' >"$tmp/cc-empty.json"
printf '[{"directory": "/", "command": "gcc -c a.c"}]' >"$tmp/cc-nofile.json"
printf '[{"directory": "/", "file": "a.c", "command": "gcc -DX=\x27a -c a.c"}]' >"$tmp/cc-quote.json"
printf '[{"directory": "/", "file": "a.c", "command": "gcc -c"}]' >"$tmp/cc-nosource.json"
expect2 "compdb: missing" "$CCGATE" sweep --compdb "$tmp/nope.json" "$SRC/sample"
expect2 "compdb: truncated JSON" "$CCGATE" sweep --compdb "$tmp/cc-truncated.json" "$SRC/sample"
expect2 "compdb: not an array" "$CCGATE" sweep --compdb "$tmp/cc-object.json" "$SRC/sample"
expect2 "compdb: empty" "$CCGATE" sweep --compdb "$tmp/cc-empty.json" "$SRC/sample"
expect2 "compdb: entry without file" "$CCGATE" sweep --compdb "$tmp/cc-nofile.json" "$SRC/sample"
expect2 "compdb: unterminated quote" "$CCGATE" sweep --compdb "$tmp/cc-quote.json" "$SRC/sample"
expect2 "compdb: command without source" "$CCGATE" sweep --compdb "$tmp/cc-nosource.json" "$SRC/sample"
expect2 "compdb: binary file" "$CCGATE" sweep --compdb "$tmp/binary.c" "$SRC/sample"
# kbuild slot
expect2 "kbuild: no source" "$CCGATE" -D__KERNEL__ -O2
expect2 "kbuild: missing source" "$CCGATE" -D__KERNEL__ "$tmp/nope.c"
expect2 "kbuild: bad --fail-on" "$CCGATE" --fail-on=fatal -D__KERNEL__ "$tmp/empty.c"
expect2 "kbuild: bad --chain" "$CCGATE" --chain=smatch -D__KERNEL__ "$tmp/empty.c"
# any name is a source for the slot (kbuild's probe), but it must be readable
expect2 "kbuild: missing path without suffix" "$CCGATE" "$tmp/tmp.nope"
expect2 "kbuild: missing path after options" "$CCGATE" --arch=x86 -m64 "$tmp/tmp.nope"
expect2 "kbuild: directory as source" "$CCGATE" -D__KERNEL__ "$tmp/dir"
expect2 "kbuild: two sources" "$CCGATE" -D__KERNEL__ "$tmp/empty.c" -
expect2 "unknown command, not a path" "$CCGATE" swep

# .ccgate, CCGATE_OPTIONS and the slot's options (tests/config.sh has the
# good cases): each malformed line is one error line naming it, exit 2
unset CCGATE_OPTIONS
cp -r "$SRC/sample" "$tmp/conf"
C=$tmp/conf
kflags=(-D__KERNEL__ -I"$C/include" -I"$C/arch/x86/include")
conf() {
	local what=$1 text=$2
	shift 2
	printf '%b' "$text" >"$C/.ccgate"
	expect2 ".ccgate: $what (sweep)" "$CCGATE" sweep "$C"
	expect2 ".ccgate: $what (check)" "$CCGATE" check "$C/arch/x86/virt/hw.c"
	expect2 ".ccgate: $what (slot)" "$CCGATE" "${kflags[@]}" "$C/arch/x86/virt/hw.c"
	grep -q "\.ccgate:[0-9]*: " "$tmp/err" || { echo "FAIL: .ccgate: $what: no line number: $(cat "$tmp/err")"; fail=$((fail + 1)); }
}
conf "unknown option" '--quiet\n--no-such-option\n'
conf "not an option" 'disable cc-virt-gate\n'
conf "a short option" '-q\n'
conf "a bare --" '--\n'
conf "missing value" '--rules\n'
conf "empty value" '--baseline=\n'
conf "value for a flag" '--quiet=yes\n'
conf "command-line-only --apply" '--apply\n'
conf "command-line-only --fix-dir" '--fix-dir out\n'
conf "command-line-only --no-config" '--no-config\n'
conf "command-line-only --chain" '--chain=sparse\n'
conf "bad --exclude" '--exclude ../elsewhere\n'
conf "unknown rule" '--enable no-such-rule\n'
printf -- '--baseline no-such.json\n' >"$C/.ccgate"
expect2 ".ccgate: missing --baseline (sweep)" "$CCGATE" sweep "$C"
expect2 ".ccgate: missing --baseline (slot)" "$CCGATE" "${kflags[@]}" "$C/arch/x86/virt/hw.c"
printf -- '--format=xml\n' >"$C/.ccgate"
expect2 ".ccgate: bad --format value" "$CCGATE" sweep "$C"
printf -- '--jobs many\n' >"$C/.ccgate"
expect2 ".ccgate: bad --jobs value" "$CCGATE" sweep "$C"
printf -- '--quiet\n\0\n' >"$C/.ccgate"
expect2 ".ccgate with a NUL byte" "$CCGATE" sweep "$C"
rm "$C/.ccgate"
mkdir "$C/.ccgate"
expect2 ".ccgate that is a directory" "$CCGATE" sweep "$C"
rmdir "$C/.ccgate"
mkfifo "$C/.ccgate"
expect2 ".ccgate that is a FIFO (never opened)" timeout 10 "$CCGATE" sweep "$C"
rm "$C/.ccgate"
ln -s /etc/passwd "$C/.ccgate"
expect2 ".ccgate that is a symbolic link" "$CCGATE" sweep "$C"
rm "$C/.ccgate"
printf '{"ccgate-baseline": 2}' >"$C/.ccgate-baseline.json"
expect2 "malformed default .ccgate-baseline.json" "$CCGATE" sweep "$C"
expect2 "malformed default .ccgate-baseline.json (slot)" "$CCGATE" "${kflags[@]}" "$C/arch/x86/virt/hw.c"
rm "$C/.ccgate-baseline.json"
mkfifo "$C/.ccgate-baseline.json"
expect2 ".ccgate-baseline.json that is a FIFO" timeout 10 "$CCGATE" sweep "$C"
rm "$C/.ccgate-baseline.json"
expect2 "CCGATE_OPTIONS: unknown option" env CCGATE_OPTIONS='--bogus' "$CCGATE" sweep "$C"
expect2 "CCGATE_OPTIONS: not an option" env CCGATE_OPTIONS='-q' "$CCGATE" sweep "$C"
expect2 "CCGATE_OPTIONS: unterminated quote" env CCGATE_OPTIONS="--rules 'x" "$CCGATE" sweep "$C"
expect2 "CCGATE_OPTIONS: missing value" env CCGATE_OPTIONS='--rules' "$CCGATE" sweep "$C"
expect2 "CCGATE_OPTIONS: --apply" env CCGATE_OPTIONS='--apply' "$CCGATE" sweep "$C"
expect2 "--exclude outside the tree" "$CCGATE" sweep --exclude /etc "$C"
expect2 "slot: chained program missing" "$CCGATE" --chain=no-such-checker "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: chained command empty" "$CCGATE" --chain= "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: chained command with an open quote" "$CCGATE" --chain="sh -c 'x" "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: --format=sarif" "$CCGATE" --format=sarif "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: --format=checkpatch" "$CCGATE" --format=checkpatch "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: --format=github" "$CCGATE" --format=github "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: bad --format" "$CCGATE" --format=xml "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: missing --baseline" "$CCGATE" --baseline "$tmp/nope.json" "${kflags[@]}" "$C/arch/x86/virt/hw.c"
expect2 "slot: --baseline without value" "$CCGATE" --baseline
expect2 "slot: --format=json where the object cannot be written" "$CCGATE" --format=json -Wp,-MMD,"$tmp/nodir/.hw.o.d" "${kflags[@]}" "$C/arch/x86/virt/hw.c"

# the analyzed tree is never written to
cp -r "$SRC/sample" "$tmp/tree"
before=$(cd "$tmp/tree" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
"$CCGATE" sweep --diff -q --fix-dir "$tmp/fixes" "$tmp/tree" >/dev/null
after=$(cd "$tmp/tree" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
if [ "$before" = "$after" ] && ls "$tmp/fixes"/0001-cc-virt-gate-x86_svm_init.patch >/dev/null; then
	echo "ok: sweep leaves the tree unchanged and writes the fix to --fix-dir"
	pass=$((pass + 1))
else
	echo "FAIL: tree changed or fix missing"
	fail=$((fail + 1))
fi
# a tree with no candidate is valid input: exit 0 (UBSan once caught a
# qsort() of the empty list)
mkdir -p "$tmp/nocand/a"
echo 'int x;' >"$tmp/nocand/a/x.c"
for t in "$tmp/nocand/a" "$tmp/nocand"; do
	"$CCGATE" sweep -q "$t" >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -eq 0 ] && [ ! -s "$tmp/err" ]; then
		echo "ok: sweep of a tree without candidates: exit 0"
		pass=$((pass + 1))
	else
		echo "FAIL: sweep of '$t' without candidates: status $st, $(cat "$tmp/err")"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
