/* Market hours: parsing, and open or closed with the next change, across
 * weekends and the daylight-saving changes of the market's zone. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hours.h"
#include "suites.h"
#include "timefmt.h"

/* New York's rules as a POSIX TZ string: no zoneinfo file needed. */
#define NEW_YORK "EST5EDT,M3.2.0,M11.1.0"

static int64_t
at(const char *utc)
{
	int64_t t;

	ck_assert_int_eq(timefmt_parse(utc, strlen(utc), &t), 0);
	return t;
}

static struct hours
nyse(void)
{
	struct hours h;
	char *cause = NULL;

	memset(&h, 0, sizeof h);
	ck_assert_int_eq(hours_set_zone("tz", NEW_YORK, &cause), 0);
	ck_assert_int_eq(hours_parse_range("h", "09:30-16:00", &h, &cause),
	    0);
	ck_assert_int_eq(hours_parse_days("d", "Mon-Fri", &h, &cause), 0);
	return h;
}

static void
expect(const struct hours *h, const char *utc, int open, const char *until)
{
	int64_t u;

	ck_assert_msg(hours_open_at(h, at(utc), &u) == open,
	    "%s: expected %s", utc, open ? "open" : "closed");
	ck_assert_msg(u == at(until), "%s: until %lld, expected %s", utc,
	    (long long)u, until);
}

static void
refused(int rc, char *cause, const char *want)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, want) != NULL, "'%s' lacks '%s'", cause,
	    want);
	free(cause);
}

START_TEST(parse)
{
	struct hours h;
	char *cause = NULL;
	int rc;

	memset(&h, 0, sizeof h);
	ck_assert_int_eq(hours_parse_range("h", "09:30-16:00:30", &h, &cause),
	    0);
	ck_assert_int_eq(h.open, 34200);
	ck_assert_int_eq(h.close, 57630);
	ck_assert_int_eq(hours_parse_range("h", "00:00-24:00", &h, &cause),
	    0);
	ck_assert_int_eq(h.close, 86400);
	ck_assert_int_eq(hours_parse_days("d", "Mon-Fri", &h, &cause), 0);
	ck_assert_uint_eq(h.days, 0x3e);
	ck_assert_int_eq(hours_parse_days("d", "sun-THU,Sat", &h, &cause), 0);
	ck_assert_uint_eq(h.days, 0x1f | 0x40);
	ck_assert_int_eq(hours_parse_days("d", "Fri-Mon", &h, &cause), 0);
	ck_assert_uint_eq(h.days, 0x63);
	rc = hours_parse_range("--market-hours", "9:30-16:00", &h, &cause);
	refused(rc, cause, "--market-hours: expected HH:MM-HH:MM");
	cause = NULL;
	rc = hours_parse_range("h", "16:00-09:30", &h, &cause);
	refused(rc, cause,
	    "the open must be before the close, got '16:00-09:30'");
	cause = NULL;
	rc = hours_parse_range("h", "09:30-24:01", &h, &cause);
	refused(rc, cause, "expected");
	cause = NULL;
	rc = hours_parse_days("--market-days", "Mon-Fry", &h, &cause);
	refused(rc, cause, "--market-days: expected days such as Mon-Fri");
	cause = NULL;
	rc = hours_parse_days("d", "Mon,", &h, &cause);
	refused(rc, cause, "expected");
	cause = NULL;
	rc = hours_set_zone("--market-tz", "Mars/Olympus_Mons", &cause);
	refused(rc, cause, "unknown time zone 'Mars/Olympus_Mons'");
	cause = NULL;
	rc = hours_set_zone("--market-tz", "../etc/passwd", &cause);
	refused(rc, cause, "not a time zone");
}
END_TEST

/* 2026-11-02 is a Monday, the day after New York left summer time. */
START_TEST(open_and_closed)
{
	struct hours h = nyse();

	expect(&h, "2026-11-02 14:29:59", 0, "2026-11-02 14:30:00");
	expect(&h, "2026-11-02 14:30:00", 1, "2026-11-02 21:00:00");
	expect(&h, "2026-11-02 20:59:59", 1, "2026-11-02 21:00:00");
	expect(&h, "2026-11-02 21:00:00", 0, "2026-11-03 14:30:00");
	/* Friday's close to Monday's open. */
	expect(&h, "2026-11-06 21:00:00", 0, "2026-11-09 14:30:00");
	expect(&h, "2026-11-08 12:00:00", 0, "2026-11-09 14:30:00");
	/* Just after midnight UTC is the evening before in New York. */
	expect(&h, "2026-11-03 02:00:00", 0, "2026-11-03 14:30:00");
}
END_TEST

START_TEST(daylight_saving)
{
	struct hours h = nyse();

	/* Summer time: the open is at 13:30 UTC. */
	expect(&h, "2026-10-30 13:30:00", 1, "2026-10-30 20:00:00");
	/* Friday in summer time, Monday in winter time. */
	expect(&h, "2026-10-30 20:00:00", 0, "2026-11-02 14:30:00");
	/* The spring change: Friday 6 March in winter, Monday 9 in summer. */
	expect(&h, "2026-03-06 21:00:00", 0, "2026-03-09 13:30:00");
}
END_TEST

START_TEST(no_days_never_opens)
{
	struct hours h = nyse();
	int64_t u;

	h.days = 0;
	ck_assert_int_eq(hours_open_at(&h, at("2026-11-02 15:00:00"), &u), 0);
	ck_assert(u == INT64_MAX);
}
END_TEST

/* The real zone, when the system has it. */
START_TEST(iana_zone)
{
	struct hours h = nyse();
	char *cause = NULL;

	if (access("/usr/share/zoneinfo/America/New_York", R_OK) != 0)
		return;
	ck_assert_int_eq(hours_set_zone("tz", "America/New_York", &cause), 0);
	expect(&h, "2026-10-30 20:00:00", 0, "2026-11-02 14:30:00");
	expect(&h, "2026-11-02 15:00:00", 1, "2026-11-02 21:00:00");
}
END_TEST

Suite *
hours_suite(void)
{
	Suite *s = suite_create("hours");
	TCase *tc = tcase_create("hours");

	tcase_add_test(tc, parse);
	tcase_add_test(tc, open_and_closed);
	tcase_add_test(tc, daylight_saving);
	tcase_add_test(tc, no_days_never_opens);
	tcase_add_test(tc, iana_zone);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}
