// SPDX-License-Identifier: GPL-2.0-only
int cc_core;
