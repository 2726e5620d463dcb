/*
 * Binance spot klines: a WebSocket stream of kline events and REST
 * history from /api/v3/klines (wire-formats.md section 7).  Public data,
 * no authentication.
 *
 * Symbols: map_symbol() lower-cases ("BTCUSDT" -> "btcusdt") for stream
 * names; REST requests use upper case; every bar is reported with the
 * upper-case symbol Binance sends in k.s ("BTCUSDT").  history_done()
 * gets the symbol as history() got it.
 *
 * Subscriptions: stream_path() names every symbol it is given, so those
 * are subscribed by the connection itself and subscribe() is a no-op for
 * them; any other symbol gets a SUBSCRIBE message (Binance allows five
 * incoming messages a second, so symbols known at connect time belong in
 * the path).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "util.h"

#define PAGE_LIMIT 1000		/* rows per /api/v3/klines request (max) */
#define NS_PER_MS INT64_C(1000000)
#define STREAM_MAX 96		/* "<symbol>@kline_<interval>" + 1 */

struct binance {
	struct util_job *jobs;	/* history requests in flight */
	char **path_streams;	/* stream names of the last stream_path() */
	size_t npath;
	int64_t next_id;	/* SUBSCRIBE request ids */
};

/* The host's granularities are Binance's interval names; the milliseconds
 * of each bound a history request. */
static const struct util_pair intervals[] = {
	{ "1s", "1000" }, { "1m", "60000" }, { "5m", "300000" },
	{ "15m", "900000" }, { "30m", "1800000" }, { "1h", "3600000" },
	{ "4h", "14400000" }, { "1d", "86400000" }, { NULL, NULL }
};

static void
free_path(struct binance *b)
{
	size_t i;

	for (i = 0; i < b->npath; i++)
		free(b->path_streams[i]);
	free(b->path_streams);
	b->path_streams = NULL;
	b->npath = 0;
}

static enum th_status
binance_open(th_conn *cx, void **state)
{
	struct binance *b = calloc(1, sizeof *b);

	(void)cx;
	if (b == NULL)
		return TH_ERR_INVALID;
	*state = b;
	return TH_OK;
}

static void
binance_close(th_conn *cx, void *state)
{
	struct binance *b = state;

	(void)cx;
	if (b == NULL)
		return;
	util_job_free_all(&b->jobs);
	free_path(b);
	free(b);
}

static enum th_status
binance_map_symbol(th_conn *cx, void *state, const char *symbol, char *out,
    size_t size)
{
	(void)cx;
	(void)state;
	return util_symbol(symbol, out, size, 1) < 0 ? TH_ERR_INVALID : TH_OK;
}

/* "<lower-case symbol>@kline_<interval>" into out[STREAM_MAX]. */
static int
stream_name(const char *symbol, const char *granularity, char *out)
{
	char sym[UTIL_SYMBOL_MAX];

	if (util_map(intervals, granularity) == NULL ||
	    util_symbol(symbol, sym, sizeof sym, 1) < 0)
		return -1;
	return util_fmt(out, STREAM_MAX, "%s@kline_%s", sym, granularity);
}

/* Appends s to out (of size bytes, holding *len), -1 when it is full. */
static int
append(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= size)
		return -1;
	memcpy(out + *len, s, n + 1);
	*len += n;
	return 0;
}

/* Remembers the streams a path subscribes, for subscribe(). */
static enum th_status
keep_path(struct binance *b, char names[][STREAM_MAX], size_t n)
{
	size_t i;

	free_path(b);
	if (n == 0)
		return TH_OK;
	if ((b->path_streams = calloc(n, sizeof *b->path_streams)) == NULL)
		return TH_ERR_INVALID;
	for (i = 0; i < n; i++) {
		if ((b->path_streams[i] = strdup(names[i])) == NULL)
			return TH_ERR_INVALID;
		b->npath++;
	}
	return TH_OK;
}

static enum th_status
binance_stream_path(th_conn *cx, void *state, const char *const *symbols,
    size_t n, const char *granularity, char *out, size_t size)
{
	char (*names)[STREAM_MAX];
	enum th_status st = TH_ERR_INVALID;
	size_t i, len = 0;

	if ((names = calloc(n + 1, sizeof *names)) == NULL)
		return TH_ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (stream_name(symbols[i], granularity, names[i]) < 0) {
			cx->api->log(cx, TH_LOG_ERROR, "no kline stream for "
			    "symbol '%s' at granularity '%s'", symbols[i],
			    granularity != NULL ? granularity : "(none)");
			goto out;
		}
	}
	if (append(out, size, &len, n == 1 ? "/ws/" :
	    n == 0 ? "/ws" : "/stream?streams=") < 0)
		goto out;
	for (i = 0; i < n; i++)
		if ((i > 0 && append(out, size, &len, "/") < 0) ||
		    append(out, size, &len, names[i]) < 0)
			goto out;
	st = keep_path(state, names, n);
out:
	free(names);
	return st;
}

static enum th_status
binance_on_open(th_conn *cx, void *state)
{
	(void)state;
	cx->api->ready(cx);
	return TH_OK;
}

static enum th_status
binance_subscribe(th_conn *cx, void *state, const char *symbol,
    const char *granularity)
{
	struct binance *b = state;
	char name[STREAM_MAX];
	size_t i;

	if (stream_name(symbol, granularity, name) < 0)
		return TH_ERR_INVALID;
	for (i = 0; i < b->npath; i++)
		if (strcmp(b->path_streams[i], name) == 0)
			return TH_OK;
	return util_send_json(cx, json_pack("{s:s, s:[s], s:I}",
	    "method", "SUBSCRIBE", "params", name, "id",
	    (json_int_t)++b->next_id));
}

/* One kline event (the payload, unwrapped). */
static enum th_status
kline(th_conn *cx, const json_t *ev)
{
	const json_t *k = json_object_get(ev, "k");
	struct th_bar bar = { 0 };
	const json_t *x = json_object_get(k, "x");
	int64_t t;

	bar.struct_size = sizeof bar;
	bar.symbol = util_string(k, "s");
	if (bar.symbol == NULL || !json_is_boolean(x) ||
	    util_int(json_object_get(k, "t"), &t) < 0 ||
	    util_number(json_object_get(k, "o"), &bar.open) < 0 ||
	    util_number(json_object_get(k, "h"), &bar.high) < 0 ||
	    util_number(json_object_get(k, "l"), &bar.low) < 0 ||
	    util_number(json_object_get(k, "c"), &bar.close) < 0 ||
	    util_number(json_object_get(k, "v"), &bar.volume) < 0)
		return TH_ERR_INVALID;
	bar.time = t * NS_PER_MS;
	bar.closed = json_is_true(x);
	cx->api->bar(cx, &bar);
	return TH_OK;
}

/* An event object ("e" set): klines, serverShutdown, anything else. */
static enum th_status
event(th_conn *cx, const json_t *ev)
{
	const char *e = util_string(ev, "e");

	if (strcmp(e, "kline") == 0)
		return kline(cx, ev);
	if (strcmp(e, "serverShutdown") == 0)
		cx->api->log(cx, TH_LOG_INFO, "server shutdown announced; "
		    "the connection will close");
	else
		cx->api->log(cx, TH_LOG_DEBUG, "ignored event '%s'", e);
	return TH_OK;
}

/* A reply to SUBSCRIBE and friends: {"result":...,"id":N} or an error
 * {"code":N,"msg":"..."} / {"error":{"code":N,"msg":"..."},"id":N}. */
static enum th_status
reply(th_conn *cx, const json_t *msg)
{
	const json_t *id = json_object_get(msg, "id");
	const char *text = util_error_text(msg);

	if (text != NULL) {
		cx->api->log(cx, TH_LOG_ERROR, "error from Binance: %s", text);
		return TH_OK;
	}
	if (json_object_get(msg, "result") != NULL && json_is_integer(id)) {
		cx->api->log(cx, TH_LOG_DEBUG, "request %" JSON_INTEGER_FORMAT
		    " acknowledged", json_integer_value(id));
		return TH_OK;
	}
	return TH_ERR_INVALID;
}

/*
 * The hot path.  Nearly every stream message is a kline event of one
 * shape; parsing it into a jansson tree costs a dozen allocations and
 * most of the connector's time.  fast_kline() reads that shape in one
 * pass, in place, and reports the bar itself; it declines (returns 0)
 * anything it does not fully understand, and the jansson path below then
 * handles the message as before, so the outcome is the same either way.
 * It accepts only syntactically valid JSON whose strings are printable
 * ASCII without escapes, whose numbers are integers of at most 18 digits,
 * with no array, objects nested at most three deep, and each captured key
 * once; and decimal strings it converts exactly as strtod() does (at most
 * 19 significant digits making no more than 2^53, and at most 22
 * decimals: one correctly rounded division).
 */

/* The value of one captured key: its text (a string's without quotes). */
struct fk_val {
	const char *p;
	size_t n;
	char type;		/* 's' string, 'i' integer, 'o' object, 't'
				 * true, 'f' false, 'z' null; 0 = absent */
	char dup;		/* the key appeared again */
};

struct fk_obj;

/* A key to capture, and how to read its value when it is an object. */
struct fk_key {
	const char *name;
	size_t len;
	const struct fk_obj *child;	/* NULL: the object is skipped */
};

/* What to capture in one object: KEYS[i]'s value goes to out[base + i]. */
struct fk_obj {
	const struct fk_key *keys;
	size_t nkeys, base;
};

struct fk_scan {
	const char *p, *end;
	int depth;
	struct fk_val *out;
};

/* Bytes a plain string may hold: printable ASCII but '"' and '\\'. */
static const unsigned char fk_plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static void
fk_ws(struct fk_scan *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

/* A plain string at c->p into *v; -1 for anything else. */
static int
fk_string(struct fk_scan *c, struct fk_val *v)
{
	const char *q;

	if (c->p == c->end || *c->p != '"')
		return -1;
	for (q = ++c->p; q < c->end && fk_plain[(unsigned char)*q]; q++)
		;
	if (q == c->end || *q != '"')
		return -1;
	v->p = c->p;
	v->n = (size_t)(q - c->p);
	v->type = 's';
	c->p = q + 1;
	return 0;
}

/* An integer: -?(0|[1-9][0-9]*), at most 18 digits, not followed by a
 * fraction or an exponent. */
static int
fk_integer(struct fk_scan *c, struct fk_val *v)
{
	const char *q = c->p, *d;

	if (q < c->end && *q == '-')
		q++;
	for (d = q; q < c->end && *q >= '0' && *q <= '9'; q++)
		;
	if (q == d || q - d > 18 || (*d == '0' && q - d > 1) ||
	    (q < c->end && (*q == '.' || *q == 'e' || *q == 'E')))
		return -1;
	v->p = c->p;
	v->n = (size_t)(q - c->p);
	v->type = 'i';
	c->p = q;
	return 0;
}

static int
fk_literal(struct fk_scan *c, struct fk_val *v, const char *word, char type)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return -1;
	v->p = c->p;
	v->n = n;
	v->type = type;
	c->p += n;
	return 0;
}

static int fk_object(struct fk_scan *c, const struct fk_obj *o);

/* Any value but an array; an object is read by SPEC (may be NULL). */
static int
fk_value(struct fk_scan *c, struct fk_val *v, const struct fk_obj *spec)
{
	const char *start = c->p;

	if (c->p == c->end)
		return -1;
	switch (*c->p) {
	case '"': return fk_string(c, v);
	case 't': return fk_literal(c, v, "true", 't');
	case 'f': return fk_literal(c, v, "false", 'f');
	case 'n': return fk_literal(c, v, "null", 'z');
	case '{':
		if (c->depth == 3 || fk_object(c, spec) < 0)
			return -1;
		v->p = start;
		v->n = (size_t)(c->p - start);
		v->type = 'o';
		return 0;
	default: return fk_integer(c, v);
	}
}

/* One "key": value, capturing the value when O names the key. */
static int
fk_member(struct fk_scan *c, const struct fk_obj *o)
{
	const struct fk_key *k = NULL;
	struct fk_val key, v = { 0 };
	size_t i;

	if (fk_string(c, &key) < 0)
		return -1;
	for (i = 0; o != NULL && i < o->nkeys; i++)
		if (o->keys[i].len == key.n && *o->keys[i].name == *key.p &&
		    (key.n == 1 || memcmp(o->keys[i].name, key.p, key.n) ==
		    0)) {
			k = &o->keys[i];
			break;
		}
	fk_ws(c);
	if (c->p == c->end || *c->p++ != ':')
		return -1;
	fk_ws(c);
	if (fk_value(c, &v, k != NULL ? k->child : NULL) < 0)
		return -1;
	if (k != NULL) {
		v.dup = c->out[o->base + i].type != 0;
		c->out[o->base + i] = v;
	}
	fk_ws(c);
	return 0;
}

static int
fk_object(struct fk_scan *c, const struct fk_obj *o)
{
	c->depth++;
	c->p++;		/* '{' */
	fk_ws(c);
	if (c->p < c->end && *c->p == '}') {
		c->p++;
		c->depth--;
		return 0;
	}
	for (;;) {
		if (fk_member(c, o) < 0 || c->p == c->end)
			return -1;
		if (*c->p == '}')
			break;
		if (*c->p++ != ',')
			return -1;
		fk_ws(c);
	}
	c->p++;
	c->depth--;
	return 0;
}

/* Where each captured value goes: the event's fields, then the same for
 * a combined stream's "data", then the kline's fields of each. */
enum {
	F_STREAM, F_DATA, F_E, F_K,		/* the message */
	F_DATA_E, F_DATA_K,			/* its "data" */
	F_S, F_T, F_O, F_H, F_L, F_C, F_V, F_X,	/* the message's "k" */
	F_KLINE_N = F_X - F_S + 1,
	F_DATA_S = F_X + 1,			/* the data's "k" */
	F_N = F_DATA_S + F_KLINE_N
};

#define FK_KEY(name, child) { name, sizeof name - 1, child }
#define FK_KLINE_KEYS { FK_KEY("s", NULL), FK_KEY("t", NULL), \
	FK_KEY("o", NULL), FK_KEY("h", NULL), FK_KEY("l", NULL), \
	FK_KEY("c", NULL), FK_KEY("v", NULL), FK_KEY("x", NULL) }

static const struct fk_key fk_kline_keys[] = FK_KLINE_KEYS;
static const struct fk_obj fk_kline = { fk_kline_keys, F_KLINE_N, F_S };
static const struct fk_obj fk_data_kline = { fk_kline_keys, F_KLINE_N,
	F_DATA_S };
static const struct fk_key fk_data_keys[] = { FK_KEY("e", NULL),
	FK_KEY("k", &fk_data_kline) };
static const struct fk_obj fk_data = { fk_data_keys, 2, F_DATA_E };
static const struct fk_key fk_root_keys[] = { FK_KEY("stream", NULL),
	FK_KEY("data", &fk_data), FK_KEY("e", NULL), FK_KEY("k", &fk_kline) };
static const struct fk_obj fk_root = { fk_root_keys, 4, F_STREAM };

/* Reads DATA (N bytes) into OUT[F_N]; -1 unless it is one valid object
 * with nothing but white space after it and no captured key repeated. */
static int
fk_parse(const char *data, size_t n, struct fk_val *out)
{
	struct fk_scan c = { data, data + n, 0, out };
	size_t i;

	memset(out, 0, F_N * sizeof *out);
	fk_ws(&c);
	if (c.p == c.end || *c.p != '{' || fk_object(&c, &fk_root) < 0)
		return -1;
	fk_ws(&c);
	for (i = 0; i < F_N; i++)
		if (out[i].dup)
			return -1;
	return c.p == c.end ? 0 : -1;
}

/* A decimal string [-]d+[.d+] into *out exactly as strtod() reads it;
 * -1 for any other form or one not exact in a single division. */
static int
fk_decimal(const struct fk_val *v, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	const char *p = v->p, *e = v->p + v->n, *dot = NULL, *q;
	uint64_t m = 0;
	int neg = 0, sig = 0, frac = 0;

	if (v->type != 's')
		return -1;
	if (p < e && *p == '-')
		neg = *p++ == '-';
	for (q = p; q < e; q++)
		if (*q == '.' && dot == NULL && q > p)
			dot = q;
		else if (*q < '0' || *q > '9')
			return -1;
	if (p == e || dot == e - 1)
		return -1;
	while (dot != NULL && e[-1] == '0')
		e--;		/* trailing zeros of the fraction */
	for (q = p; q < e; q++) {
		if (q == dot)
			continue;
		if (dot != NULL && q > dot)
			frac++;
		if (m == 0 && *q == '0')
			continue;
		if (++sig > 19)
			return -1;
		m = m * 10 + (uint64_t)(*q - '0');
	}
	if (m > (UINT64_C(1) << 53) || frac > 22)
		return -1;
	*out = (double)m / pow10[frac];
	if (neg)
		*out = -*out;
	return 0;
}

/* An integer token's value. */
static int64_t
fk_int(const struct fk_val *v)
{
	const char *p = v->p, *e = v->p + v->n;
	int64_t x = 0;
	int neg = *p == '-';

	for (p += neg; p < e; p++)
		x = x * 10 + (*p - '0');
	return neg ? -x : x;
}

/* The bar of the kline fields F[F_KLINE_N] (in fk_kline_keys' order)
 * into *bar and SYM; -1 when one is missing or not in the plain form. */
static int
fk_bar(const struct fk_val *f, struct th_bar *bar, char *sym)
{
	const struct fk_val *s = &f[F_S - F_S], *t = &f[F_T - F_S],
	    *x = &f[F_X - F_S];

	if (s->type != 's' || s->n >= UTIL_SYMBOL_MAX || t->type != 'i' ||
	    (x->type != 't' && x->type != 'f') ||
	    fk_decimal(&f[F_O - F_S], &bar->open) < 0 ||
	    fk_decimal(&f[F_H - F_S], &bar->high) < 0 ||
	    fk_decimal(&f[F_L - F_S], &bar->low) < 0 ||
	    fk_decimal(&f[F_C - F_S], &bar->close) < 0 ||
	    fk_decimal(&f[F_V - F_S], &bar->volume) < 0)
		return -1;
	memcpy(sym, s->p, s->n);
	sym[s->n] = '\0';
	bar->symbol = sym;
	bar->time = fk_int(t) * NS_PER_MS;
	bar->closed = x->type == 't';
	return 0;
}

/* Reports the kline event in DATA; 0 (nothing reported) when the
 * message is anything else or not in the plain form.  A combined
 * stream's message is {"stream":NAME,"data":EVENT}, as on_message()
 * reads it. */
static int
fast_kline(th_conn *cx, const char *data, size_t len)
{
	struct fk_val f[F_N];
	struct th_bar bar = { 0 };
	char sym[UTIL_SYMBOL_MAX];
	const struct fk_val *e = &f[F_E], *kf = &f[F_S];

	if (fk_parse(data, len, f) < 0)
		return 0;
	if (f[F_STREAM].type == 's' && f[F_DATA].type == 'o') {
		e = &f[F_DATA_E];
		kf = &f[F_DATA_S];
	}
	if (e->type != 's' || e->n != 5 || memcmp(e->p, "kline", 5) != 0)
		return 0;
	bar.struct_size = sizeof bar;
	if (fk_bar(kf, &bar, sym) < 0)
		return 0;
	cx->api->bar(cx, &bar);
	return 1;
}

static enum th_status
binance_on_message(th_conn *cx, void *state, const char *data, size_t len)
{
	json_t *root;
	const json_t *msg, *wrapped;
	enum th_status st = TH_ERR_INVALID;

	(void)state;
	if (fast_kline(cx, data, len))
		return TH_OK;
	msg = root = util_parse(data, len);
	if (!json_is_object(root))
		goto out;
	wrapped = json_object_get(root, "data");
	if (util_string(root, "stream") != NULL && json_is_object(wrapped))
		msg = wrapped;
	if (util_string(msg, "e") != NULL)
		st = event(cx, msg);
	else
		st = reply(cx, msg);
out:
	json_decref(root);
	return st;
}

/* Requests the page of job starting at job->cursor (ms). */
static enum th_status
request_page(th_conn *cx, struct util_job *job)
{
	char url[UTIL_URL_MAX];
	int64_t end_ms = (job->end + NS_PER_MS - 1) / NS_PER_MS - 1;

	if (util_fmt(url, sizeof url, "%s/api/v3/klines?symbol=%s&interval=%s"
	    "&startTime=%" PRId64 "&endTime=%" PRId64 "&limit=%d",
	    cx->api->rest_url(cx), job->psym, job->interval, job->cursor,
	    end_ms, PAGE_LIMIT) < 0)
		return TH_ERR_INVALID;
	return util_http(cx, "GET", url, NULL, TH_HTTP_HISTORY, job->symbol);
}

static enum th_status
binance_history(th_conn *cx, void *state, const char *symbol,
    const char *granularity, int64_t start, int64_t end)
{
	struct binance *b = state;
	struct util_job *job;
	char psym[UTIL_SYMBOL_MAX];
	enum th_status st;

	if (util_map(intervals, granularity) == NULL || start >= end ||
	    start < 0 || util_symbol(symbol, psym, sizeof psym, -1) < 0)
		return TH_ERR_INVALID;
	if ((job = util_job_add(&b->jobs, symbol)) == NULL) {
		cx->api->log(cx, TH_LOG_WARN, "history of %s: a request is "
		    "already in flight", symbol);
		return TH_ERR_STATE;
	}
	strcpy(job->psym, psym);
	strcpy(job->interval, granularity);
	job->start = start;
	job->end = end;
	job->cursor = (start + NS_PER_MS - 1) / NS_PER_MS;
	if ((st = request_page(cx, job)) != TH_OK)
		util_job_drop(&b->jobs, job);
	return st;
}

/* One row [openTime, "o", "h", "l", "c", "v", closeTime, ...]; -1 when it
 * is malformed.  *open_ms gets the open time. */
static int
kline_row(th_conn *cx, const struct util_job *job, const json_t *row,
    int64_t *open_ms)
{
	struct th_bar bar = { 0 };

	bar.struct_size = sizeof bar;
	bar.symbol = job->psym;
	if (json_array_size(row) < 6 ||
	    util_int(json_array_get(row, 0), open_ms) < 0 ||
	    util_number(json_array_get(row, 1), &bar.open) < 0 ||
	    util_number(json_array_get(row, 2), &bar.high) < 0 ||
	    util_number(json_array_get(row, 3), &bar.low) < 0 ||
	    util_number(json_array_get(row, 4), &bar.close) < 0 ||
	    util_number(json_array_get(row, 5), &bar.volume) < 0)
		return -1;
	bar.time = *open_ms * NS_PER_MS;
	bar.closed = 1;
	if (bar.time >= job->start && bar.time < job->end)
		cx->api->bar(cx, &bar);
	return 0;
}

/* Reports one page; 1 when another page is needed, 0 when done, -1 when
 * the page is malformed. */
static int
history_page(th_conn *cx, struct util_job *job, const json_t *rows)
{
	int64_t open_ms = -1, step = atoll(util_map(intervals, job->interval));
	size_t i;

	if (!json_is_array(rows))
		return -1;
	for (i = 0; i < json_array_size(rows); i++)
		if (kline_row(cx, job, json_array_get(rows, i), &open_ms) < 0)
			return -1;
	if (json_array_size(rows) < PAGE_LIMIT || open_ms < job->cursor ||
	    (open_ms + step) * NS_PER_MS >= job->end)
		return 0;
	job->cursor = open_ms + 1;
	return 1;
}

static enum th_status
binance_on_http(th_conn *cx, void *state, int purpose, const char *key,
    long status, const char *body, size_t len)
{
	struct binance *b = state;
	struct util_job *job = util_job_find(b->jobs, key);
	json_t *root;
	int more;

	if (purpose != TH_HTTP_HISTORY || job == NULL)
		return TH_ERR_INVALID;
	if (status < 200 || status > 299) {
		util_log_http_error(cx, TH_LOG_ERROR, job->symbol, status,
		    body, len);
		util_job_finish(cx, &b->jobs, job, 0);
		return TH_OK;
	}
	root = util_parse(body, len);
	more = history_page(cx, job, root);
	json_decref(root);
	if (more < 0)
		cx->api->log(cx, TH_LOG_ERROR, "%s: malformed klines response",
		    job->symbol);
	if (more <= 0 || request_page(cx, job) != TH_OK)
		util_job_finish(cx, &b->jobs, job, more == 0);
	return more < 0 ? TH_ERR_INVALID : TH_OK;
}

static const struct th_connector connector = {
	.struct_size = sizeof(struct th_connector),
	.caps = TH_CONN_STREAM | TH_CONN_HISTORY,
	.granularities = "1s 1m 5m 15m 30m 1h 4h 1d",
	.rest_url = "https://api.binance.com",
	.stream_url = "wss://stream.binance.com:9443",
	.env_prefix = "BINANCE_",
	.open = binance_open,
	.close = binance_close,
	.map_symbol = binance_map_symbol,
	.history = binance_history,
	.on_http = binance_on_http,
	.stream_path = binance_stream_path,
	.on_open = binance_on_open,
	.subscribe = binance_subscribe,
	.on_message = binance_on_message,
};

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_FEED,
	.name = "binance",
	.version = "1.0",
	.description = "Binance spot klines (WebSocket stream, REST history)",
	.param_def_size = sizeof(struct th_param_def),
	.connector = &connector,
};
