#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run-long.sh TARGET SECONDS [BUILD-DIR]: fuzz one target for a while, e.g.
#   tests/fuzz/run-long.sh compdb 600
# in the sanitized build of ./quickstart test (README, "Reliability"):
#   cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang-19 \
#         -DCCGATE_SANITIZE=address,undefined -DCCGATE_FUZZ=ON
# One job (the machine is shared).  A crash lands in BUILD-DIR/fuzz-artifacts/;
# copy it into tests/fuzz/TARGET/ as a regression input, then fix the parser.
set -euo pipefail

target=${1:?usage: run-long.sh TARGET SECONDS [BUILD-DIR]}
secs=${2:?usage: run-long.sh TARGET SECONDS [BUILD-DIR]}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${3:-$src/build-asan}" && pwd)
fuzzer=$build/tests/fuzz/fuzz-$target
[ -x "$fuzzer" ] || { echo "run-long.sh: no '$fuzzer' (build with -DCCGATE_FUZZ=ON)" >&2; exit 2; }
CCGATE_SANITIZER_LOGS=$build/sanitizer-logs
. "$src/tests/sanitizer/env.sh"
cd "$build"
FUZZ_SEED=${FUZZ_SEED:-$RANDOM} exec "$src/tests/fuzz/run.sh" "$fuzzer" \
	"$src/tests/fuzz/$target" 0 "$secs"
