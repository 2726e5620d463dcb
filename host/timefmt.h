/* Timestamps as pandas prints and parses them.  A timestamp is an int64
 * count of nanoseconds since 1970-01-01 00:00:00, timezone-naive (UTC
 * arithmetic, no leap seconds), the representation pandas uses. */
#ifndef TH_TIMEFMT_H
#define TH_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_NS_PER_DAY INT64_C(86400000000000)

/* Parses s[0..len) as "YYYY-MM-DD", optionally followed by 'T' or ' ' and
 * "HH:MM", "HH:MM:SS" or "HH:MM:SS.f" (1 to 9 fraction digits), optionally
 * followed by "Z" or "+00:00".  Returns 0 and stores *ns, or -1 when s is
 * not such a datetime (out-of-range fields count as not a datetime). */
int timefmt_parse(const char *s, size_t len, int64_t *ns);

/* Days since the epoch -> civil date, and back (proleptic Gregorian). */
void timefmt_civil(int64_t days, int *year, int *month, int *day);
int64_t timefmt_days(int year, int month, int day);
/* The clocks, in ns: CLOCK_MONOTONIC (intervals, deadlines) and
 * CLOCK_REALTIME (since the epoch, UTC).  Any thread. */
int64_t timefmt_mono_ns(void);
int64_t timefmt_wall_ns(void);
/* Floor of ns / TIMEFMT_NS_PER_DAY (also right for times before 1970). */
int64_t timefmt_day_of(int64_t ns);
/* 0 = Monday ... 6 = Sunday, like pandas' dayofweek. */
int timefmt_weekday(int64_t ns);

/* str(pandas.Timestamp): "2004-08-19 00:00:00", with ".123456" (micro) or
 * ".123456789" (nano) when the sub-second part is non-zero. */
char *timefmt_timestamp(int64_t ns, char *buf, size_t size);
/* Timestamp.isoformat(): as above with 'T' between date and time. */
char *timefmt_iso(int64_t ns, char *buf, size_t size);
/* str(pandas.Timedelta): "3116 days 00:00:00", "0 days 01:30:00",
 * "-1 days +23:00:00", with a fraction like timefmt_timestamp. */
char *timefmt_timedelta(int64_t ns, char *buf, size_t size);

#endif
