// SPDX-License-Identifier: GPL-2.0-only
#define CCG_LIBCLANG_IMPL
#include "libclang.h"

#include <dlfcn.h>
#include <stdlib.h>

#include "diag.h"
#include "banned.h"

struct ccg_libclang ccg_libclang;

void libclang_load(void)
{
	static void *handle;
	const char *path = getenv("CCGATE_LIBCLANG");

	if (handle)
		return;
	if (!path || !*path)
		path = CCGATE_LIBCLANG_PATH;
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		die("cannot load libclang: %s", dlerror());
#define CCG_LIBCLANG_SYM(fn) \
	*(void **)&ccg_libclang.fn = dlsym(handle, #fn); \
	if (!ccg_libclang.fn) \
		die("libclang at '%s' has no %s: it is not libclang 19", path, #fn);
	CCG_LIBCLANG_FUNCS(CCG_LIBCLANG_SYM)
#undef CCG_LIBCLANG_SYM
}
