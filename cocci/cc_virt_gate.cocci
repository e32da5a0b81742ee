// SPDX-License-Identifier: GPL-2.0-only
///
/// Code that decides AMD SVM is usable from the CPUID bit alone
/// (cpu_feature_enabled(), boot_cpu_has(), static_cpu_has(), this_cpu_has(),
/// cpu_has(c, ...) of X86_FEATURE_SVM, or a local macro or wrapper around
/// them) must also check cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT).  Inside
/// an SEV, SEV-ES or SEV-SNP guest the hypervisor may still advertise SVM,
/// but nested virtualization cannot work there, and under SEV-ES the host's
/// EFER.SVME leaks into the guest, so Linux believes it enabled SVM and runs
/// STGI in its emergency-disable path.  See "x86/virt: Treat SVM as
/// unsupported when running as an SEV+ guest".
///
/// The twin of ccgate's cc-virt-gate rule; its facts are generated from
/// rules/cc-virt-gate.yaml (cocci/generate.py, template cocci/cc_virt_gate.cocci.in).
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
RULE = 'cc-virt-gate'
MESSAGE = "'%(function)s' trusts '%(test)s' without checking '%(guard)s'; inside an SEV guest the bit may be advertised but SVM is unusable"
GUARD = 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'
FIX_NEGATED = 'cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'
FIX_POSITIVE = '!cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)'
EXCLUDE = ('tools/', 'scripts/', 'samples/', 'Documentation/')

macros, testing, gwrap, static = set(), set(), set(), set()
sites = {}	# (file, line, col) -> a test, or a call of a function holding one
conds = {}	# span of the condition of an if or a returned value -> (if, its branch)
shapes = {}	# site -> ("neg" or "pos", "&" for an && chain, conds[...])
exits, guards, enablers, fixes, verdicts, src = {}, [], [], {}, {}, {}

def key(p):
	return (p[0].file, int(p[0].line), int(p[0].column))

def span(p):
	return key(p) + (int(p[0].line_end), int(p[0].column_end))

def text(s):
	"""The source text of span S, for messages and fixes."""
	if s[0] not in src:
		with open(s[0], encoding="latin-1") as f:
			src[s[0]] = f.read().split("\n")
	lines = src[s[0]][s[1] - 1:s[3]]
	return "\n".join(lines)[s[2]:len("\n".join(lines)) - len(lines[-1]) + s[4]]

def excluded(path):
	d = os.path.dirname(os.path.abspath(path))
	while d != "/" and not os.path.exists(d + "/include/linux/kconfig.h"):
		d = os.path.dirname(d)
	return d != "/" and os.path.relpath(os.path.abspath(path), d).startswith(EXCLUDE)

def site(p, call):
	fn, callee = p[0].current_element, re.match(r"\w+", text(span(p))).group() if call else None
	if fn != "something_else" and fn != callee:
		sites.setdefault(key(p), {"fn": fn, "callee": callee, "end": span(p)[3:],
			"test": re.sub(r"\s+", "", text(span(p))).replace(",", ", ")})

def bare(s):
	return re.sub(r"[/][*].*?[*][/]|[/][/].*", "", text(s), flags=re.S)

def exit_of(b):
	"""The exit ending branch B: in SmPL "{ ... return 0; }" follows paths,
	not the last statement, so only braces may come between."""
	for x, what in exits.get(b[0], []):
		tail = b[:1] + x[3:] + b[3:]
		if x == b or (b[1:3] < x[1:3] and x[3:] < b[3:] and
		   re.fullmatch(r"[\s}]*", bare(tail)) and re.search(r"[;{}]\s*$", bare(b[:3] + x[1:3]))):
			return what
	return None

def kind(s):
	how, op, (stmt, b) = shapes.get(s, (None, "", (None, None)))
	ex = exit_of(b) if b else None
	if how == "pos" and b is None:
		return "return_pred", op
	if how == "neg" and ex:
		return ("neg_exit_pred" if ex == "pred" else "neg_exit"), op
	if how == "pos" and ex == "true":
		return "pos_pred", op
	if how == "pos" and any(e[0] == s[0] and b[1:3] <= e[2] <= b[3:] for e in enablers):
		return "pos_enable", op
	return "other", op

def guarded(f, fn, after):
	mine = [e[2] for e in enablers if e[:2] == (f, fn) and e[2] > after]
	return any(g[:2] == (f, fn) and g[2] < min(mine, default=(1 << 30, 0)) and
		   g[3] != fn for g in guards)

def decide(f):
	"""cvg_function() and cvg_unit_end() of plugin/cc-virt-gate.c."""
	if f in verdicts:
		return verdicts[f]
	verdicts[f], wrappers = {}, {}
	for s in sorted(k for k in sites if k[0] == f):
		fn, callee, e = sites[s]["fn"], sites[s]["callee"], sites[s]["end"]
		k = kind(s)[0]
		w = wrappers.get(callee)
		if (callee and not w) or (not callee and (k == "other" or excluded(f))):
			continue
		if callee:
			w["callers"] += 1
		if guarded(f, fn, e):
			continue
		if k in ("neg_exit_pred", "return_pred", "pos_pred"):
			wrappers.setdefault(fn, {"site": w["site"] if callee else s,
				"callers": 0, "bad": 0, "static": fn in static})
		elif callee:
			w["bad"] += 1
		else:
			verdicts[f][s] = s
	for w in wrappers.values():
		if w["bad"] or not (w["callers"] or w["static"]):
			verdicts[f][w["site"]] = w["site"]
	for s in verdicts[f]:
		neg = kind(s)[0].startswith("neg")
		fixes[shapes[s][2][0]] = (neg, neg and kind(s)[1] == "&")
	return verdicts[f]

def fixable(p):
	return decide(p[0].file) is not None and key(p) in fixes

def bad(p):
	return key(p) in decide(p[0].file)

def finding(p):
	s = sites[key(p)]
	return MESSAGE % {"function": s["fn"], "test": s["test"], "guard": GUARD}

def fix(p, pe):
	"""The condition (or returned value) and the guard, on a continuation
	line aligned with tabs, then spaces."""
	neg, wrap = fixes[key(p)]
	line, col = src[p[0].file][int(pe[0].line) - 1], int(pe[0].column)
	tabs = min(col, len(line) - len(line.lstrip("\t")))
	cond = "(%s)" % text(span(pe)) if wrap else text(span(pe))
	return cond + (" ||\n" if neg else " &&\n") + "\t" * tabs + " " * (col - tabs) + \
		(FIX_NEGATED if neg else FIX_POSITIVE)

// Facts: tests, local macros that are tests, wrappers' calls, the shape
// of the if or return around each, guards, enabling uses, linkage.  The
// rules after "test" depend on it: spatch parses no other file.

@mac@
identifier T0 = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has};
identifier T1 = {cpu_has};
identifier M;
expression C;
@@
(
#define M(...) \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \)
|
#define M \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \)
)

@script:python@
M << mac.M;
@@
macros.add(M)

@test@
identifier T0 = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has};
identifier T1 = {cpu_has};
expression C, t;
position p;
@@
\( t@p \& \( T0(X86_FEATURE_SVM) \| T1(C, X86_FEATURE_SVM) \) \)

@script:python@
p << test.p;
@@
site(p, False)
testing.add(p[0].current_element)

@mtest depends on test@
identifier M : script:python() { M in macros };
expression t;
position p;
@@
\( t@p \& \( M(...) \| M \) \)

@script:python@
p << mtest.p;
@@
site(p, False)
testing.add(p[0].current_element)

@wcall depends on test@
identifier wname : script:python() { wname in testing };
expression t;
position p;
@@
\( t@p \& wname(...) \)

@script:python@
p << wcall.p;
@@
site(p, True)

// The if or return around a site and the exits of its branch.  SmPL
// does the operators, for a chain of up to three operands (cocci/README.md);
// longer alternatives first: a disjunction takes the first that matches.
@cond depends on test@
expression C;
position pi, pc, ps;
statement S, S2;
@@
\(if@pi (C@pc) S@ps\|if@pi (C@pc) S@ps else S2\|return@pi C@pc;\)

@script:python@
pi << cond.pi;
pc << cond.pc;
ps << cond.ps = [];
@@
conds[span(pc)] = (key(pi), span(ps) if ps else None)

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
c = pn or pa or pp
if span(c) in conds:
	shapes.setdefault(key(p), ("pos" if pp else "neg", "&" if pa else "", conds[span(c)]))

@ex depends on test@
statement S;
expression R;
identifier L;
position px, p0, p1;
symbol false, true;
@@
\( S@px \& \(return@p0 \(0\|false\);\|return@p1 \(1\|true\);\|return R;\|return;\|goto L;\) \)

@script:python@
px << ex.px;
p0 << ex.p0 = [];
p1 << ex.p1 = [];
@@
exits.setdefault(px[0].file, []).append((span(px), "pred" if p0 else "true" if p1 else "exit"))

@gw depends on test@
identifier G;
position p;
@@
G@p(...) { ... return <+... cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ...+>; ... }

@script:python@
G << gw.G;
@@
gwrap.add(G)

@guard depends on test@
expression g;
position p;
@@
\( g@p \& cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) \)

@script:python@
p << guard.p;
@@
guards.append((p[0].file, p[0].current_element, (int(p[0].line), int(p[0].column)), None))

@gcall depends on test@
identifier G : script:python() { G in gwrap };
position p;
@@
G@p(...)

@script:python@
p << gcall.p;
@@
guards.append((p[0].file, p[0].current_element, (int(p[0].line), int(p[0].column)), text(span(p))))

@enabler depends on test@
identifier E = {EFER_SVME, _EFER_SVME, MSR_VM_HSAVE_PA, virt_ops, cpu_svm_disable, stgi, clgi, svm_hardware_enable, kvm_enable_virtualization};
position p;
@@
E@p

@script:python@
p << enabler.p;
@@
enablers.append((p[0].file, p[0].current_element, (int(p[0].line), int(p[0].column))))

@linkage depends on test@
type R;
identifier sfn;
@@
static R sfn(...) { ... }

@script:python@
sfn << linkage.sfn;
@@
static.add(sfn)

// Verdicts, per mode.

@r depends on test && (report || org)@
identifier T;
position p : script:python() { bad(p) };
@@
\(T@p(...)\|T@p\)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "ERROR: %s [%s]" % (finding(p), RULE))

@script:python depends on org@
p << r.p;
@@
cocci.print_main("%s [%s]" % (finding(p), RULE), p)

@depends on test && context@
identifier T;
position p : script:python() { bad(p) };
@@
* T@p(...)

@fixif depends on test && patch@
expression E;
statement S;
position pi : script:python() { fixable(pi) }, pe;
@@
if@pi (E@pe) S

@script:python mkif depends on patch@
pi << fixif.pi;
pe << fixif.pe;
NC;
@@
coccinelle.NC = cocci.make_ident(fix(pi, pe))

@depends on patch@
expression fixif.E;
position fixif.pi;
identifier mkif.NC;
statement S;
@@
if@pi (
- E
+ NC
  ) S

@fixret depends on test && patch@
expression E;
position pr : script:python() { fixable(pr) }, pe;
@@
return@pr E@pe;

@script:python mkret depends on patch@
pr << fixret.pr;
pe << fixret.pe;
NE;
@@
coccinelle.NE = cocci.make_ident(fix(pr, pe))

@depends on patch@
expression fixret.E;
position fixret.pr;
identifier mkret.NE;
@@
return@pr
- E
+ NE
 ;
