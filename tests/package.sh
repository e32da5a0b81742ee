#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package (issue 17): dpkg-buildpackage -us -uc -b on a copy of
# the source tree (build output lands beside the copy, never in the repo),
# lintian with no error and no warning, then `apt-get install ./ccgate_*.deb`
# on this machine, and, from /usr/bin/ccgate with the source tree hidden
# (an empty tmpfs over it in a private mount namespace): the version, a
# sweep of sample/ whose patch is the golden one, `make C=1 CHECK=ccgate`
# on the configured 6.12 O= build (tests/kernel/lib.sh), `man -w`.
#
# Why a real install and not `dpkg -i --instdir` into a scratch root: apt
# resolves the Depends: line as a user's install does (--instdir checks
# none), and the checks are of /usr/bin/ccgate as a user runs it, make's
# CHECK=ccgate found by PATH.  The library ccgate dlopen()s is invisible to
# dpkg-shlibdeps; the test reads its path out of the installed binary and
# asserts that its package is in Depends:.
# CI machines are fresh and root.  On a developer's machine the package is
# purged afterwards unless ccgate was installed before the test, in which
# case the test refuses to replace it (skip).  Not root: skip (77).
#
# package.sh SOURCE-DIR
set -euo pipefail

src=$(realpath "${1:?usage: package.sh SOURCE-DIR}")
. "$src/tests/testlib.sh"
. "$src/tests/kernel/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "package: skipped: apt-get install needs root" >&2
	exit 77
fi
if dpkg-query -W -f='${Status}' ccgate 2>/dev/null | grep -q 'ok installed'; then
	echo "package: skipped: a ccgate package is installed already; the test does not replace it" >&2
	exit 77
fi
for t in dpkg-buildpackage dh lintian apt-get man; do
	command -v "$t" >/dev/null || { echo "package: '$t' is missing (quickstart's TEST_PACKAGES)" >&2; exit 1; }
done

version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)

# 1. Build from a copy: everything the tree holds but build directories and .git.
mkdir -p "$tmp/b/ccgate"
tar -C "$src" --exclude='./build*' --exclude=./.git --exclude=./debian/build \
	-cf - . | tar -C "$tmp/b/ccgate" -xf -
before=$(cd "$src" && find . -path ./.git -prune -o -path './build*' -prune -o -print | LC_ALL=C sort | sha256sum)
# the suite runs the build's own tests (fixtures, unit, ...) itself: nocheck
if (cd "$tmp/b/ccgate" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	tail -30 "$tmp/build.log"
	bad "dpkg-buildpackage -us -uc -b failed"
	finish
fi
deb=$tmp/b/ccgate_${version}_${arch}.deb
[ -f "$deb" ] && ok "built $(basename "$deb")" || { bad "no $(basename "$deb"): $(ls "$tmp/b")"; finish; }
after=$(cd "$src" && find . -path ./.git -prune -o -path './build*' -prune -o -print | LC_ALL=C sort | sha256sum)
[ "$before" = "$after" ] && ok "the source tree has no new file" || bad "the build left files in $src"

depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
case ", $depends," in
*", libclang1-19,"*|*" libclang1-19 "*) ok "Depends: names libclang1-19 (dlopen()ed): $depends" ;;
*) bad "Depends: lacks libclang1-19: $depends" ;;
esac
for p in coccinelle sparse; do
	case ", $recommends," in
	*", $p,"*) ok "Recommends: $p" ;;
	*) bad "Recommends: lacks $p: $recommends" ;;
	esac
done
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] && ok "package version $version, as debian/changelog" ||
	bad "package version $(dpkg-deb -f "$deb" Version), changelog $version"

# 2. lintian: no error, no warning (info and pedantic tags are printed).
lintian --display-info --color never "$deb" "$tmp/b/ccgate_${version}_${arch}.changes" \
	>"$tmp/lintian.out" 2>"$tmp/lintian.err" || true
grep -v '^running with root privileges is not recommended!$' "$tmp/lintian.err" >&2 || true
sed 's/^/lintian: /' "$tmp/lintian.out"
if grep -Eq '^[EW]: ' "$tmp/lintian.out"; then
	bad "lintian reports errors or warnings"
elif grep -q . "$tmp/lintian.err" && grep -vq '^running with root privileges' "$tmp/lintian.err"; then
	bad "lintian failed"
else
	ok "lintian: no error, no warning ($(grep -c '^[IPX]: ' "$tmp/lintian.out" || true) info tags)"
fi

# 3. apt-get install, and purge on exit.
purge() {
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 \
		ccgate >"$tmp/purge.log" 2>&1 ||
		{ echo "package: could not purge ccgate:" >&2; cat "$tmp/purge.log" >&2; }
	rm -rf "$tmp"
}
trap purge EXIT
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
	"$deb" >"$tmp/apt.log" 2>&1; then
	ok "apt-get install ./$(basename "$deb")"
else
	cat "$tmp/apt.log"
	bad "apt-get install failed"
	finish
fi

# the dlopen()ed libclang: the path compiled in, owned by a package of Depends:
libs=$(grep -ao '/[[:alnum:]/_.-]*libclang[[:alnum:]_.-]*\.so[.0-9]*' /usr/bin/ccgate | sort -u)
[ -n "$libs" ] || bad "no libclang path in /usr/bin/ccgate"
for lib in $libs; do
	owner=$(dpkg -S "$lib" 2>/dev/null | cut -d: -f1 | head -n 1)
	case ", $depends," in
	*", $owner,"*|*", $owner "*) ok "the dlopen()ed $lib is $owner's, in Depends:" ;;
	*) bad "the dlopen()ed $lib belongs to '${owner:-no package}', not in Depends: $depends" ;;
	esac
done

cp -r "$src/sample" "$tmp/tree"
golden=$(cat "$src/sample/golden/x86_svm_init.patch")
hidden() {	# COMMAND...: with an empty tmpfs over the source tree
	if [ -n "$can_hide" ]; then
		unshare -m sh -c 'mount -t tmpfs ccgate-hidden "$0" && exec "$@"' "$src" "$@"
	else
		"$@"
	fi
}
can_hide=
unshare -m sh -c 'mount -t tmpfs ccgate-hidden "$0"' "$tmp/b" 2>/dev/null && can_hide=1
if [ -z "$can_hide" ]; then
	echo "note: no private mount namespace here: the source tree stays visible"
elif hidden test -e "$src/CMakeLists.txt"; then
	bad "the source tree is visible"
else
	ok "the source tree $src is hidden from here on"
fi

where=$(hidden sh -c 'command -v ccgate')
[ "$where" = /usr/bin/ccgate ] && ok "ccgate in PATH is /usr/bin/ccgate" || bad "ccgate in PATH is '$where'"
v=$(cd "$tmp" && hidden ccgate --version)
[ "$v" = "ccgate $version" ] && ok "ccgate --version: $v" || bad "ccgate --version: '$v', package $version"

rc=0
(cd "$tmp" && hidden ccgate sweep -q -j2 --fix-dir fixes tree) >"$tmp/sweep.out" 2>&1 || rc=$?
if [ "$rc" = 1 ] && grep -q "^arch/x86/virt/hw.c:272:7: error: 'x86_svm_init' trusts .*\[cc-virt-gate\]$" "$tmp/sweep.out" &&
   [ "$(cat "$tmp"/fixes/*.patch)" = "$golden" ]; then
	ok "ccgate sweep sample/: exit 1, the finding, the golden patch"
else
	bad "ccgate sweep sample/: exit $rc: $(cat "$tmp/sweep.out")"
fi
rc=0
(cd "$tmp" && hidden ccgate sweep -q --format=json tree) >"$tmp/sweep.json" || rc=$?
jv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$tmp/sweep.json")
[ "$rc" = 1 ] && [ "$jv" = "$version" ] && ok "JSON version $jv" || bad "JSON sweep: exit $rc, version '$jv'"
if command -v spatch >/dev/null; then
	rc=0
	(cd "$tmp" && hidden ccgate sweep --engine=cocci tree) >"$tmp/cocci.out" 2>&1 || rc=$?
	# every semantic patch ran (vc_svm_opcodes.cocci with its module)
	[ "$rc" = 1 ] && grep -q '\[cc-virt-gate\]$' "$tmp/cocci.out" &&
		! grep -q 'error: failed' "$tmp/cocci.out" &&
		ok "ccgate sweep --engine=cocci: the semantic patches of /usr/share/ccgate/cocci" ||
		bad "sweep --engine=cocci: exit $rc: $(cat "$tmp/cocci.out")"
fi

for page in ccgate ccgate-sweep "5 ccgate-rules"; do
	# shellcheck disable=SC2086
	w=$(hidden man -w $page 2>&1 || true)
	case $w in
	/usr/share/man/man?/*) ok "man -w $page: $w" ;;
	*) bad "man -w $page: '$w'" ;;
	esac
done

# man -k: man-db's trigger indexed the pages at install
k=$(hidden man -k ccgate 2>&1 || true)
n=$(printf '%s\n' "$k" | grep -Ec '^ccgate(-[a-z]+)? \([15]\) ' || true)
[ "$n" = 8 ] && ok "man -k ccgate: the 8 pages" || bad "man -k ccgate: $n pages: $k"

# 4. kbuild's checker slot on the configured 6.12: core.o recompiled, so
#    C=1 checks it, and the finding in shared.c (which core.c includes).
ksrc=$(kernel_tree 6.12)
obj=$(kernel_build 6.12)
exec 9>"$obj/.lock"
flock 9
make -s -C "$ksrc" O="$obj" -j"$(nproc)" arch/x86/coco/ >/dev/null
rm -f "$obj/arch/x86/coco/sev/core.o"
rc=0
hidden make -s -C "$ksrc" O="$obj" -j"$(nproc)" C=1 CHECK=ccgate arch/x86/coco/ \
	>"$tmp/kbuild.out" 2>"$tmp/kbuild.err" || rc=$?
if [ "$rc" = 0 ] && [ "$(grep -c '\[vc-svm-opcodes\]$' "$tmp/kbuild.err")" = 1 ] &&
   grep -Eq "/arch/x86/coco/sev/shared\.c:[0-9]+:[0-9]+: error: 'vc_check_opcode_bytes' .*\[vc-svm-opcodes\]$" "$tmp/kbuild.err" &&
   [ -s "$obj/arch/x86/coco/sev/core.o" ]; then
	ok "make C=1 CHECK=ccgate on 6.12: core.o rebuilt and checked, the finding once in shared.c"
else
	bad "make C=1 CHECK=ccgate on 6.12: exit $rc: $(tail -5 "$tmp/kbuild.err")"
fi
finish
