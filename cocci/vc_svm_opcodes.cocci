// SPDX-License-Identifier: GPL-2.0-only
///
/// The SEV-ES #VC handler validates the instruction bytes of each
/// intercepted exit in vc_check_opcode_bytes().  SVM instructions (VMRUN,
/// VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA) need a case there: without
/// one their intercept is fatal and the guest is terminated instead of
/// getting a #UD that the instruction's exception fixup would absorb (the
/// STGI of the emergency virtualization-disable path, reached because the
/// host's EFER.SVME leaks into an SEV-ES guest).  A case that compares the
/// wrong opcode or ModRM bytes is reported too.
///
/// This is the semantic-patch twin of ccgate's vc-svm-opcodes rule: the same
/// validators (named, or any SVM_EXIT_* switch comparing decoded opcode or
/// ModRM values), the same findings and messages.  In patch mode it adds the
/// missing cases before the validator's "default:".
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
import os
import re

# generated from rules/vc-svm-opcodes.yaml
RULE = 'vc-svm-opcodes'
PREFIX = 'SVM_EXIT_'
VALIDATORS = ('vc_check_opcode_bytes',)
DISPATCHERS = ('vc_handle_exitcode',)
MISSING = "'%(function)s' has no case for %(missing)s; their #VC intercept terminates the guest instead of raising #UD"
WRONG = "'%(function)s' accepts '%(exit_code)s' (%(mnemonic)s) with the wrong bytes: it compares %(actual)s, the instruction is %(expected)s"
EXCLUDE = ('tools/', 'scripts/', 'samples/', 'Documentation/')
# mnemonic, exit code, opcode bytes, ModRM
TABLE = [
	('VMRUN', 'SVM_EXIT_VMRUN', (0x0f, 0x01), 0xd8),
	('VMMCALL', 'SVM_EXIT_VMMCALL', (0x0f, 0x01), 0xd9),
	('VMLOAD', 'SVM_EXIT_VMLOAD', (0x0f, 0x01), 0xda),
	('VMSAVE', 'SVM_EXIT_VMSAVE', (0x0f, 0x01), 0xdb),
	('STGI', 'SVM_EXIT_STGI', (0x0f, 0x01), 0xdc),
	('CLGI', 'SVM_EXIT_CLGI', (0x0f, 0x01), 0xdd),
	('SKINIT', 'SVM_EXIT_SKINIT', (0x0f, 0x01), 0xde),
	('INVLPGA', 'SVM_EXIT_INVLPGA', (0x0f, 0x01), 0xdf),
]

TOKEN = re.compile(r'''
	(?P<ws>\s+) | (?P<com>[/][/][^\n]*|[/][*].*?[*][/]) |
	(?P<str>\x22(?:\\.|[^\x22\\\n])*\x22|\x27(?:\\.|[^\x27\\\n])*\x27) |
	(?P<id>[A-Za-z_]\w*) | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*) |
	(?P<op>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*%&|^]=|[/]=|\.\.\.|\#\#|.)
''', re.S | re.X)

files = {}

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
		self.lines = [0]
		for i, c in enumerate(self.text):
			if c == "\n":
				self.lines.append(i + 1)
		self.funcs = {}     # name token -> body '{' token
		self.verdict = None

	def off(self, line, col):
		return self.lines[int(line) - 1] + int(col)

	def tok(self, line, col):
		return self.at.get(self.off(line, col))

	def t(self, i):
		return self.toks[i][0] if 0 <= i < len(self.toks) else ""

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

	def ident(self, i):
		return 0 <= i < len(self.toks) and self.toks[i][1] == "id"

	def member(self, i):
		return self.t(i) in (".", "->")

def facts(p):
	path = p[0].file
	base = os.path.basename(path)
	if path not in files and base.startswith("cocci_small_output-"):
		# After a rule changed the file, spatch matches a rewritten copy;
		# the constant fixes keep every line, so the facts still hold.
		base = base.split("-", 3)[-1]
		for known in reversed(list(files)):
			if os.path.basename(known) == base:
				return files[known]
	if path not in files:
		files[path] = Facts(path)
	return files[path]

def kind_of(name):
	n = name.lower()
	return "modrm" if "modrm" in n else "opcode" if "opcode" in n else None

def int_literal(tok):
	text, kind = tok[0], tok[1]
	if kind != "num" or not text[0].isdigit():
		return None
	text = text.rstrip("uUlL")
	try:
		return int(text, 0) if not re.match(r"0[0-7]+$", text) else int(text, 8)
	except ValueError:
		return None

def chain_back(F, j):
	if not F.ident(j):
		return None
	while j >= 2 and F.member(j - 1) and F.ident(j - 2):
		j -= 2
	return None if j and F.member(j - 1) else j

def chain_fwd(F, j):
	if not F.ident(j) or (j and F.member(j - 1)):
		return None
	while F.member(j + 1) and F.ident(j + 2):
		j += 2
	if F.t(j + 1) in ("(", "[") or F.member(j + 1):
		return None
	return j

def scan(F, body, sw):
	"""scan_function() of plugin/vc-svm-opcodes.c for the switch at SW."""
	lo = F.match(sw + 1) + 1
	hi = F.match(lo)
	labels, depth, i = [], 0, lo + 1
	while i < hi:
		t = F.t(i)
		if t in ("{", "(", "["):
			depth += 1
		elif t in ("}", ")", "]"):
			depth -= 1
		elif not depth and t in ("case", "default"):
			colon = i + 1
			while colon < hi and F.t(colon) != ":":
				colon += 1
			text = None if t == "default" else \
				" ".join(F.t(k) for k in range(i + 1, colon))
			labels.append({"tok": i, "colon": colon, "text": text})
			i = colon
		elif not depth and t == "switch":
			i = F.match(F.match(i + 1) + 1)
		i += 1
	for k in range(len(labels) - 1, -1, -1):
		l = labels[k]
		end = labels[k + 1]["tok"] if k + 1 < len(labels) else hi
		if l["colon"] + 1 >= end and k + 1 < len(labels):
			l["lo"], l["hi"] = labels[k + 1]["lo"], labels[k + 1]["hi"]
		else:
			l["lo"], l["hi"] = l["colon"] + 1, end
	vars_ = {}
	for i in range(body + 1, sw):
		if F.t(i) != "=" or not F.ident(i - 1) or F.member(i - 2):
			continue
		k, d = None, 0
		for j in range(i + 1, sw):
			t = F.t(j)
			if t in ("(", "["):
				d += 1
			elif t in (")", "]"):
				d -= 1
			if t == ";" or (not d and t == ","):
				break
			tk = kind_of(t)
			if tk == "modrm" or (tk == "opcode" and k is None):
				k = tk
		if k and F.t(i - 1) not in vars_:
			vars_[F.t(i - 1)] = k
	cmps = []
	start = labels[0]["colon"] + 1 if labels else hi
	for i in range(start, hi):
		if F.t(i) != "==":
			continue
		v = int_literal(F.toks[i + 1])
		if v is not None and F.t(i + 2) != "(" and not F.member(i + 2) and \
		   chain_back(F, i - 1) is not None:
			c, elo, ehi = i + 1, chain_back(F, i - 1), i - 1
		else:
			v = int_literal(F.toks[i - 1])
			if v is None or chain_fwd(F, i + 1) is None:
				continue
			c, elo, ehi = i - 1, i + 1, chain_fwd(F, i + 1)
		kind = None
		if elo == ehi and F.t(elo) in vars_:
			kind = vars_[F.t(elo)]
		else:
			for k in range(elo, ehi + 1):
				tk = kind_of(F.t(k))
				if tk == "modrm":
					kind = tk
					break
				kind = kind or tk
		if kind:
			cmps.append({"tok": c, "kind": kind, "value": v})
	return labels, cmps, hi

def opcode_of(row):
	v = 0
	for i, b in enumerate(row[2]):
		v |= (b & 0xff) << (8 * i)
	return v

def expect(row, kind):
	return opcode_of(row) if kind == "opcode" else row[3]

def format_like(orig, v, min_digits):
	if orig is None:
		return "0x%0*x" % (min_digits, v)
	hexa = orig[:2] in ("0x", "0X")
	p = orig[2:] if hexa else orig
	m = re.match(r"[0-9a-fA-F]*", p)
	digits, suffix = m.group(), p[m.end():]
	if not hexa:
		return "%d%s" % (v, suffix)
	upper = any(c.isupper() for c in digits)
	return orig[:2] + (("%0*X" if upper else "%0*x") %
			   (max(min_digits, len(digits)), v)) + suffix

def format_new(F, cmps, kind, v, nbytes):
	style, padded = None, kind == "modrm"
	for c in cmps:
		t = F.t(c["tok"])
		if c["kind"] != kind:
			continue
		if c["value"] == v:
			return t
		style = style or t
		if t[:2] in ("0x", "0X") and t[2:3] == "0":
			padded = True
	if style is None and cmps:
		style = F.t(cmps[0]["tok"])
	return format_like(style, v, 2 * nbytes if padded else 1)

def excluded(path):
	d = os.path.dirname(os.path.abspath(path))
	while d != "/":
		if os.path.exists(os.path.join(d, "include/linux/kconfig.h")):
			rel = os.path.relpath(os.path.abspath(path), d)
			return rel.startswith(EXCLUDE)
		d = os.path.dirname(d)
	return False

def validate(F, name, body):
	"""Findings of the function whose name token is NAME: (tok, message)."""
	out = []
	best = best_switch(F, body)
	if best is None or excluded(F.path):
		return out, None
	sw, labels, cmps, hi = best
	fn = F.t(name)
	if fn not in VALIDATORS and not cmps:
		return out, None
	missing, used = [], set()
	for row in TABLE:
		l = [l for l in labels if l["text"] == row[1]]
		if not l:
			missing.append(row[1])
			continue
		l = l[0]
		wrong = {}
		for kind in ("opcode", "modrm"):
			mine = [c for c in cmps if c["kind"] == kind and
				l["lo"] <= c["tok"] < l["hi"]]
			if mine and all(c["value"] != expect(row, kind) for c in mine):
				wrong[kind] = mine
		if not wrong:
			continue
		actual = ", ".join(
			("opcode " if k == "opcode" else "ModRM ") +
			" or ".join(F.t(c["tok"]) for c in wrong[k])
			for k in ("opcode", "modrm") if k in wrong)
		expected = "%s %02X (opcode %s, ModRM %s)" % (
			" ".join("%02X" % b for b in row[2]), row[3],
			format_new(F, cmps, "opcode", opcode_of(row), len(row[2])),
			format_new(F, cmps, "modrm", row[3], 1))
		targets = []
		for k in wrong:
			group = [r for r in TABLE for o in labels
				 if o["text"] == r[1] and o["lo"] == l["lo"]]
			free = [c for c in wrong[k] if c["tok"] not in used and
				all(expect(r, k) != c["value"] for r in group)]
			if free:
				used.add(free[0]["tok"])
				targets.append(free[0]["tok"])
				F.kfix[free[0]["tok"]] = format_like(
					F.t(free[0]["tok"]), expect(row, k),
					1 if k == "opcode" else 2)
		loc = min(targets) if targets else \
			min(c["tok"] for k in wrong for c in wrong[k])
		out.append((loc, WRONG % {"function": fn, "exit_code": row[1], "mnemonic": row[0],
				  "actual": actual, "expected": expected}))
	if missing:
		names = ["'%s'" % m for m in missing]
		text = names[0] if len(names) == 1 else \
			", ".join(names[:-1]) + " and " + names[-1]
		out.append((name, MISSING % {"function": fn, "missing": text}))
	return out, (best, missing)

def best_switch(F, body):
	best, best_n = None, 0
	for i in range(body, F.match(body)):
		if F.t(i) != "switch":
			continue
		labels, cmps, hi = scan(F, body, i)
		n = sum(1 for l in labels if l["text"] and
			F.t(l["tok"] + 1).startswith(PREFIX))
		if n > best_n:
			best, best_n = (i, labels, cmps, hi), n
	return best

def decide(F):
	if F.verdict is None:
		F.verdict, F.fixes, F.kfix, missing = {}, {}, {}, []
		for name, body in F.funcs.items():
			found, fix = validate(F, name, body)
			for tok, msg in found:
				F.verdict[tok] = msg
			if fix and fix[1]:
				text = validator_cases(F, fix[0], fix[1])
				if text:
					F.fixes[F.t(name)] = text
				missing += [m for m in fix[1] if m not in missing]
		for name, body in F.funcs.items():
			if F.t(name) not in DISPATCHERS or not missing:
				continue
			sw = best_switch(F, body)
			if sw and not sw[2]:
				text = dispatcher_cases(F, name, body, sw, missing)
				if text:
					F.fixes[F.t(name)] = text
	return F.verdict

def constant_for(p):
	F = facts(p)
	decide(F)
	return F.kfix.get(F.tok(p[0].line, p[0].column))

def bad(p):
	F = facts(p)
	return F.tok(p[0].line, p[0].column) in decide(F)

def finding(p):
	F = facts(p)
	return decide(F)[F.tok(p[0].line, p[0].column)]

def cases_for(p, before_default):
	"""The cases to insert into the switch at P, if it is fixed that way."""
	F = facts(p)
	decide(F)
	# by function: positions in a copy that a rule already changed are
	# not those of the original file
	fix = F.fixes.get(p[0].current_element)
	return fix[0] if fix and (fix[1] is None) == before_default else None

def break_fix(p):
	"""The text replacing the "break;" at P, the last one of a switch without
	"default:" that gets new cases."""
	F = facts(p)
	decide(F)
	fix = F.fixes.get(p[0].current_element)
	if fix and fix[1] is not None and F.tok(p[0].line, p[0].column) == fix[1]:
		return fix[0]
	return None

def line_indent(F, tok):
	"""The indent of the line of TOK, or None if TOK does not start it."""
	off = F.toks[tok][2]
	start = F.text.rfind("\n", 0, off) + 1
	return None if F.text[start:off].strip() else F.text[start:off]

def insertion(F, labels, hi):
	"""Case indent, trailing indent and blank-line style of the insertion
	before "default:" or, without one, before the switch's closing brace."""
	dflt = [l for l in labels if l["text"] is None]
	cases = [l for l in labels if l["text"] is not None]
	if not cases:
		return None
	ci = line_indent(F, cases[0]["tok"])
	tok = dflt[0]["tok"] if dflt else hi
	tail = line_indent(F, tok)
	if ci is None or tail is None:
		return None
	start = F.text.rfind("\n", 0, F.toks[tok][2]) + 1
	blank = F.text[start - 2:start] == "\n\n"
	return ci, tail, blank, bool(dflt)

def compared(F, c):
	j = c["tok"]
	if F.t(j - 1) == "==":
		k = chain_back(F, j - 2)
		return F.text[F.toks[k][2]:F.toks[j - 2][2] + len(F.t(j - 2))]
	k = chain_fwd(F, j + 2)
	return F.text[F.toks[j + 2][2]:F.toks[k][2] + len(F.t(k))]

def ok_return(F, i, hi, cmps):
	"""The value of the "return" that accepts an exit, and its indent."""
	any_ = None
	for t in range(i, hi):
		if F.t(t) != "return":
			continue
		semi = t + 1
		while semi < hi and F.t(semi) != ";":
			semi += 1
		if semi == t + 1:
			continue
		value = F.text[F.toks[t + 1][2]:F.toks[semi - 1][2] + len(F.t(semi - 1))]
		if F.t(t - 1) == ")":
			k = t - 1
			depth = 0
			while k > i:
				if F.t(k) == ")":
					depth += 1
				elif F.t(k) == "(":
					depth -= 1
					if not depth:
						break
				k -= 1
			if F.t(k - 1) == "if" and any(k < c["tok"] < t for c in cmps):
				return value, line_indent(F, t)
		any_ = any_ or (value, None)
	return any_

def placed(F, hi, out, ci, tail, blank, dflt):
	"""OUT as the rules put it in place, and where: before "default:"
	(None), or, without one, in place of the switch's last "break;" (its
	token), as that "break" followed by OUT: spatch attaches no code to a
	closing brace."""
	if dflt:
		return out + tail, None
	if F.t(hi - 1) != ";" or F.t(hi - 2) != "break":
		return None
	text = ("\n" if blank else "") + ci + out.rstrip("\n")
	return "break;\n" + text[:-1], hi - 2

def validator_cases(F, sw, missing):
	"""The missing cases, in the validator's idiom (build_validator_cases)."""
	i, labels, cmps, hi = sw
	at = insertion(F, labels, hi)
	opv = [c for c in cmps if c["kind"] == "opcode"]
	modv = [c for c in cmps if c["kind"] == "modrm"]
	ok = ok_return(F, i, hi, cmps)
	if at is None or not opv or not modv or ok is None:
		return None
	ci, tail, blank, dflt = at
	bi = ci + "\t"
	ri = ok[1] if ok[1] is not None else bi + "\t"
	out = ""
	for row in TABLE:
		if row[1] not in missing:
			continue
		if out and blank:
			out += "\n"
		out += "%scase %s:\n%sif (%s == %s && %s == %s)\n%sreturn %s;\n%sbreak;\n" % (
			ci if out else "", row[1], bi, compared(F, opv[0]),
			format_new(F, cmps, "opcode", opcode_of(row), len(row[2])),
			compared(F, modv[0]), format_new(F, cmps, "modrm", row[3], 1),
			ri, ok[0], bi)
	if blank and dflt:
		out += "\n"
	return placed(F, hi, out, ci, tail, blank, dflt)

def dispatcher_cases(F, name, body, sw, missing):
	"""The dispatcher's new cases: the missing exit codes raise #UD."""
	i, labels, cmps, hi = sw
	at = insertion(F, labels, hi)
	todo = [m for m in missing if m not in [l["text"] for l in labels]]
	if at is None or not todo:
		return None
	ci, tail, blank, dflt = at
	ctxt = "ctxt->"
	for k in range(name, F.match(body)):
		if F.t(k) != "es_em_ctxt":
			continue
		if F.t(k + 1) == "*" and F.ident(k + 2):
			ctxt = F.t(k + 2) + "->"
			break
		if F.ident(k + 1) and F.t(k + 2) != "(":
			ctxt = F.t(k + 1) + "."
			break
	result = None
	for l in labels:
		for t in range(l["lo"], l["hi"] - 1):
			if (t == l["lo"] or F.t(t - 1) in (";", "{", "}")) and \
			   F.ident(t) and F.t(t + 1) == "=":
				result = F.t(t)
				break
		if result:
			break
	bi = ci + "\t"
	out = "".join("%scase %s:\n" % (ci if n else "", m)
		      for n, m in enumerate(todo))
	out += "%s%sfi.vector = X86_TRAP_UD;\n%s%sfi.error_code = 0;\n" % (
		bi, ctxt, bi, ctxt)
	if result:
		out += "%s%s = ES_EXCEPTION;\n%sbreak;\n" % (bi, result, bi)
	else:
		out += "%sreturn ES_EXCEPTION;\n" % bi
	if blank and dflt:
		out += "\n"
	return placed(F, hi, out, ci, tail, blank, dflt)

// A validator or dispatcher switch names at least one exit code that the
// #VC handler intercepts.  Spelling them out as a disjunction gives spatch
// tokens to look for, so it skips every other file without parsing it (a
// regular expression or a set of identifiers does not: 12 minutes instead
// of 15 seconds for a whole tree).
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

@fns depends on sw@
identifier fn;
position pf;
@@
fn@pf(...) { ... }

@script:python@
pf << fns.pf;
@@
F = facts(pf)
i = F.tok(pf[0].line, pf[0].column)
if i is not None:
	j = F.match(i + 1) + 1
	while j < len(F.toks) and F.t(j) != "{" and F.t(j) != ";":
		j += 1
	if F.t(j) == "{":
		F.funcs[i] = j

@r depends on sw && (report || org)@
position p : script:python() { bad(p) };
identifier fn;
@@
fn@p(...) { ... }

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "ERROR: %s [%s]" % (finding(p), RULE))

@script:python depends on org@
p << r.p;
@@
cocci.print_main("%s [%s]" % (finding(p), RULE), p)

@w depends on sw && (report || org)@
position p : script:python() { bad(p) };
expression X;
constant K;
@@
\(X == K@p\|K@p == X\)

@script:python depends on report@
p << w.p;
@@
coccilib.report.print_report(p[0], "ERROR: %s [%s]" % (finding(p), RULE))

@script:python depends on org@
p << w.p;
@@
cocci.print_main("%s [%s]" % (finding(p), RULE), p)

@depends on sw && context@
position p : script:python() { bad(p) };
identifier fn;
@@
* fn@p(...)
  { ... }

@depends on sw && context@
position p : script:python() { bad(p) };
expression X;
constant K;
@@
(
* X == K@p
|
* K@p == X
)

@fixk depends on sw && patch@
expression X;
constant K;
position pk : script:python() { constant_for(pk) is not None };
@@
\(X == K@pk\|K@pk == X\)

@script:python mkk depends on patch@
pk << fixk.pk;
NK;
@@
coccinelle.NK = cocci.make_ident(constant_for(pk))

@depends on patch@
constant fixk.K;
position fixk.pk;
identifier mkk.NK;
@@
- K@pk
+ NK

@fixd depends on sw && patch@
identifier C =~ "^SVM_EXIT_";
expression E;
position ps : script:python() { cases_for(ps, True) is not None };
@@
switch@ps (E) { case C: ... }

@script:python mkd depends on patch@
ps << fixd.ps;
NC;
@@
coccinelle.NC = cocci.make_ident(cases_for(ps, True))

@depends on patch@
position fixd.ps;
identifier mkd.NC;
identifier C;
expression E;
@@
switch@ps (E) {
 case C: ...
+ NC
 default: ...
}

@fixb depends on sw && patch@
position pb : script:python() { break_fix(pb) is not None };
@@
break@pb;

@script:python mkb depends on patch@
pb << fixb.pb;
NB;
@@
coccinelle.NB = cocci.make_ident(break_fix(pb))

@depends on patch@
position fixb.pb;
identifier mkb.NB;
@@
- break@pb;
+ NB;
