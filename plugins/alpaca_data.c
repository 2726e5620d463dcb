/*
 * Alpaca Market Data v2 for US stocks: REST bars for history and backfill
 * (/v2/stocks/{symbol}/bars, paged by next_page_token) and the real-time
 * WebSocket at /v2/{feed} (wire-formats.md sections 2 and 3).
 *
 * Settings: key_id and secret_key (APCA_API_KEY_ID, APCA_API_SECRET_KEY),
 * both required; feed (APCA_API_FEED), "iex" by default, names the stream
 * path and, unless it is "test", the REST feed parameter; format
 * (APCA_API_FORMAT), "json" by default or "msgpack".
 *
 * MessagePack, as alpaca-py and the Go SDK speak it: the upgrade carries
 * "Content-Type: application/msgpack", the server then sends the same
 * arrays of maps in binary frames with times as timestamp extensions
 * (type -1), and the connector packs its auth and subscribe messages.  The
 * SDK sends text only, so those go out as text frames holding MessagePack
 * (they hold no zero byte; see send_packed()).  The headers() lines serve
 * the REST requests too, so they carry the Content-Type as well, on GETs
 * without a body; a MessagePack REST body is read as well as a JSON one.
 * A message that starts with '[' is read as JSON in either format.
 *
 * Stream: the granularity "1m" subscribes Alpaca's minute bars ("b"),
 * reported closed; any other granularity subscribes trades ("t"), reported
 * as ticks that the host aggregates.  Updated bars ("u") after late trades
 * are ignored.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <tradehost.h>

#include "mpjson.h"
#include "rfc3339.h"
#include "util.h"

#define PAGE_LIMIT 10000	/* bars per REST request (max) */
#define FEED_MAX 32

struct alpaca_data {
	const char *key_id;	/* host-owned, valid until close() */
	const char *secret;
	char feed[FEED_MAX];
	struct util_job *jobs;	/* history requests in flight */
	int ready;		/* ready() called on this connection */
	int msgpack;		/* format=msgpack */
};

static const struct util_pair timeframes[] = {
	{ "1m", "1Min" }, { "5m", "5Min" }, { "15m", "15Min" },
	{ "30m", "30Min" }, { "1h", "1Hour" }, { "4h", "4Hour" },
	{ "1d", "1Day" }, { NULL, NULL }
};

/* A feed name: lower-case letters, digits and '_'. */
static int
feed_ok(const char *feed)
{
	size_t n = strspn(feed, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n > 0 && n < FEED_MAX && feed[n] == '\0';
}

/* The format setting: 0 for JSON (also when unset), 1 for MessagePack,
 * -1 for anything else. */
static int
format_msgpack(const char *format)
{
	if (format == NULL || strcmp(format, "json") == 0)
		return 0;
	return strcmp(format, "msgpack") == 0 ? 1 : -1;
}

static enum th_status
alpaca_open(th_conn *cx, void **state)
{
	const char *key = cx->api->setting(cx, "key_id");
	const char *secret = cx->api->setting(cx, "secret_key");
	const char *feed = cx->api->setting(cx, "feed");
	const char *format = cx->api->setting(cx, "format");
	int mp = format_msgpack(format);
	struct alpaca_data *a;

	if (!util_credential_ok(key) || !util_credential_ok(secret)) {
		cx->api->log(cx, TH_LOG_ERROR, "no usable API key: set key_id "
		    "and secret_key (APCA_API_KEY_ID, APCA_API_SECRET_KEY)");
		return TH_ERR_INVALID;
	}
	if (feed == NULL)
		feed = "iex";
	if (!feed_ok(feed)) {
		cx->api->log(cx, TH_LOG_ERROR, "feed '%s' is not a feed name "
		    "such as iex or sip", feed);
		return TH_ERR_INVALID;
	}
	if (mp < 0) {
		cx->api->log(cx, TH_LOG_ERROR, "format '%s' is neither json "
		    "nor msgpack", format);
		return TH_ERR_INVALID;
	}
	if ((a = calloc(1, sizeof *a)) == NULL)
		return TH_ERR_INVALID;
	a->key_id = key;
	a->secret = secret;
	a->msgpack = mp;
	strcpy(a->feed, feed);
	*state = a;
	return TH_OK;
}

static void
alpaca_close(th_conn *cx, void *state)
{
	struct alpaca_data *a = state;

	(void)cx;
	if (a == NULL)
		return;
	util_job_free_all(&a->jobs);
	free(a);
}

static enum th_status
alpaca_map_symbol(th_conn *cx, void *state, const char *symbol, char *out,
    size_t size)
{
	(void)cx;
	(void)state;
	return util_symbol(symbol, out, size, 0) < 0 ? TH_ERR_INVALID : TH_OK;
}

/* The key headers, for REST and for the WebSocket upgrade, and with
 * format=msgpack the Content-Type that asks the stream for MessagePack. */
static enum th_status
alpaca_headers(th_conn *cx, void *state, char *out, size_t size)
{
	struct alpaca_data *a = state;

	(void)cx;
	return util_fmt(out, size, "APCA-API-KEY-ID: %s\nAPCA-API-SECRET-KEY: "
	    "%s%s", a->key_id, a->secret, a->msgpack ? "\nContent-Type: "
	    "application/msgpack" : "") < 0 ? TH_ERR_INVALID : TH_OK;
}

/* ---- MessagePack out ---- */

static void
pack_str(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);

	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* Sends the message packed in sb, which it frees, as a binary frame
 * (ABI 1.4).  An older host only sends text: there a message without a
 * zero byte (maps of strings of 1 to 255 bytes, all the connector sends)
 * goes as a text frame, which a strict server may refuse. */
static enum th_status
send_packed(th_conn *cx, msgpack_sbuffer *sb)
{
	enum th_status st = TH_ERR_INVALID;

	if (sb->data != NULL && TH_CONN_API_HAS(cx->api, send_binary))
		st = cx->api->send_binary(cx, sb->data, sb->size);
	else if (sb->data != NULL && memchr(sb->data, '\0', sb->size) ==
	    NULL && msgpack_sbuffer_write(sb, "", 1) == 0)
		st = cx->api->send(cx, sb->data);
	else
		cx->api->log(cx, TH_LOG_ERROR, "a MessagePack message could "
		    "not be sent");
	msgpack_sbuffer_destroy(sb);
	return st;
}

/* {"action":"auth","key":..,"secret":..} in the stream's format. */
static enum th_status
send_auth(th_conn *cx, struct alpaca_data *a)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	if (!a->msgpack)
		return util_send_json(cx, json_pack("{s:s, s:s, s:s}",
		    "action", "auth", "key", a->key_id, "secret", a->secret));
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	pack_str(&pk, "action");
	pack_str(&pk, "auth");
	pack_str(&pk, "key");
	pack_str(&pk, a->key_id);
	pack_str(&pk, "secret");
	pack_str(&pk, a->secret);
	return send_packed(cx, &sb);
}

/* {"action":"subscribe",list:[sym]} in the stream's format. */
static enum th_status
send_subscribe(th_conn *cx, struct alpaca_data *a, const char *list,
    const char *sym)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	if (!a->msgpack)
		return util_send_json(cx, json_pack("{s:s, s:[s]}", "action",
		    "subscribe", list, sym));
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	pack_str(&pk, "action");
	pack_str(&pk, "subscribe");
	pack_str(&pk, list);
	msgpack_pack_array(&pk, 1);
	pack_str(&pk, sym);
	return send_packed(cx, &sb);
}

/* A message or REST body in either format: JSON when it starts with '['
 * or '{' or the format is JSON, else MessagePack.  NULL when malformed;
 * the caller owns the result. */
static json_t *
decode(const struct alpaca_data *a, const char *data, size_t len)
{
	if (!a->msgpack || (len > 0 && (data[0] == '[' || data[0] == '{')))
		return util_parse(data, len);
	return mpjson_parse(data, len);
}

/* ---- stream ---- */

static enum th_status
alpaca_stream_path(th_conn *cx, void *state, const char *const *symbols,
    size_t n, const char *granularity, char *out, size_t size)
{
	struct alpaca_data *a = state;

	(void)cx;
	(void)symbols;
	(void)n;
	(void)granularity;
	return util_fmt(out, size, "/v2/%s", a->feed) < 0 ? TH_ERR_INVALID :
	    TH_OK;
}

/* The server speaks first ("connected"); the connector answers there. */
static enum th_status
alpaca_on_open(th_conn *cx, void *state)
{
	struct alpaca_data *a = state;

	(void)cx;
	a->ready = 0;
	return TH_OK;
}

static enum th_status
alpaca_subscribe(th_conn *cx, void *state, const char *symbol,
    const char *granularity)
{
	char sym[UTIL_SYMBOL_MAX];
	int bars = granularity != NULL && strcmp(granularity, "1m") == 0;

	if (util_symbol(symbol, sym, sizeof sym, 0) < 0)
		return TH_ERR_INVALID;
	return send_subscribe(cx, state, bars ? "bars" : "trades", sym);
}

static void
set_ready(th_conn *cx, struct alpaca_data *a)
{
	if (!a->ready) {
		a->ready = 1;
		cx->api->ready(cx);
	}
}

/* {"T":"success","msg":"connected"|"authenticated"}. */
static enum th_status
success(th_conn *cx, struct alpaca_data *a, const json_t *m)
{
	const char *msg = util_string(m, "msg");

	if (msg == NULL)
		return TH_ERR_INVALID;
	if (strcmp(msg, "connected") == 0)
		return send_auth(cx, a);
	if (strcmp(msg, "authenticated") == 0)
		set_ready(cx, a);
	else
		cx->api->log(cx, TH_LOG_INFO, "success: %s", msg);
	return TH_OK;
}

/* {"T":"error","code":N,"msg":"..."}: a refused key or plan ends the
 * session; 403 (already authenticated, when the upgrade's headers did it)
 * counts as authenticated; the rest is logged and the host reconnects
 * when the server closes. */
static enum th_status
stream_error(th_conn *cx, struct alpaca_data *a, const json_t *m)
{
	const char *msg = util_string(m, "msg");
	int64_t code;
	char reason[160];

	if (util_int(json_object_get(m, "code"), &code) < 0)
		return TH_ERR_INVALID;
	if (msg == NULL)
		msg = "(no message)";
	if (code == 401 || code == 402 || code == 409) {
		cx->api->log(cx, TH_LOG_ERROR, "error %" PRId64 ": %s", code,
		    msg);
		snprintf(reason, sizeof reason, "Alpaca stream error %" PRId64
		    ": %s", code, msg);
		cx->api->fail(cx, reason);
	} else if (code == 403) {
		cx->api->log(cx, TH_LOG_DEBUG, "error 403: %s", msg);
		set_ready(cx, a);
	} else {
		cx->api->log(cx, code == 406 ? TH_LOG_WARN : TH_LOG_ERROR,
		    "error %" PRId64 ": %s", code, msg);
	}
	return TH_OK;
}

/* {"T":"subscription","trades":[...],"bars":[...],...}. */
static enum th_status
subscription(th_conn *cx, const json_t *m)
{
	size_t nbars = json_array_size(json_object_get(m, "bars"));
	size_t ntrades = json_array_size(json_object_get(m, "trades"));

	cx->api->log(cx, TH_LOG_INFO, "subscribed: %zu bar and %zu trade "
	    "streams", nbars, ntrades);
	return TH_OK;
}

/* {"T":"b","S":"SPY","o":..,"h":..,"l":..,"c":..,"v":..,"t":"RFC-3339"}. */
static enum th_status
minute_bar(th_conn *cx, const json_t *m)
{
	struct th_bar bar = { 0 };
	const char *t = util_string(m, "t");

	bar.struct_size = sizeof bar;
	bar.symbol = util_string(m, "S");
	if (bar.symbol == NULL || rfc3339_parse(t, &bar.time) < 0 ||
	    util_number(json_object_get(m, "o"), &bar.open) < 0 ||
	    util_number(json_object_get(m, "h"), &bar.high) < 0 ||
	    util_number(json_object_get(m, "l"), &bar.low) < 0 ||
	    util_number(json_object_get(m, "c"), &bar.close) < 0 ||
	    util_number(json_object_get(m, "v"), &bar.volume) < 0)
		return TH_ERR_INVALID;
	bar.closed = 1;
	cx->api->bar(cx, &bar);
	return TH_OK;
}

/* {"T":"t","S":"AAPL","p":126.55,"s":1,"t":"RFC-3339",...}. */
static enum th_status
trade(th_conn *cx, const json_t *m)
{
	struct th_tick tick = { 0 };
	const char *t = util_string(m, "t");

	tick.struct_size = sizeof tick;
	tick.symbol = util_string(m, "S");
	if (tick.symbol == NULL || t == NULL ||
	    rfc3339_parse(t, &tick.time) < 0 ||
	    util_number(json_object_get(m, "p"), &tick.price) < 0 ||
	    util_number(json_object_get(m, "s"), &tick.size) < 0)
		return TH_ERR_INVALID;
	cx->api->tick(cx, &tick);
	return TH_OK;
}

/* One element of a message array. */
static enum th_status
element(th_conn *cx, struct alpaca_data *a, const json_t *m)
{
	const char *type = util_string(m, "T");

	if (type == NULL)
		return TH_ERR_INVALID;
	if (strcmp(type, "success") == 0)
		return success(cx, a, m);
	if (strcmp(type, "error") == 0)
		return stream_error(cx, a, m);
	if (strcmp(type, "subscription") == 0)
		return subscription(cx, m);
	if (strcmp(type, "b") == 0)
		return minute_bar(cx, m);
	if (strcmp(type, "t") == 0)
		return trade(cx, m);
	cx->api->log(cx, TH_LOG_DEBUG, "ignored message type '%s'", type);
	return TH_OK;
}

/* Every message is an array (JSON or MessagePack, see decode()); a
 * malformed element is skipped and makes the whole message count as
 * malformed. */
static enum th_status
alpaca_on_message(th_conn *cx, void *state, const char *data, size_t len)
{
	json_t *root = decode(state, data, len);
	enum th_status st = json_is_array(root) ? TH_OK : TH_ERR_INVALID;
	enum th_status est;
	size_t i;

	for (i = 0; i < json_array_size(root); i++) {
		est = element(cx, state, json_array_get(root, i));
		if (est != TH_OK)
			st = est;
	}
	json_decref(root);
	return st;
}

/* ---- history ---- */

/* Requests a page of job; token is NULL for the first. */
static enum th_status
request_page(th_conn *cx, struct alpaca_data *a, struct util_job *job,
    const char *token)
{
	char url[UTIL_URL_MAX], sym[3 * UTIL_SYMBOL_MAX], page[1024] = "";
	char start[40], end[40], feed[FEED_MAX + 8] = "";

	rfc3339_format(job->start, start, sizeof start);
	rfc3339_format(job->end, end, sizeof end);
	if (strcmp(a->feed, "test") != 0)
		snprintf(feed, sizeof feed, "&feed=%s", a->feed);
	if (util_url_encode(job->psym, sym, sizeof sym) < 0 ||
	    (token != NULL && util_url_encode(token, page, sizeof page) < 0))
		return TH_ERR_INVALID;
	if (util_fmt(url, sizeof url, "%s/v2/stocks/%s/bars?timeframe=%s"
	    "&start=%s&end=%s&limit=%d%s%s%s", cx->api->rest_url(cx), sym,
	    job->interval, start, end, PAGE_LIMIT, feed,
	    token != NULL ? "&page_token=" : "", page) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "GET", url, NULL, TH_HTTP_HISTORY, job->symbol);
}

static enum th_status
alpaca_history(th_conn *cx, void *state, const char *symbol,
    const char *granularity, int64_t start, int64_t end)
{
	struct alpaca_data *a = state;
	const char *tf = util_map(timeframes, granularity);
	char psym[UTIL_SYMBOL_MAX];
	struct util_job *job;
	enum th_status st;

	if (tf == NULL || start >= end ||
	    util_symbol(symbol, psym, sizeof psym, 0) < 0)
		return TH_ERR_INVALID;
	if ((job = util_job_add(&a->jobs, symbol)) == NULL) {
		cx->api->log(cx, TH_LOG_WARN, "history of %s: a request is "
		    "already in flight", symbol);
		return TH_ERR_STATE;
	}
	strcpy(job->psym, psym);
	strcpy(job->interval, tf);
	job->start = start;
	job->end = end;
	if ((st = request_page(cx, a, job, NULL)) != TH_OK)
		util_job_drop(&a->jobs, job);
	return st;
}

/* One bar object of a REST page, reported when in [start, end). */
static int
rest_bar(th_conn *cx, const struct util_job *job, const json_t *b)
{
	struct th_bar bar = { 0 };
	const char *t = util_string(b, "t");

	bar.struct_size = sizeof bar;
	bar.symbol = job->psym;
	if (t == NULL || rfc3339_parse(t, &bar.time) < 0 ||
	    util_number(json_object_get(b, "o"), &bar.open) < 0 ||
	    util_number(json_object_get(b, "h"), &bar.high) < 0 ||
	    util_number(json_object_get(b, "l"), &bar.low) < 0 ||
	    util_number(json_object_get(b, "c"), &bar.close) < 0 ||
	    util_number(json_object_get(b, "v"), &bar.volume) < 0)
		return -1;
	bar.closed = 1;
	if (bar.time >= job->start && bar.time < job->end)
		cx->api->bar(cx, &bar);
	return 0;
}

/* Reports a page {"bars":[...]|null,"symbol":..,"next_page_token":..};
 * -1 when it is malformed.  *token is borrowed from root, NULL on the
 * last page. */
static int
history_page(th_conn *cx, const struct util_job *job, const json_t *root,
    const char **token)
{
	const json_t *bars = json_object_get(root, "bars");
	const json_t *next = json_object_get(root, "next_page_token");
	size_t i;

	if (!json_is_object(root) || (bars != NULL && !json_is_null(bars) &&
	    !json_is_array(bars)) ||
	    (next != NULL && !json_is_null(next) && !json_is_string(next)))
		return -1;
	for (i = 0; i < json_array_size(bars); i++)
		if (rest_bar(cx, job, json_array_get(bars, i)) < 0)
			return -1;
	*token = json_string_value(next);
	if (*token != NULL && **token == '\0')
		*token = NULL;
	return 0;
}

static enum th_status
alpaca_on_http(th_conn *cx, void *state, int purpose, const char *key,
    long status, const char *body, size_t len)
{
	struct alpaca_data *a = state;
	struct util_job *job = util_job_find(a->jobs, key);
	const char *token = NULL;
	json_t *root;
	int rc;

	if (purpose != TH_HTTP_HISTORY || job == NULL)
		return TH_ERR_INVALID;
	if (status < 200 || status > 299) {
		util_log_http_error(cx, TH_LOG_ERROR, job->symbol, status,
		    body, len);
		util_job_finish(cx, &a->jobs, job, 0);
		return TH_OK;
	}
	root = decode(a, body, len);
	rc = history_page(cx, job, root, &token);
	if (rc < 0)
		cx->api->log(cx, TH_LOG_ERROR, "%s: malformed bars response",
		    job->symbol);
	else if (token != NULL && request_page(cx, a, job, token) == TH_OK)
		rc = 1;
	json_decref(root);
	if (rc <= 0)
		util_job_finish(cx, &a->jobs, job, rc == 0 && token == NULL);
	return rc < 0 ? TH_ERR_INVALID : TH_OK;
}

static const struct th_connector connector = {
	.struct_size = sizeof(struct th_connector),
	.caps = TH_CONN_STREAM | TH_CONN_HISTORY,
	.granularities = "1m 5m 15m 30m 1h 4h 1d",
	.rest_url = "https://data.alpaca.markets",
	.stream_url = "wss://stream.data.alpaca.markets",
	.env_prefix = "APCA_API_",
	.open = alpaca_open,
	.close = alpaca_close,
	.map_symbol = alpaca_map_symbol,
	.headers = alpaca_headers,
	.history = alpaca_history,
	.on_http = alpaca_on_http,
	.stream_path = alpaca_stream_path,
	.on_open = alpaca_on_open,
	.subscribe = alpaca_subscribe,
	.on_message = alpaca_on_message,
};

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_FEED,
	.name = "alpaca_data",
	.version = "1.0",
	.description = "Alpaca Market Data v2 stocks (REST bars, WebSocket "
	    "stream)",
	.param_def_size = sizeof(struct th_param_def),
	.connector = &connector,
};
