// SPDX-License-Identifier: GPL-2.0-only
/// An SVM instruction without a case (or with the wrong bytes) in the SEV-ES
/// #VC validator vc_check_opcode_bytes() terminates the guest instead of
/// raising #UD (ccgate's vc-svm-opcodes, from rules/vc-svm-opcodes.yaml).
///
// Confidence: High
// Copyright: (C) 2026 the ccgate authors
// Options: --no-includes --include-headers
// Keywords: SEV-ES, #VC, vc_check_opcode_bytes, SVM_EXIT_STGI
// URL: https://lore.kernel.org/all/c820e242-9f3a-4210-b414-19d11b022404@amd.com

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import os, re
PREFIX = 'SVM_EXIT_'
VALIDATORS = ('vc_check_opcode_bytes',)
DISPATCHERS = ('vc_handle_exitcode',)
MISSING = "'%(function)s' has no case for %(missing)s; their #VC intercept terminates the guest instead of raising #UD [vc-svm-opcodes]"
WRONG = "'%(function)s' accepts '%(exit_code)s' (%(mnemonic)s) with the wrong bytes: it compares %(actual)s, the instruction is %(expected)s [vc-svm-opcodes]"
EXCLUDE = ('tools/', 'scripts/', 'samples/', 'Documentation/')
# mnemonic, exit code, opcode length, ModRM, opcode, bytes
TABLE = [
	('VMRUN', 'SVM_EXIT_VMRUN', 2, 0xd8, 0x010f, '0F 01 D8'),
	('VMMCALL', 'SVM_EXIT_VMMCALL', 2, 0xd9, 0x010f, '0F 01 D9'),
	('VMLOAD', 'SVM_EXIT_VMLOAD', 2, 0xda, 0x010f, '0F 01 DA'),
	('VMSAVE', 'SVM_EXIT_VMSAVE', 2, 0xdb, 0x010f, '0F 01 DB'),
	('STGI', 'SVM_EXIT_STGI', 2, 0xdc, 0x010f, '0F 01 DC'),
	('CLGI', 'SVM_EXIT_CLGI', 2, 0xdd, 0x010f, '0F 01 DD'),
	('SKINIT', 'SVM_EXIT_SKINIT', 2, 0xde, 0x010f, '0F 01 DE'),
	('INVLPGA', 'SVM_EXIT_INVLPGA', 2, 0xdf, 0x010f, '0F 01 DF'),
]
seen, src, verdicts, fixes, kfix = [], {}, {}, {}, {}
facts = {k: [] for k in ("fn", "sw", "label", "cmp", "var", "ret", "brk", "ctx", "res")}

def canon(path):
	"""After a rule changed a file, spatch matches a rewritten copy; the
	constant fixes keep every line, so the facts of the original hold."""
	base = os.path.basename(path)
	if path not in seen and base.startswith("cocci_small_output-"):
		return ([k for k in seen if os.path.basename(k) == base.split("-", 3)[-1]] + [path])[0]
	path in seen or seen.append(path)
	return path
def span(p):
	return (canon(p[0].file), int(p[0].line), int(p[0].column),
		int(p[0].line_end), int(p[0].column_end))
def text(s):
	if s[0] not in src:
		with open(s[0], encoding="latin-1") as f:
			src[s[0]] = f.read().split("\n")
	t = "\n".join(src[s[0]][s[1] - 1:s[3]])
	return t[s[2]:len(t) - len(src[s[0]][s[3] - 1]) + s[4]]
def fact(what, p, *rest):
	facts[what].append((span(p)[0], p[0].current_element, span(p)) + rest)
def of(what, f, fn):
	return sorted((x for x in facts[what] if x[:2] == (f, fn)), key=lambda x: x[2])
def indent(s):
	"""The indent of the line of S, or None if S does not start it."""
	t = src[s[0]][s[1] - 1][:s[2]]
	return None if t.strip() else t
def kind_of(t):
	n = t.lower()
	return "modrm" if "modrm" in n else "opcode" if "opcode" in n else None
def value(t):
	t = t.rstrip("uUlL")
	try:
		return int(t, 8) if re.fullmatch(r"0[0-7]+", t) else int(t, 0) if t[:1].isdigit() else None
	except ValueError:
		return None
def colon(f, s):
	"""The position after the colon that ends the label at S."""
	l, c = s[3], s[4]
	while ":" not in src[f][l - 1][c:]:
		l, c = l + 1, 0
	return (l, src[f][l - 1].index(":", c) + 1)
def scan(f, fn, sw):
	"""scan_function() of plugin/rules/vc-svm-opcodes.c for the switch SW."""
	hi = sw[2][3:]
	ls = [{"at": (l[2][1], src[f][l[2][1] - 1].rfind("case", 0, l[2][2]) if l[4] else l[2][2]),
	       "end": colon(f, l[2]), "text": l[4]}
	      for l in sorted(facts["label"], key=lambda x: x[2]) if l[0] == f and l[3] == sw[3]]
	for k in range(len(ls) - 1, -1, -1):
		nxt = ls[k + 1]["at"] if k + 1 < len(ls) else hi
		blank = not text((f,) + ls[k]["end"] + nxt).strip()
		ls[k]["lo"], ls[k]["hi"] = (ls[k + 1]["lo"], ls[k + 1]["hi"]) if blank and k + 1 < len(ls) \
			else (ls[k]["end"], nxt)
	kinds = {}
	for v in of("var", f, fn):
		k = kind_of(v[4])
		if v[2][1:3] < sw[2][1:3] and k:
			kinds.setdefault(v[3], k)
	cs = []
	for c in of("cmp", f, fn):
		x, v = text(c[3]), value(text(c[2]))
		if not ls or not ls[0]["end"] <= c[2][1:3] < hi or v is None or \
		   not re.fullmatch(r"[A-Za-z_]\w*(\s*(\.|->)\s*[A-Za-z_]\w*)*", x):
			continue
		words = re.findall(r"\w+", x)
		k = kinds[x] if x in kinds else (["modrm"] if any(kind_of(w) == "modrm" for w in words)
			else [kind_of(w) for w in words if kind_of(w)] + [None])[0]
		if k:
			cs.append({"at": c[2][1:3], "kind": k, "value": v, "text": text(c[2]), "x": x})
	return ls, cs, hi
def best_switch(f, fn):
	best, n = None, 0
	for sw in sorted(set(of("sw", f, fn)), key=lambda x: x[2]):	# one fact a label
		ls, cs, hi = scan(f, fn, sw)
		m = sum(1 for l in ls if l["text"] and l["text"].startswith(PREFIX))
		if m > n:
			best, n = (sw, ls, cs, hi), m
	return best
def expect(row, kind):
	return row[4] if kind == "opcode" else row[3]
def format_like(orig, v, digits):
	m = re.match(r"(0[xX])?([0-9a-fA-F]*)(.*)", orig)
	if not m.group(1):
		return "%d%s" % (v, m.group(3))
	return m.group(1) + (("%0*X" if any(c.isupper() for c in m.group(2)) else "%0*x") %
			     (max(digits, len(m.group(2))), v)) + m.group(3)
def format_new(cs, kind, v, nbytes):
	mine = [c for c in cs if c["kind"] == kind]
	for c in mine:
		if c["value"] == v:
			return c["text"]
	padded = kind == "modrm" or any(re.match(r"0[xX]0", c["text"]) for c in mine)
	style = (mine or cs)[0]["text"]
	return format_like(style, v, 2 * nbytes if padded else 1)
def excluded(path):
	d = path = os.path.abspath(path)
	while d != "/" and not os.path.exists(os.path.join(d, "include/linux/kconfig.h")):
		d = os.path.dirname(d)
	return d != "/" and os.path.relpath(path, d).startswith(EXCLUDE)
def validate(f, fn):
	"""Findings of function FN: (position, message)."""
	best = best_switch(f, fn)
	if best is None or excluded(f):
		return [], None
	sw, ls, cs, hi = best
	if fn not in VALIDATORS and not cs:
		return [], None
	out, missing, used = [], [], set()
	for row in TABLE:
		l = [l for l in ls if l["text"] == row[1]]
		if not l:
			missing.append(row[1])
			continue
		l, wrong = l[0], {}
		for kind in ("opcode", "modrm"):
			mine = [c for c in cs if c["kind"] == kind and l["lo"] <= c["at"] < l["hi"]]
			if mine and all(c["value"] != expect(row, kind) for c in mine):
				wrong[kind] = mine
		if not wrong:
			continue
		actual = ", ".join(("opcode " if k == "opcode" else "ModRM ") +
				   " or ".join(c["text"] for c in wrong[k]) for k in ("opcode", "modrm") if k in wrong)
		expected = "%s (opcode %s, ModRM %s)" % (row[5], format_new(cs, "opcode", row[4], row[2]),
							  format_new(cs, "modrm", row[3], 1))
		targets = []
		for k in wrong:
			group = [r for r in TABLE for o in ls if o["text"] == r[1] and o["lo"] == l["lo"]]
			free = [c for c in wrong[k] if c["at"] not in used and
				all(expect(r, k) != c["value"] for r in group)]
			if free:
				used.add(free[0]["at"])
				targets.append(free[0]["at"])
				kfix[(f,) + free[0]["at"]] = format_like(free[0]["text"], expect(row, k),
									  1 if k == "opcode" else 2)
		at = min(targets) if targets else min(c["at"] for k in wrong for c in wrong[k])
		out.append((at, WRONG % {"function": fn, "exit_code": row[1], "mnemonic": row[0],
					 "actual": actual, "expected": expected}))
	if missing:
		names = ["'%s'" % m for m in missing]
		names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
		out.append((of("fn", f, fn)[0][2][1:3], MISSING % {"function": fn, "missing": names}))
	return out, (best, missing)
def decide(f):
	if f not in verdicts:
		verdicts[f], missing = {}, []
		for fn in sorted(set(x[1] for x in facts["fn"] if x[0] == f)):
			found, fix = validate(f, fn)
			verdicts[f].update(((f,) + at, msg) for at, msg in found)
			if fix and fix[1]:
				fixes[(f, fn)] = validator_cases(f, fn, fix)
				missing += [m for m in fix[1] if m not in missing]
		for fn in DISPATCHERS:
			sw = best_switch(f, fn) if missing and of("fn", f, fn) else None
			if sw and not sw[2]:
				fixes[(f, fn)] = dispatcher_cases(f, fn, sw, missing)
	return verdicts[f]
def insertion(f, ls, hi):
	"""Indent of the cases and of what follows them, a blank line before
	it, and whether that is a "default:" (else the closing brace)."""
	dflt = [l for l in ls if l["text"] is None]
	cases = [l for l in ls if l["text"] is not None]
	at = dflt[0]["at"] if dflt else (hi[0], hi[1] - 1)
	if not cases or None in (indent((f,) + cases[0]["at"]), indent((f,) + at)):
		return None
	return indent((f,) + cases[0]["at"]), indent((f,) + at), at[0] > 1 and not src[f][at[0] - 2], bool(dflt)
def placed(f, fn, hi, out, ci, tail, blank, dflt):
	"""OUT before "default:", or, without one, as the last "break;" of the switch
	followed by OUT: spatch attaches no code to a closing brace."""
	if dflt:
		return out + tail, None
	last = [b for b in of("brk", f, fn) if b[2][1:3] < hi and
		re.fullmatch(r"\s*;\s*", text((f,) + b[2][3:] + (hi[0], hi[1] - 1)))]
	if not last:
		return None
	t = ("\n" if blank else "") + ci + out.rstrip("\n")
	return "break;\n" + t[:-1], (f,) + last[0][2][1:3]
def validator_cases(f, fn, fix):
	"""The missing cases in the idiom of the validator."""
	(s, ls, cs, hi), missing = fix
	at = insertion(f, ls, hi)
	opv = [c for c in cs if c["kind"] == "opcode"]
	modv = [c for c in cs if c["kind"] == "modrm"]
	rs = [r for r in of("ret", f, fn) if s[2][1:3] <= r[2][1:3] < hi]
	ok = [(r[3], indent(r[2])) for r in rs if r[4] and any(r[4][1:3] <= c["at"] < r[4][3:] for c in cs)]
	ok = (ok + [(r[3], None) for r in rs])[:1]
	if at is None or not opv or not modv or not ok:
		return None
	ci, tail, blank, dflt = at
	bi, out = ci + "\t", ""
	ri = ok[0][1] if ok[0][1] is not None else bi + "\t"
	for row in TABLE:
		if row[1] in missing:
			out += ("\n" if out and blank else "") + \
				"%scase %s:\n%sif (%s == %s && %s == %s)\n%sreturn %s;\n%sbreak;\n" % (
				ci if out else "", row[1], bi, opv[0]["x"],
				format_new(cs, "opcode", row[4], row[2]), modv[0]["x"],
				format_new(cs, "modrm", row[3], 1), ri, ok[0][0], bi)
	return placed(f, fn, hi, out + ("\n" if blank and dflt else ""), ci, tail, blank, dflt)
def dispatcher_cases(f, fn, sw, missing):
	"""The missing exit codes raise #UD in the dispatcher."""
	s, ls, cs, hi = sw
	at = insertion(f, ls, hi)
	todo = [m for m in missing if m not in [l["text"] for l in ls]]
	if at is None or not todo:
		return None
	ci, tail, blank, dflt = at
	ctxt = ([c[3] for c in of("ctx", f, fn)] + ["ctxt->"])[0]
	res = [r[3] for l in ls for r in of("res", f, fn) if l["lo"] <= r[2][1:3] < l["hi"]]
	bi = ci + "\t"
	out = "".join("%scase %s:\n" % (ci if n else "", m) for n, m in enumerate(todo))
	out += "%s%sfi.vector = X86_TRAP_UD;\n%s%sfi.error_code = 0;\n" % (bi, ctxt, bi, ctxt)
	out += "%s%s = ES_EXCEPTION;\n%sbreak;\n" % (bi, res[0], bi) if res else "%sreturn ES_EXCEPTION;\n" % bi
	return placed(f, fn, hi, out + ("\n" if blank and dflt else ""), ci, tail, blank, dflt)
def bad(p):
	return span(p)[:3] in decide(span(p)[0])
def finding(p):
	return decide(span(p)[0])[span(p)[:3]]
def fix_for(p, what):
	"""The new constant at P ("k"), the cases before the "default:" of the
	switch at P ("d"), or the text replacing the "break;" at P ("b")."""
	f = span(p)[0]
	decide(f)
	if what == "k":
		return kfix.get(span(p)[:3])
	fix = fixes.get((f, p[0].current_element))
	if what == "d":
		return fix[0] if fix and fix[1] is None else None
	return fix[0] if fix and fix[1] == span(p)[:3] else None

// A validator or dispatcher switch names at least one exit code that the
// #VC handler intercepts: spelled out as a disjunction, they let spatch
// skip every other file unparsed (a regular expression or an identifier
// set does not: 12 minutes instead of 15 seconds for a whole tree).
@sw@
expression E;
position ps;
@@
switch@ps (E) {
case \(SVM_EXIT_VMRUN\|SVM_EXIT_VMMCALL\|SVM_EXIT_VMLOAD\|SVM_EXIT_VMSAVE\|
      SVM_EXIT_STGI\|SVM_EXIT_CLGI\|SVM_EXIT_SKINIT\|SVM_EXIT_INVLPGA\|
      SVM_EXIT_CPUID\|SVM_EXIT_IOIO\|SVM_EXIT_MSR\|SVM_EXIT_NPF\|
      SVM_EXIT_INVD\|SVM_EXIT_MONITOR\|SVM_EXIT_MWAIT\|SVM_EXIT_RDPMC\|
      SVM_EXIT_RDTSC\|SVM_EXIT_RDTSCP\|SVM_EXIT_READ_DR7\|SVM_EXIT_WRITE_DR7\|
      SVM_EXIT_WBINVD\): ...
}

// Functions, switches and their labels, variables, comparisons with a
// constant, the #VC context, returns, breaks, result variables.
@fns depends on sw@
identifier fn;
position pf;
@@
fn@pf(...) { ... }
@script:python@
pf << fns.pf;
@@
for q in pf:
	fact("fn", [q])

@ctxp depends on sw@
identifier fn, x;
position px;
@@
fn(..., struct es_em_ctxt *x@px, ...) { ... }
@script:python@
px << ctxp.px;
@@
for q in px:
	fact("ctx", [q], text(span([q])) + "->")

// a switch matters only with an identifier label (an exit code)
@labels depends on sw@
expression E;
identifier C;
statement S;
position pw, pc;
@@
\( S@pw \& switch (E) { case C@pc: ... } \)
@script:python@
pw << labels.pw;
pc << labels.pc;
C << labels.C;
@@
for w, c in zip(pw, pc):
	fact("sw", [w], span([w])[1:3])
	fact("label", [c], span([w])[1:3], C)

@dflt depends on sw@
expression E;
position ps, pd;
@@
switch@ps (E) { default@pd: ... }
@script:python@
ps << dflt.ps;
pd << dflt.pd;
@@
for s, d in zip(ps, pd):
	fact("label", [d], span([s])[1:3], None)

@vars depends on sw@
type T;
identifier v, x;
expression E, X;
constant K;
position pv, pe, px, pk, py;
@@
\(T v@pv = E@pe;\|v@pv = E@pe\|X@px == K@pk\|K@pk == X@px\|struct es_em_ctxt x@py;\)
@script:python@
pv << vars.pv;
pe << vars.pe;
@@
for v, e in zip(pv, pe):
	fact("var", [v], text(span([v])), text(span([e])))
@script:python@
px << vars.px;
pk << vars.pk;
@@
for x, k in zip(px, pk):
	fact("cmp", [k], span([x]))
@script:python@
py << vars.py;
@@
for q in py:
	fact("ctx", [q], text(span([q])) + ".")

@stmts depends on sw@
expression C, R, E;
identifier v;
position pr, pv, pc, pb, pn;
@@
(
if (C@pc) return@pr R@pv;
|
return@pr R@pv;
|
break@pb;
|
v@pn = E;
)
@script:python@
pr << stmts.pr;
pv << stmts.pv;
pc << stmts.pc = [];
@@
for r, v, c in zip(pr, pv, pc or [None] * len(pr)):
	fact("ret", [r], text(span([v])), span([c]) if c else None)
@script:python@
pb << stmts.pb;
@@
for q in pb:
	fact("brk", [q])
@script:python@
pn << stmts.pn;
@@
for q in pn:
	fact("res", [q], text(span([q])))

@r depends on sw && (report || org)@
position p : script:python() { bad(p) };
identifier fn;
@@
fn@p(...) { ... }
@script:python depends on report@
p << r.p;
@@
for q in p:
	coccilib.report.print_report(q, "ERROR: " + finding([q]))
@script:python depends on org@
p << r.p;
@@
for q in p:
	cocci.print_main(finding([q]), [q])

@w depends on sw && (report || org)@
position p : script:python() { bad(p) };
constant K;
@@
K@p
@script:python depends on report@
p << w.p;
@@
for q in p:
	coccilib.report.print_report(q, "ERROR: " + finding([q]))
@script:python depends on org@
p << w.p;
@@
for q in p:
	cocci.print_main(finding([q]), [q])

@depends on sw && context@
position p : script:python() { bad(p) };
identifier fn;
@@
* fn@p(...)
  { ... }

@depends on sw && context@
position p : script:python() { bad(p) };
constant K;
@@
* K@p

@fixk depends on sw && patch@
constant K;
position pk : script:python() { fix_for(pk, "k") is not None };
@@
K@pk

@depends on patch@
constant fixk.K;
position fixk.pk;
fresh identifier N = script:python(pk) { fix_for(pk, "k") };
@@
- K@pk
+ N

@fixd depends on sw && patch@
identifier C =~ "^SVM_EXIT_";
expression E;
position ps : script:python() { fix_for(ps, "d") is not None };
@@
switch@ps (E) { case C: ... }

@depends on patch@
position fixd.ps;
fresh identifier N = script:python(ps) { fix_for(ps, "d") };
identifier C;
expression E;
@@
switch@ps (E) {
 case C: ...
+ N
 default: ...
}

@fixb depends on sw && patch@
position pb : script:python() { fix_for(pb, "b") is not None };
@@
break@pb;

@depends on patch@
position fixb.pb;
fresh identifier N = script:python(pb) { fix_for(pb, "b") };
@@
- break@pb;
+ N;
