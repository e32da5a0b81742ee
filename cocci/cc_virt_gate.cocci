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
/// This is the semantic-patch twin of ccgate's cc-virt-gate rule: the same
/// gates, the same guard test before the first enabling use, the same
/// wrapper-predicate handling within one file, the same message and fix.
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
import bisect
import os
import re

# The facts of rules/cc-virt-gate.yaml that the reasoning below needs.
RULE = "cc-virt-gate"
GUARD = "cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)"
FIX_NEGATED = "cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)"
FIX_POSITIVE = "!cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT)"
EXCLUDE = ("tools/", "scripts/", "samples/", "Documentation/")
MESSAGE = ("'%s' trusts '%s' without checking '%s'; inside an SEV guest "
           "the bit may be advertised but SVM is unusable")
TESTERS = set(["cpu_feature_enabled", "boot_cpu_has", "static_cpu_has",
               "this_cpu_has", "cpu_has"])

TOKEN = re.compile(r'''
	(?P<ws>\s+) | (?P<com>[/][/][^\n]*|[/][*].*?[*][/]) |
	(?P<str>\x22(?:\\.|[^\x22\\\n])*\x22|\x27(?:\\.|[^\x27\\\n])*\x27) |
	(?P<id>[A-Za-z_]\w*) | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*) |
	(?P<op>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*%&|^]=|[/]=|\.\.\.|\#\#|.)
''', re.S | re.X)

files = {}      # path -> per-file facts
macros = set()  # local macros whose replacement is a test
testing = set() # functions holding a test: candidate wrappers

class Facts:
	def __init__(self, path):
		self.path = path
		with open(path, encoding="latin-1") as f:
			self.text = f.read()
		self.toks, self.at = [], {}
		for m in TOKEN.finditer(self.text):
			if m.lastgroup in ("ws", "com"):
				continue
			self.at[m.start()] = len(self.toks)
			self.toks.append((m.group(), m.lastgroup, m.start()))
		self.starts = [t[2] for t in self.toks]
		self.lines = [0]
		for i, c in enumerate(self.text):
			if c == "\n":
				self.lines.append(i + 1)
		self.tests, self.calls = [], []
		self.guards, self.enablers = [], []
		self.ifs, self.rets = {}, {}
		self.static, self.guard_wrappers = set(), set()
		self.verdict = None

	def off(self, line, col):
		return self.lines[int(line) - 1] + int(col)

	def tok(self, line, col):
		return self.at.get(self.off(line, col))

	def tok_ending(self, line, col):
		"""The token whose text ends just before LINE:COL."""
		i = bisect.bisect_right(self.starts, self.off(line, col) - 1) - 1
		return i if i >= 0 else None

	def t(self, i):
		return self.toks[i][0] if 0 <= i < len(self.toks) else None

	def match(self, i):
		pair = {"(": ")", "[": "]", "{": "}"}
		close, depth = pair[self.t(i)], 0
		for j in range(i, len(self.toks)):
			if self.t(j) == self.t(i):
				depth += 1
			elif self.t(j) == close:
				depth -= 1
				if not depth:
					return j
		return len(self.toks) - 1

def facts(p):
	path = p[0].file
	if path not in files:
		files[path] = Facts(path)
	return files[path]

def excluded(path):
	d = os.path.dirname(os.path.abspath(path))
	while d != "/":
		if os.path.exists(os.path.join(d, "include/linux/kconfig.h")):
			rel = os.path.relpath(os.path.abspath(path), d)
			return rel.startswith(EXCLUDE)
		d = os.path.dirname(d)
	return False

def test_end(F, i):
	"""Last token of the test or call starting at token I."""
	if F.t(i + 1) == "(":
		return F.match(i + 1)
	return i

# The depth-0 operand of [lo, hi) holding AT and the top-level operator:
# '|' for ||, '&' for &&, '' for none, '?' for what is not followed.
def operand(F, lo, hi, at):
	depth, op, start, olo, ohi = 0, "", lo, lo, hi
	for i in range(lo, hi):
		t, kind = F.toks[i][0], F.toks[i][1]
		if kind != "op":
			continue
		if t in ("(", "["):
			depth += 1
		elif t in (")", "]"):
			depth -= 1
		elif not depth and t in ("||", "&&"):
			if op and op != t[0]:
				op = "?"
			elif op != "?":
				op = t[0]
			if start <= at < i:
				olo, ohi = start, i
			start = i + 1
		elif not depth and t in ("?", "=", ","):
			return "?", olo, ohi
	if start <= at < hi:
		olo, ohi = start, hi
	return op, olo, ohi

def negations(F, lo, hi, tlo, thi):
	neg = 0
	while True:
		if lo < hi and F.t(lo) == "!":
			neg, lo = neg + 1, lo + 1
		elif lo < hi and F.t(lo) == "(" and F.match(lo) == hi - 1:
			lo, hi = lo + 1, hi - 1
		else:
			break
	return neg if lo == tlo and hi == thi + 1 else -1

def returns(F, ret, values):
	return (F.t(ret) == "return" and F.t(ret + 1) in values and
		F.t(ret + 2) == ";")

# The exit of a then-branch [lo, hi]: its last statement, through blocks.
def exit_of(F, lo, hi):
	if F.t(lo) in ("return", "goto", "break", "continue"):
		return lo
	if F.t(lo) != "{" or hi - 1 <= lo:
		return None
	end = hi - 1
	if F.t(end) == "}":
		open_ = end
		depth = 0
		for j in range(end, lo, -1):
			if F.t(j) == "}":
				depth += 1
			elif F.t(j) == "{":
				depth -= 1
				if not depth:
					open_ = j
					break
		if F.t(open_ - 1) in (";", "{", "}", ":"):
			return exit_of(F, open_, end)
		return None
	depth, j = 0, end - 1
	while j > lo:
		t = F.t(j)
		if t in (")", "]", "}"):
			if not depth and t == "}":
				break
			depth += 1
		elif t in ("(", "[", "{"):
			depth -= 1
		elif not depth and t == ";":
			break
		j -= 1
	first = j + 1
	return first if F.t(first) in ("return", "goto", "break", "continue") else None

def classify(F, lo, hi):
	"""Kind, fix point and expression start of the test at tokens [lo, hi]."""
	best = None
	for i, then in F.ifs.items():
		clo = i + 1
		chi = F.match(clo)
		if clo < lo and hi < chi and (best is None or clo > best[0]):
			best = (clo, chi, then)
	if best:
		clo, chi, (tlo, thi) = best
		op, olo, ohi = operand(F, clo + 1, chi, lo)
		neg = negations(F, olo, ohi, lo, hi)
		ctx = {"op": op, "fix_at": chi, "expr_lo": clo + 1}
		if neg < 0 or op == "?":
			return "other", ctx
		ex = exit_of(F, tlo, thi)
		if neg % 2:
			if ex is None or F.t(ex) not in ("return", "goto"):
				return "other", ctx
			if returns(F, ex, ("0", "false")):
				return "neg_exit_pred", ctx
			return "neg_exit", ctx
		if op == "|":
			return "other", ctx
		if ex is not None and F.t(ex) == "return" and \
		   returns(F, ex, ("1", "true")):
			return "pos_pred", ctx
		for e in F.enablers:
			if tlo <= e[0] <= thi:
				return "pos_enable", ctx
		return "other", ctx
	for r in sorted(F.rets):
		semi = F.rets[r]
		if not (r < lo and hi < semi):
			continue
		op, olo, ohi = operand(F, r + 1, semi, lo)
		neg = negations(F, olo, ohi, lo, hi)
		ctx = {"op": op, "fix_at": semi, "expr_lo": r + 1}
		if neg >= 0 and neg % 2 == 0 and op not in ("|", "?"):
			return "return_pred", ctx
		return "other", ctx
	return "other", None

def guarded(F, fn, hi):
	limit = min([e[0] for e in F.enablers if e[1] == fn and e[0] > hi],
		    default=len(F.toks))
	return any(g[1] == fn and g[0] < limit and g[2] != fn
		   for g in F.guards)

def join(F, lo, hi):
	return "".join(F.t(i) + (" " if F.t(i) == "," else "")
		       for i in range(lo, hi + 1))

def fix_text(F, kind, ctx):
	"""The new text of the condition or returned expression."""
	negated = kind in ("neg_exit", "neg_exit_pred")
	wrap = ctx["op"] == ("&" if negated else "|")
	first = F.toks[ctx["expr_lo"]]
	last = F.toks[ctx["fix_at"] - 1]
	start = F.text.rfind("\n", 0, first[2]) + 1
	align = first[2] - start
	tabs = len(F.text[start:first[2]]) - len(F.text[start:first[2]].lstrip("\t"))
	orig = F.text[first[2]:last[2] + len(last[0])]
	s = "(" + orig + ")" if wrap else orig
	s += " ||\n" if negated else " &&\n"
	s += "\t" * min(tabs, align) + " " * (align - min(tabs, align))
	return s + (FIX_NEGATED if negated else FIX_POSITIVE)

def site(F, fn, lo, hi, kind, ctx):
	return {"fn": fn, "lo": lo, "hi": hi, "kind": kind, "ctx": ctx,
		"test": join(F, lo, hi)}

PRED = ("neg_exit_pred", "return_pred", "pos_pred")

def decide(F):
	"""cvg_function() and cvg_unit_end() of plugin/cc-virt-gate.c."""
	if F.verdict is not None:
		return F.verdict
	F.verdict = {}
	wrappers = {}   # name -> {site, static, callers, unguarded}
	in_scope = not excluded(F.path)
	events = sorted([(lo, "test", fn, None) for lo, fn in F.tests] +
			[(lo, "call", fn, name) for lo, fn, name in F.calls])

	def add_wrapper(fn, s):
		if fn not in wrappers:
			wrappers[fn] = {"site": s, "static": fn in F.static,
					"callers": 0, "unguarded": []}

	for lo, what, fn, callee in events:
		hi = test_end(F, lo)
		if what == "call":
			w = wrappers.get(callee)
			if w is None or callee == fn:
				continue
			w["callers"] += 1
			if guarded(F, fn, hi):
				continue
			kind, ctx = classify(F, lo, hi)
			if kind in PRED:
				add_wrapper(fn, w["site"])
			else:
				w["unguarded"].append((lo, fn))
			continue
		kind, ctx = classify(F, lo, hi)
		if not in_scope or kind == "other" or guarded(F, fn, hi):
			continue
		s = site(F, fn, lo, hi, kind, ctx)
		if kind in PRED:
			add_wrapper(fn, s)
		else:
			F.verdict[lo] = s
	for name, w in wrappers.items():
		if not w["unguarded"] and (w["callers"] or w["static"]):
			continue
		F.verdict[w["site"]["lo"]] = w["site"]
	return F.verdict

def add_test(p):
	if p[0].current_element == "something_else":
		return
	F = facts(p)
	i = F.tok(p[0].line, p[0].column)
	if i is not None and (i, p[0].current_element) not in F.tests:
		F.tests.append((i, p[0].current_element))
		testing.add(p[0].current_element)

def bad(p):
	F = facts(p)
	return F.tok(p[0].line, p[0].column) in decide(F)

def finding(p):
	F = facts(p)
	s = decide(F)[F.tok(p[0].line, p[0].column)]
	return MESSAGE % (s["fn"], s["test"], GUARD)

def fix_at(p):
	"""The site to fix whose if/return statement starts at P, or None."""
	F = facts(p)
	i = F.tok(p[0].line, p[0].column)
	for s in decide(F).values():
		if s["ctx"]["expr_lo"] in (i + 1, i + 2):
			return s
	return None

def fix(p):
	F = facts(p)
	s = fix_at(p)
	return fix_text(F, s["kind"], s["ctx"])

// Facts: local macros that are tests, tests, the statements around them,
// guards, enabling uses, linkage.  Every rule after "test" depends on it, so
// that only files holding a test are parsed further.

@mac@
identifier M;
identifier T = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has};
expression C;
@@
(
#define M(...) T(X86_FEATURE_SVM)
|
#define M(...) cpu_has(C, X86_FEATURE_SVM)
|
#define M T(X86_FEATURE_SVM)
|
#define M cpu_has(C, X86_FEATURE_SVM)
)

@script:python@
M << mac.M;
@@
macros.add(M)

@test@
identifier T = {cpu_feature_enabled, boot_cpu_has, static_cpu_has, this_cpu_has};
expression C;
position p;
@@
(
T@p(X86_FEATURE_SVM)
|
cpu_has@p(C, X86_FEATURE_SVM)
)

@script:python@
p << test.p;
@@
add_test(p)

@mtest depends on test@
identifier M : script:python() { M in macros };
position p;
@@
(
M@p(...)
|
M@p
)

@script:python@
p << mtest.p;
@@
add_test(p)

@wcall depends on test@
identifier wname : script:python() { wname in testing };
position p;
@@
wname@p(...)

@script:python@
p << wcall.p;
@@
F = facts(p)
i = F.tok(p[0].line, p[0].column)
if i is not None and p[0].current_element != F.t(i):
	F.calls.append((i, p[0].current_element, F.t(i)))

@cond depends on test@
identifier T : script:python() { T in TESTERS or T in macros or T in testing };
statement S;
position pi, ps;
@@
if@pi (<+... T(...) ...+>) S@ps

@script:python@
pi << cond.pi;
ps << cond.ps;
@@
F = facts(pi)
i = F.tok(pi[0].line, pi[0].column)
lo = F.tok(ps[0].line, ps[0].column)
hi = F.tok_ending(ps[0].line_end, ps[0].column_end)
if None not in (i, lo, hi):
	F.ifs[i] = (lo, hi)

@ret depends on test@
expression E;
position pr, pe;
@@
return@pr E@pe;

@script:python@
pr << ret.pr;
pe << ret.pe;
@@
F = facts(pr)
i = F.tok(pr[0].line, pr[0].column)
end = F.tok_ending(pe[0].line_end, pe[0].column_end)
if None not in (i, end):
	F.rets[i] = end + 1

@gw depends on test@
identifier G;
position p;
@@
G@p(...) { ... return <+... cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ...+>; ... }

@script:python@
p << gw.p;
G << gw.G;
@@
facts(p).guard_wrappers.add(G)

@guard depends on test@
identifier G : script:python() {
	any(G in F.guard_wrappers for F in files.values())
};
position p;
@@
(
cc_platform_has@p(CC_ATTR_GUEST_MEM_ENCRYPT)
|
G@p(...)
)

@script:python@
p << guard.p;
@@
F = facts(p)
i = F.tok(p[0].line, p[0].column)
if i is not None:
	name = F.t(i)
	callee = None if name == "cc_platform_has" else name
	if callee is None or callee in F.guard_wrappers:
		F.guards.append((i, p[0].current_element, callee))

@enabler depends on test@
identifier E =~ "^(EFER_SVME|_EFER_SVME|MSR_VM_HSAVE_PA|virt_ops|cpu_svm_disable|stgi|clgi|svm_hardware_enable|kvm_enable_virtualization)$";
position p;
@@
E@p

@script:python@
p << enabler.p;
@@
F = facts(p)
i = F.tok(p[0].line, p[0].column)
if i is not None and (i, p[0].current_element) not in F.enablers:
	F.enablers.append((i, p[0].current_element))

@linkage depends on test@
type R;
identifier sfn;
@@
static R sfn(...) { ... }

@script:python@
sfn << linkage.sfn;
@@
for F in files.values():
	F.static.add(sfn)

// Verdicts, per mode.

@r depends on test && (report || org)@
identifier T;
position p : script:python() { bad(p) };
@@
(
T@p(...)
|
T@p
)

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
position pi : script:python() { fix_at(pi) is not None };
@@
if@pi (E) S

@script:python mkif depends on patch@
pi << fixif.pi;
NC;
@@
coccinelle.NC = cocci.make_ident(fix(pi))

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
position pr : script:python() { fix_at(pr) is not None };
@@
return@pr E;

@script:python mkret depends on patch@
pr << fixret.pr;
NE;
@@
coccinelle.NE = cocci.make_ident(fix(pr))

@depends on patch@
expression fixret.E;
position fixret.pr;
identifier mkret.NE;
@@
return@pr
- E
+ NE
 ;
