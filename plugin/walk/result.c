// SPDX-License-Identifier: GPL-2.0-only
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "sites.h"
#include "strbuf.h"
#include "banned.h"

static const char *const status_names[] = {
	[CCG_FILE_PARSED] = "parsed",
	[CCG_FILE_INCOMPLETE] = "incomplete",
	[CCG_FILE_FAILED] = "failed",
	[CCG_FILE_SKIPPED] = "skipped",
	[CCG_FILE_RULED_OUT] = "ruled out",
};

const char *ccg_file_status_name(enum ccg_file_status s)
{
	return status_names[s];
}

enum ccg_file_status ccg_file_status_parse(const char *name)
{
	for (size_t s = 0; s < sizeof(status_names) / sizeof(*status_names); s++)
		if (!strcmp(name, status_names[s]))
			return (enum ccg_file_status)s;
	return CCG_FILE_FAILED;
}

void file_result_release(struct ccg_file_result *r)
{
	for (size_t i = 0; i < r->nr_pre; i++)
		free(r->pre[i].relpath);
	free(r->pre);
	site_files_release(r->sites, r->nr_sites);
	free(r->sites);
	xpreds_release(r->xpreds, r->nr_xpreds);
	free(r->xpreds);
	xcalls_release(r->xcalls, r->nr_xcalls);
	free(r->xcalls);
	free(r->relpath);
	free(r->reason);
	findings_release(&r->findings);
	memset(r, 0, sizeof(*r));
}

void file_result_add_preimage(struct ccg_file_result *res,
			      const char *relpath, size_t size, uint64_t hash)
{
	for (size_t i = 0; i < res->nr_pre; i++)
		if (!strcmp(res->pre[i].relpath, relpath))
			return;
	ALLOC_GROW(res->pre, res->nr_pre, res->alloc_pre);
	res->pre[res->nr_pre].relpath = xstrdup(relpath);
	res->pre[res->nr_pre].size = size;
	res->pre[res->nr_pre].hash = hash;
	res->nr_pre++;
}

const struct ccg_preimage *file_results_preimage(const struct ccg_file_result *r,
						 size_t n, const char *relpath)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < r[i].nr_pre; k++)
			if (!strcmp(r[i].pre[k].relpath, relpath))
				return &r[i].pre[k];
	return NULL;
}
