/* Parity with backtesting.py on the GOOG SmaCross(10, 30) reference (spec
 * section 7).  A standalone Check program: it exits 77 (skipped) when
 * ../shared/data is absent.  TCase "stats_fixture" feeds the library's own
 * equity curve and trades (spec/fixtures) to stats.c and report.c; TCase
 * "engine" runs strategies/sma.so through the real engine and compares its
 * trades, equity curve and statistics with the same fixtures. */
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
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
