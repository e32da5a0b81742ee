#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The SARIF of whole-tree sweeps of Debian's 6.1 and 6.12 kernels and sid's
# 7.2 passes the official validator.  Usage: sarif-kernels.sh CCGATE SOURCE-DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"
exec "$(dirname "$0")/../sarif.sh" "$1" "$2" "$(kernel_tree 6.1)" "$(kernel_tree 6.12)" "$(kernel_tree 7.2)"
