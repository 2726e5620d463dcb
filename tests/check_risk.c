/* The risk gate on its own: each limit, the reason it gives, the HALTED
 * state and its end, the token bucket and the sizing helper. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk.h"
#include "suites.h"
#include "timefmt.h"

#define SEC INT64_C(1000000000)
#define DAY TIMEFMT_NS_PER_DAY
/* 2024-01-02 00:00:00 */
#define T0 (INT64_C(19724) * DAY)

static struct risk_config
no_limits(void)
{
	struct risk_config c;

	memset(&c, 0, sizeof c);
	c.risk_per_trade = 0.01;
	c.atr_multiple = 2;
	c.trading_start = c.trading_end = c.flatten_at = -1;
	return c;
}

/* A flat account of 10000 buying 10 units at 100. */
static struct risk_order
entry(int64_t t)
{
	struct risk_order o;

	memset(&o, 0, sizeof o);
	o.side = 1;
	o.size = 10;
	o.price = 100;
	o.equity = 10000;
	o.margin_available = 10000;
	o.leverage = 1;
	o.time = t;
	return o;
}

/* Runs the check and returns its reason (caller frees), NULL if allowed. */
static char *
check(struct risk *r, const struct risk_order *o)
{
	char *reason = NULL;

	if (risk_check(r, o, &reason) == 0) {
		ck_assert_ptr_null(reason);
		return NULL;
	}
	ck_assert_ptr_nonnull(reason);
	return reason;
}

static void
refused_with(struct risk *r, const struct risk_order *o, const char *want)
{
	char *why = check(r, o);

	ck_assert_msg(why != NULL, "order allowed; expected '%s'", want);
	ck_assert_msg(strstr(why, want) != NULL, "'%s' lacks '%s'", why, want);
	free(why);
}

static void
allowed(struct risk *r, const struct risk_order *o)
{
	char *why = check(r, o);

	ck_assert_msg(why == NULL, "refused: %s", why ? why : "");
}

START_TEST(nothing_configured_allows_everything)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);
	int k;

	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	for (k = 0; k < 1000; k++)
		if (check(&r, &o) != NULL)
			break;
	ck_assert_int_eq(k, 1000);
	risk_free(&r);
}
END_TEST

START_TEST(max_open_positions)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.max_open_positions = 2;
	risk_init(&r, &c, 3, 1);
	risk_new_bar(&r, T0, 10000);
	o.positions_held = 1;
	allowed(&r, &o);
	o.positions_held = 2;
	refused_with(&r, &o, "max_open_positions: 2 symbols");
	/* Adding to a symbol that holds a position opens none. */
	o.position = 5;
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(max_position_fraction)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.max_position_fraction = 0.25;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	o.size = 25;			/* 2500 = exactly a quarter */
	allowed(&r, &o);
	o.size = 26;
	refused_with(&r, &o, "max_position_fraction");
	o.size = 10;
	o.limit = 300;			/* valued at the limit price */
	refused_with(&r, &o, "worth 3000.00");
	o.limit = 0;
	o.size = 0.5;			/* half of 10000 of margin */
	refused_with(&r, &o, "worth 5000.00");
	risk_free(&r);
}
END_TEST

START_TEST(min_cash_reserve)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.min_cash_reserve = 2000;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	o.size = 80;			/* leaves exactly 2000 */
	allowed(&r, &o);
	o.size = 81;
	refused_with(&r, &o, "min_cash_reserve: 1900.00");
	risk_free(&r);
}
END_TEST

START_TEST(trades_per_day_and_new_day)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0 + 10 * SEC);

	c.max_trades_per_day = 2;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	allowed(&r, &o);
	allowed(&r, &o);
	refused_with(&r, &o, "max_trades_per_day: 2 entries");
	/* A reducing order is no entry. */
	o.position = 20;
	o.side = -1;
	allowed(&r, &o);
	ck_assert_int_eq(risk_new_bar(&r, T0 + DAY, 10000), 1);
	o = entry(T0 + DAY);
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(orders_per_second_bucket)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.max_orders_per_second = 2;
	c.order_burst = 3;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	allowed(&r, &o);
	allowed(&r, &o);
	allowed(&r, &o);
	refused_with(&r, &o, "max_orders_per_second");
	o.time = T0 + SEC / 2;		/* one token back */
	allowed(&r, &o);
	refused_with(&r, &o, "max_orders_per_second");
	o.time = T0 + 100 * SEC;	/* refills only up to the burst */
	allowed(&r, &o);
	allowed(&r, &o);
	allowed(&r, &o);
	refused_with(&r, &o, "max_orders_per_second");
	risk_free(&r);
}
END_TEST

START_TEST(per_strategy_daily_orders)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.max_orders_per_strategy_day = 1;
	risk_init(&r, &c, 2, 1);
	risk_new_bar(&r, T0, 10000);
	allowed(&r, &o);
	refused_with(&r, &o, "max_orders_per_strategy_day");
	o.leg = 1;			/* the other instance has its own */
	allowed(&r, &o);
	risk_new_bar(&r, T0 + DAY, 10000);
	o.leg = 0;
	o.time = T0 + DAY;
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(duplicate_guard)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.duplicate_guard = 1;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	allowed(&r, &o);
	o.duplicate = 1;
	refused_with(&r, &o, "duplicate_guard");
	risk_free(&r);
}
END_TEST

START_TEST(trading_hours)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0 + 9 * 3600 * SEC);

	c.trading_start = 9 * 3600 + 30 * 60;
	c.trading_end = 16 * 3600;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, o.time, 10000);
	refused_with(&r, &o, "trading_hours");
	o.time = T0 + (9 * 3600 + 30 * 60) * SEC;
	allowed(&r, &o);
	o.time = T0 + 16 * 3600 * SEC;	/* the end is exclusive */
	refused_with(&r, &o, "trading_hours");
	/* Closing is always allowed. */
	o.side = -1;
	o.position = 10;
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(daily_loss_halts_until_next_day)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0 + SEC);

	c.daily_loss_limit = 0.05;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	ck_assert_int_eq(risk_after_fills(&r, 9500), RISK_RUNNING);
	ck_assert_int_eq(risk_after_fills(&r, 9499), RISK_HALT_DAILY_LOSS);
	/* Reported once, not on every bar. */
	ck_assert_int_eq(risk_after_fills(&r, 9400), RISK_RUNNING);
	refused_with(&r, &o, "halted (daily_loss_limit): reduce-only");
	o.side = -1;
	o.position = 10;
	allowed(&r, &o);		/* reducing */
	o.size = 11;			/* would flip the position */
	refused_with(&r, &o, "halted");
	o.size = 0.5;			/* a fraction may flip it too */
	refused_with(&r, &o, "halted");
	risk_new_bar(&r, T0 + DAY, 9400);
	o = entry(T0 + DAY);
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(drawdown_halts_for_good)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0 + 3 * DAY);

	c.max_drawdown = 0.10;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0, 10000);
	ck_assert_int_eq(risk_after_fills(&r, 12000), RISK_RUNNING);
	ck_assert_int_eq(risk_after_fills(&r, 10800), RISK_RUNNING);
	ck_assert_int_eq(risk_after_fills(&r, 10799), RISK_HALT_DRAWDOWN);
	risk_new_bar(&r, T0 + 3 * DAY, 11000);
	ck_assert_int_eq(risk_after_fills(&r, 13000), RISK_RUNNING);
	refused_with(&r, &o, "halted (max_drawdown)");
	risk_free(&r);
}
END_TEST

START_TEST(flatten_once_a_day)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0 + 16 * 3600 * SEC);

	c.flatten_at = 15 * 3600 + 55 * 60;
	risk_init(&r, &c, 1, 1);
	risk_new_bar(&r, T0 + 15 * 3600 * SEC, 10000);
	ck_assert_int_eq(risk_flatten_due(&r, T0 + 15 * 3600 * SEC), 0);
	ck_assert_int_eq(risk_flatten_due(&r, T0 + 16 * 3600 * SEC), 1);
	ck_assert_int_eq(risk_flatten_due(&r, T0 + 17 * 3600 * SEC), 0);
	refused_with(&r, &o, "flatten_at");
	risk_new_bar(&r, T0 + DAY + 10 * 3600 * SEC, 10000);
	o.time = T0 + DAY + 10 * 3600 * SEC;
	allowed(&r, &o);
	ck_assert_int_eq(risk_flatten_due(&r, T0 + DAY + 16 * 3600 * SEC), 1);
	risk_free(&r);
}
END_TEST

START_TEST(integer_index_has_no_clock)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(5);

	c.trading_start = 3600;
	c.trading_end = 7200;
	c.flatten_at = 60;
	risk_init(&r, &c, 1, 0);
	risk_new_bar(&r, 5, 10000);
	allowed(&r, &o);
	ck_assert_int_eq(risk_flatten_due(&r, 100000), 0);
	ck_assert_int_eq(risk_new_bar(&r, 1000000, 10000), 0);
	risk_free(&r);
}
END_TEST

START_TEST(stale_symbol_refuses_entries_only)
{
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.refuse_on_stale = 1;
	risk_init(&r, &c, 2, 1);
	risk_new_bar(&r, T0, 10000);
	o.symbol = "BTCUSDT";
	risk_set_stale(&r, 0, 95);
	refused_with(&r, &o, "stale_data: no update from BTCUSDT for 95 s");
	/* Another symbol is not concerned. */
	o.leg = 1;
	allowed(&r, &o);
	/* A close of the stale symbol's position goes through. */
	o.leg = 0;
	o.position = 10;
	o.side = -1;
	allowed(&r, &o);
	/* Fresh again. */
	o.position = 0;
	o.side = 1;
	risk_set_stale(&r, 0, 0);
	allowed(&r, &o);
	/* Off: the stale symbol trades. */
	r.cfg.refuse_on_stale = 0;
	risk_set_stale(&r, 0, 95);
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

/* A replay takes staleness from the journal's rows, bar by bar. */
START_TEST(stale_log_replays_by_bar)
{
	static const struct risk_stale log[] = {
		{ T0 + 60 * SEC, 1, 200 },
		{ T0 + 120 * SEC, 0, 100 },
		{ T0 + 120 * SEC, 1, 260 },
	};
	struct risk_config c = no_limits();
	struct risk r;
	struct risk_order o = entry(T0);

	c.refuse_on_stale = 1;
	risk_init(&r, &c, 2, 1);
	risk_set_stale_log(&r, log, 3);
	o.leg = 1;
	risk_new_bar(&r, T0, 10000);
	allowed(&r, &o);
	o.time = T0 + 60 * SEC;
	risk_new_bar(&r, o.time, 10000);
	refused_with(&r, &o, "no update from this symbol for 200 s");
	o.time = T0 + 120 * SEC;
	risk_new_bar(&r, o.time, 10000);
	refused_with(&r, &o, "for 260 s");
	o.leg = 0;
	refused_with(&r, &o, "for 100 s");
	/* No row at this bar: everyone is fresh. */
	o.time = T0 + 180 * SEC;
	risk_new_bar(&r, o.time, 10000);
	allowed(&r, &o);
	o.leg = 1;
	allowed(&r, &o);
	risk_free(&r);
}
END_TEST

START_TEST(sizing_helper)
{
	struct risk_config c = no_limits();

	/* 10000 * 1% / (2 * 1.5) = 33.3 -> 33 */
	ck_assert_double_eq(risk_units(&c, 10000, 0, 0, 1.5), 33);
	ck_assert_double_eq(risk_units(&c, 10000, 0.02, 4, 1.25), 40);
	ck_assert_double_eq(risk_units(&c, 10000, 0, 0, 0), 0);
	ck_assert_double_eq(risk_units(&c, 10000, 0, 0, NAN), 0);
	ck_assert_double_eq(risk_units(&c, -5, 0, 0, 1), 0);
	c.risk_per_trade = 0.05;
	ck_assert_double_eq(risk_units(&c, 10000, 0, 0, 1), 250);
}
END_TEST

Suite *
risk_suite(void)
{
	Suite *s = suite_create("risk");
	TCase *tc = tcase_create("limits");

	tcase_add_test(tc, nothing_configured_allows_everything);
	tcase_add_test(tc, max_open_positions);
	tcase_add_test(tc, max_position_fraction);
	tcase_add_test(tc, min_cash_reserve);
	tcase_add_test(tc, trades_per_day_and_new_day);
	tcase_add_test(tc, orders_per_second_bucket);
	tcase_add_test(tc, per_strategy_daily_orders);
	tcase_add_test(tc, duplicate_guard);
	tcase_add_test(tc, trading_hours);
	tcase_add_test(tc, daily_loss_halts_until_next_day);
	tcase_add_test(tc, drawdown_halts_for_good);
	tcase_add_test(tc, flatten_once_a_day);
	tcase_add_test(tc, integer_index_has_no_clock);
	tcase_add_test(tc, stale_symbol_refuses_entries_only);
	tcase_add_test(tc, stale_log_replays_by_bar);
	tcase_add_test(tc, sizing_helper);
	suite_add_tcase(s, tc);
	return s;
}
