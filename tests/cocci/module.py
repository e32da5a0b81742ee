#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The Python module of vc_svm_opcodes.cocci on its own, without spatch:
constants read and written in the file's style, the kind of a compared
expression, the rule pack's exclude list, and the decisions (the best
switch, missing and wrong cases, the fixes) from facts as the SmPL rules
hand them over.

Usage: module.py COCCI-DIR (the generated cocci/ of the source or build tree)
"""
import importlib.util
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
spec = importlib.util.spec_from_file_location(
	"vc_svm_opcodes", os.path.join(sys.argv.pop(1), "vc_svm_opcodes.py"))
vso = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vso)


class Pos:
	"""A position as spatch hands it to a script."""
	def __init__(self, file, fn, line, col, line_end, col_end):
		self.file, self.current_element = file, fn
		self.line, self.column = str(line), str(col)
		self.line_end, self.column_end = str(line_end), str(col_end)


class Constants(unittest.TestCase):
	def test_value(self):
		for text, v in (("0x010f", 0x10f), ("0x10FU", 0x10f), ("017", 15),
				("0", 0), ("220ul", 220), ("SVM_EXIT_STGI", None),
				("08", None), ("0xZZ", None)):
			self.assertEqual(vso.value(text), v, text)

	def test_format_like(self):
		self.assertEqual(vso.format_like("0x0F", 0xdc, 2), "0xDC")
		self.assertEqual(vso.format_like("0x010f", 0x10f, 4), "0x010f")
		self.assertEqual(vso.format_like("0x1u", 0x10f, 1), "0x10fu")
		self.assertEqual(vso.format_like("15U", 0xdc, 2), "220U")

	def test_format_new_follows_the_neighbours(self):
		cs = [{"kind": "opcode", "value": 0x10f, "text": "0x10F"},
		      {"kind": "modrm", "value": 0xd8, "text": "0xD8"}]
		self.assertEqual(vso.format_new(cs, "opcode", 0x10f, 2), "0x10F")
		self.assertEqual(vso.format_new(cs, "modrm", 0xdc, 1), "0xDC")
		# an opcode of another value: no zero padding unless the file pads
		self.assertEqual(vso.format_new(cs, "opcode", 0x20f, 2), "0x20F")
		cs[0]["text"] = "0x010F"
		self.assertEqual(vso.format_new(cs, "opcode", 0x20f, 2), "0x020F")
		# a value the file spells already is spelled the same
		cs.insert(0, {"kind": "opcode", "value": 0x20f, "text": "0x20F"})
		cs[1]["text"] = "0x010f"
		self.assertEqual(vso.format_new(cs, "opcode", 0x10f, 2), "0x010f")

	def test_kind_of(self):
		self.assertEqual(vso.kind_of("ctxt->insn.opcode.value"), "opcode")
		self.assertEqual(vso.kind_of("insn_get_modrm"), "modrm")
		self.assertIsNone(vso.kind_of("exit_code"))


class Exclude(unittest.TestCase):
	def test_paths_of_the_tree(self):
		with tempfile.TemporaryDirectory() as t:
			os.makedirs(os.path.join(t, "include/linux"))
			open(os.path.join(t, "include/linux/kconfig.h"), "w").close()
			self.assertTrue(vso.excluded(os.path.join(t, "tools/x/v.c")))
			self.assertFalse(vso.excluded(os.path.join(t, "arch/x86/coco/v.c")))
		# no tree above the file: nothing is excluded
		self.assertFalse(vso.excluded("/nonexistent/tools/v.c"))


class Decide(unittest.TestCase):
	"""A validator with cases for VMMCALL (right bytes) and STGI (a wrong
	ModRM), no others, as the SmPL rules would hand it over."""
	SRC = """static enum es_result vc_check_opcode_bytes(struct es_em_ctxt *ctxt,
					   unsigned long exit_code)
{
	unsigned int opcode = (unsigned int)ctxt->insn.opcode.value;
	u8 modrm = ctxt->insn.modrm.value;

	switch (exit_code) {
	case SVM_EXIT_VMMCALL:
		if (opcode == 0x010f && modrm == 0xd9)
			return ES_OK;
		break;
	case SVM_EXIT_STGI:
		if (opcode == 0x010f && modrm == 0xd1)
			return ES_OK;
		break;
	default:
		break;
	}
	return ES_UNSUPPORTED;
}
"""

	def setUp(self):
		for d in (vso.facts, vso.src, vso.verdicts, vso.fixes, vso.where):
			d.clear()
		vso.shown.clear()
		self.dir = tempfile.TemporaryDirectory()
		self.f = os.path.join(self.dir.name, "vc.c")
		with open(self.f, "w") as h:
			h.write(self.SRC)
		self.lines = self.SRC.split("\n")

	def tearDown(self):
		self.dir.cleanup()

	def at(self, word, line, n=0):
		"""The position of the Nth WORD on (1-based) LINE."""
		col = -1
		for _ in range(n + 1):
			col = self.lines[line - 1].index(word, col + 1)
		return Pos(self.f, "vc_check_opcode_bytes", line, col, line, col + len(word))

	def feed(self):
		sw = self.at("switch", 7)
		sw.line_end, sw.column_end = "18", "2"
		span = vso.span([sw])
		vso.fact("fn", [self.at("vc_check_opcode_bytes", 1)])
		vso.fact("var", [self.at("opcode", 4)], "opcode", "(unsigned int)ctxt->insn.opcode.value")
		vso.fact("var", [self.at("modrm", 5)], "modrm", "ctxt->insn.modrm.value")
		vso.fact("label", [self.at("SVM_EXIT_VMMCALL", 8)], span, "SVM_EXIT_VMMCALL")
		vso.fact("label", [self.at("SVM_EXIT_STGI", 12)], span, "SVM_EXIT_STGI")
		vso.fact("label", [self.at("default", 16)], span, None)
		for line, case, modrm in ((9, "SVM_EXIT_VMMCALL", "0xd9"), (13, "SVM_EXIT_STGI", "0xd1")):
			label = vso.span([self.at(case, line - 1)])
			vso.fact("cmp", [self.at("0x010f", line)], label, "opcode", "0x010f")
			vso.fact("cmp", [self.at(modrm, line)], label, "modrm", modrm)
		for line in (10, 14):
			cond = self.at("opcode", line - 1)
			cond.column_end = str(len(self.lines[line - 2]) - 1)
			vso.fact("ret", [self.at("return", line)], "ES_OK", vso.span([cond]))
		vso.fact("ret", [self.at("return", 19)], "ES_UNSUPPORTED", None)
		for line in (11, 15, 17):
			vso.fact("brk", [self.at("break", line)])

	def test_missing_and_wrong(self):
		self.feed()
		found = vso.decide(self.f)
		msgs = sorted(found.values())
		self.assertEqual(len(msgs), 2, msgs)
		missing = [m for m in msgs if "has no case for" in m][0]
		for row in vso.TABLE:
			named = "'%s'" % row[1] in missing
			self.assertEqual(named, row[1] not in ("SVM_EXIT_VMMCALL", "SVM_EXIT_STGI"), row[1])
		wrong = [m for m in msgs if "wrong bytes" in m][0]
		self.assertIn("'SVM_EXIT_STGI' (STGI)", wrong)
		self.assertIn("ModRM 0xd1", wrong)
		# the wrong constant is corrected in the file's style
		self.assertEqual(vso.fixes[vso.span([self.at("0xd1", 13)])[:3]], "0xdc")
		# the missing cases go before "default:", in the validator's idiom
		key = (self.f, "vc_check_opcode_bytes", "default")
		self.assertIn(key, vso.fixes)
		cases = vso.fixes[key]
		self.assertTrue(cases.startswith("case SVM_EXIT_VMRUN:\n"
						 "\t\tif (opcode == 0x010f && modrm == 0xd8)\n"
						 "\t\t\treturn ES_OK;\n\t\tbreak;\n"), cases)
		self.assertNotIn("SVM_EXIT_STGI", cases)
		self.assertEqual(cases.count("case SVM_EXIT_"), 6, cases)
		# and end in the indent of the "default:" that follows them
		self.assertTrue(cases.endswith("\t\tbreak;\n\t"), repr(cases[-20:]))

	def test_no_exit_code_switch_no_finding(self):
		vso.fact("fn", [self.at("vc_check_opcode_bytes", 1)])
		self.assertEqual(vso.decide(self.f), {})


if __name__ == "__main__":
	unittest.main()
