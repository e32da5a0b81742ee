#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Triage on Debian's kernels with Debian's own amd64 configurations
# (linux-config-6.12, linux-config-6.1): the 6.12 shared.c finding and the
# 6.1 virtext.h finding carry their Makefile chains (line numbers read from
# the trees here), their #if context, and the result the configuration
# gives (the symbols read from it here with xzcat); --built-only keeps them
# under Debian's configuration and drops them without AMD_MEM_ENCRYPT
# (resp. KVM).  Then tests/triage/triage.sh with 6.12's checkpatch.pl.
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

def chain_line(rel, pattern):
    n = line_of(rel, pattern)
    return n, "%s:%d:" % (rel, n)

if version == "6.12":
    f = [f for f in doc["findings"] if f["rule"] == "vc-svm-opcodes"]
    assert len(f) == 1, f
    f = f[0]
    assert f["file"] == "arch/x86/coco/sev/shared.c", f["file"]
    t = f["triage"]
    units = {u["unit"]: u for u in t["units"]}
    assert sorted(units) == ["arch/x86/boot/compressed/sev.c", "arch/x86/coco/sev/core.c"], units
    core = units["arch/x86/coco/sev/core.c"]
    want = [
        "Kbuild:%d: obj-y += arch/$(SRCARCH)/" % line_of("Kbuild", r"^obj-y\s+\+= arch/\$\(SRCARCH\)/"),
        "arch/x86/Kbuild:%d: obj-$(CONFIG_ARCH_HAS_CC_PLATFORM) += coco/" %
        line_of("arch/x86/Kbuild", r"coco/"),
        "arch/x86/coco/Makefile:%d: obj-$(CONFIG_AMD_MEM_ENCRYPT) += sev/" %
        line_of("arch/x86/coco/Makefile", r"sev/"),
        "arch/x86/coco/sev/Makefile:%d: obj-y += core.o" %
        line_of("arch/x86/coco/sev/Makefile", r"^obj-y\s+\+= core\.o"),
    ]
    assert core["chain"] == want, core["chain"]
    assert core["condition"] == "CONFIG_ARCH_HAS_CC_PLATFORM && CONFIG_AMD_MEM_ENCRYPT", core
    boot = units["arch/x86/boot/compressed/sev.c"]
    sev_o = line_of("arch/x86/boot/compressed/Makefile", r"vmlinux-objs-\$\(CONFIG_AMD_MEM_ENCRYPT\) \+= \$\(obj\)/sev\.o")
    assert "arch/x86/boot/compressed/Makefile:%d: vmlinux-objs-$(CONFIG_AMD_MEM_ENCRYPT) += $(obj)/sev.o" % sev_o \
        in boot["chain"], boot["chain"]
    assert "arch/x86/boot/compressed/Makefile:%d: ifdef CONFIG_X86_64" % line_of(
        "arch/x86/boot/compressed/Makefile", r"^ifdef CONFIG_X86_64") in boot["chain"], boot["chain"]
    assert boot["condition"] == "CONFIG_X86_64 && CONFIG_AMD_MEM_ENCRYPT", boot
    syms = ["CONFIG_AMD_MEM_ENCRYPT", "CONFIG_ARCH_HAS_CC_PLATFORM", "CONFIG_X86_64"]
else:
    f = [f for f in doc["findings"] if f["rule"] == "cc-virt-gate"]
    assert len(f) == 1, f
    f = f[0]
    assert f["file"] == "arch/x86/include/asm/virtext.h" and f["function"] == "cpu_has_svm", f
    t = f["triage"]
    units = {u["unit"]: u for u in t["units"]}
    assert units and all(u.endswith(".c") for u in units), units
    for u in units.values():
        assert u["chain"][0].startswith("Kbuild:") and "unknown" not in u, u
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
if version == "6.12":
    assert all(values[s] == "y" for s in syms), syms
    assert got == "built-in", t["config"]
else:
    # a unit whose symbols are all y builds it into the kernel
    builtin = [u for u, r in units.items()
               if all(values.get(s) == "y" for s in re.findall(r"CONFIG_\w+", r["condition"]))
               and "!" not in r["condition"]]
    assert (got == "built-in") == bool(builtin), (got, builtin)
    assert got in ("built-in", "module"), t["config"]
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
python3 - "$tmp/bo.json" "$tmp/nosme.json" <<'PY'
import json, sys
bo, nosme = (json.load(open(p)) for p in sys.argv[1:3])
assert bo["stats"]["not_built_dropped"] == 0 and len(bo["findings"]) == 1, bo["stats"]
assert nosme["stats"]["not_built_dropped"] == 1 and nosme["findings"] == [], nosme["stats"]
print("6.12 --built-only: kept under Debian's configuration, dropped without AMD_MEM_ENCRYPT: ok")
PY

CCGATE_CHECKPATCH=$(kernel_tree 6.12)/scripts/checkpatch.pl \
	"$SRC/tests/triage/triage.sh" "$CCGATE" "$SRC"
