/*
 * replayd: the loopback replay server of the live-trading tests and
 * benchmarks.  One process serves one provider's real wire format
 * (../shared/spec/wire-formats.md) over HTTP and WebSocket on one lws
 * vhost, on 127.0.0.1 only.  The sources are split under tests/replay/.
 *
 * PROCESS
 *   Binds 127.0.0.1:--port (0, the default, lets the kernel pick), prints
 *   "replayd: listening on 127.0.0.1:PORT" on stderr and, with --port-file
 *   F, writes "PORT\n" to F.tmp and renames it to F.  Exits 0 after
 *   --idle-exit SEC (10; 0 = never) with no WebSocket client connected and
 *   no HTTP request, or on SIGTERM/SIGINT; 2 on bad options; 1 when a
 *   fixture cannot be read or the port cannot be bound.
 *
 * STREAM MODEL (WebSocket providers)
 *   The stream is the fixture's lines in order (JSON Lines, one server
 *   message a line), --repeat N times (each loop's times shifted by the
 *   fixture's span: klines and bars by whole intervals, so times keep
 *   increasing), or --synthetic N generated messages (binance, finnhub:
 *   deterministic random walk, fixed seed, times from 2026-11-02).
 *   Data starts --start-delay-ms (100) after the connection's first
 *   subscription, so subscriptions sent together all apply from the first
 *   message; it then goes one message per WRITEABLE as fast as the socket
 *   takes it (--speed max, default) or at --rate N messages per second.
 *   Messages for nothing the connection subscribed to are skipped (they
 *   pass, like time).  A connection starts at the position where the last
 *   closed connection stopped (0 for the first), so a client that
 *   reconnects resumes without a gap or duplicate.  At the end of the
 *   stream the connection stays open and quiet, or with --close-at-end is
 *   closed with 1000.  Control replies are queued ahead of data.
 *
 * binance    WS /ws/<stream> (raw payloads), /stream?streams=a/b (each
 *            message {"stream":NAME,"data":PAYLOAD}), /ws (SUBSCRIBE only).
 *            {"method":"SUBSCRIBE"|"UNSUBSCRIBE","params":[...],"id":N} ->
 *            {"result":null,"id":N}; LIST_SUBSCRIPTIONS -> {"result":[...],
 *            "id":N}; bad JSON -> {"code":3,"msg":"Invalid JSON: ..."};
 *            other -> {"code":2,"msg":"Invalid request: ...","id":N}.
 *            Fixture lines are kline payloads; a line belongs to stream
 *            lower(s)+"@kline_"+k.i (names are matched exactly).  A ping
 *            frame every --ping-ms (20000).
 * finnhub    WS any path, ?token=T checked when --token is given (else
 *            {"type":"error","msg":"Invalid API key"} and close 1008).
 *            {"type":"subscribe"|"unsubscribe","symbol":S}; anything else
 *            -> {"type":"error","msg":"Invalid message"}.  Trade messages
 *            are cut to the subscribed symbols; {"type":"ping"} lines pass
 *            (synthetic: a ping every 100 messages).
 * alpaca-data WS any path.  [{"T":"success","msg":"connected"}]; auth by
 *            {"action":"auth","key","secret"} or APCA-API-KEY-ID /
 *            APCA-API-SECRET-KEY upgrade headers, checked against --key /
 *            --secret -> [{"T":"success","msg":"authenticated"}], wrong ->
 *            402 "auth failed" + close; none within --auth-timeout-ms
 *            (10000) -> 404 "auth timeout" + close; second auth -> 403;
 *            subscribe before auth -> 401; a second simultaneous connection
 *            -> 406 "connection limit exceeded" + close (close code 1008).
 *            subscribe/unsubscribe -> the full subscription message
 *            (corrections/cancelErrors follow trades).  Array elements are
 *            kept if T "b" and S (or "*") is in bars, T "t" and S in
 *            trades.  An upgrade with "Content-Type: application/msgpack"
 *            gets all of it as MessagePack in binary frames (times as
 *            timestamp extensions) and has its messages read as
 *            MessagePack.
 * alpaca-trading HTTP + WS /stream (every frame BINARY).
 *            {"action":"authenticate","data":{"key_id","secret_key"}} or
 *            {"action":"auth","key","secret"} -> {"stream":"authorization",
 *            "data":{"status":"authorized"|"unauthorized","action":A}}
 *            (unauthorized closes); {"action":"listen","data":{"streams":
 *            ["trade_updates"]}} -> {"stream":"listening","data":{...}}.
 *            Events to every listener: {"stream":"trade_updates","data":
 *            {"event","order","timestamp"[,"execution_id","price","qty",
 *            "position_qty"]}}.  POST /v2/orders {symbol, qty, side
 *            buy|sell, type market|limit, time_in_force, limit_price,
 *            client_order_id} -> 200 order (decimal strings, nulls) with
 *            status "accepted" when it fills at once (market, or a limit at
 *            or through --fill-price, 100), then events new + fill and the
 *            order is "filled" at --fill-price; else "new" (event new) and
 *            it rests, or with ioc/fok is "canceled".  Duplicate
 *            client_order_id or invalid fields -> 422 {"code":42210000,..};
 *            non-JSON -> 400.  GET /v2/orders?status=open|closed|all (newest
 *            first), GET /v2/orders/{id}, GET /v2/orders:by_client_order_id
 *            ?client_order_id=, DELETE /v2/orders/{id} -> 204 (event
 *            canceled; 404 unknown, 422 not open), DELETE /v2/orders -> 207,
 *            GET /v2/positions[/{symbol}], GET /v2/account (cash --cash,
 *            100000).  With --key, HTTP needs the APCA headers (else 401
 *            {"message":"unauthorized"}).
 * yahoo      HTTP GET /v8/finance/chart/{symbol}?period1=&period2=
 *            &interval=1m -> the chart envelope for bars with period1 <= t
 *            < period2 (both optional); OHLC printed %.17g of (float)x,
 *            volume ints, null for empty cells; no bars -> no "timestamp"
 *            and "quote":[{}].  Unknown symbol -> 404 {"chart":{"result":
 *            null,"error":{"code":"Not Found","description":"No data found,
 *            symbol may be delisted"}}}; interval other than 1m -> 400.
 * alpaca-bars HTTP GET /v2/stocks/{symbol}/bars and /v2/stocks/bars?symbols=
 *            A,B with timeframe=1Min (or 1T; else 422 {"code":42210000,..}),
 *            start/end RFC-3339 (end inclusive), limit 1-10000 (1000),
 *            page_token (base64 "SYM|M|time", as Alpaca's look).  Bars
 *            {t,o,h,l,c,v,n,vw} (n = 1 + v/250, vw = (h+l+c)/3 to 4
 *            places); a fixture bar with an empty cell is left out.  Multi:
 *            {"bars":{SYM:[..]},"next_page_token"}, symbols sorted, limit
 *            counts across symbols.  --key -> APCA headers required (401).
 *
 *   HTTP fixtures: --fixture [SYM=]FILE, repeatable (SYM defaults to
 *   --symbol, AAPL), CSV "time,Open,High,Low,Close,Volume", time RFC-3339.
 *   --reveal N shows only the first N bars, and each request the provider
 *   answers (not those --http-status rejects) shows --reveal-step K (1)
 *   more: request i (from 0) sees N + K*i bars.
 *
 * FAULTS (WebSocket ones count data messages sent on the current
 * connection, 1-based, and fire once per process)
 *   --drop-after N   after N messages, shut the TCP connection down (no
 *                    close frame: 1006); --lose K skips K stream positions
 *                    (fixture lines), so the client must backfill.
 *   --stall-after N --stall-ms MS  after N messages, send nothing (no data,
 *                    no pings) and read nothing (client pings unanswered)
 *                    for MS.
 *   --malformed-at N message N is the first half of the real message,
 *                    which follows intact as N+1 (no data lost).
 *   --out-of-order-at N  messages N and N+1 swapped.
 *   --no-pong        once data flows, stop reading from the client, so its
 *                    pings get no pong (nor are later messages read).
 *   --http-status CODE:COUNT  the first COUNT HTTP requests get CODE with
 *                    {"code":CODE0000,"message":..}; 429 adds Retry-After: 1.
 *
 * --log-requests F appends one line per event: "ws-open PATH[?QUERY]"
 * (token=<redacted>), "ws-recv MESSAGE" (key, secret, key_id, secret_key,
 * token values replaced by "<redacted>"; "ws-recv-msgpack MESSAGE" for
 * a MessagePack one, in its JSON form), "http METHOD PATH[?QUERY]
 * auth=present|absent".  Secrets are never written.
 */
#include "replay/replayd.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

struct server srv;
static volatile sig_atomic_t interrupted;
static int idle_done;
static lws_sorted_usec_list_t sul_tick;

static const struct {
	const char *name;
	enum provider p;
	const struct provider_ops *ops;
} providers[] = {
	{ "binance", PROV_BINANCE, &binance_ops },
	{ "finnhub", PROV_FINNHUB, &finnhub_ops },
	{ "alpaca-data", PROV_ALPACA_DATA, &alpaca_data_ops },
	{ "yahoo", PROV_YAHOO, &yahoo_ops },
	{ "alpaca-bars", PROV_ALPACA_BARS, &alpaca_bars_ops },
	{ "alpaca-trading", PROV_ALPACA_TRADING, &alpaca_trading_ops },
};

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int
callback_ws(struct conn *c, struct lws *wsi, enum lws_callback_reasons r,
    void *in, size_t len)
{
	switch (r) {
	case LWS_CALLBACK_ESTABLISHED:
		c->wsi = wsi;
		c->is_ws = c->open = 1;
		srv.ws_clients++;
		reqlog_ws_open(c);
		srv.ops->ws_open(c);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (lws_is_first_fragment(wsi))
			buf_reset(&c->body);
		buf_add(&c->body, in, len);
		if (!lws_is_final_fragment(wsi))
			return 0;
		reqlog_ws_recv(c, buf_data(&c->body), c->body.len);
		srv.ops->ws_recv(c, buf_data(&c->body), c->body.len);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return conn_writeable(c);
	case LWS_CALLBACK_CLOSED:
		if (!c->open)
			return 0;
		c->open = 0;
		if (srv.ops->ws_close != NULL)
			srv.ops->ws_close(c);
		srv.ws_clients--;
		srv.last_activity = now_us();
		conn_free(c);
		return 0;
	default:
		return 0;
	}
}

/* Takes the upgrade's path and query, and refuses paths the provider does
 * not serve. */
static int
filter_ws(struct conn *c, struct lws *wsi)
{
	char frag[1024];
	size_t ql = 0;
	int i, n;

	c->wsi = wsi;
	if (lws_hdr_copy(wsi, c->path, sizeof c->path, WSI_TOKEN_GET_URI) < 0)
		return -1;
	c->query[0] = '\0';
	for (i = 0; (n = lws_hdr_copy_fragment(wsi, frag, sizeof frag,
	    WSI_TOKEN_HTTP_URI_ARGS, i)) > 0; i++) {
		if (ql + (size_t)n + 2 >= sizeof c->query)
			break;
		if (ql > 0)
			c->query[ql++] = '&';
		memcpy(c->query + ql, frag, (size_t)n + 1);
		ql += (size_t)n;
	}
	if (lws_hdr_custom_copy(wsi, c->key_hdr, sizeof c->key_hdr,
	    "apca-api-key-id:", 16) < 0)
		c->key_hdr[0] = '\0';
	if (lws_hdr_custom_copy(wsi, c->secret_hdr, sizeof c->secret_hdr,
	    "apca-api-secret-key:", 20) < 0)
		c->secret_hdr[0] = '\0';
	if (!srv.ops->ws || !srv.ops->accept_path(c->path))
		return -1;
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons r, void *user, void *in,
    size_t len)
{
	struct conn *c = user;

	switch (r) {
	case LWS_CALLBACK_HTTP:
		c->wsi = wsi;
		return http_request(c, in);
	case LWS_CALLBACK_HTTP_BODY:
		return http_body(c, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return http_complete(c);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_writeable(c);
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (c != NULL) {
			buf_free(&c->body);
			buf_free(&c->resp);
		}
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return c == NULL ? -1 : filter_ws(c, wsi);
	default:
		return c == NULL ? 0 : callback_ws(c, wsi, r, in, len);
	}
}

static const struct lws_protocols protocols[] = {
	{ "replayd", callback, sizeof(struct conn), 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
tick(lws_sorted_usec_list_t *sul)
{
	lws_usec_t idle = (lws_usec_t)srv.opt.idle_exit * 1000000;

	if (srv.opt.idle_exit > 0 && srv.ws_clients == 0 &&
	    now_us() - srv.last_activity >= idle)
		idle_done = 1;
	lws_sul_schedule(srv.ctx, 0, sul, tick, 100 * 1000);
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: replayd --provider P [--fixture [SYM=]FILE] [options]\n"
"  P: binance finnhub alpaca-data yahoo alpaca-bars alpaca-trading\n"
"  --port N (0)  --port-file F  --idle-exit SEC (10)  --log-requests F\n"
"  --speed max | --rate N  --repeat N  --synthetic N  --close-at-end\n"
"  --ping-ms MS (20000)  --start-delay-ms MS (100)  --token T\n"
"  --key K  --secret S\n"
"  --auth-timeout-ms MS (10000)  --symbol SYM (AAPL)\n"
"  --reveal N  --reveal-step K (1)  --fill-price X (100)  --cash X\n"
"  --drop-after N  --lose K  --stall-after N  --stall-ms MS\n"
"  --malformed-at N  --out-of-order-at N  --http-status CODE:COUNT\n"
"  --no-pong\n");
}

static int
bad(const char *what, const char *arg)
{
	fprintf(stderr, "replayd: bad %s: '%s'\n", what, arg);
	usage(stderr);
	return -1;
}

/* Parses a non-negative integer option value. */
static int
num(const char *what, const char *arg, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || *out < 0)
		return bad(what, arg);
	return 0;
}

static int
inum(const char *what, const char *arg, int *out)
{
	long v;

	if (num(what, arg, &v) != 0 || v > 1000000000)
		return bad(what, arg);
	*out = (int)v;
	return 0;
}

static int
dnum(const char *what, const char *arg, double *out)
{
	char *end;

	*out = strtod(arg, &end);
	if (end == arg || *end != '\0' || !(*out > 0))
		return bad(what, arg);
	return 0;
}

static int
set_provider(const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		if (strcmp(providers[i].name, arg) == 0) {
			srv.opt.provider = providers[i].p;
			srv.ops = providers[i].ops;
			return 0;
		}
	}
	return bad("provider", arg);
}

static int
set_status(const char *arg)
{
	int code, count, n = 0;

	if (sscanf(arg, "%d:%d%n", &code, &count, &n) != 2 ||
	    arg[n] != '\0' || code < 100 || code > 599 || count < 0)
		return bad("--http-status (CODE:COUNT)", arg);
	srv.opt.http_status = code;
	srv.opt.http_status_count = count;
	return 0;
}

enum {
	O_PORT = 256, O_PORT_FILE, O_IDLE, O_PING, O_TOKEN, O_KEY, O_SECRET,
	O_AUTH_TO, O_SPEED, O_RATE, O_REPEAT, O_SYNTH, O_DROP, O_LOSE,
	O_STALL, O_STALL_MS, O_MALFORMED, O_OOO, O_STATUS, O_NO_PONG, O_LOG,
	O_REVEAL, O_REVEAL_STEP, O_FILL, O_CASH, O_SYMBOL, O_CLOSE_END,
	O_PROVIDER, O_FIXTURE, O_HELP, O_START_DELAY
};

static const struct option longopts[] = {
	{ "provider", required_argument, NULL, O_PROVIDER },
	{ "fixture", required_argument, NULL, O_FIXTURE },
	{ "port", required_argument, NULL, O_PORT },
	{ "port-file", required_argument, NULL, O_PORT_FILE },
	{ "idle-exit", required_argument, NULL, O_IDLE },
	{ "ping-ms", required_argument, NULL, O_PING },
	{ "token", required_argument, NULL, O_TOKEN },
	{ "key", required_argument, NULL, O_KEY },
	{ "secret", required_argument, NULL, O_SECRET },
	{ "auth-timeout-ms", required_argument, NULL, O_AUTH_TO },
	{ "speed", required_argument, NULL, O_SPEED },
	{ "rate", required_argument, NULL, O_RATE },
	{ "repeat", required_argument, NULL, O_REPEAT },
	{ "synthetic", required_argument, NULL, O_SYNTH },
	{ "drop-after", required_argument, NULL, O_DROP },
	{ "lose", required_argument, NULL, O_LOSE },
	{ "stall-after", required_argument, NULL, O_STALL },
	{ "stall-ms", required_argument, NULL, O_STALL_MS },
	{ "malformed-at", required_argument, NULL, O_MALFORMED },
	{ "out-of-order-at", required_argument, NULL, O_OOO },
	{ "http-status", required_argument, NULL, O_STATUS },
	{ "no-pong", no_argument, NULL, O_NO_PONG },
	{ "log-requests", required_argument, NULL, O_LOG },
	{ "reveal", required_argument, NULL, O_REVEAL },
	{ "reveal-step", required_argument, NULL, O_REVEAL_STEP },
	{ "fill-price", required_argument, NULL, O_FILL },
	{ "cash", required_argument, NULL, O_CASH },
	{ "symbol", required_argument, NULL, O_SYMBOL },
	{ "close-at-end", no_argument, NULL, O_CLOSE_END },
	{ "start-delay-ms", required_argument, NULL, O_START_DELAY },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

static int
option(int ch, const char *a)
{
	struct options *o = &srv.opt;

	switch (ch) {
	case O_PROVIDER: return set_provider(a);
	case O_FIXTURE:
		if (o->nfixtures == 8)
			return bad("--fixture (at most 8)", a);
		o->fixtures[o->nfixtures++] = (char *)a;
		return 0;
	case O_PORT: return inum("--port", a, &o->port);
	case O_PORT_FILE: o->port_file = a; return 0;
	case O_IDLE: return inum("--idle-exit", a, &o->idle_exit);
	case O_PING: return inum("--ping-ms", a, &o->ping_ms);
	case O_TOKEN: o->token = a; return 0;
	case O_KEY: o->key = a; return 0;
	case O_SECRET: o->secret = a; return 0;
	case O_AUTH_TO: return inum("--auth-timeout-ms", a, &o->auth_timeout_ms);
	case O_SPEED:
		o->rate = 0;
		return strcmp(a, "max") == 0 ? 0 : bad("--speed", a);
	case O_RATE: return dnum("--rate", a, &o->rate);
	case O_REPEAT: return num("--repeat", a, &o->repeat);
	case O_SYNTH: return num("--synthetic", a, &o->synthetic);
	case O_DROP: return num("--drop-after", a, &o->drop_after);
	case O_LOSE: return num("--lose", a, &o->lose);
	case O_STALL: return num("--stall-after", a, &o->stall_after);
	case O_STALL_MS: return num("--stall-ms", a, &o->stall_ms);
	case O_MALFORMED: return num("--malformed-at", a, &o->malformed_at);
	case O_OOO: return num("--out-of-order-at", a, &o->out_of_order_at);
	case O_STATUS: return set_status(a);
	case O_NO_PONG: o->no_pong = 1; return 0;
	case O_LOG: o->log_requests = a; return 0;
	case O_REVEAL: return num("--reveal", a, &o->reveal);
	case O_REVEAL_STEP: return num("--reveal-step", a, &o->reveal_step);
	case O_FILL: return dnum("--fill-price", a, &o->fill_price);
	case O_CASH: return dnum("--cash", a, &o->cash);
	case O_SYMBOL: o->symbol = a; return 0;
	case O_CLOSE_END: o->close_at_end = 1; return 0;
	case O_START_DELAY:
		return inum("--start-delay-ms", a, &o->start_delay_ms);
	case O_HELP: usage(stdout); exit(0);
	default: usage(stderr); return -1;
	}
}

/* Checks the combination of options; returns -1 after a message. */
static int
check_options(void)
{
	const struct options *o = &srv.opt;
	int http = o->provider == PROV_YAHOO ||
	    o->provider == PROV_ALPACA_BARS;

	if (srv.ops == NULL) {
		fprintf(stderr, "replayd: --provider is required\n");
		return -1;
	}
	if (o->synthetic > 0 && o->provider != PROV_BINANCE &&
	    o->provider != PROV_FINNHUB) {
		fprintf(stderr, "replayd: --synthetic is for binance and "
		    "finnhub\n");
		return -1;
	}
	if (o->provider != PROV_ALPACA_TRADING && o->synthetic == 0 &&
	    o->nfixtures == 0) {
		fprintf(stderr, "replayd: --fixture is required for %s\n",
		    srv.ops->name);
		return -1;
	}
	if (!http && o->nfixtures > 1) {
		fprintf(stderr, "replayd: one --fixture for %s\n",
		    srv.ops->name);
		return -1;
	}
	if (o->stall_after > 0 && o->stall_ms == 0) {
		fprintf(stderr, "replayd: --stall-after needs --stall-ms\n");
		return -1;
	}
	return 0;
}

static int
parse_options(int argc, char **argv)
{
	int ch;

	srv.opt.idle_exit = 10;
	srv.opt.ping_ms = 20000;
	srv.opt.start_delay_ms = 100;
	srv.opt.auth_timeout_ms = 10000;
	srv.opt.repeat = 1;
	srv.opt.reveal = -1;
	srv.opt.reveal_step = 1;
	srv.opt.fill_price = 100;
	srv.opt.cash = 100000;
	srv.opt.symbol = "AAPL";
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (option(ch, optarg) != 0)
			return -1;
	if (optind != argc) {
		fprintf(stderr, "replayd: unexpected argument '%s'\n",
		    argv[optind]);
		return -1;
	}
	return check_options();
}

/* Loads every --fixture; HTTP fixtures may be SYMBOL=FILE. */
static int
load_fixtures(char **cause)
{
	const struct options *o = &srv.opt;
	char *eq, *sym;
	int i, rc;

	for (i = 0; i < o->nfixtures; i++) {
		if (o->provider != PROV_YAHOO &&
		    o->provider != PROV_ALPACA_BARS) {
			if (fixture_load_lines(o->fixtures[i], cause) != 0)
				return -1;
			continue;
		}
		eq = strchr(o->fixtures[i], '=');
		sym = eq ? xstrndup(o->fixtures[i],
		    (size_t)(eq - o->fixtures[i])) : xstrdup(o->symbol);
		rc = fixture_load_bars(sym, eq ? eq + 1 : o->fixtures[i],
		    cause);
		free(sym);
		if (rc != 0)
			return -1;
	}
	srv.total = o->synthetic > 0 ? o->synthetic :
	    (long)srv.nlines * o->repeat;
	return 0;
}

/* Writes PORT to F.tmp and renames it to F. */
static int
write_port_file(const char *path, int port)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int rc = -1;

	if (f == NULL)
		goto out;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "replayd: cannot write %s\n", path);
	free(tmp);
	return rc;
}

static int
start(void)
{
	struct lws_context_creation_info info;
	int port;

	memset(&info, 0, sizeof info);
	info.port = srv.opt.port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.max_http_header_data = 4096;
	srv.ctx = lws_create_context(&info);
	if (srv.ctx == NULL) {
		fprintf(stderr, "replayd: cannot create the lws context\n");
		return -1;
	}
	srv.vhost = lws_get_vhost_by_name(srv.ctx, "default");
	port = srv.vhost ? lws_get_vhost_listen_port(srv.vhost) : -1;
	if (port <= 0) {
		fprintf(stderr, "replayd: cannot listen on 127.0.0.1:%d\n",
		    srv.opt.port);
		return -1;
	}
	fprintf(stderr, "replayd: listening on 127.0.0.1:%d\n", port);
	if (srv.opt.port_file != NULL &&
	    write_port_file(srv.opt.port_file, port) != 0)
		return -1;
	return 0;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	char *cause = NULL;
	int rc = 1;

	if (parse_options(argc, argv) != 0)
		return 2;
	if (load_fixtures(&cause) != 0) {
		fprintf(stderr, "replayd: %s\n", cause);
		free(cause);
		goto out;
	}
	if (srv.ops->prepare != NULL)
		srv.ops->prepare();
	if (srv.opt.log_requests != NULL &&
	    (srv.log = fopen(srv.opt.log_requests, "a")) == NULL) {
		fprintf(stderr, "replayd: cannot open %s\n",
		    srv.opt.log_requests);
		goto out;
	}
	lws_set_log_level(LLL_ERR, NULL);
	signals();
	if (start() != 0)
		goto out;
	srv.last_activity = now_us();
	lws_sul_schedule(srv.ctx, 0, &sul_tick, tick, 100 * 1000);
	while (!interrupted && !idle_done)
		if (lws_service(srv.ctx, 0) < 0)
			break;
	rc = 0;
out:
	if (srv.ctx != NULL)
		lws_context_destroy(srv.ctx);
	alpaca_trading_free();
	fixture_free();
	if (srv.log != NULL)
		fclose(srv.log);
	return rc;
}
