/* The loader: good plugins load, every kind of bad plugin is refused
 * before any of its code runs, with the path and the reason. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "plugin.h"
#include "suites.h"
#include "testutil.h"
#include "xmalloc.h"

static char *
test_plugin(const char *name)
{
	const char *dir = getenv("TH_TEST_PLUGINS");

	return xasprintf("%s/%s.so", dir ? dir : "tests/plugins/.libs", name);
}

/* Asserts that loading the named test plugin fails mentioning want. */
static void
load_fails(const char *name, const char *want)
{
	char *path = test_plugin(name), *cause = NULL;
	struct plugin p;

	ck_assert_int_eq(plugin_load(path, &p, &cause), -1);
	ck_assert_msg(strstr(cause, want) != NULL, "'%s' lacks '%s'", cause,
	    want);
	ck_assert_msg(strstr(cause, path) != NULL, "'%s' lacks the path",
	    cause);
	free(cause);
	free(path);
}

START_TEST(good_plugin_loads)
{
	char *path = test_plugin("good"), *cause = NULL;
	struct plugin p;

	ck_assert_msg(plugin_load(path, &p, &cause) == 0, "%s", cause);
	ck_assert_str_eq(p.name, "Good");
	ck_assert_uint_eq(p.desc->nparams, 1);
	plugin_unload(&p);
	free(path);
}
END_TEST

START_TEST(bundled_sma_loads)
{
	const char *dir = getenv("TH_STRATEGIES");
	char *path = xasprintf("%s/sma.so", dir ? dir : "strategies"), *cause;
	struct plugin p;

	cause = NULL;
	ck_assert_msg(plugin_load(path, &p, &cause) == 0, "%s", cause);
	ck_assert_str_eq(p.name, "SmaCross");
	ck_assert_uint_eq(p.desc->nparams, 5);
	plugin_unload(&p);
	free(path);
}
END_TEST

START_TEST(wrong_abi_refused)
{
	char *want = xasprintf("plugin ABI 2.0 is not compatible with this "
	    "host's ABI %d.%d", TH_ABI_MAJOR, TH_ABI_MINOR);

	load_fails("bad_abi", want);
	free(want);
}
END_TEST

START_TEST(missing_entry_refused)
{
	load_fails("no_entry", "no th_plugin_entry symbol");
}
END_TEST

START_TEST(short_descriptor_refused)
{
	load_fails("short_struct", "plugin descriptor is 16 bytes");
}
END_TEST

START_TEST(missing_file_refused)
{
	load_fails("does_not_exist", "cannot read plugin");
}
END_TEST

START_TEST(not_a_shared_object_refused)
{
	char *path = test_temp_file("not an ELF file\n"), *cause = NULL;
	struct plugin p;

	ck_assert_int_eq(plugin_load(path, &p, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "cannot load plugin"));
	unlink(path);
	free(cause);
	free(path);
}
END_TEST

static enum th_status
noop(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

static const struct th_param_def dup_params[] = {
	{ "n", TH_PARAM_INT, 1, 1, 10, NULL },
	{ "n", TH_PARAM_INT, 1, 1, 10, NULL },
};

START_TEST(bad_descriptors_refused)
{
	struct th_plugin d = {
		.abi_major = TH_ABI_MAJOR,
		.struct_size = sizeof(struct th_plugin),
		.kind = TH_PLUGIN_STRATEGY,
		.name = "D",
		.init = noop,
		.next = noop,
	};
	char *cause = NULL;

	ck_assert_int_eq(plugin_validate(&d, "x.so", &cause), 0);
	d.params = dup_params;
	d.nparams = 2;
	d.param_def_size = sizeof(struct th_param_def);
	ck_assert_int_eq(plugin_validate(&d, "x.so", &cause), -1);
	ck_assert_str_eq(cause, "x.so: parameter 'n' is declared twice");
	free(cause);
	d.nparams = 0;
	d.next = NULL;
	ck_assert_int_eq(plugin_validate(&d, "x.so", &cause), -1);
	ck_assert_str_eq(cause, "x.so: plugin lacks init() or next()");
	free(cause);
	d.next = noop;
	d.name = "";
	ck_assert_int_eq(plugin_validate(&d, "x.so", &cause), -1);
	free(cause);
}
END_TEST

START_TEST(failing_init_stops_run)
{
	char *path = test_plugin("init_fail"), *cause = NULL;
	double c[] = { 1, 2, 3 };
	struct frame *f = test_frame(3, NULL, NULL, NULL, c);
	struct engine_options opt = { .broker = { .cash = 100, .margin = 1 } };
	struct run_result r;
	struct params params;
	struct plugin p;

	ck_assert_int_eq(plugin_load(path, &p, &cause), 0);
	params_init(&params, p.desc);
	ck_assert_int_eq(engine_run(&p, &params, f, &opt, &r, &cause), -1);
	ck_assert_str_eq(cause, "InitFail: init: init() failed with status -1");
	free(cause);
	params_free(&params);
	plugin_unload(&p);
	frame_free(f);
	free(path);
}
END_TEST

Suite *
plugin_suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *ok = tcase_create("load"), *bad = tcase_create("refuse");

	tcase_set_timeout(ok, 10);
	tcase_set_timeout(bad, 10);
	tcase_add_test(ok, good_plugin_loads);
	tcase_add_test(ok, bundled_sma_loads);
	tcase_add_test(bad, wrong_abi_refused);
	tcase_add_test(bad, missing_entry_refused);
	tcase_add_test(bad, short_descriptor_refused);
	tcase_add_test(bad, missing_file_refused);
	tcase_add_test(bad, not_a_shared_object_refused);
	tcase_add_test(bad, bad_descriptors_refused);
	tcase_add_test(bad, failing_init_stops_run);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, bad);
	return s;
}
