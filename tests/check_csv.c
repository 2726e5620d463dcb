#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "frame.h"
#include "log.h"
#include "suites.h"
#include "testutil.h"
#include "timefmt.h"
#include "xmalloc.h"

#define DAY TIMEFMT_NS_PER_DAY

static char warned[4096];
static int nwarned;

static void
capture(enum log_level level, const char *msg, void *arg)
{
	(void)arg;
	if (level == LOG_WARN) {
		snprintf(warned, sizeof warned, "%s", msg);
		nwarned++;
	}
}

static void
setup(void)
{
	warned[0] = '\0';
	nwarned = 0;
	log_set_sink(capture, NULL);
}

static void
teardown(void)
{
	log_set_sink(NULL, NULL);
}

static struct frame *
parse_ok(const char *text)
{
	struct frame *f = NULL;
	char *cause = NULL;

	if (csv_parse(text, strlen(text), "t.csv", &f, &cause) != 0)
		ck_abort_msg("csv_parse failed: %s", cause);
	ck_assert_ptr_nonnull(f);
	return f;
}

static char *
parse_bad(const char *text)
{
	struct frame *f = NULL;
	char *cause = NULL;

	ck_assert_int_eq(csv_parse(text, strlen(text), "t.csv", &f, &cause), -1);
	ck_assert_ptr_null(f);
	ck_assert_ptr_nonnull(cause);
	return cause;
}

/* Reads the fixture tests/data/name, expects failure with the message
 * "<path>:<rest>". */
static void
fixture_bad(const char *name, const char *rest)
{
	char *path = test_data_path(name), *want, *cause = NULL;
	struct frame *f = NULL;

	ck_assert_int_eq(csv_read(path, &f, &cause), -1);
	ck_assert_ptr_null(f);
	want = xasprintf("%s:%s", path, rest);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	free(path);
}

static void
assert_same_double(double got, double want)
{
	ck_assert_msg(memcmp(&got, &want, sizeof got) == 0,
	    "got %.17g, want %.17g", got, want);
}

START_TEST(test_basic_shape)
{
	struct frame *f = parse_ok(",Open,High,Low,Close,Volume\n"
	    "2004-08-19,100,104.06,95.96,100.34,22351900\n"
	    "2004-08-20,101.01,109.08,100.5,108.31,11428600\n");

	ck_assert_uint_eq(f->n, 2);
	ck_assert_uint_eq(f->ncols, FRAME_NBASE);
	ck_assert_int_eq(f->index_kind, FRAME_INDEX_DATETIME);
	ck_assert_int_eq(f->index[0], 12649 * DAY);
	ck_assert_int_eq(f->index[1], 12650 * DAY);
	assert_same_double(f->cols[FRAME_OPEN][1], 101.01);
	assert_same_double(f->cols[FRAME_HIGH][0], 104.06);
	assert_same_double(f->cols[FRAME_LOW][0], 95.96);
	assert_same_double(f->cols[FRAME_CLOSE][1], 108.31);
	assert_same_double(f->cols[FRAME_VOLUME][0], 22351900);
	ck_assert_str_eq(f->source, "t.csv");
	ck_assert_int_eq(nwarned, 0);
	frame_free(f);
}
END_TEST

/* Tokenizes a shared data file naively and compares every value with
 * strtod and every index with timefmt_parse. */
static void
check_shared(const char *rel, size_t nrows)
{
	char *path = test_shared_path(rel), *cause = NULL, line[512], *tok;
	struct frame *f = NULL;
	size_t row = 0, col;
	FILE *fp;
	int64_t ns;

	if (path == NULL)
		return;		/* ../shared/data is optional. */
	ck_assert_msg(csv_read(path, &f, &cause) == 0, "%s", cause);
	ck_assert_uint_eq(f->n, nrows);
	ck_assert_int_eq(f->index_kind, FRAME_INDEX_DATETIME);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, fp));
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		tok = strtok(line, ",");
		ck_assert_int_eq(timefmt_parse(tok, strlen(tok), &ns), 0);
		ck_assert_int_eq(f->index[row], ns);
		for (col = 0; col < FRAME_NBASE; col++) {
			tok = strtok(NULL, ",");
			assert_same_double(f->cols[col][row], strtod(tok, NULL));
		}
		row++;
	}
	ck_assert_uint_eq(row, nrows);
	ck_assert_int_eq(nwarned, 0);
	fclose(fp);
	frame_free(f);
	free(path);
}

START_TEST(test_shared_data)
{
	check_shared("data/GOOG.csv", 2148);
	check_shared("data/EURUSD.csv", 5000);
	check_shared("data/BTCUSD.csv", 156);
}
END_TEST

START_TEST(test_volume_optional)
{
	struct frame *f = parse_ok("Date,Open,High,Low,Close\n"
	    "2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,0.5,1.5\n");
	size_t i;

	ck_assert_uint_eq(f->ncols, FRAME_NBASE);
	for (i = 0; i < f->n; i++)
		ck_assert(isnan(f->cols[FRAME_VOLUME][i]));
	frame_free(f);
}
END_TEST

START_TEST(test_extra_columns)
{
	struct frame *f = parse_ok(",Close,\"Entry_SMA(C,10)\",Low,x,High,"
	    "Open,Volume\n"
	    "2020-01-01,1.5,7,0.5,,2,1,\n"
	    "2020-01-02,2.5,-8e-3,1.5,9,3,2,NaN\n");

	ck_assert_uint_eq(f->ncols, FRAME_NBASE + 2);
	ck_assert_str_eq(f->names[5], "Entry_SMA(C,10)");
	ck_assert_str_eq(f->names[6], "x");
	ck_assert_int_eq(frame_find_column(f, "x"), 6);
	assert_same_double(f->cols[5][0], 7);
	assert_same_double(f->cols[5][1], -8e-3);
	ck_assert(isnan(f->cols[6][0]));
	assert_same_double(f->cols[6][1], 9);
	assert_same_double(f->cols[FRAME_OPEN][1], 2);
	assert_same_double(f->cols[FRAME_HIGH][1], 3);
	assert_same_double(f->cols[FRAME_LOW][1], 1.5);
	assert_same_double(f->cols[FRAME_CLOSE][1], 2.5);
	ck_assert(isnan(f->cols[FRAME_VOLUME][0]));
	ck_assert(isnan(f->cols[FRAME_VOLUME][1]));
	frame_free(f);
}
END_TEST

START_TEST(test_unnamed_column)
{
	struct frame *f = parse_ok(",Open,High,Low,Close,\n"
	    "2020-01-01,1,2,0.5,1.5,3\n");

	ck_assert_uint_eq(f->ncols, FRAME_NBASE + 1);
	ck_assert_str_eq(f->names[5], "Unnamed: 5");
	frame_free(f);
}
END_TEST

static void
check_two_rows(const char *text)
{
	struct frame *f = parse_ok(text);

	ck_assert_uint_eq(f->n, 2);
	assert_same_double(f->cols[FRAME_CLOSE][0], 1.5);
	assert_same_double(f->cols[FRAME_VOLUME][1], 200);
	frame_free(f);
}

START_TEST(test_line_endings)
{
	check_two_rows(",Open,High,Low,Close,Volume\r\n"
	    "2020-01-01,1,2,0.5,1.5,100\r\n2020-01-02,1,2,0.5,1.5,200\r\n");
	check_two_rows(",Open,High,Low,Close,Volume\n"
	    "2020-01-01,1,2,0.5,1.5,100\n2020-01-02,1,2,0.5,1.5,200");
	check_two_rows(",Open,High,Low,Close,Volume\r\n"
	    "2020-01-01,1,2,0.5,1.5,100\r\n2020-01-02,1,2,0.5,1.5,200");
	check_two_rows(",Open,High,Low,Close,Volume\n"
	    "2020-01-01,1,2,0.5,1.5,100\n2020-01-02,1,2,0.5,1.5,200\n\n");
	check_two_rows(",Open,High,Low,Close,Volume\n\n"
	    "2020-01-01,1,2,0.5,1.5,100\n\r\n2020-01-02,1,2,0.5,1.5,200\n");
	check_two_rows("\xef\xbb\xbf,Open,High,Low,Close,Volume\r"
	    "2020-01-01,1,2,0.5,1.5,100\r2020-01-02,1,2,0.5,1.5,200\r");
}
END_TEST

START_TEST(test_quoted_fields)
{
	struct frame *f = parse_ok("\"\",\"Open\",High,Low,Close,"
	    "\"say \"\"hi\"\"\"\n"
	    "\"2020-01-01\",\"1\",2,0.5,\" 1.5 \",\"\"\n"
	    "2020-01-02,1,2,0.5,\"1e0\",\"4\"\n");

	ck_assert_uint_eq(f->n, 2);
	ck_assert_str_eq(f->names[5], "say \"hi\"");
	ck_assert_int_eq(f->index[0], timefmt_days(2020, 1, 1) * DAY);
	assert_same_double(f->cols[FRAME_OPEN][0], 1);
	assert_same_double(f->cols[FRAME_CLOSE][0], 1.5);
	assert_same_double(f->cols[FRAME_CLOSE][1], 1);
	ck_assert(isnan(f->cols[5][0]));
	assert_same_double(f->cols[5][1], 4);
	frame_free(f);
}
END_TEST

START_TEST(test_na_and_special)
{
	static const char *const na[] = {
		"", "nan", "NaN", "NA", "NULL", "null", "N/A", "#N/A", "None",
		"-nan", "<NA>", " ", "\"\""
	};
	char text[256];
	struct frame *f;
	size_t i;

	for (i = 0; i < sizeof na / sizeof na[0]; i++) {
		snprintf(text, sizeof text, ",Open,High,Low,Close,Volume\n"
		    "2020-01-01,1,2,0.5,1.5,%s\n", na[i]);
		f = parse_ok(text);
		ck_assert_msg(isnan(f->cols[FRAME_VOLUME][0]), "'%s'", na[i]);
		frame_free(f);
	}
	f = parse_ok(",Open,High,Low,Close,Volume\n"
	    "2020-01-01, 1 ,inf,-Infinity,+1.5,-0\n"
	    "2020-01-02,.5,5.,1E+2,00012.50,+INF\n");
	assert_same_double(f->cols[FRAME_OPEN][0], 1);
	ck_assert(isinf(f->cols[FRAME_HIGH][0]) && f->cols[FRAME_HIGH][0] > 0);
	ck_assert(isinf(f->cols[FRAME_LOW][0]) && f->cols[FRAME_LOW][0] < 0);
	assert_same_double(f->cols[FRAME_CLOSE][0], 1.5);
	assert_same_double(f->cols[FRAME_VOLUME][0], -0.0);
	assert_same_double(f->cols[FRAME_OPEN][1], 0.5);
	assert_same_double(f->cols[FRAME_HIGH][1], 5);
	assert_same_double(f->cols[FRAME_LOW][1], 100);
	assert_same_double(f->cols[FRAME_CLOSE][1], 12.5);
	ck_assert(isinf(f->cols[FRAME_VOLUME][1]));
	frame_free(f);
}
END_TEST

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A random decimal: 1 to 25 digits, a point anywhere, maybe an exponent. */
static void
random_decimal(uint64_t *s, char *out, size_t size)
{
	int nd = 1 + (int)(splitmix(s) % 25), point = (int)(splitmix(s) % 27);
	size_t k = 0;
	int i;

	if (splitmix(s) % 4 == 0)
		out[k++] = '-';
	for (i = 0; i < nd; i++) {
		if (i == point)
			out[k++] = '.';
		out[k++] = (char)('0' + splitmix(s) % 10);
	}
	if (splitmix(s) % 3 == 0)
		snprintf(out + k, size - k, "e%d",
		    (int)(splitmix(s) % 661) - 330);
	else
		out[k] = '\0';
}

START_TEST(test_rounding_matches_strtod)
{
	static const char *const hard[] = {
		"0.1", "0.3", "9007199254740993", "9007199254740992.5",
		"1e23", "8.98846567431158e307", "1.7976931348623157e308",
		"1.7976931348623159e308", "2.2250738585072011e-308",
		"2.2250738585072012e-308", "4.9e-324", "2.4703282292062328e-324",
		"1e-400", "123456789012345678901234567890", "0.000001",
		"1844674407370955161", "18446744073709551616", "1e22", "1e-22",
		"9999999999999999999", "4503599627370497.5", "3.0000000000000004",
		"100.34", "797.8", "1.07219", "0.00000000000000000000001"
	};
	size_t nrand = 100000, nall = nrand + sizeof hard / sizeof hard[0];
	size_t cap = nall * 160 + 64, len, i;
	char *buf = xmalloc(cap), (*vals)[48] = xcalloc(nall, 48);
	uint64_t seed = 42;
	struct frame *f;

	len = (size_t)snprintf(buf, cap, ",Open,High,Low,Close,Volume\n");
	for (i = 0; i < nall; i++) {
		if (i < sizeof hard / sizeof hard[0])
			snprintf(vals[i], 48, "%s", hard[i]);
		else
			random_decimal(&seed, vals[i], 48);
		len += (size_t)snprintf(buf + len, cap - len,
		    "%zu,%s,%s,%s,%s,%s\n", i, vals[i], vals[i], vals[i],
		    vals[i], vals[i]);
	}
	f = NULL;
	ck_assert_int_eq(csv_parse(buf, len, "r.csv", &f, NULL), 0);
	ck_assert_uint_eq(f->n, nall);
	for (i = 0; i < nall; i++) {
		double want = strtod(vals[i], NULL);

		ck_assert_msg(memcmp(&f->cols[FRAME_CLOSE][i], &want,
		    sizeof want) == 0, "'%s': got %.17g want %.17g", vals[i],
		    f->cols[FRAME_CLOSE][i], want);
	}
	frame_free(f);
	free(vals);
	free(buf);
}
END_TEST

START_TEST(test_integer_index)
{
	struct frame *f = parse_ok(",Open,High,Low,Close\n"
	    "0,1,2,0.5,1.5\n1,1,2,0.5,1.5\n-7,1,2,0.5,1.5\n");

	ck_assert_int_eq(f->index_kind, FRAME_INDEX_INTEGER);
	/* -7 makes it unsorted: warned and moved first. */
	ck_assert_int_eq(f->index[0], -7);
	ck_assert_int_eq(f->index[2], 1);
	ck_assert_int_eq(nwarned, 1);
	frame_free(f);
}
END_TEST

START_TEST(test_integer_index_nanoseconds)
{
	struct frame *f;

	/* 5 of 5 exceed 1975 in Unix seconds: pandas reads them as ns. */
	f = parse_ok(",Open,High,Low,Close\n"
	    "1600000000,1,2,0.5,1.5\n1600000060,1,2,0.5,1.5\n"
	    "1600000120,1,2,0.5,1.5\n1600000180,1,2,0.5,1.5\n"
	    "1600000240,1,2,0.5,1.5\n");
	ck_assert_int_eq(f->index_kind, FRAME_INDEX_DATETIME);
	ck_assert_int_eq(f->index[1], 1600000060);
	ck_assert_int_eq(nwarned, 1);
	ck_assert_ptr_nonnull(strstr(warned, "nanoseconds"));
	frame_free(f);
	/* Exactly 80% is not more than 80%: stays an integer index. */
	nwarned = 0;
	f = parse_ok(",Open,High,Low,Close\n"
	    "157766400,1,2,0.5,1.5\n157766401,1,2,0.5,1.5\n"
	    "157766402,1,2,0.5,1.5\n157766403,1,2,0.5,1.5\n"
	    "157766404,1,2,0.5,1.5\n");
	ck_assert_int_eq(f->index_kind, FRAME_INDEX_INTEGER);
	ck_assert_int_eq(nwarned, 0);
	frame_free(f);
}
END_TEST

START_TEST(test_datetime_shapes)
{
	struct frame *f = parse_ok(",Open,High,Low,Close\n"
	    "2017-04-19 09:00:00,1,2,0.5,1.5\n"
	    "2017-04-19T10:00,1,2,0.5,1.5\n"
	    "2017-04-19 10:00:00.25,1,2,0.5,1.5\n");

	ck_assert_int_eq(f->index_kind, FRAME_INDEX_DATETIME);
	ck_assert_int_eq(f->index[0], INT64_C(1492592400000000000));
	ck_assert_int_eq(f->index[1], INT64_C(1492596000000000000));
	ck_assert_int_eq(f->index[2], INT64_C(1492596000250000000));
	frame_free(f);
}
END_TEST

START_TEST(test_unsorted_stable)
{
	struct frame *f = parse_ok(",Open,High,Low,Close,Volume\n"
	    "2020-01-03,3,3,3,3,1\n2020-01-01,1,1,1,1,2\n"
	    "2020-01-03,4,4,4,4,3\n2020-01-02,2,2,2,2,4\n"
	    "2020-01-01,5,5,5,5,5\n");
	static const double open[] = { 1, 5, 2, 3, 4 };
	static const double vol[] = { 2, 5, 4, 1, 3 };
	size_t i;

	ck_assert_int_eq(nwarned, 1);
	ck_assert_ptr_nonnull(strstr(warned, "t.csv"));
	ck_assert_ptr_nonnull(strstr(warned, "sorted"));
	for (i = 0; i < 5; i++) {
		assert_same_double(f->cols[FRAME_OPEN][i], open[i]);
		assert_same_double(f->cols[FRAME_CLOSE][i], open[i]);
		assert_same_double(f->cols[FRAME_VOLUME][i], vol[i]);
		if (i > 0)
			ck_assert_int_le(f->index[i - 1], f->index[i]);
	}
	frame_free(f);
}
END_TEST

START_TEST(test_duplicates_sorted_no_warning)
{
	struct frame *f = parse_ok(",Open,High,Low,Close\n"
	    "2020-01-01,1,1,1,1\n2020-01-01,2,2,2,2\n");

	ck_assert_int_eq(nwarned, 0);
	assert_same_double(f->cols[FRAME_OPEN][1], 2);
	frame_free(f);
}
END_TEST

START_TEST(test_read_matches_parse)
{
	const char *text = ",Open,High,Low,Close,Volume\n"
	    "2020-01-01,1,2,0.5,1.5,100\n";
	char *path = test_temp_file(text), *cause = NULL;
	struct frame *f = NULL;

	ck_assert_msg(csv_read(path, &f, &cause) == 0, "%s", cause);
	ck_assert_str_eq(f->source, path);
	ck_assert_uint_eq(f->n, 1);
	assert_same_double(f->cols[FRAME_CLOSE][0], 1.5);
	frame_free(f);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(test_err_missing_file)
{
	char *cause = NULL;
	struct frame *f = NULL;

	ck_assert_int_eq(csv_read("/nonexistent/x.csv", &f, &cause), -1);
	ck_assert_ptr_null(f);
	ck_assert_str_eq(cause, "/nonexistent/x.csv: No such file or directory");
	free(cause);
	ck_assert_int_eq(csv_read("/", &f, &cause), -1);
	ck_assert_str_eq(cause, "/: Is a directory");
	free(cause);
	/* cause is optional. */
	ck_assert_int_eq(csv_read("/nonexistent/x.csv", &f, NULL), -1);
}
END_TEST

START_TEST(test_err_missing_column)
{
	fixture_bad("missing_close.csv", "1: missing required column Close");
	free(parse_bad("x,High,Low,Close\n1,1,1,1\n"));
}
END_TEST

START_TEST(test_err_duplicate_column)
{
	fixture_bad("duplicate_column.csv", "1: duplicate column name 'Open'");
}
END_TEST

START_TEST(test_err_field_count)
{
	fixture_bad("short_row.csv", "3: expected 6 fields, got 5");
	fixture_bad("long_row.csv", "4: expected 6 fields, got 8");
}
END_TEST

START_TEST(test_err_not_a_number)
{
	char *cause;

	fixture_bad("not_a_number.csv", "5: column Close: not a number: 'abc'");
	cause = parse_bad(",Open,High,Low,Close,Volume,X\n"
	    "2020-01-01,1,2,0.5,1.5,100,0x10\n");
	ck_assert_str_eq(cause, "t.csv:2: column X: not a number: '0x10'");
	free(cause);
	cause = parse_bad(",Open,High,Low,Close,Volume\n"
	    "2020-01-01,1,2,0.5,1.5,1e\n");
	ck_assert_str_eq(cause, "t.csv:2: column Volume: not a number: '1e'");
	free(cause);
	cause = parse_bad(",Open,High,Low,Close,Volume\n"
	    "2020-01-01,1,2,0.5,1.5.3,1\n");
	ck_assert_str_eq(cause, "t.csv:2: column Close: not a number: '1.5.3'");
	free(cause);
}
END_TEST

START_TEST(test_err_nan_price)
{
	char *cause;

	fixture_bad("nan_price.csv", "3: column Low: NaN price");
	cause = parse_bad(",Open,High,Low,Close\n2020-01-01,nan,2,0.5,1.5\n");
	ck_assert_str_eq(cause, "t.csv:2: column Open: NaN price");
	free(cause);
}
END_TEST

START_TEST(test_err_bad_index)
{
	char *cause;

	fixture_bad("bad_index.csv", "4: index: not a datetime: '2020-01-32'");
	cause = parse_bad(",Open,High,Low,Close\n1,1,1,1,1\n2,1,1,1,1\n"
	    "2020-01-01,1,1,1,1\n");
	ck_assert_str_eq(cause, "t.csv:4: index: not an integer: '2020-01-01'");
	free(cause);
	cause = parse_bad(",Open,High,Low,Close\n\nabc,1,1,1,1\n");
	ck_assert_str_eq(cause,
	    "t.csv:3: index: neither a datetime nor an integer: 'abc'");
	free(cause);
	cause = parse_bad(",Open,High,Low,Close\n99999999999999999999,1,1,1,1\n");
	ck_assert_ptr_nonnull(strstr(cause, "t.csv:2: index:"));
	free(cause);
}
END_TEST

START_TEST(test_err_no_rows)
{
	char *cause;

	fixture_bad("header_only.csv", " no data rows");
	cause = parse_bad("");
	ck_assert_str_eq(cause, "t.csv: empty file, no header line");
	free(cause);
	cause = parse_bad(",Open,High,Low,Close\r\n\r\n");
	ck_assert_str_eq(cause, "t.csv: no data rows");
	free(cause);
}
END_TEST

START_TEST(test_err_quotes)
{
	char *cause;

	fixture_bad("unterminated_quote.csv", "1: unterminated quoted field");
	cause = parse_bad(",Open,High,Low,Close\n2020-01-01,\"1\"2,1,1,1\n");
	ck_assert_str_eq(cause, "t.csv:2: text after a closing quote");
	free(cause);
}
END_TEST

static void
add_case(Suite *s, const char *name, const TTest *fn)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fn);
	suite_add_tcase(s, tc);
}

Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");

	add_case(s, "basic_shape", test_basic_shape);
	add_case(s, "shared_data", test_shared_data);
	add_case(s, "volume_optional", test_volume_optional);
	add_case(s, "extra_columns", test_extra_columns);
	add_case(s, "unnamed_column", test_unnamed_column);
	add_case(s, "line_endings", test_line_endings);
	add_case(s, "quoted_fields", test_quoted_fields);
	add_case(s, "na_and_special", test_na_and_special);
	add_case(s, "rounding_matches_strtod", test_rounding_matches_strtod);
	add_case(s, "integer_index", test_integer_index);
	add_case(s, "integer_index_nanoseconds", test_integer_index_nanoseconds);
	add_case(s, "datetime_shapes", test_datetime_shapes);
	add_case(s, "unsorted_stable", test_unsorted_stable);
	add_case(s, "duplicates_sorted_no_warning",
	    test_duplicates_sorted_no_warning);
	add_case(s, "read_matches_parse", test_read_matches_parse);
	add_case(s, "err_missing_file", test_err_missing_file);
	add_case(s, "err_missing_column", test_err_missing_column);
	add_case(s, "err_duplicate_column", test_err_duplicate_column);
	add_case(s, "err_field_count", test_err_field_count);
	add_case(s, "err_not_a_number", test_err_not_a_number);
	add_case(s, "err_nan_price", test_err_nan_price);
	add_case(s, "err_bad_index", test_err_bad_index);
	add_case(s, "err_no_rows", test_err_no_rows);
	add_case(s, "err_quotes", test_err_quotes);
	return s;
}
