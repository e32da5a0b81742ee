// SPDX-License-Identifier: GPL-2.0-only
/*
 * What crosses the pipe to a worker: the run context and a job come back
 * from their JSON exactly (a non-UTF-8 path, an overlay text with a NUL
 * byte and one that is not UTF-8, the stub headers, the budgets); and
 * --file-memory's sizes.
 */
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "wire.h"
#include "worker.h"
#include "unit-suites.h"
#include "banned.h"

START_TEST(test_ctx_round_trip)
{
	struct rulepack rp = RULEPACK_INIT;
	struct overlay ov = OVERLAY_INIT;
	struct strlist stubs = STRLIST_INIT, texts = STRLIST_INIT;
	struct ctx_wire w;
	struct ccg_ctx ctx, back;
	char *err = NULL;
	json_t *o;

	ck_assert_int_eq(rulepack_load(&rp, CCGATE_SOURCE_DIR "/rules", &err), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.rp = &rp;
	ctx.unit.root = "/tree/\xff";
	ctx.unit.enabled[0] = true;
	ctx.file_timeout = 7;
	ctx.file_memory = 3ull << 30;
	ctx.jobs = 5;
	overlay_set(&ov, "/tree/a.c", "int a;\0x", 8);
	overlay_set(&ov, "/tree/b.c", "\xfe\xff", 2);
	ctx.overlay = &ov;
	strlist_push(&stubs, "/tree/arch/x86/lib/inat-tables.c");
	strlist_push(&texts, "/* tables */\n");
	ctx.gen_path = &stubs;
	ctx.gen_text = &texts;
	ctx.autoconf = "#define CONFIG_KVM 1\n#define CONFIG_LOCALVERSION \"\xe9\"\n";

	o = ctx_to_json(&ctx);
	ctx_wire_init(&w);
	ck_assert_int_eq(ctx_from_json(&back, &w, o, &err), 0);
	ck_assert_str_eq(back.unit.root, "/tree/\xff");
	ck_assert(back.unit.enabled[0]);
	for (int r = 1; r < CCG_RULE_NR; r++)
		ck_assert(!back.unit.enabled[r]);
	ck_assert_uint_eq(back.file_timeout, 7);
	ck_assert(back.file_memory == 3ull << 30);
	ck_assert_int_eq(back.jobs, 5);
	ck_assert_uint_eq(back.overlay->nr, 2);
	ck_assert_uint_eq(back.overlay->v[0].len, 8);
	ck_assert(!memcmp(back.overlay->v[0].text, "int a;\0x", 8));
	ck_assert_uint_eq(back.overlay->v[1].len, 2);
	ck_assert(!memcmp(back.overlay->v[1].text, "\xfe\xff", 2));
	ck_assert_uint_eq(back.gen_path->nr, 1);
	ck_assert_str_eq(back.gen_path->v[0], "/tree/arch/x86/lib/inat-tables.c");
	ck_assert_str_eq(back.gen_text->v[0], "/* tables */\n");
	ck_assert_str_eq(back.autoconf, ctx.autoconf);
	ck_assert_uint_eq(back.rp->nr, CCG_RULE_NR);
	json_decref(o);
	ctx_wire_release(&w);
	overlay_release(&ov);
	strlist_release(&stubs);
	strlist_release(&texts);
	rulepack_release(&rp);
}
END_TEST

START_TEST(test_job_round_trip)
{
	struct strlist args = STRLIST_INIT;
	struct pool_job job = { "/t/x\x80.c", "x\x80.c", &args };
	struct job_wire jw;
	json_t *o;

	strlist_push(&args, "-DX=\"a b\"");
	o = job_to_json(&job);
	ck_assert_int_eq(job_from_json(&jw, o), 0);
	ck_assert_str_eq(jw.job.abspath, "/t/x\x80.c");
	ck_assert_str_eq(jw.job.relpath, "x\x80.c");
	ck_assert_uint_eq(jw.job.args->nr, 1);
	ck_assert_str_eq(jw.job.args->v[0], "-DX=\"a b\"");
	json_decref(o);
	job_wire_release(&jw);
	/* no args: the tree defaults */
	job.args = NULL;
	o = job_to_json(&job);
	ck_assert_int_eq(job_from_json(&jw, o), 0);
	ck_assert(!jw.job.args);
	json_decref(o);
	job_wire_release(&jw);
	strlist_release(&args);
}
END_TEST

START_TEST(test_budget_sizes)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t v;

	ck_assert_int_eq(budget_parse("400M", &v), 0);
	ck_assert(v == 400ull << 20);
	ck_assert_int_eq(budget_parse("2g", &v), 0);
	ck_assert(v == 2ull << 30);
	ck_assert_int_eq(budget_parse("0", &v), 0);
	ck_assert(v == 0);
	ck_assert_int_eq(budget_parse("12X", &v), -1);
	ck_assert_int_eq(budget_parse("-1", &v), -1);
	ck_assert_int_eq(budget_parse("1MB", &v), -1);
	ck_assert_int_eq(budget_parse("", &v), -1);
	ck_assert_int_eq(budget_parse("99999999999G", &v), -1);
	budget_format(&sb, 2ull << 30);
	ck_assert_str_eq(sb.buf, "2.0 GiB");
	strbuf_reset(&sb);
	budget_format(&sb, 400ull << 20);
	ck_assert_str_eq(sb.buf, "400 MiB");
	strbuf_release(&sb);
	ck_assert(budget_default(1) <= 4ull << 30 && budget_default(1) > 0);
	ck_assert(budget_default(64) <= budget_default(1));
}
END_TEST

Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, test_ctx_round_trip);
	tcase_add_test(tc, test_job_round_trip);
	tcase_add_test(tc, test_budget_sizes);
	suite_add_tcase(s, tc);
	return s;
}
