/* Buffers, string sets, time and number formatting for replayd. */
#include "replayd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

static void
buf_grow(struct buf *b, size_t need)
{
	size_t cap;

	if (b->mem != NULL && b->len + need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need)
		cap *= 2;
	b->mem = xreallocarray(b->mem, 1, LWS_PRE + cap + 1);
	b->cap = cap;
}

void
buf_reset(struct buf *b)
{
	buf_grow(b, 0);
	b->len = 0;
	b->mem[LWS_PRE] = '\0';
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->mem + LWS_PRE + b->len, s, n);
	b->len += n;
	b->mem[LWS_PRE + b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->mem + LWS_PRE + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The content, NUL-terminated, with LWS_PRE bytes writable before it. */
char *
buf_data(struct buf *b)
{
	buf_grow(b, 0);
	return b->mem + LWS_PRE;
}

void
buf_free(struct buf *b)
{
	free(b->mem);
	memset(b, 0, sizeof *b);
}

int
strset_has(const struct strset *s, const char *v)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], v) == 0)
			return 1;
	return 0;
}

/* Returns 1 if V was added, 0 if it was there already. */
int
strset_add(struct strset *s, const char *v)
{
	if (strset_has(s, v))
		return 0;
	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	s->v[s->n++] = xstrdup(v);
	return 1;
}

int
strset_del(struct strset *s, const char *v)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->v[i], v) != 0)
			continue;
		free(s->v[i]);
		s->v[i] = s->v[--s->n];
		return 1;
	}
	return 0;
}

void
strset_free(struct strset *s)
{
	while (s->n > 0)
		free(s->v[--s->n]);
	free(s->v);
	s->v = NULL;
}

/* A new JSON array of the set's strings, in insertion order (after
 * deletions the order may change). */
json_t *
strset_json(const struct strset *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

/* Adds (ADD != 0) or removes the strings of the JSON array A; returns -1
 * if A is not an array of strings, leaving S partly updated. */
int
json_strings(json_t *a, struct strset *s, int add)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return -1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return -1;
		if (add)
			strset_add(s, json_string_value(v));
		else
			strset_del(s, json_string_value(v));
	}
	return 0;
}

/* Appends the compact serialisation of J. */
void
json_buf(struct buf *b, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

	buf_adds(b, s);
	free(s);
}

lws_usec_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (lws_usec_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (or
 * a space for T) into Unix seconds; returns -1 on anything else. */
int
parse_rfc3339(const char *s, long long *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0, oh, om;
	long long t;
	const char *p;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &n) != 3 ||
		    n != 8)
			return -1;
		p += 1 + n;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se;
	if (*p == 'Z' && p[1] == '\0') {
		*out = t;
		return 0;
	}
	if (*p == '\0' && p == s + 10) {
		*out = t;
		return 0;
	}
	if ((*p == '+' || *p == '-') &&
	    sscanf(p + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && p[1 + n] == '\0') {
		t += (*p == '+' ? -1 : 1) * (oh * 3600 + om * 60);
		*out = t;
		return 0;
	}
	return -1;
}

/* Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
void
fmt_rfc3339(char *dst, size_t len, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(dst, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Appends X rounded to float32 and printed as a double, the way Yahoo's
 * chart API shows prices (220.69000244140625). */
void
fmt_float32(struct buf *b, double x)
{
	char tmp[64];

	snprintf(tmp, sizeof tmp, "%.17g", (double)(float)x);
	buf_adds(b, tmp);
}

/* Finds NAME=value in the query string Q (already URL-decoded by lws) and
 * copies the value into DST; returns DST or NULL when absent. */
const char *
query_arg(const char *q, const char *name, char *dst, size_t len)
{
	size_t nl = strlen(name), vl;
	const char *p = q, *e;

	while (p != NULL && *p != '\0') {
		e = strchr(p, '&');
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			vl = (e ? (size_t)(e - p) : strlen(p)) - nl - 1;
			if (vl >= len)
				vl = len - 1;
			memcpy(dst, p + nl + 1, vl);
			dst[vl] = '\0';
			return dst;
		}
		p = e ? e + 1 : NULL;
	}
	return NULL;
}
