/* replayd internals: the loopback replay server of the live-trading tests.
 * The behaviour is documented at the top of tests/replayd.c; this header
 * groups the prototypes of the tests/replay sources under one heading per file.
 * Everything runs on the single lws service thread. */
#ifndef TH_REPLAYD_H
#define TH_REPLAYD_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>
#include <libwebsockets.h>

enum provider {
	PROV_BINANCE,
	PROV_FINNHUB,
	PROV_ALPACA_DATA,
	PROV_YAHOO,
	PROV_ALPACA_BARS,
	PROV_ALPACA_TRADING
};

/* A growable byte buffer that keeps LWS_PRE bytes of headroom before the
 * data, so its content can be handed to lws_write() as it is. */
struct buf {
	char *mem;	/* LWS_PRE + cap + 1 bytes */
	size_t len;
	size_t cap;
};

/* A small set of strings (subscriptions). */
struct strset {
	char **v;
	size_t n;
};

/* One queued outgoing WebSocket message (handshake replies, order events). */
struct qmsg {
	struct qmsg *next;
	int binary;
	size_t len;
	char data[];	/* LWS_PRE + len + 1 */
};

struct options {
	enum provider provider;
	const char *port_file;
	int port;
	int idle_exit;		/* seconds */
	int ping_ms;
	int start_delay_ms;
	char *fixtures[8];	/* [SYMBOL=]FILE */
	int nfixtures;
	const char *symbol;	/* symbol of a plain HTTP fixture */
	const char *token;
	const char *key;
	const char *secret;
	int auth_timeout_ms;
	double rate;		/* messages per second; 0 = as fast as possible */
	long repeat;
	long synthetic;
	long drop_after;
	long lose;
	long stall_after;
	long stall_ms;
	long malformed_at;
	long out_of_order_at;
	int http_status;
	long http_status_count;
	int no_pong;
	int close_at_end;
	const char *log_requests;
	long reveal;		/* -1 = all */
	long reveal_step;
	double fill_price;
	double cash;
};

/* One fixture bar (HTTP providers); NaN or -1 volume for an empty cell. */
struct bar {
	long long t;		/* Unix seconds */
	double o, h, l, c;
	long long v;
};

struct barset {
	char *symbol;
	struct bar *bars;
	size_t n;
};

/* One JSON Lines fixture message, kept raw and parsed. */
struct line {
	char *raw;
	size_t len;
	json_t *json;
	char *stream;		/* binance: "<symbol>@kline_<interval>" */
};

struct conn;

/* What a provider implements; NULL members are not supported. */
struct provider_ops {
	const char *name;
	int ws;			/* serves WebSocket upgrades */
	int (*accept_path)(const char *path);
	void (*prepare)(void);	/* after the fixture is loaded */
	void (*ws_open)(struct conn *);
	void (*ws_recv)(struct conn *, const char *, size_t);
	void (*ws_close)(struct conn *);
	/* Renders message INDEX of the stream for the connection into OUT;
	 * returns 0 when the message is filtered out for this connection. */
	int (*render)(struct conn *, long, struct buf *);
	int (*http)(struct conn *, const char *, const char *, const char *,
	    const char *, struct buf *);
};

/* Per-connection state (the lws per-session data). */
struct conn {
	struct lws *wsi;
	int is_ws;
	int open;
	char path[512];
	char query[2048];
	/* WebSocket */
	struct qmsg *q_head, *q_tail;
	int close_after_queue;
	int close_code;
	int streaming;		/* the provider says data may flow */
	int started;		/* streaming began once; pos is set */
	int ended;
	long pos;		/* next stream index */
	long sent;		/* data messages sent on this connection */
	struct buf out;
	struct buf held;	/* a message set aside by a fault */
	int have_held;
	int ping_due;
	int stalled;
	int rx_paused;
	lws_usec_t next_send;
	lws_sorted_usec_list_t sul_ping;
	lws_sorted_usec_list_t sul_rate;
	lws_sorted_usec_list_t sul_stall;
	lws_sorted_usec_list_t sul_auth;
	int combined;		/* binance /stream */
	int authed;
	int listening;
	struct strset subs;	/* binance streams, finnhub symbols */
	struct strset bars;	/* alpaca */
	struct strset trades;	/* alpaca */
	struct strset quotes;	/* alpaca, echoed only */
	int msgpack;		/* alpaca: the upgrade asked for MessagePack;
				 * every frame is binary */
	/* HTTP */
	char method[16];
	int auth_present;
	char key_hdr[128];
	char secret_hdr[128];
	struct buf body;
	struct buf resp;
	size_t resp_off;
	int resp_status;
	const char *retry_after;
};

struct server {
	struct options opt;
	const struct provider_ops *ops;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	FILE *log;
	struct line *lines;
	size_t nlines;
	long long span;		/* time shift per --repeat loop (ms or s) */
	struct barset sets[8];
	int nsets;
	long total;		/* stream length in messages */
	long resume_pos;	/* where the next connection starts */
	int ws_clients;
	lws_usec_t last_activity;
	long http_requests;	/* all HTTP requests */
	long http_served;	/* requests answered by the provider */
	int dropped, stalled_once, malformed_done, ooo_done;
	struct conn *alpaca_active;
	void *trading;		/* alpaca_trading.c state */
	double walk;		/* synthetic random walk */
	double walk_ring[8];
	long walk_index;
	unsigned long long walk_seed;
};

extern struct server srv;

/* util.c */
void buf_reset(struct buf *);
void buf_add(struct buf *, const char *, size_t);
void buf_adds(struct buf *, const char *);
void buf_printf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
char *buf_data(struct buf *);
void buf_free(struct buf *);
int strset_has(const struct strset *, const char *);
int strset_add(struct strset *, const char *);
int strset_del(struct strset *, const char *);
void strset_free(struct strset *);
json_t *strset_json(const struct strset *);
int json_strings(json_t *, struct strset *, int);
void json_buf(struct buf *, json_t *);
lws_usec_t now_us(void);
int parse_rfc3339(const char *, long long *);
void fmt_rfc3339(char *, size_t, long long);
void fmt_float32(struct buf *, double);
const char *query_arg(const char *, const char *, char *, size_t);

/* fixture.c */
int fixture_load_lines(const char *, char **);
int fixture_load_bars(const char *, const char *, char **);
void fixture_free(void);
struct barset *fixture_bars(const char *);
size_t fixture_visible(const struct barset *);

/* conn.c */
void conn_queue(struct conn *, int, const char *, size_t);
void conn_queues(struct conn *, const char *);
void conn_queue_json(struct conn *, int, json_t *);
void conn_close_after(struct conn *, int);
void conn_start_stream(struct conn *);
void conn_free(struct conn *);
int conn_writeable(struct conn *);
int conn_stream_next(struct conn *, struct buf *);

/* faults.c */
int faults_next(struct conn *, struct buf *);
int faults_http_status(struct conn *, struct buf *);

/* reqlog.c */
void reqlog_ws_open(struct conn *);
void reqlog_ws_recv(struct conn *, const char *, size_t);
void reqlog_http(struct conn *);

/* mpack.c */
void mpack_buf(struct buf *, json_t *);
json_t *mpack_load(const char *, size_t);

/* synth.c */
double synth_price(long);
unsigned long long synth_rand(unsigned long long *);

/* binance.c, finnhub.c, alpaca_data.c, alpaca_bars.c, alpaca_trading.c,
 * yahoo.c */
extern const struct provider_ops binance_ops, finnhub_ops, alpaca_data_ops,
    alpaca_bars_ops, alpaca_trading_ops, yahoo_ops;
void alpaca_trading_free(void);

/* http.c */
int http_request(struct conn *, const char *);
int http_body(struct conn *, const char *, size_t);
int http_complete(struct conn *);
int http_writeable(struct conn *);
void http_error(struct buf *, int *, int, const char *);

#endif
