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
import re

# The facts of rules/vc-svm-opcodes.yaml that the reasoning below needs.
RULE = "vc-svm-opcodes"
PREFIX = "SVM_EXIT_"
VALIDATORS = ("vc_check_opcode_bytes",)
EXCLUDE = ("tools/", "scripts/", "samples/", "Documentation/")
MISSING = ("'%s' has no case for %s; their #VC intercept terminates the "
           "guest instead of raising #UD")
WRONG = ("'%s' accepts '%s' (%s) with the wrong bytes: it compares %s, "
         "the instruction is %s")
# mnemonic, exit code, opcode bytes, ModRM
TABLE = [
	("VMRUN", "SVM_EXIT_VMRUN", (0x0f, 0x01), 0xd8),
	("VMMCALL", "SVM_EXIT_VMMCALL", (0x0f, 0x01), 0xd9),
	("VMLOAD", "SVM_EXIT_VMLOAD", (0x0f, 0x01), 0xda),
	("VMSAVE", "SVM_EXIT_VMSAVE", (0x0f, 0x01), 0xdb),
	("STGI", "SVM_EXIT_STGI", (0x0f, 0x01), 0xdc),
	("CLGI", "SVM_EXIT_CLGI", (0x0f, 0x01), 0xdd),
	("SKINIT", "SVM_EXIT_SKINIT", (0x0f, 0x01), 0xde),
	("INVLPGA", "SVM_EXIT_INVLPGA", (0x0f, 0x01), 0xdf),
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
	if path not in files:
		files[path] = Facts(path)
	return files[path]

def line_col(F, i):
	off = F.toks[i][2]
	line = F.text.count("\n", 0, off)
	return line + 1, off - F.lines[line] + 1

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
	import os
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
	best, best_n = None, 0
	for i in range(body, F.match(body)):
		if F.t(i) != "switch":
			continue
		labels, cmps, hi = scan(F, body, i)
		n = sum(1 for l in labels if l["text"] and
			F.t(l["tok"] + 1).startswith(PREFIX))
		if n > best_n:
			best, best_n = (i, labels, cmps, hi), n
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
		loc = min(targets) if targets else \
			min(c["tok"] for k in wrong for c in wrong[k])
		out.append((loc, WRONG % (fn, row[1], row[0], actual, expected)))
	if missing:
		names = ["'%s'" % m for m in missing]
		text = names[0] if len(names) == 1 else \
			", ".join(names[:-1]) + " and " + names[-1]
		out.append((name, MISSING % (fn, text)))
	return out, (best, missing)

def decide(F):
	if F.verdict is None:
		F.verdict, F.fixes = {}, {}
		for name, body in F.funcs.items():
			found, fix = validate(F, name, body)
			for tok, msg in found:
				F.verdict[tok] = msg
			if fix and fix[1]:
				F.fixes[name] = fix
	return F.verdict

def bad(p):
	F = facts(p)
	return F.tok(p[0].line, p[0].column) in decide(F)

def finding(p):
	F = facts(p)
	return decide(F)[F.tok(p[0].line, p[0].column)]

def cases_for(p):
	"""The missing cases of the validator whose switch is at P, in its idiom."""
	F = facts(p)
	decide(F)
	sw = F.tok(p[0].line, p[0].column)
	for name, ((i, labels, cmps, hi), missing) in F.fixes.items():
		if i != sw:
			continue
		dflt = [l for l in labels if l["text"] is None]
		if not dflt:
			return None
		line_start = F.text.rfind("\n", 0, F.toks[dflt[0]["tok"]][2]) + 1
		ci = F.text[line_start:F.toks[dflt[0]["tok"]][2]]
		bi = ci + "\t"
		opv = [c for c in cmps if c["kind"] == "opcode"]
		modv = [c for c in cmps if c["kind"] == "modrm"]
		if not opv or not modv:
			return None
		def expr(c):
			j = c["tok"]
			if F.t(j - 1) == "==":
				k = chain_back(F, j - 2)
				return "".join(F.t(x) for x in range(k, j - 1))
			return "".join(F.t(x) for x in
				       range(j + 2, chain_fwd(F, j + 2) + 1))
		blank = F.text[line_start - 2:line_start] == "\n\n"
		out = ""
		for row in TABLE:
			if row[1] not in missing:
				continue
			out += "%scase %s:\n%sif (%s == %s && %s == %s)\n%s\treturn ES_OK;\n%sbreak;\n" % (
				ci, row[1], bi, expr(opv[0]),
				format_new(F, cmps, "opcode", opcode_of(row), 2),
				expr(modv[0]), format_new(F, cmps, "modrm", row[3], 1),
				bi, bi)
			if blank:
				out += "\n"
		return out
	return None

@sw@
identifier C =~ "^SVM_EXIT_";
expression E;
position ps;
@@
switch@ps (E) { case C: ... }

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
* fn@p(...) { ... }

@fix depends on sw && patch@
identifier C =~ "^SVM_EXIT_";
expression E;
position ps : script:python() { cases_for(ps) is not None };
@@
switch@ps (E) { case C: ... }

@script:python mk depends on patch@
ps << fix.ps;
NC;
@@
coccinelle.NC = cocci.make_ident(cases_for(ps))
