#include <check.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "timefmt.h"

#define SEC INT64_C(1000000000)
#define DAY TIMEFMT_NS_PER_DAY

static int64_t
parse_ok(const char *s)
{
	int64_t ns = -42;

	ck_assert_msg(timefmt_parse(s, strlen(s), &ns) == 0,
	    "'%s' should parse", s);
	return ns;
}

static void
parse_bad(const char *s)
{
	int64_t ns;

	ck_assert_msg(timefmt_parse(s, strlen(s), &ns) == -1,
	    "'%s' should not parse", s);
}

START_TEST(test_days_known)
{
	/* Reference values from Python's datetime.date. */
	ck_assert_int_eq(timefmt_days(1970, 1, 1), 0);
	ck_assert_int_eq(timefmt_days(1969, 12, 31), -1);
	ck_assert_int_eq(timefmt_days(2004, 8, 19), 12649);
	ck_assert_int_eq(timefmt_days(2013, 3, 1), 15765);
	ck_assert_int_eq(timefmt_days(2000, 2, 29), 11016);
	ck_assert_int_eq(timefmt_days(1600, 2, 29), -135081);
	ck_assert_int_eq(timefmt_days(1677, 9, 21), -106752);
	ck_assert_int_eq(timefmt_days(2262, 4, 11), 106751);
	ck_assert_int_eq(timefmt_days(1, 1, 1), -719162);
}
END_TEST

START_TEST(test_civil_roundtrip)
{
	int64_t d, bad = 0, first_bad = 0;
	int y, m, day, py = 0, pm = 0, pd = 0, next_day;

	/* Every day from year -400 to 4400: consecutive, valid, invertible.
	 * Failures are counted and asserted once: a Check assertion per day
	 * would make the valgrind run crawl. */
	for (d = -866000; d <= 886000; d++) {
		timefmt_civil(d, &y, &m, &day);
		next_day = day == pd + 1 || (day == 1 && (m == pm + 1 ||
		    (m == 1 && pm == 12 && y == py + 1)));
		if (timefmt_days(y, m, day) != d || m < 1 || m > 12 ||
		    day < 1 || day > 31 || (d > -866000 && !next_day)) {
			if (bad++ == 0)
				first_bad = d;
		}
		py = y;
		pm = m;
		pd = day;
	}
	ck_assert_msg(bad == 0, "%lld bad days, the first %lld", (long long)bad,
	    (long long)first_bad);
}
END_TEST

START_TEST(test_weekday_day_of)
{
	ck_assert_int_eq(timefmt_weekday(0), 3);
	ck_assert_int_eq(timefmt_weekday(12649 * DAY + 5), 3);
	ck_assert_int_eq(timefmt_weekday(15765 * DAY), 4);
	ck_assert_int_eq(timefmt_weekday(-1), 2);
	ck_assert_int_eq(timefmt_weekday(-100000 * DAY), 5);
	ck_assert_int_eq(timefmt_day_of(-1), -1);
	ck_assert_int_eq(timefmt_day_of(-DAY), -1);
	ck_assert_int_eq(timefmt_day_of(-DAY - 1), -2);
	ck_assert_int_eq(timefmt_day_of(DAY - 1), 0);
	ck_assert_int_eq(timefmt_day_of(INT64_MIN), -106752);
	ck_assert_int_eq(timefmt_day_of(INT64_MAX), 106751);
}
END_TEST

START_TEST(test_parse_shapes)
{
	int64_t d = 12649 * DAY;

	ck_assert_int_eq(parse_ok("2004-08-19"), d);
	ck_assert_int_eq(parse_ok("2004-08-19 00:00"), d);
	ck_assert_int_eq(parse_ok("2004-08-19T13:45"), d + 49500 * SEC);
	ck_assert_int_eq(parse_ok("2017-04-19 09:00:00"),
	    INT64_C(1492592400000000000));
	ck_assert_int_eq(parse_ok("2004-08-19 00:00:01.5"), d + SEC + SEC / 2);
	ck_assert_int_eq(parse_ok("2004-08-19 00:00:00.000001"), d + 1000);
	ck_assert_int_eq(parse_ok("2004-08-19 00:00:00.123456789"),
	    d + 123456789);
	ck_assert_int_eq(parse_ok("2004-08-19T00:00:00Z"), d);
	ck_assert_int_eq(parse_ok("2004-08-19 00:00:00+00:00"), d);
	ck_assert_int_eq(parse_ok("2004-08-19Z"), d);
	ck_assert_int_eq(parse_ok("1969-12-31 23:59:59.999999999"), -1);
	ck_assert_int_eq(parse_ok("2000-02-29"), 11016 * DAY);
}
END_TEST

START_TEST(test_parse_rejects)
{
	static const char *const bad[] = {
		"", "2004", "2004-8-19", "2004/08/19", "20040819", "2004-08-1x",
		"2004-00-10", "2004-13-01", "2004-02-30", "2001-02-29",
		"1900-02-29", "2004-04-31", "2004-08-19 24:00", "2004-08-19 12:60",
		"2004-08-19 12:00:60", "2004-08-19 1:00", "2004-08-19 12:00:",
		"2004-08-19 12:00:00.", "2004-08-19 12:00:00.1234567890",
		"2004-08-19 12:00.5", "2004-08-19 12:00:00+01:00",
		"2004-08-19 12:00:00 ", " 2004-08-19", "2004-08-19x",
		"2004-08-19T", "12345", "1.5", "-2004-08-19"
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		parse_bad(bad[i]);
}
END_TEST

START_TEST(test_parse_range)
{
	/* pandas' Timestamp.min/max; one ns beyond either is out of range. */
	ck_assert_int_eq(parse_ok("2262-04-11 23:47:16.854775807"), INT64_MAX);
	parse_bad("2262-04-11 23:47:16.854775808");
	parse_bad("2262-04-12");
	parse_bad("9999-12-31");
	ck_assert_int_eq(parse_ok("1677-09-21 00:12:43.145224193"),
	    INT64_MIN + 1);
	parse_bad("1677-09-21 00:12:43.145224192");
	parse_bad("1677-09-21");
	parse_bad("0001-01-01");
}
END_TEST

START_TEST(test_timestamp_format)
{
	char buf[64];

	ck_assert_str_eq(timefmt_timestamp(12649 * DAY, buf, sizeof buf),
	    "2004-08-19 00:00:00");
	ck_assert_str_eq(timefmt_timestamp(INT64_C(1492592400000000000), buf,
	    sizeof buf), "2017-04-19 09:00:00");
	ck_assert_str_eq(timefmt_timestamp(12649 * DAY + 1500 * 1000, buf,
	    sizeof buf), "2004-08-19 00:00:00.001500");
	ck_assert_str_eq(timefmt_timestamp(12649 * DAY + 1501, buf,
	    sizeof buf), "2004-08-19 00:00:00.000001501");
	ck_assert_str_eq(timefmt_timestamp(-1, buf, sizeof buf),
	    "1969-12-31 23:59:59.999999999");
	ck_assert_str_eq(timefmt_timestamp(INT64_MAX, buf, sizeof buf),
	    "2262-04-11 23:47:16.854775807");
	ck_assert_str_eq(timefmt_timestamp(INT64_MIN + 1, buf, sizeof buf),
	    "1677-09-21 00:12:43.145224193");
	ck_assert_str_eq(timefmt_iso(12649 * DAY + 3600 * SEC, buf, sizeof buf),
	    "2004-08-19T01:00:00");
	ck_assert_str_eq(timefmt_iso(SEC / 2, buf, sizeof buf),
	    "1970-01-01T00:00:00.500000");
}
END_TEST

START_TEST(test_timedelta_format)
{
	char buf[64];

	/* Expected strings are str(pandas.Timedelta(...)). */
	ck_assert_str_eq(timefmt_timedelta(3116 * DAY, buf, sizeof buf),
	    "3116 days 00:00:00");
	ck_assert_str_eq(timefmt_timedelta(0, buf, sizeof buf),
	    "0 days 00:00:00");
	ck_assert_str_eq(timefmt_timedelta(DAY, buf, sizeof buf),
	    "1 days 00:00:00");
	ck_assert_str_eq(timefmt_timedelta(5400 * SEC, buf, sizeof buf),
	    "0 days 01:30:00");
	ck_assert_str_eq(timefmt_timedelta(-3600 * SEC, buf, sizeof buf),
	    "-1 days +23:00:00");
	ck_assert_str_eq(timefmt_timedelta(-DAY, buf, sizeof buf),
	    "-1 days +00:00:00");
	ck_assert_str_eq(timefmt_timedelta(-2 * DAY - 1, buf, sizeof buf),
	    "-3 days +23:59:59.999999999");
	ck_assert_str_eq(timefmt_timedelta(SEC / 2, buf, sizeof buf),
	    "0 days 00:00:00.500000");
	ck_assert_str_eq(timefmt_timedelta(1, buf, sizeof buf),
	    "0 days 00:00:00.000000001");
	ck_assert_str_eq(timefmt_timedelta(41 * DAY + 59 * SEC + 1000, buf,
	    sizeof buf), "41 days 00:00:59.000001");
	ck_assert_str_eq(timefmt_timedelta(INT64_MIN, buf, sizeof buf),
	    "-106752 days +00:12:43.145224192");
}
END_TEST

START_TEST(test_small_buffer)
{
	char buf[8];

	timefmt_timedelta(3116 * DAY, buf, sizeof buf);
	ck_assert_str_eq(buf, "3116 da");
	timefmt_timestamp(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "1970-01");
}
END_TEST

Suite *
timefmt_suite(void)
{
	Suite *s = suite_create("timefmt");

	test_add_case(s, "days_known", test_days_known);
	test_add_case(s, "civil_roundtrip", test_civil_roundtrip);
	test_add_case(s, "weekday_day_of", test_weekday_day_of);
	test_add_case(s, "parse_shapes", test_parse_shapes);
	test_add_case(s, "parse_rejects", test_parse_rejects);
	test_add_case(s, "parse_range", test_parse_range);
	test_add_case(s, "timestamp_format", test_timestamp_format);
	test_add_case(s, "timedelta_format", test_timedelta_format);
	test_add_case(s, "small_buffer", test_small_buffer);
	return s;
}
