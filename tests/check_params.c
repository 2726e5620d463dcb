/* Strategy parameters: defaults, NAME=VALUE assignments, their errors and
 * the str(strategy) description. */
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "suites.h"

static const struct th_param_def defs[] = {
	{ "fast", TH_PARAM_INT, 10, 1, 1000, NULL },
	{ "ratio", TH_PARAM_REAL, 0.5, 0, 1, NULL },
	{ "flag", TH_PARAM_BOOL, 0, 0, 1, NULL },
};

static const struct th_plugin desc = {
	.abi_major = TH_ABI_MAJOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "P",
	.params = defs,
	.nparams = 3,
	.param_def_size = sizeof(struct th_param_def),
};

static struct params p;

static void
setup(void)
{
	params_init(&p, &desc);
}

static void
teardown(void)
{
	params_free(&p);
}

/* Asserts that assigning text fails with a message containing want. */
static void
assign_fails(const char *text, const char *want)
{
	char *cause = NULL;

	ck_assert_int_eq(params_assign(&p, text, &cause), -1);
	ck_assert_msg(strstr(cause, want) != NULL, "'%s' lacks '%s'", cause,
	    want);
	free(cause);
}

START_TEST(defaults)
{
	double v;

	ck_assert_int_eq(params_get(&p, "fast", &v), 0);
	ck_assert_double_eq(v, 10);
	ck_assert_int_eq(params_get(&p, "ratio", &v), 0);
	ck_assert_double_eq(v, 0.5);
	ck_assert_int_eq(params_get(&p, "nope", &v), -1);
}
END_TEST

START_TEST(assign)
{
	char *cause = NULL;
	double v;

	ck_assert_int_eq(params_assign(&p, "fast=20", &cause), 0);
	ck_assert_int_eq(params_get(&p, "fast", &v), 0);
	ck_assert_double_eq(v, 20);
	ck_assert_int_eq(params_assign(&p, "ratio=0.25", &cause), 0);
	ck_assert_int_eq(params_assign(&p, "flag=1", &cause), 0);
}
END_TEST

START_TEST(errors)
{
	assign_fails("slow=3", "unknown parameter 'slow' (this strategy has: "
	    "fast, ratio, flag)");
	assign_fails("fast", "expected NAME=VALUE");
	assign_fails("=3", "expected NAME=VALUE");
	assign_fails("fast=abc", "parameter fast: not a number: 'abc'");
	assign_fails("fast=", "not a number");
	assign_fails("fast=2.5", "must be a whole number");
	assign_fails("fast=0", "out of range [1, 1000]");
	assign_fails("ratio=1.5", "out of range");
	assign_fails("ratio=nan", "not a number");
	assign_fails("flag=2", "must be 0 or 1");
}
END_TEST

START_TEST(describe)
{
	char *cause = NULL, *s;

	s = params_describe(&p, "P");
	ck_assert_str_eq(s, "P");
	free(s);
	ck_assert_int_eq(params_assign(&p, "ratio=0.25", &cause), 0);
	ck_assert_int_eq(params_assign(&p, "fast=12", &cause), 0);
	ck_assert_int_eq(params_assign(&p, "ratio=0.75", &cause), 0);
	s = params_describe(&p, "P");
	ck_assert_str_eq(s, "P(ratio=0.75,fast=12)");
	free(s);
}
END_TEST

Suite *
params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, assign);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, describe);
	suite_add_tcase(s, tc);
	return s;
}
