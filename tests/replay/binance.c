/* Binance spot kline streams: raw /ws/<stream> and combined
 * /stream?streams=a/b, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS,
 * and server pings.  Fixture lines are kline payload objects. */
#include "replayd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* 2026-11-02T00:00:00Z in ms: the synthetic stream's first kline. */
#define SYNTH_T0 1793577600000LL

static int
accept_path(const char *path)
{
	return strcmp(path, "/ws") == 0 || strncmp(path, "/ws/", 4) == 0 ||
	    strcmp(path, "/stream") == 0;
}

/* Adds the '/'-separated stream names of LIST to the connection. */
static void
add_streams(struct conn *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *s;

	for (s = strtok_r(copy, "/", &save); s != NULL;
	    s = strtok_r(NULL, "/", &save))
		strset_add(&c->subs, s);
	free(copy);
}

static void
ws_open(struct conn *c)
{
	char v[2048];

	if (strcmp(c->path, "/stream") == 0) {
		c->combined = 1;
		if (query_arg(c->query, "streams", v, sizeof v) != NULL)
			add_streams(c, v);
	} else if (strncmp(c->path, "/ws/", 4) == 0) {
		add_streams(c, c->path + 4);
	}
	if (c->subs.n > 0)
		conn_start_stream(c);
}

static void
reply(struct conn *c, json_t *id, json_t *result)
{
	conn_queue_json(c, 0, json_pack("{s:o,s:O}", "result", result, "id",
	    id ? id : json_null()));
}

static void
error(struct conn *c, int code, const char *msg, json_t *id)
{
	json_t *j = json_pack("{s:i,s:s}", "code", code, "msg", msg);

	if (id != NULL)
		json_object_set(j, "id", id);
	conn_queue_json(c, 0, j);
}

static void
method(struct conn *c, json_t *req)
{
	const char *m = json_string_value(json_object_get(req, "method"));
	json_t *id = json_object_get(req, "id");
	json_t *params = json_object_get(req, "params");
	int sub;

	if (m == NULL) {
		error(c, 2, "Invalid request: missing method", id);
		return;
	}
	if (strcmp(m, "LIST_SUBSCRIPTIONS") == 0) {
		reply(c, id, strset_json(&c->subs));
		return;
	}
	sub = strcmp(m, "SUBSCRIBE") == 0;
	if (!sub && strcmp(m, "UNSUBSCRIBE") != 0) {
		error(c, 2, "Invalid request: unknown method", id);
		return;
	}
	if (json_strings(params, &c->subs, sub) != 0) {
		error(c, 2, "Invalid request: params must be stream names",
		    id);
		return;
	}
	reply(c, id, json_null());
	if (c->subs.n > 0)
		conn_start_stream(c);
	else
		c->streaming = 0;
}

static void
ws_recv(struct conn *c, const char *msg, size_t len)
{
	json_error_t err;
	json_t *req = json_loadb(msg, len, 0, &err);
	char *text;

	if (req == NULL) {
		text = xasprintf("Invalid JSON: %s", err.text);
		error(c, 3, text, NULL);
		free(text);
		return;
	}
	if (json_is_object(req))
		method(c, req);
	else
		error(c, 2, "Invalid request: not an object", NULL);
	json_decref(req);
}

/* One synthetic kline update: message I cycles through the subscribed
 * streams, three updates per kline (two in progress, then closed). */
static int
render_synthetic(struct conn *c, long i, struct buf *out)
{
	long per = 3 * (long)c->subs.n, m = i / per, r = i % per;
	int phase = (int)(r % 3);
	const char *stream = c->subs.v[r / 3];
	const char *at = strstr(stream, "@kline_");
	double o = synth_price(3 * m) * 300, cl = synth_price(3 * m + phase) *
	    300;
	long long t = SYNTH_T0 + m * 60000;
	char sym[32];
	size_t k, n;

	if (at == NULL)
		return 0;
	n = (size_t)(at - stream) < sizeof sym - 1 ? (size_t)(at - stream) :
	    sizeof sym - 1;
	for (k = 0; k < n; k++)
		sym[k] = (char)toupper((unsigned char)stream[k]);
	sym[n] = '\0';
	if (c->combined)
		buf_printf(out, "{\"stream\":\"%s\",\"data\":", stream);
	buf_printf(out, "{\"e\":\"kline\",\"E\":%lld,\"s\":\"%s\",\"k\":{"
	    "\"t\":%lld,\"T\":%lld,\"s\":\"%s\",\"i\":\"%s\",\"f\":%ld,"
	    "\"L\":%ld,\"o\":\"%.2f\",\"c\":\"%.2f\",\"h\":\"%.2f\","
	    "\"l\":\"%.2f\",\"v\":\"%.5f\",\"n\":%d,\"x\":%s,\"q\":\"%.2f\","
	    "\"V\":\"0\",\"Q\":\"0\",\"B\":\"0\"}}", t + 20000 * (phase + 1) -
	    (phase == 2 ? 1 : 0), sym, t, t + 59999, sym, at + 7, m * 10,
	    m * 10 + 9, o, cl, (o > cl ? o : cl) + 0.5,
	    (o < cl ? o : cl) - 0.5, 1.5 * (phase + 1), 3 * (phase + 1),
	    phase == 2 ? "true" : "false", cl * 1.5 * (phase + 1));
	if (c->combined)
		buf_adds(out, "}");
	return 1;
}

static void
shift(json_t *o, const char *key, long long by)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		json_object_set_new(o, key,
		    json_integer(json_integer_value(v) + by));
}

static int
render(struct conn *c, long i, struct buf *out)
{
	const struct line *l;
	long rep;
	json_t *j;

	if (srv.opt.synthetic > 0)
		return c->subs.n > 0 ? render_synthetic(c, i, out) : 0;
	l = &srv.lines[i % (long)srv.nlines];
	rep = i / (long)srv.nlines;
	if (l->stream == NULL || !strset_has(&c->subs, l->stream))
		return 0;
	if (c->combined)
		buf_printf(out, "{\"stream\":\"%s\",\"data\":", l->stream);
	if (rep == 0) {
		buf_add(out, l->raw, l->len);
	} else {
		j = json_deep_copy(l->json);
		shift(j, "E", srv.span * rep);
		shift(json_object_get(j, "k"), "t", srv.span * rep);
		shift(json_object_get(j, "k"), "T", srv.span * rep);
		json_buf(out, j);
		json_decref(j);
	}
	if (c->combined)
		buf_adds(out, "}");
	return 1;
}

/* Names each fixture line's stream and measures the --repeat shift: the
 * time from the first kline's open to the last kline's close. */
static void
prepare(void)
{
	long long first = 0, last = 0, t;
	size_t i, k;
	json_t *kl;
	const char *s, *iv;
	char *name;

	for (i = 0; i < srv.nlines; i++) {
		kl = json_object_get(srv.lines[i].json, "k");
		s = json_string_value(json_object_get(srv.lines[i].json, "s"));
		iv = json_string_value(json_object_get(kl, "i"));
		if (s == NULL || iv == NULL)
			continue;
		name = xasprintf("%s@kline_%s", s, iv);
		for (k = 0; name[k] != '@'; k++)
			name[k] = (char)tolower((unsigned char)name[k]);
		srv.lines[i].stream = name;
		t = json_integer_value(json_object_get(kl, "t"));
		if (first == 0 || t < first)
			first = t;
		t = json_integer_value(json_object_get(kl, "T")) + 1;
		if (t > last)
			last = t;
	}
	srv.span = last - first;
}

const struct provider_ops binance_ops = {
	.name = "binance",
	.ws = 1,
	.accept_path = accept_path,
	.prepare = prepare,
	.ws_open = ws_open,
	.ws_recv = ws_recv,
	.render = render,
};
