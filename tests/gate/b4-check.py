#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# b4's reading of a per-patch check command, replayed from its source:
# mricon/b4 v0.16.0-29-g1f2f768 (0.17-dev), src/b4/__init__.py
# LoreMessage.run_local_check() (what `b4 prep --check` and `b4 am` use)
# and src/b4/review/checks.py _run_builtin_checkpatch() (b4 review's
# classification).  The message goes to the command's stdin, the command
# runs in the tree's top directory; a stdout line is a failure only if it
# holds 'ERROR:', every stderr line is a failure.
# Usage: b4-check.py TOPDIR PATCH CMD... ; prints one "flag: line" per
# report entry, then "worst: FLAG".
import os
import subprocess
import sys

topdir, patch, cmdargs = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(patch, 'rb') as fh:
    bdata = fh.read()
sp = subprocess.run(cmdargs, input=bdata, cwd=topdir, capture_output=True)
ecode, out, err = sp.returncode, sp.stdout, sp.stderr
mycmd = os.path.basename(cmdargs[0])
report = []
out = out.strip()
out_lines = out.decode(errors='replace').split('\n') if out else []
for line in out_lines:
    flag = 'fail' if 'ERROR:' in line else 'warning'
    if line.startswith('-:'):
        line = line[2:]
    report.append((flag, f'{mycmd}: {line}'))
err = err.strip()
err_lines = err.decode(errors='replace').split('\n') if err else []
for line in err_lines:
    if line.startswith('-:'):
        line = line[2:]
    report.append(('fail', f'{mycmd}: {line}'))
if not out_lines and not err_lines:
    if ecode:
        report.append(('fail', f'{mycmd}: Exited with error code {ecode}'))
    else:
        report.append(('success', f'{mycmd}: passed all checks'))
# b4 review: ERROR: fails, WARNING:/CHECK: warns, anything else continues
review = 'pass'
for line in out_lines + err_lines:
    if 'ERROR:' in line:
        review = 'fail'
    elif ('WARNING:' in line or 'CHECK:' in line) and review != 'fail':
        review = 'warn'
# ez.py check(): the worst flag of the report
worst = 'success'
for flag, _ in report:
    if flag == 'warning':
        worst = 'warning'
    elif flag == 'fail':
        worst = 'fail'
        break
for flag, line in report:
    print(f'{flag}: {line}')
print(f'worst: {worst}')
print(f'review: {review}')
