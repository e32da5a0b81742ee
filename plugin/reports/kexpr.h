/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CCGATE_KEXPR_H
#define CCGATE_KEXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * Build conditions in Kconfig's tristate logic (n < m < y, && is min, ||
 * is max, !m is m), with Kleene's unknown beside them: the condition of a
 * Makefile line that cannot be read is unknown, and "y || unknown" is
 * still y.
 *
 * A symbol atom is the table of what it gives for each value of the
 * symbol: obj-$(CONFIG_X) gives (n, m, y), ifdef CONFIG_X (n, y, y),
 * #ifdef CONFIG_X (n, n, y), and the negations are the tables mirrored.
 * Atoms of one symbol merge exactly under && and ||, pointwise.
 */
enum kexpr_kind {
	KEXPR_CONST,
	KEXPR_SYM,
	KEXPR_UNKNOWN,
	KEXPR_NOT,
	KEXPR_AND,
	KEXPR_OR,
};

/* Tristate values; KEXPR_UNKNOWN_VALUE is Kleene's third. */
#define KEXPR_N 0
#define KEXPR_M 1
#define KEXPR_Y 2
#define KEXPR_UNKNOWN_VALUE (-1)

struct kexpr {
	enum kexpr_kind kind;
	int value;		/* KEXPR_CONST */
	unsigned char map[3];	/* KEXPR_SYM: value for the symbol at n, m, y */
	char *name;		/* KEXPR_SYM: "CONFIG_X"; KEXPR_UNKNOWN: why */
	struct kexpr **kids;
	size_t nr, alloc;
};

struct kexpr *kexpr_const(int value);
/* The symbol NAME (with its CONFIG_ prefix) read through MAP[3]. */
struct kexpr *kexpr_sym(const char *name, int at_n, int at_m, int at_y);
struct kexpr *kexpr_unknown(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* These take ownership of their operands; NULL operands are skipped. */
struct kexpr *kexpr_not(struct kexpr *e);
struct kexpr *kexpr_and(struct kexpr *a, struct kexpr *b);
struct kexpr *kexpr_or(struct kexpr *a, struct kexpr *b);
struct kexpr *kexpr_dup(const struct kexpr *e);
void kexpr_free(struct kexpr *e);

/* Simplify in place (returns the new root; E is consumed). */
struct kexpr *kexpr_simplify(struct kexpr *e);

/* Kconfig syntax: "CONFIG_A && (CONFIG_B || !CONFIG_C)"; y, m, n. */
void kexpr_render(struct strbuf *out, const struct kexpr *e);
/* The reasons of the unknown atoms, each once. */
void kexpr_unknowns(const struct kexpr *e, struct strlist *why);

/* VALUE(NAME, DATA) gives a symbol's tristate or KEXPR_UNKNOWN_VALUE. */
typedef int (*kexpr_value_fn)(const char *name, void *data);
int kexpr_eval(const struct kexpr *e, kexpr_value_fn value, void *data);

#endif
