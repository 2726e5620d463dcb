#include "timefmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#define NS_PER_SEC INT64_C(1000000000)

/* Day counts of the 400-year Gregorian cycle and of 0000-03-01 before the
 * epoch: the calendar is counted from March so that leap days fall last. */
#define DAYS_PER_ERA 146097
#define EPOCH_SHIFT 719468

static int
is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
days_in_month(int64_t y, int m)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Floor division of ns by d (d > 0) with a remainder in [0, d); exact for
 * every int64 including INT64_MIN. */
static void
floor_divmod(int64_t ns, int64_t d, int64_t *q, int64_t *r)
{
	*q = ns / d;
	*r = ns % d;
	if (*r < 0) {
		(*q)--;
		*r += d;
	}
}

int64_t
timefmt_days(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = month > 2 ? month - 3 : month + 9;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

void
timefmt_civil(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + EPOCH_SHIFT;
	int64_t era = (z >= 0 ? z : z - (DAYS_PER_ERA - 1)) / DAYS_PER_ERA;
	int64_t doe = z - era * DAYS_PER_ERA;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

int64_t
timefmt_day_of(int64_t ns)
{
	int64_t q, r;

	floor_divmod(ns, TIMEFMT_NS_PER_DAY, &q, &r);
	return q;
}

int
timefmt_weekday(int64_t ns)
{
	int64_t w = (timefmt_day_of(ns) + 3) % 7;	/* 1970-01-01 was a Thursday. */

	return (int)(w < 0 ? w + 7 : w);
}

/* Reads exactly n decimal digits at s into *v; -1 when any is not a digit. */
static int
parse_digits(const char *s, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* Parses "YYYY-MM-DD" at s (len >= 10 checked by the caller) into days. */
static int
parse_date(const char *s, int64_t *days)
{
	int y, m, d;

	if (s[4] != '-' || s[7] != '-')
		return -1;
	if (parse_digits(s, 4, &y) != 0 || parse_digits(s + 5, 2, &m) != 0 ||
	    parse_digits(s + 8, 2, &d) != 0)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = timefmt_days(y, m, d);
	return 0;
}

/* Parses ".f" with 1 to 9 digits at s[*pos]; adds nanoseconds to *tod. */
static int
parse_fraction(const char *s, size_t len, size_t *pos, int64_t *tod)
{
	size_t i = *pos + 1;
	int64_t frac = 0;
	int n = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9' && n < 9) {
		frac = frac * 10 + (s[i] - '0');
		i++;
		n++;
	}
	if (n == 0 || (i < len && s[i] >= '0' && s[i] <= '9'))
		return -1;
	for (; n < 9; n++)
		frac *= 10;
	*tod += frac;
	*pos = i;
	return 0;
}

/* Parses "HH:MM[:SS[.f]]" at s[*pos] into nanoseconds of the day. */
static int
parse_time(const char *s, size_t len, size_t *pos, int64_t *tod)
{
	size_t p = *pos;
	int h, m, sec = 0, has_sec = 0;

	if (len - p < 5 || s[p + 2] != ':' || parse_digits(s + p, 2, &h) != 0 ||
	    parse_digits(s + p + 3, 2, &m) != 0 || h > 23 || m > 59)
		return -1;
	p += 5;
	if (p < len && s[p] == ':') {
		if (len - p < 3 || parse_digits(s + p + 1, 2, &sec) != 0 ||
		    sec > 59)
			return -1;
		p += 3;
		has_sec = 1;
	}
	*tod = ((int64_t)h * 3600 + m * 60 + sec) * NS_PER_SEC;
	if (p < len && s[p] == '.') {
		/* A fraction needs seconds to refine: "HH:MM.f" is refused. */
		if (!has_sec || parse_fraction(s, len, &p, tod) != 0)
			return -1;
	}
	*pos = p;
	return 0;
}

/* Combines days and a time of day, failing when the sum leaves the int64
 * nanosecond range pandas can represent (INT64_MIN itself is NaT). */
static int
combine(int64_t days, int64_t tod, int64_t *ns)
{
	const int64_t dmax = INT64_MAX / TIMEFMT_NS_PER_DAY;

	if (days > dmax || days < -dmax - 1)
		return -1;
	if (days >= 0) {
		if (days == dmax && tod > INT64_MAX % TIMEFMT_NS_PER_DAY)
			return -1;
		*ns = days * TIMEFMT_NS_PER_DAY + tod;
		return 0;
	}
	if (tod - TIMEFMT_NS_PER_DAY <=
	    INT64_MIN - (days + 1) * TIMEFMT_NS_PER_DAY)
		return -1;
	*ns = (days + 1) * TIMEFMT_NS_PER_DAY + (tod - TIMEFMT_NS_PER_DAY);
	return 0;
}

static int
is_utc_suffix(const char *s, size_t n)
{
	return (n == 1 && s[0] == 'Z') ||
	    (n == 6 && s[0] == '+' && s[1] == '0' && s[2] == '0' &&
	    s[3] == ':' && s[4] == '0' && s[5] == '0');
}

int
timefmt_parse(const char *s, size_t len, int64_t *ns)
{
	int64_t days, tod = 0;
	size_t pos = 10;

	if (len < 10 || parse_date(s, &days) != 0)
		return -1;
	if (pos < len && (s[pos] == 'T' || s[pos] == ' ')) {
		pos++;
		if (parse_time(s, len, &pos, &tod) != 0)
			return -1;
	}
	if (pos < len && !is_utc_suffix(s + pos, len - pos))
		return -1;
	return combine(days, tod, ns);
}

/* Formats ".ffffff" or ".fffffffff" for a non-zero sub-second part, or "". */
static void
format_fraction(int64_t subsec, char *buf, size_t size)
{
	if (subsec == 0)
		snprintf(buf, size, "%s", "");
	else if (subsec % 1000 == 0)
		snprintf(buf, size, ".%06" PRId64, subsec / 1000);
	else
		snprintf(buf, size, ".%09" PRId64, subsec);
}

static char *
format_stamp(int64_t ns, char sep, char *buf, size_t size)
{
	int64_t days, tod, sec;
	int y, m, d;
	char frac[16];

	floor_divmod(ns, TIMEFMT_NS_PER_DAY, &days, &tod);
	timefmt_civil(days, &y, &m, &d);
	sec = tod / NS_PER_SEC;
	format_fraction(tod % NS_PER_SEC, frac, sizeof frac);
	snprintf(buf, size, "%04d-%02d-%02d%c%02d:%02d:%02d%s", y, m, d, sep,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60), frac);
	return buf;
}

char *
timefmt_timestamp(int64_t ns, char *buf, size_t size)
{
	return format_stamp(ns, ' ', buf, size);
}

char *
timefmt_iso(int64_t ns, char *buf, size_t size)
{
	return format_stamp(ns, 'T', buf, size);
}

char *
timefmt_timedelta(int64_t ns, char *buf, size_t size)
{
	int64_t days, rest, sec;
	char frac[16];

	floor_divmod(ns, TIMEFMT_NS_PER_DAY, &days, &rest);
	sec = rest / NS_PER_SEC;
	format_fraction(rest % NS_PER_SEC, frac, sizeof frac);
	snprintf(buf, size, "%" PRId64 " days%s%02d:%02d:%02d%s", days,
	    ns < 0 ? " +" : " ", (int)(sec / 3600), (int)(sec / 60 % 60),
	    (int)(sec % 60), frac);
	return buf;
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
timefmt_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t
timefmt_wall_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}
