#include "route.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "timefmt.h"
#include "xmalloc.h"

#define ROUTE_POLL_NS 5000000000LL
#define ROUTE_DRAIN_STEP_US 20000
#define ROUTE_POSITIONS_NS 10000000000LL

/* A broker's answer, copied off the transport thread. */
struct route_update {
	char *client_id;
	char *broker_id;
	char *reason;
	enum th_order_state state;
	double filled;
	double avg;
};

struct route_http {
	struct route *r;
	int purpose;
	char *key;
};

static const char *const state_names[] = {
	"sent", "accepted", "partial", "filled", "canceled", "rejected"
};

static int
is_final(int state)
{
	return state == TH_ORDER_FILLED || state == TH_ORDER_CANCELED ||
	    state == TH_ORDER_REJECTED;
}

static const char *
side_name(int side)
{
	return side > 0 ? "BUY" : "SELL";
}

/*
 * The journal (broker.csv) and the console.
 */

static void
journal_row(struct route *r, const struct route_order *o, const char *event,
    const char *reason)
{
	char when[40];

	if (r->journal == NULL)
		return;
	timefmt_timestamp(timefmt_wall_ns(), when, sizeof when);
	fprintf(r->journal, "%s,%s,%s,%s,%s,%.17g,%.17g,%s,%.17g,%.17g,%s\n",
	    when, r->opt.symbols[o->symbol], o->client_id,
	    o->broker_id ? o->broker_id : "", side_name(o->side), o->qty,
	    o->limit, event, o->filled, o->avg, reason ? reason : "");
	fflush(r->journal);
}

static void
console(const struct route *r, const struct route_order *o, const char *what)
{
	if (r->opt.quiet)
		return;
	fprintf(stderr, "broker   %-8s %-4s %g %s", r->opt.symbols[o->symbol],
	    side_name(o->side), o->qty, isnan(o->limit) ? "market" : "limit");
	if (!isnan(o->limit))
		fprintf(stderr, " %.6g", o->limit);
	fprintf(stderr, ": %s", what);
	if (o->filled > 0)
		fprintf(stderr, ", filled %g @ %.6g", o->filled, o->avg);
	fprintf(stderr, "  (%s)\n", o->client_id);
}

/*
 * The connector's sink, on the transport threads.
 */

static void
sink_order_update(void *arg, const struct th_order_update *u)
{
	struct route *r = arg;
	struct route_update *d;

	if (u->client_id == NULL || u->state < TH_ORDER_ACCEPTED ||
	    u->state > TH_ORDER_REJECTED)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->nupd == r->capupd) {
		r->capupd = r->capupd ? r->capupd * 2 : 16;
		r->upd = xreallocarray(r->upd, r->capupd, sizeof *r->upd);
	}
	d = &r->upd[r->nupd++];
	d->client_id = xstrdup(u->client_id);
	d->broker_id = u->broker_id ? xstrdup(u->broker_id) : NULL;
	d->reason = u->reason ? xstrdup(u->reason) : NULL;
	d->state = u->state;
	d->filled = u->filled_qty;
	d->avg = u->avg_price;
	pthread_mutex_unlock(&r->lock);
	if (r->opt.wake != NULL)
		r->opt.wake(r->opt.wake_arg);
}

static void
sink_fail(void *arg, const char *reason)
{
	struct route *r = arg;

	pthread_mutex_lock(&r->lock);
	if (r->failure == NULL)
		r->failure = xstrdup(reason);
	pthread_mutex_unlock(&r->lock);
	if (r->opt.wake != NULL)
		r->opt.wake(r->opt.wake_arg);
}

static struct ws_conn *
stream(struct route *r)
{
	struct ws_conn *c;

	pthread_mutex_lock(&r->lock);
	c = r->wsc;
	pthread_mutex_unlock(&r->lock);
	return c;
}

static int
sink_send(void *arg, const char *text)
{
	struct ws_conn *c = stream(arg);

	return c != NULL ? ws_send(c, text, strlen(text)) : -1;
}

static int
sink_send_binary(void *arg, const void *data, size_t len)
{
	struct ws_conn *c = stream(arg);

	return c != NULL ? ws_send_binary(c, data, len) : -1;
}

static void
http_done(void *arg, long status, const char *body, size_t len,
    const char *error)
{
	struct route_http *h = arg;
	struct route *r = h->r;

	if (status == 0)
		log_warn("%s: HTTP request failed: %s", r->conn.name, error);
	if (connector_on_http(&r->conn, h->purpose, h->key, status,
	    body != NULL ? body : "", body != NULL ? len : 0) != TH_OK)
		log_warn("%s: bad response (HTTP %ld) to a request about %s",
		    r->conn.name, status, h->key ? h->key : "the orders");
	free(h->key);
	free(h);
}

/* Retrying an order is safe: it carries its client id, and the broker
 * refuses a second order with the same one. */
static int
sink_http(void *arg, const struct th_http *req)
{
	struct route *r = arg;
	struct route_http *h = xcalloc(1, sizeof *h);
	struct http_request hr = { .method = req->method, .url = req->url,
	    .body = req->body, .headers = (const char *const *)r->headers,
	    .max_retries = -1 };

	h->r = r;
	h->purpose = req->purpose;
	h->key = req->key ? xstrdup(req->key) : NULL;
	if (http_submit(r->http, &hr, http_done, h) < 0) {
		free(h->key);
		free(h);
		return -1;
	}
	return 0;
}

static size_t
symbol_index(const struct route *r, const char *symbol)
{
	size_t k;

	for (k = 0; k < r->opt.nsymbols; k++)
		if (strcmp(r->opt.symbols[k], symbol) == 0)
			break;
	return k;
}

static void
sink_position(void *arg, const char *symbol, double qty, double avg)
{
	struct route *r = arg;
	size_t k = symbol_index(r, symbol);

	(void)avg;
	pthread_mutex_lock(&r->lock);
	if (k < r->opt.nsymbols && r->positions == 0)
		r->start[k] = qty;
	pthread_mutex_unlock(&r->lock);
}

static void
sink_positions_done(void *arg, int ok)
{
	struct route *r = arg;

	pthread_mutex_lock(&r->lock);
	if (r->positions == 0)
		r->positions = ok ? 1 : -1;
	pthread_mutex_unlock(&r->lock);
}

static const struct connector_sink route_sink = {
	.send = sink_send,
	.send_binary = sink_send_binary,
	.http = sink_http,
	.order_update = sink_order_update,
	.fail = sink_fail,
	.position = sink_position,
	.positions_done = sink_positions_done,
};

static void
ws_open(void *arg, struct ws_conn *c)
{
	struct route *r = arg;

	/* The loop may open the connection before ws_connect() returned
	 * it: the connector's first message needs it now. */
	pthread_mutex_lock(&r->lock);
	r->wsc = c;
	pthread_mutex_unlock(&r->lock);
	if (connector_on_open(&r->conn) != TH_OK)
		log_warn("%s: on_open failed", r->conn.name);
}

static void
ws_message(void *arg, struct ws_conn *c, const char *data, size_t len,
    int binary, int64_t recv_ns)
{
	struct route *r = arg;

	(void)c;
	(void)binary;
	(void)recv_ns;
	if (connector_on_message(&r->conn, data, len) == TH_ERR_INVALID)
		log_warn("%s: malformed message skipped", r->conn.name);
}

static void
ws_closed(void *arg, struct ws_conn *c, const char *reason)
{
	struct route *r = arg;

	(void)c;
	log_warn("%s: order stream disconnected (%s); reconnecting; order "
	    "states are polled meanwhile", r->conn.name, reason);
}

static const struct ws_callbacks route_ws = {
	.on_open = ws_open,
	.on_message = ws_message,
	.on_close = ws_closed,
};

/*
 * Start and stop.
 */

static int
open_journal(struct route *r, char **cause)
{
	if (r->opt.journal_path == NULL)
		return 0;
	if ((r->journal = fopen(r->opt.journal_path, "a")) == NULL) {
		*cause = xasprintf("%s: %s", r->opt.journal_path,
		    strerror(errno));
		return -1;
	}
	if (ftell(r->journal) == 0)
		fputs("time,symbol,client_id,broker_id,side,qty,limit,event,"
		    "filled,avg_price,reason\n", r->journal);
	return 0;
}

static int
start_stream(struct route *r, char **cause)
{
	char path[1024] = "";
	struct ws_options wo = { 0 };
	struct ws_conn *c = NULL;
	char *url;
	int rc = 0;

	if (!(r->conn.cb->caps & TH_CONN_STREAM))
		return 0;
	if (connector_stream_path(&r->conn, "", path, sizeof path) != TH_OK) {
		*cause = xasprintf("%s: no stream path", r->conn.name);
		return -1;
	}
	url = xasprintf("%s%s", r->conn.stream_url, path);
	wo.url = url;
	wo.headers = (const char *const *)r->headers;
	if ((r->ws = r->opt.ws) == NULL) {
		r->ws = ws_loop_start(cause);
		r->own_ws = r->ws != NULL;
	}
	if (r->ws == NULL ||
	    (c = ws_connect(r->ws, &wo, &route_ws, r, cause)) == NULL)
		rc = -1;
	pthread_mutex_lock(&r->lock);
	r->wsc = c;
	pthread_mutex_unlock(&r->lock);
	free(url);
	return rc;
}

/* Has the connector given up (a refused key)?  Then -1 with *cause. */
static int
failed(struct route *r, char **cause)
{
	int rc = 0;

	pthread_mutex_lock(&r->lock);
	if (r->failure != NULL) {
		*cause = xasprintf("%s: %s", r->conn.name, r->failure);
		rc = -1;
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

/* The account's positions before any order: the session starts flat on
 * paper whatever the account holds, and says so. */
static void
read_positions(struct route *r)
{
	int64_t end = timefmt_mono_ns() + ROUTE_POSITIONS_NS;
	int state = 0;
	size_t k;

	if (connector_positions(&r->conn) != TH_OK) {
		log_warn("%s: cannot read the account's positions; the broker "
		    "positions below count this session's fills only",
		    r->conn.name);
		return;
	}
	while (state == 0 && timefmt_mono_ns() < end) {
		usleep(ROUTE_DRAIN_STEP_US);
		pthread_mutex_lock(&r->lock);
		state = r->positions;
		pthread_mutex_unlock(&r->lock);
	}
	if (state != 1) {
		log_warn("%s: the account's positions could not be read%s",
		    r->conn.name, state == 0 ? " in 10 s" : "");
		return;
	}
	for (k = 0; k < r->opt.nsymbols; k++) {
		r->position[k] = r->start[k];
		if (r->start[k] != 0)
			log_info("%s: the account holds %g %s at the start",
			    r->conn.name, r->start[k], r->opt.symbols[k]);
	}
}

int
route_start(struct route *r, const struct route_options *opt, char **cause)
{
	memset(r, 0, sizeof *r);
	r->opt = *opt;
	pthread_mutex_init(&r->lock, NULL);
	r->position = xcalloc(opt->nsymbols, sizeof *r->position);
	r->start = xcalloc(opt->nsymbols, sizeof *r->start);
	/* Client ids must be unique across the account's sessions. */
	snprintf(r->tag, sizeof r->tag, "th%lx%lx",
	    (unsigned long)(timefmt_wall_ns() / 1000000 % 0xfffffffffLL),
	    (unsigned long)getpid() % 0xffffUL);
	if (connector_load(opt->connector, TH_PLUGIN_BROKER, &r->conn,
	    cause) < 0)
		return -1;
	r->loaded = 1;
	if (!(r->conn.cb->caps & TH_CONN_ORDERS) ||
	    r->conn.cb->submit == NULL) {
		*cause = xasprintf("%s: not a broker (it cannot take orders)",
		    r->conn.name);
		return -1;
	}
	connector_configure(&r->conn, opt->settings, opt->nsettings,
	    opt->rest_url, opt->stream_url);
	if (connector_open(&r->conn, opt->symbols, opt->nsymbols, &route_sink,
	    r, cause) < 0 || open_journal(r, cause) < 0)
		return -1;
	r->headers = connector_headers(&r->conn);
	if ((r->http = opt->http) == NULL) {
		if ((r->http = http_start(cause)) == NULL)
			return -1;
		r->own_http = 1;
	}
	read_positions(r);
	if (failed(r, cause))
		return -1;
	r->next_poll = timefmt_mono_ns() + (opt->poll_ns > 0 ? opt->poll_ns :
	    ROUTE_POLL_NS);
	return start_stream(r, cause);
}

static void
update_free(struct route_update *u)
{
	free(u->client_id);
	free(u->broker_id);
	free(u->reason);
}

void
route_stop(struct route *r)
{
	size_t k;

	/* The transport first: no callback runs into what follows.  A
	 * shared one was stopped by its owner, with the connections on it. */
	if (r->own_ws)
		ws_loop_stop(r->ws);
	if (r->own_http)
		http_stop(r->http);
	if (r->loaded)
		connector_unload(&r->conn);
	connector_free_headers(r->headers);
	for (k = 0; k < r->nupd; k++)
		update_free(&r->upd[k]);
	free(r->upd);
	for (k = 0; k < r->norders; k++) {
		free(r->orders[k].client_id);
		free(r->orders[k].broker_id);
	}
	free(r->orders);
	free(r->position);
	free(r->start);
	free(r->failure);
	if (r->journal != NULL)
		fclose(r->journal);
	pthread_mutex_destroy(&r->lock);
}

/*
 * Orders.
 */

static struct route_order *
find(struct route *r, const char *client_id)
{
	size_t k;

	for (k = 0; k < r->norders; k++)
		if (strcmp(r->orders[k].client_id, client_id) == 0)
			return &r->orders[k];
	return NULL;
}

/* A working order of symbol k identical to the one about to go (side,
 * units and limit) and placed at an earlier bar: what the duplicate-order
 * guard keeps back.  Orders of one bar are the strategy's distinct
 * intents (a close and a new entry of the same size, say). */
static const struct route_order *
working_twin(const struct route *r, size_t k, int side, double qty,
    double limit, int64_t bar)
{
	size_t j;

	for (j = 0; j < r->norders; j++) {
		const struct route_order *o = &r->orders[j];

		if (o->symbol == k && o->side == side && o->qty == qty &&
		    o->bar != bar &&
		    (o->limit == limit || (isnan(o->limit) &&
		    isnan(limit))) && !is_final(o->state))
			return o;
	}
	return NULL;
}

static struct route_order *
new_order(struct route *r, size_t k, int side, double qty, double limit,
    uint64_t paper_id, int64_t bar)
{
	struct route_order *o;

	if (r->norders == r->caporders) {
		r->caporders = r->caporders ? r->caporders * 2 : 16;
		r->orders = xreallocarray(r->orders, r->caporders,
		    sizeof *r->orders);
	}
	o = &r->orders[r->norders++];
	memset(o, 0, sizeof *o);
	o->client_id = xasprintf("%s-%llu", r->tag,
	    (unsigned long long)++r->seq);
	o->symbol = k;
	o->side = side;
	o->qty = qty;
	o->limit = limit;
	o->paper_id = paper_id;
	o->bar = bar;
	o->avg = NAN;
	if (!isnan(limit) && r->opt.limit_timeout_ns > 0)
		o->deadline = timefmt_mono_ns() + r->opt.limit_timeout_ns;
	return o;
}

/* Submits o; a refusal by the connector makes it rejected at once. */
static int
submit(struct route *r, struct route_order *o)
{
	struct th_broker_order bo = { 0 };
	enum th_status st;

	bo.struct_size = sizeof bo;
	bo.symbol = connector_provider_symbol(&r->conn, o->symbol);
	bo.client_id = o->client_id;
	bo.side = o->side;
	bo.qty = o->qty;
	bo.limit = o->limit;
	r->counts.sent++;
	if ((st = connector_submit(&r->conn, &bo)) == TH_OK) {
		journal_row(r, o, "sent", NULL);
		console(r, o, "sent");
		return 0;
	}
	o->state = TH_ORDER_REJECTED;
	r->counts.rejected++;
	log_error("%s: %s %s %g: the connector refused the order (status "
	    "%d)", r->conn.name, r->opt.symbols[o->symbol],
	    side_name(o->side), o->qty, (int)st);
	journal_row(r, o, "rejected", "connector refused it");
	return -1;
}

int
route_send(struct route *r, size_t k, double units, double limit,
    uint64_t paper_id, int64_t bar)
{
	int side = units > 0 ? 1 : -1;
	const struct route_order *twin;
	double qty = trunc(fabs(units));
	char *cause = NULL;

	if (failed(r, &cause)) {
		log_error("%s %s %g not sent: %s", r->opt.symbols[k],
		    side_name(side), qty, cause);
		free(cause);
		return -1;
	}
	if (qty < 1) {
		log_warn("%s: order %llu rounds to 0 units at the broker: not "
		    "sent", r->opt.symbols[k], (unsigned long long)paper_id);
		return 1;
	}
	if ((twin = working_twin(r, k, side, qty, limit, bar)) != NULL) {
		struct route_order dup = { .client_id = "-", .symbol = k,
		    .side = side, .qty = qty, .limit = limit, .avg = NAN };

		r->counts.duplicates++;
		log_warn("duplicate-order guard: %s %s %g not sent: the same "
		    "order %s is still working", r->opt.symbols[k],
		    side_name(side), qty, twin->client_id);
		journal_row(r, &dup, "duplicate", twin->client_id);
		return 1;
	}
	return submit(r, new_order(r, k, side, qty, limit, paper_id, bar));
}

int
route_has(const struct route *r, uint64_t paper_id)
{
	size_t k;

	for (k = 0; k < r->norders; k++)
		if (r->orders[k].paper_id == paper_id)
			return 1;
	return 0;
}

static void
request_cancel(struct route *r, struct route_order *o, int fallback)
{
	if (o->cancel_sent || is_final(o->state) || o->broker_id == NULL)
		return;
	if (connector_cancel(&r->conn, o->client_id, o->broker_id) != TH_OK) {
		log_warn("%s: cancel of %s failed", r->conn.name,
		    o->client_id);
		return;
	}
	o->cancel_sent = 1;
	o->fallback = fallback;
	journal_row(r, o, "cancel", fallback ? "limit_timeout" : "strategy");
}

void
route_cancel(struct route *r, uint64_t paper_id)
{
	size_t k;

	for (k = 0; k < r->norders; k++)
		if (r->orders[k].paper_id == paper_id)
			request_cancel(r, &r->orders[k], 0);
}

/* A canceled limit order whose timeout ran out: the rest at market. */
static void
fall_back(struct route *r, size_t j)
{
	struct route_order *o = &r->orders[j];
	double rest = o->qty - o->filled;
	size_t k = o->symbol;
	int side = o->side;
	uint64_t paper = o->paper_id;
	int64_t bar = o->bar;

	o->fallback = 0;
	if (rest < 1)
		return;
	r->counts.fallbacks++;
	log_info("%s: limit order %s was not filled in time: sending the "
	    "rest (%g) at market", r->opt.symbols[k], o->client_id, rest);
	/* new_order may move the table: o is not used after it. */
	submit(r, new_order(r, k, side, rest, NAN, paper, bar));
}

static void
count_final(struct route *r, int state)
{
	if (state == TH_ORDER_FILLED)
		r->counts.filled++;
	else if (state == TH_ORDER_CANCELED)
		r->counts.canceled++;
	else if (state == TH_ORDER_REJECTED)
		r->counts.rejected++;
}

static void
apply(struct route *r, const struct route_update *u)
{
	struct route_order *o = find(r, u->client_id);
	int was;

	if (o == NULL) {
		log_debug("%s: update for another session's order %s",
		    r->conn.name, u->client_id);
		return;
	}
	if (is_final(o->state) || ((int)u->state == o->state &&
	    u->filled == o->filled))
		return;
	was = o->state;
	if (o->broker_id == NULL && u->broker_id != NULL)
		o->broker_id = xstrdup(u->broker_id);
	o->state = (int)u->state;
	if (u->filled > o->filled) {
		o->filled = u->filled;
		o->avg = u->avg;
	}
	r->position[o->symbol] += o->side * (o->filled - o->counted);
	o->counted = o->filled;
	if (is_final(o->state) && !is_final(was))
		count_final(r, o->state);
	journal_row(r, o, state_names[o->state], u->reason);
	console(r, o, u->reason ? u->reason : state_names[o->state]);
	if (o->state == TH_ORDER_CANCELED && o->fallback)
		fall_back(r, (size_t)(o - r->orders));
}

static void
timeouts(struct route *r, int64_t now)
{
	size_t k;

	for (k = 0; k < r->norders; k++) {
		struct route_order *o = &r->orders[k];

		if (o->deadline != 0 && now >= o->deadline &&
		    !is_final(o->state) && !o->cancel_sent)
			request_cancel(r, o, 1);
	}
}

size_t
route_working(const struct route *r)
{
	size_t k, n = 0;

	for (k = 0; k < r->norders; k++)
		n += !is_final(r->orders[k].state);
	return n;
}

int
route_pump(struct route *r, char **cause)
{
	struct route_update *upd;
	int64_t now = timefmt_mono_ns();
	size_t n, k;

	pthread_mutex_lock(&r->lock);
	upd = r->upd;
	n = r->nupd;
	r->upd = NULL;
	r->nupd = r->capupd = 0;
	pthread_mutex_unlock(&r->lock);
	/* What arrived before a failure is still the broker's word. */
	for (k = 0; k < n; k++) {
		apply(r, &upd[k]);
		update_free(&upd[k]);
	}
	free(upd);
	if (failed(r, cause))
		return -1;
	timeouts(r, now);
	if (now >= r->next_poll) {
		if (route_working(r) > 0)
			(void)connector_poll(&r->conn);
		r->next_poll = now + (r->opt.poll_ns > 0 ? r->opt.poll_ns :
		    ROUTE_POLL_NS);
	}
	return 0;
}

int
route_drain(struct route *r, int64_t timeout_ns, char **cause)
{
	int64_t end = timefmt_mono_ns() + timeout_ns;
	size_t k;
	int rc = 0;

	while (route_working(r) > 0 && timefmt_mono_ns() < end) {
		/* Market orders fill by themselves; a limit order is only
		 * canceled once the broker has named it. */
		for (k = 0; k < r->norders; k++)
			if (!isnan(r->orders[k].limit))
				request_cancel(r, &r->orders[k], 0);
		if ((rc = route_pump(r, cause)) < 0)
			break;
		usleep(ROUTE_DRAIN_STEP_US);
	}
	if (rc == 0)
		rc = failed(r, cause);
	if (route_working(r) > 0)
		log_warn("%s: %zu order(s) still working at the broker after "
		    "the session", r->conn.name, route_working(r));
	return rc;
}

void
route_compare(const struct route *r, const double *paper)
{
	size_t k;

	for (k = 0; k < r->opt.nsymbols; k++)
		if (r->start[k] != paper[k])
			log_warn("%s: the account holds %g %s, the paper book "
			    "%g: the strategy sees the paper book, and the "
			    "broker's position differs from it by %g", r->conn.name,
			    r->start[k], r->opt.symbols[k], paper[k],
			    r->start[k] - paper[k]);
}

void
route_report(const struct route *r, const double *paper,
    const double *paper_start, FILE *out)
{
	const struct route_counts *c = &r->counts;
	size_t k;

	fprintf(out, "-- broker %s: %llu order(s) sent, %llu filled, %llu "
	    "canceled, %llu rejected; %llu kept back by the duplicate "
	    "guard; %llu limit timeout(s) sent at market\n", r->conn.name,
	    (unsigned long long)c->sent, (unsigned long long)c->filled,
	    (unsigned long long)c->canceled, (unsigned long long)c->rejected,
	    (unsigned long long)c->duplicates,
	    (unsigned long long)c->fallbacks);
	for (k = 0; k < r->opt.nsymbols; k++) {
		fprintf(out, "   %-8s broker position %g", r->opt.symbols[k],
		    r->position[k]);
		if (r->start[k] != 0)
			fprintf(out, " (%g held at the start)", r->start[k]);
		fprintf(out, ", paper position %g", paper[k]);
		if (paper_start[k] != 0)
			fprintf(out, " (%g at the start)", paper_start[k]);
		fprintf(out, "%s\n", r->position[k] - r->start[k] != paper[k] -
		    paper_start[k] ? "  (their changes differ)" : "");
	}
}
