/*
 * Yahoo Finance chart (unofficial): bars over HTTP from
 * /v8/finance/chart/{symbol}, for history and for live polling
 * (wire-formats.md section 1).  No key, no stream; expect throttling.
 *
 * Bars: one per element of "timestamp" (bar start, Unix seconds) with
 * indicators.quote[0]'s open/high/low/close/volume at the same index.  An
 * element with a null open, high, low or close is skipped (logged at info
 * level with its time); a null volume alone reads as 0.  Prices are
 * reported as JSON gives them (float32 artefacts such as
 * 220.69000244140625 included).  Every bar is reported closed; the host
 * drops the still-forming last bar by its time.  Daily bars carry
 * Yahoo's time stamp (the session's open), not midnight.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "rfc3339.h"
#include "util.h"

#define NS_PER_SEC INT64_C(1000000000)

struct yahoo {
	struct util_job *jobs;	/* history requests in flight */
};

static const struct util_pair intervals[] = {
	{ "1m", "1m" }, { "5m", "5m" }, { "15m", "15m" }, { "30m", "30m" },
	{ "1h", "60m" }, { "1d", "1d" }, { NULL, NULL }
};

/* The arrays of quote[0], in struct th_bar order. */
static const char *const columns[] = {
	"open", "high", "low", "close", "volume"
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static enum th_status
yahoo_open(th_conn *cx, void **state)
{
	struct yahoo *y = calloc(1, sizeof *y);

	(void)cx;
	if (y == NULL)
		return TH_ERR_INVALID;
	*state = y;
	return TH_OK;
}

static void
yahoo_close(th_conn *cx, void *state)
{
	struct yahoo *y = state;

	(void)cx;
	if (y == NULL)
		return;
	util_job_free_all(&y->jobs);
	free(y);
}

static enum th_status
yahoo_map_symbol(th_conn *cx, void *state, const char *symbol, char *out,
    size_t size)
{
	(void)cx;
	(void)state;
	return util_symbol(symbol, out, size, 0) < 0 ? TH_ERR_INVALID : TH_OK;
}

static enum th_status
yahoo_history(th_conn *cx, void *state, const char *symbol,
    const char *granularity, int64_t start, int64_t end)
{
	struct yahoo *y = state;
	const char *interval = util_map(intervals, granularity);
	char url[UTIL_URL_MAX], sym[3 * UTIL_SYMBOL_MAX];
	struct util_job *job;
	enum th_status st;
	int64_t p1, p2;

	if (interval == NULL || start >= end || start < 0 ||
	    util_symbol(symbol, url, UTIL_SYMBOL_MAX, 0) < 0 ||
	    util_url_encode(symbol, sym, sizeof sym) < 0)
		return TH_ERR_INVALID;
	p1 = start / NS_PER_SEC;
	p2 = (end + NS_PER_SEC - 1) / NS_PER_SEC;
	if (util_fmt(url, sizeof url, "%s/v8/finance/chart/%s?period1=%" PRId64
	    "&period2=%" PRId64 "&interval=%s", cx->api->rest_url(cx), sym,
	    p1, p2, interval) < 0)
		return TH_ERR_INVALID;
	if ((job = util_job_add(&y->jobs, symbol)) == NULL) {
		cx->api->log(cx, TH_LOG_WARN, "history of %s: a request is "
		    "already in flight", symbol);
		return TH_ERR_STATE;
	}
	strcpy(job->psym, symbol);
	job->start = start;
	job->end = end;
	if ((st = util_http(cx, "GET", url, NULL, TH_HTTP_HISTORY,
	    job->symbol)) != TH_OK)
		util_job_drop(&y->jobs, job);
	return st;
}

/* Reports element i of the quote arrays cols, at secs, when it is in the
 * job's range; 1 when reported or out of range, 0 when skipped for a null,
 * -1 when malformed. */
static int
element(th_conn *cx, const struct util_job *job, const json_t *const *cols,
    int64_t secs, size_t i)
{
	struct th_bar bar = { 0 };
	double *dst[NCOLUMNS] = {
		&bar.open, &bar.high, &bar.low, &bar.close, &bar.volume
	};
	const json_t *v;
	char when[40];
	size_t c;

	bar.struct_size = sizeof bar;
	bar.symbol = job->psym;
	bar.time = secs * NS_PER_SEC;
	bar.closed = 1;
	for (c = 0; c < NCOLUMNS; c++) {
		v = json_array_get(cols[c], i);
		if (json_is_null(v) && c == NCOLUMNS - 1)
			bar.volume = 0;
		else if (json_is_null(v)) {
			rfc3339_format(bar.time, when, sizeof when);
			cx->api->log(cx, TH_LOG_INFO, "%s: bar at %s skipped: "
			    "null %s", job->symbol, when, columns[c]);
			return 0;
		} else if (util_number(v, dst[c]) < 0)
			return -1;
	}
	if (bar.time >= job->start && bar.time < job->end)
		cx->api->bar(cx, &bar);
	return 1;
}

/* Reports every bar of chart.result[0]; -1 when it is malformed. */
static int
report_bars(th_conn *cx, const struct util_job *job, const json_t *result)
{
	const json_t *ts = json_object_get(result, "timestamp");
	const json_t *quote = json_array_get(json_object_get(json_object_get(
	    result, "indicators"), "quote"), 0);
	const json_t *cols[NCOLUMNS];
	size_t i, n = json_array_size(ts);
	int64_t secs;

	if (!json_is_object(result) || (ts != NULL && !json_is_array(ts)))
		return -1;
	if (n == 0)
		return 0;
	for (i = 0; i < NCOLUMNS; i++) {
		cols[i] = json_object_get(quote, columns[i]);
		if (json_array_size(cols[i]) < n)
			return -1;
	}
	for (i = 0; i < n; i++)
		if (util_int(json_array_get(ts, i), &secs) < 0 ||
		    element(cx, job, cols, secs, i) < 0)
			return -1;
	return 0;
}

static enum th_status
yahoo_on_http(th_conn *cx, void *state, int purpose, const char *key,
    long status, const char *body, size_t len)
{
	struct yahoo *y = state;
	struct util_job *job = util_job_find(y->jobs, key);
	const json_t *chart, *result;
	json_t *root;
	int ok = 0;

	if (purpose != TH_HTTP_HISTORY || job == NULL)
		return TH_ERR_INVALID;
	root = util_parse(body, len);
	chart = json_object_get(root, "chart");
	result = json_array_get(json_object_get(chart, "result"), 0);
	if (status < 200 || status > 299 || util_error_text(root) != NULL)
		util_log_http_error(cx, TH_LOG_ERROR, job->symbol, status,
		    body, len);
	else if (report_bars(cx, job, result) < 0)
		cx->api->log(cx, TH_LOG_ERROR, "%s: malformed chart response",
		    job->symbol);
	else
		ok = 1;
	json_decref(root);
	util_job_finish(cx, &y->jobs, job, ok);
	return TH_OK;
}

static const struct th_connector connector = {
	.struct_size = sizeof(struct th_connector),
	.caps = TH_CONN_HISTORY | TH_CONN_POLL,
	.granularities = "1m 5m 15m 30m 1h 1d",
	.rest_url = "https://query1.finance.yahoo.com",
	.stream_url = NULL,
	.env_prefix = "YAHOO_",
	.open = yahoo_open,
	.close = yahoo_close,
	.map_symbol = yahoo_map_symbol,
	.history = yahoo_history,
	.on_http = yahoo_on_http,
};

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_FEED,
	.name = "yahoo",
	.version = "1.0",
	.description = "Yahoo Finance chart bars over HTTP (history, polling)",
	.param_def_size = sizeof(struct th_param_def),
	.connector = &connector,
};
