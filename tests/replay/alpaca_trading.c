/* Alpaca trading API v2 against an in-memory paper account: orders,
 * positions, account, and the trade_updates stream at /stream (binary
 * frames).  Market orders and marketable limit orders fill at once at
 * --fill-price; other limit orders rest until cancelled. */
#include "replayd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

#define MAX_LISTENERS 16

struct order {
	char id[40];
	char *client_id;
	char *symbol;
	char side[8];
	char type[8];
	char tif[8];
	double qty;
	double limit;		/* NaN for market orders */
	const char *status;
	double filled_qty;
	double filled_avg;
	long long created, updated, filled_at, canceled_at;
};

struct position {
	char *symbol;
	double qty;		/* signed */
	double avg;
};

struct trading {
	struct order *orders;
	size_t norders;
	struct position *pos;
	size_t npos;
	double cash;
	struct conn *listeners[MAX_LISTENERS];
};

static struct trading *
state(void)
{
	struct trading *t = srv.trading;

	if (t == NULL) {
		t = srv.trading = xcalloc(1, sizeof *t);
		t->cash = srv.opt.cash;
	}
	return t;
}

void
alpaca_trading_free(void)
{
	struct trading *t = srv.trading;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->norders; i++) {
		free(t->orders[i].client_id);
		free(t->orders[i].symbol);
	}
	for (i = 0; i < t->npos; i++)
		free(t->pos[i].symbol);
	free(t->orders);
	free(t->pos);
	free(t);
	srv.trading = NULL;
}

/* A decimal string for a number field, or JSON null for NaN. */
static json_t *
dec(double x)
{
	char s[64];

	if (isnan(x))
		return json_null();
	snprintf(s, sizeof s, "%.10g", x);
	return json_string(s);
}

static json_t *
stamp(long long t)
{
	char s[32];

	if (t == 0)
		return json_null();
	fmt_rfc3339(s, sizeof s, t);
	return json_string(s);
}

static void
put(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v);
}

static void
put_s(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* The order object of the API (numbers as decimal strings, nulls for the
 * fields replayd does not model). */
static json_t *
order_json(const struct order *o)
{
	json_t *j = json_object();

	put_s(j, "id", o->id);
	put_s(j, "client_order_id", o->client_id);
	put(j, "created_at", stamp(o->created));
	put(j, "updated_at", stamp(o->updated));
	put(j, "submitted_at", stamp(o->created));
	put(j, "filled_at", stamp(o->filled_at));
	put_s(j, "expired_at", NULL);
	put(j, "canceled_at", stamp(o->canceled_at));
	put_s(j, "failed_at", NULL);
	put_s(j, "replaced_at", NULL);
	put_s(j, "replaced_by", NULL);
	put_s(j, "replaces", NULL);
	put_s(j, "asset_id", "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415");
	put_s(j, "symbol", o->symbol);
	put_s(j, "asset_class", "us_equity");
	put_s(j, "notional", NULL);
	put(j, "qty", dec(o->qty));
	put(j, "filled_qty", dec(o->filled_qty));
	put(j, "filled_avg_price", dec(o->filled_qty > 0 ? o->filled_avg :
	    NAN));
	put_s(j, "order_class", "simple");
	put_s(j, "order_type", o->type);
	put_s(j, "type", o->type);
	put_s(j, "side", o->side);
	put_s(j, "time_in_force", o->tif);
	put(j, "limit_price", dec(o->limit));
	put_s(j, "stop_price", NULL);
	put_s(j, "status", o->status);
	put(j, "extended_hours", json_false());
	put_s(j, "legs", NULL);
	put_s(j, "trail_percent", NULL);
	put_s(j, "trail_price", NULL);
	put_s(j, "hwm", NULL);
	put_s(j, "position_intent", strcmp(o->side, "buy") == 0 ?
	    "buy_to_open" : "sell_to_close");
	return j;
}

static struct position *
position(const char *symbol, int create)
{
	struct trading *t = state();
	size_t i;

	for (i = 0; i < t->npos; i++)
		if (strcmp(t->pos[i].symbol, symbol) == 0)
			return &t->pos[i];
	if (!create)
		return NULL;
	t->pos = xreallocarray(t->pos, t->npos + 1, sizeof *t->pos);
	memset(&t->pos[t->npos], 0, sizeof *t->pos);
	t->pos[t->npos].symbol = xstrdup(symbol);
	return &t->pos[t->npos++];
}

/* Sends EVENT for O to every listening trade_updates connection. */
static void
broadcast(const struct order *o, const char *event, int fill)
{
	struct trading *t = state();
	struct position *p = position(o->symbol, 0);
	json_t *data;
	int i;

	for (i = 0; i < MAX_LISTENERS; i++) {
		if (t->listeners[i] == NULL || !t->listeners[i]->listening)
			continue;
		data = json_pack("{s:s,s:o,s:o}", "event", event, "order",
		    order_json(o), "timestamp", stamp(o->updated));
		if (fill) {
			json_object_set_new(data, "execution_id",
			    json_string(o->id));
			json_object_set_new(data, "price", dec(o->filled_avg));
			json_object_set_new(data, "qty", dec(o->filled_qty));
			json_object_set_new(data, "position_qty",
			    dec(p ? p->qty : 0));
		}
		conn_queue_json(t->listeners[i], 1, json_pack("{s:s,s:o}",
		    "stream", "trade_updates", "data", data));
	}
}

static void
fill(struct order *o)
{
	struct position *p = position(o->symbol, 1);
	double px = srv.opt.fill_price, q = o->qty;
	double signed_q = strcmp(o->side, "buy") == 0 ? q : -q;

	o->status = "filled";
	o->filled_qty = q;
	o->filled_avg = px;
	o->filled_at = o->updated = time(NULL);
	if (p->qty == 0 || (p->qty > 0) == (signed_q > 0))
		p->avg = (p->avg * fabs(p->qty) + px * q) / (fabs(p->qty) + q);
	p->qty += signed_q;
	if (p->qty == 0)
		p->avg = 0;
	state()->cash -= signed_q * px;
	broadcast(o, "fill", 1);
}

static int
marketable(const struct order *o)
{
	if (isnan(o->limit))
		return 1;
	return strcmp(o->side, "buy") == 0 ? o->limit >= srv.opt.fill_price :
	    o->limit <= srv.opt.fill_price;
}

/* A number given as a JSON number or a decimal string; NaN otherwise. */
static double
number(json_t *v)
{
	char *end;
	double x;

	if (json_is_number(v))
		return json_number_value(v);
	if (!json_is_string(v))
		return NAN;
	x = strtod(json_string_value(v), &end);
	return *end == '\0' && end != json_string_value(v) ? x : NAN;
}

static int
one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static const char *
validate(json_t *req, struct order *o)
{
	static const char *const sides[] = { "buy", "sell", NULL };
	static const char *const types[] = { "market", "limit", NULL };
	static const char *const tifs[] = { "day", "gtc", "opg", "cls", "ioc",
	    "fok", NULL };
	const char *sym = json_string_value(json_object_get(req, "symbol"));
	const char *side = json_string_value(json_object_get(req, "side"));
	const char *type = json_string_value(json_object_get(req, "type"));
	const char *tif = json_string_value(json_object_get(req,
	    "time_in_force"));

	if (sym == NULL || *sym == '\0')
		return "symbol is required";
	o->qty = number(json_object_get(req, "qty"));
	if (!(o->qty > 0))
		return "qty must be > 0";
	if (!one_of(side, sides))
		return "invalid side";
	if (!one_of(type, types))
		return "invalid order type (replayd: market or limit)";
	if (!one_of(tif, tifs))
		return "invalid time_in_force";
	o->limit = number(json_object_get(req, "limit_price"));
	if (strcmp(type, "limit") == 0 && !(o->limit > 0))
		return "limit_price is required for limit orders";
	if (strcmp(type, "market") == 0)
		o->limit = NAN;
	snprintf(o->side, sizeof o->side, "%s", side);
	snprintf(o->type, sizeof o->type, "%s", type);
	snprintf(o->tif, sizeof o->tif, "%s", tif);
	o->symbol = xstrdup(sym);
	return NULL;
}

static struct order *
find(const char *id, int by_client)
{
	struct trading *t = state();
	size_t i;

	for (i = 0; i < t->norders; i++)
		if (strcmp(by_client ? t->orders[i].client_id :
		    t->orders[i].id, id) == 0)
			return &t->orders[i];
	return NULL;
}

static int
reply(struct buf *resp, json_t *j, int status)
{
	json_buf(resp, j);
	json_decref(j);
	return status;
}

static int
submit(const char *body, struct buf *resp)
{
	struct trading *t = state();
	json_t *req = json_loads(body, 0, NULL);
	const char *cid = json_string_value(json_object_get(req,
	    "client_order_id"));
	struct order o, *p;
	const char *err;
	int st;

	memset(&o, 0, sizeof o);
	if (!json_is_object(req)) {
		json_decref(req);
		http_error(resp, &st, 40010000, "request body format is invalid");
		return st;
	}
	if (cid != NULL && find(cid, 1) != NULL)
		err = "client_order_id must be unique";
	else
		err = validate(req, &o);
	if (err != NULL) {
		free(o.symbol);
		json_decref(req);
		http_error(resp, &st, 42210000, err);
		return st;
	}
	snprintf(o.id, sizeof o.id, "61e69015-8549-4bfd-b9c3-%012zx",
	    t->norders + 1);
	o.client_id = xstrdup(cid != NULL ? cid : o.id);
	o.created = o.updated = time(NULL);
	o.filled_avg = NAN;
	o.status = marketable(&o) ? "accepted" : "new";
	json_decref(req);
	t->orders = xreallocarray(t->orders, t->norders + 1, sizeof o);
	p = &t->orders[t->norders++];
	*p = o;
	st = reply(resp, order_json(p), 200);
	if (strcmp(p->status, "accepted") == 0) {
		p->status = "new";
		broadcast(p, "new", 0);
		fill(p);
	} else if (strcmp(p->tif, "ioc") == 0 || strcmp(p->tif, "fok") == 0) {
		p->status = "canceled";
		p->canceled_at = p->updated;
		broadcast(p, "canceled", 0);
	} else {
		broadcast(p, "new", 0);
	}
	return st;
}

static int
is_open(const struct order *o)
{
	return strcmp(o->status, "new") == 0 ||
	    strcmp(o->status, "accepted") == 0;
}

static int
cancel(const char *id, struct buf *resp)
{
	struct order *o = find(id, 0);
	int st;

	if (o == NULL) {
		http_error(resp, &st, 40410000, "order not found");
		return st;
	}
	if (!is_open(o)) {
		http_error(resp, &st, 42210000, "order is not cancelable");
		return st;
	}
	o->status = "canceled";
	o->canceled_at = o->updated = time(NULL);
	broadcast(o, "canceled", 0);
	return 204;
}

static int
cancel_all(struct buf *resp)
{
	struct trading *t = state();
	json_t *a = json_array();
	size_t i;
	struct buf tmp = { 0 };

	for (i = 0; i < t->norders; i++) {
		if (!is_open(&t->orders[i]))
			continue;
		cancel(t->orders[i].id, &tmp);
		json_array_append_new(a, json_pack("{s:s,s:i}", "id",
		    t->orders[i].id, "status", 200));
	}
	buf_free(&tmp);
	return reply(resp, a, 207);
}

static int
list_orders(const char *query, struct buf *resp)
{
	struct trading *t = state();
	char st[16] = "open";
	json_t *a = json_array();
	size_t i;
	int open;

	query_arg(query, "status", st, sizeof st);
	for (i = t->norders; i-- > 0;) {
		open = is_open(&t->orders[i]);
		if ((strcmp(st, "open") == 0 && open) ||
		    (strcmp(st, "closed") == 0 && !open) ||
		    strcmp(st, "all") == 0)
			json_array_append_new(a, order_json(&t->orders[i]));
	}
	return reply(resp, a, 200);
}

static json_t *
position_json(const struct position *p)
{
	double px = srv.opt.fill_price, mv = p->qty * px;

	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o}",
	    "asset_id", "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415", "symbol",
	    p->symbol, "exchange", "NASDAQ", "asset_class", "us_equity",
	    "qty", dec(p->qty), "avg_entry_price", dec(p->avg), "side",
	    p->qty >= 0 ? "long" : "short", "market_value", dec(mv),
	    "cost_basis", dec(p->qty * p->avg), "unrealized_pl",
	    dec(mv - p->qty * p->avg), "current_price", dec(px),
	    "qty_available", dec(p->qty));
}

static int
positions(const char *symbol, struct buf *resp)
{
	struct trading *t = state();
	struct position *p;
	json_t *a;
	size_t i;
	int st;

	if (symbol != NULL) {
		if ((p = position(symbol, 0)) == NULL || p->qty == 0) {
			http_error(resp, &st, 40410000,
			    "position does not exist");
			return st;
		}
		return reply(resp, position_json(p), 200);
	}
	a = json_array();
	for (i = 0; i < t->npos; i++)
		if (t->pos[i].qty != 0)
			json_array_append_new(a, position_json(&t->pos[i]));
	return reply(resp, a, 200);
}

static int
account(struct buf *resp)
{
	struct trading *t = state();
	double lmv = 0, smv = 0, eq;
	size_t i;

	for (i = 0; i < t->npos; i++) {
		if (t->pos[i].qty > 0)
			lmv += t->pos[i].qty * srv.opt.fill_price;
		else
			smv += t->pos[i].qty * srv.opt.fill_price;
	}
	eq = t->cash + lmv + smv;
	return reply(resp, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:b,s:b}", "id", "904837e3-3b76-47ec-b432-046db621571b",
	    "account_number", "PA3REPLAYD", "status", "ACTIVE", "currency",
	    "USD", "cash", dec(t->cash), "portfolio_value", dec(eq), "equity",
	    dec(eq), "buying_power", dec(t->cash > 0 ? 2 * t->cash : 0),
	    "long_market_value", dec(lmv), "short_market_value", dec(smv),
	    "pattern_day_trader", 0, "trading_blocked", 0), 200);
}

static int
authorized(const struct conn *c)
{
	if (srv.opt.key == NULL)
		return 1;
	return strcmp(c->key_hdr, srv.opt.key) == 0 &&
	    (srv.opt.secret == NULL ||
	    strcmp(c->secret_hdr, srv.opt.secret) == 0);
}

static int
route(const char *m, const char *path, const char *query, const char *body,
    struct buf *resp)
{
	char id[128];
	int st;

	if (strcmp(path, "/v2/orders") == 0)
		return strcmp(m, "POST") == 0 ? submit(body, resp) :
		    strcmp(m, "DELETE") == 0 ? cancel_all(resp) :
		    list_orders(query, resp);
	if (strcmp(path, "/v2/orders:by_client_order_id") == 0) {
		const struct order *o = query_arg(query, "client_order_id", id,
		    sizeof id) ? find(id, 1) : NULL;

		if (o != NULL)
			return reply(resp, order_json(o), 200);
	} else if (strncmp(path, "/v2/orders/", 11) == 0) {
		if (strcmp(m, "DELETE") == 0)
			return cancel(path + 11, resp);
		if (find(path + 11, 0) != NULL)
			return reply(resp, order_json(find(path + 11, 0)), 200);
	} else if (strcmp(path, "/v2/positions") == 0) {
		return positions(NULL, resp);
	} else if (strncmp(path, "/v2/positions/", 14) == 0) {
		return positions(path + 14, resp);
	} else if (strcmp(path, "/v2/account") == 0) {
		return account(resp);
	} else {
		http_error(resp, &st, 40410000, "endpoint not found");
		return st;
	}
	http_error(resp, &st, 40410000, "order not found");
	return st;
}

static int
http(struct conn *c, const char *method, const char *path,
    const char *query, const char *body, struct buf *resp)
{
	if (!authorized(c)) {
		buf_adds(resp, "{\"message\":\"unauthorized\"}");
		return 401;
	}
	return route(method, path, query, body, resp);
}

static int
accept_path(const char *path)
{
	return strcmp(path, "/stream") == 0;
}

static void
ws_open(struct conn *c)
{
	struct trading *t = state();
	int i;

	for (i = 0; i < MAX_LISTENERS; i++) {
		if (t->listeners[i] == NULL) {
			t->listeners[i] = c;
			return;
		}
	}
	conn_close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
}

static void
ws_close(struct conn *c)
{
	struct trading *t = state();
	int i;

	for (i = 0; i < MAX_LISTENERS; i++)
		if (t->listeners[i] == c)
			t->listeners[i] = NULL;
}

static void
ws_auth(struct conn *c, const char *action, const char *key,
    const char *secret)
{
	int ok = (srv.opt.key == NULL || (key != NULL &&
	    strcmp(key, srv.opt.key) == 0)) && (srv.opt.secret == NULL ||
	    (secret != NULL && strcmp(secret, srv.opt.secret) == 0));

	c->authed = ok;
	conn_queue_json(c, 1, json_pack("{s:s,s:{s:s,s:s}}", "stream",
	    "authorization", "data", "status", ok ? "authorized" :
	    "unauthorized", "action", action));
	if (!ok)
		conn_close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
}

static void
ws_listen(struct conn *c, json_t *req)
{
	json_t *streams = json_object_get(json_object_get(req, "data"),
	    "streams"), *v, *out = json_array();
	size_t i;

	c->listening = 0;
	json_array_foreach(streams, i, v) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "trade_updates") == 0) {
			c->listening = 1;
			json_array_append_new(out, json_string("trade_updates"));
		}
	}
	conn_queue_json(c, 1, json_pack("{s:s,s:{s:o}}", "stream", "listening",
	    "data", "streams", out));
}

static void
ws_recv(struct conn *c, const char *msg, size_t len)
{
	json_t *req = json_loadb(msg, len, 0, NULL);
	json_t *data = json_object_get(req, "data");
	const char *action = json_string_value(json_object_get(req, "action"));

	if (c->close_after_queue) {
		/* closing: ignore */
	} else if (action != NULL && strcmp(action, "authenticate") == 0) {
		ws_auth(c, action, json_string_value(json_object_get(data,
		    "key_id")), json_string_value(json_object_get(data,
		    "secret_key")));
	} else if (action != NULL && strcmp(action, "auth") == 0) {
		ws_auth(c, action, json_string_value(json_object_get(req,
		    "key")), json_string_value(json_object_get(req, "secret")));
	} else if (action != NULL && strcmp(action, "listen") == 0 &&
	    c->authed) {
		ws_listen(c, req);
	} else {
		conn_queue_json(c, 1, json_pack("{s:s,s:{s:s}}", "stream",
		    "error", "data", "error_message", c->authed ?
		    "invalid request" : "access key verification failed"));
	}
	json_decref(req);
}

const struct provider_ops alpaca_trading_ops = {
	.name = "alpaca-trading",
	.ws = 1,
	.accept_path = accept_path,
	.ws_open = ws_open,
	.ws_close = ws_close,
	.ws_recv = ws_recv,
	.http = http,
};
