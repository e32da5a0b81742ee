# SPDX-License-Identifier: GPL-2.0-only
"""What vc_svm_opcodes.cocci decides in Python: what SmPL cannot express
(cocci/README.md, "What SmPL cannot express here").

The semantic patch's rules bind the facts of each function (its switches
and their labels, the comparisons each label reaches, declarations,
returns, breaks) and hand them to fact(); show(), the position
constraints and the fixes' fresh identifiers then ask decide() for the
file's findings and fixes: the best switch, the missing and wrong cases,
and the new cases in the function's own idiom.

The semantic patch imports this module from its own directory
(cocci.cocci_file, the path spatch opened), so the two files go together.
Generated with it by cocci/generate.py from vc_svm_opcodes.py.in and
rules/vc-svm-opcodes.yaml.
"""
import os
import re

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
facts, src, verdicts, fixes, where, shown = {}, {}, {}, {}, {}, set()


def canon(path):
	"""The file of the copy (only the changed functions) spatch rewrote after a fix."""
	base = os.path.basename(path)
	if not base.startswith("cocci_small_output-"):
		return path
	return [k for k in verdicts if os.path.basename(k) == base.split("-", 3)[-1]][-1]


def span(p):
	return (canon(p[0].file), int(p[0].line), int(p[0].column),
		int(p[0].line_end), int(p[0].column_end))


def fact(what, ps, *rest):
	"""A fact of the function at each position of PS: its span, then REST."""
	for q in ps:
		s = span([q])
		where[s[:3]] = q
		facts.setdefault((what, s[0], q.current_element), set()).add((s,) + rest)


def of(what, f, fn):
	return sorted(facts.get((what, f, fn), ()), key=lambda x: x[0])


def lines(f):
	if f not in src:
		with open(f, encoding="latin-1") as h:
			src[f] = h.read().split("\n")
	return src[f]


def text(s):
	t = "\n".join(lines(s[0])[s[1] - 1:s[3]])
	return t[s[2]:len(t) - len(lines(s[0])[s[3] - 1]) + s[4]]


def indent(s, word=""):
	"""The indent of the line of S, or None if S (after WORD) does not start it."""
	m = re.fullmatch(r"(\s*)%s\s*" % word, text((s[0], s[1], 0, s[1], s[2])))
	return m and m.group(1)


def kind_of(t):
	n = t.lower()
	return "modrm" if "modrm" in n else "opcode" if "opcode" in n else None


def value(t):
	t = t.rstrip("uUlL")
	try:
		return int(t, 8) if re.fullmatch(r"0[0-7]+", t) else int(t, 0) if t[:1].isdigit() else None
	except ValueError:
		return None


def switch(f, fn):
	"""The switch of FN with the most exit-code labels: its span, its labels
	(span, exit code or None for "default") and its comparisons of the
	opcode or ModRM with a constant, each with the labels it is under."""
	sws = {}
	for l, s, c in of("label", f, fn):
		sws.setdefault(s, []).append((l, c))
	n, sw = max([(sum(1 for l, c in sws[s] if c and c.startswith(PREFIX)), s)
		     for s in sorted(sws)] or [(0, None)], key=lambda x: x[0])
	if not n:
		return None
	kinds, cs, ls = {}, {}, sorted(sws[sw])
	for v, x, e in of("var", f, fn):
		if v[1:3] < sw[1:3] and kind_of(e):
			kinds.setdefault(x, kind_of(e))
	for k, l, x, t in of("cmp", f, fn):
		x = re.sub(r"\s*(\.|->)\s*", r"\1", x)
		w = [kind_of(w) for w in re.findall(r"\w+", x) if kind_of(w)]
		kind = kinds.get(x, "modrm" if "modrm" in w else (w + [None])[0])
		if kind and value(t) is not None and l in [l for l, c in ls] and \
		   re.fullmatch(r"\w+((\.|->)\w+)*", x):
			cs.setdefault(k, {"at": k[1:3], "kind": kind, "value": value(t), "text": t, "x": x,
					  "in": set()})["in"].add(l)
	# a body falling through into the next case keeps its own comparisons
	for c in cs.values():
		own = max(l[1:3] for l, _ in ls if l[1:3] < c["at"])	# the label it is under
		c["in"] = set(l for l in c["in"]
			      if not any(l[1:3] < d["at"] < own for d in cs.values()))
	return sw, ls, sorted(cs.values(), key=lambda c: c["at"])


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
	return format_like((mine or cs)[0]["text"], v, 2 * nbytes if padded else 1)


def excluded(path):
	d = path = os.path.abspath(path)
	while d != "/" and not os.path.exists(os.path.join(d, "include/linux/kconfig.h")):
		d = os.path.dirname(d)
	return d != "/" and os.path.relpath(path, d).startswith(EXCLUDE)


def validate(f, fn):
	"""The findings of FN, (position, message), and its switch and missing exits."""
	best = switch(f, fn)
	if best is None or excluded(f) or fn not in VALIDATORS and not best[2]:
		return [], None
	sw, ls, cs = best
	out, missing, used = [], [], set()
	body = lambda l: [c["at"] for c in cs if l in c["in"]]
	for row in TABLE:
		l = [l for l, c in ls if c == row[1]]
		if not l:
			missing.append(row[1])
			continue
		wrong = {}
		for kind in ("opcode", "modrm"):
			mine = [c for c in cs if c["kind"] == kind and l[0] in c["in"]]
			if mine and all(c["value"] != expect(row, kind) for c in mine):
				wrong[kind] = mine
		if not wrong:
			continue
		actual = ", ".join(("opcode " if k == "opcode" else "ModRM ") +
				   " or ".join(c["text"] for c in wrong[k]) for k in ("opcode", "modrm") if k in wrong)
		expected = "%s (opcode %s, ModRM %s)" % (row[5], format_new(cs, "opcode", row[4], row[2]),
							  format_new(cs, "modrm", row[3], 1))
		# a constant to fix is one that no row of the labels sharing the body expects
		group = [r for r in TABLE for o, c in ls if c == r[1] and body(o) == body(l[0])]
		targets = []
		for k in wrong:
			free = [c for c in wrong[k] if c["at"] not in used and
				all(expect(r, k) != c["value"] for r in group)]
			if free:
				used.add(free[0]["at"])
				targets.append(free[0]["at"])
				fixes[(f,) + free[0]["at"]] = format_like(free[0]["text"], expect(row, k),
									  1 if k == "opcode" else 2)
		at = min(targets) if targets else min(c["at"] for k in wrong for c in wrong[k])
		out.append((at, WRONG % {"function": fn, "exit_code": row[1], "mnemonic": row[0],
					 "actual": actual, "expected": expected}))
	if missing:
		names = ["'%s'" % m for m in missing]
		names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
		out.append((of("fn", f, fn)[0][0][1:3], MISSING % {"function": fn, "missing": names}))
	return out, (best, missing)


def decide(f):
	if f not in verdicts:
		verdicts[f], missing, add = {}, [], []
		for fn in sorted(set(k[2] for k in facts if k[:2] == ("fn", f))):
			found, fix = validate(f, fn)
			verdicts[f].update(((f,) + at, msg) for at, msg in found)
			if fix and fix[1]:
				add.append(validator_cases(f, fn, fix))
				missing += [m for m in fix[1] if m not in missing]
		for fn in DISPATCHERS:
			sw = switch(f, fn) if missing and of("fn", f, fn) else None
			if sw and not sw[2]:
				add.append(dispatcher_cases(f, fn, sw, missing))
		fixes.update(a for a in add if a)
	return verdicts[f]


def insertion(f, sw, ls):
	"""Indent of the cases and of what follows them, a blank line before
	it, and whether that is a "default:" (else the closing brace)."""
	dflt = [l for l, c in ls if c is None]
	cases = [l for l, c in ls if c is not None]
	at = dflt[0] if dflt else (f, sw[3], sw[4] - 1)
	if not cases or None in (indent(cases[0], "case"), indent(at)):
		return None
	return indent(cases[0], "case"), indent(at), at[1] > 1 and not lines(f)[at[1] - 2], bool(dflt)


def placed(f, fn, sw, out, ci, tail, blank, dflt):
	"""Where and what: OUT before the "default:" of the switch, or, without
	one, its last "break;" followed by OUT (spatch attaches no code to a
	closing brace)."""
	if dflt:
		return (f, fn, "default"), out + tail
	last = [b for b, in of("brk", f, fn) if b[1:3] < sw[3:] and
		re.fullmatch(r"\s*;\s*", text((f,) + b[3:] + (sw[3], sw[4] - 1)))]
	if not last:
		return None
	t = ("\n" if blank else "") + ci + out.rstrip("\n")
	return (f, fn, "break"), "break;\n" + t[:-1]


def validator_cases(f, fn, fix):
	"""The missing cases in the idiom of the validator."""
	(sw, ls, cs), missing = fix
	at = insertion(f, sw, ls)
	opv = [c for c in cs if c["kind"] == "opcode"]
	modv = [c for c in cs if c["kind"] == "modrm"]
	rs = [r for r in of("ret", f, fn) if sw[1:3] <= r[0][1:3] < sw[3:]]
	ok = [(r[1], indent(r[0])) for r in rs
	      if r[2] and any(r[2][1:3] <= c["at"] < r[2][3:] for c in cs)]
	ok = (ok + [(r[1], None) for r in rs])[:1]
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
	return placed(f, fn, sw, out + ("\n" if blank and dflt else ""), ci, tail, blank, dflt)


def dispatcher_cases(f, fn, best, missing):
	"""The missing exit codes raise #UD in the dispatcher."""
	sw, ls, cs = best
	at = insertion(f, sw, ls)
	todo = [m for m in missing if m not in [c for l, c in ls]]
	if at is None or not todo:
		return None
	ci, tail, blank, dflt = at
	ctxt = ([c[1] for c in of("ctx", f, fn)] + ["ctxt->"])[0]
	res = [x for v, x, e in of("res", f, fn) if ls[0][0][1:3] <= v[1:3] < sw[3:]]
	bi = ci + "\t"
	out = "".join("%scase %s:\n" % (ci if n else "", m) for n, m in enumerate(todo))
	out += "%s%sfi.vector = X86_TRAP_UD;\n%s%sfi.error_code = 0;\n" % (bi, ctxt, bi, ctxt)
	out += "%s%s = ES_EXCEPTION;\n%sbreak;\n" % (bi, res[0], bi) if res else "%sreturn ES_EXCEPTION;\n" % bi
	return placed(f, fn, sw, out + ("\n" if blank and dflt else ""), ci, tail, blank, dflt)


def show(ps, out):
	"""OUT each finding of the file of PS once, at the position it is about."""
	f = span(ps)[0]
	for at in sorted(decide(f)) if f not in shown else ():
		out(where[at], verdicts[f][at])
	shown.add(f)


def fix_for(p, key=None):
	"""The text replacing the constant at P, or for the function of P (its
	lines move in the copy that spatch rewrites after a fix) the cases
	before its "default:" (KEY "default") or what replaces its last "break;"."""
	decide(span(p)[0])
	return fixes.get(span(p)[:3] if key is None else (span(p)[0], p[0].current_element, key))


def ends_switch(p):
	"""Whether only the closing brace of a switch follows the "break" at P."""
	rest = lines(p[0].file)[int(p[0].line_end) - 1:int(p[0].line_end) + 3]
	return re.match(r"\s*;\s*}", "\n".join(rest)[int(p[0].column_end):]) is not None
