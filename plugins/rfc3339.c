#include "rfc3339.h"

#include <inttypes.h>
#include <stdio.h>

#define NS_PER_SEC INT64_C(1000000000)
#define SEC_PER_DAY INT64_C(86400)

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, with
 * years counted from March so that the leap day falls last. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(). */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int64_t y, int m)
{
	static const int dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits at *p into *v and advances *p; -1 when
 * one is missing. */
static int
digits(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/* Reads ".digits" (optional) into nanoseconds. */
static int
fraction(const char **p, int64_t *ns)
{
	int64_t scale = NS_PER_SEC / 10;

	*ns = 0;
	if (**p != '.')
		return 0;
	(*p)++;
	if (**p < '0' || **p > '9')
		return -1;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		*ns += (**p - '0') * scale;
		scale /= 10;
	}
	return 0;
}

/* Reads "Z" or "+hh:mm"/"-hh:mm" into an offset east of UTC, seconds. */
static int
zone(const char **p, int64_t *offset)
{
	int sign, hh, mm;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (digits(p, 2, &hh) < 0 || *(*p)++ != ':' || digits(p, 2, &mm) < 0 ||
	    hh > 23 || mm > 59)
		return -1;
	*offset = sign * (hh * 3600 + mm * 60);
	return 0;
}

int
rfc3339_parse(const char *s, int64_t *ns)
{
	const char *p = s;
	int y, mo, d, h, mi, sec;
	int64_t frac, offset, secs;

	if (s == NULL)
		return -1;
	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 ||
	    *p++ != '-' || digits(&p, 2, &d) < 0)
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0 ||
	    *p++ != ':' || digits(&p, 2, &sec) < 0)
		return -1;
	if (fraction(&p, &frac) < 0 || zone(&p, &offset) < 0 || *p != '\0')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	secs = days_from_civil(y, mo, d) * SEC_PER_DAY + h * 3600 + mi * 60 +
	    sec - offset;
	*ns = secs * NS_PER_SEC + frac;
	return 0;
}

void
rfc3339_format(int64_t ns, char *out, size_t size)
{
	int64_t secs = ns / NS_PER_SEC, frac = ns % NS_PER_SEC, days, rem, y;
	int m, d, digits9;
	char fbuf[11] = "";

	if (frac < 0) {
		frac += NS_PER_SEC;
		secs--;
	}
	days = secs / SEC_PER_DAY;
	rem = secs % SEC_PER_DAY;
	if (rem < 0) {
		rem += SEC_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (frac != 0) {
		digits9 = 9;
		while (frac % 10 == 0) {
			frac /= 10;
			digits9--;
		}
		snprintf(fbuf, sizeof fbuf, ".%0*" PRId64, digits9, frac);
	}
	snprintf(out, size, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%sZ", y,
	    m, d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
	    fbuf);
}
