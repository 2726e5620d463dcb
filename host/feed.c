#include "feed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "log.h"
#include "timefmt.h"
#include "ws.h"
#include "xmalloc.h"

/* The queue and the held bars are bounded: a provider that floods us
 * faster than the strategy runs is a bug to see, not memory to eat. */
#define FEED_QUEUE_MAX ((size_t)1 << 22)
#define FEED_HELD_MAX ((size_t)1 << 20)

/* Set on the HTTP thread while a response is parsed, so the bars it
 * reports are known to come from the history, not the stream. */
static _Thread_local int in_http;

struct http_ctx {
	struct feed *f;
	int purpose;
	char *key;
};

/* [lock held] The feed clock: it runs with the monotonic clock from its
 * origin, and an event newer than it moves it forward. */
static int64_t
clock_locked(const struct feed *f)
{
	return f->clock0 + (timefmt_mono_ns() - f->mono0);
}

static void
saw_event(struct feed *f, int64_t t)
{
	if (t > clock_locked(f)) {
		f->clock0 = t;
		f->mono0 = timefmt_mono_ns();
	}
}

int64_t
feed_now(struct feed *f)
{
	int64_t t;

	pthread_mutex_lock(&f->lock);
	t = clock_locked(f);
	pthread_mutex_unlock(&f->lock);
	return t;
}

static const char *
sym_name(const struct feed *f, size_t k)
{
	return f->opt.symbols[k];
}

/* [lock held] Queues a closed bar unless it repeats or precedes the last
 * one of its symbol. */
static void
enqueue(struct feed *f, size_t k, const struct agg_bar *b, int64_t recv)
{
	struct feed_symbol *s = &f->sym[k];
	struct feed_bar *q;
	char when[40];

	if (b->time <= s->last) {
		f->dropped++;
		timefmt_timestamp(b->time, when, sizeof when);
		log_info("%s: bar %s %s: dropped", sym_name(f, k), when,
		    b->time == s->last ? "repeats the last one" :
		    "is older than the last one");
		return;
	}
	if (f->qlen == f->qcap) {
		if (f->qcap >= FEED_QUEUE_MAX) {
			log_error("%s: bar queue full (%zu): the strategy "
			    "cannot keep up", sym_name(f, k), f->qlen);
			return;
		}
		f->queue = xreallocarray(f->queue, f->qcap ? f->qcap * 2 : 256,
		    sizeof *f->queue);
		/* Unwrap: move the part before the head after the rest. */
		if (f->qhead + f->qlen > f->qcap)
			memcpy(f->queue + f->qcap, f->queue,
			    (f->qhead + f->qlen - f->qcap) * sizeof *f->queue);
		f->qcap = f->qcap ? f->qcap * 2 : 256;
	}
	q = &f->queue[(f->qhead + f->qlen++) % f->qcap];
	q->symbol = k;
	q->bar = *b;
	q->history = !s->history_ok;
	q->recv_ns = recv;
	q->clock_ns = clock_locked(f);
	s->last = b->time;
	pthread_cond_signal(&f->cond);
}

/* [lock held] A closed bar from the stream waits while its symbol's gap
 * is backfilled; one from the history goes straight in. */
static void
deliver(struct feed *f, size_t k, const struct agg_bar *b, int from_http)
{
	struct feed_symbol *s = &f->sym[k];
	int64_t recv = timefmt_mono_ns();

	s->updated = recv;
	if (s->stale) {
		s->stale = 0;
		log_info("%s: data again", sym_name(f, k));
	}
	if (s->backfilling && !from_http) {
		if (s->nheld == FEED_HELD_MAX) {
			log_error("%s: too many bars held during a backfill",
			    sym_name(f, k));
			return;
		}
		s->held = xreallocarray(s->held, s->nheld + 1,
		    sizeof *s->held);
		s->held[s->nheld].bar = *b;
		s->held[s->nheld++].recv_ns = recv;
		return;
	}
	enqueue(f, k, b, recv);
}

static size_t
sym_index(const struct feed *f, const char *symbol)
{
	size_t k;

	for (k = 0; k < f->opt.nsymbols; k++)
		if (strcmp(f->opt.symbols[k], symbol) == 0)
			return k;
	return 0;
}

/* [lock held] Bars of a finer period or trades pass the aggregator. */
static void
aggregate(struct feed *f, size_t k, const struct agg_bar *b, int tick,
    int from_http)
{
	struct agg_bar out;
	int rc;

	rc = tick ? agg_add_tick(&f->sym[k].agg, b->time, b->close,
	    b->volume, &out) : agg_add_bar(&f->sym[k].agg, b, &out);
	if (rc < 0) {
		f->dropped++;
		log_info("%s: late %s dropped", sym_name(f, k),
		    tick ? "trade" : "bar");
	} else if (rc > 0)
		deliver(f, k, &out, from_http);
}

/*
 * What the connector reports (connector lock held).
 */

static void
sink_bar(void *arg, const char *symbol, const struct th_bar *bar)
{
	struct feed *f = arg;
	size_t k = sym_index(f, symbol);
	struct agg_bar b = { bar->time, bar->open, bar->high, bar->low,
	    bar->close, bar->volume };
	int64_t len = connector_granularity_ns(f->ask);

	if (!bar->closed)
		return;
	pthread_mutex_lock(&f->lock);
	saw_event(f, bar->time);
	/* A polled response ends with the bar still forming. */
	if (in_http && bar->time + len > clock_locked(f)) {
		pthread_mutex_unlock(&f->lock);
		return;
	}
	if (f->aggregate) {
		/* A poll fetches the forming period's finer bars again. */
		if (b.time <= f->sym[k].last_fine) {
			pthread_mutex_unlock(&f->lock);
			return;
		}
		f->sym[k].last_fine = b.time;
		aggregate(f, k, &b, 0, in_http);
	} else
		deliver(f, k, &b, in_http);
	pthread_mutex_unlock(&f->lock);
}

static void
sink_tick(void *arg, const char *symbol, const struct th_tick *t)
{
	struct feed *f = arg;
	size_t k = sym_index(f, symbol);
	struct agg_bar b = { t->time, t->price, t->price, t->price, t->price,
	    t->size };

	pthread_mutex_lock(&f->lock);
	saw_event(f, t->time);
	aggregate(f, k, &b, 1, in_http);
	pthread_mutex_unlock(&f->lock);
}

static int
sink_send(void *arg, const char *text)
{
	struct feed *f = arg;
	struct ws_conn *c;

	pthread_mutex_lock(&f->lock);
	c = f->wsc;
	pthread_mutex_unlock(&f->lock);
	return c != NULL ? ws_send(c, text, strlen(text)) : -1;
}

static int
sink_send_binary(void *arg, const void *data, size_t len)
{
	struct feed *f = arg;

	return f->wsc != NULL ? ws_send_binary(f->wsc, data, len) : -1;
}

static void
sink_ready(void *arg)
{
	struct feed *f = arg;

	pthread_mutex_lock(&f->lock);
	f->want_subscribe = 1;
	pthread_mutex_unlock(&f->lock);
}

static void http_done(void *arg, long status, const char *body, size_t len,
    const char *error);

static int
sink_http(void *arg, const struct th_http *req)
{
	struct feed *f = arg;
	struct http_ctx *hc = xcalloc(1, sizeof *hc);
	struct http_request r = { .method = req->method, .url = req->url,
	    .body = req->body, .headers = (const char *const *)f->headers,
	    .max_retries = -1 };

	hc->f = f;
	hc->purpose = req->purpose;
	hc->key = req->key != NULL ? xstrdup(req->key) : NULL;
	if (http_submit(f->http, &r, http_done, hc) < 0) {
		free(hc->key);
		free(hc);
		return -1;
	}
	return 0;
}

/* [lock held] The backfill of symbol k is over: the bars that waited
 * follow the history, minus any it already had. */
static void
release_held(struct feed *f, size_t k)
{
	struct feed_symbol *s = &f->sym[k];
	size_t j;

	s->backfilling = 0;
	for (j = 0; j < s->nheld; j++)
		enqueue(f, k, &s->held[j].bar, s->held[j].recv_ns);
	free(s->held);
	s->held = NULL;
	s->nheld = 0;
}

static void
sink_history_done(void *arg, const char *symbol, int ok)
{
	struct feed *f = arg;
	size_t k = sym_index(f, symbol);
	struct feed_symbol *s = &f->sym[k];

	pthread_mutex_lock(&f->lock);
	if (!ok)
		log_warn("%s: the history request failed; going on without "
		    "it", symbol);
	if (!s->history_ok) {
		s->history_ok = 1;
		f->history_pending--;
	}
	release_held(f, k);
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static void
sink_fail(void *arg, const char *reason)
{
	struct feed *f = arg;

	pthread_mutex_lock(&f->lock);
	if (f->failure == NULL)
		f->failure = xstrdup(reason);
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static const struct connector_sink feed_sink = {
	.bar = sink_bar,
	.tick = sink_tick,
	.send = sink_send,
	.send_binary = sink_send_binary,
	.ready = sink_ready,
	.http = sink_http,
	.history_done = sink_history_done,
	.fail = sink_fail,
};

/*
 * Transport callbacks.
 */

static void
http_done(void *arg, long status, const char *body, size_t len,
    const char *error)
{
	struct http_ctx *hc = arg;
	struct feed *f = hc->f;
	enum th_status st;

	if (status == 0)
		log_warn("%s: HTTP request failed: %s", f->conn.name, error);
	in_http = 1;
	st = connector_on_http(&f->conn, hc->purpose, hc->key, status,
	    body != NULL ? body : "", body != NULL ? len : 0);
	in_http = 0;
	if (st != TH_OK && hc->purpose == TH_HTTP_HISTORY && hc->key != NULL) {
		log_warn("%s: %s: bad history response (HTTP %ld)",
		    f->conn.name, hc->key, status);
		sink_history_done(f, hc->key, 0);
	}
	free(hc->key);
	free(hc);
}

/* [any thread] The subscriptions that are due, one symbol per
 * --stagger: the loop thread starts them, the engine thread (feed_take)
 * goes on with them. */
static void
subscribe_due(struct feed *f)
{
	size_t k;

	for (;;) {
		pthread_mutex_lock(&f->lock);
		if (f->sub_next >= f->opt.nsymbols ||
		    timefmt_mono_ns() < f->sub_at) {
			pthread_mutex_unlock(&f->lock);
			return;
		}
		k = f->sub_next++;
		f->sub_at = timefmt_mono_ns() + f->opt.stagger_ns;
		pthread_mutex_unlock(&f->lock);
		if (connector_subscribe(&f->conn,
		    connector_provider_symbol(&f->conn, k), f->ask) == TH_OK)
			log_info("%s: subscribed to %s", f->conn.name,
			    f->opt.symbols[k]);
	}
}

static void
subscribe_all(struct feed *f)
{
	pthread_mutex_lock(&f->lock);
	if (f->want_subscribe) {
		f->sub_next = 0;
		f->sub_at = 0;
	}
	f->want_subscribe = 0;
	pthread_mutex_unlock(&f->lock);
	subscribe_due(f);
}

/* After a reconnect: what the stream missed comes from the history. */
static void
backfill(struct feed *f)
{
	size_t k, n = f->opt.nsymbols;
	int64_t *from, now;

	if (!(f->conn.cb->caps & TH_CONN_HISTORY))
		return;
	/* INT64_MIN: no gap to fill (no bar yet, or the first history is
	 * still due and its bars wait anyway). */
	from = xcalloc(n, sizeof *from);
	pthread_mutex_lock(&f->lock);
	now = clock_locked(f);
	for (k = 0; k < n; k++) {
		from[k] = f->sym[k].history_ok ? f->sym[k].last : INT64_MIN;
		if (from[k] != INT64_MIN)
			f->sym[k].backfilling = 1;
	}
	pthread_mutex_unlock(&f->lock);
	for (k = 0; k < n; k++) {
		if (from[k] == INT64_MIN)
			continue;
		log_info("%s: backfilling %s after the reconnect",
		    f->conn.name, f->opt.symbols[k]);
		if (connector_history(&f->conn,
		    connector_provider_symbol(&f->conn, k), f->ask,
		    from[k] + f->gran, now + f->gran) != TH_OK)
			sink_history_done(f, f->opt.symbols[k], 0);
	}
	free(from);
}

static void
ws_open(void *arg, struct ws_conn *c)
{
	struct feed *f = arg;

	/* The connection may open, and the provider speak, before
	 * ws_connect() has returned it to start_stream(). */
	pthread_mutex_lock(&f->lock);
	f->wsc = c;
	pthread_mutex_unlock(&f->lock);
	if (f->opened_once)
		backfill(f);
	f->opened_once = 1;
	if (connector_on_open(&f->conn) != TH_OK)
		log_warn("%s: on_open failed", f->conn.name);
	subscribe_all(f);
}

static void
ws_message(void *arg, struct ws_conn *c, const char *data, size_t len,
    int binary, int64_t recv_ns)
{
	struct feed *f = arg;

	(void)c;
	(void)binary;
	pthread_mutex_lock(&f->lock);
	if (f->messages++ == 0)
		f->first_msg = recv_ns;
	f->last_msg = recv_ns;
	pthread_mutex_unlock(&f->lock);
	if (connector_on_message(&f->conn, data, len) == TH_ERR_INVALID)
		log_warn("%s: malformed message skipped: %.*s", f->conn.name,
		    (int)(len < 120 ? len : 120), data);
	subscribe_all(f);
}

static void
ws_closed(void *arg, struct ws_conn *c, const char *reason)
{
	struct feed *f = arg;

	(void)c;
	log_warn("%s: stream disconnected (%s); reconnecting", f->conn.name,
	    reason);
}

static const struct ws_callbacks feed_ws = {
	.on_open = ws_open,
	.on_message = ws_message,
	.on_close = ws_closed,
};

/*
 * Start and the engine side.
 */

/* The provider's granularity: ours if native, else the finest native one
 * that divides it (bars are then aggregated); ticks when it has none. */
static int
choose_granularity(struct feed *f, char **cause)
{
	static const char *const all[] = { "1s", "1m", "5m", "15m", "30m",
	    "1h", "4h", "1d" };
	size_t k;

	f->gran = connector_granularity_ns(f->opt.granularity);
	if (f->gran == 0) {
		*cause = xasprintf("granularity '%s' is not one of %s",
		    f->opt.granularity, connector_granularities);
		return -1;
	}
	if (connector_has_granularity(&f->conn, f->opt.granularity)) {
		f->ask = f->opt.granularity;
		return 0;
	}
	f->aggregate = 1;
	for (k = sizeof all / sizeof all[0]; k-- > 0;) {
		int64_t g = connector_granularity_ns(all[k]);

		if (g < f->gran && f->gran % g == 0 &&
		    connector_has_granularity(&f->conn, all[k])) {
			f->ask = all[k];
			return 0;
		}
	}
	if (f->conn.cb->caps & TH_CONN_STREAM && f->conn.cb->granularities &&
	    *f->conn.cb->granularities == '\0') {
		f->ask = f->opt.granularity;	/* trades */
		return 0;
	}
	*cause = xasprintf("%s cannot deliver %s bars (it has: %s)",
	    f->conn.name, f->opt.granularity, f->conn.cb->granularities);
	return -1;
}

static int
start_stream(struct feed *f, char **cause)
{
	char path[2048] = "";
	char *url;
	struct ws_options wo = { 0 };
	struct ws_conn *c;

	if (connector_stream_path(&f->conn, f->ask, path, sizeof path) !=
	    TH_OK) {
		*cause = xasprintf("%s: no stream path", f->conn.name);
		return -1;
	}
	url = xasprintf("%s%s", f->conn.stream_url, path);
	wo.url = url;
	wo.headers = (const char *const *)f->headers;
	if ((f->ws = ws_loop_start(cause)) == NULL ||
	    (c = ws_connect(f->ws, &wo, &feed_ws, f, cause)) == NULL) {
		free(url);
		return -1;
	}
	pthread_mutex_lock(&f->lock);
	f->wsc = c;
	pthread_mutex_unlock(&f->lock);
	free(url);
	return 0;
}

/* [engine] The history requests that are due, one symbol per
 * --stagger, all for the window set at the start. */
static void
history_due(struct feed *f)
{
	size_t k;

	while (f->hist_next < f->opt.nsymbols &&
	    timefmt_mono_ns() >= f->hist_at) {
		k = f->hist_next++;
		f->hist_at = timefmt_mono_ns() + f->opt.stagger_ns;
		if (connector_history(&f->conn,
		    connector_provider_symbol(&f->conn, k), f->ask,
		    f->hist_start, f->hist_end) != TH_OK)
			sink_history_done(f, f->opt.symbols[k], 0);
	}
}

static void
request_history(struct feed *f)
{
	int64_t end = feed_now(f);
	int64_t start = end - f->opt.history_bars * f->gran;

	/* Built bars start at a period's boundary, as live ones do. */
	start -= ((start % f->gran) + f->gran) % f->gran;
	f->hist_start = start;
	f->hist_end = end;
	history_due(f);
}

/* How long feed_take may wait: no later than the next staggered
 * request. */
static int
stagger_wait_ms(struct feed *f, int timeout_ms)
{
	int64_t due = INT64_MAX, ms;

	if (f->hist_next < f->opt.nsymbols)
		due = f->hist_at;
	pthread_mutex_lock(&f->lock);
	if (f->sub_next < f->opt.nsymbols && f->sub_at < due)
		due = f->sub_at;
	pthread_mutex_unlock(&f->lock);
	if (due == INT64_MAX)
		return timeout_ms;
	ms = (due - timefmt_mono_ns()) / 1000000 + 1;
	return ms < 1 ? 1 : ms < timeout_ms ? (int)ms : timeout_ms;
}

int
feed_start(struct feed *f, const struct feed_options *opt, char **cause)
{
	size_t k;

	memset(f, 0, sizeof *f);
	f->opt = *opt;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	f->mono0 = timefmt_mono_ns();
	f->clock0 = opt->now != 0 ? opt->now : timefmt_wall_ns();
	f->sym = xcalloc(opt->nsymbols, sizeof *f->sym);
	f->history_pending = opt->nsymbols;
	f->hist_next = f->sub_next = opt->nsymbols;	/* none due */
	if (connector_load(opt->connector, TH_PLUGIN_FEED, &f->conn,
	    cause) < 0)
		return -1;
	connector_configure(&f->conn, opt->settings, opt->nsettings,
	    opt->rest_url, opt->stream_url);
	if (connector_open(&f->conn, opt->symbols, opt->nsymbols, &feed_sink,
	    f, cause) < 0 || choose_granularity(f, cause) < 0)
		return -1;
	for (k = 0; k < opt->nsymbols; k++) {
		agg_init(&f->sym[k].agg, f->gran);
		f->sym[k].last = INT64_MIN;
		f->sym[k].last_fine = INT64_MIN;
		f->sym[k].updated = f->mono0;
		/* Stream bars wait for the history. */
		f->sym[k].backfilling = 1;
	}
	f->headers = connector_headers(&f->conn);
	if ((f->http = http_start(cause)) == NULL)
		return -1;
	if (f->conn.cb->caps & TH_CONN_HISTORY && opt->history_bars > 0) {
		f->hist_next = 0;
		request_history(f);
	}
	else
		for (k = 0; k < opt->nsymbols; k++)
			sink_history_done(f, opt->symbols[k], 1);
	f->next_poll = timefmt_mono_ns() + (opt->poll_ns ? opt->poll_ns :
	    f->gran);
	if (f->conn.cb->caps & TH_CONN_STREAM)
		return start_stream(f, cause);
	if (!(f->conn.cb->caps & TH_CONN_POLL)) {
		*cause = xasprintf("%s: neither a stream nor polling",
		    f->conn.name);
		return -1;
	}
	return 0;
}

void
feed_pause(struct feed *f, int paused)
{
	int64_t now = timefmt_mono_ns();
	size_t k;

	pthread_mutex_lock(&f->lock);
	f->paused = paused;
	/* Quiet while closed is no staleness: count from the open. */
	for (k = 0; !paused && k < f->opt.nsymbols; k++)
		f->sym[k].updated = now;
	pthread_mutex_unlock(&f->lock);
	if (!paused)
		f->next_poll = now;
}

int
feed_history_done(struct feed *f)
{
	int done;

	pthread_mutex_lock(&f->lock);
	done = f->history_pending == 0;
	pthread_mutex_unlock(&f->lock);
	return done;
}

/* Polling feeds: one request per symbol from its last bar on. */
static void
poll_due(struct feed *f)
{
	int64_t now = timefmt_mono_ns(), from, end;
	size_t k;
	int paused;

	if (f->conn.cb->caps & TH_CONN_STREAM || now < f->next_poll ||
	    !feed_history_done(f))
		return;
	pthread_mutex_lock(&f->lock);
	paused = f->paused;
	pthread_mutex_unlock(&f->lock);
	if (paused)
		return;
	f->next_poll = now + (f->opt.poll_ns ? f->opt.poll_ns : f->gran);
	end = feed_now(f) + f->gran;
	for (k = 0; k < f->opt.nsymbols; k++) {
		pthread_mutex_lock(&f->lock);
		from = f->sym[k].last == INT64_MIN ? end - 2 * f->gran :
		    f->sym[k].last + f->gran;
		if (f->aggregate && f->sym[k].last_fine != INT64_MIN)
			from = f->sym[k].last_fine + 1;
		pthread_mutex_unlock(&f->lock);
		(void)connector_history(&f->conn,
		    connector_provider_symbol(&f->conn, k), f->ask, from, end);
	}
}

/* [lock held] Bars the clock closed, and symbols gone quiet. */
static void
by_clock(struct feed *f)
{
	int64_t now = clock_locked(f), mono = timefmt_mono_ns();
	struct agg_bar out;
	size_t k;

	f->flushed_at = now;

	for (k = 0; k < f->opt.nsymbols; k++) {
		struct feed_symbol *s = &f->sym[k];

		if (f->aggregate && agg_flush(&s->agg, now, f->opt.grace_ns,
		    &out))
			deliver(f, k, &out, 0);
		if (f->opt.stale_ns > 0 && !s->stale && !f->paused &&
		    mono - s->updated > f->opt.stale_ns) {
			s->stale = 1;
			log_warn("%s: stale: no data for %lld s",
			    sym_name(f, k),
			    (long long)((mono - s->updated) / 1000000000));
		}
	}
}

static void
wait_locked(struct feed *f, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	(void)pthread_cond_timedwait(&f->cond, &f->lock, &ts);
}

long
feed_take(struct feed *f, struct feed_bar *out, size_t max, int timeout_ms,
    char **cause)
{
	size_t n = 0;

	history_due(f);
	subscribe_due(f);
	if (timeout_ms > 0)
		timeout_ms = stagger_wait_ms(f, timeout_ms);
	poll_due(f);
	pthread_mutex_lock(&f->lock);
	by_clock(f);
	if (f->qlen == 0 && f->failure == NULL && !f->woken && timeout_ms > 0)
		wait_locked(f, timeout_ms);
	f->woken = 0;
	if (f->failure != NULL) {
		*cause = xasprintf("%s: %s", f->conn.name, f->failure);
		pthread_mutex_unlock(&f->lock);
		return -1;
	}
	for (; n < max && f->qlen > 0; n++) {
		out[n] = f->queue[f->qhead];
		f->qhead = (f->qhead + 1) % f->qcap;
		f->qlen--;
	}
	pthread_mutex_unlock(&f->lock);
	return (long)n;
}

void
feed_wake(struct feed *f)
{
	pthread_mutex_lock(&f->lock);
	f->woken = 1;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

void
feed_throughput(struct feed *f, uint64_t *messages, double *seconds)
{
	pthread_mutex_lock(&f->lock);
	*messages = f->messages;
	*seconds = (f->last_msg - f->first_msg) / 1e9;
	pthread_mutex_unlock(&f->lock);
}

void
feed_stop(struct feed *f)
{
	size_t k;

	ws_loop_stop(f->ws);
	http_stop(f->http);
	f->ws = NULL;
	f->wsc = NULL;
	f->http = NULL;
	connector_unload(&f->conn);
	connector_free_headers(f->headers);
	for (k = 0; f->sym != NULL && k < f->opt.nsymbols; k++)
		free(f->sym[k].held);
	free(f->sym);
	free(f->queue);
	free(f->failure);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	memset(f, 0, sizeof *f);
}
