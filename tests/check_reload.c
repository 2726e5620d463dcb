/* Hot reload at the session level: a portfolio swaps every leg at once
 * and carries the state blocks over; refusals (a warm-up the run has not
 * reached, a bad build, a training run) change nothing; the scripted
 * trigger and SIGHUP raise the request. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "reload.h"
#include "session.h"
#include "suites.h"
#include "testutil.h"
#include "xmalloc.h"

#define BARS 200

/* The reload test strategy's state block (tests/plugins/reload.c). */
struct reload_state {
	int64_t last_bar;
	int64_t bars;
};

/* What the next reload reads: the plugin and one parameter. */
static const char *next_plugin;
static const char *next_param;

static char *
test_plugin(const char *name)
{
	const char *dir = getenv("TH_TEST_PLUGINS");

	return xasprintf("%s/%s.so", dir ? dir : "tests/plugins/.libs", name);
}

static int
reread(void *arg, struct settings *out, char **cause)
{
	char *path = test_plugin(next_plugin);

	(void)arg;
	(void)cause;
	settings_init(out);
	out->plugin = path;
	if (next_param != NULL)
		settings_add_param(out, next_param);
	return 0;
}

struct run {
	struct settings start;
	struct reload rl;
	struct session s;
	struct frame *data[2];
	double final_equity;
	size_t closed;
};

/* Sets up v1 over nlegs demo symbols with reloads scripted at at[]. */
static void
run_setup(struct run *r, size_t nlegs, const size_t *at, size_t nat)
{
	static const char *symbols[] = { "A", "B" };
	struct reload_source src = { reread, NULL, &r->start };
	struct session_options so = { .reload = &r->rl };
	char *path = test_plugin("reload_v1"), *cause = NULL;
	struct plugin pl;
	struct params params;
	size_t k;

	memset(r, 0, sizeof *r);
	settings_init(&r->start);
	so.engine = r->start.engine;
	for (k = 0; k < nlegs; k++)
		r->data[k] = demo_generate(BARS, DEMO_SEED + k);
	ck_assert_msg(plugin_load(path, &pl, &cause) == 0, "%s", cause);
	free(path);
	params_init(&params, pl.desc);
	reload_init(&r->rl, &pl, &params, NULL, &src, at, nat);
	ck_assert_ptr_null(pl.handle);
	ck_assert_int_eq(session_init(&r->s, &r->rl.plugin, &r->rl.params,
	    symbols, (const struct frame *const *)r->data, nlegs, &so,
	    &cause), 0);
}

static void
run_go(struct run *r)
{
	char *cause = NULL;
	size_t k;

	ck_assert_msg(session_run(&r->s, &cause) == 0, "%s", cause);
	r->final_equity = broker_equity(&r->s.legs[0].broker);
	for (k = 0; k < r->s.nlegs; k++)
		r->closed += r->s.legs[k].broker.closed.n;
}

static void
run_teardown(struct run *r)
{
	size_t k;

	session_free(&r->s);
	reload_free(&r->rl);
	settings_free(&r->start);
	for (k = 0; k < 2; k++)
		frame_free(r->data[k]);
}

START_TEST(portfolio_swaps_every_leg)
{
	static const size_t at[] = { 100 };
	struct run r;
	size_t k;

	next_plugin = "reload_v2";
	next_param = NULL;
	run_setup(&r, 2, at, 1);
	run_go(&r);
	ck_assert_uint_eq(r.rl.done, 1);
	ck_assert_uint_eq(r.rl.refused, 0);
	ck_assert_uint_eq(r.rl.gen, 1);
	ck_assert_str_eq(r.rl.plugin.version, "2");
	ck_assert_ptr_nonnull(r.rl.plugin.copy);
	for (k = 0; k < 2; k++) {
		const struct session_leg *l = &r.s.legs[k];
		const struct reload_state *st = l->in.state;

		ck_assert_ptr_eq(l->in.desc, r.rl.plugin.desc);
		ck_assert_ptr_eq(l->in.params, &r.rl.params);
		/* Carried over: the count runs on through the swap. */
		ck_assert_int_eq(st->last_bar, BARS - 1);
		ck_assert_int_eq(st->bars, BARS - (int64_t)l->start);
	}
	run_teardown(&r);
}
END_TEST

START_TEST(refused_warmup_changes_nothing)
{
	static const size_t at[] = { 40 };
	struct run a, b;
	char *cause = NULL;

	run_setup(&a, 1, NULL, 0);
	run_go(&a);
	next_plugin = "reload_v1";
	next_param = "slow=100";
	run_setup(&b, 1, at, 1);
	run_go(&b);
	ck_assert_uint_eq(b.rl.done, 0);
	ck_assert_uint_eq(b.rl.refused, 1);
	ck_assert_uint_eq(b.rl.gen, 0);
	ck_assert(a.final_equity == b.final_equity);
	ck_assert_uint_eq(a.closed, b.closed);
	/* Asked directly at bar 40, the same reload says why. */
	b.s.legs[0].pos = 40;
	ck_assert_int_eq(reload_apply(&b.rl, &b.s, &cause), -1);
	ck_assert_msg(strstr(cause, "warm-up") != NULL, "%s", cause);
	free(cause);
	run_teardown(&a);
	run_teardown(&b);
}
END_TEST

START_TEST(refused_bad_build_changes_nothing)
{
	static const size_t at[] = { 60, 120 };
	struct run a, b;

	run_setup(&a, 2, NULL, 0);
	run_go(&a);
	next_plugin = "reload_bad_init";
	next_param = NULL;
	run_setup(&b, 2, at, 2);
	run_go(&b);
	ck_assert_uint_eq(b.rl.refused, 2);
	ck_assert_uint_eq(b.rl.done, 0);
	ck_assert_str_eq(b.rl.plugin.version, "1");
	ck_assert(a.final_equity == b.final_equity);
	ck_assert_uint_eq(a.closed, b.closed);
	run_teardown(&a);
	run_teardown(&b);
}
END_TEST

START_TEST(training_run_does_not_reload)
{
	struct run r;
	char *cause = NULL;

	next_plugin = "reload_v2";
	next_param = NULL;
	run_setup(&r, 1, NULL, 0);
	r.s.legs[0].in.state_borrowed = 1;	/* as a training run has it */
	ck_assert_int_eq(reload_apply(&r.rl, &r.s, &cause), -1);
	ck_assert_msg(strstr(cause, "training") != NULL, "%s", cause);
	free(cause);
	r.s.legs[0].in.state_borrowed = 0;
	run_teardown(&r);
}
END_TEST

START_TEST(scripted_positions_and_sighup)
{
	static const size_t at[] = { 50, 70 };
	struct run r;

	run_setup(&r, 1, at, 2);
	r.s.legs[0].pos = 49;
	ck_assert(!reload_due(&r.rl, &r.s));
	r.s.legs[0].pos = 50;
	ck_assert(reload_due(&r.rl, &r.s));
	r.rl.next = 1;
	ck_assert(!reload_due(&r.rl, &r.s));
	r.s.legs[0].pos = 75;		/* a position skipped still fires */
	ck_assert(reload_due(&r.rl, &r.s));
	r.rl.next = 2;
	ck_assert(!reload_due(&r.rl, &r.s));
	reload_install_signal();
	raise(SIGHUP);			/* handled: the process lives on */
	ck_assert(reload_pending());
	ck_assert(reload_due(&r.rl, &r.s));
	/* Any reload clears the request, even a refused one (at bar 0 the
	 * new build is not warm). */
	next_plugin = "reload_v1";
	next_param = NULL;
	r.s.legs[0].pos = 0;
	ck_assert_int_eq(reload_apply(&r.rl, &r.s, NULL), -1);
	ck_assert(!reload_pending());
	run_teardown(&r);
}
END_TEST

Suite *
reload_suite(void)
{
	Suite *s = suite_create("reload");

	test_add_case(s, "portfolio", portfolio_swaps_every_leg);
	test_add_case(s, "warm-up", refused_warmup_changes_nothing);
	test_add_case(s, "bad build", refused_bad_build_changes_nothing);
	test_add_case(s, "training", training_run_does_not_reload);
	test_add_case(s, "triggers", scripted_positions_and_sighup);
	return s;
}
