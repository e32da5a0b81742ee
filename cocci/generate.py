#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a semantic patch, or its Python module, from its template and
its rule's YAML.

Usage: generate.py TEMPLATE RULE.yaml OUTPUT

The template (cocci/<rule>.cocci.in, cocci/<rule>.py.in) holds the
reasoning; every {{NAME}} in it is a fact of rules/<rule-id>.yaml, spelled
here as SmPL (identifier sets, disjunctions: tokens that spatch's
prefilter can see) or as Python constants for the scripts.  The output is
committed as cocci/<rule>.cocci (cocci/<rule>.py), so that `make
coccicheck COCCI=...` needs no ccgate build; the cocci-generated test
fails when the two drift apart.
"""
import re
import sys

import yaml


def die(msg):
	sys.stderr.write("generate.py: %s\n" % msg)
	sys.exit(2)


def alt(words):
	"""An SmPL disjunction of tokens (one token needs none)."""
	words = list(words)
	if not words:
		die("an empty list in the rule")
	return words[0] if len(words) == 1 else "\\(" + "\\|".join(words) + "\\)"


def idset(words):
	return "{" + ", ".join(words) + "}"


def message(r, key, **known):
	"""Rule R's message KEY tagged with its id, the fields known now filled
	in and the others as Python's %(field)s."""
	def field(m):
		return known[m.group(1)].replace("%", "%%") if m.group(1) in known else \
			"%%(%s)s" % m.group(1)
	text = "%s [%s]" % (r[key], r["id"])
	return repr(re.sub(r"\{(\w+)\}", field, text.replace("%", "%%")))


def cc_virt_gate(r):
	feats = [f["name"] for f in r["features"] if f.get("enabled", True)]
	by_arg = {}
	for t in r["testers"]:
		by_arg.setdefault(int(t["arg"]), []).append(t["name"])
	decls, calls = [], []
	for arg, names in sorted(by_arg.items()):
		decls.append("T%d = %s" % (arg, idset(names)))
		calls.append("T%d(%s%s)" % (arg, "C, " * arg, alt(feats)))
	guards = ["%s(%s)" % (g["function"], g["arg"]) for g in r["guards"]]
	return {
		"TESTERS": ", ".join(decls),
		"TEST": " \\| ".join(calls),
		"FEATURE": alt(feats),
		"GUARD": alt(guards),
		"ENABLERS": idset(r["enablers"]),
		"PYTHON": "\n".join([
			"MESSAGE = %s" % message(r, "message", guard=guards[0]),
			"FIX = (%r,\t# after a positive test\n       %r)\t# after a negated one" % (
				r["fix"]["positive"], r["fix"]["negated"]),
			"EXCLUDE = %r" % (tuple(r.get("exclude", [])),),
		]),
	}


def vc_svm_opcodes(r):
	rows = [(i["mnemonic"], i["exit_code"], list(i["opcode"]), i["modrm"])
		for i in r["instructions"]]
	# the opcode as the decoder's little-endian value, and the bytes as text
	table = "".join("\t(%r, %r, %d, 0x%02x, 0x%0*x, %r),\n" % (
		m, e, len(o), d, 2 * len(o), sum((b & 0xff) << (8 * i) for i, b in enumerate(o)),
		" ".join("%02X" % b for b in o + [d])) for m, e, o, d in rows)
	codes = [e for _, e, _, _ in rows]
	codes += [c for c in r.get("intercepted", []) if c not in codes]
	return {
		"EXITS": "\\|\n      ".join("\\|".join(codes[i:i + 4])
					    for i in range(0, len(codes), 4)).join(["\\(", "\\)"]),
		"VALIDATORS": idset(r["validators"]),
		"DISPATCHERS": idset(r["dispatchers"]),
		"PYTHON": "\n".join([
			"PREFIX = %r" % r["exit_prefix"],
			"VALIDATORS = %r" % (tuple(r["validators"]),),
			"DISPATCHERS = %r" % (tuple(r["dispatchers"]),),
			"MISSING = %s" % message(r, "missing_message"),
			"WRONG = %s" % message(r, "wrong_message"),
			"EXCLUDE = %r" % (tuple(r.get("exclude", [])),),
			"# mnemonic, exit code, opcode length, ModRM, opcode, bytes",
			"TABLE = [\n%s]" % table,
		]),
	}


def main(argv):
	if len(argv) != 4:
		die("usage: generate.py TEMPLATE RULE.yaml OUTPUT")
	try:
		with open(argv[1]) as f:
			text = f.read()
		with open(argv[2]) as f:
			rule = yaml.safe_load(f)
	except (OSError, yaml.YAMLError) as e:
		die("cannot read the input: %s" % e)
	gens = {"cc-virt-gate": cc_virt_gate, "vc-svm-opcodes": vc_svm_opcodes}
	if not isinstance(rule, dict) or rule.get("id") not in gens:
		die("'%s' is not a rule with a semantic patch" % argv[2])
	try:
		facts = gens[rule["id"]](rule)
	except (KeyError, TypeError, ValueError) as e:
		die("'%s': missing or bad fact %s" % (argv[2], e))
	facts["SOURCE"] = "rules/%s.yaml" % rule["id"]
	unknown = set(re.findall(r"\{\{(\w+)\}\}", text)) - set(facts)
	if unknown:
		die("'%s': unknown fact {{%s}}" % (argv[1], sorted(unknown)[0]))
	text = re.sub(r"\{\{(\w+)\}\}", lambda m: facts[m.group(1)], text)
	try:
		with open(argv[3], "w") as f:
			f.write(text)
	except OSError as e:
		die("cannot write '%s': %s" % (argv[3], e))


if __name__ == "__main__":
	main(sys.argv)
