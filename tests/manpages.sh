#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The man pages and --help list the same options, per verb.  Both sides are
# read as a user reads them: the options of `ccgate VERB --help` (its usage
# line, and with "[options]" every entry of the option list whose "(verb)"
# note names VERB or that has none), and the option terms of the rendered
# page ccgate-VERB(1) (`man -l`); the kbuild checker slot's usage line
# against the KBUILD CHECKER SLOT section of ccgate(1).  Every option that
# `ccgate --help` names is on some page, and every page renders.
#
# manpages.sh CCGATE MANDIR
set -euo pipefail

ccgate=${1:?usage: manpages.sh CCGATE MANDIR}
mandir=${2:?usage: manpages.sh CCGATE MANDIR}
command -v man >/dev/null || { echo "manpages: man (man-db) is not installed" >&2; exit 1; }

python3 - "$ccgate" "$mandir" <<'EOF'
import os, re, subprocess, sys

ccgate, mandir = sys.argv[1:3]
VERBS = ["sweep", "check", "gate", "patch", "baseline", "rules"]
OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w])")
SCOPE = re.compile(r"\(([a-z]+(?: [a-z]+)?(?:, [a-z]+(?: [a-z]+)?)*)\)")
bad = []

def names(text):
    return set(OPT.findall(text))

def run_help(args):
    p = subprocess.run([ccgate] + args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("manpages: '%s' exited %d" % (" ".join(["ccgate"] + args), p.returncode))
    return p.stdout

def parse_help(text):
    """The usage entries (kind, text) and the option entries (names, scope)."""
    usage, entries, part = [], [], "usage"
    for line in text.split("\n"):
        if line.startswith("options:"):
            part = "options"
            continue
        if part == "usage":
            if not line.strip():
                part = "rest"
                continue
            body = line[len("usage:"):] if line.startswith("usage:") else line
            words = body.split()
            if words and words[0] == "ccgate":
                second = words[1] if len(words) > 1 else ""
                kind = ("kbuild" if second.startswith("[") else
                        "ccgate" if second.startswith("-") else second)
                usage.append([kind, body])
            elif usage:
                usage[-1][1] += " " + body
        elif part == "options":
            if re.match(r"  -", line):
                term = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
                entries.append([names(term), line])
            elif line.startswith("   ") and entries:
                entries[-1][1] += " " + line.strip()
            elif not line.strip():
                part = "rest"
    out = []
    for opts, whole in entries:
        scope = set()
        for m in SCOPE.findall(whole):
            items = [i.split()[0] for i in m.split(", ")]
            if all(i in VERBS for i in items):
                scope |= set(items)
        out.append((opts, scope))
    return usage, out

def help_options(verb):
    usage, entries = parse_help(run_help([verb, "--help"] if verb in VERBS else ["--help"]))
    got = set()
    for kind, body in usage:
        if kind != verb:
            continue
        got |= names(body.replace("[options]", "")) - {"--"}
        if "[options]" in body:
            for opts, scope in entries:
                if not scope or verb in scope:
                    got |= opts
    return got

def page_sections(page):
    env = dict(os.environ, MANWIDTH="400", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    p = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env)
    if p.returncode != 0 or not p.stdout.strip():
        sys.exit("manpages: 'man -l %s' failed: %s" % (page, p.stderr.strip()))
    text = re.sub(r".\x08", "", p.stdout)
    if p.stderr.strip():
        bad.append("%s: man/groff warned: %s" % (page, p.stderr.strip()))
    sections, cur = {}, None
    for line in text.split("\n"):
        if re.match(r"[A-Z][A-Z -]+$", line):
            cur = line.strip()
            sections[cur] = set()
        elif cur and re.match(r" {7}-", line):
            sections[cur] |= names(line.split("  ")[0] if "  " in line.strip() else line) - {"--"}
    return sections

def page_options(sections, which):
    got = set()
    for s in which:
        got |= sections.get(s, set())
    return got

pages = {}
for f in sorted(os.listdir(mandir)):
    if re.search(r"\.[15]$", f):
        pages[f] = page_sections(os.path.join(mandir, f))
for want in ["ccgate.1", "ccgate-rules.5"] + ["ccgate-%s.1" % v for v in VERBS]:
    if want not in pages:
        bad.append("no page %s in %s" % (want, mandir))

checks = [(v, "ccgate-%s.1" % v, ["OPTIONS"]) for v in VERBS]
checks += [("kbuild", "ccgate.1", ["KBUILD CHECKER SLOT"]), ("ccgate", "ccgate.1", ["OPTIONS"])]
documented = set()
for verb, page, secs in checks:
    if page not in pages:
        continue
    h = help_options(verb)
    m = page_options(pages[page], secs)
    documented |= m
    if not h:
        bad.append("%s: --help lists no option for it" % verb)
    if h - m:
        bad.append("%s: in --help, not in %s: %s" % (verb, page, " ".join(sorted(h - m))))
    if m - h:
        bad.append("%s: in %s, not in --help: %s" % (verb, page, " ".join(sorted(m - h))))
    print("%-9s %2d options, --help and %s agree" % (verb, len(h), page) if h == m else
          "%-9s differs" % verb)

everything = names(run_help(["--help"])) - {"--"}
if everything - documented:
    bad.append("ccgate --help names options no page documents: %s" %
               " ".join(sorted(everything - documented)))
for msg in bad:
    print("manpages: " + msg, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
