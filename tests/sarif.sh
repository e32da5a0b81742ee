#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --format=sarif passes the official SARIF validator (@microsoft/sarif-multitool,
# with the SARIF and GitHub ingestion rules) with zero errors, and carries
# what code scanning needs.  Usage: sarif.sh CCGATE SOURCE-DIR [TREE...]
# Exit 77 (skipped) if the validator is not installed: ./quickstart test
# installs it into $CCGATE_CACHE/npm.
set -uo pipefail

CCGATE=$1
SRC=$2
shift 2
CCGATE_CACHE=${CCGATE_CACHE:-$HOME/.cache/ccgate}
MT=$CCGATE_CACHE/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$MT" ]; then
	echo "skipped: the SARIF validator is not installed ($MT); ./quickstart test installs it"
	exit 77
fi
. "$(dirname "$0")/testlib.sh"
# validate FILE: print the validator's errors, one per line
validate() {
	rm -f "$tmp/log.sarif"
	"$MT" validate --rule-kind "Sarif;Gh" --level "Error;Warning;Note" \
		-o "$tmp/log.sarif" "$1" >"$tmp/validator.out" 2>&1
	python3 - "$tmp/log.sarif" <<'PY'
import json, sys
try:
    log = json.load(open(sys.argv[1]))
except Exception as e:
    print("the validator wrote no log: %s" % e)
    sys.exit()
for run in log["runs"]:
    for r in run.get("results", []):
        if r.get("level", "warning") == "error":
            m = r["message"]
            print(r["ruleId"], m.get("text") or m.get("arguments"))
    for n in run["invocations"][0].get("toolExecutionNotifications", []):
        if n.get("level") == "error":
            print("validator:", n["message"]["text"])
PY
}

# the validator catches a broken log, so a pass below means something
"$CCGATE" sweep -q --format=sarif "$SRC/sample" >"$tmp/sample.sarif"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["runs"][0]["tool"]["driver"]["name"]; json.dump(d, open(sys.argv[2], "w"))' \
	"$tmp/sample.sarif" "$tmp/broken.sarif"
[ -n "$(validate "$tmp/broken.sarif")" ] && ok "the validator rejects a log without a tool name" ||
	bad "the validator accepted a broken log: $(cat "$tmp/validator.out")"

# the sample: a finding with notes and a fix; a tree with a failed and an
# incomplete file: coverage notifications; real trees if given
mkdir -p "$tmp/cov/drivers"
printf '#include <missing.h>\nint f(void) { return X86_FEATURE_SVM; }\n' >"$tmp/cov/drivers/inc.c"
printf 'int crash(void) { return X86_FEATURE_SVM; }\n' >"$tmp/cov/drivers/crash.c"
CCGATE_TEST_CRASH=drivers/crash.c "$CCGATE" sweep -q --parse-every-candidate --format=sarif "$tmp/cov" >"$tmp/cov.sarif"
# triage records (issue 18) in the results' property bags
"$CCGATE" sweep -q --format=sarif --triage --config "$SRC/tests/triage/full.config" \
	"$SRC/sample" >"$tmp/triage.sarif"
n=0
for t in "$@"; do
	n=$((n + 1))
	"$CCGATE" sweep -q --format=sarif "$t" >"$tmp/tree$n.sarif"
done
for f in "$tmp"/sample.sarif "$tmp"/cov.sarif "$tmp"/triage.sarif "$tmp"/tree*.sarif; do
	[ -f "$f" ] || continue
	errors=$(validate "$f")
	[ -z "$errors" ] && ok "$(basename "$f"): zero validator errors" ||
		bad "$(basename "$f"): $errors"
done

"$CCGATE" rules list | awk '{print $1}' >"$tmp/rule-ids"
python3 - "$tmp/sample.sarif" "$tmp/cov.sarif" "$tmp/rule-ids" <<'PY' && ok "code scanning fields present" || bad "code scanning fields"
import json, sys
s = json.load(open(sys.argv[1]))
run = s["runs"][0]
assert s["version"] == "2.1.0"
assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")
assert run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
# every rule of the registry, in its order, enabled or not
assert list(rules) == open(sys.argv[3]).read().split(), rules.keys()
assert rules["cc-virt-gate"]["defaultConfiguration"]["enabled"]
assert all(r["help"]["text"] for r in rules.values())
(res,) = run["results"]
assert res["ruleId"] == "cc-virt-gate"
loc = res["locations"][0]["physicalLocation"]
assert loc["artifactLocation"] == {"uri": "arch/x86/virt/hw.c", "uriBaseId": "SRCROOT"}, loc
assert loc["region"]["startLine"] == 272, loc
assert res["partialFingerprints"]["ccgate/v1"]
(rep,) = res["fixes"][0]["artifactChanges"][0]["replacements"]
assert rep["deletedRegion"]["startLine"] == 272 and rep["deletedRegion"]["endLine"] == 273, rep
assert rep["insertedContent"]["text"] == (
    "\tif (!cpu_feature_enabled(X86_FEATURE_SVM) ||\n"
    "\t    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))\n"), rep
assert run["invocations"][0]["exitCode"] == 1
c = json.load(open(sys.argv[2]))["runs"][0]["invocations"][0]
notes = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n["level"]
         for n in c["toolExecutionNotifications"]
         if n["descriptor"]["id"] != "ccgate/site-not-analyzed"}
assert notes == {"drivers/crash.c": "error", "drivers/inc.c": "warning"}, notes
assert c["exitCode"] == 3 and c["properties"]["failed"] == 1
PY

finish
