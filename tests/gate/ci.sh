#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The formats of other tools' contracts, on the real git history of lib.sh:
# --format=checkpatch read as b4 reads a check command (b4-check.py),
# `ccgate patch` on a patch the tree already holds and on a series that
# partly does not apply, --format=codeclimate against GitLab's documented
# fields, --format=github read as the runner reads workflow commands
# (gh-commands.py) with ',', ':' and a newline in a file name, and the
# mails' tool paragraph, base-commit and prerequisite-patch-id against
# git format-patch --base, and --cc-maintainers.
# Usage: ci.sh CCGATE SOURCE-DIR
set -uo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(dirname "$(realpath "$0")")
. "$here/lib.sh"
. "$here/../expect2.sh"
make_repo
cd "$REPO" || exit 2
mkdir "$tmp/p" "$tmp/base"
git format-patch -q -o "$tmp/p" "$C1..$C3"
p2=$(ls "$tmp"/p/0001-*.patch) p3=$(ls "$tmp"/p/0002-*.patch)
git archive "$C1" | tar -x -C "$tmp/base"
gate_line=$(grep -n 'if (!cpu_feature_enabled' arch/x86/virt/hw.c | cut -d: -f1)

# --- checkpatch lines, b4's way: C2's mail on the base tree, on stdin
out=$(cd "$tmp/base" && "$CCGATE" patch --format=checkpatch - <"$p2" 2>"$tmp/err"); st=$?
check_status "checkpatch: a finding is exit 1" 1 $st
[ ! -s "$tmp/err" ] && ok "checkpatch: nothing on stderr" || bad "stderr: $(cat "$tmp/err")"
case $out in "arch/x86/virt/hw.c:$((gate_line - 1)): ERROR:CC_VIRT_GATE: 'x86_svm_init' trusts"*)
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok "checkpatch: one --terse line" ||
		bad "lines: $out";;
*) bad "checkpatch line: $out";; esac
b4=$(python3 "$here/b4-check.py" "$tmp/base" "$p2" "$CCGATE" patch --format=checkpatch -)
case $b4 in "fail: ccgate: arch/x86/virt/hw.c:"*"ERROR:CC_VIRT_GATE:"*"worst: fail"*"review: fail")
	ok "b4 counts the finding as an error";;
*) bad "b4: $b4";; esac

# a stale baseline entry is a warning on stderr, which b4 takes for a
# failure: in checkpatch's format it is left out
"$CCGATE" baseline write -q "$tmp/bl.json" . 2>/dev/null
python3 - "$tmp/bl.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["accepted"]:
    e["function"] = "fixture_gone"
json.dump(d, open(sys.argv[1], "w"))
PY
(cd "$tmp/base" && "$CCGATE" patch --baseline "$tmp/bl.json" - <"$p2" >/dev/null 2>"$tmp/err")
grep -q 'stale entry' "$tmp/err" && ok "a stale baseline entry: warned in text" ||
	bad "no stale warning: $(cat "$tmp/err")"
(cd "$tmp/base" && "$CCGATE" patch --format=checkpatch --baseline "$tmp/bl.json" - <"$p2" >/dev/null 2>"$tmp/err")
[ ! -s "$tmp/err" ] && ok "checkpatch: a stale baseline entry writes nothing on stderr" ||
	bad "stderr: $(cat "$tmp/err")"

# --- a patch already in the tree (b4 prep --check: the commit is HEAD)
b4=$(python3 "$here/b4-check.py" "$REPO" "$p2" "$CCGATE" patch --format=checkpatch -)
case $b4 in "fail: ccgate: arch/x86/virt/hw.c:$gate_line: ERROR:"*"worst: fail"*)
	ok "patch already applied: the tree is its patched side";;
*) bad "already applied: $b4";; esac
b4=$(python3 "$here/b4-check.py" "$REPO" "$p3" "$CCGATE" patch --format=checkpatch -)
case $b4 in "success: ccgate: passed all checks"*"worst: success"*)
	ok "C3 already applied: passed all checks";;
*) bad "C3 applied: $b4";; esac
[ -z "$(git status --porcelain)" ] && ok "the work tree is left as it was" ||
	bad "patch wrote into the work tree"

# --- a series whose middle patch does not apply: skipped, with the reason
sed -e 's/^Subject: .*/Subject: [PATCH 2\/3] x86\/virt: Touch a missing line/' \
    -e 's/^-static struct x86_virt_ops virt_ops;/-static struct x86_virt_ops gone_ops;/' \
    -e 's/^ static struct x86_virt_ops virt_ops;/ static struct x86_virt_ops gone_ops;/' "$p3" >"$tmp/bad.patch"
cat "$p2" "$tmp/bad.patch" "$p3" >"$tmp/series.mbox"
b4=$(python3 "$here/b4-check.py" "$tmp/base" "$tmp/bad.patch" "$CCGATE" patch --format=checkpatch -)
case $b4 in "fail: ccgate: ccgate: error: '-' does not apply to"*"worst: fail"*)
	ok "b4: a lone patch that does not apply is a failure";;
*) bad "b4 on a patch that does not apply: $b4";; esac
"$CCGATE" patch --tree "$tmp/base" "$tmp/series.mbox" >"$tmp/out" 2>"$tmp/err"; st=$?
check_status "series with a patch that does not apply: findings still exit 1" 1 $st
grep -q "warning: patch 2/3 'x86/virt: Touch a missing line' skipped: it does not apply: patch failed" "$tmp/err" &&
	ok "the skipped patch is named with git's reason" || bad "skip: $(cat "$tmp/err")"
grep -q "error: 'x86_svm_init' trusts" "$tmp/out" && ok "... and patch 1's finding is reported" ||
	bad "series out: $(cat "$tmp/out")"
git archive "$C2" | (mkdir "$tmp/c2" && tar -x -C "$tmp/c2")
cat "$tmp/bad.patch" >"$tmp/only-bad.mbox"
cat "$p3" >>"$tmp/only-bad.mbox"
"$CCGATE" patch -q --tree "$tmp/c2" "$tmp/only-bad.mbox" >/dev/null 2>&1; st=$?
check_status "series: no finding but a patch skipped is exit 3" 3 $st
out=$("$CCGATE" patch --format=checkpatch --tree "$tmp/c2" "$tmp/only-bad.mbox" 2>"$tmp/err"); st=$?
check_status "series, checkpatch format: the skip is a WARNING line, exit 1" 1 $st
case $out in *": WARNING:CCGATE_PATCH_SKIPPED: patch 1/2 "*) ok "checkpatch: skip line";;
*) bad "checkpatch skip: $out";; esac
"$CCGATE" patch --format=sarif --tree "$tmp/c2" "$tmp/only-bad.mbox" >"$tmp/skip.sarif" 2>/dev/null
python3 - "$tmp/skip.sarif" <<'EOP' && ok "sarif: the skipped patch is a notification" || bad "sarif skip: $(cat "$tmp/skip.sarif")"
import json, sys
inv = json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
n = [x for x in inv["toolExecutionNotifications"] if x["descriptor"]["id"] == "ccgate/patch-skipped"]
assert len(n) == 1 and n[0]["level"] == "warning" and "patch 1/2" in n[0]["message"]["text"], n
EOP

# --- Code Climate: GitLab's documented fields, fingerprints that survive moves
"$CCGATE" sweep --format=codeclimate . >"$tmp/cc3.json" 2>/dev/null; st=$?
check_status "codeclimate: a finding is exit 1" 1 $st
(cd "$tmp/c2" && "$CCGATE" sweep --format=codeclimate . >"$tmp/cc2.json" 2>/dev/null)
if python3 - "$tmp/cc3.json" "$tmp/cc2.json" "$gate_line" <<'EOP'
import json, sys
issues = json.load(open(sys.argv[1]))
moved = json.load(open(sys.argv[2]))
assert isinstance(issues, list) and len(issues) == 1, issues
i = issues[0]
# GitLab: description, check_name, fingerprint, severity, location.path,
# location.lines.begin (an integer)
for k in ("description", "check_name", "fingerprint", "severity"):
    assert isinstance(i[k], str) and i[k], k
assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
assert i["check_name"] == "cc-virt-gate"
assert i["location"]["path"] == "arch/x86/virt/hw.c"
assert type(i["location"]["lines"]["begin"]) is int
assert i["location"]["lines"]["begin"] == int(sys.argv[3])
assert i["type"] == "issue"
# C3 moved the line down one: same fingerprint, another line
assert moved[0]["fingerprint"] == i["fingerprint"], (moved, i)
assert moved[0]["location"]["lines"]["begin"] == int(sys.argv[3]) - 1
EOP
then ok "codeclimate: GitLab's fields; the fingerprint survives a line move"
else bad "codeclimate: $(cat "$tmp/cc3.json")"; fi
"$CCGATE" gate --base "$C1" --format=codeclimate >"$tmp/ccg.json" 2>/dev/null
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a[0]["fingerprint"]==b[0]["fingerprint"]' \
	"$tmp/ccg.json" "$tmp/cc3.json" && ok "codeclimate: gate and sweep agree on the fingerprint" ||
	bad "gate codeclimate: $(cat "$tmp/ccg.json")"

# --- GitHub workflow commands: a file name with ',', ':', '%' and a newline
odd=$'arch/x86/virt/a,b:c%d\ne.c'
mkdir -p "$tmp/gh/arch/x86/virt"
cp -r "$tmp/base/include" "$tmp/base/arch" "$tmp/gh/"
cp arch/x86/virt/hw.c "$tmp/gh/$odd"
(cd "$tmp/gh" && "$CCGATE" sweep -q --format=github .) >"$tmp/gh.out" 2>/dev/null; st=$?
check_status "github: a finding is exit 1" 1 $st
[ "$(grep -c '^::' "$tmp/gh.out")" -eq 1 ] && [ "$(wc -l <"$tmp/gh.out")" -eq 1 ] &&
	ok "github: one command, on one line" || bad "github: $(cat -A "$tmp/gh.out")"
raw=$(sed -n 's/^::error file=\(.*\),line=.*/\1/p' "$tmp/gh.out")
[ "$raw" = 'arch/x86/virt/a%2Cb%3Ac%25d%0Ae.c' ] &&
	ok "github: the file property is escaped as the toolkit's escapeProperty()" ||
	bad "github: file property '$raw'"
if python3 "$here/gh-commands.py" <"$tmp/gh.out" | python3 -c '
import json, sys
c = [json.loads(l) for l in sys.stdin]
assert len(c) == 1, c
p = c[0]["properties"]
assert c[0]["command"] == "error", c
assert p["file"] == sys.argv[1], (p["file"], sys.argv[1])
assert p["line"] == sys.argv[2] and p["col"] == "7", p
assert p["title"] == "ccgate cc-virt-gate", p
assert c[0]["data"].startswith("\x27x86_svm_init\x27 trusts"), c
' "$odd" "$gate_line"
then ok "github: the runner reads the file name back exactly"
else bad "github parse: $(cat "$tmp/gh.out")"; fi

# --- mails: the tool paragraph, and the base as git format-patch --base writes it
"$CCGATE" gate -q --base "$C1" --format-patch "$tmp/mails" >/dev/null 2>&1
mail=$(ls "$tmp"/mails/*.patch)
grep -q "^Found by ccgate [0-9.]*, a static checker" "$mail" &&
	grep -qx "  ccgate sweep --enable cc-virt-gate" "$mail" &&
	ok "mail: tool, version, rule and how to reproduce" || bad "tool paragraph"
git clone -q "$REPO" "$tmp/am"
git -C "$tmp/am" am -q "$mail" && ok "git am applies the mail" || bad "git am"
git -C "$tmp/am" format-patch -q --base="$C1" -1 HEAD -o "$tmp/ref"
diff <(sed -n '/^base-commit:/,/^-- $/p' "$tmp"/ref/*.patch) \
     <(sed -n '/^base-commit:/,/^-- $/p' "$mail") >"$tmp/d" &&
	[ -s "$tmp/ref/$(ls "$tmp/ref")" ] && grep -q "^prerequisite-patch-id:" "$mail" &&
	ok "base-commit and prerequisite-patch-id are git format-patch --base's" ||
	bad "base: $(cat "$tmp/d")"
"$CCGATE" sweep -q --format-patch "$tmp/mails-sw" . >/dev/null 2>&1
grep -qx "base-commit: $(git rev-parse HEAD)" "$tmp"/mails-sw/*.patch &&
	! grep -q "^prerequisite-patch-id:" "$tmp"/mails-sw/*.patch &&
	ok "sweep's mail: base-commit HEAD, no prerequisite" || bad "sweep base"

# --- a series: two findings in one function whose patches share lines (a
# wrong constant, the missing cases after the last "break;"); git am
# applies the mails in order, to what the semantic patch makes of the file.
# The two are numbered as format-patch numbers a series, each with its own
# subject, after a cover letter (git am takes the patches, not the cover);
# the fix of another file (missing.c) is a mail of its own
mkdir -p "$tmp/two/arch/x86/coco" "$tmp/two/include/linux"
cp "$SRC/tests/fixtures/vc-svm-opcodes/include/vc-stub.h" "$tmp/two/include/"
cp "$SRC/tests/fixtures/vc-svm-opcodes/wrong-no-default.c" \
	"$SRC/tests/fixtures/vc-svm-opcodes/missing.c" "$tmp/two/arch/x86/coco/"
touch "$tmp/two/include/linux/kconfig.h"
id="-c user.name=Ada -c user.email=ada@example.org"
(cd "$tmp/two" && git init -q && git add -A && git $id commit -qm base &&
	"$CCGATE" sweep -q --format-patch "$tmp/mails-two" --from "Ada <ada@example.org>" . \
		>/dev/null 2>&1
	for m in "$tmp"/mails-two/*.patch; do
		case $m in *-cover-letter.patch) continue ;; esac
		git $id am -q "$m" || exit 1
	done) &&
	[ "$(ls "$tmp/mails-two" | wc -l)" = 4 ] &&
	cmp -s "$tmp/two/arch/x86/coco/wrong-no-default.c" \
		"$SRC/tests/cocci/vc_svm_opcodes/wrong-no-default.res" &&
	ok "a series whose patches share lines applies in order" ||
	bad "series sharing lines: $(ls "$tmp/mails-two" 2>&1)"
grep -h "^Subject:" "$tmp"/mails-two/*.patch >"$tmp/subjects"
diff -u - "$tmp/subjects" <<'EOS' && ok "a series is numbered, each with its subject; another file's fix stands alone" ||
Subject: [PATCH] x86/coco: Accept SVM instruction intercepts in the #VC handler
Subject: [PATCH 0/2] x86/coco: Accept SVM instruction intercepts in the #VC handler
Subject: [PATCH 1/2] x86/coco: Accept SVM instruction intercepts in the #VC handler
Subject: [PATCH 2/2] x86/coco: Correct the VMMCALL opcode bytes in the #VC handler
EOS
	bad "series subjects: $(cat "$tmp/subjects")"
# format-patch --cover-letter --base writes the base in the cover letter
[ "$(grep -c '^base-commit:' "$tmp"/mails-two/*.patch | cut -d: -f2 | tr '\n' ' ')" = "1 1 0 0 " ] &&
	ok "base-commit: in a lone mail and the series' cover letter" ||
	bad "base-commit per mail: $(grep -c '^base-commit:' "$tmp"/mails-two/*.patch)"
# the cover letter's shortlog, diffstat and base are git format-patch
# --cover-letter --base's for the series applied alone; each patch's
# diffstat is format-patch's (72 columns: the graph scaled)
cover=$(ls "$tmp"/mails-two/*-cover-letter.patch)
git clone -q "$tmp/two" "$tmp/two-ref"
(cd "$tmp/two-ref" && git checkout -q HEAD~3 &&
	for m in $(ls "$tmp"/mails-two/*.patch | sed -n '3,4p'); do git $id am -q "$m" || exit 1; done &&
	git format-patch -q --cover-letter --base=HEAD~2 -2 HEAD -o "$tmp/two-fp") &&
	diff <(sed -n '/^Ada (2):/,/^-- $/p' "$tmp"/two-fp/0000-cover-letter.patch) \
	     <(sed -n '/^Ada (2):/,/^-- $/p' "$cover") >"$tmp/d" &&
	grep -q '^Ada (2):$' "$cover" &&
	diff <(sed -n '/^---$/,/^diff/p' "$tmp"/two-fp/0001-*.patch) \
	     <(sed -n '/^---$/,/^diff/p' "$(ls "$tmp"/mails-two/*.patch | sed -n 3p)") >>"$tmp/d" &&
	ok "the cover letter's shortlog, diffstat and base and a patch's diffstat are format-patch's" ||
	bad "cover letter: $(cat "$tmp/d")"
# with --cc-maintainers the cover letter is Cc'ed to the series' maintainers
mkdir -p "$tmp/three/scripts"
cp -r "$tmp/two-ref/include" "$tmp/three/"
git -C "$tmp/two" show HEAD~3:arch/x86/coco/wrong-no-default.c >"$tmp/three/vc.c"
mkdir -p "$tmp/three/arch/x86/coco" && mv "$tmp/three/vc.c" "$tmp/three/arch/x86/coco/wrong-no-default.c"
cat >"$tmp/three/scripts/get_maintainer.pl" <<'EOPL'
#!/usr/bin/perl
print "Coco Maintainer <coco\@example.org>\n" if "@ARGV" =~ /-f arch\/x86\/coco\/wrong-no-default.c/;
EOPL
(cd "$tmp/three" && git init -q && git add -A && git $id commit -qm base &&
	"$CCGATE" sweep -q --format-patch "$tmp/mails-three" --cc-maintainers \
		--from "Ada <ada@example.org>" . >/dev/null 2>&1)
[ "$(grep -l '^Cc: Coco Maintainer <coco@example.org>$' "$tmp"/mails-three/*.patch | wc -l)" = 3 ] &&
	grep -q '^Cc: Coco' "$tmp"/mails-three/*-cover-letter.patch &&
	ok "--cc-maintainers: the cover letter and each patch of the series" ||
	bad "series Cc: $(grep -c '^Cc:' "$tmp"/mails-three/*.patch)"

# --- --cc-maintainers: the tree's get_maintainer.pl, only when trusted
git checkout -q -b maint
mkdir -p scripts
cat >scripts/get_maintainer.pl <<'EOPL'
#!/usr/bin/perl
# a stand-in that answers as get_maintainer.pl --no-rolestats does
print "Vi Maintainer <vi\@example.org>\nx86\@kernel.org\n" if "@ARGV" =~ /--no-git .*-f arch\/x86\/virt\/hw.c/;
EOPL
chmod 755 scripts/get_maintainer.pl
git add scripts && git commit -qm "scripts: Add get_maintainer.pl"
M=$(git rev-parse HEAD)
"$CCGATE" sweep -q --format-patch "$tmp/mails-cc" --cc-maintainers . >/dev/null 2>&1
grep -q "^Cc: Vi Maintainer <vi@example.org>,$" "$tmp"/mails-cc/*.patch &&
	grep -qx "    x86@kernel.org" "$tmp"/mails-cc/*.patch &&
	ok "--cc-maintainers: Cc: from get_maintainer.pl" || bad "cc: $(grep -A1 ^Cc "$tmp"/mails-cc/*.patch)"
"$CCGATE" sweep -q --format-patch "$tmp/mails-nocc" . >/dev/null 2>&1
! grep -q "^Cc: Vi" "$tmp"/mails-nocc/*.patch && ok "no Cc: without --cc-maintainers" ||
	bad "Cc: by default"
echo 'print "Evil <evil@example.org>\n";' >>scripts/get_maintainer.pl
git commit -qam "scripts: change get_maintainer.pl"
expect2 "--cc-maintainers when the change brings get_maintainer.pl" \
	"$CCGATE" gate --base "$M" --format-patch "$tmp/mails-evil" --cc-maintainers
chmod 777 scripts/get_maintainer.pl
expect2 "--cc-maintainers with a script others may write" \
	"$CCGATE" sweep --format-patch "$tmp/mails-ww" --cc-maintainers .
chmod 755 scripts/get_maintainer.pl
expect2 "--cc-maintainers without --format-patch" "$CCGATE" sweep --cc-maintainers .
git checkout -q master

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
