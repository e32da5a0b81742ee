/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_TRIAGE_H
#define CCGATE_TRIAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "finding.h"
#include "strbuf.h"

/*
 * Triage facts of a finding, from what the tree holds: the Kconfig
 * condition under which its code is compiled (the obj-/subdir-/X-y lines
 * of the Makefiles and Kbuild files from the top to the object, and the
 * #if/#ifdef context of the line), what a real .config makes of it, and
 * since when the line is there (the commit that wrote it and the first
 * vX.Y release that carries that commit).
 *
 * A .c file that another .c file #includes takes its includer's condition
 * and the #if context of the #include line; a header takes the union over
 * the .c units that reported it (f->units).  Makefiles are read once per
 * run, and only those of the directories between the top and each
 * finding's file.  The tree's Kconfig files are read only when the
 * configuration leaves out a symbol the condition needs.
 *
 * The record is a JSON object on the finding (f->triage), which each
 * output renders: JSON and SARIF embed it, the text output prints it as a
 * note, mails read its release.  Known limits are in README.md, "Triage".
 */
struct triage;

/*
 * The triage of tree ROOT; CONFIG (a .config, plain or .xz) or NULL.
 * Returns NULL with *ERR set if CONFIG cannot be read.
 */
struct triage *triage_new(const char *root, const char *config, char **err);
void triage_free(struct triage *t);

/* How many Makefiles/Kbuild files and Kconfig files T has read. */
void triage_files_read(const struct triage *t, size_t *makefiles,
		       size_t *kconfig);

/* Set f->triage on every finding of LIST. */
void triage_findings(struct triage *t, struct ccg_findings *list);

/*
 * Does the configuration build the finding's code: 1 (built-in or
 * module), 0 (not built), -1 (unknown, or no configuration).
 */
int triage_built(const struct ccg_finding *f);

/* The text note of a finding's record (empty without one). */
void triage_note(struct strbuf *out, const struct ccg_finding *f);

/*
 * The I/O-free parsers of tree text on TEXT: as a Makefile, as C for its
 * #if context at its end, as a Kconfig file; what they make into OUT (the
 * fuzz target's entry).
 */
void triage_probe(const char *text, struct strbuf *out);

#endif
