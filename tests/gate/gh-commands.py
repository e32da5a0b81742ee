#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# GitHub workflow commands read as the runner reads them (actions/runner
# ActionCommand.TryParseV2: "::name k=v,k=v::data", properties split at
# ',' and the first '=', then %25 %0D %0A %3A %2C unescaped in properties
# and %25 %0D %0A in the data).  Prints one JSON object per command.
import json
import sys

def unescape(s, prop):
    pairs = [('%0D', '\r'), ('%0A', '\n')]
    if prop:
        pairs += [('%3A', ':'), ('%2C', ',')]
    for k, v in pairs:
        s = s.replace(k, v)
    return s.replace('%25', '%')

for line in sys.stdin.buffer.read().decode('utf-8', 'surrogateescape').split('\n'):
    if not line.startswith('::'):
        continue
    end = line.index('::', 2)
    head, data = line[2:end], line[end + 2:]
    name, _, props = head.partition(' ')
    p = {}
    for kv in props.split(','):
        if kv:
            k, _, v = kv.partition('=')
            p[k] = unescape(v, True)
    print(json.dumps({'command': name, 'properties': p,
                      'data': unescape(data, False)}))
