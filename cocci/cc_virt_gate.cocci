// SPDX-License-Identifier: GPL-2.0-only
/// Deciding that AMD SVM is usable from the CPUID bit alone also needs
/// cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT): an SEV guest may see SVM
/// advertised but cannot use it (ccgate's cc-virt-gate, from rules/cc-virt-gate.yaml).
///
// Confidence: Moderate
// Copyright: (C) 2026 the ccgate authors
// Options: --no-includes --include-headers
// Keywords: SVM, SEV, cc_platform_has, CC_ATTR_GUEST_MEM_ENCRYPT
// URL: https://lore.kernel.org/all/c820e242-9f3a-4210-b414-19d11b022404@amd.com

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import os, re
MESSAGE = "'%(function)s' trusts '%(test)s' without checking 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'; inside an SEV guest the bit may be advertised but SVM is unusable [cc-virt-gate]"
FIX = ('!cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)',	# after a positive test
       'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)')	# after a negated one
EXCLUDE = ('tools/', 'scripts/', 'samples/', 'Documentation/')
testing, gwrap, static = set(), set(), set()
sites = {}	# (file, line, col) of a test, or of a call of a function holding one ->
		# (function, callee, end, finding)
conds = {}	# span of the condition of an if or of a returned value -> its branch
shapes = {}	# site -> ("neg" or "pos", "&" for an && chain, condition)
exits, guards, enablers, fixes, verdicts, src = {}, [], [], {}, {}, {}
KIND = {"neg": {"pred": "pred", "exit": "gate", "true": "gate", "ret": "pred"},	# by the exit
	"pos": {"ret": "pred", "true": "pred", "enable": "gate"}}
def key(p):
	return (p[0].file, int(p[0].line), int(p[0].column))
def span(p):
	return key(p) + (int(p[0].line_end), int(p[0].column_end))
def text(s, bare=False):
	"""The source of span S (without comments if BARE)."""
	if s[0] not in src:
		with open(s[0], encoding="latin-1") as f:
			src[s[0]] = f.read().split("\n")
	t = "\n".join(src[s[0]][s[1] - 1:s[3]])
	t = t[s[2]:len(t) - len(src[s[0]][s[3] - 1]) + s[4]]
	return re.sub(r"[/][*].*?[*][/]|[/][/].*", "", t, flags=re.S) if bare else t
def excluded(path):
	d = path = os.path.abspath(path)
	while d != "/" and not os.path.exists(os.path.join(d, "include/linux/kconfig.h")):
		d = os.path.dirname(d)
	return d != "/" and os.path.relpath(path, d).startswith(EXCLUDE)
def site(ps, callee=None):
	for p in ps:
		fn, t = p.current_element, re.sub(r"\s+", "", text(span([p])))
		if fn != "something_else" and fn != callee:
			callee or testing.add(fn)
			sites.setdefault(key([p]), (fn, callee, span([p])[3:],
				MESSAGE % {"function": fn, "test": t.replace(",", ", ")}))
def kind(s):
	"""SmPL follows paths in "{ ... return 0; }": the exit that ends a
	branch is the one with only braces after it."""
	how, op, c = shapes.get(s, (None, "", None))
	b = conds.get(c)
	ex = [w for x, w in exits.get(s[0], []) if b and (x == b or (b[1:3] < x[1:3] and
	      x[3:] < b[3:] and re.fullmatch(r"[\s}]*", text(b[:1] + x[3:] + b[3:], True)) and
	      re.search(r"[;{}]\s*$", text(b[:3] + x[1:3], True))))] + [None]
	if how == "pos" and b and ex[0] != "true" and any(e[0] == s[0] and
	   b[1:3] <= e[2] <= b[3:] for e in enablers):
		ex[0] = "enable"
	return KIND.get(how, {}).get(ex[0] if b else "ret" if op != "&" else "", "other")
def guarded(f, fn, after):
	mine = [e[2] for e in enablers if e[:2] == (f, fn) and e[2] > after]
	return any(g[:2] == (f, fn) and g[2] < min(mine, default=(1 << 30, 0)) and
		   g[3] != fn for g in guards)	# a guard wrapper does not guard itself
def decide(f):
	"""cvg_function() and cvg_unit_end() of plugin/rules/cc-virt-gate.c."""
	if f not in verdicts:
		verdicts[f], wrappers = set(), {}	# name -> [site, static + callers, unguarded]
		for s in sorted(k for k in sites if k[0] == f):
			fn, callee, e, _ = sites[s]
			k, w = kind(s), wrappers.get(callee)
			if (w or not callee) and (callee or (k != "other" and not excluded(f))):
				if w:
					w[1] += 1
				if guarded(f, fn, e):
					continue
				if k == "pred":
					wrappers.setdefault(fn, [w[0] if w else s, fn in static, 0])
				elif w:
					w[2] += 1
				else:
					verdicts[f].add(s)
		verdicts[f] |= set(w[0] for w in wrappers.values() if w[2] or not w[1])
		for how, op, c in (shapes[s] for s in verdicts[f]):
			fixes[c] = (how == "neg", how == "neg" and op == "&")
	return verdicts[f]
def fix(pe):
	"""The condition and the guard on a line aligned with tabs, then spaces."""
	neg, wrap = fixes[span(pe)]
	line, col = src[pe[0].file][int(pe[0].line) - 1], int(pe[0].column)
	tabs = min(col, len(line) - len(line.lstrip("\t")))
	cond = "(%s)" % text(span(pe)) if wrap else text(span(pe))
	return cond + (" ||\n" if neg else " &&\n") + "\t" * tabs + " " * (col - tabs) + FIX[neg]

// Facts.  The rules after "test" depend on it, and a script whose inputs all
// have defaults on its rule, so that spatch skips the files without a test token.

@mac@
identifier M, T0 = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has}, T1 = {cpu_has};
expression C;
@@
(
#define M(...) \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \)
|
#define M \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \)
)

@test@
identifier T0 = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has}, T1 = {cpu_has};
expression C, t;
position p;
@@
\( t@p \& \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \) \)

@mtest depends on test@
identifier mac.M;
expression t;
position p;
@@
\( t@p \& \( M(...) \| M \) \)
@script:python@
p << test.p;
q << mtest.p = [];
@@
site(p + q)	# once per pair of test and mtest bindings: site() keeps the first

// functions returning the guard, and static functions (whose callers are here)
@fns depends on test@
identifier G, sfn;
type R;
@@
\(G(...) { ... return <+... cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ...+>; ... }\|static R sfn(...) { ... }\)
@script:python depends on fns@
G << fns.G = "";
sfn << fns.sfn = "";
@@
gwrap.add(G)	# the default, "", names no function
static.add(sfn)

@calls depends on test@
identifier F;
expression t;
position p : script:python(F) { F in testing or F in gwrap };
@@
\( t@p \& F(...) \)
@script:python@
p << calls.p;
F << calls.F;
@@
site(p if F in testing else [], F)	# a call of a candidate wrapper
guards.extend((q.file, q.current_element, span([q])[1:3], F) for q in p if F in gwrap)

// Ifs, returns, exits; the operators of a condition, up to three operands,
// the longer first: a disjunction takes the first alternative that matches.
@cond depends on test@
expression C;
identifier L;
statement S, S2;
position pc, ps, px, p0, p1;
symbol false, true;
@@
(
if (C@pc) S@ps
|
if (C@pc) S@ps else S2
|
\( S@px \& \(return@p0 \(0\|false\);\|return@p1 \(1\|true\);\|return C@pc;\|return;\|goto L;\) \)
)
@script:python depends on cond@
pc << cond.pc = [];
ps << cond.ps = [];
px << cond.px = [];
p0 << cond.p0 = [];
p1 << cond.p1 = [];
@@
for c, b in zip(pc, ps or [None] * len(pc)):
	conds[span([c])] = span([b]) if b else None
for x, z, o in zip(px, p0 or [None] * len(px), p1 or [None] * len(px)):
	exits.setdefault(x.file, []).append((span([x]), "pred" if z else "true" if o else "exit"))

@shape depends on test@
expression t, E, E1, C;
position p : script:python() { key(p) in sites };
position pn, pa, pp;
@@
\(\(C@pn \& \(!t@p || E || E1\|E || !t@p || E1\|!t@p || E\|E || !t@p\)\)\|
  \(C@pa \& \(!t@p && E && E1\|E && !t@p && E1\|!t@p && E\|E && !t@p\)\)\|
  \(C@pp \& \(t@p && E && E1\|E && t@p && E1\|t@p && E\|E && t@p\)\)\|
  \(C@pn \& !t@p\)\|\(C@pp \& t@p\)\)
@script:python@
p << shape.p;
pn << shape.pn = [];
pa << shape.pa = [];
pp << shape.pp = [];
@@
for q, c in zip(p, pn or pa or pp):
	if span([c]) in conds:
		shapes.setdefault(key([q]), ("pos" if pp else "neg", "&" if pa else "", span([c])))

// the guards written out, and the enabling uses
@uses depends on test@
identifier E = {EFER_SVME, _EFER_SVME, MSR_VM_HSAVE_PA, virt_ops, cpu_svm_disable, stgi, clgi, svm_hardware_enable, kvm_enable_virtualization};
expression g;
position p, pe;
@@
\(\( g@p \& cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) \)\|E@pe\)
@script:python depends on uses@
p << uses.p = [];
pe << uses.pe = [];
@@
guards.extend((q.file, q.current_element, span([q])[1:3], None) for q in p)
enablers.extend((q.file, q.current_element, span([q])[1:3]) for q in pe)

@r depends on test && (report || org)@
identifier T;
position p : script:python() { key(p) in decide(p[0].file) };
@@
\(T@p(...)\|T@p\)
@script:python depends on report@
p << r.p;
@@
for q in p:
	coccilib.report.print_report(q, "ERROR: " + sites[key([q])][3])
@script:python depends on org@
p << r.p;
@@
for q in p:
	cocci.print_main(sites[key([q])][3], [q])

@depends on test && context@
identifier T;
position p : script:python() { key(p) in decide(p[0].file) };
@@
* T@p(...)

// the whole condition or returned value: a shorter operand starts there too
@depends on test && patch@
expression E;
position pe : script:python() { decide(pe[0].file) is not None and span(pe) in fixes };
fresh identifier N = script:python(pe) { fix(pe) };
@@
- E@pe
+ N
