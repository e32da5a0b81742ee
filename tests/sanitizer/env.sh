# SPDX-License-Identifier: GPL-2.0-only
# Sourced: the sanitizer options of a -DCCGATE_SANITIZE build, the same as
# tests/CMakeLists.txt gives every CTest.  Every report goes to a file under
# $CCGATE_SANITIZER_LOGS (check-logs.sh fails if there is one) and makes
# the process exit 99, which no ccgate test accepts; leaks are reported.
_san_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${CCGATE_SANITIZER_LOGS:=$PWD/sanitizer-logs}"
mkdir -p "$CCGATE_SANITIZER_LOGS"
export CCGATE_SANITIZER_LOGS
export ASAN_OPTIONS="detect_leaks=1:exitcode=99:log_path=$CCGATE_SANITIZER_LOGS/asan:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=99:log_path=$CCGATE_SANITIZER_LOGS/ubsan"
export LSAN_OPTIONS="suppressions=$_san_dir/lsan.supp:print_suppressions=0"
unset _san_dir
