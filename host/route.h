/* Orders to a real broker.  In a live session (--live) every order the
 * strategy places that passes the risk gate is also sent to a broker
 * connector (plugins/alpaca_broker.so) over the host's transport; the
 * paper book stays the strategy's view, so the session still replays
 * exactly, and the broker's own fills are reported beside it.
 *
 * Market orders and limit orders go out as they are placed.  A limit
 * order still working after the limit timeout is canceled and what it
 * did not fill is sent again at market.  An order identical (symbol,
 * side, units, limit) to one an earlier bar placed that is still working
 * at the broker is not sent: the duplicate-order guard.  Stop entries and stop-loss/take-profit
 * exits go out at market when the paper book fills them.
 *
 * Threads: route_send, route_cancel, route_pump, route_drain and the
 * queries are for the engine thread; the broker's answers arrive on the
 * transport threads and wait in a queue until route_pump. */
#ifndef TH_ROUTE_H
#define TH_ROUTE_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "connector.h"
#include "http.h"
#include "ws.h"

struct route_options {
	const char *connector;		/* path or installed name */
	char *const *settings;		/* "name=value" for the connector */
	size_t nsettings;
	const char *rest_url;		/* NULL = the connector's default */
	const char *stream_url;
	const char *const *symbols;	/* the host's, borrowed */
	size_t nsymbols;
	int64_t limit_timeout_ns;	/* then a limit order goes at market;
					 * 0 = never */
	int64_t poll_ns;		/* order states are polled this often
					 * while one is working; 0 = 5 s */
	const char *journal_path;	/* broker.csv to write; NULL = none */
	int quiet;			/* no console lines */
	void (*wake)(void *arg);	/* [transport threads] an answer is
					 * waiting for route_pump; may be NULL */
	void *wake_arg;
	struct ws_loop *ws;		/* a loop and a client to share (the
					 * feed's), stopped by their owner
					 * before route_stop; NULL = own ones */
	struct http_client *http;
};

/* One order sent to the broker.  state 0 = sent, not yet acknowledged. */
struct route_order {
	char *client_id;
	char *broker_id;		/* NULL until the broker names it */
	size_t symbol;
	int side;			/* +1 buy, -1 sell */
	double qty;			/* whole units */
	double limit;			/* NaN = market */
	uint64_t paper_id;		/* the paper order it mirrors */
	int64_t bar;			/* time of the bar that placed it */
	int state;			/* enum th_order_state, or 0 */
	double filled;			/* cumulative */
	double avg;
	double counted;			/* filled units in route.position */
	int64_t deadline;		/* monotonic ns; limit orders: 0 = none */
	int cancel_sent;
	int fallback;			/* send the rest at market once
					 * canceled */
};

struct route_update;

struct route_counts {
	uint64_t sent, filled, canceled, rejected, duplicates, fallbacks;
};

struct route {
	struct route_options opt;
	struct connector conn;
	int loaded;
	struct ws_loop *ws;
	struct ws_conn *wsc;		/* [lock] */
	struct http_client *http;
	int own_ws, own_http;		/* started here, stopped here */
	char **headers;
	pthread_mutex_t lock;
	struct route_update *upd;	/* [lock] answers not yet applied */
	size_t nupd, capupd;
	char *failure;			/* [lock] the connector gave up */
	struct route_order *orders;	/* [engine] every order sent */
	size_t norders, caporders;
	double *position;		/* [engine] per symbol, signed units
					 * held at the broker */
	double *start;			/* per symbol, held at the start */
	int positions;			/* [lock] the start's positions: 0 =
					 * asked, 1 = read, -1 = failed */
	char tag[24];			/* makes client ids unique */
	uint64_t seq;
	int64_t next_poll;
	FILE *journal;
	struct route_counts counts;
};

/* Loads and opens the connector, starts its transport (on the shared
 * WebSocket loop and HTTP client, or its own), opens the journal and
 * reads the
 * account's positions (waiting up to 10 s for them, so that they are
 * those from before any order).  Returns 0, or -1 with *cause. */
int route_start(struct route *r, const struct route_options *opt,
    char **cause) __attribute__((warn_unused_result));
/* Sends an order of units (signed, whole) for symbol k at limit (NaN =
 * market), mirroring paper order paper_id (0 = none) placed at the bar
 * of time bar.  Returns 0 when sent, 1 when the duplicate-order guard or
 * a zero size kept it back, -1 when the connector refused it (logged). */
int route_send(struct route *r, size_t k, double units, double limit,
    uint64_t paper_id, int64_t bar);
/* Was paper order paper_id sent when it was placed? */
int route_has(const struct route *r, uint64_t paper_id);
/* Cancels the working broker orders that mirror paper_id. */
void route_cancel(struct route *r, uint64_t paper_id);
/* Applies the broker's answers, handles limit timeouts and polls.
 * Returns 0, or -1 with *cause when the connector failed for good (a
 * refused API key). */
int route_pump(struct route *r, char **cause)
	__attribute__((warn_unused_result));
/* At the end: cancels the working limit orders and waits up to
 * timeout_ns for every order's final state.  Returns 0, or -1 with *cause
 * when the connector failed (now or earlier). */
int route_drain(struct route *r, int64_t timeout_ns, char **cause)
	__attribute__((warn_unused_result));
/* Orders still working. */
size_t route_working(const struct route *r);
/* Warns of each symbol whose position at the broker's start is not the
 * paper book's (paper[k], after a resumed state file, say). */
void route_compare(const struct route *r, const double *paper);
/* The closing summary: counts and, per symbol, the broker's position
 * beside the paper one (paper[k], paper_start[k] at the session's
 * start); the changes since the start should be the same. */
void route_report(const struct route *r, const double *paper,
    const double *paper_start, FILE *out);
/* Stops its own transport, unloads the connector, closes the journal.
 * A shared loop and client must have been stopped before. */
void route_stop(struct route *r);

#endif
