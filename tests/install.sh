#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `cmake --install` into a prefix and a DESTDIR-staged install: the layout
# (bin/, share/ccgate/{rules,cocci}, share/man/man1 and man5), `man -w`
# finding the pages, and the README's examples run from the prefix with the
# source tree out of reach (hidden under an empty tmpfs in a private mount
# namespace when root can make one): the same output as the build tree's
# binary, and the rule pack read from the prefix (an edit of the installed
# pack shows in `ccgate rules list`).
#
# install.sh BUILD-DIR SOURCE-DIR
set -euo pipefail

build=$(realpath "${1:?usage: install.sh BUILD-DIR SOURCE-DIR}")
src=$(realpath "${2:?usage: install.sh BUILD-DIR SOURCE-DIR}")
. "$src/tests/testlib.sh"
built=$build/plugin/ccgate
prefix=$tmp/p

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
	{ cat "$tmp/install.log"; exit 1; }

layout() {	# ROOT: the installed files, relative to ROOT, sorted
	(cd "$1" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort)
}
want="bin/ccgate
share/ccgate/cocci/cc_virt_gate.cocci
share/ccgate/cocci/vc_svm_opcodes.cocci
share/ccgate/cocci/vc_svm_opcodes.py
share/ccgate/rules/cc-virt-gate.yaml
share/ccgate/rules/template.yaml
share/ccgate/rules/vc-svm-opcodes.yaml
share/ccgate/rules/x86_64.config
share/man/man1/ccgate-baseline.1
share/man/man1/ccgate-check.1
share/man/man1/ccgate-gate.1
share/man/man1/ccgate-patch.1
share/man/man1/ccgate-rules.1
share/man/man1/ccgate-sweep.1
share/man/man1/ccgate.1
share/man/man5/ccgate-rules.5"
got=$(layout "$prefix" | grep -v '^share/ccgate/cocci/README.md$')
if [ "$got" = "$want" ]; then
	ok "cmake --install --prefix: the layout"
else
	bad "cmake --install --prefix: layout differs:"
	diff <(echo "$want") <(echo "$got") || true
fi

# DESTDIR staging, as packagers do: the same files under DESTDIR/PREFIX
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
DESTDIR=$tmp/stage cmake --install "$build" >/dev/null
if [ "$(layout "$tmp/stage$configured")" = "$(layout "$prefix")" ] &&
   [ "$(layout "$tmp/stage")" = "$(layout "$prefix" | sed "s|^|${configured#/}/|")" ]; then
	ok "DESTDIR=... cmake --install: the same files under DESTDIR$configured"
else
	bad "DESTDIR=... cmake --install: not the files of the prefix install under DESTDIR$configured"
fi
if [ -f "$build/Makefile" ]; then
	make -s -C "$build" install DESTDIR="$tmp/stage-make" >/dev/null
	if [ "$(layout "$tmp/stage-make")" = "$(layout "$tmp/stage")" ]; then
		ok "make install DESTDIR=...: the same files"
	else
		bad "make install DESTDIR=...: other files than cmake --install"
	fi
fi

for page in ccgate ccgate-sweep ccgate-check ccgate-gate ccgate-patch \
	    ccgate-baseline "1 ccgate-rules" "5 ccgate-rules"; do
	# shellcheck disable=SC2086
	w=$(MANPATH=$prefix/share/man man -w $page 2>&1 || true)
	case $w in
	"$prefix"/share/man/man?/*) ok "man -w $page: ${w#"$prefix"/}" ;;
	*) bad "man -w $page with MANPATH=PREFIX/share/man: $w" ;;
	esac
done

# The source tree out of reach: an empty tmpfs over it in a private mount
# namespace (root with unshare), else only a working directory outside it.
# A sanitized build's suppressions and logs live in the trees that are
# hidden: a copy of the suppressions, logs in $tmp, copied back on exit for
# tests/sanitizer/check-logs.sh.
cp -r "$src/sample" "$tmp/tree"
if [ -n "${CCGATE_SANITIZER_LOGS:-}" ]; then
	mkdir -p "$tmp/sanitizer-logs"
	cp "$src/tests/sanitizer/lsan.supp" "$tmp/lsan.supp"
	export LSAN_OPTIONS=${LSAN_OPTIONS//"$src"\/tests\/sanitizer\/lsan.supp/$tmp\/lsan.supp}
	export ASAN_OPTIONS=${ASAN_OPTIONS//"$CCGATE_SANITIZER_LOGS"/$tmp\/sanitizer-logs}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS//"$CCGATE_SANITIZER_LOGS"/$tmp\/sanitizer-logs}
	trap 'cp "$tmp"/sanitizer-logs/* "$CCGATE_SANITIZER_LOGS"/ 2>/dev/null || true; rm -rf "$tmp"' EXIT
fi
can_hide=
mkdir "$tmp/probe"
unshare -m sh -c 'mount -t tmpfs ccgate-hidden "$0"' "$tmp/probe" 2>/dev/null && can_hide=1
hidden() {
	if [ -n "$can_hide" ]; then
		unshare -m sh -c 'mount -t tmpfs ccgate-hidden "$0" && exec "$@"' "$src" "$@"
	else
		"$@"
	fi
}
if [ -z "$can_hide" ]; then
	echo "note: no private mount namespace (not root?): the source tree stays visible"
elif hidden test -e "$src/tests/install.sh"; then
	bad "the source tree is still visible in the mount namespace"
else
	ok "the source tree $src is hidden while the installed ccgate runs"
fi

same() {	# WHAT ARGS...: the installed binary prints what the built one does
	local what=$1 rb=0 ri=0
	shift
	(cd "$tmp" && env -u CCGATE_RULES -u CCGATE_COCCI "$built" "$@") \
		>"$tmp/b.out" 2>"$tmp/b.err" || rb=$?
	(cd "$tmp" && hidden env -u CCGATE_RULES -u CCGATE_COCCI "$prefix/bin/ccgate" "$@") \
		>"$tmp/i.out" 2>"$tmp/i.err" || ri=$?
	if [ "$rb" = "$ri" ] && cmp -s "$tmp/b.out" "$tmp/i.out" &&
	   cmp -s "$tmp/b.err" "$tmp/i.err"; then
		ok "installed 'ccgate $what': exit $ri and the output of the build tree's"
	else
		bad "installed 'ccgate $what': exit $ri (build tree: $rb)"
		diff "$tmp/b.out" "$tmp/i.out" | head -20 || true
		diff "$tmp/b.err" "$tmp/i.err" | head -20 || true
	fi
}
same "--version" --version
same "rules list" rules list
same "sweep --diff" sweep --diff -j2 tree
same "sweep --format=json" sweep -q --format=json -j2 tree
same "sweep --format=sarif" sweep -q --format=sarif -j2 tree
same "(kbuild slot)" --verbose -D__KERNEL__ -Itree/include -Itree/arch/x86/include \
	tree/arch/x86/virt/hw.c
grep -q "/tree/arch/x86/virt/hw.c:272:7: error: .*\[cc-virt-gate\]$" "$tmp/i.err" ||
	bad "the installed kbuild slot found nothing in hw.c"
same "check --tree" check -q --tree tree tree/arch/x86/virt/hw.c
grep -q "^arch/x86/virt/hw.c:.*\[cc-virt-gate\]$" "$tmp/i.out" ||
	bad "the installed check found nothing in hw.c"
if command -v spatch >/dev/null; then
	same "sweep --engine=cocci" sweep -q --engine=cocci -j2 tree
fi

# The pack is the prefix's: an edit of it shows, the build tree's is untouched.
sed -i 's/^summary: .*/summary: read from the installed pack/' \
	"$prefix/share/ccgate/rules/cc-virt-gate.yaml"
(cd "$tmp" && hidden env -u CCGATE_RULES "$prefix/bin/ccgate" rules list) >"$tmp/rules.out"
if grep -q "^cc-virt-gate .* read from the installed pack$" "$tmp/rules.out"; then
	ok "the installed binary reads PREFIX/share/ccgate/rules"
else
	bad "the installed binary did not read PREFIX/share/ccgate/rules: $(cat "$tmp/rules.out")"
fi
# ... also with a stray pack where a build tree would keep one (PREFIX/rules,
# PREFIX/../rules: for /usr/bin/ccgate, /usr/rules and /rules)
for d in "$prefix/rules" "$prefix/../rules"; do
	mkdir -p "$d"
	cp "$src"/rules/*.yaml "$d/"
	sed -i 's/^summary: .*/summary: a stray pack/' "$d/cc-virt-gate.yaml"
done
(cd "$tmp" && hidden env -u CCGATE_RULES "$prefix/bin/ccgate" rules list) >"$tmp/rules.out"
if grep -q "^cc-virt-gate .* read from the installed pack$" "$tmp/rules.out"; then
	ok "the installed binary prefers PREFIX/share/ccgate/rules to a stray rules/"
else
	bad "a stray rules/ won over PREFIX/share/ccgate/rules: $(cat "$tmp/rules.out")"
fi
finish
