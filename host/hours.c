#include "hours.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

#define NS INT64_C(1000000000)

static const char *const day_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

/* Two digits up to max; advances *p.  -1 when not. */
static int
two_digits(const char **p, int max)
{
	int v;

	if (!isdigit((unsigned char)(*p)[0]) ||
	    !isdigit((unsigned char)(*p)[1]))
		return -1;
	v = ((*p)[0] - '0') * 10 + ((*p)[1] - '0');
	*p += 2;
	return v <= max ? v : -1;
}

/* "HH:MM[:SS]" as seconds after midnight; advances *p.  -1 when not. */
static int32_t
clock_time(const char **p)
{
	int h, m, s = 0;

	if ((h = two_digits(p, 24)) < 0 || *(*p)++ != ':' ||
	    (m = two_digits(p, 59)) < 0)
		return -1;
	if (**p == ':') {
		(*p)++;
		if ((s = two_digits(p, 59)) < 0)
			return -1;
	}
	if (h == 24 && (m != 0 || s != 0))
		return -1;
	return h * 3600 + m * 60 + s;
}

int
hours_parse_range(const char *what, const char *text, struct hours *h,
    char **cause)
{
	const char *p = text;
	int32_t open, close;

	if ((open = clock_time(&p)) < 0 || *p++ != '-' ||
	    (close = clock_time(&p)) < 0 || *p != '\0') {
		*cause = xasprintf("%s: expected HH:MM-HH:MM (local time of "
		    "the market), got '%s'", what, text);
		return -1;
	}
	if (open >= close) {
		*cause = xasprintf("%s: the open must be before the close, got "
		    "'%s'", what, text);
		return -1;
	}
	h->open = open;
	h->close = close;
	return 0;
}

/* A day name at *p (any case); advances *p.  -1 when not. */
static int
day_name(const char **p)
{
	int d;

	for (d = 0; d < 7; d++)
		if (strncasecmp(*p, day_names[d], 3) == 0) {
			*p += 3;
			return d;
		}
	return -1;
}

int
hours_parse_days(const char *what, const char *text, struct hours *h,
    char **cause)
{
	const char *p = text;
	unsigned days = 0;
	int from, to;

	do {
		if ((from = day_name(&p)) < 0)
			goto bad;
		to = from;
		if (*p == '-' && (p++, (to = day_name(&p)) < 0))
			goto bad;
		/* A range may wrap the week: Sun-Thu, Fri-Mon. */
		for (;; from = (from + 1) % 7) {
			days |= 1u << from;
			if (from == to)
				break;
		}
	} while (*p == ',' && *++p != ',');
	if (*p != '\0')
		goto bad;
	h->days = days;
	return 0;
bad:
	*cause = xasprintf("%s: expected days such as Mon-Fri or Mon,Wed,Fri, "
	    "got '%s'", what, text);
	return -1;
}

int
hours_set_zone(const char *what, const char *zone, char **cause)
{
	const char *dir = getenv("TZDIR");
	char *path;
	int found;

	/* glibc takes a zone it cannot find for UTC, silently. */
	if (zone[0] != '\0' && strchr(zone, '/') != NULL &&
	    strstr(zone, "..") == NULL) {
		path = xasprintf("%s/%s", dir != NULL && *dir != '\0' ? dir :
		    "/usr/share/zoneinfo", zone);
		found = access(path, R_OK) == 0;
		free(path);
		if (!found) {
			*cause = xasprintf("%s: unknown time zone '%s' (not in "
			    "the system's zoneinfo)", what, zone);
			return -1;
		}
	} else if (zone[0] == '\0' || !isalpha((unsigned char)zone[0]) ||
	    strstr(zone, "..") != NULL) {
		*cause = xasprintf("%s: not a time zone: '%s' (use an IANA "
		    "name such as America/New_York)", what, zone);
		return -1;
	}
	if (setenv("TZ", zone, 1) != 0) {
		*cause = xasprintf("%s: cannot set TZ", what);
		return -1;
	}
	tzset();
	return 0;
}

/* The UTC time of local time sec (seconds after midnight) on the day d
 * days after base's; *wday gets that day's weekday. */
static int64_t
local_at(const struct tm *base, int d, int32_t sec, int *wday)
{
	struct tm x;
	time_t t;

	memset(&x, 0, sizeof x);
	x.tm_year = base->tm_year;
	x.tm_mon = base->tm_mon;
	x.tm_mday = base->tm_mday + d;
	x.tm_hour = sec / 3600;
	x.tm_min = sec / 60 % 60;
	x.tm_sec = sec % 60;
	x.tm_isdst = -1;
	t = mktime(&x);
	*wday = x.tm_wday;
	return (int64_t)t * NS;
}

int
hours_open_at(const struct hours *h, int64_t t, int64_t *until)
{
	time_t secs = (time_t)(t >= 0 ? t / NS : (t - NS + 1) / NS);
	struct tm lt;
	int64_t open, close;
	int d, wday;

	localtime_r(&secs, &lt);
	/* A session lies within one local day: the first one that has
	 * not closed by t, from t's local day on, is the answer. */
	for (d = 0; d < 8; d++) {
		open = local_at(&lt, d, h->open, &wday);
		close = local_at(&lt, d, h->close, &wday);
		if (!(h->days & (1u << wday)) || t >= close)
			continue;
		*until = t < open ? open : close;
		return t >= open;
	}
	*until = INT64_MAX;
	return 0;
}
