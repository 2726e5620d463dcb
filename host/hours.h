/* Market hours: when an equity market is open, in its own time zone, so
 * that a live session sleeps while it is closed.  A regular session each
 * listed weekday from open to close local time; no holidays, no early
 * closes.  Local time is the process's (TZ): the caller sets the market's
 * zone with hours_set_zone() before any thread starts, as localtime_r and
 * mktime read it. */
#ifndef TH_HOURS_H
#define TH_HOURS_H

#include <stdint.h>

struct hours {
	int32_t open;			/* seconds after local midnight */
	int32_t close;			/* exclusive; after open */
	unsigned days;			/* bit d = weekday d (0 = Sunday) */
};

/* "HH:MM[:SS]-HH:MM[:SS]", open before close.  Returns 0, or -1 with
 * *cause naming what (e.g. "--market-hours") and the text. */
int hours_parse_range(const char *what, const char *text, struct hours *h,
    char **cause) __attribute__((warn_unused_result));
/* "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" or a mix ("Mon-Wed,Fri"); English
 * three-letter names, any case. */
int hours_parse_days(const char *what, const char *text, struct hours *h,
    char **cause) __attribute__((warn_unused_result));
/* Makes zone (an IANA name such as "America/New_York", looked up under
 * $TZDIR or /usr/share/zoneinfo, or a POSIX TZ string such as
 * "EST5EDT,M3.2.0,M11.1.0") the process's local time.  Not thread-safe:
 * call before threads start.  Returns 0, or -1 with *cause. */
int hours_set_zone(const char *what, const char *zone, char **cause)
	__attribute__((warn_unused_result));

/* Is the market open at t (ns since the epoch, UTC)?  Returns 1 with
 * *until the next close, or 0 with *until the next open (both ns, UTC);
 * 0 with *until = INT64_MAX when no day is listed. */
int hours_open_at(const struct hours *h, int64_t t, int64_t *until);

#endif
