/* WebSocket client transport: one libwebsockets loop on its own thread that
 * owns every client connection, reconnects them with capped exponential
 * backoff and keeps them alive with pings.  Only this module touches lws;
 * the layers above see callbacks on the loop thread and a thread-safe
 * ws_send(). */
#ifndef TH_WS_H
#define TH_WS_H

#include <stddef.h>
#include <stdint.h>

/* The thread and its lws context. */
struct ws_loop;
/* One client connection that reconnects by itself until ws_close(). */
struct ws_conn;

/* All called on the loop thread, never concurrently with each other (for
 * every connection of a loop).  They may call ws_send() and ws_close(). */
struct ws_callbacks {
	/* Connected, the first time or after a reconnect.  Send auth and
	 * subscriptions from here with ws_send(). */
	void (*on_open)(void *arg, struct ws_conn *c);
	/* One complete message, fragments reassembled.  data is valid until
	 * return and is not NUL-terminated.  recv_ns is CLOCK_MONOTONIC in ns
	 * when the last fragment arrived.  binary is 1 for a binary message.
	 * Messages over WS_MAX_MESSAGE are dropped, logged and counted. */
	void (*on_message)(void *arg, struct ws_conn *c, const char *data,
	    size_t len, int binary, int64_t recv_ns);
	/* The connection closed or a connection attempt failed; reason is a
	 * short text ("closed by peer 1006", "pong timeout", "connect failed:
	 * ...") valid until return.  A reconnect is scheduled after it.  Not
	 * called for a close requested with ws_close() or ws_loop_stop(). */
	void (*on_close)(void *arg, struct ws_conn *c, const char *reason);
};

struct ws_options {
	const char *url;		/* ws://host[:port]/path or wss://..., copied */
	const char *const *headers;	/* NULL-terminated "Name: value" extra
					 * upgrade headers, copied; may be NULL */
	int ping_interval_ms;		/* ping after this much silence; 0 = 20000 */
	int pong_timeout_ms;		/* nothing received this long after a ping:
					 * drop and reconnect; 0 = 10000 */
	int backoff_initial_ms;		/* first retry delay; 0 = 250 */
	int backoff_max_ms;		/* cap; 0 = 30000 */
	int jitter_percent;		/* 0..100 random extra on each delay; -1 =
					 * none (tests); 0 = 20 */
};

/* The largest message delivered; bigger ones are dropped. */
#define WS_MAX_MESSAGE (16u * 1024 * 1024)

/* Starts the loop thread.  SIGHUP, SIGTERM, SIGINT and SIGPIPE are blocked
 * in it so they land on the caller's threads.  Returns NULL with *cause
 * (the caller frees it) on failure. */
struct ws_loop *ws_loop_start(char **cause);

/* [any-thread] Creates a connection and starts connecting asynchronously;
 * cb and arg must stay valid until ws_loop_stop().  Returns NULL with
 * *cause for a bad URL, a bad header, or a stopping loop.  The connection
 * belongs to the loop and is freed by ws_loop_stop(). */
struct ws_conn *ws_connect(struct ws_loop *l, const struct ws_options *opt,
    const struct ws_callbacks *cb, void *arg, char **cause);

/* [any-thread, also inside callbacks] Queues one text message (copied) that
 * is sent when the socket is writable, in order.  Returns 0, or -1 when the
 * connection is not open (connecting, waiting to reconnect, or closed).
 * Messages still queued when the connection drops are discarded: the layer
 * above re-sends what it needs from on_open. */
int ws_send(struct ws_conn *c, const char *text, size_t len);
/* The same for one binary message. */
int ws_send_binary(struct ws_conn *c, const void *data, size_t len);

/* Counters since ws_connect(): messages and bytes delivered to on_message,
 * reconnect attempts, messages dropped for size. */
struct ws_stats {
	uint64_t messages, reconnects, bytes, dropped_oversize;
};
/* [any-thread] */
void ws_get_stats(struct ws_conn *c, struct ws_stats *out);

/* [any-thread] Closes for good: no reconnect, and no callback for c once
 * the loop thread has handled it (at once when called on the loop thread;
 * from another thread a callback already running may still finish).  c
 * stays allocated until ws_loop_stop(). */
void ws_close(struct ws_conn *c);

/* Stops the thread, closes every connection without calling any callback,
 * destroys the lws context and frees the loop and all its connections.
 * Must not be called on the loop thread; no other call on l or its
 * connections may start once it has.  NULL-safe. */
void ws_loop_stop(struct ws_loop *l);

#endif
