// SPDX-License-Identifier: GPL-2.0-only
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "banned.h"

static const char *const severity_names[] = {
	[CCG_SEV_NOTE] = "note",
	[CCG_SEV_WARNING] = "warning",
	[CCG_SEV_ERROR] = "error",
};

const char *ccg_severity_name(enum ccg_severity sev)
{
	return severity_names[sev];
}

int ccg_severity_parse(const char *name, enum ccg_severity *sev)
{
	for (size_t i = 0; i < sizeof(severity_names) / sizeof(*severity_names); i++) {
		if (!strcmp(name, severity_names[i])) {
			*sev = (enum ccg_severity)i;
			return 0;
		}
	}
	return -1;
}

/* Control characters never reach the terminal raw: a one-line diagnostic. */
void diag_add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, c);
	}
}

static const char *diag_prefix;

void ccg_set_diag_prefix(const char *prefix)
{
	diag_prefix = prefix;
}

static void vreport(FILE *out, const char *path, unsigned line, unsigned col,
		    enum ccg_severity sev, const char *rule, const char *fmt,
		    va_list ap)
{
	struct strbuf sb = STRBUF_INIT, msg = STRBUF_INIT;

	if (path) {
		diag_add_escaped(&sb, path);
		if (line)
			strbuf_addf(&sb, ":%u:%u", line, col ? col : 1);
	} else {
		strbuf_addstr(&sb, "ccgate");
	}
	if (diag_prefix) {
		strbuf_addstr(&sb, ": ");
		diag_add_escaped(&sb, diag_prefix);
	}
	strbuf_addf(&sb, ": %s: ", ccg_severity_name(sev));
	/* messages quote file names and libclang's diagnostics */
	strbuf_vaddf(&msg, fmt, ap);
	diag_add_escaped(&sb, msg.buf ? msg.buf : "");
	strbuf_release(&msg);
	if (rule)
		strbuf_addf(&sb, " [%s]", rule);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	fflush(out);
	strbuf_release(&sb);
}

void ccg_report(FILE *out, const char *path, unsigned line, unsigned col,
		enum ccg_severity sev, const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(out, path, line, col, sev, rule, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(stderr, NULL, 0, 0, CCG_SEV_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(2);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(stderr, NULL, 0, 0, CCG_SEV_ERROR, NULL, fmt, ap);
	va_end(ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(stderr, NULL, 0, 0, CCG_SEV_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void die_oom(void)
{
	static const char msg[] = "ccgate: error: out of memory\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

void ccg_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "ccgate: BUG: %s:%d: %s\n", file, line, what);
	abort();
}
