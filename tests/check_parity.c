/* Parity with backtesting.py on the GOOG SmaCross(10, 30) reference (spec
 * section 7).  A standalone Check program: it exits 77 (skipped) when
 * ../shared/data is absent.  TCase "stats_fixture" feeds the library's own
 * equity curve and trades (spec/fixtures) to stats.c and report.c; TCase
 * "engine" runs strategies/sma.so through the real engine and compares its
 * trades, equity curve and statistics with the same fixtures.  TCase
 * "breakout" runs strategies/breakout.so against figures derived by hand
 * (there is no library fixture for it). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "engine.h"
#include "frame.h"
#include "report.h"
#include "result.h"
#include "stats.h"
#include "testutil.h"
#include "timefmt.h"
#include "xmalloc.h"

#define FIXTURES "spec/fixtures/goog_smacross_10_30_"
#define RTOL 1e-9
#define MAX_FIELDS 32
#define LINE_BUF 4096
#define GOOG_WARMUP 29

/* print(stats) of the reference run, as pandas 1.5.3 shows backtesting's
 * _Stats (display.precision 5, max_colwidth 20). */
static const char *goog_table =
    "Start                     2004-08-19 00:00:00\n"
    "End                       2013-03-01 00:00:00\n"
    "Duration                   3116 days 00:00:00\n"
    "Exposure Time [%]                    96.74115\n"
    "Equity Final [$]                     51422.99\n"
    "Equity Peak [$]                      75787.44\n"
    "Return [%]                           414.2299\n"
    "Buy & Hold Return [%]               522.06019\n"
    "Return (Ann.) [%]                     21.1911\n"
    "Volatility (Ann.) [%]                36.49716\n"
    "CAGR [%]                             21.16025\n"
    "Sharpe Ratio                          0.58062\n"
    "Sortino Ratio                         1.08534\n"
    "Calmar Ratio                          0.44166\n"
    "Alpha [%]                           394.37391\n"
    "Beta                                  0.03803\n"
    "Max. Drawdown [%]                   -47.98013\n"
    "Avg. Drawdown [%]                    -5.92585\n"
    "Max. Drawdown Duration      584 days 00:00:00\n"
    "Avg. Drawdown Duration       41 days 00:00:00\n"
    "# Trades                                   66\n"
    "Win Rate [%]                          46.9697\n"
    "Best Trade [%]                       53.59595\n"
    "Worst Trade [%]                     -18.39887\n"
    "Avg. Trade [%]                        2.53172\n"
    "Max. Trade Duration         183 days 00:00:00\n"
    "Avg. Trade Duration          46 days 00:00:00\n"
    "Profit Factor                         2.16795\n"
    "Expectancy [%]                        3.27481\n"
    "SQN                                   1.07662\n"
    "Kelly Criterion                       0.15187\n"
    "_strategy                 SmaCross(fast=10...\n"
    "_equity_curve                           Eq...\n"
    "_trades                       Size  EntryB...\n"
    "dtype: object\n";

/* The reference run rebuilt from the fixtures, and the fixtures' own
 * drawdown columns. */
static struct frame *goog;
static struct run_result run;
static double *fix_dd;
static double *fix_dd_days;

static char *
shared(const char *rel)
{
	char *p = test_shared_path(rel);

	ck_assert_msg(p != NULL, "missing ../shared/%s", rel);
	return p;
}

/* Splits a CSV line into fields in place (quotes honoured); returns the
 * count. */
static size_t
split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *w = line;
	int quoted = 0;

	line[strcspn(line, "\r\n")] = '\0';
	field[n++] = w;
	for (; *line != '\0'; line++) {
		if (*line == '"') {
			quoted = !quoted;
		} else if (*line == ',' && !quoted) {
			*w++ = '\0';
			ck_assert(n < max);
			field[n++] = w;
		} else {
			*w++ = *line;
		}
	}
	*w = '\0';
	return n;
}

static double
cell(const char *s)
{
	return *s == '\0' ? NAN : strtod(s, NULL);
}

/* Reads the Equity, DrawdownPct and DrawdownDurationDays columns. */
static void
load_equity(void)
{
	char *path = shared(FIXTURES "equity.csv"), line[LINE_BUF];
	char *f[MAX_FIELDS];
	FILE *in = fopen(path, "r");
	size_t k = 0;

	ck_assert(in != NULL && fgets(line, sizeof line, in) != NULL);
	run.equity = xcalloc(goog->n, sizeof(double));
	fix_dd = xcalloc(goog->n, sizeof(double));
	fix_dd_days = xcalloc(goog->n, sizeof(double));
	while (fgets(line, sizeof line, in) != NULL) {
		ck_assert_uint_eq(split(line, f, MAX_FIELDS), 4);
		ck_assert(k < goog->n);
		run.equity[k] = cell(f[1]);
		fix_dd[k] = cell(f[2]);
		fix_dd_days[k++] = cell(f[3]);
	}
	ck_assert_uint_eq(k, goog->n);
	fclose(in);
	free(path);
}

static void
load_trade(char **f, struct trade_rec *t)
{
	memset(t, 0, sizeof *t);
	t->size = cell(f[0]);
	t->entry_bar = (size_t)strtoul(f[1], NULL, 10);
	t->exit_bar = (size_t)strtoul(f[2], NULL, 10);
	t->entry_price = cell(f[3]);
	t->exit_price = cell(f[4]);
	t->sl = cell(f[5]);
	t->tp = cell(f[6]);
	t->pnl = cell(f[7]);
	t->commission = cell(f[8]);
	t->return_pct = cell(f[9]);
}

static void
load_trades(void)
{
	char *path = shared(FIXTURES "trades.csv"), line[LINE_BUF];
	char *f[MAX_FIELDS];
	FILE *in = fopen(path, "r");

	ck_assert(in != NULL && fgets(line, sizeof line, in) != NULL);
	ck_assert_uint_eq(split(line, f, MAX_FIELDS), 18);
	ck_assert_str_eq(f[14], "Entry_SMA(C,10)");
	while (fgets(line, sizeof line, in) != NULL) {
		ck_assert_uint_eq(split(line, f, MAX_FIELDS), 18);
		run.trades = xreallocarray(run.trades, run.ntrades + 1,
		    sizeof *run.trades);
		load_trade(f, &run.trades[run.ntrades++]);
	}
	fclose(in);
	free(path);
}

static void
fixture_setup(void)
{
	char *path = shared("data/GOOG.csv"), *cause = NULL;

	ck_assert_msg(csv_read(path, &goog, &cause) == 0, "%s", cause);
	free(path);
	memset(&run, 0, sizeof run);
	run.data = goog;
	run.warmup = GOOG_WARMUP;
	run.strategy = xstrdup("SmaCross(fast=10,slow=30)");
	load_equity();
	load_trades();
}

static void
fixture_teardown(void)
{
	result_free(&run);
	frame_free(goog);
	free(fix_dd);
	free(fix_dd_days);
}

/* "Timestamp('2004-08-19 00:00:00')" or "Timedelta('3116 days
 * 00:00:00')" to nanoseconds. */
static int64_t
parse_time(const char *v, int delta)
{
	long long days;
	int h, m, s;
	int64_t ns;
	const char *q = strchr(v, '\'') + 1;

	if (!delta) {
		ck_assert(timefmt_parse(q, strcspn(q, "'"), &ns) == 0);
		return ns;
	}
	ck_assert(sscanf(q, "%lld days %d:%d:%d", &days, &h, &m, &s) == 4);
	return (int64_t)days * TIMEFMT_NS_PER_DAY +
	    ((int64_t)h * 3600 + m * 60 + s) * INT64_C(1000000000);
}

/* Checks one "key<TAB>value" line of stats.txt against st; returns the
 * relative error of a float. */
static double
check_line(const struct stat *st, const char *key, const char *v)
{
	double want, err;

	ck_assert_str_eq(st->key, key);
	if (strncmp(v, "Timestamp", 9) == 0 ||
	    strncmp(v, "Timedelta", 9) == 0) {
		ck_assert_int_eq(st->kind, v[4] == 's' ? STAT_TIMESTAMP :
		    STAT_TIMEDELTA);
		ck_assert_int_eq(st->i, parse_time(v, v[4] != 's'));
		return 0;
	}
	if (strpbrk(v, ".en") == NULL) {
		ck_assert_int_eq(st->kind, STAT_INT);
		ck_assert_int_eq(st->i, strtoll(v, NULL, 10));
		return 0;
	}
	want = strtod(v, NULL);
	ck_assert_int_eq(st->kind, STAT_FLOAT);
	err = fabs(st->f - want) / fabs(want);
	ck_assert_msg(err <= RTOL, "%s: %.17g, want %.17g (rel %.3g)", key,
	    st->f, want, err);
	return err;
}

/* Compares every statistic of r with stats.txt, key by key, in order. */
static void
check_stats_file(const struct run_result *r, const char *what)
{
	char *path = shared(FIXTURES "stats.txt"), line[LINE_BUF], *tab;
	FILE *in = fopen(path, "r");
	struct stats s;
	double err, worst = 0;
	const char *worst_key = "-";
	size_t k = 0;

	ck_assert(in != NULL);
	stats_compute(r, &s);
	while (fgets(line, sizeof line, in) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		tab = strchr(line, '\t');
		ck_assert(tab != NULL && k < s.n);
		*tab = '\0';
		err = check_line(&s.item[k], line, tab + 1);
		if (err > worst) {
			worst = err;
			worst_key = s.item[k].key;
		}
		k++;
	}
	ck_assert_uint_eq(k, s.n);
	fprintf(stderr, "parity (%s): %zu statistics, worst relative error "
	    "%.3g (%s)\n", what, k, worst, worst_key);
	fclose(in);
	free(path);
}

START_TEST(test_every_statistic)
{
	check_stats_file(&run, "fixtures");
}
END_TEST

START_TEST(test_drawdown_columns)
{
	struct drawdown d;
	size_t k, ep = 0;
	double days;

	stats_drawdown(run.equity, goog->n, &d);
	for (k = 0; k < goog->n; k++) {
		ck_assert_msg(d.dd[k] == fix_dd[k], "bar %zu: %.17g != %.17g",
		    k, d.dd[k], fix_dd[k]);
		if (ep < d.nep && d.end[ep] == k) {
			days = (double)(goog->index[k] -
			    goog->index[d.begin[ep++]]) / TIMEFMT_NS_PER_DAY;
			ck_assert_msg(days == fix_dd_days[k], "bar %zu", k);
		} else {
			ck_assert_msg(isnan(fix_dd_days[k]), "bar %zu", k);
		}
	}
	stats_drawdown_free(&d);
}
END_TEST

START_TEST(test_printed_table)
{
	FILE *f = tmpfile();
	struct stats s;
	char buf[LINE_BUF];
	size_t len;

	ck_assert(f != NULL);
	stats_compute(&run, &s);
	ck_assert_int_eq(report_table(f, &run, &s), 0);
	rewind(f);
	len = fread(buf, 1, sizeof buf - 1, f);
	buf[len] = '\0';
	fclose(f);
	ck_assert_str_eq(buf, goog_table);
}
END_TEST

static TCase *
stats_fixture_tcase(void)
{
	TCase *tc = tcase_create("stats_fixture");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
	tcase_add_test(tc, test_every_statistic);
	tcase_add_test(tc, test_drawdown_columns);
	tcase_add_test(tc, test_printed_table);
	return tc;
}

/*
 * The real engine: strategies/sma.so over GOOG.csv.
 */

static struct run_result eng;

static void
engine_setup(void)
{
	const char *dir = getenv("TH_STRATEGIES");
	char *path = xasprintf("%s/sma.so", dir ? dir : "strategies");
	struct engine_options opt = { .broker = { .cash = 10000, .margin = 1 },
	    .finalize_trades = 1 };
	char *cause = NULL;
	struct params params;
	struct plugin pl;

	fixture_setup();
	ck_assert_msg(plugin_load(path, &pl, &cause) == 0, "%s", cause);
	params_init(&params, pl.desc);
	ck_assert(params_assign(&params, "fast=10", &cause) == 0);
	ck_assert(params_assign(&params, "slow=30", &cause) == 0);
	ck_assert_msg(engine_run(&pl, &params, goog, &opt, &eng, &cause) == 0,
	    "%s", cause);
	params_free(&params);
	plugin_unload(&pl);
	free(path);
}

static void
engine_teardown(void)
{
	result_free(&eng);
	fixture_teardown();
}

/* Bit-level equality, so a one-ulp drift is caught (NaN equals NaN). */
#define ck_assert_same(x, y, what, k) ck_assert_msg((x) == (y) || \
	(isnan(x) && isnan(y)), "%s of trade %zu: %.17g != %.17g", what, k, \
	(double)(x), (double)(y))

START_TEST(test_engine_trades)
{
	size_t k;

	ck_assert_uint_eq(eng.ntrades, 66);
	ck_assert_uint_eq(eng.ntrades, run.ntrades);
	for (k = 0; k < eng.ntrades; k++) {
		const struct trade_rec *a = &eng.trades[k], *b = &run.trades[k];

		ck_assert_same(a->size, b->size, "Size", k);
		ck_assert_uint_eq(a->entry_bar, b->entry_bar);
		ck_assert_uint_eq(a->exit_bar, b->exit_bar);
		ck_assert_same(a->entry_price, b->entry_price, "EntryPrice", k);
		ck_assert_same(a->exit_price, b->exit_price, "ExitPrice", k);
		ck_assert_same(a->sl, b->sl, "SL", k);
		ck_assert_same(a->tp, b->tp, "TP", k);
		ck_assert_same(a->pnl, b->pnl, "PnL", k);
		ck_assert_same(a->commission, b->commission, "Commission", k);
		ck_assert_same(a->return_pct, b->return_pct, "ReturnPct", k);
		ck_assert_ptr_null(a->tag);
	}
}
END_TEST

START_TEST(test_engine_equity)
{
	size_t k;

	ck_assert_uint_eq(eng.warmup, GOOG_WARMUP);
	for (k = 0; k < goog->n; k++)
		ck_assert_msg(eng.equity[k] == run.equity[k], "bar %zu: %.17g "
		    "!= %.17g", k, eng.equity[k], run.equity[k]);
}
END_TEST

/* The Entry_/Exit_ indicator columns: the SMAs at each trade's bars. */
START_TEST(test_engine_indicators)
{
	char *path = shared(FIXTURES "trades.csv"), line[LINE_BUF];
	char *f[MAX_FIELDS];
	FILE *in = fopen(path, "r");
	size_t k = 0;

	ck_assert_uint_eq(eng.nind, 2);
	ck_assert_str_eq(eng.ind[0].name, "SMA(C,10)");
	ck_assert_str_eq(eng.ind[1].name, "SMA(C,30)");
	ck_assert(in != NULL && fgets(line, sizeof line, in) != NULL);
	while (fgets(line, sizeof line, in) != NULL) {
		const struct trade_rec *t = &eng.trades[k];

		ck_assert_uint_eq(split(line, f, MAX_FIELDS), 18);
		ck_assert_same(eng.ind[0].values[t->entry_bar], cell(f[14]),
		    "Entry_SMA(C,10)", k);
		ck_assert_same(eng.ind[0].values[t->exit_bar], cell(f[15]),
		    "Exit_SMA(C,10)", k);
		ck_assert_same(eng.ind[1].values[t->entry_bar], cell(f[16]),
		    "Entry_SMA(C,30)", k);
		ck_assert_same(eng.ind[1].values[t->exit_bar], cell(f[17]),
		    "Exit_SMA(C,30)", k);
		k++;
	}
	fclose(in);
	free(path);
}
END_TEST

START_TEST(test_engine_statistics)
{
	check_stats_file(&eng, "engine");
}
END_TEST

static TCase *
engine_tcase(void)
{
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, engine_setup, engine_teardown);
	tcase_add_test(tc, test_engine_trades);
	tcase_add_test(tc, test_engine_equity);
	tcase_add_test(tc, test_engine_indicators);
	tcase_add_test(tc, test_engine_statistics);
	return tc;
}

/*
 * strategies/breakout.so over GOOG.csv with its defaults (n = 20, atr_n =
 * 14, trail_atr = 3), cash 10000, no commission, no finalize.
 *
 * No backtesting.py fixture exists for it, so the expected figures come from
 * an independent stdlib-only Python model of the same rules: rolling
 * max/min over n bars including the current one; TR[0] = NaN, TR[j] =
 * max(H-L, |C[j-1]-H|, |C[j-1]-L|); ATR = pandas' Kahan roll_mean of TR
 * (spec 2.4), back-filled; the run loop of spec 1.2 and the broker of spec 3
 * (market fill at the next Open, units = (cash * (1 - 2^-52)) // Open, a
 * long's SL fills at min(Open, stop) when Low <= stop).  The model matched
 * the engine bit for bit on every trade and every equity bar, so the
 * literals (printed with Python's repr) are compared exactly.
 *
 * Worked example, trade 0:
 * - warm-up 19 (MAX(H,20) and MIN(L,20) are first valid on bar 19; the ATR
 *   does not count), so the first next() is on bar 20, 2004-09-17;
 * - there Close 117.49 > hh[19] = 115.80 (the High of bar 19 itself): buy;
 * - filled on bar 21 (2004-09-20) at its Open 116.95, for
 *   floor(10000 / 116.95) = floor(85.507) = 85 units;
 * - next() on bar 21 sets the first stop: C 119.36 - 3 * ATR 3.42714285714
 *   = 109.078571428571; it then only rises, last on bar 51 (2004-11-01):
 *   C 196.03 - 3 * 10.2814285714 = 165.185714285714;
 * - bar 66 (2004-11-22) opens at 164.47, below the stop: it fills at
 *   min(164.47, 165.1857...) = 164.47, SL shows 165.1857...; PnL =
 *   85 * (164.47 - 116.95) = 4039.20.
 * Trade 1: the same bar 66 is flat again and Close 165.10 < ll[65] = 165.27:
 * sell, filled bar 67 at 167.97 for floor(14039.20 / 167.97) = 83 units;
 * first stop 167.52 + 3 * 9.5314 = 196.114, lowest on bar 80 (170.45 +
 * 3 * 4.71214 = 184.586428571429), hit on bar 85 (High 188.46, Open 182.00
 * below it: fills at the stop).
 * Trade 2: bar 85 Close 185.02 > hh[84] = 183.00: buy, bar 86 at 186.31,
 * floor(12660.036 / 186.31) = 67 units; stop highest on bar 94 (202.71 -
 * 3 * 5.38214 = 186.563571428571), hit on bar 108 (Low 180.32, Open 188.69
 * above it: fills at the stop).
 */
struct brk_trade {
	double size;
	size_t entry_bar;
	size_t exit_bar;
	double entry_price;
	double exit_price;
	double sl;
	double pnl;
};

static const struct brk_trade brk_first[] = {
	{ 85, 21, 66, 116.95, 164.47, 165.1857142857143, 4039.2 },
	{ -83, 67, 85, 167.97, 184.58642857142857, 184.58642857142857,
	    -1379.1635714285715 },
	{ 67, 86, 108, 186.31, 186.56357142857144, 186.56357142857144,
	    16.98928571428604 },
	{ -69, 109, 113, 181.94, 195.645, 195.645, -945.6450000000009 },
	{ 56, 116, 121, 205.99, 185.67499999999998, 185.67499999999998,
	    -1137.6400000000015 },
};

#define BRK_WARMUP 19
#define BRK_NTRADES 63		/* closed; one long of 49 stays open */
#define BRK_EQUITY_FINAL 39655.03428571425

static struct run_result brk;

/* Loads breakout.so with the given assignments applied; returns 0, or -1
 * with *cause from the first refused one. */
static int
breakout_load(struct plugin *pl, struct params *params,
    const char *const *assign, char **cause)
{
	const char *dir = getenv("TH_STRATEGIES");
	char *path = xasprintf("%s/breakout.so", dir ? dir : "strategies");

	ck_assert_msg(plugin_load(path, pl, cause) == 0, "%s", *cause);
	free(path);
	params_init(params, pl->desc);
	for (; assign != NULL && *assign != NULL; assign++)
		if (params_assign(params, *assign, cause) < 0)
			return -1;
	return 0;
}

static void
breakout_run(const char *const *assign, struct run_result *out)
{
	struct engine_options opt = { .broker = { .cash = 10000, .margin = 1 },
	    .finalize_trades = 0 };
	char *cause = NULL;
	struct params params;
	struct plugin pl;

	ck_assert_msg(breakout_load(&pl, &params, assign, &cause) == 0, "%s",
	    cause);
	ck_assert_msg(engine_run(&pl, &params, goog, &opt, out, &cause) == 0,
	    "%s", cause);
	params_free(&params);
	plugin_unload(&pl);
}

static void
breakout_setup(void)
{
	char *path = shared("data/GOOG.csv"), *cause = NULL;

	ck_assert_msg(csv_read(path, &goog, &cause) == 0, "%s", cause);
	free(path);
	breakout_run(NULL, &brk);
}

static void
breakout_teardown(void)
{
	result_free(&brk);
	frame_free(goog);
	goog = NULL;
}

START_TEST(test_breakout_trades)
{
	size_t k, n = sizeof brk_first / sizeof brk_first[0];

	ck_assert_uint_eq(brk.ntrades, BRK_NTRADES);
	for (k = 0; k < n; k++) {
		const struct trade_rec *a = &brk.trades[k];
		const struct brk_trade *b = &brk_first[k];

		ck_assert_same(a->size, b->size, "Size", k);
		ck_assert_uint_eq(a->entry_bar, b->entry_bar);
		ck_assert_uint_eq(a->exit_bar, b->exit_bar);
		ck_assert_same(a->entry_price, b->entry_price, "EntryPrice", k);
		ck_assert_same(a->exit_price, b->exit_price, "ExitPrice", k);
		ck_assert_same(a->sl, b->sl, "SL", k);
		ck_assert_same(a->pnl, b->pnl, "PnL", k);
		ck_assert(isnan(a->tp));
	}
}
END_TEST

/* The warm-up, the open trade's P/L in the last equity bar, and the ATR
 * kept out of the trades table. */
START_TEST(test_breakout_run)
{
	ck_assert_uint_eq(brk.warmup, BRK_WARMUP);
	ck_assert_msg(brk.equity[goog->n - 1] == BRK_EQUITY_FINAL, "%.17g",
	    brk.equity[goog->n - 1]);
	ck_assert_uint_eq(brk.nind, 2);
	ck_assert_str_eq(brk.ind[0].name, "MAX(H,20)");
	ck_assert_str_eq(brk.ind[1].name, "MIN(L,20)");
	ck_assert(brk.ind[0].values[20] == 117.49);
	ck_assert(brk.ind[1].values[65] == 165.27);
}
END_TEST

/* Out-of-range parameters are refused before anything runs; n = 55 (the
 * man page's example) gives 34 closed trades in the Python model. */
START_TEST(test_breakout_params)
{
	static const char *const bad[] = { "n=0", "atr_n=0", "trail_atr=0",
	    "trail_atr=-1", "n=2.5" };
	static const char *const n55[] = { "n=55", NULL };
	const char *one[2] = { NULL, NULL };
	struct run_result r;
	struct params params;
	struct plugin pl;
	char *cause;
	size_t k;

	for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		one[0] = bad[k];
		cause = NULL;
		ck_assert_msg(breakout_load(&pl, &params, one, &cause) == -1,
		    "%s accepted", bad[k]);
		ck_assert_ptr_nonnull(cause);
		ck_assert_msg(k == 4 || strstr(cause, "out of range") != NULL,
		    "%s", cause);
		free(cause);
		params_free(&params);
		plugin_unload(&pl);
	}
	breakout_run(n55, &r);
	ck_assert_uint_eq(r.ntrades, 34);
	ck_assert_uint_eq(r.warmup, 54);
	ck_assert(r.equity[goog->n - 1] == 31174.97999999999);
	result_free(&r);
}
END_TEST

static TCase *
breakout_tcase(void)
{
	TCase *tc = tcase_create("breakout");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, breakout_setup, breakout_teardown);
	tcase_add_test(tc, test_breakout_trades);
	tcase_add_test(tc, test_breakout_run);
	tcase_add_test(tc, test_breakout_params);
	return tc;
}

int
main(void)
{
	char *data = test_shared_path("data/GOOG.csv");
	Suite *s;
	SRunner *sr;
	int failed;

	if (data == NULL)
		return 77;
	free(data);
	s = suite_create("parity");
	suite_add_tcase(s, stats_fixture_tcase());
	suite_add_tcase(s, engine_tcase());
	suite_add_tcase(s, breakout_tcase());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
