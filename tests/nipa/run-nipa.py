#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Run a NIPA test directory the way linux-netdev/nipa's core/test.py does
# (at 95a29267a045): info.json's "run" relative to the test directory, cwd
# the tree, a pipe's write end passed as DESC_FD with RESULTS_DIR and
# BRANCH_BASE in the environment, stdout and stderr captured, the pipe read
# after the run; then the summary as write_result() writes it (0 OKAY, 111
# PENDING, 250 WARNING, else FAILED).  Prints the retcode, the summary and
# each description line as "desc: ...".
# Usage: run-nipa.py TEST-DIR TREE RESULTS-DIR
import json, os, subprocess, sys

test_dir, tree, result_dir = sys.argv[1:4]
name = os.path.basename(test_dir.rstrip("/"))
with open(os.path.join(test_dir, "info.json")) as fp:
    info = json.load(fp)
run = list(info["run"])
if run[0][0] != "/":
    run[0] = os.path.join(test_dir, run[0])

rfd, wfd = os.pipe()
env = os.environ.copy()
env.update({"DESC_FD": str(wfd), "RESULTS_DIR": os.path.join(result_dir, name),
            "BRANCH_BASE": "master"})
p = subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     env=env, cwd=tree, pass_fds=[wfd])
out, err = p.communicate()
os.close(wfd)
with os.fdopen(rfd) as f:
    desc = f.read()
retcode = p.returncode
if retcode == 0:
    summary = "%s - OKAY" % name
elif retcode == 111:
    summary = "%s - PENDING" % name
elif retcode == 250:
    summary = "%s - WARNING" % name
else:
    summary = "%s - FAILED" % name
print(retcode)
print(summary)
for line in desc.splitlines():
    print("desc: " + line)
