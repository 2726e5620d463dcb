/*
 * Alpaca Trading API v2 as a broker: orders over REST and the
 * trade_updates stream (wire-formats.md section 4).  Paper trading by
 * default (paper-api.alpaca.markets); point rest_url and stream_url at
 * api.alpaca.markets for a live account.
 *
 * Settings: key_id and secret_key (APCA_API_KEY_ID, APCA_API_SECRET_KEY),
 * both required.
 *
 * Orders are market or limit, time in force "day", with the host's
 * client_id as client_order_id; quantities and prices are sent as the
 * shortest decimal strings that read back exactly (a sub-penny limit is
 * sent as given and Alpaca refuses it, which is reported as a rejection).
 *
 * Decisions: a 204 to a cancellation reports nothing (the order may still
 * fill before it is canceled); the stream or the next poll says
 * "canceled".  A submission refused as a duplicate client_order_id (the
 * host re-sent an order that had reached Alpaca) is looked up by its
 * client_order_id instead of being reported rejected.  A 429 or 5xx to a
 * submission reports nothing: the order's fate is unknown until a poll.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "rfc3339.h"
#include "util.h"

#define ID_MAX 128		/* longest client_order_id + 1 */
#define DUPLICATE_ID "client_order_id must be unique"

struct alpaca_broker {
	const char *key_id;	/* host-owned, valid until close() */
	const char *secret;
};

/* Alpaca's order statuses (and trade_updates events) as order states;
 * 0 = working, reported ACCEPTED or PARTIAL by the filled quantity. */
static const struct {
	const char *name;
	enum th_order_state state;
} statuses[] = {
	{ "new", 0 }, { "accepted", 0 }, { "pending_new", 0 },
	{ "accepted_for_bidding", 0 }, { "pending_review", 0 }, { "held", 0 },
	{ "pending_cancel", 0 }, { "pending_replace", 0 }, { "stopped", 0 },
	{ "suspended", 0 }, { "calculated", 0 },
	{ "partially_filled", TH_ORDER_PARTIAL },
	{ "partial_fill", TH_ORDER_PARTIAL },
	{ "filled", TH_ORDER_FILLED }, { "fill", TH_ORDER_FILLED },
	{ "canceled", TH_ORDER_CANCELED }, { "expired", TH_ORDER_CANCELED },
	{ "done_for_day", TH_ORDER_CANCELED },
	{ "replaced", TH_ORDER_CANCELED },
	{ "rejected", TH_ORDER_REJECTED },
};

static enum th_status
broker_open(th_conn *cx, void **state)
{
	const char *key = cx->api->setting(cx, "key_id");
	const char *secret = cx->api->setting(cx, "secret_key");
	struct alpaca_broker *b;

	if (!util_credential_ok(key) || !util_credential_ok(secret)) {
		cx->api->log(cx, TH_LOG_ERROR, "no usable API key: set key_id "
		    "and secret_key (APCA_API_KEY_ID, APCA_API_SECRET_KEY)");
		return TH_ERR_INVALID;
	}
	if ((b = calloc(1, sizeof *b)) == NULL)
		return TH_ERR_INVALID;
	b->key_id = key;
	b->secret = secret;
	*state = b;
	return TH_OK;
}

static void
broker_close(th_conn *cx, void *state)
{
	(void)cx;
	free(state);
}

static enum th_status
broker_map_symbol(th_conn *cx, void *state, const char *symbol, char *out,
    size_t size)
{
	(void)cx;
	(void)state;
	return util_symbol(symbol, out, size, 0) < 0 ? TH_ERR_INVALID : TH_OK;
}

static enum th_status
broker_headers(th_conn *cx, void *state, char *out, size_t size)
{
	struct alpaca_broker *b = state;

	(void)cx;
	return util_fmt(out, size, "APCA-API-KEY-ID: %s\nAPCA-API-SECRET-KEY: "
	    "%s", b->key_id, b->secret) < 0 ? TH_ERR_INVALID : TH_OK;
}

/* ---- order objects ---- */

/* The state for an Alpaca status or event name; -1 when unknown. */
static int
state_of(const char *name, double filled)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		if (strcmp(statuses[i].name, name) != 0)
			continue;
		if (statuses[i].state != 0)
			return (int)statuses[i].state;
		return filled > 0 ? TH_ORDER_PARTIAL : TH_ORDER_ACCEPTED;
	}
	return -1;
}

/* A decimal string, number or null (*out = dflt) member of an order. */
static int
order_number(const json_t *order, const char *key, double dflt, double *out)
{
	const json_t *v = json_object_get(order, key);

	if (v == NULL || json_is_null(v)) {
		*out = dflt;
		return 0;
	}
	return util_number(v, out);
}

/* The first RFC-3339 time among the order's stamps, or 0. */
static int64_t
order_time(const json_t *order, const char *stamp)
{
	static const char *const keys[] = {
		"updated_at", "filled_at", "canceled_at", "submitted_at",
		"created_at"
	};
	int64_t ns;
	size_t i;

	if (stamp != NULL && rfc3339_parse(stamp, &ns) == 0)
		return ns;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (rfc3339_parse(util_string(order, keys[i]), &ns) == 0)
			return ns;
	return 0;
}

/* Reports an order object as an update; client_id stands in for a
 * missing client_order_id, stamp (may be NULL) for the order's own times.
 * -1 when the object is malformed or its status unknown. */
static int
report_order(th_conn *cx, const json_t *order, const char *client_id,
    const char *status, const char *stamp)
{
	struct th_order_update u = { 0 };
	int state;

	u.struct_size = sizeof u;
	u.client_id = util_string(order, "client_order_id");
	if (u.client_id == NULL)
		u.client_id = client_id;
	u.broker_id = util_string(order, "id");
	if (status == NULL)
		status = util_string(order, "status");
	if (!json_is_object(order) || u.client_id == NULL ||
	    order_number(order, "filled_qty", 0, &u.filled_qty) < 0 ||
	    order_number(order, "filled_avg_price", NAN, &u.avg_price) < 0)
		return -1;
	if ((state = state_of(status, u.filled_qty)) < 0) {
		cx->api->log(cx, TH_LOG_WARN, "order %s: unknown status '%s'",
		    u.client_id, status != NULL ? status : "(none)");
		return -1;
	}
	u.state = (enum th_order_state)state;
	u.time = order_time(order, stamp);
	if (u.state == TH_ORDER_REJECTED)
		u.reason = "rejected by Alpaca";
	cx->api->order_update(cx, &u);
	return 0;
}

/* Reports client_id as rejected with reason. */
static void
report_rejected(th_conn *cx, const char *client_id, const char *reason)
{
	struct th_order_update u = { 0 };

	u.struct_size = sizeof u;
	u.client_id = client_id;
	u.state = TH_ORDER_REJECTED;
	u.avg_price = NAN;
	u.reason = reason;
	cx->api->order_update(cx, &u);
}

/* ---- requests ---- */

/* {"symbol","qty","side","type","time_in_force"[,"limit_price"],
 * "client_order_id"}, compact, malloc'd; NULL when the order is bad. */
static char *
order_body(const struct th_broker_order *o)
{
	char qty[64], limit[64];
	int is_limit = !isnan(o->limit);
	json_t *body;
	char *text;

	if (util_decimal(o->qty, qty, sizeof qty) < 0 ||
	    (is_limit && util_decimal(o->limit, limit, sizeof limit) < 0))
		return NULL;
	body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "symbol", o->symbol,
	    "qty", qty, "side", o->side > 0 ? "buy" : "sell", "type",
	    is_limit ? "limit" : "market", "time_in_force", "day");
	if (body == NULL)
		return NULL;
	if ((is_limit && json_object_set_new(body, "limit_price",
	    json_string(limit)) < 0) || json_object_set_new(body,
	    "client_order_id", json_string(o->client_id)) < 0)
		text = NULL;
	else
		text = util_dump(body);
	json_decref(body);
	return text;
}

static enum th_status
broker_submit(th_conn *cx, void *state, const struct th_broker_order *o)
{
	char url[UTIL_URL_MAX], sym[UTIL_SYMBOL_MAX];
	enum th_status st;
	char *body;

	(void)state;
	if (o == NULL || o->client_id == NULL || *o->client_id == '\0' ||
	    strlen(o->client_id) >= ID_MAX ||
	    util_symbol(o->symbol, sym, sizeof sym, 0) < 0 ||
	    (o->side != 1 && o->side != -1) || !(o->qty > 0) ||
	    !isfinite(o->qty) || (!isnan(o->limit) && !(o->limit > 0)) ||
	    util_fmt(url, sizeof url, "%s/v2/orders",
	    cx->api->rest_url(cx)) < 0)
		return TH_ERR_INVALID;
	if ((body = order_body(o)) == NULL)
		return TH_ERR_INVALID;
	st = util_http(cx, "POST", url, body, TH_HTTP_ORDER, o->client_id);
	free(body);
	return st;
}

/* DELETE /v2/orders/{broker_id}; Alpaca cancels by its own id only. */
static enum th_status
broker_cancel(th_conn *cx, void *state, const char *client_id,
    const char *broker_id)
{
	char url[UTIL_URL_MAX], id[3 * ID_MAX];

	(void)state;
	if (client_id == NULL || broker_id == NULL || *broker_id == '\0') {
		cx->api->log(cx, TH_LOG_WARN, "cancel of %s: no Alpaca order "
		    "id yet", client_id != NULL ? client_id : "(none)");
		return TH_ERR_STATE;
	}
	if (util_url_encode(broker_id, id, sizeof id) < 0 ||
	    util_fmt(url, sizeof url, "%s/v2/orders/%s", cx->api->rest_url(cx),
	    id) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "DELETE", url, NULL, TH_HTTP_CANCEL, client_id);
}

static enum th_status
broker_poll(th_conn *cx, void *state)
{
	char url[UTIL_URL_MAX];

	(void)state;
	if (util_fmt(url, sizeof url, "%s/v2/orders?status=all&limit=100",
	    cx->api->rest_url(cx)) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "GET", url, NULL, TH_HTTP_ORDERS, NULL);
}

/* GET /v2/positions: the account's open positions. */
static enum th_status
broker_positions(th_conn *cx, void *state)
{
	char url[UTIL_URL_MAX];

	(void)state;
	if (util_fmt(url, sizeof url, "%s/v2/positions",
	    cx->api->rest_url(cx)) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "GET", url, NULL, TH_HTTP_POSITIONS, NULL);
}

/* GET /v2/orders:by_client_order_id for an order Alpaca already has. */
static enum th_status
lookup(th_conn *cx, const char *client_id)
{
	char url[UTIL_URL_MAX], id[3 * ID_MAX];

	if (util_url_encode(client_id, id, sizeof id) < 0 ||
	    util_fmt(url, sizeof url, "%s/v2/orders:by_client_order_id"
	    "?client_order_id=%s", cx->api->rest_url(cx), id) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "GET", url, NULL, TH_HTTP_ORDERS, client_id);
}

/* ---- responses ---- */

/* A refused submission: 4xx but 401 and 429 is a rejection. */
static void
submit_refused(th_conn *cx, const char *client_id, long status,
    const json_t *root)
{
	const char *text = util_error_text(root);
	char reason[256];

	if (text == NULL)
		text = "no reason given";
	if (status == 422 && strstr(text, DUPLICATE_ID) != NULL &&
	    lookup(cx, client_id) == TH_OK) {
		cx->api->log(cx, TH_LOG_INFO, "order %s: already submitted; "
		    "asking for its state", client_id);
		return;
	}
	if (status == 401 || status == 429 || status >= 500 || status < 400) {
		cx->api->log(cx, TH_LOG_ERROR, "order %s: HTTP %ld: %s; its "
		    "state is unknown until a poll", client_id, status, text);
		if (status == 401)
			cx->api->fail(cx, "Alpaca refused the API key");
		return;
	}
	snprintf(reason, sizeof reason, "HTTP %ld: %s", status, text);
	cx->api->log(cx, TH_LOG_WARN, "order %s rejected: %s", client_id,
	    reason);
	report_rejected(cx, client_id, reason);
}

static enum th_status
on_order(th_conn *cx, const char *key, long status, const json_t *root)
{
	if (key == NULL)
		return TH_ERR_INVALID;
	if (status < 200 || status > 299) {
		submit_refused(cx, key, status, root);
		return TH_OK;
	}
	return report_order(cx, root, key, NULL, NULL) < 0 ? TH_ERR_INVALID :
	    TH_OK;
}

static enum th_status
on_cancel(th_conn *cx, const char *key, long status, const char *body,
    size_t len)
{
	const char *id = key != NULL ? key : "(none)";
	const char *what = status == 404 ? "cancel: unknown order" :
	    status == 422 ? "cancel: order not cancelable" : "cancel";

	if (status >= 200 && status <= 299) {
		cx->api->log(cx, TH_LOG_INFO, "order %s: cancel requested", id);
		return TH_OK;
	}
	util_log_http_error(cx, status == 404 || status == 422 ?
	    TH_LOG_WARN : TH_LOG_ERROR, what, status, body, len);
	if (status == 401)
		cx->api->fail(cx, "Alpaca refused the API key");
	return TH_OK;
}

/* A list of orders (poll) or one order (lookup by client_order_id). */
static enum th_status
on_orders(th_conn *cx, const char *key, long status, const char *body,
    size_t len, const json_t *root)
{
	enum th_status st = TH_OK;
	size_t i;

	if (status < 200 || status > 299) {
		util_log_http_error(cx, TH_LOG_ERROR, "orders", status, body,
		    len);
		if (status == 401)
			cx->api->fail(cx, "Alpaca refused the API key");
		return TH_OK;
	}
	if (json_is_object(root))
		return report_order(cx, root, key, NULL, NULL) < 0 ?
		    TH_ERR_INVALID : TH_OK;
	if (!json_is_array(root))
		return TH_ERR_INVALID;
	for (i = 0; i < json_array_size(root); i++)
		if (report_order(cx, json_array_get(root, i), NULL, NULL,
		    NULL) < 0)
			st = TH_ERR_INVALID;
	return st;
}

/* [{"symbol","qty","side","avg_entry_price",...}]: qty is a decimal
 * string, negative for a short position (side "short"). */
static enum th_status
on_positions(th_conn *cx, long status, const char *body, size_t len,
    const json_t *root)
{
	const char *symbol, *side;
	double qty, avg;
	size_t i;

	if (status < 200 || status > 299 || !json_is_array(root)) {
		util_log_http_error(cx, TH_LOG_ERROR, "positions", status, body,
		    len);
		if (status == 401)
			cx->api->fail(cx, "Alpaca refused the API key");
		cx->api->positions_done(cx, 0);
		return status >= 200 && status <= 299 ? TH_ERR_INVALID : TH_OK;
	}
	for (i = 0; i < json_array_size(root); i++) {
		const json_t *p = json_array_get(root, i);

		symbol = util_string(p, "symbol");
		side = util_string(p, "side");
		if (symbol == NULL || order_number(p, "qty", NAN, &qty) < 0 ||
		    isnan(qty) || order_number(p, "avg_entry_price", NAN,
		    &avg) < 0) {
			cx->api->positions_done(cx, 0);
			return TH_ERR_INVALID;
		}
		if (side != NULL && strcmp(side, "short") == 0 && qty > 0)
			qty = -qty;
		cx->api->position(cx, symbol, qty, avg);
	}
	cx->api->positions_done(cx, 1);
	return TH_OK;
}

static enum th_status
broker_on_http(th_conn *cx, void *state, int purpose, const char *key,
    long status, const char *body, size_t len)
{
	json_t *root = util_parse(body, len);
	enum th_status st;

	(void)state;
	switch (purpose) {
	case TH_HTTP_ORDER:
		st = on_order(cx, key, status, root);
		break;
	case TH_HTTP_CANCEL:
		st = on_cancel(cx, key, status, body, len);
		break;
	case TH_HTTP_ORDERS:
		st = on_orders(cx, key, status, body, len, root);
		break;
	case TH_HTTP_POSITIONS:
		st = on_positions(cx, status, body, len, root);
		break;
	default:
		st = TH_ERR_INVALID;
	}
	json_decref(root);
	return st;
}

/* ---- trade_updates stream ---- */

static enum th_status
broker_stream_path(th_conn *cx, void *state, const char *const *symbols,
    size_t n, const char *granularity, char *out, size_t size)
{
	(void)cx;
	(void)state;
	(void)symbols;
	(void)n;
	(void)granularity;
	return util_fmt(out, size, "/stream") < 0 ? TH_ERR_INVALID : TH_OK;
}

static enum th_status
broker_on_open(th_conn *cx, void *state)
{
	struct alpaca_broker *b = state;

	return util_send_json(cx, json_pack("{s:s, s:{s:s, s:s}}", "action",
	    "authenticate", "data", "key_id", b->key_id, "secret_key",
	    b->secret));
}

/* {"stream":"authorization","data":{"status":"authorized"|...}}. */
static enum th_status
authorization(th_conn *cx, const json_t *data)
{
	const char *status = util_string(data, "status");
	enum th_status st;

	if (status == NULL)
		return TH_ERR_INVALID;
	if (strcmp(status, "authorized") != 0) {
		cx->api->log(cx, TH_LOG_ERROR, "trade stream: %s (%s)", status,
		    util_string(data, "message") != NULL ?
		    util_string(data, "message") : "no message");
		cx->api->fail(cx, "Alpaca refused the API key on the trade "
		    "stream");
		return TH_OK;
	}
	st = util_send_json(cx, json_pack("{s:s, s:{s:[s]}}", "action",
	    "listen", "data", "streams", "trade_updates"));
	if (st == TH_OK)
		cx->api->ready(cx);
	return st;
}

/* {"stream":"trade_updates","data":{"event":..,"order":{..},
 * "timestamp":..}}: the order's status is authoritative, the event
 * stands in when it has none. */
static enum th_status
trade_update(th_conn *cx, const json_t *data)
{
	const json_t *order = json_object_get(data, "order");
	const char *event = util_string(data, "event");
	const char *status = util_string(order, "status");

	if (event == NULL || !json_is_object(order))
		return TH_ERR_INVALID;
	cx->api->log(cx, TH_LOG_DEBUG, "trade update: %s", event);
	return report_order(cx, order, NULL, status != NULL ? status : event,
	    util_string(data, "timestamp")) < 0 ? TH_ERR_INVALID : TH_OK;
}

/* Text and binary frames carry the same JSON. */
static enum th_status
broker_on_message(th_conn *cx, void *state, const char *data, size_t len)
{
	json_t *root = util_parse(data, len);
	const char *stream = util_string(root, "stream");
	const json_t *d = json_object_get(root, "data");
	enum th_status st = TH_OK;

	(void)state;
	if (stream == NULL || !json_is_object(d))
		st = TH_ERR_INVALID;
	else if (strcmp(stream, "authorization") == 0)
		st = authorization(cx, d);
	else if (strcmp(stream, "listening") == 0)
		cx->api->log(cx, TH_LOG_INFO, "listening to trade updates");
	else if (strcmp(stream, "trade_updates") == 0)
		st = trade_update(cx, d);
	else
		cx->api->log(cx, TH_LOG_DEBUG, "ignored stream '%s'", stream);
	json_decref(root);
	return st;
}

static const struct th_connector connector = {
	.struct_size = sizeof(struct th_connector),
	.caps = TH_CONN_ORDERS | TH_CONN_STREAM,
	.granularities = "",
	.rest_url = "https://paper-api.alpaca.markets",
	.stream_url = "wss://paper-api.alpaca.markets",
	.env_prefix = "APCA_API_",
	.open = broker_open,
	.close = broker_close,
	.map_symbol = broker_map_symbol,
	.headers = broker_headers,
	.on_http = broker_on_http,
	.stream_path = broker_stream_path,
	.on_open = broker_on_open,
	.on_message = broker_on_message,
	.submit = broker_submit,
	.cancel = broker_cancel,
	.poll = broker_poll,
	.positions = broker_positions,
};

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_BROKER,
	.name = "alpaca_broker",
	.version = "1.1",
	.description = "Alpaca Trading API v2 orders and trade_updates "
	    "(paper by default)",
	.param_def_size = sizeof(struct th_param_def),
	.connector = &connector,
};
