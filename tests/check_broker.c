/* The broker on its own: configuration checks and the account arithmetic
 * of spec §3.2 (the order flow is exercised through the engine suite). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "broker.h"
#include "suites.h"
#include "testutil.h"

static struct broker_config
config(void)
{
	struct broker_config c;

	memset(&c, 0, sizeof c);
	c.cash = 10000;
	c.margin = 1;
	return c;
}

static void
config_fails(struct broker_config c, const char *want)
{
	char *cause = NULL;

	ck_assert_int_eq(broker_config_check(&c, &cause), -1);
	ck_assert_msg(strstr(cause, want) != NULL, "'%s' lacks '%s'", cause,
	    want);
	free(cause);
}

START_TEST(config_checks)
{
	struct broker_config c = config();
	char *cause = NULL;

	ck_assert_int_eq(broker_config_check(&c, &cause), 0);
	c.cash = 0;
	config_fails(c, "cash: must be a positive number");
	c = config();
	c.margin = 0;
	config_fails(c, "margin: must be in (0, 1]");
	c.margin = 1.5;
	config_fails(c, "margin");
	c = config();
	c.commission_rate = 0.1;
	config_fails(c, "the rate must be in [-0.1, 0.1)");
	c = config();
	c.commission_fixed = -1;
	config_fails(c, "the fixed part must be >= 0");
	c = config();
	c.spread = NAN;
	config_fails(c, "spread");
}
END_TEST

/* Leverage lets a fractional order buy 1/margin times the equity, and
 * margin_available is valued at the current Close. */
START_TEST(leverage_and_margin)
{
	double p[] = { 10, 10, 10, 12 };
	struct frame *f = test_frame(4, NULL, NULL, NULL, p);
	struct broker_config c = config();
	struct broker b;
	char *cause = NULL;

	c.margin = 0.5;
	broker_init(&b, &c, f);
	b.i = 1;
	ck_assert_ptr_nonnull(broker_place(&b, 1, 0.5, 0, 0, 0, 0, NULL,
	    &cause));
	ck_assert_int_eq(broker_next(&b, 2), 0);
	ck_assert_uint_eq(b.open.n, 1);
	ck_assert_double_eq(broker_position_size(&b), 1000);
	ck_assert_double_eq(broker_margin_available(&b), 10000 - 1000 * 10 / 2.0);
	ck_assert_int_eq(broker_next(&b, 3), 0);
	ck_assert_double_eq(broker_equity(&b), 12000);
	ck_assert_double_eq(broker_position_pl(&b), 2000);
	ck_assert_double_eq(broker_position_pl_pct(&b), 20);
	ck_assert_double_eq(b.equity[3], 12000);
	broker_free(&b);
	frame_free(f);
}
END_TEST

/* Spread: buys pay price * (1 + |spread|) whatever its sign. */
START_TEST(spread_sign_ignored)
{
	double p[] = { 100, 100, 100 };
	struct frame *f = test_frame(3, NULL, NULL, NULL, p);
	struct broker_config c = config();
	struct broker b;
	char *cause = NULL;
	struct trade *t;

	c.spread = -0.01;
	broker_init(&b, &c, f);
	b.i = 1;
	ck_assert_ptr_nonnull(broker_place(&b, 1, 10, 0, 0, 0, 0, NULL,
	    &cause));
	ck_assert_int_eq(broker_next(&b, 2), 0);
	t = b.open.v[0];
	ck_assert_double_eq(t->entry_price, 101);
	broker_free(&b);
	frame_free(f);
}
END_TEST

/* What a real broker is sent (route.c): a fraction sized as the fill
 * will size it, counting the margin that the queued closes free. */
START_TEST(estimate_units_after_closes)
{
	double p[] = { 10, 10, 10, 10 };
	struct frame *f = test_frame(4, NULL, NULL, NULL, p);
	struct broker_config c = config();
	struct broker b;
	char *cause = NULL;
	double want;

	broker_init(&b, &c, f);
	b.i = 1;
	ck_assert_ptr_nonnull(broker_place(&b, 1, 0.5, 0, 0, 0, 0, NULL,
	    &cause));
	ck_assert_int_eq(broker_next(&b, 2), 0);
	ck_assert_double_eq(broker_position_size(&b), 500);
	ck_assert_double_eq(broker_estimate_units(&b, -0.9999), -499);
	ck_assert_double_eq(broker_estimate_units(&b, -7.9), -7);
	ck_assert_int_eq(broker_close_position(&b, 1.0, &cause), 0);
	want = broker_estimate_units(&b, -0.9999);
	ck_assert_double_eq(want, -999);
	ck_assert_ptr_nonnull(broker_place(&b, -1, 0.9999, 0, 0, 0, 0, NULL,
	    &cause));
	ck_assert_int_eq(broker_next(&b, 3), 0);
	ck_assert_double_eq(broker_position_size(&b), want);
	broker_free(&b);
	frame_free(f);
}
END_TEST

START_TEST(cancel_and_find)
{
	double p[] = { 100, 100, 100 };
	struct frame *f = test_frame(3, NULL, NULL, NULL, p);
	struct broker_config c = config();
	struct broker b;
	char *cause = NULL;
	struct order *o;

	broker_init(&b, &c, f);
	b.i = 1;
	o = broker_place(&b, 1, 1, 50, 0, 0, 0, "x", &cause);
	ck_assert_ptr_eq(broker_find_order(&b, o->id), o);
	ck_assert_int_eq(broker_cancel(&b, o, "strategy"), 0);
	ck_assert_int_eq(broker_cancel(&b, o, "strategy"), -1);
	ck_assert_ptr_null(broker_find_order(&b, 999));
	ck_assert_int_eq(broker_next(&b, 2), 0);
	ck_assert_uint_eq(b.open.n, 0);
	ck_assert_ptr_null(broker_place(&b, -1, 1, 0, 0, 0, 110, NULL,
	    &cause));
	ck_assert_ptr_nonnull(strstr(cause, "short orders require TP"));
	free(cause);
	broker_free(&b);
	frame_free(f);
}
END_TEST

Suite *
broker_suite(void)
{
	Suite *s = suite_create("broker");
	TCase *tc = tcase_create("account");

	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, config_checks);
	tcase_add_test(tc, leverage_and_margin);
	tcase_add_test(tc, spread_sign_ignored);
	tcase_add_test(tc, cancel_and_find);
	tcase_add_test(tc, estimate_units_after_closes);
	suite_add_tcase(s, tc);
	return s;
}
