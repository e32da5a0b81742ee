#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# SIGINT or SIGTERM during a sweep (issue 9): the workers are killed and
# reaped, ccgate dies of the signal within a second (the shell sees 130 or
# 143), and no output is left behind: nothing on stdout, no --fix-dir.
# Usage: signals.sh CCGATE
set -euo pipefail

CCGATE=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Candidates that keep libclang busy for seconds each: 4M initializer
# elements from 22 levels of doubling macros.  Their text holds no test, so
# --parse-every-candidate has them parsed.
mkdir -p "$tmp/tree/arch"
for i in 1 2 3 4; do
	{
		echo "/* X86_FEATURE_SVM */"
		echo "#define A0 $i,"
		for l in $(seq 1 22); do
			echo "#define A$l A$((l - 1)) A$((l - 1))"
		done
		echo "int table$i[] = { A22 };"
	} >"$tmp/tree/arch/slow$i.c"
done

python3 - "$CCGATE" "$tmp" <<'PY'
import os, signal, subprocess, sys, time

ccgate, tmp = sys.argv[1:3]

def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []

for sig, name in ((signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM")):
    fixes = os.path.join(tmp, "fixes-" + name)
    out = open(os.path.join(tmp, "out-" + name), "w")
    p = subprocess.Popen([ccgate, "sweep", "--parse-every-candidate", "-j2", "--format=json", "--fix-dir", fixes,
                          os.path.join(tmp, "tree")], stdout=out, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while not children(p.pid):
        assert p.poll() is None, "%s: the sweep ended before a worker started" % name
        assert time.time() < deadline, "%s: no worker after 30 s" % name
        time.sleep(0.05)
    workers = children(p.pid)
    time.sleep(0.3)
    t0 = time.time()
    p.send_signal(sig)
    p.wait(timeout=10)
    took = time.time() - t0
    out.close()
    assert p.returncode in (-sig, 128 + sig), "%s: exit %r" % (name, p.returncode)
    assert took < 1.0, "%s: took %.2f s to stop" % (name, took)
    left = [w for w in workers if os.path.exists("/proc/%d" % w)]
    assert not left, "%s: workers left running: %r" % (name, left)
    assert os.path.getsize(os.path.join(tmp, "out-" + name)) == 0, "%s: partial stdout" % name
    assert not os.path.exists(fixes), "%s: --fix-dir was written" % name
    print("signals: %s stops the sweep in %.2f s, workers reaped, no output: ok" % (name, took))
PY
