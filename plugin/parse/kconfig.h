/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_KCONFIG_H
#define CCGATE_KCONFIG_H

#include <stdbool.h>

#include "strbuf.h"

/*
 * The configuration a sweep parses an unconfigured tree under: what
 * include/generated/autoconf.h would say.  Either a real .config (--config
 * FILE, plain or xz-compressed, as Debian's linux-config-* packages and
 * /boot/config-* hold it), or the tree's own x86_64_defconfig plus the
 * rule pack's fragment (rules/x86_64.config), resolved by the tree's own
 * kconfig in a cache directory outside the tree (make O=...), once per
 * tree and Kconfig state.  Never the union of every CONFIG_ a file names:
 * headers test symbols their includers never mention (THREAD_INFO_IN_TASK,
 * SPARSEMEM_VMEMMAP), and only kconfig knows what x86 selects.
 */
struct ccg_kconfig {
	char *autoconf;		/* the text of autoconf.h, or NULL */
	char *origin;		/* what it came from, for the summary */
	char *warning;		/* why kconfig could not run, or NULL */
};

void kconfig_init(struct ccg_kconfig *kc);
void kconfig_release(struct ccg_kconfig *kc);

/* Turn the text of a .config into the autoconf.h that kconfig writes. */
void kconfig_autoconf(struct strbuf *out, const char *config, size_t len);

/* The text of .config FILE (plain or xz) into TEXT; -1 with *ERR. */
int kconfig_read_text(struct strbuf *text, const char *file, char **err);
/* Read .config FILE (plain or xz); -1 with *ERR on failure. */
int kconfig_from_file(struct ccg_kconfig *kc, const char *file, char **err);

/*
 * The default configuration of the unconfigured tree ROOT: its
 * x86_64_defconfig with FRAGMENT (a .config fragment file) applied by the
 * tree's kconfig, cached under the cache directory by a key of ROOT, the
 * fragment and the size and time of every file of KCONFIG_FILES (paths
 * relative to ROOT).  A tree without kconfig leaves kc->autoconf NULL; one
 * whose kconfig fails sets kc->warning.
 */
void kconfig_for_tree(struct ccg_kconfig *kc, const char *root,
		      const char *fragment,
		      const struct strlist *kconfig_files);

/* $CCGATE_CACHE, else $XDG_CACHE_HOME/ccgate, else ~/.cache/ccgate. */
char *ccg_cache_dir(void);

#endif
