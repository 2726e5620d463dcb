/* Statistics: the conventions of spec section 5 on small hand-made runs. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "result.h"
#include "stats.h"
#include "suites.h"
#include "testutil.h"
#include "timefmt.h"
#include "xmalloc.h"

#define DAY TIMEFMT_NS_PER_DAY
#define HOUR (DAY / 24)
#define MINUTE (HOUR / 60)

/* A run under test: the frame it owns and the result over it. */
struct run {
	struct frame *f;
	struct run_result r;
	struct stats s;
};

/* A daily run of n bars from 2020-01-01 (weekends included) with Close
 * close[] (or 100 + k) and equity e[] (or flat 10000). */
static void
run_init(struct run *t, size_t n, const double *close, const double *e)
{
	double *c = xcalloc(n, sizeof *c);
	size_t k;

	for (k = 0; k < n; k++)
		c[k] = close != NULL ? close[k] : 100 + (double)k;
	memset(t, 0, sizeof *t);
	t->f = test_frame(n, NULL, NULL, NULL, c);
	t->r.data = t->f;
	t->r.equity = xcalloc(n, sizeof(double));
	for (k = 0; k < n; k++)
		t->r.equity[k] = e != NULL ? e[k] : 10000;
	t->r.strategy = xstrdup("Test()");
	free(c);
}

/* Appends a closed trade with P/L and return derived as Trade does. */
static void
run_trade(struct run *t, double size, size_t eb, size_t xb, double ep,
    double xp, double comm)
{
	struct trade_rec *tr;

	t->r.trades = xreallocarray(t->r.trades, t->r.ntrades + 1,
	    sizeof *t->r.trades);
	tr = &t->r.trades[t->r.ntrades++];
	memset(tr, 0, sizeof *tr);
	tr->size = size;
	tr->entry_bar = eb;
	tr->exit_bar = xb;
	tr->entry_price = ep;
	tr->exit_price = xp;
	tr->sl = tr->tp = NAN;
	tr->commission = comm;
	tr->pnl = size * (xp - ep) - comm;
	tr->return_pct = copysign(1, size) * (xp / ep - 1) -
	    comm / (fabs(size) * ep);
}

static void
run_free(struct run *t)
{
	result_free(&t->r);
	frame_free(t->f);
}

static const struct stat *
get(const struct run *t, const char *key)
{
	const struct stat *st = stats_find(&t->s, key);

	ck_assert_msg(st != NULL, "missing statistic '%s'", key);
	return st;
}

static void
ck_float(const struct run *t, const char *key, double want)
{
	const struct stat *st = get(t, key);

	ck_assert_msg(st->kind == STAT_FLOAT, "%s: kind %d", key, st->kind);
	if (isnan(want))
		ck_assert_msg(isnan(st->f), "%s: %.17g, want NaN", key, st->f);
	else
		ck_assert_msg(fabs(st->f - want) <= 1e-12 * fabs(want),
		    "%s: %.17g, want %.17g", key, st->f, want);
}

static void
ck_kind(const struct run *t, const char *key, enum stat_kind kind,
    int64_t want)
{
	const struct stat *st = get(t, key);

	ck_assert_msg(st->kind == kind, "%s: kind %d, want %d", key,
	    st->kind, kind);
	ck_assert_msg(st->i == want, "%s: %lld, want %lld", key,
	    (long long)st->i, (long long)want);
}

START_TEST(test_compute_drawdown)
{
	/* backtesting's test_compute_drawdown */
	static const double dd[] = { 0, 1, 7, 0, 4, 0, 0 };
	struct drawdown d;

	stats_drawdown_from(dd, 7, &d);
	ck_assert_uint_eq(d.nep, 2);
	ck_assert_uint_eq(d.end[0], 3);
	ck_assert_uint_eq(d.end[0] - d.begin[0], 3);
	ck_assert(d.peak[0] == 7);
	ck_assert_uint_eq(d.end[1], 5);
	ck_assert_uint_eq(d.end[1] - d.begin[1], 2);
	ck_assert(d.peak[1] == 4);
	stats_drawdown_free(&d);
}
END_TEST

START_TEST(test_drawdown_from_equity)
{
	/* recovery needs the exact peak; an open drawdown ends at n-1 */
	static const double e[] = { 100, 90, 95, 100, 80, 100, 100, 99.5, 99 };
	struct drawdown d;

	stats_drawdown(e, 9, &d);
	ck_assert(d.dd[1] == 1 - 90.0 / 100 && d.dd[3] == 0 && d.dd[6] == 0);
	ck_assert_uint_eq(d.nep, 3);
	ck_assert_uint_eq(d.begin[0], 0);
	ck_assert_uint_eq(d.end[0], 3);
	ck_assert(d.peak[0] == 1 - 90.0 / 100);
	ck_assert_uint_eq(d.begin[1], 3);
	ck_assert_uint_eq(d.end[1], 5);
	ck_assert(d.peak[1] == 1 - 80.0 / 100);
	ck_assert_uint_eq(d.begin[2], 6);
	ck_assert_uint_eq(d.end[2], 8);
	stats_drawdown_free(&d);
}
END_TEST

START_TEST(test_drawdown_degenerate)
{
	/* a drawdown only on the last bar is no episode: the "durations"
	 * are the drawdown fractions */
	double e[20];
	struct run t;
	size_t k;

	for (k = 0; k < 20; k++)
		e[k] = k == 19 ? 9900 : 10000;
	run_init(&t, 20, NULL, e);
	stats_compute(&t.r, &t.s);
	ck_float(&t, "Max. Drawdown Duration", 1 - 9900.0 / 10000);
	ck_float(&t, "Avg. Drawdown Duration", 1 - 9900.0 / 10000);
	ck_float(&t, "Avg. Drawdown [%]", -(1 - 9900.0 / 10000) * 100);
	ck_float(&t, "Max. Drawdown [%]", -(1 - 9900.0 / 10000) * 100);
	run_free(&t);
}
END_TEST

START_TEST(test_zero_trades)
{
	/* spec 5.6: a flat run without trades */
	static const char *nan_keys[] = {
		"Sharpe Ratio", "Sortino Ratio", "Calmar Ratio",
		"Avg. Drawdown [%]", "Max. Drawdown Duration",
		"Avg. Drawdown Duration", "Win Rate [%]", "Best Trade [%]",
		"Worst Trade [%]", "Avg. Trade [%]", "Max. Trade Duration",
		"Avg. Trade Duration", "Profit Factor", "Expectancy [%]", "SQN",
		"Kelly Criterion"
	};
	static const char *zero_keys[] = {
		"Exposure Time [%]", "Return [%]", "Return (Ann.) [%]",
		"Volatility (Ann.) [%]", "CAGR [%]", "Alpha [%]", "Beta"
	};
	struct run t;
	size_t k;

	run_init(&t, 100, NULL, NULL);
	stats_compute(&t.r, &t.s);
	for (k = 0; k < sizeof nan_keys / sizeof nan_keys[0]; k++)
		ck_float(&t, nan_keys[k], NAN);
	for (k = 0; k < sizeof zero_keys / sizeof zero_keys[0]; k++)
		ck_float(&t, zero_keys[k], 0.0);
	ck_float(&t, "Max. Drawdown [%]", 0.0);
	ck_assert(signbit(get(&t, "Max. Drawdown [%]")->f));
	ck_kind(&t, "# Trades", STAT_INT, 0);
	ck_assert(stats_find(&t.s, "Commissions [$]") == NULL);
	run_free(&t);
}
END_TEST

static void
set_integer_index(struct run *t, int64_t first, int64_t step)
{
	size_t k;

	t->f->index_kind = FRAME_INDEX_INTEGER;
	for (k = 0; k < t->f->n; k++)
		t->f->index[k] = first + (int64_t)k * step;
}

START_TEST(test_integer_index)
{
	static const double e[] = { 100, 110, 99, 120, 118, 119, 125, 125 };
	struct run t;

	run_init(&t, 8, NULL, e);
	set_integer_index(&t, 10, 2);
	run_trade(&t, 3, 1, 4, 101, 104, 0);
	run_trade(&t, -2, 4, 7, 104, 107, 0);
	stats_compute(&t.r, &t.s);
	ck_assert(stats_find(&t.s, "CAGR [%]") == NULL);
	ck_float(&t, "Return (Ann.) [%]", 0.0);
	ck_float(&t, "Volatility (Ann.) [%]", NAN);
	ck_float(&t, "Sharpe Ratio", NAN);
	ck_float(&t, "Sortino Ratio", NAN);
	ck_float(&t, "Calmar Ratio", 0.0);
	/* pandas upcasts the whole stats Series to float64 */
	ck_float(&t, "Start", 10);
	ck_float(&t, "End", 24);
	ck_float(&t, "Duration", 14);
	ck_float(&t, "# Trades", 2);
	/* durations are plain index differences, not rounded */
	ck_float(&t, "Max. Trade Duration", 6);
	ck_float(&t, "Avg. Trade Duration", 6);
	/* episodes bars 1..3 and 3..6 */
	ck_float(&t, "Max. Drawdown Duration", 6);
	ck_float(&t, "Avg. Drawdown Duration", 5);
	run_free(&t);
}
END_TEST

START_TEST(test_round_up_daily)
{
	struct run t;

	run_init(&t, 30, NULL, NULL);
	run_trade(&t, 1, 1, 4, 101, 104, 0);
	run_trade(&t, 1, 5, 9, 105, 109, 0);
	stats_compute(&t.r, &t.s);
	ck_kind(&t, "Max. Trade Duration", STAT_TIMEDELTA, 4 * DAY);
	/* 3.5 days rounds up to 4 */
	ck_kind(&t, "Avg. Trade Duration", STAT_TIMEDELTA, 4 * DAY);
	run_free(&t);
}
END_TEST

static void
set_step(struct run *t, int64_t step)
{
	size_t k;

	for (k = 0; k < t->f->n; k++)
		t->f->index[k] = t->f->index[0] + (int64_t)k * step;
}

START_TEST(test_round_up_hourly)
{
	struct run t;
	size_t k;

	run_init(&t, 30, NULL, NULL);
	set_step(&t, HOUR);
	run_trade(&t, 1, 1, 3, 101, 103, 0);
	run_trade(&t, 1, 5, 8, 105, 108, 0);
	stats_compute(&t.r, &t.s);
	ck_kind(&t, "Max. Trade Duration", STAT_TIMEDELTA, 3 * HOUR);
	ck_kind(&t, "Avg. Trade Duration", STAT_TIMEDELTA, 3 * HOUR);
	run_free(&t);

	/* a 90-minute period rounds to whole minutes: 720 / 7 -> 103 */
	run_init(&t, 30, NULL, NULL);
	set_step(&t, 90 * MINUTE);
	for (k = 0; k < 6; k++)
		run_trade(&t, 1, 2 * k, 2 * k + 1, 101, 103, 0);
	run_trade(&t, 1, 12, 14, 105, 108, 0);
	stats_compute(&t.r, &t.s);
	ck_kind(&t, "Avg. Trade Duration", STAT_TIMEDELTA, 103 * MINUTE);
	ck_kind(&t, "Max. Trade Duration", STAT_TIMEDELTA, 180 * MINUTE);
	run_free(&t);
}
END_TEST

START_TEST(test_geomean_total_loss)
{
	struct run t;

	run_init(&t, 30, NULL, NULL);
	run_trade(&t, 2, 1, 4, 100, 150, 0);
	run_trade(&t, 2, 5, 9, 100, 0, 0);
	stats_compute(&t.r, &t.s);
	/* geometric_mean returns the int 0 once a trade lost 100% */
	ck_kind(&t, "Avg. Trade [%]", STAT_INT, 0);
	ck_float(&t, "Expectancy [%]", (0.5 - 1.0) / 2 * 100);
	ck_float(&t, "Worst Trade [%]", -100);
	run_free(&t);
}
END_TEST

START_TEST(test_profit_factor_no_winners)
{
	struct run t;

	run_init(&t, 30, NULL, NULL);
	run_trade(&t, 2, 1, 4, 100, 90, 0);
	run_trade(&t, -2, 5, 9, 100, 120, 0);
	stats_compute(&t.r, &t.s);
	ck_float(&t, "Profit Factor", 0.0);
	ck_float(&t, "Win Rate [%]", 0.0);
	ck_float(&t, "Kelly Criterion", NAN);
	run_free(&t);
}
END_TEST

START_TEST(test_commissions_key)
{
	struct run t;
	const struct stat *st;

	run_init(&t, 30, NULL, NULL);
	run_trade(&t, 2, 1, 4, 100, 110, 1.25);
	run_trade(&t, 2, 5, 9, 100, 110, 0.5);
	stats_compute(&t.r, &t.s);
	st = get(&t, "Commissions [$]");
	ck_assert(st->kind == STAT_FLOAT && st->f == 1.75);
	/* right after Equity Peak [$] */
	ck_assert_str_eq(st[-1].key, "Equity Peak [$]");
	ck_assert_str_eq(st[1].key, "Return [%]");
	run_free(&t);

	run_init(&t, 30, NULL, NULL);
	run_trade(&t, 2, 1, 4, 100, 110, 0);
	stats_compute(&t.r, &t.s);
	ck_assert(stats_find(&t.s, "Commissions [$]") == NULL);
	run_free(&t);
}
END_TEST

START_TEST(test_weekly_annualisation)
{
	double e[60];
	struct run t;
	size_t k;

	for (k = 0; k < 60; k++)
		e[k] = k == 0 ? 10000 : e[k - 1] * 1.01;
	run_init(&t, 60, NULL, e);
	set_step(&t, 7 * DAY);
	stats_compute(&t.r, &t.s);
	ck_float(&t, "Return (Ann.) [%]", (pow(1.01, 52) - 1) * 100);
	run_free(&t);
}
END_TEST

START_TEST(test_buy_hold_and_exposure)
{
	struct run t;

	run_init(&t, 20, NULL, NULL);
	t.r.warmup = 4;
	run_trade(&t, 1, 2, 4, 102, 104, 0);
	run_trade(&t, 1, 4, 6, 104, 106, 0);
	run_trade(&t, 1, 10, 10, 110, 110, 0);
	stats_compute(&t.r, &t.s);
	/* from C[warmup] = 104 to C[19] = 119 */
	ck_float(&t, "Buy & Hold Return [%]", (119.0 - 104) / 104 * 100);
	/* bars 2..6 and 10, inclusive */
	ck_float(&t, "Exposure Time [%]", 6.0 / 20 * 100);
	/* a zero-P/L trade is no win */
	ck_float(&t, "Win Rate [%]", 2.0 / 3 * 100);
	run_free(&t);
}
END_TEST

START_TEST(test_data_period)
{
	int64_t idx[6] = { 0, 10, 20, 40, 70, 110 };

	/* diffs 10 10 20 30 40: odd count, the middle one */
	ck_assert_int_eq(stats_data_period(idx, 6), 20);
	/* 10 10 20 30: the middle pair averaged */
	ck_assert_int_eq(stats_data_period(idx, 5), 15);
	ck_assert_int_eq(stats_data_period(idx, 1), 0);
}
END_TEST

START_TEST(test_key_order)
{
	static const char *keys[] = {
		"Start", "End", "Duration", "Exposure Time [%]",
		"Equity Final [$]", "Equity Peak [$]", "Return [%]",
		"Buy & Hold Return [%]", "Return (Ann.) [%]",
		"Volatility (Ann.) [%]", "CAGR [%]", "Sharpe Ratio",
		"Sortino Ratio", "Calmar Ratio", "Alpha [%]", "Beta",
		"Max. Drawdown [%]", "Avg. Drawdown [%]",
		"Max. Drawdown Duration", "Avg. Drawdown Duration", "# Trades",
		"Win Rate [%]", "Best Trade [%]", "Worst Trade [%]",
		"Avg. Trade [%]", "Max. Trade Duration", "Avg. Trade Duration",
		"Profit Factor", "Expectancy [%]", "SQN", "Kelly Criterion"
	};
	struct run t;
	size_t k;

	run_init(&t, 30, NULL, NULL);
	stats_compute(&t.r, &t.s);
	ck_assert_uint_eq(t.s.n, sizeof keys / sizeof keys[0]);
	for (k = 0; k < t.s.n; k++)
		ck_assert_str_eq(t.s.item[k].key, keys[k]);
	ck_kind(&t, "Start", STAT_TIMESTAMP, timefmt_days(2020, 1, 1) * DAY);
	ck_kind(&t, "Duration", STAT_TIMEDELTA, 29 * DAY);
	run_free(&t);
}
END_TEST

Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");

	test_add_case(s, "compute_drawdown", test_compute_drawdown);
	test_add_case(s, "drawdown_from_equity", test_drawdown_from_equity);
	test_add_case(s, "drawdown_degenerate", test_drawdown_degenerate);
	test_add_case(s, "zero_trades", test_zero_trades);
	test_add_case(s, "integer_index", test_integer_index);
	test_add_case(s, "round_up_daily", test_round_up_daily);
	test_add_case(s, "round_up_hourly", test_round_up_hourly);
	test_add_case(s, "geomean_total_loss", test_geomean_total_loss);
	test_add_case(s, "profit_factor_no_winners", test_profit_factor_no_winners);
	test_add_case(s, "commissions_key", test_commissions_key);
	test_add_case(s, "weekly_annualisation", test_weekly_annualisation);
	test_add_case(s, "buy_hold_and_exposure", test_buy_hold_and_exposure);
	test_add_case(s, "data_period", test_data_period);
	test_add_case(s, "key_order", test_key_order);
	return s;
}
