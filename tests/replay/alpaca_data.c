/* Alpaca market data v2 stream: connected / auth / subscription
 * handshake, the 404 auth timeout and the 406 one-connection rule, then
 * the fixture's arrays of bars ("b") and trades ("t") filtered to the
 * subscription.  JSON text frames, or MessagePack when the upgrade says
 * "Content-Type: application/msgpack" (alpaca-py, the Go SDK): then every
 * frame the server sends is binary MessagePack with times as timestamp
 * extensions, and client messages are read as MessagePack whatever their
 * frame type. */
#include "replayd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const lists[] = {
	"trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses",
	"lulds", NULL
};

static int
accept_path(const char *path)
{
	(void)path;
	return 1;
}

/* Queues J in the connection's format and drops the reference. */
static void
reply(struct conn *c, json_t *j)
{
	struct buf b = { 0 };

	if (!c->msgpack) {
		conn_queue_json(c, 0, j);
		return;
	}
	mpack_buf(&b, j);
	conn_queue(c, 1, buf_data(&b), b.len);
	buf_free(&b);
	json_decref(j);
}

static void
fail(struct conn *c, int code, const char *msg, int close)
{
	reply(c, json_pack("[{s:s,s:i,s:s}]", "T", "error", "code", code,
	    "msg", msg));
	if (close)
		conn_close_after(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
}

static int
creds_ok(const char *key, const char *secret)
{
	if (srv.opt.key != NULL &&
	    (key == NULL || strcmp(key, srv.opt.key) != 0))
		return 0;
	if (srv.opt.secret != NULL &&
	    (secret == NULL || strcmp(secret, srv.opt.secret) != 0))
		return 0;
	return 1;
}

static void
authenticate(struct conn *c, const char *key, const char *secret)
{
	if (c->authed) {
		fail(c, 403, "already authenticated", 0);
		return;
	}
	if (!creds_ok(key, secret)) {
		fail(c, 402, "auth failed", 1);
		return;
	}
	c->authed = 1;
	lws_sul_cancel(&c->sul_auth);
	reply(c, json_pack("[{s:s,s:s}]", "T", "success", "msg",
	    "authenticated"));
}

static void
auth_timeout(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_auth);

	if (!c->authed && !c->close_after_queue)
		fail(c, 404, "auth timeout", 1);
}

/* Did the upgrade ask for MessagePack? */
static int
wants_msgpack(struct conn *c)
{
	char ct[128];

	return lws_hdr_copy(c->wsi, ct, sizeof ct,
	    WSI_TOKEN_HTTP_CONTENT_TYPE) > 0 &&
	    strncasecmp(ct, "application/msgpack", 19) == 0;
}

static void
ws_open(struct conn *c)
{
	c->msgpack = wants_msgpack(c);
	if (srv.alpaca_active != NULL) {
		fail(c, 406, "connection limit exceeded", 1);
		return;
	}
	srv.alpaca_active = c;
	reply(c, json_pack("[{s:s,s:s}]", "T", "success", "msg",
	    "connected"));
	if (c->key_hdr[0] != '\0') {
		authenticate(c, c->key_hdr, c->secret_hdr);
		return;
	}
	if (srv.opt.auth_timeout_ms > 0)
		lws_sul_schedule(srv.ctx, 0, &c->sul_auth, auth_timeout,
		    (lws_usec_t)srv.opt.auth_timeout_ms * 1000);
}

static void
ws_close(struct conn *c)
{
	if (srv.alpaca_active == c)
		srv.alpaca_active = NULL;
}

/* Only trades, quotes and bars are kept; the other lists are accepted and
 * echoed empty. */
static struct strset *
list_of(struct conn *c, const char *name)
{
	if (strcmp(name, "trades") == 0)
		return &c->trades;
	if (strcmp(name, "quotes") == 0)
		return &c->quotes;
	if (strcmp(name, "bars") == 0)
		return &c->bars;
	return NULL;
}

static void
subscription(struct conn *c)
{
	json_t *j = json_object();
	struct strset *s;
	int i;

	json_object_set_new(j, "T", json_string("subscription"));
	for (i = 0; lists[i] != NULL; i++) {
		s = list_of(c, lists[i]);
		json_object_set_new(j, lists[i], s ? strset_json(s) :
		    json_array());
	}
	json_object_set_new(j, "corrections", strset_json(&c->trades));
	json_object_set_new(j, "cancelErrors", strset_json(&c->trades));
	reply(c, json_pack("[o]", j));
}

static void
subscribe(struct conn *c, json_t *req, int add)
{
	struct strset *s;
	json_t *v;
	int i;

	if (!c->authed) {
		fail(c, 401, "not authenticated", 0);
		return;
	}
	for (i = 0; lists[i] != NULL; i++) {
		v = json_object_get(req, lists[i]);
		if (v == NULL)
			continue;
		s = list_of(c, lists[i]);
		if (s != NULL && json_strings(v, s, add) != 0) {
			fail(c, 400, "invalid syntax", 0);
			return;
		}
	}
	subscription(c);
	if (c->bars.n + c->trades.n > 0)
		conn_start_stream(c);
	else
		c->streaming = 0;
}

static void
ws_recv(struct conn *c, const char *msg, size_t len)
{
	json_t *req = c->msgpack ? mpack_load(msg, len) :
	    json_loadb(msg, len, 0, NULL);
	const char *action = json_string_value(json_object_get(req, "action"));

	if (c->close_after_queue)
		;
	else if (action == NULL)
		fail(c, 400, "invalid syntax", 0);
	else if (strcmp(action, "auth") == 0)
		authenticate(c, json_string_value(json_object_get(req, "key")),
		    json_string_value(json_object_get(req, "secret")));
	else if (strcmp(action, "subscribe") == 0)
		subscribe(c, req, 1);
	else if (strcmp(action, "unsubscribe") == 0)
		subscribe(c, req, 0);
	else
		fail(c, 400, "invalid syntax", 0);
	json_decref(req);
}

static int
wanted(struct conn *c, json_t *e)
{
	const char *t = json_string_value(json_object_get(e, "T"));
	const char *s = json_string_value(json_object_get(e, "S"));
	const struct strset *set;

	if (t == NULL || s == NULL)
		return 1;
	set = strcmp(t, "b") == 0 ? &c->bars : strcmp(t, "t") == 0 ?
	    &c->trades : NULL;
	return set != NULL && (strset_has(set, s) || strset_has(set, "*"));
}

/* Moves the RFC-3339 time of E (any fraction kept) BY seconds later. */
static void
shift_time(json_t *e, long long by)
{
	const char *t = json_string_value(json_object_get(e, "t"));
	char head[24], out[64];
	long long s;

	if (t == NULL || strlen(t) < 20)
		return;
	memcpy(head, t, 19);
	head[19] = '\0';
	if (parse_rfc3339(head[10] == 'T' ? strcat(head, "Z") : head, &s))
		return;
	fmt_rfc3339(out, sizeof out, s + by);
	snprintf(out + 19, sizeof out - 19, "%s", t + 19);
	json_object_set_new(e, "t", json_string(out));
}

static int
render(struct conn *c, long i, struct buf *out)
{
	const struct line *l = &srv.lines[i % (long)srv.nlines];
	long rep = i / (long)srv.nlines;
	json_t *a, *e;
	size_t k, kept = 0;

	json_array_foreach(l->json, k, e)
		kept += wanted(c, e);
	if (kept == 0)
		return 0;
	if (rep == 0 && kept == json_array_size(l->json)) {
		if (c->msgpack)
			mpack_buf(out, l->json);
		else
			buf_add(out, l->raw, l->len);
		return 1;
	}
	a = json_array();
	json_array_foreach(l->json, k, e) {
		if (!wanted(c, e))
			continue;
		e = json_deep_copy(e);
		if (rep > 0)
			shift_time(e, srv.span * rep);
		json_array_append_new(a, e);
	}
	if (c->msgpack)
		mpack_buf(out, a);
	else
		json_buf(out, a);
	json_decref(a);
	return 1;
}

/* The --repeat shift: first bar to one minute after the last bar. */
static void
prepare(void)
{
	long long lo = -1, hi = -1, t;
	size_t i, k;
	json_t *e;
	const char *ty;

	for (i = 0; i < srv.nlines; i++) {
		json_array_foreach(srv.lines[i].json, k, e) {
			ty = json_string_value(json_object_get(e, "T"));
			if (ty == NULL || strcmp(ty, "b") != 0 ||
			    parse_rfc3339(json_string_value(json_object_get(e,
			    "t")), &t) != 0)
				continue;
			if (lo < 0 || t < lo)
				lo = t;
			if (t > hi)
				hi = t;
		}
	}
	srv.span = lo < 0 ? 0 : hi + 60 - lo;
}

const struct provider_ops alpaca_data_ops = {
	.name = "alpaca-data",
	.ws = 1,
	.accept_path = accept_path,
	.prepare = prepare,
	.ws_open = ws_open,
	.ws_close = ws_close,
	.ws_recv = ws_recv,
	.render = render,
};
