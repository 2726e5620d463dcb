/* The WebSocket client loop.  One thread owns the lws context and every
 * struct lws; other threads reach it only by setting request flags on a
 * connection under the loop's lock and calling lws_cancel_service(), which
 * makes the loop thread run LWS_CALLBACK_EVENT_WAIT_CANCELLED and act on
 * them (the minimal-ws-client-tx pattern).  Reconnect delays and keep-alive
 * pings run on lws_sul timers of the loop thread. */
#include "ws.h"

#include <libwebsockets.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "thread.h"
#include "timefmt.h"
#include "xmalloc.h"

#define PROTOCOL_NAME "tradehost-ws"
#define WS_READ_BUFFER (64 * 1024)

enum conn_state {
	CONN_IDLE,		/* waiting for the retry timer */
	CONN_CONNECTING,
	CONN_OPEN,
	CONN_CLOSED		/* ws_close(): for good */
};

/* Requests from other threads, taken by the loop thread. */
#define REQ_CONNECT 0x1
#define REQ_WRITE 0x2
#define REQ_CLOSE 0x4

/* One queued outgoing message with LWS_PRE bytes of headroom. */
struct out_msg {
	struct out_msg *next;
	size_t len;
	int binary;
	unsigned char buf[];
};

struct ws_conn {
	struct ws_loop *loop;
	struct ws_conn *next;		/* loop->conns; never changes once set */

	/* Immutable after ws_connect(). */
	char *log_url;			/* the URL without its query */
	char *address, *host, *path;
	int port, tls;
	char **headers;
	int ping_ms, pong_ms, backoff_initial, backoff_max, jitter;
	struct ws_callbacks cb;
	void *arg;

	/* Under loop->lock (written only by the loop thread for state). */
	enum conn_state state;
	int requests;
	struct out_msg *out_head, **out_tail;

	/* Loop thread only. */
	struct lws *wsi;
	lws_sorted_usec_list_t retry_sul, alive_sul;
	unsigned attempt;		/* consecutive failures, for backoff */
	int64_t opened_ns, last_rx_ns, ping_sent_ns;
	int ping_due, ping_outstanding, got_message, peer_code;
	const char *kill_reason;
	char *rx;
	size_t rx_len, rx_cap;
	int rx_in_msg, rx_dropping, rx_binary;

	atomic_uint_fast64_t messages, reconnects, bytes, dropped;
};

struct ws_loop {
	pthread_t thread;
	struct lws_context *ctx;
	pthread_mutex_t lock;
	struct ws_conn *conns;		/* under lock; prepend only */
	atomic_int stop;
	int stopping;			/* loop thread: no more callbacks */
	uint64_t rng;
};

static int
on_loop_thread(struct ws_loop *l)
{
	return pthread_equal(pthread_self(), l->thread);
}

/* lws's own errors and warnings go to our log; its notices are dropped. */
static void
lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_msg(level == LLL_ERR ? LOG_WARN : LOG_DEBUG, "lws: %.*s", (int)n,
	    line);
}

/* Frees the send queue; the caller holds the lock. */
static void
drop_queue(struct ws_conn *c)
{
	struct out_msg *m;

	while ((m = c->out_head) != NULL) {
		c->out_head = m->next;
		free(m);
	}
	c->out_tail = &c->out_head;
}

static void
set_state(struct ws_conn *c, enum conn_state state)
{
	pthread_mutex_lock(&c->loop->lock);
	c->state = state;
	if (state != CONN_OPEN)
		drop_queue(c);
	pthread_mutex_unlock(&c->loop->lock);
}

/* ---- Reconnect ---- */

static void dial(struct ws_conn *);

static void
retry_fire(lws_sorted_usec_list_t *sul)
{
	struct ws_conn *c = lws_container_of(sul, struct ws_conn, retry_sul);

	if (c->state != CONN_IDLE || c->loop->stopping)
		return;
	atomic_fetch_add_explicit(&c->reconnects, 1, memory_order_relaxed);
	dial(c);
}

/* The delay before attempt number c->attempt: initial * 2^attempt, capped,
 * plus up to jitter percent. */
static int
backoff_ms(struct ws_conn *c)
{
	struct ws_loop *l = c->loop;
	int64_t d = c->backoff_initial;
	unsigned k;

	for (k = 0; k < c->attempt && d < c->backoff_max; k++)
		d *= 2;
	if (d > c->backoff_max)
		d = c->backoff_max;
	if (c->jitter > 0) {
		l->rng ^= l->rng << 13;
		l->rng ^= l->rng >> 7;
		l->rng ^= l->rng << 17;
		d += (int64_t)(l->rng % (uint64_t)(d * c->jitter / 100 + 1));
	}
	return d > INT_MAX ? INT_MAX : (int)d;
}

static void
schedule_retry(struct ws_conn *c)
{
	int ms = backoff_ms(c);

	c->attempt++;
	log_info("ws %s: reconnecting in %d ms (attempt %u)", c->log_url, ms,
	    c->attempt);
	lws_sul_schedule(c->loop->ctx, 0, &c->retry_sul, retry_fire,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

/* The current attempt or connection ended: tells the user and schedules a
 * reconnect unless the connection was closed for good.  Events for a
 * connection that is not connecting or open (a second report of the same
 * close, or a close we asked for) are ignored. */
static void
conn_lost(struct ws_conn *c, const char *reason)
{
	int was_open = c->state == CONN_OPEN;

	if (c->state != CONN_CONNECTING && !was_open) {
		c->wsi = NULL;
		return;
	}
	c->wsi = NULL;
	lws_sul_cancel(&c->alive_sul);
	set_state(c, CONN_IDLE);
	if (c->loop->stopping)
		return;
	if (was_open && timefmt_mono_ns() - c->opened_ns >=
	    (int64_t)c->backoff_max * 1000000)
		c->attempt = 0;
	log_info("ws %s: %s", c->log_url, reason);
	if (c->cb.on_close != NULL)
		c->cb.on_close(c->arg, c, reason);
	if (c->state == CONN_IDLE)
		schedule_retry(c);
}

/* Drops the connection from the loop thread; lws reports the close later
 * through LWS_CALLBACK_CLIENT_CLOSED with this reason. */
static void
kill_wsi(struct ws_conn *c, const char *reason)
{
	if (c->wsi == NULL)
		return;
	c->kill_reason = reason;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ---- Keep-alive ---- */

static void
alive_fire(lws_sorted_usec_list_t *sul)
{
	struct ws_conn *c = lws_container_of(sul, struct ws_conn, alive_sul);
	int64_t now = timefmt_mono_ns(), wait_ns;

	if (c->state != CONN_OPEN || c->kill_reason != NULL)
		return;
	if (c->ping_outstanding) {
		wait_ns = c->ping_sent_ns + (int64_t)c->pong_ms * 1000000 - now;
		if (wait_ns <= 0) {
			kill_wsi(c, "pong timeout");
			return;
		}
	} else {
		wait_ns = c->last_rx_ns + (int64_t)c->ping_ms * 1000000 - now;
		if (wait_ns <= 0) {
			c->ping_due = c->ping_outstanding = 1;
			c->ping_sent_ns = now;
			lws_callback_on_writable(c->wsi);
			wait_ns = (int64_t)c->pong_ms * 1000000;
		}
	}
	lws_sul_schedule(c->loop->ctx, 0, &c->alive_sul, alive_fire,
	    (lws_usec_t)(wait_ns / 1000 + 1));
}

/* ---- Connecting ---- */

static const lws_retry_bo_t no_lws_retry = { .retry_ms_table = NULL };

static void
dial(struct ws_conn *c)
{
	struct lws_client_connect_info i;
	struct lws *wsi;

	memset(&i, 0, sizeof i);
	i.context = c->loop->ctx;
	i.address = c->address;
	i.port = c->port;
	i.path = c->path;
	i.host = c->host;
	i.origin = c->host;
	i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
	i.local_protocol_name = PROTOCOL_NAME;
	i.opaque_user_data = c;
	i.userdata = c;
	i.retry_and_idle_policy = &no_lws_retry;
	c->kill_reason = NULL;
	c->peer_code = 0;
	set_state(c, CONN_CONNECTING);
	log_info("ws %s: connecting", c->log_url);
	wsi = lws_client_connect_via_info(&i);
	if (c->state != CONN_CONNECTING)
		return;		/* failed inside, already reported */
	if (wsi == NULL) {
		conn_lost(c, "connect failed: lws refused the connection");
		return;
	}
	c->wsi = wsi;
}

static void
established(struct ws_conn *c, struct lws *wsi)
{
	int64_t now = timefmt_mono_ns();

	c->wsi = wsi;
	c->opened_ns = c->last_rx_ns = now;
	c->ping_due = c->ping_outstanding = c->got_message = 0;
	c->rx_in_msg = 0;
	set_state(c, CONN_OPEN);
	log_info("ws %s: connected", c->log_url);
	lws_sul_schedule(c->loop->ctx, 0, &c->alive_sul, alive_fire,
	    (lws_usec_t)c->ping_ms * LWS_US_PER_MS);
	if (c->cb.on_open != NULL)
		c->cb.on_open(c->arg, c);
}

/* Handles the requests other threads left on c. */
static void
take_requests(struct ws_conn *c)
{
	int r;

	pthread_mutex_lock(&c->loop->lock);
	r = c->requests;
	c->requests = 0;
	pthread_mutex_unlock(&c->loop->lock);
	if (r & REQ_CLOSE)
		ws_close(c);
	else if ((r & REQ_CONNECT) && c->state == CONN_IDLE)
		dial(c);
	else if ((r & REQ_WRITE) && c->state == CONN_OPEN && c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
}

static void
wait_cancelled(struct ws_loop *l)
{
	struct ws_conn *c;

	if (l->stopping)
		return;
	pthread_mutex_lock(&l->lock);
	c = l->conns;
	pthread_mutex_unlock(&l->lock);
	for (; c != NULL; c = c->next)
		take_requests(c);
}

/* ---- Traffic ---- */

static void
deliver(struct ws_conn *c, const char *data, size_t len, int binary)
{
	if (!c->got_message) {
		c->got_message = 1;
		c->attempt = 0;
	}
	atomic_fetch_add_explicit(&c->messages, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->bytes, len, memory_order_relaxed);
	if (c->cb.on_message != NULL)
		c->cb.on_message(c->arg, c, data, len, binary,
		    c->last_rx_ns);	/* the receive() of the last fragment */
}

/* Appends a fragment to the message being reassembled, or marks it for
 * dropping when it would exceed WS_MAX_MESSAGE. */
static void
append_fragment(struct ws_conn *c, const char *in, size_t len)
{
	if (c->rx_dropping)
		return;
	if (c->rx_len + len > WS_MAX_MESSAGE) {
		c->rx_dropping = 1;
		return;
	}
	if (c->rx_len + len > c->rx_cap) {
		while (c->rx_len + len > c->rx_cap)
			c->rx_cap = c->rx_cap ? c->rx_cap * 2 : 4096;
		c->rx = xreallocarray(c->rx, c->rx_cap, 1);
	}
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
}

static void
receive(struct ws_conn *c, struct lws *wsi, const char *in, size_t len)
{
	int final = lws_is_final_fragment(wsi);

	c->last_rx_ns = timefmt_mono_ns();
	c->ping_outstanding = 0;
	if (c->state != CONN_OPEN)
		return;
	if (!c->rx_in_msg) {
		c->rx_binary = lws_frame_is_binary(wsi) ? 1 : 0;
		if (final && len <= WS_MAX_MESSAGE) {
			deliver(c, in, len, c->rx_binary);
			return;
		}
		c->rx_in_msg = 1;
		c->rx_len = 0;
		c->rx_dropping = 0;
	}
	append_fragment(c, in, len);
	if (!final)
		return;
	c->rx_in_msg = 0;
	if (c->rx_dropping) {
		atomic_fetch_add_explicit(&c->dropped, 1, memory_order_relaxed);
		log_warn("ws %s: dropped a message over %u bytes", c->log_url,
		    WS_MAX_MESSAGE);
	} else
		deliver(c, c->rx, c->rx_len, c->rx_binary);
	if (c->rx_cap > 1024 * 1024) {
		free(c->rx);
		c->rx = NULL;
		c->rx_cap = 0;
	}
}

/* Sends a due ping or the next queued message: one lws_write per call.
 * Returns -1 to make lws close the connection. */
static int
writeable(struct ws_conn *c, struct lws *wsi)
{
	unsigned char ping[LWS_PRE + 1];
	struct out_msg *m;
	int more, n;

	if (c->state != CONN_OPEN)
		return 0;
	if (c->ping_due) {
		c->ping_due = 0;
		if (lws_write(wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	pthread_mutex_lock(&c->loop->lock);
	if ((m = c->out_head) != NULL && (c->out_head = m->next) == NULL)
		c->out_tail = &c->out_head;
	more = c->out_head != NULL;
	pthread_mutex_unlock(&c->loop->lock);
	if (m == NULL)
		return 0;
	n = lws_write(wsi, m->buf + LWS_PRE, m->len, m->binary ?
	    LWS_WRITE_BINARY : LWS_WRITE_TEXT);
	free(m);
	if (n < 0)
		return -1;
	if (more)
		lws_callback_on_writable(wsi);
	return 0;
}

/* Writes the extra upgrade headers; -1 when they do not fit. */
static int
append_headers(struct ws_conn *c, char **p, size_t room)
{
	char *end = *p + room;
	size_t i, n;

	for (i = 0; c->headers[i] != NULL; i++) {
		n = strlen(c->headers[i]);
		if ((size_t)(end - *p) < n + 3)
			return -1;
		memcpy(*p, c->headers[i], n);
		memcpy(*p + n, "\r\n", 2);
		*p += n + 2;
	}
	return 0;
}

static void
peer_close(struct ws_conn *c, const unsigned char *in, size_t len)
{
	if (len >= 2)
		c->peer_code = in[0] << 8 | in[1];
}

static void
closed(struct ws_conn *c)
{
	char reason[64];

	if (c->kill_reason != NULL)
		conn_lost(c, c->kill_reason);
	else {
		snprintf(reason, sizeof reason, "closed by peer %d",
		    c->peer_code ? c->peer_code : 1006);
		conn_lost(c, reason);
	}
}

static void
connect_error(struct ws_conn *c, const char *in)
{
	char *reason = xasprintf("connect failed: %s",
	    in != NULL ? in : "unknown error");

	conn_lost(c, reason);
	free(reason);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct ws_conn *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;

	if (c == NULL)
		c = user;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
		wait_cancelled(lws_context_user(lws_get_context(wsi)));
		return 0;
	}
	if (c == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return append_headers(c, in, len);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (c->state == CONN_CONNECTING)
			established(c, wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		receive(c, wsi, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		c->last_rx_ns = timefmt_mono_ns();
		c->ping_outstanding = 0;
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return writeable(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		peer_close(c, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		connect_error(c, in);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed(c);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		conn_lost(c, "connection lost");
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{ PROTOCOL_NAME, callback, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ---- The loop thread ---- */

/* Serves until ws_loop_stop(); the context is destroyed by ws_loop_stop()
 * after the join, so no other thread can be inside lws_cancel_service()
 * while it goes. */
static void *
loop_main(void *arg)
{
	struct ws_loop *l = arg;
	struct ws_conn *c;

	while (!atomic_load(&l->stop))
		if (lws_service(l->ctx, 0) < 0) {
			log_error("ws: the lws service loop failed");
			break;
		}
	l->stopping = 1;
	pthread_mutex_lock(&l->lock);
	c = l->conns;
	pthread_mutex_unlock(&l->lock);
	for (; c != NULL; c = c->next) {
		lws_sul_cancel(&c->retry_sul);
		lws_sul_cancel(&c->alive_sul);
	}
	return NULL;
}

/* Wakes the loop thread; the caller holds the lock, which keeps the
 * context alive (ws_loop_stop() sets stop under it). */
static void
wake(struct ws_loop *l)
{
	if (!atomic_load(&l->stop))
		lws_cancel_service(l->ctx);
}

struct ws_loop *
ws_loop_start(char **cause)
{
	struct lws_context_creation_info info;
	struct ws_loop *l = xcalloc(1, sizeof *l);

	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_emit);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.gid = -1;
	info.uid = -1;
	info.fd_limit_per_thread = 256;
	/* lws reads a socket into this per-thread buffer: its 4 KiB default
	 * takes a poll() and a recv() for every 15 or so kline messages of
	 * a busy stream. */
	info.pt_serv_buf_size = WS_READ_BUFFER;
	info.user = l;
	l->ctx = lws_create_context(&info);
	if (l->ctx == NULL) {
		*cause = xstrdup("ws: cannot create the libwebsockets context");
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	l->rng = (uint64_t)timefmt_mono_ns() | 1;
	if (thread_start(&l->thread, loop_main, l) != 0) {
		*cause = xstrdup("ws: cannot start the loop thread");
		lws_context_destroy(l->ctx);
		pthread_mutex_destroy(&l->lock);
		free(l);
		return NULL;
	}
	return l;
}

/* ---- Connections ---- */

/* Splits ws[s]://host[:port][/path] into c's fields.  Returns -1 with
 * *cause for anything else. */
static int
parse_url(struct ws_conn *c, const char *url, char **cause)
{
	const char *p, *host, *q;
	size_t hostlen;
	long port;

	if (strncasecmp(url, "ws://", 5) == 0)
		p = url + 5;
	else if (strncasecmp(url, "wss://", 6) == 0) {
		p = url + 6;
		c->tls = 1;
	} else
		goto bad;
	host = p;
	hostlen = strcspn(p, ":/?#");
	if (hostlen == 0)
		goto bad;
	p += hostlen;
	port = c->tls ? 443 : 80;
	if (*p == ':') {
		port = strtol(p + 1, (char **)&q, 10);
		if (q == p + 1 || port < 1 || port > 65535 ||
		    (*q != '\0' && *q != '/' && *q != '?'))
			goto bad;
		p = q;
	}
	if (*p == '#' || strpbrk(url, " \t\r\n") != NULL)
		goto bad;
	c->address = xstrndup(host, hostlen);
	c->port = (int)port;
	c->host = (port == (c->tls ? 443 : 80)) ? xstrdup(c->address) :
	    xasprintf("%s:%ld", c->address, port);
	c->path = *p == '/' ? xstrdup(p) : xasprintf("/%s", p);
	c->log_url = xstrndup(url, strcspn(url, "?"));
	return 0;
bad:
	*cause = xasprintf("ws: bad URL '%.*s' (want ws://host[:port]/path or "
	    "wss://...)", (int)strcspn(url, "?"), url);
	return -1;
}

static int
copy_headers(struct ws_conn *c, const char *const *headers, char **cause)
{
	size_t i, n = 0;

	while (headers != NULL && headers[n] != NULL)
		n++;
	c->headers = xcalloc(n + 1, sizeof *c->headers);
	for (i = 0; i < n; i++) {
		if (strchr(headers[i], ':') == NULL ||
		    strpbrk(headers[i], "\r\n") != NULL) {
			*cause = xasprintf("ws %s: extra header %zu is not "
			    "\"Name: value\"", c->log_url, i + 1);
			return -1;
		}
		c->headers[i] = xstrdup(headers[i]);
	}
	return 0;
}

static void
conn_free(struct ws_conn *c)
{
	size_t i;

	drop_queue(c);
	for (i = 0; c->headers != NULL && c->headers[i] != NULL; i++)
		free(c->headers[i]);
	free(c->headers);
	free(c->log_url);
	free(c->address);
	free(c->host);
	free(c->path);
	free(c->rx);
	free(c);
}

static void
set_options(struct ws_conn *c, const struct ws_options *o)
{
	c->ping_ms = o->ping_interval_ms > 0 ? o->ping_interval_ms : 20000;
	c->pong_ms = o->pong_timeout_ms > 0 ? o->pong_timeout_ms : 10000;
	c->backoff_initial = o->backoff_initial_ms > 0 ?
	    o->backoff_initial_ms : 250;
	c->backoff_max = o->backoff_max_ms > 0 ? o->backoff_max_ms : 30000;
	if (c->backoff_max < c->backoff_initial)
		c->backoff_max = c->backoff_initial;
	if (o->jitter_percent < 0)
		c->jitter = 0;
	else
		c->jitter = o->jitter_percent == 0 ? 20 :
		    o->jitter_percent > 100 ? 100 : o->jitter_percent;
}

struct ws_conn *
ws_connect(struct ws_loop *l, const struct ws_options *opt,
    const struct ws_callbacks *cb, void *arg, char **cause)
{
	struct ws_conn *c = xcalloc(1, sizeof *c);

	c->loop = l;
	c->out_tail = &c->out_head;
	if (opt->url == NULL || parse_url(c, opt->url, cause) != 0) {
		if (opt->url == NULL)
			*cause = xstrdup("ws: no URL");
		goto fail;
	}
	if (copy_headers(c, opt->headers, cause) != 0)
		goto fail;
	set_options(c, opt);
	c->cb = *cb;
	c->arg = arg;
	c->state = CONN_IDLE;
	c->requests = REQ_CONNECT;
	pthread_mutex_lock(&l->lock);
	if (atomic_load(&l->stop)) {
		pthread_mutex_unlock(&l->lock);
		*cause = xstrdup("ws: the loop is stopping");
		goto fail;
	}
	c->next = l->conns;
	l->conns = c;
	wake(l);
	pthread_mutex_unlock(&l->lock);
	return c;
fail:
	conn_free(c);
	return NULL;
}

static int
enqueue(struct ws_conn *c, const void *data, size_t len, int binary)
{
	struct ws_loop *l = c->loop;
	struct out_msg *m;
	int here = on_loop_thread(l);

	pthread_mutex_lock(&l->lock);
	if (c->state != CONN_OPEN) {
		pthread_mutex_unlock(&l->lock);
		return -1;
	}
	m = xmalloc(sizeof *m + LWS_PRE + len);
	m->next = NULL;
	m->len = len;
	m->binary = binary;
	memcpy(m->buf + LWS_PRE, data, len);
	*c->out_tail = m;
	c->out_tail = &m->next;
	if (!here) {
		c->requests |= REQ_WRITE;
		wake(l);
	}
	pthread_mutex_unlock(&l->lock);
	if (here)
		lws_callback_on_writable(c->wsi);
	return 0;
}

int
ws_send(struct ws_conn *c, const char *text, size_t len)
{
	return enqueue(c, text, len, 0);
}

int
ws_send_binary(struct ws_conn *c, const void *data, size_t len)
{
	return enqueue(c, data, len, 1);
}

void
ws_get_stats(struct ws_conn *c, struct ws_stats *out)
{
	out->messages = atomic_load(&c->messages);
	out->reconnects = atomic_load(&c->reconnects);
	out->bytes = atomic_load(&c->bytes);
	out->dropped_oversize = atomic_load(&c->dropped);
}

void
ws_close(struct ws_conn *c)
{
	struct ws_loop *l = c->loop;

	if (!on_loop_thread(l)) {
		pthread_mutex_lock(&l->lock);
		c->requests |= REQ_CLOSE;
		wake(l);
		pthread_mutex_unlock(&l->lock);
		return;
	}
	if (c->state == CONN_CLOSED)
		return;
	set_state(c, CONN_CLOSED);
	lws_sul_cancel(&c->retry_sul);
	lws_sul_cancel(&c->alive_sul);
	kill_wsi(c, "closed");
	log_info("ws %s: closed", c->log_url);
}

void
ws_loop_stop(struct ws_loop *l)
{
	struct ws_conn *c, *next;

	if (l == NULL)
		return;
	pthread_mutex_lock(&l->lock);
	atomic_store(&l->stop, 1);
	lws_cancel_service(l->ctx);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->thread, NULL);
	/* Closes the connections; l->stopping keeps user callbacks out. */
	lws_context_destroy(l->ctx);
	for (c = l->conns; c != NULL; c = next) {
		next = c->next;
		conn_free(c);
	}
	pthread_mutex_destroy(&l->lock);
	free(l);
}
