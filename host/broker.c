/* The simulated broker.  Each function names the backtesting.py method it
 * reproduces; the operation order of every floating-point expression is the
 * library's, because parity is bit-level (spec 5.7). */
#include "broker.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pyfloat.h"
#include "xmalloc.h"

/* Hard cap on pending orders and trades: a strategy that queues without
 * bound is a bug worth stopping. */
#define BROKER_MAX_ITEMS ((size_t)1 << 26)

static void
vec_push(struct ptr_vec *v, void *p)
{
	if (v->n == v->cap) {
		if (v->cap >= BROKER_MAX_ITEMS) {
			log_error("more than %zu pending orders or trades",
			    BROKER_MAX_ITEMS);
			abort();
		}
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
	}
	v->v[v->n++] = p;
}

static void
vec_insert_front(struct ptr_vec *v, void *p)
{
	vec_push(v, p);
	memmove(v->v + 1, v->v, (v->n - 1) * sizeof *v->v);
	v->v[0] = p;
}

/* Removes element k, keeping order (Python list.remove). */
static void
vec_remove_at(struct ptr_vec *v, size_t k)
{
	memmove(v->v + k, v->v + k + 1, (v->n - k - 1) * sizeof *v->v);
	v->n--;
}

static int
vec_remove(struct ptr_vec *v, const void *p)
{
	size_t k;

	for (k = 0; k < v->n; k++)
		if (v->v[k] == p) {
			vec_remove_at(v, k);
			return 0;
		}
	return -1;
}

static void
vec_free(struct ptr_vec *v)
{
	free(v->v);
	memset(v, 0, sizeof *v);
}

static double
price_at(const struct broker *b, int col, size_t i)
{
	return b->data->cols[col][i];
}

static double
last_price(const struct broker *b)
{
	return price_at(b, FRAME_CLOSE, b->i);
}

/* _Broker._commission for commission=(fixed, rate). */
static double
commission(const struct broker *b, double size, double price)
{
	return b->cfg.commission_fixed + (fabs(size) * price) *
	    b->cfg.commission_rate;
}

/* _Broker._adjusted_price: the spread's sign is ignored. */
static double
adjusted_price(const struct broker *b, double size, double price)
{
	return price * (1 + copysign(b->cfg.spread, size));
}

static void
warn_once(struct broker *b, enum broker_warning w, const char *msg)
{
	if (b->warnings[w]++ == 0)
		log_warn("bar %zu: %s (further cases are counted)", b->i, msg);
	else
		log_debug("bar %zu: %s", b->i, msg);
}

int
broker_config_check(const struct broker_config *cfg, char **cause)
{
	if (!(cfg->cash > 0) || isinf(cfg->cash)) {
		*cause = xasprintf("cash: must be a positive number, got %g",
		    cfg->cash);
		return -1;
	}
	if (!(cfg->margin > 0 && cfg->margin <= 1)) {
		*cause = xasprintf("margin: must be in (0, 1], got %g",
		    cfg->margin);
		return -1;
	}
	if (!(cfg->commission_fixed >= 0) || isinf(cfg->commission_fixed)) {
		*cause = xasprintf("commission: the fixed part must be >= 0, "
		    "got %g", cfg->commission_fixed);
		return -1;
	}
	if (!(cfg->commission_rate >= -0.1 && cfg->commission_rate < 0.1)) {
		*cause = xasprintf("commission: the rate must be in [-0.1, 0.1),"
		    " got %g", cfg->commission_rate);
		return -1;
	}
	if (!isfinite(cfg->spread)) {
		*cause = xasprintf("spread: must be a finite number, got %g",
		    cfg->spread);
		return -1;
	}
	return 0;
}

void
broker_init(struct broker *b, const struct broker_config *cfg,
    const struct frame *data)
{
	size_t k;

	memset(b, 0, sizeof *b);
	b->cfg = *cfg;
	b->data = data;
	b->leverage = 1 / cfg->margin;
	b->solo_member = b;
	b->solo.members = &b->solo_member;
	b->solo.n = 1;
	b->solo.cash = cfg->cash;
	b->acct = &b->solo;
	b->next_id = 1;
	b->equity = xmalloc((data->n ? data->n : 1) * sizeof *b->equity);
	for (k = 0; k < data->n; k++)
		b->equity[k] = NAN;
	b->nequity = data->n;
}

void
broker_grow(struct broker *b)
{
	size_t k;

	if (b->nequity >= b->data->n)
		return;
	b->equity = xreallocarray(b->equity, b->data->n, sizeof *b->equity);
	for (k = b->nequity; k < b->data->n; k++)
		b->equity[k] = NAN;
	b->nequity = b->data->n;
}

void
broker_join(struct broker *b, struct account *a)
{
	a->members = xreallocarray(a->members, a->n + 1, sizeof *a->members);
	a->members[a->n++] = b;
	b->acct = a;
}

static void
emit(struct broker *b, enum broker_event_kind kind, uint64_t order_id,
    uint64_t trade_id, double size, double price, const char *reason)
{
	struct broker_event ev;

	if (b->on_event == NULL)
		return;
	ev.kind = kind;
	ev.order_id = order_id;
	ev.trade_id = trade_id;
	ev.size = size;
	ev.price = price;
	ev.reason = reason;
	b->on_event(b->event_arg, b, &ev);
}

static void
emit_cancel(struct broker *b, const struct order *o, const char *reason)
{
	emit(b, BROKER_EV_CANCEL, o->id, 0, o->size, 0, reason);
}

static void
order_free(struct order *o)
{
	free(o->tag);
	free(o);
}

static void
trade_free(struct trade *t)
{
	free(t->tag);
	free(t);
}

static void
free_dead(struct broker *b)
{
	size_t k;

	for (k = 0; k < b->dead.n; k++)
		order_free(b->dead.v[k]);
	b->dead.n = 0;
}

void
broker_free(struct broker *b)
{
	size_t k;

	for (k = 0; k < b->queue.n; k++)
		order_free(b->queue.v[k]);
	free_dead(b);
	for (k = 0; k < b->open.n; k++)
		trade_free(b->open.v[k]);
	for (k = 0; k < b->closed.n; k++)
		trade_free(b->closed.v[k]);
	vec_free(&b->queue);
	vec_free(&b->dead);
	vec_free(&b->scratch);
	vec_free(&b->trade_snap);
	vec_free(&b->open);
	vec_free(&b->closed);
	if (b->acct == &b->solo)
		b->acct = NULL;
	free(b->error);
	free(b->equity);
	b->error = NULL;
	b->equity = NULL;
}

/* Takes an order out of the queue; it stays allocated until the next
 * broker_next(), because a snapshot of the queue may still point at it. */
static void
dequeue(struct broker *b, struct order *o)
{
	if (!o->queued)
		return;
	vec_remove(&b->queue, o);
	o->queued = 0;
	vec_push(&b->dead, o);
}

static struct order *
order_new(struct broker *b, double size, const char *tag)
{
	struct order *o = xcalloc(1, sizeof *o);

	o->id = b->next_id++;
	o->size = size;
	o->tag = tag != NULL ? xstrdup(tag) : NULL;
	return o;
}

int
broker_order_is_contingent(const struct order *o)
{
	return o->parent != NULL && (o == o->parent->sl_order ||
	    o == o->parent->tp_order);
}

/*
 * Account quantities (spec 3.2, 1.6).
 */

/* Recomputes sum(int(size)) and sum(size * entry) over the open trades,
 * left to right from 0 as the library sums them, whenever the list or a
 * size changes, so that the per-bar equity needs no loop. */
static void
update_position_sums(struct broker *b)
{
	double p = 0, s = 0;
	size_t k;

	for (k = 0; k < b->open.n; k++) {
		const struct trade *t = b->open.v[k];

		p += trunc(t->size);
		s += t->size * t->entry_price;
	}
	b->pos_units = p;
	b->pos_cost = s;
}

void
broker_recount(struct broker *b)
{
	update_position_sums(b);
}

double
broker_position_size(const struct broker *b)
{
	return b->pos_units;
}

/* _Broker unrealized P/L: last * sum(int(size)) - sum(size * entry). */
double
broker_position_pl(const struct broker *b)
{
	return last_price(b) * b->pos_units - b->pos_cost;
}

/* cash + sum(trade.pl): one member's sum is the library's; the members'
 * sums add up in symbol order. */
double
broker_equity(const struct broker *b)
{
	const struct account *a = b->acct;
	double pl;
	size_t k;

	if (a->n == 1)
		return a->cash + broker_position_pl(b);
	pl = 0;
	for (k = 0; k < a->n; k++)
		pl += broker_position_pl(a->members[k]);
	return a->cash + pl;
}

double
broker_margin_available(const struct broker *b)
{
	const struct account *a = b->acct;
	double used = 0, m;
	size_t j, k;

	for (j = 0; j < a->n; j++) {
		const struct broker *mb = a->members[j];

		for (k = 0; k < mb->open.n; k++) {
			const struct trade *t = mb->open.v[k];

			used += fabs(t->size) * last_price(mb) / mb->leverage;
		}
	}
	m = broker_equity(b) - used;
	return m > 0 ? m : 0;
}

double
broker_position_pl_pct(const struct broker *b)
{
	double weights = 0;
	size_t k;

	for (k = 0; k < b->open.n; k++) {
		const struct trade *t = b->open.v[k];

		weights += fabs(t->size) * t->entry_price;
	}
	if (weights == 0)
		return 0;
	return broker_position_pl(b) / weights * 100;
}

static double
trade_price(const struct broker *b, const struct trade *t)
{
	return t->exit_price != 0 ? t->exit_price : last_price(b);
}

/* Trade.pl */
double
broker_trade_pl(const struct broker *b, const struct trade *t)
{
	return t->size * (trade_price(b, t) - t->entry_price) - t->commissions;
}

/* Trade.pl_pct, a fraction. */
double
broker_trade_pl_pct(const struct broker *b, const struct trade *t)
{
	double gross = copysign(1, t->size) *
	    (trade_price(b, t) / t->entry_price - 1);

	return gross - t->commissions / (fabs(t->size) * t->entry_price);
}

/*
 * Closing and reducing trades (spec 3.11).
 */

/* _Broker._close_trade */
static void
close_trade(struct broker *b, struct trade *t, double price, size_t bar)
{
	double exit_commission;

	vec_remove(&b->open, t);
	update_position_sums(b);
	/* The SL/TP orders die with the bar; keep what _trades reports. */
	t->sl_value = t->sl_order != NULL ? t->sl_order->stop : 0;
	t->tp_value = t->tp_order != NULL ? t->tp_order->limit : 0;
	if (t->sl_order != NULL)
		dequeue(b, t->sl_order);
	if (t->tp_order != NULL)
		dequeue(b, t->tp_order);
	t->sl_order = t->tp_order = NULL;
	t->exit_price = price;
	t->exit_bar = bar;
	vec_push(&b->closed, t);
	exit_commission = commission(b, t->size, price);
	b->acct->cash += (t->size * (price - t->entry_price) - t->commissions) -
	    exit_commission;
	t->commissions = exit_commission + commission(b, t->size, t->entry_price);
	emit(b, BROKER_EV_FILL, b->ev_order, t->id, -t->size, price,
	    b->ev_reason);
}

/* _Broker._reduce_trade: q is opposite in sign to t->size. */
static void
reduce_trade(struct broker *b, struct trade *t, double price, double q,
    size_t bar)
{
	double left = t->size + q;
	struct trade *piece;

	if (left == 0) {
		close_trade(b, t, price, bar);
		return;
	}
	t->size = left;	/* the piece's close below updates the sums */
	if (t->sl_order != NULL)
		t->sl_order->size = -t->size;
	if (t->tp_order != NULL)
		t->tp_order->size = -t->size;
	piece = xcalloc(1, sizeof *piece);
	*piece = *t;
	piece->id = b->next_id++;
	piece->size = -q;
	piece->sl_order = piece->tp_order = NULL;
	piece->tag = t->tag != NULL ? xstrdup(t->tag) : NULL;
	vec_push(&b->open, piece);
	close_trade(b, piece, price, bar);
}

/*
 * Placing orders (spec 3.3, 3.4).
 */

static void
queue_order(struct broker *b, struct order *o, int front)
{
	if (front)
		vec_insert_front(&b->queue, o);
	else
		vec_push(&b->queue, o);
	o->queued = 1;
}

/* Order.cancel(): detaches an SL/TP order from its trade. */
static void
cancel_order(struct broker *b, struct order *o)
{
	dequeue(b, o);
	if (o->parent == NULL)
		return;
	if (o == o->parent->sl_order)
		o->parent->sl_order = NULL;
	else if (o == o->parent->tp_order)
		o->parent->tp_order = NULL;
}

int
broker_cancel(struct broker *b, struct order *o, const char *reason)
{
	if (!o->queued)
		return -1;
	emit_cancel(b, o, reason);
	cancel_order(b, o);
	return 0;
}

/* Trade.close(): a market order of the rounded portion, at the front. */
static void
queue_trade_close(struct broker *b, struct trade *t, double portion)
{
	double units = py_round(fabs(t->size) * portion);
	struct order *o;

	units = trunc(units) < 1 ? 1 : trunc(units);
	o = order_new(b, copysign(units, -t->size), t->tag);
	o->parent = t;
	queue_order(b, o, 1);
}

/* The exclusive_orders walk removes from the list it iterates, so the order
 * after each cancelled one is skipped (spec 3.3, pitfall 12). */
static void
exclusive_cancel(struct broker *b)
{
	size_t k;

	for (k = 0; k < b->queue.n; k++) {
		struct order *o = b->queue.v[k];

		if (!broker_order_is_contingent(o)) {
			emit_cancel(b, o, "exclusive");
			cancel_order(b, o);
		}
	}
	for (k = 0; k < b->open.n; k++)
		queue_trade_close(b, b->open.v[k], 1.0);
}

static int
check_prices(const struct broker *b, double size, double limit, double stop,
    double sl, double tp, char **cause)
{
	double ref = limit != 0 ? limit : stop != 0 ? stop :
	    adjusted_price(b, size, last_price(b));
	double lo, hi;

	if (size > 0) {
		lo = sl != 0 ? sl : -INFINITY;
		hi = tp != 0 ? tp : INFINITY;
	} else {
		lo = tp != 0 ? tp : -INFINITY;
		hi = sl != 0 ? sl : INFINITY;
	}
	if (lo < ref && ref < hi)
		return 0;
	if (size > 0)
		*cause = xasprintf("long orders require SL (%g) < LIMIT (%g) < "
		    "TP (%g)", sl, ref, tp);
	else
		*cause = xasprintf("short orders require TP (%g) < LIMIT (%g) "
		    "< SL (%g)", tp, ref, sl);
	return -1;
}

static int
check_size(double size, char **cause)
{
	if ((size > 0 && size < 1) || (size >= 1 && py_round(size) == size &&
	    !isinf(size)))
		return 0;
	*cause = xasprintf("size must be a positive fraction of equity, or a "
	    "positive whole number of units; got %g", size);
	return -1;
}

int
broker_check_order(const struct broker *b, int side, double size,
    double limit, double stop, double sl, double tp, char **cause)
{
	if (check_size(size, cause) < 0)
		return -1;
	return check_prices(b, side > 0 ? size : -size, limit, stop, sl, tp,
	    cause);
}

/* Strategy.buy/sell + _Broker.new_order for stand-alone orders. */
struct order *
broker_place(struct broker *b, int side, double size, double limit,
    double stop, double sl, double tp, const char *tag, char **cause)
{
	struct order *o;
	double signed_size;

	if (check_size(size, cause) < 0)
		return NULL;
	signed_size = side > 0 ? size : -size;
	if (check_prices(b, signed_size, limit, stop, sl, tp, cause) < 0)
		return NULL;
	o = order_new(b, signed_size, tag);
	o->limit = limit;
	o->stop = stop;
	o->sl = sl;
	o->tp = tp;
	if (b->cfg.exclusive_orders)
		exclusive_cancel(b);
	queue_order(b, o, 0);
	return o;
}

/* Trade.__set_contingent: cancels the old SL/TP order and, for a non-zero
 * price, queues a new one (SL at the front, TP at the back). */
static int
set_contingent(struct broker *b, struct trade *t, int is_sl, double price,
    char **cause)
{
	struct order **slot = is_sl ? &t->sl_order : &t->tp_order;
	struct order *o;

	if (!(price >= 0 && price < INFINITY)) {
		*cause = xasprintf("%s must be 0 (none) or in (0, inf), got %g",
		    is_sl ? "sl" : "tp", price);
		return -1;
	}
	if (*slot != NULL)
		cancel_order(b, *slot);
	*slot = NULL;
	if (price == 0)
		return 0;
	o = order_new(b, -t->size, t->tag);
	o->parent = t;
	if (is_sl)
		o->stop = price;
	else
		o->limit = price;
	*slot = o;
	queue_order(b, o, is_sl);
	return 0;
}

int
broker_set_sl(struct broker *b, struct trade *t, double price, char **cause)
{
	return set_contingent(b, t, 1, price, cause);
}

int
broker_set_tp(struct broker *b, struct trade *t, double price, char **cause)
{
	return set_contingent(b, t, 0, price, cause);
}

static int
check_portion(double portion, char **cause)
{
	if (portion > 0 && portion <= 1)
		return 0;
	*cause = xasprintf("portion must be a fraction in (0, 1], got %g",
	    portion);
	return -1;
}

int
broker_close_trade(struct broker *b, struct trade *t, double portion,
    char **cause)
{
	if (check_portion(portion, cause) < 0)
		return -1;
	queue_trade_close(b, t, portion);
	return 0;
}

/* Position.close(): every open trade in list order, each at the front, so
 * they execute newest first. */
int
broker_close_position(struct broker *b, double portion, char **cause)
{
	size_t k;

	if (check_portion(portion, cause) < 0)
		return -1;
	for (k = 0; k < b->open.n; k++)
		queue_trade_close(b, b->open.v[k], portion);
	return 0;
}

void
broker_finalize(struct broker *b)
{
	size_t k;

	for (k = b->open.n; k > 0; k--)
		queue_trade_close(b, b->open.v[k - 1], 1.0);
}

struct order *
broker_find_order(const struct broker *b, uint64_t id)
{
	size_t k;

	for (k = 0; k < b->queue.n; k++)
		if (((struct order *)b->queue.v[k])->id == id)
			return b->queue.v[k];
	return NULL;
}

struct trade *
broker_find_open_trade(const struct broker *b, uint64_t id)
{
	size_t k;

	for (k = 0; k < b->open.n; k++)
		if (((struct trade *)b->open.v[k])->id == id)
			return b->open.v[k];
	return NULL;
}

/*
 * Processing orders on bar i (spec 3.5 - 3.10, Appendix A).
 */

/* What one order resolved to on this bar: its fill price, the time index
 * for EntryBar/ExitBar, and the stop that triggered (0 = none). */
struct fill {
	double price;
	size_t bar;
	double stop_hit;
	int is_market;
};

/* Steps 1-4: returns 1 and fills *f when the order executes on this bar,
 * 0 when it stays pending. */
static int
resolve_fill(struct broker *b, struct order *o, struct fill *f)
{
	size_t i = b->i;
	double open = price_at(b, FRAME_OPEN, i);
	double high = price_at(b, FRAME_HIGH, i);
	double low = price_at(b, FRAME_LOW, i);
	int is_long = o->size > 0;
	int contingent = broker_order_is_contingent(o);

	f->stop_hit = 0;
	if (o->stop != 0) {
		if (!(is_long ? high >= o->stop : low <= o->stop))
			return 0;
		f->stop_hit = o->stop;
		o->stop = 0;	/* now a limit or market order, for good */
	}
	if (o->limit != 0) {
		int hit = is_long ? low <= o->limit : high >= o->limit;
		int before_stop = hit && (is_long ?
		    o->limit <= (f->stop_hit != 0 ? f->stop_hit : -INFINITY) :
		    o->limit >= (f->stop_hit != 0 ? f->stop_hit : INFINITY));
		double base = f->stop_hit != 0 ? f->stop_hit : open;

		if (!hit || before_stop)
			return 0;
		f->price = is_long ? fmin(base, o->limit) : fmax(base, o->limit);
	} else {
		f->price = b->cfg.trade_on_close && !contingent ?
		    price_at(b, FRAME_CLOSE, i - 1) : open;
		if (f->stop_hit != 0)
			f->price = is_long ? fmax(f->price, f->stop_hit) :
			    fmin(f->price, f->stop_hit);
	}
	f->is_market = o->limit == 0 && f->stop_hit == 0;
	f->bar = f->is_market && b->cfg.trade_on_close && !contingent ? i - 1 : i;
	return 1;
}

static int
trade_is_open(const struct broker *b, const struct trade *t)
{
	size_t k;

	for (k = 0; k < b->open.n; k++)
		if (b->open.v[k] == t)
			return 1;
	return 0;
}

/* Step 5: an SL, TP or close order reduces its parent trade.  SL and TP
 * orders always cover the whole trade, so they close it (and are dequeued
 * with it); a close order is dequeued here, even when its trade was closed
 * meanwhile. */
static void
process_parent_order(struct broker *b, struct order *o, const struct fill *f)
{
	struct trade *t = o->parent;
	double q = copysign(fmin(fabs(t->size), fabs(o->size)), o->size);
	int is_sl = o == t->sl_order, is_tp = o == t->tp_order;

	b->ev_order = o->id;
	b->ev_reason = is_sl ? "sl" : is_tp ? "tp" : "close";
	if (trade_is_open(b, t)) {
		reduce_trade(b, t, f->price, q, f->bar);
		if (is_sl)
			t->sl_value = f->stop_hit; /* _trades.SL shows it */
	}
	if (!is_sl && !is_tp)
		dequeue(b, o);
}

/* The margin the queued close orders will free: they fill before the
 * orders placed after them (they go to the front of the queue). */
static double
closing_margin(const struct broker *b)
{
	double freed = 0;
	size_t k;

	for (k = 0; k < b->queue.n; k++) {
		const struct order *o = b->queue.v[k];

		if (o->parent != NULL && !broker_order_is_contingent(o))
			freed += fmin(fabs(o->size), fabs(o->parent->size)) *
			    last_price(b) / b->leverage;
	}
	return freed;
}

/* Sizing as step 6 would do it now: a fraction at the last Close
 * adjusted for the spread, after the queued closes; whole units as they
 * are. */
double
broker_estimate_units(const struct broker *b, double size)
{
	double apc, avail;

	if (size <= -1 || size >= 1)
		return trunc(size);
	apc = adjusted_price(b, size, last_price(b));
	avail = (broker_margin_available(b) + closing_margin(b)) * b->leverage;
	return copysign(trunc(py_floordiv(avail * fabs(size), apc)), size);
}

/* Step 6 sizing (spec 3.7): the unit count, 0 when cancelled. */
static double
order_units(struct broker *b, const struct order *o, double apc)
{
	double units = o->size;

	if (units > -1 && units < 1) {
		double avail = broker_margin_available(b) * b->leverage;

		units = copysign(trunc(py_floordiv(avail * fabs(o->size), apc)),
		    o->size);
		if (units == 0) {
			warn_once(b, BROKER_WARN_ZERO_UNITS, "order size rounds "
			    "to 0 units: insufficient margin, order cancelled");
			emit_cancel(b, o, "zero_units");
		}
	}
	return units;
}

/* Netting (spec 3.8): consumes opposite open trades FIFO at the unadjusted
 * price; returns what is left of need. */
static double
net_opposite(struct broker *b, double need, double price, size_t bar)
{
	size_t k, n = b->open.n;

	b->trade_snap.n = 0;
	for (k = 0; k < n; k++)
		vec_push(&b->trade_snap, b->open.v[k]);
	for (k = 0; k < n && need != 0; k++) {
		struct trade *t = b->trade_snap.v[k];

		if ((t->size > 0) == (need > 0))
			continue;
		if (fabs(need) >= fabs(t->size)) {
			close_trade(b, t, price, bar);
			need += t->size;
		} else {
			reduce_trade(b, t, price, need, bar);
			need = 0;
		}
	}
	return need;
}

/* _Broker._open_trade */
static struct trade *
open_trade(struct broker *b, const struct order *o, double adj, double need,
    size_t bar)
{
	struct trade *t = xcalloc(1, sizeof *t);
	char *cause = NULL;

	t->id = b->next_id++;
	t->size = need;
	t->entry_price = adj;
	t->entry_bar = bar;
	t->tag = o->tag != NULL ? xstrdup(o->tag) : NULL;
	vec_push(&b->open, t);
	update_position_sums(b);
	b->acct->cash -= commission(b, need, adj);
	emit(b, BROKER_EV_FILL, o->id, t->id, need, adj, "entry");
	/* Placement checks only the ordering of the prices, so an SL or TP
	 * outside (0, inf) fails here, on the fill, as Trade.sl's assertion
	 * does in the library: the run stops. */
	if ((o->tp != 0 && set_contingent(b, t, 0, o->tp, &cause) < 0) ||
	    (o->sl != 0 && set_contingent(b, t, 1, o->sl, &cause) < 0)) {
		if (b->error == NULL)
			b->error = cause;
		else
			free(cause);
	}
	return t;
}

/* Spec 3.10: may the new trade's SL/TP fire on its entry bar? */
static int
wants_reprocess(struct broker *b, const struct order *o, const struct fill *f)
{
	double high = price_at(b, FRAME_HIGH, b->i);
	double low = price_at(b, FRAME_LOW, b->i);
	double sl_or_lo = o->sl != 0 ? o->sl : -INFINITY;
	double sl_or_hi = o->sl != 0 ? o->sl : INFINITY;
	double tp_or_lo = o->tp != 0 ? o->tp : -INFINITY;

	if (o->sl == 0 && o->tp == 0)
		return 0;
	if (f->is_market)
		return 1;
	if (f->stop_hit != 0 && o->limit == 0 && o->tp != 0 &&
	    (o->size > 0 ? o->tp <= high && sl_or_lo < low :
	    o->tp >= low && sl_or_hi > high))
		return 1;
	if ((low <= sl_or_lo && sl_or_lo <= high) ||
	    (low <= tp_or_lo && tp_or_lo <= high))
		warn_once(b, BROKER_WARN_CONTINGENT_DEFERRED, "a stop or limit "
		    "entry's SL/TP lies within the entry bar's range; it is "
		    "evaluated from the next bar on");
	return 0;
}

/* Step 6: a stand-alone order; returns 1 when the bar must be reprocessed. */
static int
process_standalone(struct broker *b, struct order *o, const struct fill *f)
{
	double adj = adjusted_price(b, o->size, f->price);
	double apc = adj + commission(b, o->size, f->price) / fabs(o->size);
	double need = order_units(b, o, apc);
	int reprocess = 0;

	if (need == 0) {
		dequeue(b, o);
		return 0;
	}
	b->ev_order = o->id;
	b->ev_reason = "netting";
	if (!b->cfg.hedging)
		need = net_opposite(b, need, f->price, f->bar);
	if (fabs(need) * apc > broker_margin_available(b) * b->leverage) {
		warn_once(b, BROKER_WARN_MARGIN, "insufficient margin: order "
		    "cancelled");
		emit_cancel(b, o, "margin");
		dequeue(b, o);
		return 0;
	}
	if (need != 0) {
		open_trade(b, o, adj, need, f->bar);
		reprocess = wants_reprocess(b, o, f);
	}
	dequeue(b, o);
	return reprocess;
}

/* _Broker._process_orders: iterates over a snapshot of the queue. */
static void
process_orders(struct broker *b)
{
	size_t k, n;
	int reprocess = 0;
	struct fill f;

	do {
		reprocess = 0;
		n = b->queue.n;
		b->scratch.n = 0;
		for (k = 0; k < n; k++)
			vec_push(&b->scratch, b->queue.v[k]);
		for (k = 0; k < n; k++) {
			struct order *o = b->scratch.v[k];

			if (!o->queued || !resolve_fill(b, o, &f))
				continue;
			if (o->parent != NULL)
				process_parent_order(b, o, &f);
			else
				reprocess |= process_standalone(b, o, &f);
		}
	} while (reprocess);
}

/* Bankruptcy (spec 1.5): closing while walking the live list closes only
 * every other trade, as the library does. */
void
broker_bankrupt(struct broker *b)
{
	size_t k;

	b->ev_order = 0;
	b->ev_reason = "bankrupt";
	for (k = 0; k < b->open.n; k++)
		close_trade(b, b->open.v[k], last_price(b), b->i);
	b->acct->cash = 0;
	for (k = b->i; k < b->data->n; k++)
		b->equity[k] = 0;
}

int
broker_next(struct broker *b, size_t i)
{
	double equity;

	assert(i >= 1 && i < b->data->n);
	b->i = i;
	/* Orders dequeued since the last bar (by the broker or by next())
	 * are referenced by no snapshot any more. */
	free_dead(b);
	if (b->queue.n > 0)
		process_orders(b);
	if (b->error != NULL)
		return BROKER_ERROR;
	equity = broker_equity(b);
	b->equity[i] = equity;
	if (equity <= 0) {
		broker_bankrupt(b);
		return BROKER_BANKRUPT;
	}
	return BROKER_OK;
}
