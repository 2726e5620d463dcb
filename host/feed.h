/* A live market-data feed: a connector plugin on the host's transport
 * (one WebSocket loop thread, one HTTP thread), turning what the provider
 * sends into closed bars of one granularity, in time order per symbol,
 * with no duplicate: late and repeated bars are dropped, gaps after a
 * reconnect are backfilled from the provider's history first.  Bars cross
 * to the engine thread through a queue. */
#ifndef TH_FEED_H
#define TH_FEED_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "connector.h"

struct feed_options {
	const char *connector;		/* path or installed name */
	char *const *settings;		/* "name=value" for the connector */
	size_t nsettings;
	const char *rest_url;		/* NULL = the connector's default */
	const char *stream_url;
	const char *const *symbols;
	size_t nsymbols;
	const char *granularity;	/* "1m" */
	int64_t history_bars;		/* bars of history before live */
	int64_t now;			/* pinned start of the feed clock (ns),
					 * 0 = the system clock */
	int64_t poll_ns;		/* polling feeds: 0 = the granularity */
	int64_t grace_ns;		/* a bar closes by the clock this late */
	int64_t stale_ns;		/* no update this long = stale */
	int64_t stagger_ns;		/* between two symbols' history
					 * requests, and subscriptions */
};

struct feed_bar {
	size_t symbol;			/* index into the options' symbols */
	struct agg_bar bar;
	int history;			/* from the initial history */
	int64_t recv_ns;		/* CLOCK_MONOTONIC when received */
	int64_t clock_ns;		/* the feed clock when queued: how
					 * late the bar came (stale data) */
};

struct feed_symbol {
	struct agg agg;			/* trades or finer bars -> bars */
	int64_t last;			/* time of the last bar queued */
	int64_t last_fine;		/* of the last finer bar aggregated */
	int backfilling;		/* stream bars wait in held */
	struct feed_bar *held;
	size_t nheld;
	int64_t updated;		/* monotonic ns of the last data */
	int stale;
	int history_ok;			/* the initial history arrived */
};

struct feed {
	struct connector conn;
	struct feed_options opt;
	int64_t gran;
	const char *ask;		/* granularity asked of the provider */
	int aggregate;			/* ask is finer than gran, or ticks */
	struct ws_loop *ws;
	struct ws_conn *wsc;
	struct http_client *http;
	char **headers;
	struct feed_symbol *sym;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct feed_bar *queue;		/* ring */
	size_t qhead, qlen, qcap;
	size_t history_pending;		/* symbols whose history is due */
	int want_subscribe;		/* the connector said ready() */
	int opened_once;
	int64_t mono0, clock0;		/* feed clock origin */
	int64_t next_poll;
	int in_history;			/* a history response is parsed */
	char *failure;
	uint64_t dropped;		/* late or repeated bars */
	int64_t flushed_at;		/* [engine] the feed clock when
					 * feed_take last closed bars by it */
	size_t hist_next;		/* [engine] staggered start: the next */
	int64_t hist_at;		/* symbol's history request, when */
	int64_t hist_start, hist_end;	/* the one window they all ask for */
	int paused;			/* [lock] the market is closed */
	size_t sub_next;		/* [lock] and its subscription */
	int64_t sub_at;
	uint64_t messages;		/* stream messages received */
	int64_t first_msg, last_msg;	/* their monotonic receipt times */
	int woken;			/* feed_wake() was called */
};

/* Loads the connector, starts the transport and asks for the history.
 * Returns 0, or -1 with *cause. */
int feed_start(struct feed *f, const struct feed_options *opt, char **cause)
	__attribute__((warn_unused_result));
/* [engine thread] Waits up to timeout_ms for bars and moves up to max of
 * them into out; also closes bars by the clock, polls, and flags stale
 * symbols.  Returns the count, or -1 with *cause after a fatal connector
 * error. */
long feed_take(struct feed *f, struct feed_bar *out, size_t max,
    int timeout_ms, char **cause);
/* [any thread] Ends feed_take's wait now (other work for the engine,
 * such as a broker's answer, is due). */
void feed_wake(struct feed *f);
/* [engine thread] The market closed (paused = 1) or opened: while it is
 * closed a polling feed does not poll and no symbol is reported stale;
 * at the open it polls at once. */
void feed_pause(struct feed *f, int paused);
/* Has every symbol's initial history arrived (or failed)? */
int feed_history_done(struct feed *f);
/* The feed clock, ns since the epoch. */
int64_t feed_now(struct feed *f);
/* Stream messages so far and the seconds between the first and the
 * last one. */
void feed_throughput(struct feed *f, uint64_t *messages, double *seconds);
/* Stops the threads and unloads the connector. */
void feed_stop(struct feed *f);

#endif
