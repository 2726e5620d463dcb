/* Yahoo Finance chart: GET /v8/finance/chart/{symbol}?period1=&period2=
 * &interval=1m, built from the fixture bars in [period1, period2) with
 * float32-looking OHLC and nulls for empty cells. */
#include "replayd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_PREFIX "/v8/finance/chart/"

static int
envelope_error(struct buf *resp, int status, const char *code,
    const char *desc)
{
	json_t *j = json_pack("{s:{s:n,s:{s:s,s:s}}}", "chart", "result",
	    "error", "code", code, "description", desc);

	json_buf(resp, j);
	json_decref(j);
	return status;
}

/* Appends one indicator array: FIELD 0-3 are o h l c, 4 is volume. */
static void
series(struct buf *b, const char *name, const struct bar *bars, size_t lo,
    size_t hi, int field)
{
	size_t i;
	double x;

	buf_printf(b, "\"%s\":[", name);
	for (i = lo; i < hi; i++) {
		if (i > lo)
			buf_adds(b, ",");
		if (field == 4) {
			if (bars[i].v < 0)
				buf_adds(b, "null");
			else
				buf_printf(b, "%lld", bars[i].v);
			continue;
		}
		x = field == 0 ? bars[i].o : field == 1 ? bars[i].h :
		    field == 2 ? bars[i].l : bars[i].c;
		if (isnan(x))
			buf_adds(b, "null");
		else
			fmt_float32(b, x);
	}
	buf_adds(b, "]");
}

static void
period(struct buf *b, const char *name, long long start, long long end)
{
	buf_printf(b, "\"%s\":{\"timezone\":\"EST\",\"start\":%lld,"
	    "\"end\":%lld,\"gmtoffset\":-18000}", name, start, end);
}

static void
meta(struct buf *b, const struct barset *s, size_t lo, size_t hi)
{
	long long day = s->n ? s->bars[0].t / 86400 * 86400 : 0;
	double last = NAN, prev = NAN;
	size_t i;

	for (i = 0; i < hi; i++) {
		if (isnan(s->bars[i].c))
			continue;
		if (i < lo)
			prev = s->bars[i].c;
		last = s->bars[i].c;
	}
	buf_printf(b, "\"meta\":{\"currency\":\"USD\",\"symbol\":\"%s\","
	    "\"exchangeName\":\"NMS\",\"fullExchangeName\":\"NasdaqGS\","
	    "\"instrumentType\":\"EQUITY\",\"firstTradeDate\":345479400,"
	    "\"regularMarketTime\":%lld,\"gmtoffset\":-18000,\"timezone\":"
	    "\"EST\",\"exchangeTimezoneName\":\"America/New_York\","
	    "\"regularMarketPrice\":%.15g,\"chartPreviousClose\":%.15g,"
	    "\"priceHint\":2,\"currentTradingPeriod\":{", s->symbol,
	    hi > 0 ? s->bars[hi - 1].t : day, isnan(last) ? 0 : last,
	    isnan(prev) ? (isnan(last) ? 0 : last) : prev);
	period(b, "pre", day + 32400, day + 52200);
	buf_adds(b, ",");
	period(b, "regular", day + 52200, day + 75600);
	buf_adds(b, ",");
	period(b, "post", day + 75600, day + 90000);
	buf_adds(b, "},\"dataGranularity\":\"1m\",\"range\":\"\","
	    "\"validRanges\":[\"1d\",\"5d\",\"1mo\",\"3mo\",\"6mo\",\"1y\","
	    "\"2y\",\"5y\",\"10y\",\"ytd\",\"max\"]}");
}

static void
chart(struct buf *b, const struct barset *s, size_t lo, size_t hi)
{
	size_t i;

	buf_adds(b, "{\"chart\":{\"result\":[{");
	meta(b, s, lo, hi);
	if (hi == lo) {
		buf_adds(b, ",\"indicators\":{\"quote\":[{}]}}],\"error\":null}}");
		return;
	}
	buf_adds(b, ",\"timestamp\":[");
	for (i = lo; i < hi; i++)
		buf_printf(b, "%s%lld", i > lo ? "," : "", s->bars[i].t);
	buf_adds(b, "],\"indicators\":{\"quote\":[{");
	series(b, "volume", s->bars, lo, hi, 4);
	buf_adds(b, ",");
	series(b, "open", s->bars, lo, hi, 0);
	buf_adds(b, ",");
	series(b, "low", s->bars, lo, hi, 2);
	buf_adds(b, ",");
	series(b, "high", s->bars, lo, hi, 1);
	buf_adds(b, ",");
	series(b, "close", s->bars, lo, hi, 3);
	buf_adds(b, "}]}}],\"error\":null}}");
}

/* The bar range [lo, hi) of the visible bars within [p1, p2). */
static void
window(const struct barset *s, const char *query, size_t *lo, size_t *hi)
{
	char v[32];
	long long p1 = 0, p2 = -1;
	size_t n = fixture_visible(s);

	if (query_arg(query, "period1", v, sizeof v) != NULL)
		p1 = atoll(v);
	if (query_arg(query, "period2", v, sizeof v) != NULL)
		p2 = atoll(v);
	for (*lo = 0; *lo < n && s->bars[*lo].t < p1; (*lo)++)
		;
	for (*hi = *lo; *hi < n && (p2 < 0 || s->bars[*hi].t < p2); (*hi)++)
		;
}

static int
http(struct conn *c, const char *method, const char *path,
    const char *query, const char *body, struct buf *resp)
{
	const struct barset *s;
	char iv[16];
	size_t lo, hi;

	(void)c;
	(void)body;
	if (strcmp(method, "GET") != 0 ||
	    strncmp(path, CHART_PREFIX, strlen(CHART_PREFIX)) != 0)
		return envelope_error(resp, 404, "Not Found", "Not Found");
	if (query_arg(query, "interval", iv, sizeof iv) != NULL &&
	    strcmp(iv, "1m") != 0)
		return envelope_error(resp, 400, "Bad Request",
		    "Invalid input - interval is not supported by replayd "
		    "(1m only)");
	s = fixture_bars(path + strlen(CHART_PREFIX));
	if (s == NULL)
		return envelope_error(resp, 404, "Not Found",
		    "No data found, symbol may be delisted");
	window(s, query, &lo, &hi);
	chart(resp, s, lo, hi);
	return 200;
}

const struct provider_ops yahoo_ops = {
	.name = "yahoo",
	.http = http,
};
