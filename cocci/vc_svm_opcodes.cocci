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
# The reasoning SmPL cannot express is the Python module beside this file
# (cocci/README.md); cocci.cocci_file is the path spatch opened.
import os, sys
sys.dont_write_bytecode = True		# nothing written beside the two files
sys.path.insert(0, os.path.dirname(os.path.abspath(cocci.cocci_file)))
try:
	from vc_svm_opcodes import fact, span, decide, show, fix_for, ends_switch
except ImportError as e:
	raise SystemExit("%s: vc_svm_opcodes.py must be beside it (%s)" % (cocci.cocci_file, e))
del sys.path[0]

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

// The #VC context functions are passed.
@ctxp depends on sw@
identifier fn, x;
position px;
@@
fn(..., struct es_em_ctxt *x@px, ...) { ... }
@script:python@
px << ctxp.px;
x << ctxp.x;
@@
fact("ctx", px, x + "->")

// The labels of each switch (a switch matters only with an identifier
// label, an exit code), and the comparisons with a constant that each
// label reaches: labels that share a body reach the same ones.
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
	fact("label", [c], span([w]), C)

@dflt depends on sw@
expression E;
statement S;
position pw, pd;
@@
\( S@pw \& switch (E) { default@pd: ... } \)
@script:python@
pw << dflt.pw;
pd << dflt.pd;
@@
for w, d in zip(pw, pd):
	fact("label", [d], span([w]), None)

@cmps depends on sw exists@
expression E, X;
identifier C;
constant K;
position pc, pk;
@@
switch (E) { case C@pc: <+... \(X == K@pk\|K@pk == X\) ...+> }
@script:python@
pc << cmps.pc;
pk << cmps.pk;
X << cmps.X;
K << cmps.K;
C << cmps.C;
@@
for c in pc:
	fact("cmp", pk, span([c]), X, K)

// Variables and what they are set to, the context on the stack, returns
// (and the conditions they depend on) and breaks.
@stmts depends on sw@
type T;
identifier v, x;
expression C, E, R;
position p, pc;
@@
(
T v@p = E;
|
v@p = E
|
struct es_em_ctxt x@p;
|
if (C@pc) return@p R;
|
return@p R;
|
break@p;
)
@script:python@
p << stmts.p;
T << stmts.T = "";
v << stmts.v = "";
E << stmts.E = "";
x << stmts.x = "";
R << stmts.R = "";
pc << stmts.pc = [];
@@
if E and T:
	fact("var", p, v, E)
elif E:		# an assignment: also the result variable of a dispatcher
	fact("var", p, v, E)
	fact("res", p, v, E)
elif x:
	fact("ctx", p, x + ".")
elif R:
	fact("ret", p, R, span(pc) if pc else None)
else:
	fact("brk", p)

// Functions: last of the facts, since the report scripts inherit them (a
// rule between would be matched once per function).
@fns depends on sw@
identifier fn;
position pf;
@@
fn@pf(...) { ... }
@script:python@
pf << fns.pf;
@@
fact("fn", pf)

// Report each finding at the function name or the constant it is about.
@script:python depends on report@
pf << fns.pf;
@@
show(pf, lambda q, msg: coccilib.report.print_report(q, "ERROR: " + msg))
@script:python depends on org@
pf << fns.pf;
@@
show(pf, lambda q, msg: cocci.print_main(msg, [q]))

@depends on sw && context@
position p : script:python() { span(p)[:3] in decide(span(p)[0]) };
identifier fn;
@@
* fn@p(...)
  { ... }

@depends on sw && context@
position p : script:python() { span(p)[:3] in decide(span(p)[0]) };
constant K;
@@
* K@p

// The fixes: a constant, the cases before "default:" or after the last
// "break;".  spatch matches a rewritten copy after each (canon()).
@depends on sw && patch@
constant K;
position pk : script:python() { fix_for(pk) is not None };
fresh identifier N = script:python(pk) { fix_for(pk) };
@@
- K@pk
+ N

@depends on sw && patch@
identifier C =~ "^SVM_EXIT_";
expression E;
position ps : script:python() { fix_for(ps, "default") is not None };
fresh identifier N = script:python(ps) { fix_for(ps, "default") };
@@
switch@ps (E) {
 case C: ...
+ N
 default: ...
}

@depends on sw && patch@
position pb : script:python() { ends_switch(pb) and fix_for(pb, "break") is not None };
fresh identifier N = script:python(pb) { fix_for(pb, "break") };
@@
- break@pb;
+ N;
