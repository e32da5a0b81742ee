#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Whole-tree sweep benchmark, one run, warm cache, the tools alternating:
#
#   ccgate   ccgate sweep (clang engine), -j $JOBS
#   spatch   spatch with each cocci/*.cocci, --jobs $JOBS (default prefilter)
#   rg       rg -l of the rule pack's trigger tokens, -j $JOBS
#
# It prints the median wall time and peak RSS of each, and the ratios
# against the targets (issue 13: ccgate <= 0.25x spatch, <= 5x rg, <= 300 MB).  Only
# ratios measured in the same run mean anything on a shared machine.
#
# Usage: bench/sweep.sh [TREE]   (default: Debian's linux-source-6.12)
#   CCGATE  binary (default build/plugin/ccgate)   ROUNDS  rounds (default 3)
#   JOBS    parallelism (default 2)                COCCI_DIR  (default cocci/)
#   SPATCH_FLAGS  extra spatch flags; as in 'make coccicheck', each rule
#                 runs with -D report and the flags of its '// Options:' line
#   SPATCH_ROUNDS rounds that include spatch (default 1: a whole-tree spatch
#                 takes minutes, so its noise hardly moves the ratio)
#   CCGATE_BASE   another ccgate binary to time in the same run (before/after)
#   ALL_HEADERS=1 also time ccgate sweep --all-headers (no header diet)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
CCGATE=${CCGATE:-$here/build/plugin/ccgate}
ROUNDS=${ROUNDS:-3}
SPATCH_ROUNDS=${SPATCH_ROUNDS:-1}
JOBS=${JOBS:-2}
COCCI_DIR=${COCCI_DIR:-$here/cocci}
SPATCH_FLAGS=${SPATCH_FLAGS:-}
TIME=/usr/bin/time

if [ $# -ge 1 ]; then
	tree=$1
else
	. "$here/tests/kernel/lib.sh"
	tree=$(kernel_tree 6.12)
fi
[ -d "$tree" ] || { echo "bench: '$tree' is not a directory" >&2; exit 2; }
tree=$(cd "$tree" && pwd)
COCCI_DIR=$(cd "$COCCI_DIR" 2>/dev/null && pwd || echo "$COCCI_DIR")
[ -x "$CCGATE" ] || { echo "bench: no ccgate at '$CCGATE' (build first)" >&2; exit 2; }
[ -x "$TIME" ] || { echo "bench: GNU time is missing (apt-get install time)" >&2; exit 2; }
command -v rg >/dev/null || { echo "bench: rg is missing (apt-get install ripgrep)" >&2; exit 2; }

# the trigger tokens of the rule pack, as the prefilter uses them
mapfile -t tokens < <(python3 - "$here/rules" <<'PY'
import glob, sys
seen = []
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    inside = False
    for line in open(path):
        if line.startswith("triggers:"):
            inside = True
        elif inside and line.startswith("  - "):
            tok = line[4:].strip().strip("'\"")
            if tok not in seen:
                seen.append(tok)
        elif inside and not line.startswith("#"):
            inside = False
print("\n".join(seen))
PY
)
rg_args=(-l -uu -F -j "$JOBS" -g '*.[ch]')
for t in "${tokens[@]}"; do rg_args+=(-e "$t"); done

shopt -s nullglob
cocci=("$COCCI_DIR"/*.cocci)
shopt -u nullglob
if [ ${#cocci[@]} -eq 0 ]; then
	echo "bench: no cocci/*.cocci on this branch ($COCCI_DIR): skipping the spatch leg"
	command -v spatch >/dev/null || true
elif ! command -v spatch >/dev/null; then
	echo "bench: spatch is missing (apt-get install coccinelle): skipping the spatch leg"
	cocci=()
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME CMD...: append "seconds kbytes" of one run to $tmp/NAME
run() {
	local name=$1 status=0
	shift
	"$TIME" -f "%e %M" -o "$tmp/one" "$@" >/dev/null 2>"$tmp/stderr" || status=$?
	# ccgate exits 1 on findings and spatch may print reports: both fine
	if [ "$status" -gt 1 ]; then
		echo "bench: $name failed with status $status:" >&2
		tail -3 "$tmp/stderr" >&2
		exit 1
	fi
	tail -1 "$tmp/one" >>"$tmp/$name"
}

# spatch --jobs leaves per-job directories in the current directory
spatch_all() {
	cd "$tmp" || return 1
	for c in "${cocci[@]}"; do
		# shellcheck disable=SC2046
		spatch -D report --sp-file "$c" --dir "$tree" --jobs "$JOBS" \
			--very-quiet $(sed -n 's|^// Options: ||p' "$c") \
			$SPATCH_FLAGS || return $?
	done
}
# GNU time measures one command: spatch's legs run under one shell
export -f spatch_all
export tree JOBS SPATCH_FLAGS tmp
cocci_list="${cocci[*]}"

echo "bench: tree $tree, $ROUNDS rounds, -j $JOBS, tokens: ${tokens[*]}"
rg "${rg_args[@]}" "$tree" >/dev/null || true	# warm the page cache
for r in $(seq 1 "$ROUNDS"); do
	run ccgate "$CCGATE" sweep -q --format=json -j "$JOBS" "$tree"
	if [ -n "${CCGATE_BASE:-}" ]; then
		run ccgate-base "$CCGATE_BASE" sweep -q --format=json -j "$JOBS" "$tree"
	fi
	if [ -n "${ALL_HEADERS:-}" ]; then
		run ccgate-all-headers "$CCGATE" sweep -q --all-headers --format=json -j "$JOBS" "$tree"
	fi
	if [ ${#cocci[@]} -gt 0 ] && [ "$r" -le "$SPATCH_ROUNDS" ]; then
		run spatch bash -c 'cocci=($0); spatch_all' "$cocci_list"
	fi
	run rg rg "${rg_args[@]}" "$tree"
	echo "bench: round $r done"
done

python3 - "$tmp" "${#cocci[@]}" <<'PY'
import statistics, sys, os
tmp, ncocci = sys.argv[1], int(sys.argv[2])
res = {}
for name in ("ccgate", "ccgate-base", "ccgate-all-headers", "spatch", "rg"):
    path = os.path.join(tmp, name)
    if not os.path.exists(path):
        continue
    rows = [tuple(map(float, l.split())) for l in open(path) if l.strip()]
    res[name] = (statistics.median(r[0] for r in rows), max(r[1] for r in rows) / 1024)
print("%-18s %10s %14s" % ("tool", "median s", "peak RSS MB"))
for name, (t, m) in res.items():
    print("%-18s %10.2f %14.1f" % (name, t, m))
c = res["ccgate"]
def verdict(ok):
    return "meets" if ok else "MISSES"
if "spatch" in res:
    x = c[0] / res["spatch"][0]
    print("ccgate/spatch = %.3fx (target <= 0.25x: %s)" % (x, verdict(x <= 0.25)))
else:
    print("ccgate/spatch: not measured (no cocci rules)")
for other in ("ccgate-base", "ccgate-all-headers"):
    if other in res:
        print("ccgate/%s = %.2fx" % (other, c[0] / res[other][0]))
x = c[0] / res["rg"][0]
print("ccgate/rg     = %.2fx (target <= 5x: %s)" % (x, verdict(x <= 5)))
print("ccgate peak RSS = %.1f MB (target <= 300 MB: %s; largest single process; the workers are separate processes)"
      % (c[1], verdict(c[1] <= 300)))
PY
