#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Untrusted patches, git configs and outputs (issue 9, section 4):
#  - a repository whose .git/config and .gitattributes point every hook,
#    filter, external diff, textconv, pager and fsmonitor at a script that
#    leaves a marker: gate, sweep --format-patch and patch run none of it;
#  - patch refuses paths outside the tree, through a symlink leaving it, or
#    inside .git/: exit 2, one line, nothing written anywhere;
#  - patch's temporary directory is 0700 and gone after SIGINT and SIGTERM;
#  - --fix-dir and --format-patch names stay inside their directory and
#    nothing else there is touched; output goes through a temporary file
#    and a rename, so a full disk (a small tmpfs) is exit 2, one line, and
#    leaves neither a truncated nor a temporary file.
# Usage: hostile.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
mnt=
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	[ -n "${slow_pid:-}" ] && kill "$slow_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
here=$(dirname "$(realpath "$0")")
. "$here/lib.sh"
. "$here/../expect2.sh"
make_repo
export TMPDIR=$tmp/tmpdir
mkdir -p "$TMPDIR"

no_temp_left() {
	if [ -z "$(ls -A "$TMPDIR")" ]; then ok "$1: no temporary file left"
	else bad "$1: left in TMPDIR: $(ls -A "$TMPDIR")"; fi
}

# --- a repository that tries to run code through git ----------------------
marker=$tmp/markers
mkdir "$marker" "$tmp/hooks"
cat >"$tmp/evil.sh" <<EOS
#!/bin/sh
echo "\$0 \$*" >"$marker/\$(date +%s%N)"
cat
EOS
chmod +x "$tmp/evil.sh"
for h in pre-commit post-checkout post-index-change reference-transaction \
	 post-rewrite pre-auto-gc fsmonitor-watchman; do
	cp "$tmp/evil.sh" "$tmp/hooks/$h"
done
evil() { git -C "$REPO" config "$1" "$tmp/evil.sh $1"; }
cd "$REPO" || exit 2
printf '*.c filter=evil diff=evil merge=evil\n*.h filter=evil diff=evil\n' \
	>.gitattributes
git add .gitattributes
git commit -qm "x86/virt: attributes"
for k in core.fsmonitor diff.external filter.evil.clean filter.evil.smudge \
	 filter.evil.process diff.evil.textconv diff.evil.command \
	 merge.evil.driver core.pager pager.log pager.blame pager.diff \
	 gpg.program core.sshCommand core.editor sequence.editor \
	 core.alternateRefsCommand; do
	evil "$k"
done
git config core.hooksPath "$tmp/hooks"
git config log.showSignature true
git config filter.evil.required false
# an edit in the work tree, so blame reads the file through the filter
printf '/* local edit */\n' >>arch/x86/virt/hw.c
# the test's own git commands run no hook
g() {
	git -c core.hooksPath=/dev/null -c filter.evil.process= \
	    -c filter.evil.clean= -c filter.evil.smudge= \
	    -c core.fsmonitor=false -c diff.external= "$@"
}
no_marker() {
	if [ -z "$(ls -A "$marker")" ]; then
		ok "$1: no hook, filter, fsmonitor, external diff, textconv or pager ran"
	else
		bad "$1 let git run: $(cat "$marker"/* | tr '\n' ';')"
	fi
	rm -f "$marker"/*
}
rm -f "$marker"/*

"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/mails1" >/dev/null 2>&1
check_status "gate in the hostile repository finds the gate" 1 $?
no_marker "gate --format-patch"
"$CCGATE" sweep -q --format-patch "$tmp/mails2" . >/dev/null 2>&1
check_status "sweep --format-patch (blame of the work tree) finds it" 1 $?
no_marker "sweep --format-patch"
g diff --no-ext-diff --no-textconv "$C2~1" "$C2" -- arch/x86/virt/hw.c >"$tmp/c2.patch"
g stash -q
g checkout -q "$C1"
rm -f "$marker"/*
"$CCGATE" patch -q --tree . "$tmp/c2.patch" >/dev/null 2>"$tmp/err"
st=$?; check_status "patch in the hostile repository flags the patch" 1 $st; [ $st -eq 1 ] || cat "$tmp/err"
no_marker "patch"
g checkout -q master
g stash pop -q
# the marker script does run when git is allowed to: the test can fail
rm -f "$marker"/*
git diff HEAD >/dev/null 2>&1
[ -n "$(ls -A "$marker")" ] && ok "plain git does run the marker (the test can fail)" ||
	bad "the marker script never ran even for plain git"
rm -f "$marker"/*
for k in core.fsmonitor diff.external filter.evil.clean filter.evil.smudge \
	 filter.evil.process core.hooksPath; do
	git config --unset-all "$k"
done
rm .gitattributes
git commit -qam "x86/virt: no attributes"
no_temp_left "gate and patch"

# --- patches that reach outside the tree ----------------------------------
base=$tmp/base
mkdir -p "$base/arch/x86/virt" "$tmp/outside"
cp arch/x86/virt/hw.c "$base/arch/x86/virt/"
echo 'int secret;' >"$tmp/outside/o.c"
ln -s "$tmp/outside" "$base/arch/x86/out"
ln -s virt "$base/arch/x86/in"
mkdir "$base/.git"
echo '[core]' >"$base/.git/config"
tree_sum() { (cd "$1" && find . -print0 | sort -z | xargs -0 stat -c '%n %s %Y' | sha256sum); }
before=$(tree_sum "$base") outside=$(tree_sum "$tmp/outside")
mkpatch() {	# mkpatch NAME OLD NEW [HEADER-EXTRA]: a diff creating or renaming
	local f=$tmp/$1.patch
	if [ "$2" = /dev/null ]; then
		printf 'diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1 @@\n+int x;\n' \
			"$3" "$3" "$3" >"$f"
	else
		printf 'diff --git a/%s b/%s\nsimilarity index 100%%\n%s from %s\n%s to %s\n' \
			"$2" "$3" "$4" "$2" "$4" "$3" >"$f"
	fi
	echo "$f"
}
expect2 "patch: ../ path" "$CCGATE" patch --tree "$base" "$(mkpatch dotdot /dev/null ../evil.c)"
expect2 "patch: deep ../ path" "$CCGATE" patch --tree "$base" "$(mkpatch dotdot2 /dev/null arch/../../evil.c)"
printf -- '--- /dev/null\n+++ %s/abs.c\n@@ -0,0 +1 @@\n+int x;\n' "$tmp" >"$tmp/abs.patch"
expect2 "patch: absolute path" "$CCGATE" patch --tree "$base" "$tmp/abs.patch"
printf 'diff --git a/arch/x86/out/o.c b/arch/x86/out/o.c\n--- a/arch/x86/out/o.c\n+++ b/arch/x86/out/o.c\n@@ -1 +1 @@\n-int secret;\n+int x;\n' >"$tmp/link.patch"
expect2 "patch: through a symlink leaving the tree" "$CCGATE" patch --tree "$base" "$tmp/link.patch"
expect2 "patch: new file through a symlink leaving the tree" "$CCGATE" patch --tree "$base" "$(mkpatch newlink /dev/null arch/x86/out/new.c)"
expect2 "patch: rename target outside" "$CCGATE" patch --tree "$base" "$(mkpatch ren arch/x86/virt/hw.c ../hw.c rename)"
expect2 "patch: copy target outside" "$CCGATE" patch --tree "$base" "$(mkpatch copy arch/x86/virt/hw.c arch/x86/out/hw.c copy)"
expect2 "patch: into .git/" "$CCGATE" patch --tree "$base" "$(mkpatch git /dev/null .git/hooks/post-checkout)"
expect2 "patch: into .GIT/ (case)" "$CCGATE" patch --tree "$base" "$(mkpatch GIT /dev/null .GIT/config)"
expect2 "patch: rename into .git/" "$CCGATE" patch --tree "$base" "$(mkpatch rengit arch/x86/virt/hw.c .git/hw.c rename)"
status=0
"$CCGATE" patch -q --tree "$base" "$(mkpatch inside /dev/null arch/x86/in/new.c)" >/dev/null 2>&1 || status=$?
check_status "patch: a symlink that stays inside the tree is fine" 0 $status
if [ "$before" = "$(tree_sum "$base")" ] && [ "$outside" = "$(tree_sum "$tmp/outside")" ]; then
	ok "refused patches wrote nothing in the tree or outside it"
else
	bad "a refused patch changed the tree or the outside directory"
fi
no_temp_left "refused patches"

# --- the temporary copy: private, and removed on SIGINT and SIGTERM --------
real_git=$(command -v git)
mkdir "$tmp/slowgit"
cat >"$tmp/slowgit/git" <<EOS
#!/bin/bash
# git apply --whitespace=... (the real application) waits to be interrupted
case " \$* " in *" --whitespace=nowarn "*)
	echo \$\$ >"$tmp/slow.pid"; sleep 60 & wait; exit 1;;
esac
exec "$real_git" "\$@"
EOS
chmod +x "$tmp/slowgit/git"
cp "$base/arch/x86/virt/hw.c" "$tmp/hw.c"
echo '/* more */' >>"$tmp/hw.c"
(cd "$tmp" && git diff --no-index "$base/arch/x86/virt/hw.c" hw.c) |
	sed "s|$base/||g; s|b/hw.c|b/arch/x86/virt/hw.c|" >"$tmp/modify.patch"
for sig in INT TERM; do
	rm -f "$tmp/slow.pid"
	PATH=$tmp/slowgit:$PATH "$CCGATE" patch -q --tree "$base" \
		"$tmp/modify.patch" >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -s "$tmp/slow.pid" ] && break; sleep 0.1; done
	slow_pid=$(cat "$tmp/slow.pid" 2>/dev/null)
	dir=$(ls -d "$TMPDIR"/ccgate-patch-* 2>/dev/null | head -1)
	mode=$(stat -c %a "$dir" 2>/dev/null)
	[ "$mode" = 700 ] && ok "SIG$sig: the temporary directory is 0700" ||
		bad "SIG$sig: temporary directory '$dir' has mode '$mode'"
	[ -n "$(ls -A "$dir/tree" 2>/dev/null)" ] && ok "SIG$sig: it holds the copy" ||
		bad "SIG$sig: no copy in '$dir/tree'"
	kill -s "$sig" "$pid"
	wait "$pid"
	st=$?
	[ $st -eq $((128 + $(kill -l "$sig"))) ] && ok "SIG$sig: patch dies of the signal" ||
		bad "SIG$sig: exit $st"
	kill "$slow_pid" 2>/dev/null
	slow_pid=
	no_temp_left "SIG$sig"
done

# --- output directories: names from the input, nothing else touched -------
cd "$REPO" || exit 2
git checkout -q -b hostile-names "$C3"
sed -i 's/^static __init int x86_svm_init/static __init int x86_svm_init_/' arch/x86/virt/hw.c
git commit -qam '../../../../tmp/escape: x86/virt: a subject that is a path'
# the most common prefix of the file's history names the mail
for i in 1 2 3 4; do
	echo "/* $i */" >>arch/x86/virt/hw.c
	git commit -qam "../../../../tmp/escape: again $i"
done
mkdir -p "$tmp/out"
echo keep >"$tmp/out/README"
ln -s /nonexistent "$tmp/out/0001-cc-virt-gate-x86_svm_init_.patch.tmp"
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/out" --fix-dir "$tmp/out" >/dev/null 2>&1
check_status "gate with a hostile history writes its mails" 1 $?
bad_names=$(cd "$tmp/out" && ls -A | grep -vxE '[0-9]{4}-[A-Za-z0-9_.-]+\.patch|README|0001-cc-virt-gate-x86_svm_init_\.patch\.tmp')
bad_names+=$(cd "$tmp/out" && ls -A | grep -F ..)
ls "$tmp/out" | grep -q -- '-escape-' || bad_names+=" (no mail carries the hostile prefix: the test tests nothing)"
[ -z "$bad_names" ] && ok "every file name is NNNN-<safe>.patch, without '..'" || bad "names: $bad_names"
[ "$(cat "$tmp/out/README")" = keep ] && [ -L "$tmp/out/0001-cc-virt-gate-x86_svm_init_.patch.tmp" ] &&
	ok "nothing else in the directory was touched" || bad "the output directory's other files changed"
[ -z "$(find "$tmp" -name escape\* 2>/dev/null)" ] && ok "no file escaped the directory" ||
	bad "a file escaped: $(find "$tmp" -name escape\*)"
git checkout -q master

# --- a full disk -----------------------------------------------------------
if [ "$(id -u)" = 0 ] && mnt=$tmp/full && mkdir "$mnt" &&
   mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
	mkdir "$mnt/fixes" "$mnt/mails"
	cp -r "$SRC/sample" "$tmp/sample"
	dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
	expect2 "full disk: --fix-dir" "$CCGATE" sweep -q --fix-dir "$mnt/fixes" "$tmp/sample"
	# the findings are printed, then the mail cannot be written
	expect2 "full disk: --format-patch" sh -c '"$0" "$@" >/dev/null' \
		"$CCGATE" sweep -q --format-patch "$mnt/mails" --from 'A <a@b.c>' "$tmp/sample"
	expect2 "full disk: baseline write" "$CCGATE" baseline write "$mnt/bl.json" "$tmp/sample"
	expect2 "full disk: new --fix-dir" "$CCGATE" sweep -q --fix-dir "$mnt/new" "$tmp/sample"
	left=$(cd "$mnt" && find . -mindepth 1 ! -name fill ! -name fixes ! -name mails)
	[ -z "$left" ] && ok "full disk: no truncated or temporary file" || bad "full disk left: $left"
	rm "$mnt/fill"
	"$CCGATE" sweep -q --fix-dir "$mnt/fixes" "$tmp/sample" >/dev/null
	check_status "with space again, --fix-dir works" 1 $?
	umount "$mnt"
	mnt=
else
	echo "skip: full disk (needs root to mount a tmpfs)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
