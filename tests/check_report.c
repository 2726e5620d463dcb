/* Reports: the statistics table byte for byte as pandas prints it, JSON
 * validity, and CSV files that read back to the same values. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "report.h"
#include "result.h"
#include "stats.h"
#include "suites.h"
#include "testutil.h"
#include "timefmt.h"
#include "xmalloc.h"

#define TINY_N 40
#define MAX_FIELDS 32
#define LINE_MAX_LEN 4096

/* print(stats) of backtesting.py for the tiny run below, produced with
 * pandas 1.5.3 from _stats.compute_stats and _Stats.__repr__. */
static const char *tiny_table =
    "Start                     2020-01-01 00:00:00\n"
    "End                       2020-02-09 00:00:00\n"
    "Duration                     39 days 00:00:00\n"
    "Exposure Time [%]                        75.0\n"
    "Equity Final [$]                       9775.0\n"
    "Equity Peak [$]                       10355.0\n"
    "Return [%]                              -2.25\n"
    "Buy & Hold Return [%]                 8.49515\n"
    "Return (Ann.) [%]                   -19.18294\n"
    "Volatility (Ann.) [%]                35.53556\n"
    "CAGR [%]                            -19.19472\n"
    "Sharpe Ratio                         -0.53982\n"
    "Sortino Ratio                        -0.73082\n"
    "Calmar Ratio                         -2.33693\n"
    "Alpha [%]                            -2.04639\n"
    "Beta                                 -0.02397\n"
    "Max. Drawdown [%]                    -8.20859\n"
    "Avg. Drawdown [%]                    -4.95671\n"
    "Max. Drawdown Duration       36 days 00:00:00\n"
    "Avg. Drawdown Duration       19 days 00:00:00\n"
    "# Trades                                    3\n"
    "Win Rate [%]                         66.66667\n"
    "Best Trade [%]                        2.54042\n"
    "Worst Trade [%]                      -2.36967\n"
    "Avg. Trade [%]                         0.3619\n"
    "Max. Trade Duration          13 days 00:00:00\n"
    "Avg. Trade Duration           9 days 00:00:00\n"
    "Profit Factor                         1.48477\n"
    "Expectancy [%]                        0.38291\n"
    "SQN                                   0.21148\n"
    "Kelly Criterion                       0.17544\n"
    "_strategy                     Tiny(n=3,k=0.5)\n"
    "_equity_curve                          Equ...\n"
    "_trades                      Size  EntryBa...\n"
    "dtype: object\n";

/* The same run over an integer index 0..39 (pandas makes every number of
 * the Series a float). */
static const char *tiny_int_table =
    "Start                                     0.0\n"
    "End                                      39.0\n"
    "Duration                                 39.0\n"
    "Exposure Time [%]                        75.0\n"
    "Equity Final [$]                       9775.0\n"
    "Equity Peak [$]                       10355.0\n"
    "Return [%]                              -2.25\n"
    "Buy & Hold Return [%]                 8.49515\n"
    "Return (Ann.) [%]                         0.0\n"
    "Volatility (Ann.) [%]                     NaN\n"
    "Sharpe Ratio                              NaN\n"
    "Sortino Ratio                             NaN\n"
    "Calmar Ratio                              0.0\n"
    "Alpha [%]                            -2.04639\n"
    "Beta                                 -0.02397\n"
    "Max. Drawdown [%]                    -8.20859\n"
    "Avg. Drawdown [%]                    -4.95671\n"
    "Max. Drawdown Duration                   36.0\n"
    "Avg. Drawdown Duration                   19.0\n"
    "# Trades                                  3.0\n"
    "Win Rate [%]                         66.66667\n"
    "Best Trade [%]                        2.54042\n"
    "Worst Trade [%]                      -2.36967\n"
    "Avg. Trade [%]                         0.3619\n"
    "Max. Trade Duration                      13.0\n"
    "Avg. Trade Duration                       9.0\n"
    "Profit Factor                         1.48477\n"
    "Expectancy [%]                        0.38291\n"
    "SQN                                   0.21148\n"
    "Kelly Criterion                       0.17544\n"
    "_strategy                     Tiny(n=3,k=0.5)\n"
    "_equity_curve                  Equity  Dra...\n"
    "_trades                      Size  EntryBa...\n"
    "dtype: object\n";

struct run {
	struct frame *f;
	struct run_result r;
	struct stats s;
};

static void
add_trade(struct run *t, double size, size_t eb, size_t xb)
{
	const double *c = t->f->cols[FRAME_CLOSE];
	struct trade_rec *tr;

	t->r.trades = xreallocarray(t->r.trades, t->r.ntrades + 1,
	    sizeof *t->r.trades);
	tr = &t->r.trades[t->r.ntrades++];
	memset(tr, 0, sizeof *tr);
	tr->size = size;
	tr->entry_bar = eb;
	tr->exit_bar = xb;
	tr->entry_price = c[eb];
	tr->exit_price = c[xb];
	tr->sl = tr->tp = NAN;
	tr->pnl = size * (c[xb] - c[eb]) - 0.0;
	tr->return_pct = copysign(1, size) * (c[xb] / c[eb] - 1) -
	    0.0 / (fabs(size) * c[eb]);
}

/* 40 daily bars from 2020-01-01 with a saw-tooth Close and equity, and
 * three trades (none when trades is 0). */
static void
tiny_run(struct run *t, int trades)
{
	double close[TINY_N];
	size_t k;

	for (k = 0; k < TINY_N; k++)
		close[k] = 100 + 0.5 * (double)(k % 7) + 0.25 * (double)k;
	memset(t, 0, sizeof *t);
	t->f = test_frame(TINY_N, NULL, NULL, NULL, close);
	t->r.data = t->f;
	t->r.equity = xcalloc(TINY_N, sizeof(double));
	for (k = 0; k < TINY_N; k++)
		t->r.equity[k] = 10000 + 40.0 * (double)((k * 7) % 11) -
		    15.0 * (double)k;
	t->r.warmup = 4;
	t->r.strategy = xstrdup("Tiny(n=3,k=0.5)");
	if (trades) {
		add_trade(t, 10, 3, 9);
		add_trade(t, -7, 12, 20);
		add_trade(t, 5, 25, 38);
	}
}

/* An indicator "SMA(C,3)" (NaN for the first two bars) and odd tags. */
static void
decorate(struct run *t)
{
	const double *c = t->f->cols[FRAME_CLOSE];
	size_t k;

	t->r.ind = xcalloc(1, sizeof *t->r.ind);
	t->r.nind = 1;
	t->r.ind[0].name = xstrdup("SMA(C,3)");
	t->r.ind[0].values = xcalloc(TINY_N, sizeof(double));
	for (k = 0; k < TINY_N; k++)
		t->r.ind[0].values[k] = k < 2 ? NAN :
		    (c[k] + c[k - 1] + c[k - 2]) / 3;
	t->r.trades[0].tag = xstrdup("say \"hi\", twice\n");
	t->r.trades[1].tag = xstrdup("plain");
	t->r.trades[2].sl = 0.1;
	t->r.ind[0].values[t->r.trades[0].entry_bar] = NAN;
}

static void
run_free(struct run *t)
{
	result_free(&t->r);
	frame_free(t->f);
}

/* Runs fn into a temporary stream and returns what it wrote. */
static char *
capture(int (*fn)(FILE *, const struct run_result *,
    const struct stats *), const struct run *t, int *rc)
{
	FILE *f = tmpfile();
	char *buf;
	long len;

	ck_assert(f != NULL);
	*rc = fn(f, &t->r, &t->s);
	len = ftell(f);
	rewind(f);
	buf = xcalloc((size_t)len + 1, 1);
	ck_assert(fread(buf, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	return buf;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = xcalloc((size_t)len + 1, 1);
	ck_assert(fread(buf, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	return buf;
}

static void
ck_table(struct run *t, const char *want)
{
	char *got;
	int rc;

	stats_compute(&t->r, &t->s);
	got = capture(report_table, t, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_table_pandas)
{
	struct run t;

	tiny_run(&t, 1);
	ck_table(&t, tiny_table);
	run_free(&t);
}
END_TEST

START_TEST(test_table_integer_index)
{
	struct run t;
	size_t k;

	tiny_run(&t, 1);
	t.f->index_kind = FRAME_INDEX_INTEGER;
	for (k = 0; k < TINY_N; k++)
		t.f->index[k] = (int64_t)k;
	ck_table(&t, tiny_int_table);
	run_free(&t);
}
END_TEST

/* The value printed for key: the text after the key's padding. */
static void
ck_row(const char *table, const char *key, const char *value)
{
	const char *p = strstr(table, key), *eol;
	size_t vlen = strlen(value);

	ck_assert_msg(p != NULL, "no row %s", key);
	eol = strchr(p, '\n');
	ck_assert_msg((size_t)(eol - p) > vlen &&
	    strncmp(eol - vlen, value, vlen) == 0 &&
	    eol[-(long)vlen - 1] == ' ',
	    "row %s: '%.*s', want '%s'", key, (int)(eol - p), p, value);
}

START_TEST(test_table_formats)
{
	static const double v[] = {
		1.5, 100, 1e-7, -0.0, NAN, INFINITY, 123456789012345678.0,
		-47.980127050075888, 2.5e-6
	};
	static const char *want[] = {
		"1.5", "100.0", "0.0", "-0.0", "NaN", "inf",
		"1234567890123456...", "-47.98013", "0.0"
	};
	static const char *keys[] = {
		"k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"
	};
	struct run t;
	char *got;
	const char *p, *eol;
	size_t k;
	int rc;

	tiny_run(&t, 1);
	stats_compute(&t.r, &t.s);
	for (k = 0; k < 9; k++) {
		t.s.item[k].key = keys[k];
		t.s.item[k].kind = STAT_FLOAT;
		t.s.item[k].f = v[k];
	}
	t.s.item[9].kind = STAT_INT;
	t.s.item[9].i = -42;
	got = capture(report_table, &t, &rc);
	for (k = 0; k < 9; k++)
		ck_row(got, keys[k], want[k]);
	ck_row(got, t.s.item[9].key, "-42");
	/* every row is the longest key + 3 + 20 wide */
	for (p = got; (eol = strchr(p, '\n')) != NULL; p = eol + 1)
		if (strncmp(p, "dtype", 5) != 0)
			ck_assert_uint_eq((size_t)(eol - p),
			    strlen("Max. Drawdown Duration") + 3 + 20);
	free(got);
	run_free(&t);
}
END_TEST

START_TEST(test_table_zero_trades)
{
	struct run t;
	char *got;
	int rc;

	tiny_run(&t, 0);
	stats_compute(&t.r, &t.s);
	got = capture(report_table, &t, &rc);
	/* str() of an empty DataFrame starts "Empty DataFrame\n" and pandas
	 * cuts it after the line break */
	ck_assert_ptr_nonnull(strstr(got, "\n_trades                   "
	    "Empty DataFrame\n...\ndtype: object\n"));
	ck_row(got, "# Trades", "0");
	ck_row(got, "Win Rate [%]", "NaN");
	ck_row(got, "Max. Drawdown [%]", "-8.20859");
	free(got);
	run_free(&t);
}
END_TEST

/* A minimal JSON checker: returns the end of the value at p, or NULL. */
static const char *json_value(const char *p);

static const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *
json_str(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && *++p == 'u')
			p += 4;
		else if (p[-1] == '\\' && strchr("\"\\/bfnrt", *p) == NULL)
			return NULL;
	}
	return p + 1;
}

static const char *
json_num(const char *p)
{
	const char *q = p + (*p == '-');

	if (*q == '0')
		q++;
	else if (*q >= '1' && *q <= '9')
		q += strspn(q, "0123456789");
	else
		return NULL;
	if (*q == '.' && strspn(q + 1, "0123456789") > 0)
		q += 1 + strspn(q + 1, "0123456789");
	if (*q == 'e' || *q == 'E') {
		q += 1 + (q[1] == '+' || q[1] == '-');
		if (strspn(q, "0123456789") == 0)
			return NULL;
		q += strspn(q, "0123456789");
	}
	return q;
}

/* Array (close ']') or object (close '}', members key: value). */
static const char *
json_list(const char *p, char close)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			p = json_str(json_ws(p));
			if (p == NULL || *(p = json_ws(p)) != ':')
				return NULL;
			p++;
		}
		if ((p = json_value(p)) == NULL)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *
json_value(const char *p)
{
	p = json_ws(p);
	if (*p == '{' || *p == '[')
		return json_list(p, *p == '{' ? '}' : ']');
	if (*p == '"')
		return json_str(p);
	if (strncmp(p, "null", 4) == 0 || strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	return json_num(p);
}

static void
ck_json_valid(const char *doc)
{
	const char *end = json_value(doc);

	ck_assert_msg(end != NULL && *json_ws(end) == '\0',
	    "invalid JSON near '%.40s'", end != NULL ? end : doc);
}

/* Each of the fragments occurs in doc, in this order. */
static void
ck_in_order(const char *doc, const char **frag, size_t n)
{
	const char *p = doc, *q;
	size_t k;

	for (k = 0; k < n; k++) {
		q = strstr(p, frag[k]);
		ck_assert_msg(q != NULL, "'%s' missing or out of order",
		    frag[k]);
		p = q + strlen(frag[k]);
	}
}

START_TEST(test_json)
{
	static const char *frag[] = {
		"\"Start\": \"2020-01-01T00:00:00\"",
		"\"Duration\": \"39 days 00:00:00\"",
		"\"Exposure Time [%]\": 75.0",
		"\"Equity Final [$]\": 9775.0",
		"\"Max. Drawdown Duration\": \"36 days 00:00:00\"",
		"\"# Trades\": 3,",
		"\"Kelly Criterion\": ",
		"\"_strategy\": \"Tiny(n=3,k=0.5)\"",
		"\"_trades\": [",
		"{\"Size\": 10, \"EntryBar\": 3, \"ExitBar\": 9, "
		    "\"EntryPrice\": 102.25, ",
		"\"SL\": null, \"TP\": null,",
		"\"EntryTime\": \"2020-01-04T00:00:00\", "
		    "\"ExitTime\": \"2020-01-10T00:00:00\", "
		    "\"Duration\": \"6 days 00:00:00\", "
		    "\"Tag\": \"say \\\"hi\\\", twice\\n\", "
		    "\"Entry_SMA(C,3)\": null, \"Exit_SMA(C,3)\": 1",
		"{\"Size\": -7,", "\"Tag\": \"plain\"",
		"{\"Size\": 5,", "\"SL\": 0.1,", "\"Tag\": null"
	};
	struct run t;
	char *got;
	int rc;

	tiny_run(&t, 1);
	decorate(&t);
	stats_compute(&t.r, &t.s);
	got = capture(report_json, &t, &rc);
	ck_assert_int_eq(rc, 0);
	ck_json_valid(got);
	ck_in_order(got, frag, sizeof frag / sizeof frag[0]);
	free(got);
	run_free(&t);
}
END_TEST

START_TEST(test_json_nan_null)
{
	static const char *frag[] = {
		"\"Max. Drawdown [%]\": -", "\"# Trades\": 0,",
		"\"Win Rate [%]\": null,", "\"Avg. Trade [%]\": null,",
		"\"_trades\": []\n}\n"
	};
	struct run t;
	char *got;
	int rc;

	tiny_run(&t, 0);
	for (rc = 0; rc < TINY_N; rc++)
		t.r.equity[rc] = rc < 10 ? 10000 : 9000;
	t.r.equity[TINY_N - 1] = 10000;
	stats_compute(&t.r, &t.s);
	got = capture(report_json, &t, &rc);
	ck_assert_int_eq(rc, 0);
	ck_json_valid(got);
	ck_in_order(got, frag, sizeof frag / sizeof frag[0]);
	ck_assert_ptr_null(strstr(got, "NaN"));
	free(got);
	run_free(&t);
}
END_TEST

/* Splits one CSV record (quotes honoured) at *p into malloc'd fields and
 * moves *p past it.  Returns the number of fields. */
static size_t
csv_record(const char **p, char **field, size_t max)
{
	char buf[LINE_MAX_LEN];
	size_t n = 0, len = 0;
	int quoted = 0;
	const char *s = *p;

	for (;; s++) {
		if (*s == '"' && (quoted ? s[1] != '"' : len == 0)) {
			quoted = !quoted;
			continue;
		}
		if (*s == '"' && quoted)
			s++;
		else if (*s == '\0' || (!quoted && (*s == ',' || *s == '\n'))) {
			ck_assert(n < max && len < sizeof buf);
			field[n++] = xstrndup(buf, len);
			len = 0;
			if (*s != ',')
				break;
			continue;
		}
		buf[len++] = *s;
	}
	*p = *s == '\0' ? s : s + 1;
	return n;
}

static void
free_fields(char **field, size_t n)
{
	while (n > 0)
		free(field[--n]);
}

/* The cell reads back to v exactly; NaN is an empty cell. */
static void
ck_cell(const char *cell, double v)
{
	if (isnan(v)) {
		ck_assert_str_eq(cell, "");
		return;
	}
	ck_assert_msg(strtod(cell, NULL) == v, "'%s' != %.17g", cell, v);
}

static char *
write_trades(const struct run *t)
{
	char *path = test_temp_file("");
	char *cause = NULL;

	ck_assert_int_eq(report_trades_csv(path, &t->r, &cause), 0);
	ck_assert_ptr_null(cause);
	return path;
}

static void
ck_trade_row(const struct run *t, const struct trade_rec *tr,
    char **f, size_t n)
{
	const double v[] = { tr->size, (double)tr->entry_bar,
	    (double)tr->exit_bar, tr->entry_price, tr->exit_price, tr->sl,
	    tr->tp, tr->pnl, tr->commission, tr->return_pct };
	size_t k;

	ck_assert_uint_eq(n, 16);
	for (k = 0; k < 10; k++)
		ck_cell(f[k], v[k]);
	ck_assert_str_eq(f[13], tr->tag != NULL ? tr->tag : "");
	ck_cell(f[14], t->r.ind[0].values[tr->entry_bar]);
	ck_cell(f[15], t->r.ind[0].values[tr->exit_bar]);
}

START_TEST(test_trades_csv)
{
	struct run t;
	char *path, *text, *f[MAX_FIELDS];
	const char *p;
	size_t n, k;

	tiny_run(&t, 1);
	decorate(&t);
	path = write_trades(&t);
	text = read_file(path);
	p = text;
	ck_assert_ptr_nonnull(strstr(text, ",Tag,\"Entry_SMA(C,3)\","
	    "\"Exit_SMA(C,3)\"\n"));
	n = csv_record(&p, f, MAX_FIELDS);
	ck_assert_uint_eq(n, 16);
	ck_assert_str_eq(f[0], "Size");
	ck_assert_str_eq(f[14], "Entry_SMA(C,3)");
	free_fields(f, n);
	for (k = 0; k < t.r.ntrades; k++) {
		n = csv_record(&p, f, MAX_FIELDS);
		ck_trade_row(&t, &t.r.trades[k], f, n);
		if (k == 0) {
			ck_assert_str_eq(f[0], "10");
			ck_assert_str_eq(f[10], "2020-01-04");
			ck_assert_str_eq(f[12], "6 days 00:00:00");
		}
		free_fields(f, n);
	}
	ck_assert_str_eq(p, "");
	unlink(path);
	free(path);
	free(text);
	run_free(&t);
}
END_TEST

START_TEST(test_equity_csv)
{
	struct run t;
	struct drawdown dd;
	char *path = test_temp_file(""), *cause = NULL, *text, *f[4];
	char buf[64];
	const char *p;
	size_t k, n, ep = 0;

	tiny_run(&t, 1);
	ck_assert_int_eq(report_equity_csv(path, &t.r, &cause), 0);
	stats_drawdown(t.r.equity, TINY_N, &dd);
	text = read_file(path);
	p = text;
	n = csv_record(&p, f, 4);
	ck_assert_str_eq(f[1], "Equity");
	free_fields(f, n);
	for (k = 0; k < TINY_N; k++) {
		ck_assert_uint_eq(csv_record(&p, f, 4), 4);
		ck_cell(f[1], t.r.equity[k]);
		ck_cell(f[2], dd.dd[k]);
		if (ep < dd.nep && dd.end[ep] == k) {
			timefmt_timedelta(t.f->index[k] -
			    t.f->index[dd.begin[ep]], buf, sizeof buf);
			ck_assert_str_eq(f[3], buf);
			ep++;
		} else {
			ck_assert_str_eq(f[3], "");
		}
		if (k == 0)
			ck_assert_str_eq(f[0], "2020-01-01");
		free_fields(f, 4);
	}
	ck_assert_uint_eq(ep, dd.nep);
	stats_drawdown_free(&dd);
	unlink(path);
	free(path);
	free(text);
	run_free(&t);
}
END_TEST

START_TEST(test_csv_errors)
{
	const char *bad = "/nonexistent-th-dir/trades.csv";
	char *cause = NULL;
	struct run t;

	tiny_run(&t, 1);
	ck_assert_int_eq(report_trades_csv(bad, &t.r, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, bad));
	ck_assert_ptr_nonnull(strstr(cause, strerror(ENOENT)));
	free(cause);
	cause = NULL;
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(report_equity_csv("/dev/full", &t.r, &cause),
		    -1);
		ck_assert_ptr_nonnull(strstr(cause, "/dev/full: "));
		free(cause);
	}
	run_free(&t);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");

	test_add_case(s, "table_pandas", test_table_pandas);
	test_add_case(s, "table_integer_index", test_table_integer_index);
	test_add_case(s, "table_formats", test_table_formats);
	test_add_case(s, "table_zero_trades", test_table_zero_trades);
	test_add_case(s, "json", test_json);
	test_add_case(s, "json_nan_null", test_json_nan_null);
	test_add_case(s, "trades_csv", test_trades_csv);
	test_add_case(s, "equity_csv", test_equity_csv);
	test_add_case(s, "csv_errors", test_csv_errors);
	return s;
}
