/*
 * Finnhub trades: a WebSocket stream of trade batches, reported one
 * api->tick() per trade; the host aggregates them into bars
 * (wire-formats.md section 5).  No history: Finnhub's candles are not
 * free, so a session on this feed has no backfill.
 *
 * The API key is the "token" setting (FINNHUB_TOKEN); it travels in the
 * stream path's query, the only place Finnhub takes it, so the host must
 * not log that path.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "util.h"

#define NS_PER_MS INT64_C(1000000)

struct finnhub {
	const char *token;	/* host-owned, valid until close() */
};

static enum th_status
finnhub_open(th_conn *cx, void **state)
{
	struct finnhub *f;
	const char *token = cx->api->setting(cx, "token");

	if (!util_credential_ok(token)) {
		cx->api->log(cx, TH_LOG_ERROR, "no usable API key: set "
		    "\"token\" in the connector's section or FINNHUB_TOKEN");
		return TH_ERR_INVALID;
	}
	if ((f = calloc(1, sizeof *f)) == NULL)
		return TH_ERR_INVALID;
	f->token = token;
	*state = f;
	return TH_OK;
}

static void
finnhub_close(th_conn *cx, void *state)
{
	(void)cx;
	free(state);
}

static enum th_status
finnhub_map_symbol(th_conn *cx, void *state, const char *symbol, char *out,
    size_t size)
{
	(void)cx;
	(void)state;
	return util_symbol(symbol, out, size, 0) < 0 ? TH_ERR_INVALID : TH_OK;
}

/* "/?token=<token>"; the symbols are subscribed by message. */
static enum th_status
finnhub_stream_path(th_conn *cx, void *state, const char *const *symbols,
    size_t n, const char *granularity, char *out, size_t size)
{
	struct finnhub *f = state;
	char token[256];

	(void)cx;
	(void)symbols;
	(void)n;
	(void)granularity;
	if (util_url_encode(f->token, token, sizeof token) < 0 ||
	    util_fmt(out, size, "/?token=%s", token) < 0)
		return TH_ERR_INVALID;
	return TH_OK;
}

static enum th_status
finnhub_on_open(th_conn *cx, void *state)
{
	(void)state;
	cx->api->ready(cx);
	return TH_OK;
}

static enum th_status
finnhub_subscribe(th_conn *cx, void *state, const char *symbol,
    const char *granularity)
{
	char sym[UTIL_SYMBOL_MAX];

	(void)state;
	(void)granularity;
	if (util_symbol(symbol, sym, sizeof sym, 0) < 0)
		return TH_ERR_INVALID;
	return util_send_json(cx, json_pack("{s:s, s:s}", "type", "subscribe",
	    "symbol", sym));
}

/* {"s":"AAPL","p":122.1,"t":1672348887195,"v":1,"c":[...]}; v may be 0
 * (a price-only update) or absent. */
static int
trade(th_conn *cx, const json_t *tr)
{
	struct th_tick tick = { 0 };
	const json_t *v = json_object_get(tr, "v");
	int64_t t;

	tick.struct_size = sizeof tick;
	tick.symbol = util_string(tr, "s");
	if (tick.symbol == NULL ||
	    util_number(json_object_get(tr, "p"), &tick.price) < 0 ||
	    util_int(json_object_get(tr, "t"), &t) < 0 ||
	    (v != NULL && !json_is_null(v) &&
	    util_number(v, &tick.size) < 0))
		return -1;
	tick.time = t * NS_PER_MS;
	cx->api->tick(cx, &tick);
	return 0;
}

/* Every trade of a batch; the malformed ones are skipped and make the
 * message count as malformed. */
static enum th_status
trades(th_conn *cx, const json_t *data)
{
	enum th_status st = TH_OK;
	size_t i;

	if (!json_is_array(data))
		return TH_ERR_INVALID;
	for (i = 0; i < json_array_size(data); i++)
		if (trade(cx, json_array_get(data, i)) < 0)
			st = TH_ERR_INVALID;
	return st;
}

/* Does text say the API key was refused? */
static int
auth_error(const char *text)
{
	static const char *const words[] = {
		"token", "api key", "apikey", "unauthori", "authenticat"
	};
	char lower[256];
	size_t i;

	for (i = 0; i + 1 < sizeof lower && text[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[i] = '\0';
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(lower, words[i]) != NULL)
			return 1;
	return 0;
}

/* {"type":"error","msg":"..."}: an error about the key ends the session
 * (reconnecting with the same key cannot help); others are logged. */
static enum th_status
error_message(th_conn *cx, const json_t *msg)
{
	const char *text = util_string(msg, "msg");

	if (text == NULL)
		text = "(no message)";
	cx->api->log(cx, TH_LOG_ERROR, "error from Finnhub: %s", text);
	if (auth_error(text))
		cx->api->fail(cx, "Finnhub refused the API key");
	return TH_OK;
}

static enum th_status
finnhub_on_message(th_conn *cx, void *state, const char *data, size_t len)
{
	json_t *root = util_parse(data, len);
	const char *type = util_string(root, "type");
	enum th_status st = TH_OK;

	(void)state;
	if (type == NULL)
		st = TH_ERR_INVALID;
	else if (strcmp(type, "trade") == 0)
		st = trades(cx, json_object_get(root, "data"));
	else if (strcmp(type, "error") == 0)
		st = error_message(cx, root);
	else if (strcmp(type, "ping") != 0)
		cx->api->log(cx, TH_LOG_DEBUG, "ignored message type '%s'",
		    type);
	json_decref(root);
	return st;
}

static const struct th_connector connector = {
	.struct_size = sizeof(struct th_connector),
	.caps = TH_CONN_STREAM,
	.granularities = "",
	.rest_url = NULL,
	.stream_url = "wss://ws.finnhub.io",
	.env_prefix = "FINNHUB_",
	.open = finnhub_open,
	.close = finnhub_close,
	.map_symbol = finnhub_map_symbol,
	.stream_path = finnhub_stream_path,
	.on_open = finnhub_on_open,
	.subscribe = finnhub_subscribe,
	.on_message = finnhub_on_message,
};

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_FEED,
	.name = "finnhub",
	.version = "1.0",
	.description = "Finnhub trades (WebSocket stream; no history)",
	.param_def_size = sizeof(struct th_param_def),
	.connector = &connector,
};
