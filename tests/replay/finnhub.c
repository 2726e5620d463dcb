/* Finnhub trades: /?token=T, {"type":"subscribe","symbol":S}, trade
 * batches filtered to the subscribed symbols, and {"type":"ping"}.
 * Fixture lines are server messages. */
#include "replayd.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* 2026-11-02T14:30:00Z in ms: the synthetic stream's first trade. */
#define SYNTH_T0 1793629800000LL
#define SYNTH_PING_EVERY 100

static int
accept_path(const char *path)
{
	(void)path;
	return 1;
}

static void
ws_open(struct conn *c)
{
	char tok[256];

	if (srv.opt.token == NULL)
		return;
	if (query_arg(c->query, "token", tok, sizeof tok) == NULL ||
	    strcmp(tok, srv.opt.token) != 0) {
		conn_queues(c, "{\"type\":\"error\",\"msg\":\"Invalid API key\"}");
		conn_close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
	}
}

static void
ws_recv(struct conn *c, const char *msg, size_t len)
{
	json_t *req = json_loadb(msg, len, 0, NULL);
	const char *type = json_string_value(json_object_get(req, "type"));
	const char *sym = json_string_value(json_object_get(req, "symbol"));

	if (c->close_after_queue)
		goto out;
	if (type == NULL || sym == NULL || (strcmp(type, "subscribe") != 0 &&
	    strcmp(type, "unsubscribe") != 0)) {
		conn_queues(c, "{\"type\":\"error\",\"msg\":\"Invalid message\"}");
		goto out;
	}
	if (strcmp(type, "subscribe") == 0)
		strset_add(&c->subs, sym);
	else
		strset_del(&c->subs, sym);
	if (c->subs.n > 0)
		conn_start_stream(c);
	else
		c->streaming = 0;
out:
	json_decref(req);
}

static unsigned long long
mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Message I: a ping every SYNTH_PING_EVERY messages, otherwise 1-4 trades
 * spread over the subscribed symbols, one in ten a v=0 price update. */
static int
render_synthetic(struct conn *c, long i, struct buf *out)
{
	unsigned long long h = mix((unsigned long long)i);
	int n = 1 + (int)(h % 4), j;
	double p;

	if (i % SYNTH_PING_EVERY == SYNTH_PING_EVERY - 1) {
		buf_adds(out, "{\"type\":\"ping\"}");
		return 1;
	}
	p = synth_price(i) * 2;
	buf_adds(out, "{\"type\":\"trade\",\"data\":[");
	for (j = 0; j < n; j++) {
		h = mix(h);
		buf_printf(out, "%s{\"s\":\"%s\",\"p\":%.2f,\"t\":%lld,"
		    "\"v\":%d,\"c\":[\"1\"]}", j ? "," : "",
		    c->subs.v[(size_t)(i + j) % c->subs.n],
		    p + (double)(h % 21) / 100 - 0.1,
		    SYNTH_T0 + (long long)i * 10 + j,
		    h % 10 == 0 ? 0 : 1 + (int)(h % 100));
	}
	buf_adds(out, "]}");
	return 1;
}

/* A copy of trade message J keeping only subscribed symbols, times shifted
 * by BY ms; NULL when nothing is left. */
static json_t *
filtered(struct conn *c, json_t *j, long long by)
{
	json_t *data = json_array(), *t, *e;
	size_t k;
	const char *s;

	json_array_foreach(json_object_get(j, "data"), k, e) {
		s = json_string_value(json_object_get(e, "s"));
		if (s == NULL || !strset_has(&c->subs, s))
			continue;
		t = json_deep_copy(e);
		json_object_set_new(t, "t", json_integer(
		    json_integer_value(json_object_get(e, "t")) + by));
		json_array_append_new(data, t);
	}
	if (json_array_size(data) == 0) {
		json_decref(data);
		return NULL;
	}
	return json_pack("{s:s,s:o}", "type", "trade", "data", data);
}

static int
all_subscribed(struct conn *c, json_t *j)
{
	json_t *e;
	size_t k;
	const char *s;

	json_array_foreach(json_object_get(j, "data"), k, e) {
		s = json_string_value(json_object_get(e, "s"));
		if (s == NULL || !strset_has(&c->subs, s))
			return 0;
	}
	return 1;
}

static int
render(struct conn *c, long i, struct buf *out)
{
	const struct line *l;
	long rep;
	const char *type;
	json_t *f;

	if (srv.opt.synthetic > 0)
		return c->subs.n > 0 ? render_synthetic(c, i, out) : 0;
	l = &srv.lines[i % (long)srv.nlines];
	rep = i / (long)srv.nlines;
	type = json_string_value(json_object_get(l->json, "type"));
	if (type == NULL || strcmp(type, "trade") != 0 ||
	    (rep == 0 && all_subscribed(c, l->json))) {
		buf_add(out, l->raw, l->len);
		return 1;
	}
	if ((f = filtered(c, l->json, srv.span * rep)) == NULL)
		return 0;
	json_buf(out, f);
	json_decref(f);
	return 1;
}

/* The --repeat shift: whole minutes from the first trade's minute to the
 * end of the last trade's minute. */
static void
prepare(void)
{
	long long lo = -1, hi = -1, t;
	size_t i, k;
	json_t *e;

	for (i = 0; i < srv.nlines; i++) {
		json_array_foreach(json_object_get(srv.lines[i].json, "data"),
		    k, e) {
			t = json_integer_value(json_object_get(e, "t"));
			if (lo < 0 || t < lo)
				lo = t;
			if (t > hi)
				hi = t;
		}
	}
	srv.span = lo < 0 ? 0 : (hi / 60000 + 1) * 60000 - lo / 60000 * 60000;
}

const struct provider_ops finnhub_ops = {
	.name = "finnhub",
	.ws = 1,
	.accept_path = accept_path,
	.prepare = prepare,
	.ws_open = ws_open,
	.ws_recv = ws_recv,
	.render = render,
};
