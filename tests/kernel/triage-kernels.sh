#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Triage on Debian's kernels with Debian's own amd64 configurations
# (linux-config-6.12, linux-config-6.1): the 6.12 shared.c finding and the
# 6.1 virtext.h finding carry their Makefile chains (line numbers read from
# the trees here), their #if context, and the result the configuration
# gives (the symbols read from it here with xzcat); --built-only keeps them
# under Debian's configuration, drops 6.12's without AMD_MEM_ENCRYPT and
# keeps 6.1's without KVM (reboot.c builds it too).  Then tests/triage/triage.sh with 6.12's checkpatch.pl.
# Usage: triage-kernels.sh CCGATE SRC
set -euo pipefail

CCGATE=$(realpath "$1")
SRC=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for v in 6.12 6.1; do
	tree=$(kernel_tree "$v")
	cfg=$(debian_config "$v")
	xzcat "$cfg" >"$tmp/$v.config"
	status=0
	"$CCGATE" sweep -q --triage --config "$cfg" --format=json "$tree" \
		>"$tmp/$v.json" || status=$?
	[ "$status" = 1 ] || die "sweep --triage of $v exited $status"
	python3 - "$v" "$tree" "$tmp/$v.json" "$tmp/$v.config" "$cfg" <<'PY'
import json, re, sys

version, tree, path, config, cfg = sys.argv[1:6]
doc = json.load(open(path))
values = {}
for l in open(config):
    m = re.match(r"(CONFIG_\w+)=(.*)", l)
    if m:
        values[m.group(1)] = m.group(2)
    m = re.match(r"# (CONFIG_\w+) is not set", l)
    if m:
        values[m.group(1)] = "n"

def line_of(rel, pattern):
    """The line of REL matching PATTERN (a regex), exactly once."""
    hits = [i + 1 for i, l in enumerate(open(tree + "/" + rel, errors="replace"))
            if re.search(pattern, l)]
    assert len(hits) == 1, (rel, pattern, hits)
    return hits[0]

def if_depth(rel, line):
    """The #if nesting at LINE of REL, the include guard aside."""
    depth, guard = 0, None
    lines = open(tree + "/" + rel, errors="replace").read().split("\n")
    for i, l in enumerate(lines[:line - 1]):
        d = re.match(r"\s*#\s*(if|ifdef|ifndef|endif)\b\s*(\S*)", l)
        if not d:
            continue
        if d.group(1) == "endif":
            depth -= 1
        else:
            depth += 1
            if guard is None and d.group(1) == "ifndef" and \
               re.match(r"\s*#\s*define\s+%s\b" % re.escape(d.group(2)), lines[i + 1]):
                guard = depth
        guard = guard or 0
    return depth - (1 if guard else 0)

def mk(rel, pattern):
    """REL's line matching PATTERN as a chain entry: "rel:N: text"."""
    n = line_of(rel, pattern)
    text = open(tree + "/" + rel, errors="replace").read().split("\n")[n - 1]
    return "%s:%d: %s" % (rel, n, " ".join(text.split("#")[0].split()))

top = mk("Kbuild", r"^obj-y\s+\+= arch/\$\(SRCARCH\)/")
if version == "6.12":
    f = [f for f in doc["findings"] if f["rule"] == "vc-svm-opcodes"]
    assert len(f) == 1, f
    f = f[0]
    assert f["file"] == "arch/x86/coco/sev/shared.c", f["file"]
    t = f["triage"]
    units = {u["unit"]: u for u in t["units"]}
    assert sorted(units) == ["arch/x86/boot/compressed/sev.c", "arch/x86/coco/sev/core.c"], units
    core = units["arch/x86/coco/sev/core.c"]
    want = [top, mk("arch/x86/Kbuild", r"^obj-\$\(CONFIG_ARCH_HAS_CC_PLATFORM\)\s+\+= coco/"),
            mk("arch/x86/coco/Makefile", r"^obj-\$\(CONFIG_AMD_MEM_ENCRYPT\)\s+\+= sev/"),
            mk("arch/x86/coco/sev/Makefile", r"^obj-y\s+\+= core\.o")]
    assert core["chain"] == want, core["chain"]
    assert core["condition"] == "CONFIG_ARCH_HAS_CC_PLATFORM && CONFIG_AMD_MEM_ENCRYPT", core
    boot = units["arch/x86/boot/compressed/sev.c"]
    cm = "arch/x86/boot/compressed/Makefile"
    for want in (top, mk("arch/x86/boot/Makefile", r"\$\(build\)=\$\(obj\)/compressed"),
                 mk(cm, r"^ifdef CONFIG_X86_64"),
                 mk(cm, r"vmlinux-objs-\$\(CONFIG_AMD_MEM_ENCRYPT\) \+= \$\(obj\)/sev\.o")):
        assert want in boot["chain"], (want, boot["chain"])
    assert boot["condition"] == "CONFIG_X86_64 && CONFIG_AMD_MEM_ENCRYPT", boot
    assert t["condition"] == "CONFIG_AMD_MEM_ENCRYPT && (CONFIG_X86_64 || CONFIG_ARCH_HAS_CC_PLATFORM)", t
else:
    f = [f for f in doc["findings"] if f["rule"] == "cc-virt-gate"]
    assert len(f) == 1, f
    f = f[0]
    assert f["file"] == "arch/x86/include/asm/virtext.h" and f["function"] == "cpu_has_svm", f
    t = f["triage"]
    # the units that reported the header's predicate: its unguarded callers
    units = {u["unit"]: u for u in t["units"]}
    assert sorted(units) == ["arch/x86/kernel/reboot.c", "arch/x86/kvm/svm/svm.c"], units
    assert units["arch/x86/kernel/reboot.c"]["chain"] == [
        top, mk("arch/x86/Kbuild", r"^obj-y\s+\+= kernel/"),
        mk("arch/x86/kernel/Makefile", r"^obj-y\s+\+= reboot\.o")], units
    assert units["arch/x86/kvm/svm/svm.c"]["chain"] == [
        top, mk("arch/x86/Kbuild", r"^obj-\$\(CONFIG_KVM\)\s+\+= kvm/"),
        mk("arch/x86/kvm/Makefile", r"^kvm-amd-y\s+\+= svm/svm\.o"),
        mk("arch/x86/kvm/Makefile", r"^obj-\$\(CONFIG_KVM_AMD\)\s+\+= kvm-amd\.o")], units
    assert units["arch/x86/kvm/svm/svm.c"]["condition"] == "CONFIG_KVM && CONFIG_KVM_AMD"
    # reboot.o is always built: so is the header's code, whatever KVM is
    assert units["arch/x86/kernel/reboot.c"]["condition"] == "always"
    assert t["condition"] == "always", t
syms = sorted(set(re.findall(r"CONFIG_\w+", t["condition"])))
print("%s: %s: built when '%s' over %d unit(s): %s" % (
    version, f["file"], t["condition"], len(units), ", ".join(sorted(units))))
# the #if context, counted here
assert if_depth(f["file"], f["line"]) == len(t["if_context"]), (t["if_context"], f["line"])
# the configuration, read here
for s in syms:
    print("  %s=%s in %s" % (s, values.get(s, "(absent)"), cfg))
    assert s in values, s
got = t["config"]["result"]
assert t["config"]["file"] == cfg
# every symbol of the condition is y in Debian's configuration (read
# above): the code is built into the kernel
assert all(values[s] == "y" for s in syms), syms
assert got == "built-in", t["config"]
print("  under Debian's configuration: %s: ok" % got)
PY
done

# --built-only: kept under Debian's configuration, dropped without the
# option the chain needs
"$CCGATE" sweep --built-only --config "$(debian_config 6.12)" --format=json "$(kernel_tree 6.12)" \
	>"$tmp/bo.json" 2>/dev/null || true
sed 's/^CONFIG_AMD_MEM_ENCRYPT=y$/# CONFIG_AMD_MEM_ENCRYPT is not set/' "$tmp/6.12.config" >"$tmp/nosme.config"
grep -q '^# CONFIG_AMD_MEM_ENCRYPT is not set$' "$tmp/nosme.config" || die "could not turn AMD_MEM_ENCRYPT off"
"$CCGATE" sweep --built-only --config "$tmp/nosme.config" --format=json "$(kernel_tree 6.12)" \
	>"$tmp/nosme.json" 2>/dev/null || true
# a fragment that names only AMD_MEM_ENCRYPT: 6.12's own Kconfig gives
# ARCH_HAS_CC_PLATFORM (selected by it)
printf 'CONFIG_AMD_MEM_ENCRYPT=y\n' >"$tmp/frag.config"
"$CCGATE" sweep -q --triage --config "$tmp/frag.config" --format=json "$(kernel_tree 6.12)" \
	>"$tmp/frag.json" 2>/dev/null || true
# 6.1 without KVM: reboot.c still builds virtext.h's code
sed 's/^CONFIG_KVM=m$/# CONFIG_KVM is not set/' "$tmp/6.1.config" >"$tmp/nokvm.config"
grep -q '^# CONFIG_KVM is not set$' "$tmp/nokvm.config" || die "could not turn KVM off"
"$CCGATE" sweep --built-only --config "$tmp/nokvm.config" --format=json "$(kernel_tree 6.1)" \
	>"$tmp/nokvm.json" 2>/dev/null || true
python3 - "$tmp/bo.json" "$tmp/nosme.json" "$tmp/nokvm.json" "$tmp/frag.json" <<'PY'
import json, sys
bo, nosme, nokvm, frag = (json.load(open(p)) for p in sys.argv[1:5])
assert [f["triage"]["config"]["result"] for f in frag["findings"]
        if f["rule"] == "vc-svm-opcodes"] == ["built-in"], frag["findings"]
print("6.12 under a fragment with AMD_MEM_ENCRYPT=y alone: built-in, by the tree's Kconfig: ok")
assert bo["stats"]["not_built_dropped"] == 0 and len(bo["findings"]) == 1, bo["stats"]
assert nosme["stats"]["not_built_dropped"] == 1 and nosme["findings"] == [], nosme["stats"]
assert nokvm["stats"]["not_built_dropped"] == 0 and len(nokvm["findings"]) == 1, nokvm["stats"]
assert nokvm["findings"][0]["triage"]["config"]["result"] == "built-in"
print("6.12 --built-only: kept under Debian's configuration, dropped without AMD_MEM_ENCRYPT; "
      "6.1 without KVM: kept (reboot.c): ok")
PY

CCGATE_CHECKPATCH=$(kernel_tree 6.12)/scripts/checkpatch.pl \
	"$SRC/tests/triage/triage.sh" "$CCGATE" "$SRC"
