/*
 * The connector plugins (plugins/NAME.so), each loaded by path from
 * $TH_CONNECTORS and driven through a fake th_conn_api that records what
 * the connector reports: bars, ticks, messages sent, HTTP requests, order
 * updates, history_done() calls, failures and log lines.  The messages fed
 * to them are the providers' real formats (wire-formats.md) written out
 * here, plus malformed ones.  A standalone Check program.
 */
#include <check.h>
#include <dlfcn.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "rfc3339.h"

#define CAP 64			/* records of each kind per test */
#define TEXT 1024		/* bytes of each recorded string */
#define BIG 4096		/* bytes of a recorded HTTP body */
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_SEC INT64_C(1000000000)
#define REST "http://127.0.0.1:8080"
#define STREAM "ws://127.0.0.1:8081"

struct http_rec {
	char method[16], url[TEXT], body[BIG], key[TEXT];
	int purpose;
	int has_key, has_body;
};

struct update_rec {
	char client_id[TEXT], broker_id[TEXT], reason[TEXT];
	int has_broker_id, has_reason;
	struct th_order_update u;
};

/* Everything the connector under test reported. */
static struct {
	struct th_bar bars[CAP];
	char bar_symbols[CAP][TEXT];
	size_t nbars;		/* stored, at most CAP */
	size_t bar_total;	/* reported */
	struct th_tick ticks[CAP];
	char tick_symbols[CAP][TEXT];
	size_t nticks;
	char sent[CAP][TEXT];
	size_t sent_len[CAP];
	int sent_binary[CAP];	/* by send_binary() */
	size_t nsent;
	struct http_rec http[CAP];
	size_t nhttp;
	struct update_rec updates[CAP];
	size_t nupdates;
	char done_symbols[CAP][TEXT];
	int done_ok[CAP];
	size_t ndone;
	char fails[CAP][TEXT];
	size_t nfails;
	char pos_symbols[CAP][TEXT];
	double pos_qty[CAP], pos_avg[CAP];
	size_t npos;
	int positions_done;	/* 0 = not yet, 1 = ok, -1 = failed */
	char logs[CAP][TEXT];
	enum th_log_level levels[CAP];
	size_t nlogs;
	int ready;
	int send_state;		/* what send() returns */
	int http_state;		/* what http() returns */
	const char *settings[8][2];
	size_t nsettings;
} rec;

/* The connector under test. */
static void *handle;
static const struct th_plugin *desc;
static const struct th_connector *conn;
static void *state;
static int opened;

static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static void
fake_log(th_conn *cx, enum th_log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)cx;
	ck_assert_uint_lt(rec.nlogs, CAP);
	va_start(ap, fmt);
	vsnprintf(rec.logs[rec.nlogs], TEXT, fmt, ap);
	va_end(ap);
	rec.levels[rec.nlogs++] = level;
}

static const char *
fake_setting(th_conn *cx, const char *name)
{
	size_t i;

	(void)cx;
	for (i = 0; i < rec.nsettings; i++)
		if (strcmp(rec.settings[i][0], name) == 0)
			return rec.settings[i][1];
	return NULL;
}

static const char *
fake_rest_url(th_conn *cx)
{
	(void)cx;
	return REST;
}

static const char *
fake_stream_url(th_conn *cx)
{
	(void)cx;
	return STREAM;
}

static enum th_status
fake_bar(th_conn *cx, const struct th_bar *bar)
{
	(void)cx;
	ck_assert_uint_eq(bar->struct_size, sizeof *bar);
	if (rec.bar_total++ >= CAP)
		return TH_OK;
	rec.bars[rec.nbars] = *bar;
	copy(rec.bar_symbols[rec.nbars], TEXT, bar->symbol);
	rec.bars[rec.nbars].symbol = rec.bar_symbols[rec.nbars];
	rec.nbars++;
	return TH_OK;
}

static enum th_status
fake_tick(th_conn *cx, const struct th_tick *tick)
{
	(void)cx;
	ck_assert_uint_eq(tick->struct_size, sizeof *tick);
	ck_assert_uint_lt(rec.nticks, CAP);
	rec.ticks[rec.nticks] = *tick;
	copy(rec.tick_symbols[rec.nticks], TEXT, tick->symbol);
	rec.ticks[rec.nticks].symbol = rec.tick_symbols[rec.nticks];
	rec.nticks++;
	return TH_OK;
}

static enum th_status
fake_send(th_conn *cx, const char *text)
{
	(void)cx;
	ck_assert_uint_lt(rec.nsent, CAP);
	rec.sent_len[rec.nsent] = strlen(text);
	copy(rec.sent[rec.nsent++], TEXT, text);
	return rec.send_state;
}

static enum th_status
fake_send_binary(th_conn *cx, const void *data, size_t len)
{
	(void)cx;
	ck_assert_uint_lt(rec.nsent, CAP);
	ck_assert_uint_lt(len, TEXT);
	memcpy(rec.sent[rec.nsent], data, len);
	rec.sent[rec.nsent][len] = '\0';
	rec.sent_len[rec.nsent] = len;
	rec.sent_binary[rec.nsent++] = 1;
	return rec.send_state;
}

static void
fake_ready(th_conn *cx)
{
	(void)cx;
	rec.ready++;
}

static enum th_status
fake_http(th_conn *cx, const struct th_http *req)
{
	struct http_rec *h;

	(void)cx;
	ck_assert_uint_eq(req->struct_size, sizeof *req);
	ck_assert_uint_lt(rec.nhttp, CAP);
	h = &rec.http[rec.nhttp++];
	copy(h->method, sizeof h->method, req->method != NULL ? req->method :
	    "GET");
	copy(h->url, sizeof h->url, req->url);
	copy(h->body, sizeof h->body, req->body);
	copy(h->key, sizeof h->key, req->key);
	h->purpose = req->purpose;
	h->has_key = req->key != NULL;
	h->has_body = req->body != NULL;
	return rec.http_state;
}

static void
fake_history_done(th_conn *cx, const char *symbol, int ok)
{
	(void)cx;
	ck_assert_uint_lt(rec.ndone, CAP);
	copy(rec.done_symbols[rec.ndone], TEXT, symbol);
	rec.done_ok[rec.ndone++] = ok;
}

static void
fake_order_update(th_conn *cx, const struct th_order_update *u)
{
	struct update_rec *r;

	(void)cx;
	ck_assert_uint_eq(u->struct_size, sizeof *u);
	ck_assert_uint_lt(rec.nupdates, CAP);
	ck_assert_ptr_nonnull(u->client_id);
	r = &rec.updates[rec.nupdates++];
	r->u = *u;
	copy(r->client_id, TEXT, u->client_id);
	copy(r->broker_id, TEXT, u->broker_id);
	copy(r->reason, TEXT, u->reason);
	r->has_broker_id = u->broker_id != NULL;
	r->has_reason = u->reason != NULL;
}

static void
fake_fail(th_conn *cx, const char *reason)
{
	(void)cx;
	ck_assert_uint_lt(rec.nfails, CAP);
	copy(rec.fails[rec.nfails++], TEXT, reason);
}

static void
fake_position(th_conn *cx, const char *symbol, double qty, double avg)
{
	(void)cx;
	ck_assert_uint_lt(rec.npos, CAP);
	copy(rec.pos_symbols[rec.npos], TEXT, symbol);
	rec.pos_qty[rec.npos] = qty;
	rec.pos_avg[rec.npos++] = avg;
}

static void
fake_positions_done(th_conn *cx, int ok)
{
	(void)cx;
	ck_assert_int_eq(rec.positions_done, 0);
	rec.positions_done = ok ? 1 : -1;
}

static const struct th_conn_api fake_api = {
	.struct_size = sizeof(struct th_conn_api),
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.log = fake_log,
	.setting = fake_setting,
	.rest_url = fake_rest_url,
	.stream_url = fake_stream_url,
	.bar = fake_bar,
	.tick = fake_tick,
	.send = fake_send,
	.send_binary = fake_send_binary,
	.ready = fake_ready,
	.http = fake_http,
	.history_done = fake_history_done,
	.order_update = fake_order_update,
	.fail = fake_fail,
	.position = fake_position,
	.positions_done = fake_positions_done,
};

static th_conn cx = { &fake_api };

/* ---- fixture and drivers ---- */

static void
setup(void)
{
	memset(&rec, 0, sizeof rec);
	handle = NULL;
	desc = NULL;
	conn = NULL;
	state = NULL;
	opened = 0;
}

static void
teardown(void)
{
	if (opened && conn->close != NULL)
		conn->close(&cx, state);
	if (handle != NULL && getenv("TH_KEEP_PLUGINS") == NULL)
		dlclose(handle);
	handle = NULL;
}

static void
set(const char *name, const char *value)
{
	ck_assert_uint_lt(rec.nsettings, 8);
	rec.settings[rec.nsettings][0] = name;
	rec.settings[rec.nsettings++][1] = value;
}

/* Loads plugins/name.so and checks its descriptor's common part. */
static void
load(const char *name)
{
	const char *dir = getenv("TH_CONNECTORS");
	char path[4096];

	snprintf(path, sizeof path, "%s/%s.so", dir != NULL ? dir :
	    "plugins/.libs", name);
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(handle != NULL, "dlopen %s: %s", path, dlerror());
	desc = dlsym(handle, "th_plugin_entry");
	ck_assert_msg(desc != NULL, "%s: no th_plugin_entry", path);
	ck_assert_uint_eq(desc->abi_major, 1);
	ck_assert_uint_eq(desc->abi_minor, TH_ABI_MINOR);
	ck_assert_uint_eq(desc->struct_size, sizeof(struct th_plugin));
	ck_assert_str_eq(desc->name, name);
	conn = desc->connector;
	ck_assert_ptr_nonnull(conn);
	ck_assert_uint_eq(conn->struct_size, sizeof(struct th_connector));
}

/* Loads and opens name; the settings must be set before. */
static void
start(const char *name)
{
	load(name);
	ck_assert_int_eq(conn->open(&cx, &state), TH_OK);
	opened = 1;
}

static enum th_status
message(const char *text)
{
	return conn->on_message(&cx, state, text, strlen(text));
}

static enum th_status
respond(int purpose, const char *key, long status, const char *body)
{
	return conn->on_http(&cx, state, purpose, key, status, body,
	    body != NULL ? strlen(body) : 0);
}

/* Does any log line contain s? */
static int
logged(const char *s)
{
	size_t i;

	for (i = 0; i < rec.nlogs; i++)
		if (strstr(rec.logs[i], s) != NULL)
			return 1;
	return 0;
}

/* No log line, failure reason or URL shows secret. */
static void
assert_secret_hidden(const char *secret)
{
	size_t i;

	ck_assert_msg(!logged(secret), "a log line shows the secret");
	for (i = 0; i < rec.nfails; i++)
		ck_assert(strstr(rec.fails[i], secret) == NULL);
	for (i = 0; i < rec.nhttp; i++)
		ck_assert(strstr(rec.http[i].url, secret) == NULL);
}

static void
assert_bar(size_t i, const char *symbol, int64_t time, double o, double h,
    double l, double c, double v, int closed)
{
	const struct th_bar *b = &rec.bars[i];

	ck_assert_uint_lt(i, rec.nbars);
	ck_assert_str_eq(b->symbol, symbol);
	ck_assert_int_eq(b->time, time);
	ck_assert_double_eq(b->open, o);
	ck_assert_double_eq(b->high, h);
	ck_assert_double_eq(b->low, l);
	ck_assert_double_eq(b->close, c);
	ck_assert_double_eq(b->volume, v);
	ck_assert_int_eq(b->closed, closed);
}

/* ---- descriptors ---- */

static const struct {
	const char *name;
	enum th_plugin_kind kind;
	uint32_t caps;
	const char *granularities;
	const char *rest_url;
	const char *stream_url;
	const char *env_prefix;
} expect[] = {
	{ "binance", TH_PLUGIN_FEED, TH_CONN_STREAM | TH_CONN_HISTORY,
	    "1s 1m 5m 15m 30m 1h 4h 1d", "https://api.binance.com",
	    "wss://stream.binance.com:9443", "BINANCE_" },
	{ "finnhub", TH_PLUGIN_FEED, TH_CONN_STREAM, "", NULL,
	    "wss://ws.finnhub.io", "FINNHUB_" },
	{ "alpaca_data", TH_PLUGIN_FEED, TH_CONN_STREAM | TH_CONN_HISTORY,
	    "1m 5m 15m 30m 1h 4h 1d", "https://data.alpaca.markets",
	    "wss://stream.data.alpaca.markets", "APCA_API_" },
	{ "yahoo", TH_PLUGIN_FEED, TH_CONN_HISTORY | TH_CONN_POLL,
	    "1m 5m 15m 30m 1h 1d", "https://query1.finance.yahoo.com", NULL,
	    "YAHOO_" },
	{ "alpaca_broker", TH_PLUGIN_BROKER, TH_CONN_ORDERS | TH_CONN_STREAM,
	    "", "https://paper-api.alpaca.markets",
	    "wss://paper-api.alpaca.markets", "APCA_API_" },
};

static void
assert_opt_str(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, want);
}

START_TEST(descriptor)
{
	static const char *const hidden[] = {
		"util_parse", "util_job_add", "rfc3339_parse", "rfc3339_format",
		"connector"
	};
	size_t k;

	load(expect[_i].name);
	ck_assert_int_eq(desc->kind, expect[_i].kind);
	ck_assert_uint_eq(desc->param_def_size, sizeof(struct th_param_def));
	ck_assert_uint_eq(desc->nparams, 0);
	ck_assert_ptr_null(desc->init);
	ck_assert_ptr_null(desc->next);
	ck_assert_uint_eq(conn->caps, expect[_i].caps);
	ck_assert_str_eq(conn->granularities, expect[_i].granularities);
	assert_opt_str(conn->rest_url, expect[_i].rest_url);
	assert_opt_str(conn->stream_url, expect[_i].stream_url);
	assert_opt_str(conn->env_prefix, expect[_i].env_prefix);
	ck_assert(conn->open != NULL && conn->close != NULL &&
	    conn->map_symbol != NULL);
	if (conn->caps & TH_CONN_STREAM)
		ck_assert(conn->stream_path != NULL && conn->on_open != NULL &&
		    conn->on_message != NULL);
	if (conn->caps & (TH_CONN_HISTORY | TH_CONN_POLL))
		ck_assert(conn->history != NULL && conn->on_http != NULL);
	else
		ck_assert_ptr_null(conn->history);
	if (conn->caps & TH_CONN_ORDERS)
		ck_assert(conn->submit != NULL && conn->cancel != NULL &&
		    conn->poll != NULL && conn->on_http != NULL);
	else
		ck_assert(conn->submit == NULL && conn->cancel == NULL &&
		    conn->poll == NULL);
	for (k = 0; k < sizeof hidden / sizeof hidden[0]; k++)
		ck_assert_msg(dlsym(handle, hidden[k]) == NULL,
		    "%s exports %s", expect[_i].name, hidden[k]);
}
END_TEST

/* ---- binance ---- */

#define KLINE(x, o) "{\"e\":\"kline\",\"E\":1672515782136,\"s\":\"BNBBTC\"," \
	"\"k\":{\"t\":1672515780000,\"T\":1672515839999,\"s\":\"BNBBTC\"," \
	"\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":" o ",\"c\":\"0.0020\"," \
	"\"h\":\"0.0025\",\"l\":\"0.0015\",\"v\":\"1000\",\"n\":100," \
	"\"x\":" x ",\"q\":\"1.0000\",\"V\":\"500\",\"Q\":\"0.500\"," \
	"\"B\":\"123456\"}}"
#define KLINE_T (INT64_C(1672515780000) * NS_PER_MS)

START_TEST(binance_kline)
{
	start("binance");
	ck_assert_int_eq(message(KLINE("false", "\"0.0010\"")), TH_OK);
	ck_assert_int_eq(message(KLINE("true", "\"0.0010\"")), TH_OK);
	ck_assert_uint_eq(rec.nbars, 2);
	assert_bar(0, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    0);
	assert_bar(1, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    1);
	/* A number where Binance sends a string is read as well. */
	ck_assert_int_eq(message(KLINE("true", "0.0011")), TH_OK);
	ck_assert_double_eq(rec.bars[2].open, 0.0011);
}
END_TEST

START_TEST(binance_combined)
{
	start("binance");
	ck_assert_int_eq(message("{\"stream\":\"bnbbtc@kline_1m\",\"data\":"
	    KLINE("true", "\"0.0010\"") "}"), TH_OK);
	ck_assert_uint_eq(rec.nbars, 1);
	assert_bar(0, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    1);
}
END_TEST

START_TEST(binance_control)
{
	start("binance");
	ck_assert_int_eq(message("{\"result\":null,\"id\":1}"), TH_OK);
	ck_assert_int_eq(message("{\"e\":\"serverShutdown\","
	    "\"E\":1672515782136}"), TH_OK);
	ck_assert(logged("shutdown"));
	ck_assert_int_eq(message("{\"code\":2,\"msg\":\"Invalid request: "
	    "unknown method\"}"), TH_OK);
	ck_assert(logged("Invalid request: unknown method"));
	ck_assert_int_eq(message("{\"error\":{\"code\":3,\"msg\":\"Invalid "
	    "JSON\"},\"id\":4}"), TH_OK);
	ck_assert(logged("Invalid JSON"));
	ck_assert_uint_eq(rec.nbars, 0);
	ck_assert_uint_eq(rec.nfails, 0);
}
END_TEST

START_TEST(binance_malformed)
{
	static const char *const bad[] = {
		"", "not json", "[1,2]", "{}", "{\"e\":\"kline\"}",
		"{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\"}}",
		KLINE("true", "\"abc\""), KLINE("true", "\"\""),
		KLINE("true", "null"), KLINE("1", "\"0.001\""),
		"{\"stream\":\"x\",\"data\":{\"result\":1}}",
	};
	size_t i;

	start("binance");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(message(bad[i]) == TH_ERR_INVALID, "accepted "
		    "%s", bad[i]);
	ck_assert_uint_eq(rec.nbars, 0);
}
END_TEST

/* The connector reads the usual kline shape in place and everything else
 * with jansson: both must agree.  Every proper prefix of a kline and
 * anything after it is malformed. */
START_TEST(binance_kline_prefixes)
{
	static const char *const whole[] = {
		KLINE("true", "\"0.0010\""),
		"{\"stream\":\"bnbbtc@kline_1m\",\"data\":" KLINE("true",
		    "\"0.0010\"") "}",
	};
	char buf[1024];
	size_t i, n;

	start("binance");
	for (i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		for (n = 0; n < strlen(whole[i]); n++) {
			/* An exact copy, so that a read past the end shows
			 * under valgrind or ASan. */
			char *part = malloc(n > 0 ? n : 1);

			ck_assert_ptr_nonnull(part);
			memcpy(part, whole[i], n);
			ck_assert_msg(conn->on_message(&cx, state, part, n) ==
			    TH_ERR_INVALID, "accepted %.*s", (int)n, part);
			free(part);
		}
		snprintf(buf, sizeof buf, "%sx", whole[i]);
		ck_assert_int_eq(message(buf), TH_ERR_INVALID);
		snprintf(buf, sizeof buf, "%s}", whole[i]);
		ck_assert_int_eq(message(buf), TH_ERR_INVALID);
		snprintf(buf, sizeof buf, " \r\n%s \t\n", whole[i]);
		ck_assert_int_eq(message(buf), TH_OK);
	}
	ck_assert_uint_eq(rec.nbars, 2);
	assert_bar(1, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    1);
}
END_TEST

START_TEST(binance_kline_forms)
{
	start("binance");
	/* Spaced out, fields reordered, extra nested values. */
	ck_assert_int_eq(message(" { \"k\" : { \"x\" : true , \"v\" : \"1000\""
	    " , \"c\" : \"0.0020\" , \"l\" : \"0.0015\" , \"h\" : \"0.0025\" ,"
	    " \"o\" : \"0.0010\" , \"t\" : 1672515780000 , \"s\" : \"BNBBTC\","
	    " \"z\" : [ 1 , { \"a\" : null } ] } , \"e\" : \"kline\" } "),
	    TH_OK);
	/* An escaped symbol, a real time, a repeated key (the last wins). */
	ck_assert_int_eq(message("{\"e\":\"kline\",\"k\":{\"s\":\"BNB\\u0042TC\","
	    "\"t\":1672515780000.0,\"o\":\"0.5\",\"o\":\"0.0010\",\"h\":"
	    "\"0.0025\",\"l\":\"0.0015\",\"c\":\"0.0020\",\"v\":\"1000\","
	    "\"x\":false}}"), TH_OK);
	ck_assert_uint_eq(rec.nbars, 2);
	assert_bar(0, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    1);
	assert_bar(1, "BNBBTC", KLINE_T, 0.001, 0.0025, 0.0015, 0.002, 1000,
	    0);
	/* What jansson refuses: an integer out of range, bad UTF-8, a
	 * control character in a string. */
	ck_assert_int_eq(message("{\"e\":\"kline\",\"E\":99999999999999999999,"
	    "\"k\":{\"s\":\"X\",\"t\":1,\"o\":\"1\",\"h\":\"1\",\"l\":\"1\","
	    "\"c\":\"1\",\"v\":\"1\",\"x\":true}}"), TH_ERR_INVALID);
	ck_assert_int_eq(message("{\"e\":\"kline\",\"q\":\"\xff\","
	    "\"k\":{\"s\":\"X\",\"t\":1,\"o\":\"1\",\"h\":\"1\",\"l\":\"1\","
	    "\"c\":\"1\",\"v\":\"1\",\"x\":true}}"), TH_ERR_INVALID);
	ck_assert_int_eq(message("{\"e\":\"kline\",\"q\":\"\t\","
	    "\"k\":{\"s\":\"X\",\"t\":1,\"o\":\"1\",\"h\":\"1\",\"l\":\"1\","
	    "\"c\":\"1\",\"v\":\"1\",\"x\":true}}"), TH_ERR_INVALID);
	ck_assert_uint_eq(rec.nbars, 2);
}
END_TEST

/* Decimal strings of every length and scale read exactly as strtod()
 * reads them (the comparison is bit for bit). */
START_TEST(binance_kline_decimals)
{
	static const char *const fixed[] = { "0", "-0", "-0.000", "007.50",
	    "9007199254740993", "9007199254740992.0", "0.1", "123456.12345678",
	    "1e3", "1.", ".5", "0.0000000000000000000000001",
	    "12345678901234567890" };
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	char num[64], msg[1024];
	double want;
	size_t i, k, n;

	start("binance");
	for (i = 0; i < 3000; i++) {
		if (i < sizeof fixed / sizeof fixed[0])
			snprintf(num, sizeof num, "%s", fixed[i]);
		else {
			n = 0;
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			if (seed & 1)
				num[n++] = '-';
			for (k = 0; k < 1 + (seed >> 8) % 12; k++)
				num[n++] = (char)('0' + (seed >> (12 + k)) % 10);
			if (seed & 2)
				num[n++] = '.';
			for (k = 0; (seed & 2) && k < 1 + (seed >> 40) % 16; k++)
				num[n++] = (char)('0' + (seed >> (44 + k)) % 10);
			num[n] = '\0';
		}
		snprintf(msg, sizeof msg, "%s", KLINE("true", "\"@\""));
		*strchr(msg, '@') = '\0';
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s%s",
		    num, strstr(KLINE("true", "\"@\""), "@") + 1);
		rec.nbars = rec.bar_total = 0;
		ck_assert_int_eq(message(msg), TH_OK);
		want = strtod(num, NULL);
		ck_assert_msg(memcmp(&rec.bars[0].open, &want, sizeof want) ==
		    0, "%s read as %.17g, strtod says %.17g", num,
		    rec.bars[0].open, want);
	}
}
END_TEST

START_TEST(binance_stream)
{
	const char *one[] = { "BTCUSDT" }, *two[] = { "BTCUSDT", "ethusdt" };
	char out[256];

	start("binance");
	ck_assert_int_eq(conn->map_symbol(&cx, state, "BTCUSDT", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "btcusdt");
	ck_assert_int_eq(conn->map_symbol(&cx, state, "BTCUSDT", out, 4),
	    TH_ERR_INVALID);
	ck_assert_int_eq(conn->stream_path(&cx, state, one, 1, "1m", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/ws/btcusdt@kline_1m");
	ck_assert_int_eq(conn->stream_path(&cx, state, two, 2, "1m", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/stream?streams=btcusdt@kline_1m/"
	    "ethusdt@kline_1m");
	ck_assert_int_eq(conn->stream_path(&cx, state, two, 2, "1m", out, 20),
	    TH_ERR_INVALID);
	ck_assert_int_eq(conn->stream_path(&cx, state, one, 1, "2m", out,
	    sizeof out), TH_ERR_INVALID);
	ck_assert_int_eq(conn->stream_path(&cx, state, two, 2, "1m", out,
	    sizeof out), TH_OK);
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	ck_assert_int_eq(rec.ready, 1);
	/* Streams in the path need no message; others are subscribed. */
	ck_assert_int_eq(conn->subscribe(&cx, state, "ETHUSDT", "1m"), TH_OK);
	ck_assert_uint_eq(rec.nsent, 0);
	ck_assert_int_eq(conn->subscribe(&cx, state, "BNBBTC", "1m"), TH_OK);
	ck_assert_int_eq(conn->subscribe(&cx, state, "BTCUSDT", "5m"), TH_OK);
	ck_assert_uint_eq(rec.nsent, 2);
	ck_assert_str_eq(rec.sent[0], "{\"method\":\"SUBSCRIBE\",\"params\":"
	    "[\"bnbbtc@kline_1m\"],\"id\":1}");
	ck_assert_str_eq(rec.sent[1], "{\"method\":\"SUBSCRIBE\",\"params\":"
	    "[\"btcusdt@kline_5m\"],\"id\":2}");
	ck_assert_int_eq(conn->subscribe(&cx, state, "BTCUSDT", "7m"),
	    TH_ERR_INVALID);
}
END_TEST

/* A klines page of n one-minute rows from open time t0 (ms). */
static char *
klines(int64_t t0, size_t n)
{
	size_t size = 64 + n * 160, len = 1, i;
	char *s = malloc(size);

	ck_assert_ptr_nonnull(s);
	strcpy(s, "[");
	for (i = 0; i < n; i++) {
		int64_t t = t0 + (int64_t)i * 60000;

		len += (size_t)snprintf(s + len, size - len, "%s[%" PRId64
		    ",\"100.0\",\"101.5\",\"99.5\",\"%zu.25\",\"12.5\",%" PRId64
		    ",\"1250.0\",10,\"6.0\",\"600.0\",\"0\"]", i ? "," : "", t,
		    100 + i % 7, t + 59999);
	}
	strcpy(s + len, "]");
	return s;
}

#define T0_MS INT64_C(1672515780000)

START_TEST(binance_history)
{
	int64_t start_ns = T0_MS * NS_PER_MS;
	int64_t end_ns = start_ns + 1003 * 60 * NS_PER_SEC;
	char url[512], *page;

	start("binance");
	ck_assert_int_eq(conn->history(&cx, state, "BTCUSDT", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_uint_eq(rec.nhttp, 1);
	snprintf(url, sizeof url, REST "/api/v3/klines?symbol=BTCUSDT"
	    "&interval=1m&startTime=%" PRId64 "&endTime=%" PRId64
	    "&limit=1000", T0_MS, T0_MS + 1003 * 60000 - 1);
	ck_assert_str_eq(rec.http[0].url, url);
	ck_assert_str_eq(rec.http[0].method, "GET");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_HISTORY);
	ck_assert_str_eq(rec.http[0].key, "BTCUSDT");
	/* One request per symbol at a time. */
	ck_assert_int_eq(conn->history(&cx, state, "BTCUSDT", "1m", start_ns,
	    end_ns), TH_ERR_STATE);

	page = klines(T0_MS, 1000);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "BTCUSDT", 200, page),
	    TH_OK);
	free(page);
	ck_assert_uint_eq(rec.ndone, 0);
	ck_assert_uint_eq(rec.nhttp, 2);
	snprintf(url, sizeof url, REST "/api/v3/klines?symbol=BTCUSDT"
	    "&interval=1m&startTime=%" PRId64 "&endTime=%" PRId64
	    "&limit=1000", T0_MS + 999 * 60000 + 1,
	    T0_MS + 1003 * 60000 - 1);
	ck_assert_str_eq(rec.http[1].url, url);

	page = klines(T0_MS + 1000 * 60000, 3);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "BTCUSDT", 200, page),
	    TH_OK);
	free(page);
	ck_assert_uint_eq(rec.nhttp, 2);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_str_eq(rec.done_symbols[0], "BTCUSDT");
	ck_assert_int_eq(rec.done_ok[0], 1);
	ck_assert_uint_eq(rec.bar_total, 1003);
	assert_bar(0, "BTCUSDT", start_ns, 100, 101.5, 99.5, 100.25, 12.5, 1);
	assert_bar(1, "BTCUSDT", start_ns + 60 * NS_PER_SEC, 100, 101.5, 99.5,
	    101.25, 12.5, 1);
}
END_TEST

START_TEST(binance_history_end)
{
	int64_t start_ns = T0_MS * NS_PER_MS;
	char *page;

	start("binance");
	/* A full page that reaches the end needs no further request; the
	 * host's lower-case symbol is asked for in upper case. */
	ck_assert_int_eq(conn->history(&cx, state, "btcusdt", "1m", start_ns,
	    start_ns + 1000 * 60 * NS_PER_SEC), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[0].url, "symbol=BTCUSDT&"));
	page = klines(T0_MS, 1000);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "btcusdt", 200, page),
	    TH_OK);
	free(page);
	ck_assert_uint_eq(rec.nhttp, 1);
	ck_assert_uint_eq(rec.bar_total, 1000);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_str_eq(rec.done_symbols[0], "btcusdt");
	ck_assert_int_eq(rec.done_ok[0], 1);
	ck_assert_str_eq(rec.bars[0].symbol, "BTCUSDT");
	/* Rows before start are not reported. */
	ck_assert_int_eq(conn->history(&cx, state, "BTCUSDT", "1h",
	    start_ns + 60 * NS_PER_SEC, start_ns + 3600 * NS_PER_SEC), TH_OK);
	page = klines(T0_MS, 2);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "BTCUSDT", 200, page),
	    TH_OK);
	free(page);
	ck_assert_uint_eq(rec.bar_total, 1001);
	ck_assert_int_eq(rec.done_ok[1], 1);
}
END_TEST

START_TEST(binance_history_error)
{
	int64_t start_ns = T0_MS * NS_PER_MS, end_ns = start_ns + NS_PER_SEC;

	start("binance");
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "XXX", 400,
	    "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"), TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 0);
	ck_assert(logged("Invalid symbol."));
	ck_assert(logged("400"));
	/* Malformed pages fail the request too. */
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "XXX", 200,
	    "[[1672515780000,\"1\",\"2\"]]"), TH_ERR_INVALID);
	ck_assert_int_eq(rec.done_ok[1], 0);
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "XXX", 200, "{}"),
	    TH_ERR_INVALID);
	ck_assert_uint_eq(rec.ndone, 3);
	ck_assert_int_eq(rec.done_ok[2], 0);
	/* A request the host refuses fails history() alone. */
	rec.http_state = TH_ERR_STATE;
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", start_ns,
	    end_ns), TH_ERR_STATE);
	ck_assert_uint_eq(rec.ndone, 3);
	rec.http_state = TH_OK;
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "XXX", 200, "[]"), TH_OK);
	ck_assert_int_eq(rec.done_ok[3], 1);
	/* Responses to nothing in flight, bad arguments. */
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "XXX", 200, "[]"),
	    TH_ERR_INVALID);
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "2m", start_ns,
	    end_ns), TH_ERR_INVALID);
	ck_assert_int_eq(conn->history(&cx, state, "XXX", "1m", end_ns,
	    start_ns), TH_ERR_INVALID);
	ck_assert_uint_eq(rec.bar_total, 0);
}
END_TEST

START_TEST(binance_instances)
{
	int64_t start_ns = T0_MS * NS_PER_MS, end_ns = start_ns + NS_PER_SEC;
	void *other = NULL;

	/* Two instances share nothing: each has its own requests in flight,
	 * and close() frees what is still pending. */
	start("binance");
	ck_assert_int_eq(conn->open(&cx, &other), TH_OK);
	ck_assert_ptr_ne(other, state);
	ck_assert_int_eq(conn->history(&cx, state, "BTCUSDT", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(conn->history(&cx, other, "BTCUSDT", "1m", start_ns,
	    end_ns), TH_OK);
	ck_assert_int_eq(conn->on_http(&cx, other, TH_HTTP_HISTORY, "BTCUSDT",
	    200, "[]", 2), TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(conn->history(&cx, state, "BTCUSDT", "1m", start_ns,
	    end_ns), TH_ERR_STATE);
	conn->close(&cx, other);
}
END_TEST

/* ---- finnhub ---- */

#define TOKEN "tok-SECRET-123"

START_TEST(finnhub_stream)
{
	const char *syms[] = { "AAPL" };
	char out[256];

	set("token", TOKEN);
	start("finnhub");
	ck_assert_int_eq(conn->stream_path(&cx, state, syms, 1, "", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/?token=" TOKEN);
	ck_assert_int_eq(conn->stream_path(&cx, state, syms, 1, "", out, 10),
	    TH_ERR_INVALID);
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	ck_assert_int_eq(rec.ready, 1);
	ck_assert_int_eq(conn->subscribe(&cx, state, "BINANCE:BTCUSDT", ""),
	    TH_OK);
	ck_assert_str_eq(rec.sent[0], "{\"type\":\"subscribe\","
	    "\"symbol\":\"BINANCE:BTCUSDT\"}");
	ck_assert_int_eq(conn->map_symbol(&cx, state, "AAPL", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "AAPL");
	assert_secret_hidden(TOKEN);
}
END_TEST

START_TEST(finnhub_trades)
{
	set("token", TOKEN);
	start("finnhub");
	ck_assert_int_eq(message("{\"type\":\"trade\",\"data\":["
	    "{\"s\":\"TSLA\",\"p\":122.1,\"t\":1672348887195,\"v\":1,"
	    "\"c\":[\"1\",\"8\",\"24\",\"12\"]},"
	    "{\"s\":\"BINANCE:BTCUSDT\",\"p\":16500,\"t\":1672348887196,"
	    "\"v\":0}]}"), TH_OK);
	ck_assert_uint_eq(rec.nticks, 2);
	ck_assert_str_eq(rec.ticks[0].symbol, "TSLA");
	ck_assert_int_eq(rec.ticks[0].time, INT64_C(1672348887195) *
	    NS_PER_MS);
	ck_assert_double_eq(rec.ticks[0].price, 122.1);
	ck_assert_double_eq(rec.ticks[0].size, 1);
	ck_assert_str_eq(rec.ticks[1].symbol, "BINANCE:BTCUSDT");
	ck_assert_double_eq(rec.ticks[1].price, 16500);
	ck_assert_double_eq(rec.ticks[1].size, 0);
	ck_assert_int_eq(message("{\"type\":\"ping\"}"), TH_OK);
	ck_assert_uint_eq(rec.nticks, 2);
	ck_assert_uint_eq(rec.nbars, 0);
}
END_TEST

START_TEST(finnhub_errors)
{
	static const char *const bad[] = {
		"", "[]", "{\"data\":[]}", "{\"type\":\"trade\"}",
		"{\"type\":\"trade\",\"data\":{}}",
		"{\"type\":\"trade\",\"data\":[{\"s\":\"A\",\"t\":1}]}",
		"{\"type\":\"trade\",\"data\":[{\"s\":\"A\",\"p\":1,"
		"\"t\":\"x\"}]}",
	};
	size_t i;

	set("token", TOKEN);
	start("finnhub");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(message(bad[i]) == TH_ERR_INVALID, "accepted "
		    "%s", bad[i]);
	ck_assert_int_eq(message("{\"type\":\"error\",\"msg\":\"Subscribing "
	    "to too many symbols\"}"), TH_OK);
	ck_assert(logged("too many symbols"));
	ck_assert_uint_eq(rec.nfails, 0);
	ck_assert_int_eq(message("{\"type\":\"error\",\"msg\":\"Invalid "
	    "token\"}"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 1);
	ck_assert_uint_eq(rec.nticks, 0);
	assert_secret_hidden(TOKEN);
}
END_TEST

START_TEST(finnhub_no_token)
{
	load("finnhub");
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
	ck_assert(logged("FINNHUB_TOKEN"));
	set("token", "");
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
}
END_TEST

/* ---- alpaca market data ---- */

#define KEY "AKID-123"
#define SECRET "s3cret-SECRET"

static void
alpaca_keys(void)
{
	set("key_id", KEY);
	set("secret_key", SECRET);
}

START_TEST(alpaca_handshake)
{
	const char *syms[] = { "AAPL" };
	char out[256];

	alpaca_keys();
	start("alpaca_data");
	ck_assert_int_eq(conn->stream_path(&cx, state, syms, 1, "1m", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/v2/iex");
	ck_assert_int_eq(conn->headers(&cx, state, out, sizeof out), TH_OK);
	ck_assert_str_eq(out, "APCA-API-KEY-ID: " KEY
	    "\nAPCA-API-SECRET-KEY: " SECRET);
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	ck_assert_uint_eq(rec.nsent, 0);
	ck_assert_int_eq(rec.ready, 0);
	ck_assert_int_eq(message("[{\"T\":\"success\",\"msg\":\"connected\"}]"),
	    TH_OK);
	ck_assert_uint_eq(rec.nsent, 1);
	ck_assert_str_eq(rec.sent[0], "{\"action\":\"auth\",\"key\":\"" KEY
	    "\",\"secret\":\"" SECRET "\"}");
	ck_assert_int_eq(rec.ready, 0);
	ck_assert_int_eq(message("[{\"T\":\"success\","
	    "\"msg\":\"authenticated\"}]"), TH_OK);
	ck_assert_int_eq(rec.ready, 1);
	ck_assert_int_eq(conn->subscribe(&cx, state, "AAPL", "1m"), TH_OK);
	ck_assert_str_eq(rec.sent[1], "{\"action\":\"subscribe\","
	    "\"bars\":[\"AAPL\"]}");
	ck_assert_int_eq(conn->subscribe(&cx, state, "MSFT", "5m"), TH_OK);
	ck_assert_str_eq(rec.sent[2], "{\"action\":\"subscribe\","
	    "\"trades\":[\"MSFT\"]}");
	ck_assert_int_eq(message("[{\"T\":\"subscription\",\"trades\":"
	    "[\"MSFT\"],\"quotes\":[],\"bars\":[\"AAPL\"],\"updatedBars\":[],"
	    "\"dailyBars\":[],\"statuses\":[],\"lulds\":[],\"corrections\":"
	    "[\"MSFT\"],\"cancelErrors\":[\"MSFT\"]}]"), TH_OK);
	ck_assert(logged("subscribed"));
	/* A reconnect authenticates again; headers on the upgrade that
	 * already did it make the auth message a 403. */
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	ck_assert_int_eq(message("[{\"T\":\"success\",\"msg\":\"connected\"}]"),
	    TH_OK);
	ck_assert_int_eq(message("[{\"T\":\"error\",\"code\":403,"
	    "\"msg\":\"already authenticated\"}]"), TH_OK);
	ck_assert_int_eq(rec.ready, 2);
	ck_assert_uint_eq(rec.nfails, 0);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(alpaca_auth_errors)
{
	char out[64];

	alpaca_keys();
	set("feed", "sip");
	start("alpaca_data");
	ck_assert_int_eq(conn->stream_path(&cx, state, NULL, 0, "1m", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/v2/sip");
	ck_assert_int_eq(message("[{\"T\":\"error\",\"code\":406,"
	    "\"msg\":\"connection limit exceeded\"}]"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 0);
	ck_assert_int_eq(rec.levels[rec.nlogs - 1], TH_LOG_WARN);
	ck_assert_int_eq(message("[{\"T\":\"error\",\"code\":402,"
	    "\"msg\":\"auth failed\"}]"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 1);
	ck_assert_ptr_nonnull(strstr(rec.fails[0], "auth failed"));
	ck_assert_int_eq(message("[{\"T\":\"error\",\"code\":401,"
	    "\"msg\":\"not authenticated\"}]"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 2);
	ck_assert_int_eq(rec.ready, 0);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(alpaca_no_keys)
{
	load("alpaca_data");
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
	ck_assert(logged("APCA_API_KEY_ID"));
	alpaca_keys();
	set("feed", "../x");
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
	rec.nsettings = 0;
	set("key_id", KEY "\nX-Injected: 1");
	set("secret_key", SECRET);
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
}
END_TEST

START_TEST(alpaca_stream_data)
{
	static const char *const bad[] = {
		"", "{\"T\":\"b\"}", "[{\"S\":\"SPY\"}]", "[1]",
		"[{\"T\":\"b\",\"S\":\"SPY\",\"o\":1,\"h\":1,\"l\":1,\"c\":1,"
		"\"v\":1,\"t\":\"2021-02-22 19:15\"}]",
		"[{\"T\":\"t\",\"S\":\"AAPL\",\"p\":1,\"t\":"
		"\"2021-02-22T15:51:44Z\"}]",
		"[{\"T\":\"error\",\"msg\":\"no code\"}]",
	};
	size_t i;

	alpaca_keys();
	start("alpaca_data");
	ck_assert_int_eq(message("[{\"T\":\"b\",\"S\":\"SPY\",\"o\":388.985,"
	    "\"h\":389.13,\"l\":388.975,\"c\":389.12,\"v\":49378,\"n\":461,"
	    "\"vw\":389.062639,\"t\":\"2021-02-22T19:15:00Z\"},"
	    "{\"T\":\"t\",\"i\":96921,\"S\":\"AAPL\",\"x\":\"D\",\"p\":126.55,"
	    "\"s\":1,\"t\":\"2021-02-22T15:51:44.208Z\",\"c\":[\"@\",\"I\"],"
	    "\"z\":\"C\"},"
	    "{\"T\":\"q\",\"S\":\"AMD\",\"bx\":\"U\",\"bp\":87.66,\"bs\":1,"
	    "\"ax\":\"Q\",\"ap\":87.68,\"as\":4,\"t\":"
	    "\"2021-02-22T15:51:45.335689322Z\",\"c\":[\"R\"],\"z\":\"C\"},"
	    "{\"T\":\"u\",\"S\":\"SPY\",\"o\":388.985,\"h\":389.2,"
	    "\"l\":388.975,\"c\":389.12,\"v\":49400,\"t\":"
	    "\"2021-02-22T19:15:00Z\"}]"), TH_OK);
	ck_assert_uint_eq(rec.nbars, 1);
	assert_bar(0, "SPY", INT64_C(1614021300) * NS_PER_SEC, 388.985,
	    389.13, 388.975, 389.12, 49378, 1);
	ck_assert_uint_eq(rec.nticks, 1);
	ck_assert_str_eq(rec.ticks[0].symbol, "AAPL");
	ck_assert_int_eq(rec.ticks[0].time, INT64_C(1614009104208000000));
	ck_assert_double_eq(rec.ticks[0].price, 126.55);
	ck_assert_double_eq(rec.ticks[0].size, 1);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(message(bad[i]) == TH_ERR_INVALID, "accepted "
		    "%s", bad[i]);
	ck_assert_uint_eq(rec.nbars, 1);
	ck_assert_uint_eq(rec.nticks, 1);
}
END_TEST

/* 2022-02-01T14:30:00Z */
#define AT_1430 (INT64_C(1643725800) * NS_PER_SEC)
#define MINUTE (60 * NS_PER_SEC)
#define ALPACA_BAR(t, c) "{\"t\":\"" t "\",\"o\":174.1,\"h\":174.5," \
	"\"l\":173.9,\"c\":" c ",\"v\":1200,\"n\":15,\"vw\":174.2}"

START_TEST(alpaca_history)
{
	alpaca_keys();
	start("alpaca_data");
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1m", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_uint_eq(rec.nhttp, 1);
	ck_assert_str_eq(rec.http[0].url, REST "/v2/stocks/AAPL/bars?"
	    "timeframe=1Min&start=2022-02-01T14:30:00Z&end=2022-02-01T14:33:00Z"
	    "&limit=10000&feed=iex");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_HISTORY);
	ck_assert_str_eq(rec.http[0].key, "AAPL");
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200, "{\"bars\":["
	    ALPACA_BAR("2022-02-01T14:30:00Z", "174.2") ","
	    ALPACA_BAR("2022-02-01T14:31:00Z", "174.3") "],\"symbol\":\"AAPL\","
	    "\"next_page_token\":\"QUFQTHxNfDIwMjI=\"}"), TH_OK);
	ck_assert_uint_eq(rec.ndone, 0);
	ck_assert_uint_eq(rec.nhttp, 2);
	ck_assert_str_eq(rec.http[1].url, REST "/v2/stocks/AAPL/bars?"
	    "timeframe=1Min&start=2022-02-01T14:30:00Z&end=2022-02-01T14:33:00Z"
	    "&limit=10000&feed=iex&page_token=QUFQTHxNfDIwMjI%3D");
	/* The end is inclusive at Alpaca and exclusive here. */
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200, "{\"bars\":["
	    ALPACA_BAR("2022-02-01T14:32:00Z", "174.4") ","
	    ALPACA_BAR("2022-02-01T14:33:00Z", "174.5") "],\"symbol\":\"AAPL\","
	    "\"next_page_token\":null}"), TH_OK);
	ck_assert_uint_eq(rec.nhttp, 2);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 1);
	ck_assert_uint_eq(rec.nbars, 3);
	assert_bar(0, "AAPL", AT_1430, 174.1, 174.5, 173.9, 174.2, 1200, 1);
	assert_bar(2, "AAPL", AT_1430 + 2 * MINUTE, 174.1, 174.5, 173.9,
	    174.4, 1200, 1);
	/* No bars at all. */
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1d", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[2].url, "timeframe=1Day&"));
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200, "{\"bars\":"
	    "null,\"symbol\":\"AAPL\",\"next_page_token\":null}"), TH_OK);
	ck_assert_int_eq(rec.done_ok[1], 1);
	ck_assert_uint_eq(rec.nbars, 3);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(alpaca_history_errors)
{
	alpaca_keys();
	start("alpaca_data");
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1h", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[0].url, "timeframe=1Hour&"));
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 422,
	    "{\"code\":42210000,\"message\":\"invalid timeframe\"}"), TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 0);
	ck_assert(logged("422"));
	ck_assert(logged("invalid timeframe"));
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "4h", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 403,
	    "{\"message\":\"forbidden\"}"), TH_OK);
	ck_assert_int_eq(rec.done_ok[1], 0);
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "5m", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200, "{\"bars\":["
	    "{\"t\":\"yesterday\",\"o\":1,\"h\":1,\"l\":1,\"c\":1,\"v\":1}]}"),
	    TH_ERR_INVALID);
	ck_assert_int_eq(rec.done_ok[2], 0);
	ck_assert_uint_eq(rec.nbars, 0);
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1s", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_ERR_INVALID);
	assert_secret_hidden(SECRET);
}
END_TEST

/* ---- yahoo ---- */

#define Y0 INT64_C(1726459200)	/* 2024-09-16T04:00:00Z */

/* ---- Alpaca MessagePack ---- */

/* MessagePack written out here byte by byte from the specification
 * (msgpack/spec.md), not with msgpack-c, so the connector's decoder is
 * checked against the format rather than against its own library. */
struct mp {
	unsigned char b[1024];
	size_t n;
};

static void
mp_raw(struct mp *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->n + n, sizeof m->b);
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
mp_byte(struct mp *m, unsigned x)
{
	unsigned char c = (unsigned char)x;

	mp_raw(m, &c, 1);
}

/* v in big-endian order in bytes bytes. */
static void
mp_be(struct mp *m, uint64_t v, int bytes)
{
	while (bytes-- > 0)
		mp_byte(m, (unsigned)(v >> (8 * bytes)) & 0xff);
}

/* fixstr up to 31 bytes, else str 8. */
static void
mp_str(struct mp *m, const char *s)
{
	size_t n = strlen(s);

	if (n < 32)
		mp_byte(m, 0xa0 | (unsigned)n);
	else {
		mp_byte(m, 0xd9);
		mp_byte(m, (unsigned)n);
	}
	mp_raw(m, s, n);
}

/* fixmap and fixarray headers (up to 15 members). */
static void
mp_map(struct mp *m, unsigned n)
{
	mp_byte(m, 0x80 | n);
}

static void
mp_arr(struct mp *m, unsigned n)
{
	mp_byte(m, 0x90 | n);
}

/* positive fixint, else uint 32. */
static void
mp_uint(struct mp *m, uint32_t v)
{
	if (v < 128)
		mp_byte(m, v);
	else {
		mp_byte(m, 0xce);
		mp_be(m, v, 4);
	}
}

static void
mp_f64(struct mp *m, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	mp_byte(m, 0xcb);
	mp_be(m, u, 8);
}

static void
mp_f32(struct mp *m, float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	mp_byte(m, 0xca);
	mp_be(m, u, 4);
}

/* The timestamp extension (type -1) in its 32, 64 and 96-bit forms. */
static void
mp_ts32(struct mp *m, uint32_t sec)
{
	mp_byte(m, 0xd6);
	mp_byte(m, 0xff);
	mp_be(m, sec, 4);
}

static void
mp_ts64(struct mp *m, uint64_t sec, uint32_t nsec)
{
	mp_byte(m, 0xd7);
	mp_byte(m, 0xff);
	mp_be(m, (uint64_t)nsec << 34 | sec, 8);
}

static void
mp_ts96(struct mp *m, int64_t sec, uint32_t nsec)
{
	mp_byte(m, 0xc7);
	mp_byte(m, 12);
	mp_byte(m, 0xff);
	mp_be(m, nsec, 4);
	mp_be(m, (uint64_t)sec, 8);
}

/* "key": "value" */
static void
mp_kv(struct mp *m, const char *key, const char *value)
{
	mp_str(m, key);
	mp_str(m, value);
}

/* [{"T":"success","msg":msg}] */
static void
mp_success(struct mp *m, const char *msg)
{
	mp_arr(m, 1);
	mp_map(m, 2);
	mp_kv(m, "T", "success");
	mp_kv(m, "msg", msg);
}

/* {"T":"b","S":sym,"o":o,"h":h,"l":l,"c":c,"v":v,"n":461,"t":<ts32>}. */
static void
mp_bar(struct mp *m, const char *sym, double o, double h, double l,
    double c, uint32_t v, uint32_t t)
{
	mp_map(m, 9);
	mp_kv(m, "T", "b");
	mp_kv(m, "S", sym);
	mp_str(m, "o");
	mp_f64(m, o);
	mp_str(m, "h");
	mp_f64(m, h);
	mp_str(m, "l");
	mp_f64(m, l);
	mp_str(m, "c");
	mp_f64(m, c);
	mp_str(m, "v");
	mp_uint(m, v);
	mp_str(m, "n");
	mp_uint(m, 461);
	mp_str(m, "t");
	mp_ts32(m, t);
}

/* [{"T":"t","S":"AAPL","p":1,"s":1,"t":...}] up to the time's value,
 * which the caller writes. */
static void
mp_trade_head(struct mp *m)
{
	mp_arr(m, 1);
	mp_map(m, 5);
	mp_kv(m, "T", "t");
	mp_kv(m, "S", "AAPL");
	mp_str(m, "p");
	mp_f64(m, 1);
	mp_str(m, "s");
	mp_uint(m, 1);
	mp_str(m, "t");
}

static enum th_status
mp_message(const struct mp *m)
{
	return conn->on_message(&cx, state, (const char *)m->b, m->n);
}

/* Is sent message i exactly the bytes of m, in a binary frame? */
static int
mp_sent(size_t i, const struct mp *m)
{
	ck_assert_uint_lt(i, rec.nsent);
	return rec.sent_binary[i] && rec.sent_len[i] == m->n &&
	    memcmp(rec.sent[i], m->b, m->n) == 0;
}

START_TEST(alpaca_msgpack_handshake)
{
	struct mp m = { .n = 0 }, want = { .n = 0 };
	char out[256];

	alpaca_keys();
	set("format", "msgpack");
	start("alpaca_data");
	ck_assert_int_eq(conn->headers(&cx, state, out, sizeof out), TH_OK);
	ck_assert_str_eq(out, "APCA-API-KEY-ID: " KEY
	    "\nAPCA-API-SECRET-KEY: " SECRET
	    "\nContent-Type: application/msgpack");
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	mp_success(&m, "connected");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	/* {"action":"auth","key":KEY,"secret":SECRET}, packed. */
	mp_map(&want, 3);
	mp_kv(&want, "action", "auth");
	mp_kv(&want, "key", KEY);
	mp_kv(&want, "secret", SECRET);
	ck_assert_uint_eq(rec.nsent, 1);
	ck_assert_msg(mp_sent(0, &want), "auth is not the packed map");
	m.n = 0;
	mp_success(&m, "authenticated");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	ck_assert_int_eq(rec.ready, 1);
	ck_assert_int_eq(conn->subscribe(&cx, state, "AAPL", "1m"), TH_OK);
	want.n = 0;
	mp_map(&want, 2);
	mp_kv(&want, "action", "subscribe");
	mp_str(&want, "bars");
	mp_arr(&want, 1);
	mp_str(&want, "AAPL");
	ck_assert_msg(mp_sent(1, &want), "subscribe is not the packed map");
	ck_assert_int_eq(conn->subscribe(&cx, state, "MSFT", "5m"), TH_OK);
	want.n = 0;
	mp_map(&want, 2);
	mp_kv(&want, "action", "subscribe");
	mp_str(&want, "trades");
	mp_arr(&want, 1);
	mp_str(&want, "MSFT");
	ck_assert_msg(mp_sent(2, &want), "subscribe is not the packed map");
	/* [{"T":"subscription","trades":["MSFT"],"bars":["AAPL"]}] */
	m.n = 0;
	mp_arr(&m, 1);
	mp_map(&m, 3);
	mp_kv(&m, "T", "subscription");
	mp_str(&m, "trades");
	mp_arr(&m, 1);
	mp_str(&m, "MSFT");
	mp_str(&m, "bars");
	mp_arr(&m, 1);
	mp_str(&m, "AAPL");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	ck_assert(logged("subscribed: 1 bar and 1 trade streams"));
	/* [{"T":"error","code":403,...}] after a reconnect counts as ready;
	 * 402 ends the session. */
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	m.n = 0;
	mp_arr(&m, 1);
	mp_map(&m, 3);
	mp_kv(&m, "T", "error");
	mp_str(&m, "code");
	mp_byte(&m, 0xcd);
	mp_be(&m, 403, 2);
	mp_kv(&m, "msg", "already authenticated");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	ck_assert_int_eq(rec.ready, 2);
	m.n = 0;
	mp_arr(&m, 1);
	mp_map(&m, 3);
	mp_kv(&m, "T", "error");
	mp_str(&m, "code");
	mp_byte(&m, 0xcd);
	mp_be(&m, 402, 2);
	mp_kv(&m, "msg", "auth failed");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	ck_assert_uint_eq(rec.nfails, 1);
	ck_assert_ptr_nonnull(strstr(rec.fails[0], "auth failed"));
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(alpaca_msgpack_data)
{
	struct mp m = { .n = 0 };

	alpaca_keys();
	set("format", "msgpack");
	start("alpaca_data");
	/* A bar (timestamp 32), a trade (timestamp 64, float 32 price), a
	 * quote and an updated bar (both ignored), a trade with a 96-bit
	 * timestamp and a bar whose time is an RFC 3339 string. */
	mp_arr(&m, 6);
	mp_bar(&m, "SPY", 388.985, 389.13, 388.975, 389.12, 49378,
	    1614021300);
	mp_map(&m, 6);
	mp_kv(&m, "T", "t");
	mp_kv(&m, "S", "AAPL");
	mp_str(&m, "p");
	mp_f32(&m, 126.5f);
	mp_str(&m, "s");
	mp_uint(&m, 100);
	mp_str(&m, "t");
	mp_ts64(&m, 1614009104, 208000000);
	mp_str(&m, "c");
	mp_arr(&m, 2);
	mp_str(&m, "@");
	mp_str(&m, "I");
	mp_map(&m, 4);
	mp_kv(&m, "T", "q");
	mp_kv(&m, "S", "AMD");
	mp_str(&m, "bp");
	mp_f64(&m, 87.66);
	mp_str(&m, "t");
	mp_ts64(&m, 1614009105, 335689322);
	mp_map(&m, 3);
	mp_kv(&m, "T", "u");
	mp_kv(&m, "S", "SPY");
	mp_str(&m, "t");
	mp_ts32(&m, 1614021300);
	mp_map(&m, 5);
	mp_kv(&m, "T", "t");
	mp_kv(&m, "S", "MSFT");
	mp_str(&m, "p");
	mp_f64(&m, 234.5);
	mp_str(&m, "s");
	mp_uint(&m, 70000);
	mp_str(&m, "t");
	mp_ts96(&m, 1614009106, 1);
	mp_map(&m, 8);
	mp_kv(&m, "T", "b");
	mp_kv(&m, "S", "QQQ");
	mp_str(&m, "o");
	mp_uint(&m, 300);
	mp_str(&m, "h");
	mp_f64(&m, 301.5);
	mp_str(&m, "l");
	mp_uint(&m, 299);
	mp_str(&m, "c");
	mp_f64(&m, 301.25);
	mp_str(&m, "v");
	mp_uint(&m, 1234567);
	mp_kv(&m, "t", "2021-02-22T19:16:00Z");
	ck_assert_int_eq(mp_message(&m), TH_OK);
	ck_assert_uint_eq(rec.nbars, 2);
	assert_bar(0, "SPY", INT64_C(1614021300) * NS_PER_SEC, 388.985,
	    389.13, 388.975, 389.12, 49378, 1);
	assert_bar(1, "QQQ", INT64_C(1614021360) * NS_PER_SEC, 300, 301.5,
	    299, 301.25, 1234567, 1);
	ck_assert_uint_eq(rec.nticks, 2);
	ck_assert_str_eq(rec.ticks[0].symbol, "AAPL");
	ck_assert_int_eq(rec.ticks[0].time, INT64_C(1614009104208000000));
	ck_assert_double_eq(rec.ticks[0].price, 126.5);
	ck_assert_double_eq(rec.ticks[0].size, 100);
	ck_assert_str_eq(rec.ticks[1].symbol, "MSFT");
	ck_assert_int_eq(rec.ticks[1].time, INT64_C(1614009106000000001));
	ck_assert_double_eq(rec.ticks[1].size, 70000);
	/* A JSON text still reads in this format. */
	ck_assert_int_eq(message("[{\"T\":\"success\",\"msg\":\"connected\"}]"),
	    TH_OK);
	ck_assert_uint_eq(rec.nsent, 1);
}
END_TEST

/* Builds malformed message number i into m; 0 past the last. */
static int
mp_malformed(int i, struct mp *m)
{
	static const char bad_utf8[] = "\xa2\xc3\x28";
	size_t whole;

	m->n = 0;
	switch (i) {
	case 0:		/* nothing */
		return 1;
	case 1:		/* truncated: half a bar message */
		mp_arr(m, 1);
		mp_bar(m, "SPY", 1, 2, 0.5, 1.5, 10, 1614021300);
		m->n /= 2;
		return 1;
	case 2:		/* a byte after the message */
		mp_arr(m, 1);
		mp_bar(m, "SPY", 1, 2, 0.5, 1.5, 10, 1614021300);
		mp_byte(m, 0xc0);
		return 1;
	case 3:		/* a map, not an array */
		mp_bar(m, "SPY", 1, 2, 0.5, 1.5, 10, 1614021300);
		return 1;
	case 4:		/* an integer key (in a message ignored otherwise) */
		mp_arr(m, 1);
		mp_map(m, 2);
		mp_kv(m, "T", "u");
		mp_uint(m, 1);
		mp_str(m, "x");
		return 1;
	case 5:		/* a 5-byte timestamp extension */
		mp_trade_head(m);
		mp_byte(m, 0xc7);
		mp_byte(m, 5);
		mp_byte(m, 0xff);
		mp_be(m, 0, 5);
		return 1;
	case 6:		/* nanoseconds past 999999999 */
		mp_trade_head(m);
		mp_ts64(m, 1614009104, 1000000000);
		return 1;
	case 7:		/* invalid UTF-8 in a string (an ignored type) */
		mp_arr(m, 1);
		mp_map(m, 1);
		mp_str(m, "T");
		mp_raw(m, bad_utf8, 3);
		return 1;
	case 8:		/* a bar without its open */
		mp_arr(m, 1);
		mp_bar(m, "SPY", 1, 2, 0.5, 1.5, 10, 1614021300);
		whole = m->n;
		m->n = 0;
		mp_arr(m, 1);
		mp_map(m, 8);
		mp_kv(m, "T", "b");
		mp_kv(m, "S", "SPY");
		mp_str(m, "h");
		mp_f64(m, 2);
		mp_str(m, "l");
		mp_f64(m, 0.5);
		mp_str(m, "c");
		mp_f64(m, 1.5);
		mp_str(m, "v");
		mp_uint(m, 10);
		mp_str(m, "n");
		mp_uint(m, 1);
		mp_str(m, "t");
		mp_ts32(m, 1614021300);
		ck_assert_uint_lt(m->n, whole);
		return 1;
	case 9:		/* a size beyond int64 (uint 64) */
		mp_arr(m, 1);
		mp_map(m, 5);
		mp_kv(m, "T", "t");
		mp_kv(m, "S", "AAPL");
		mp_str(m, "p");
		mp_f64(m, 1);
		mp_str(m, "s");
		mp_byte(m, 0xcf);
		mp_be(m, UINT64_MAX, 8);
		mp_str(m, "t");
		mp_ts32(m, 1614009104);
		return 1;
	case 10:	/* a NaN price */
		mp_arr(m, 1);
		mp_map(m, 5);
		mp_kv(m, "T", "t");
		mp_kv(m, "S", "AAPL");
		mp_str(m, "p");
		mp_f64(m, NAN);
		mp_str(m, "s");
		mp_uint(m, 1);
		mp_str(m, "t");
		mp_ts32(m, 1614009104);
		return 1;
	case 11:	/* 0xc1, a byte the format never uses */
		mp_byte(m, 0xc1);
		return 1;
	case 12:	/* a timestamp before 1970 */
		mp_trade_head(m);
		mp_ts96(m, -1, 0);
		return 1;
	default:
		return 0;
	}
}

START_TEST(alpaca_msgpack_malformed)
{
	struct mp m;
	int i;

	alpaca_keys();
	set("format", "msgpack");
	start("alpaca_data");
	for (i = 0; mp_malformed(i, &m); i++)
		ck_assert_msg(mp_message(&m) == TH_ERR_INVALID, "malformed "
		    "message %d accepted", i);
	ck_assert_int_eq(i, 13);
	ck_assert_uint_eq(rec.nbars, 0);
	ck_assert_uint_eq(rec.nticks, 0);
	ck_assert_uint_eq(rec.nsent, 0);
}
END_TEST

START_TEST(alpaca_msgpack_history)
{
	struct mp m = { .n = 0 };

	alpaca_keys();
	set("format", "msgpack");
	start("alpaca_data");
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1m", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	/* {"bars":[{"t":<ts>,"o":..,...}],"symbol":"AAPL",
	 * "next_page_token":nil} */
	mp_map(&m, 3);
	mp_str(&m, "bars");
	mp_arr(&m, 1);
	mp_map(&m, 6);
	mp_str(&m, "t");
	mp_ts32(&m, 1643725800);
	mp_str(&m, "o");
	mp_f64(&m, 174.1);
	mp_str(&m, "h");
	mp_f64(&m, 174.5);
	mp_str(&m, "l");
	mp_f64(&m, 173.9);
	mp_str(&m, "c");
	mp_f64(&m, 174.2);
	mp_str(&m, "v");
	mp_uint(&m, 1200);
	mp_kv(&m, "symbol", "AAPL");
	mp_str(&m, "next_page_token");
	mp_byte(&m, 0xc0);
	ck_assert_int_eq(conn->on_http(&cx, state, TH_HTTP_HISTORY, "AAPL",
	    200, (const char *)m.b, m.n), TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 1);
	ck_assert_uint_eq(rec.nbars, 1);
	assert_bar(0, "AAPL", AT_1430, 174.1, 174.5, 173.9, 174.2, 1200, 1);
	/* A JSON body reads too. */
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1m", AT_1430,
	    AT_1430 + 3 * MINUTE), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200, "{\"bars\":["
	    ALPACA_BAR("2022-02-01T14:31:00Z", "174.3") "],\"symbol\":\"AAPL\","
	    "\"next_page_token\":null}"), TH_OK);
	ck_assert_uint_eq(rec.nbars, 2);
}
END_TEST

START_TEST(alpaca_format_setting)
{
	char out[256];

	alpaca_keys();
	set("format", "xml");
	load("alpaca_data");
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
	ck_assert(logged("format 'xml'"));
	rec.settings[2][1] = "json";
	start("alpaca_data");
	ck_assert_int_eq(conn->headers(&cx, state, out, sizeof out), TH_OK);
	ck_assert_ptr_null(strstr(out, "Content-Type"));
}
END_TEST

START_TEST(yahoo_history)
{
	char url[512];

	start("yahoo");
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1m", Y0 *
	    NS_PER_SEC, (Y0 + 240) * NS_PER_SEC - 1), TH_OK);
	snprintf(url, sizeof url, REST "/v8/finance/chart/AAPL?period1=%"
	    PRId64 "&period2=%" PRId64 "&interval=1m", Y0, Y0 + 240);
	ck_assert_str_eq(rec.http[0].url, url);
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_HISTORY);
	ck_assert_str_eq(rec.http[0].key, "AAPL");
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200,
	    "{\"chart\":{\"result\":[{\"meta\":{\"currency\":\"USD\","
	    "\"symbol\":\"AAPL\",\"dataGranularity\":\"1m\"},"
	    "\"timestamp\":[1726459200,1726459260,1726459320,1726459380],"
	    "\"indicators\":{\"quote\":[{"
	    "\"volume\":[59788400,null,100,5],"
	    "\"open\":[217.55,217.59,null,218],"
	    "\"low\":[217.1,217.2,217.3,217.4],"
	    "\"high\":[221.0,221.5,222,222.5],"
	    "\"close\":[220.69000244140625,220.69000244140625,220,221]}]}}],"
	    "\"error\":null}}"), TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 1);
	ck_assert_uint_eq(rec.nbars, 3);
	/* Float32 artefacts are kept as given. */
	assert_bar(0, "AAPL", Y0 * NS_PER_SEC, 217.55, 221.0, 217.1,
	    220.69000244140625, 59788400, 1);
	ck_assert(rec.bars[0].close != 220.69);
	/* A null volume reads as 0; a null price skips the bar. */
	assert_bar(1, "AAPL", (Y0 + 60) * NS_PER_SEC, 217.59, 221.5, 217.2,
	    220.69000244140625, 0, 1);
	assert_bar(2, "AAPL", (Y0 + 180) * NS_PER_SEC, 218, 222.5, 217.4, 221,
	    5, 1);
	ck_assert(logged("2024-09-16T04:02:00Z"));
	ck_assert(logged("open"));
}
END_TEST

START_TEST(yahoo_symbols)
{
	start("yahoo");
	ck_assert_int_eq(conn->history(&cx, state, "^GSPC", "1h", Y0 *
	    NS_PER_SEC, (Y0 + 3600) * NS_PER_SEC), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[0].url,
	    "/v8/finance/chart/%5EGSPC?"));
	ck_assert_ptr_nonnull(strstr(rec.http[0].url, "&interval=60m"));
	ck_assert_str_eq(rec.http[0].key, "^GSPC");
	ck_assert_int_eq(conn->history(&cx, state, "EURUSD=X", "1d", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[1].url, "chart/EURUSD%3DX?"));
	ck_assert_ptr_nonnull(strstr(rec.http[1].url, "&interval=1d"));
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "4h", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_ERR_INVALID);
	ck_assert_int_eq(conn->history(&cx, state, "^GSPC", "1h", Y0 *
	    NS_PER_SEC, (Y0 + 3600) * NS_PER_SEC), TH_ERR_STATE);
}
END_TEST

START_TEST(yahoo_errors)
{
	start("yahoo");
	ck_assert_int_eq(conn->history(&cx, state, "NOPE", "1d", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "NOPE", 404,
	    "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\","
	    "\"description\":\"No data found, symbol may be delisted\"}}}"),
	    TH_OK);
	ck_assert_uint_eq(rec.ndone, 1);
	ck_assert_int_eq(rec.done_ok[0], 0);
	ck_assert(logged("No data found, symbol may be delisted"));
	/* No bars: no timestamp and an empty quote. */
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1d", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200,
	    "{\"chart\":{\"result\":[{\"meta\":{},\"indicators\":"
	    "{\"quote\":[{}]}}],\"error\":null}}"), TH_OK);
	ck_assert_int_eq(rec.done_ok[1], 1);
	/* Arrays shorter than the time stamps, or not JSON. */
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1d", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 200,
	    "{\"chart\":{\"result\":[{\"timestamp\":[1726459200],"
	    "\"indicators\":{\"quote\":[{\"open\":[1],\"high\":[1],"
	    "\"low\":[1],\"close\":[]}]}}],\"error\":null}}"), TH_OK);
	ck_assert_int_eq(rec.done_ok[2], 0);
	ck_assert_int_eq(conn->history(&cx, state, "AAPL", "1d", Y0 *
	    NS_PER_SEC, (Y0 + 86400) * NS_PER_SEC), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_HISTORY, "AAPL", 429,
	    "Too Many Requests\r\n"), TH_OK);
	ck_assert_int_eq(rec.done_ok[3], 0);
	ck_assert(logged("HTTP 429: Too Many Requests"));
	ck_assert_uint_eq(rec.nbars, 0);
}
END_TEST

/* ---- alpaca broker ---- */

#define ORDER_ID "61e69015-8549-4bfd-b9c3-01e75843f47d"
#define ORDER(status, filled, price) "{\"id\":\"" ORDER_ID "\"," \
	"\"client_order_id\":\"th-1\",\"created_at\":" \
	"\"2021-03-16T18:38:01.942282Z\",\"updated_at\":" \
	"\"2021-03-16T18:38:01.942282Z\",\"submitted_at\":" \
	"\"2021-03-16T18:38:01.937734Z\",\"filled_at\":null," \
	"\"expired_at\":null,\"canceled_at\":null,\"failed_at\":null," \
	"\"replaced_at\":null,\"replaced_by\":null,\"replaces\":null," \
	"\"asset_id\":\"b0b6dd9d-8b9b-48a9-ba46-b9d54906e415\"," \
	"\"symbol\":\"AAPL\",\"asset_class\":\"us_equity\"," \
	"\"notional\":null,\"qty\":\"10\",\"filled_qty\":\"" filled "\"," \
	"\"filled_avg_price\":" price ",\"order_class\":\"\"," \
	"\"order_type\":\"limit\",\"type\":\"limit\",\"side\":\"buy\"," \
	"\"time_in_force\":\"day\",\"limit_price\":\"150.25\"," \
	"\"stop_price\":null,\"status\":\"" status "\"," \
	"\"extended_hours\":false,\"legs\":null,\"trail_percent\":null," \
	"\"trail_price\":null,\"hwm\":null}"
/* 2021-03-16T18:38:01.942282Z */
#define ORDER_T INT64_C(1615919881942282000)

static struct th_broker_order
order(const char *id, int side, double qty, double limit)
{
	struct th_broker_order o = { 0 };

	o.struct_size = sizeof o;
	o.symbol = "AAPL";
	o.client_id = id;
	o.side = side;
	o.qty = qty;
	o.limit = limit;
	return o;
}

static const struct update_rec *
update(size_t i, const char *client_id, enum th_order_state st)
{
	ck_assert_uint_lt(i, rec.nupdates);
	ck_assert_str_eq(rec.updates[i].client_id, client_id);
	ck_assert_int_eq(rec.updates[i].u.state, st);
	return &rec.updates[i];
}

START_TEST(broker_submit)
{
	struct th_broker_order o = order("th-1", +1, 10, 150.25);
	char out[256];

	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(conn->headers(&cx, state, out, sizeof out), TH_OK);
	ck_assert_str_eq(out, "APCA-API-KEY-ID: " KEY
	    "\nAPCA-API-SECRET-KEY: " SECRET);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_OK);
	ck_assert_str_eq(rec.http[0].method, "POST");
	ck_assert_str_eq(rec.http[0].url, REST "/v2/orders");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_ORDER);
	ck_assert_str_eq(rec.http[0].key, "th-1");
	ck_assert_str_eq(rec.http[0].body, "{\"symbol\":\"AAPL\","
	    "\"qty\":\"10\",\"side\":\"buy\",\"type\":\"limit\","
	    "\"time_in_force\":\"day\","
	    "\"limit_price\":\"150.25\",\"client_order_id\":\"th-1\"}");
	o = order("th-2", -1, 3, NAN);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_OK);
	ck_assert_str_eq(rec.http[1].body, "{\"symbol\":\"AAPL\",\"qty\":\"3\","
	    "\"side\":\"sell\",\"type\":\"market\",\"time_in_force\":\"day\","
	    "\"client_order_id\":\"th-2\"}");
	o = order("th-3", +1, 1, 0.1 + 0.2);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_OK);
	ck_assert_ptr_nonnull(strstr(rec.http[2].body,
	    "\"limit_price\":\"0.30000000000000004\""));
	o = order("th-4", 0, 1, NAN);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_ERR_INVALID);
	o = order("th-4", 1, 0, NAN);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_ERR_INVALID);
	o = order("", 1, 1, NAN);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_ERR_INVALID);
	o = order("th-4", 1, 1, -5);
	ck_assert_int_eq(conn->submit(&cx, state, &o), TH_ERR_INVALID);
	ck_assert_uint_eq(rec.nhttp, 3);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(broker_response)
{
	const struct update_rec *r;

	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("accepted", "0", "null")), TH_OK);
	r = update(0, "th-1", TH_ORDER_ACCEPTED);
	ck_assert_str_eq(r->broker_id, ORDER_ID);
	ck_assert_double_eq(r->u.filled_qty, 0);
	ck_assert(isnan(r->u.avg_price));
	ck_assert_int_eq(r->u.time, ORDER_T);
	ck_assert(!r->has_reason);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("partially_filled", "4", "\"150.2\"")), TH_OK);
	r = update(1, "th-1", TH_ORDER_PARTIAL);
	ck_assert_double_eq(r->u.filled_qty, 4);
	ck_assert_double_eq(r->u.avg_price, 150.2);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("new", "4", "\"150.2\"")), TH_OK);
	update(2, "th-1", TH_ORDER_PARTIAL);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("filled", "10", "\"150.21\"")), TH_OK);
	update(3, "th-1", TH_ORDER_FILLED);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("done_for_day", "0", "null")), TH_OK);
	update(4, "th-1", TH_ORDER_CANCELED);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("rejected", "0", "null")), TH_OK);
	update(5, "th-1", TH_ORDER_REJECTED);
	/* Unknown statuses and broken objects report nothing. */
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("sleeping", "0", "null")), TH_ERR_INVALID);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200,
	    ORDER("new", "x", "null")), TH_ERR_INVALID);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200, "[]"),
	    TH_ERR_INVALID);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 200, "not json"),
	    TH_ERR_INVALID);
	ck_assert_uint_eq(rec.nupdates, 6);
}
END_TEST

START_TEST(broker_rejected)
{
	const struct update_rec *r;

	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-1", 422,
	    "{\"code\":40010001,\"message\":\"qty must be > 0\"}"), TH_OK);
	r = update(0, "th-1", TH_ORDER_REJECTED);
	ck_assert_ptr_nonnull(strstr(r->reason, "qty must be > 0"));
	ck_assert(isnan(r->u.avg_price));
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-2", 403,
	    "{\"code\":40310000,\"message\":\"insufficient buying power\"}"),
	    TH_OK);
	r = update(1, "th-2", TH_ORDER_REJECTED);
	ck_assert_ptr_nonnull(strstr(r->reason, "insufficient buying power"));
	/* A re-sent order that Alpaca already has is looked up. */
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-3", 422,
	    "{\"code\":40010001,\"message\":\"client_order_id must be "
	    "unique\"}"), TH_OK);
	ck_assert_uint_eq(rec.nupdates, 2);
	ck_assert_uint_eq(rec.nhttp, 1);
	ck_assert_str_eq(rec.http[0].url, REST "/v2/orders:by_client_order_id"
	    "?client_order_id=th-3");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_ORDERS);
	ck_assert_int_eq(respond(TH_HTTP_ORDERS, "th-1", 200,
	    ORDER("new", "0", "null")), TH_OK);
	update(2, "th-1", TH_ORDER_ACCEPTED);
	/* Server errors leave the state to a poll; a refused key fails. */
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-4", 500, "oops"), TH_OK);
	ck_assert_uint_eq(rec.nupdates, 3);
	ck_assert_uint_eq(rec.nfails, 0);
	ck_assert_int_eq(respond(TH_HTTP_ORDER, "th-5", 401,
	    "{\"message\":\"unauthorized\"}"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 1);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(broker_cancel)
{
	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(conn->cancel(&cx, state, "th-1", ORDER_ID), TH_OK);
	ck_assert_str_eq(rec.http[0].method, "DELETE");
	ck_assert_str_eq(rec.http[0].url, REST "/v2/orders/" ORDER_ID);
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_CANCEL);
	ck_assert_str_eq(rec.http[0].key, "th-1");
	ck_assert(!rec.http[0].has_body);
	ck_assert_int_eq(respond(TH_HTTP_CANCEL, "th-1", 204, ""), TH_OK);
	ck_assert_uint_eq(rec.nupdates, 0);
	ck_assert_int_eq(respond(TH_HTTP_CANCEL, "th-1", 422,
	    "{\"code\":42210000,\"message\":\"order is not cancelable\"}"),
	    TH_OK);
	ck_assert(logged("order is not cancelable"));
	ck_assert_int_eq(respond(TH_HTTP_CANCEL, "th-1", 404,
	    "{\"code\":40410000,\"message\":\"order not found\"}"), TH_OK);
	ck_assert(logged("order not found"));
	ck_assert_uint_eq(rec.nupdates, 0);
	ck_assert_int_eq(conn->cancel(&cx, state, "th-2", NULL), TH_ERR_STATE);
	ck_assert_uint_eq(rec.nhttp, 1);
}
END_TEST

START_TEST(broker_stream)
{
	const struct update_rec *r;
	char out[64];

	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(conn->stream_path(&cx, state, NULL, 0, "", out,
	    sizeof out), TH_OK);
	ck_assert_str_eq(out, "/stream");
	ck_assert_int_eq(conn->on_open(&cx, state), TH_OK);
	ck_assert_str_eq(rec.sent[0], "{\"action\":\"authenticate\",\"data\":"
	    "{\"key_id\":\"" KEY "\",\"secret_key\":\"" SECRET "\"}}");
	ck_assert_int_eq(rec.ready, 0);
	ck_assert_int_eq(message("{\"stream\":\"authorization\",\"data\":"
	    "{\"status\":\"authorized\",\"action\":\"authenticate\"}}"), TH_OK);
	ck_assert_str_eq(rec.sent[1], "{\"action\":\"listen\",\"data\":"
	    "{\"streams\":[\"trade_updates\"]}}");
	ck_assert_int_eq(rec.ready, 1);
	ck_assert_int_eq(message("{\"stream\":\"listening\",\"data\":"
	    "{\"streams\":[\"trade_updates\"]}}"), TH_OK);
	ck_assert_int_eq(message("{\"stream\":\"trade_updates\",\"data\":"
	    "{\"event\":\"fill\",\"execution_id\":\"7922ab44\",\"order\":"
	    ORDER("filled", "10", "\"179.08\"") ",\"timestamp\":"
	    "\"2021-03-16T18:39:00.5Z\",\"position_qty\":\"100\","
	    "\"price\":\"179.08\",\"qty\":\"10\"}}"), TH_OK);
	r = update(0, "th-1", TH_ORDER_FILLED);
	ck_assert_double_eq(r->u.filled_qty, 10);
	ck_assert_double_eq(r->u.avg_price, 179.08);
	ck_assert_int_eq(r->u.time, INT64_C(1615919940500000000));
	ck_assert_int_eq(message("{\"stream\":\"trade_updates\",\"data\":"
	    "{\"event\":\"canceled\",\"order\":"
	    ORDER("canceled", "0", "null") ",\"timestamp\":"
	    "\"2021-03-16T18:40:00Z\"}}"), TH_OK);
	update(1, "th-1", TH_ORDER_CANCELED);
	ck_assert_int_eq(message("{\"stream\":\"trade_updates\",\"data\":"
	    "{\"event\":\"fill\"}}"), TH_ERR_INVALID);
	ck_assert_int_eq(message("{\"data\":{}}"), TH_ERR_INVALID);
	ck_assert_int_eq(message("\"text\""), TH_ERR_INVALID);
	ck_assert_uint_eq(rec.nupdates, 2);
	ck_assert_int_eq(message("{\"stream\":\"authorization\",\"data\":"
	    "{\"action\":\"authenticate\",\"message\":\"access key "
	    "verification failed\",\"status\":\"unauthorized\"}}"), TH_OK);
	ck_assert_uint_eq(rec.nfails, 1);
	assert_secret_hidden(SECRET);
}
END_TEST

START_TEST(broker_poll)
{
	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(conn->poll(&cx, state), TH_OK);
	ck_assert_str_eq(rec.http[0].method, "GET");
	ck_assert_str_eq(rec.http[0].url, REST "/v2/orders?status=all"
	    "&limit=100");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_ORDERS);
	ck_assert_int_eq(respond(TH_HTTP_ORDERS, NULL, 200, "["
	    ORDER("expired", "0", "null") "," ORDER("filled", "10",
	    "\"150.1\"") "]"), TH_OK);
	ck_assert_uint_eq(rec.nupdates, 2);
	update(0, "th-1", TH_ORDER_CANCELED);
	update(1, "th-1", TH_ORDER_FILLED);
	ck_assert_int_eq(respond(TH_HTTP_ORDERS, NULL, 200, "[]"), TH_OK);
	ck_assert_int_eq(respond(TH_HTTP_ORDERS, NULL, 200, "[1]"),
	    TH_ERR_INVALID);
	ck_assert_int_eq(respond(TH_HTTP_ORDERS, NULL, 500, "{}"), TH_OK);
	ck_assert_uint_eq(rec.nupdates, 2);
	ck_assert_int_eq(respond(77, NULL, 200, "[]"), TH_ERR_INVALID);
}
END_TEST

/* GET /v2/positions: signed quantities (a short one is negative, also
 * when only "side" says so), then done; a bad answer is a failed read. */
START_TEST(broker_positions)
{
	alpaca_keys();
	start("alpaca_broker");
	ck_assert_int_eq(conn->positions(&cx, state), TH_OK);
	ck_assert_str_eq(rec.http[0].method, "GET");
	ck_assert_str_eq(rec.http[0].url, REST "/v2/positions");
	ck_assert_int_eq(rec.http[0].purpose, TH_HTTP_POSITIONS);
	ck_assert_int_eq(respond(TH_HTTP_POSITIONS, NULL, 200, "["
	    "{\"symbol\":\"AAPL\",\"qty\":\"3\",\"side\":\"long\","
	    "\"avg_entry_price\":\"150.25\"},"
	    "{\"symbol\":\"MSFT\",\"qty\":\"-2\",\"side\":\"short\","
	    "\"avg_entry_price\":\"400\"},"
	    "{\"symbol\":\"TSLA\",\"qty\":\"5\",\"side\":\"short\","
	    "\"avg_entry_price\":null}]"), TH_OK);
	ck_assert_uint_eq(rec.npos, 3);
	ck_assert_str_eq(rec.pos_symbols[0], "AAPL");
	ck_assert_double_eq(rec.pos_qty[0], 3);
	ck_assert_double_eq(rec.pos_avg[0], 150.25);
	ck_assert_double_eq(rec.pos_qty[1], -2);
	ck_assert_double_eq(rec.pos_qty[2], -5);
	ck_assert(isnan(rec.pos_avg[2]));
	ck_assert_int_eq(rec.positions_done, 1);
	rec.positions_done = 0;
	ck_assert_int_eq(respond(TH_HTTP_POSITIONS, NULL, 200,
	    "[{\"symbol\":\"AAPL\"}]"), TH_ERR_INVALID);
	ck_assert_int_eq(rec.positions_done, -1);
	rec.positions_done = 0;
	ck_assert_int_eq(respond(TH_HTTP_POSITIONS, NULL, 401,
	    "{\"message\":\"unauthorized\"}"), TH_OK);
	ck_assert_int_eq(rec.positions_done, -1);
	ck_assert_uint_eq(rec.nfails, 1);
}
END_TEST

START_TEST(broker_no_keys)
{
	load("alpaca_broker");
	set("key_id", KEY);
	ck_assert_int_ne(conn->open(&cx, &state), TH_OK);
	ck_assert(logged("APCA_API_SECRET_KEY"));
}
END_TEST

/* ---- rfc3339.c (compiled into the plugins and into this test) ---- */

static int64_t
parse(const char *s)
{
	int64_t ns = -42;

	ck_assert_msg(rfc3339_parse(s, &ns) == 0, "refused %s", s);
	return ns;
}

START_TEST(rfc3339)
{
	static const char *const bad[] = {
		"", "2021-02-22", "2021-02-22T15:51:44", "2021-02-22T15:51Z",
		"2021-02-22T15:51:44.Z", "2021-13-01T00:00:00Z",
		"2023-02-29T00:00:00Z", "2021-02-22T24:00:00Z",
		"2021-02-22T15:51:44+0500", "2021-02-22T15:51:44Z ",
		"21-02-22T15:51:44Z", "2021-02-22X15:51:44Z",
	};
	char out[40];
	int64_t ns = 7;
	size_t i;

	ck_assert_int_eq(parse("2021-02-22T15:51:44.208Z"),
	    INT64_C(1614009104208000000));
	ck_assert_int_eq(parse("2021-02-22T10:51:44.208-05:00"),
	    INT64_C(1614009104208000000));
	ck_assert_int_eq(parse("2021-02-22t21:21:44.208+05:30"),
	    INT64_C(1614009104208000000));
	ck_assert_int_eq(parse("2021-02-22T15:51:45.335689322Z"),
	    INT64_C(1614009105335689322));
	ck_assert_int_eq(parse("2021-02-22 15:51:45.3356893229999z"),
	    INT64_C(1614009105335689322));
	ck_assert_int_eq(parse("2024-02-29T00:00:00Z"),
	    INT64_C(1709164800) * NS_PER_SEC);
	ck_assert_int_eq(parse("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(parse("1969-12-31T23:59:59.5Z"), -500000000);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(rfc3339_parse(bad[i], &ns) < 0, "took %s",
		    bad[i]);
	ck_assert_int_eq(rfc3339_parse(NULL, &ns), -1);
	ck_assert_int_eq(ns, 7);

	rfc3339_format(INT64_C(1614009104208000000), out, sizeof out);
	ck_assert_str_eq(out, "2021-02-22T15:51:44.208Z");
	rfc3339_format(INT64_C(1614009105335689322), out, sizeof out);
	ck_assert_str_eq(out, "2021-02-22T15:51:45.335689322Z");
	rfc3339_format(INT64_C(1709164800) * NS_PER_SEC, out, sizeof out);
	ck_assert_str_eq(out, "2024-02-29T00:00:00Z");
	rfc3339_format(-500000000, out, sizeof out);
	ck_assert_str_eq(out, "1969-12-31T23:59:59.5Z");
	rfc3339_format(0, out, 5);
	ck_assert_str_eq(out, "1970");
}
END_TEST

/* ---- the suite ---- */

static void
add(Suite *s, const char *name, const TTest *fn, int n)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, fn, 0, n);
	suite_add_tcase(s, tc);
}

static Suite *
connectors_suite(void)
{
	Suite *s = suite_create("connectors");

	add(s, "rfc3339", rfc3339, 1);
	add(s, "descriptor", descriptor, sizeof expect / sizeof expect[0]);
	add(s, "binance_kline", binance_kline, 1);
	add(s, "binance_combined", binance_combined, 1);
	add(s, "binance_control", binance_control, 1);
	add(s, "binance_malformed", binance_malformed, 1);
	add(s, "binance_kline_prefixes", binance_kline_prefixes, 1);
	add(s, "binance_kline_forms", binance_kline_forms, 1);
	add(s, "binance_kline_decimals", binance_kline_decimals, 1);
	add(s, "binance_stream", binance_stream, 1);
	add(s, "binance_history", binance_history, 1);
	add(s, "binance_history_end", binance_history_end, 1);
	add(s, "binance_history_error", binance_history_error, 1);
	add(s, "binance_instances", binance_instances, 1);
	add(s, "finnhub_stream", finnhub_stream, 1);
	add(s, "finnhub_trades", finnhub_trades, 1);
	add(s, "finnhub_errors", finnhub_errors, 1);
	add(s, "finnhub_no_token", finnhub_no_token, 1);
	add(s, "alpaca_handshake", alpaca_handshake, 1);
	add(s, "alpaca_auth_errors", alpaca_auth_errors, 1);
	add(s, "alpaca_no_keys", alpaca_no_keys, 1);
	add(s, "alpaca_stream_data", alpaca_stream_data, 1);
	add(s, "alpaca_history", alpaca_history, 1);
	add(s, "alpaca_history_errors", alpaca_history_errors, 1);
	add(s, "alpaca_msgpack_handshake", alpaca_msgpack_handshake, 1);
	add(s, "alpaca_msgpack_data", alpaca_msgpack_data, 1);
	add(s, "alpaca_msgpack_malformed", alpaca_msgpack_malformed, 1);
	add(s, "alpaca_msgpack_history", alpaca_msgpack_history, 1);
	add(s, "alpaca_format_setting", alpaca_format_setting, 1);
	add(s, "yahoo_history", yahoo_history, 1);
	add(s, "yahoo_symbols", yahoo_symbols, 1);
	add(s, "yahoo_errors", yahoo_errors, 1);
	add(s, "broker_submit", broker_submit, 1);
	add(s, "broker_response", broker_response, 1);
	add(s, "broker_rejected", broker_rejected, 1);
	add(s, "broker_cancel", broker_cancel, 1);
	add(s, "broker_stream", broker_stream, 1);
	add(s, "broker_poll", broker_poll, 1);
	add(s, "broker_positions", broker_positions, 1);
	add(s, "broker_no_keys", broker_no_keys, 1);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(connectors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
