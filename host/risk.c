#include "risk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "xmalloc.h"

#define NS_PER_SEC 1e9

void
risk_init(struct risk *r, const struct risk_config *cfg, size_t nlegs,
    int datetime)
{
	memset(r, 0, sizeof *r);
	r->datetime = datetime;
	r->cfg = *cfg;
	r->nlegs = nlegs;
	r->leg_orders = xcalloc(nlegs ? nlegs : 1, sizeof *r->leg_orders);
	r->stale = xcalloc(nlegs ? nlegs : 1, sizeof *r->stale);
}

void
risk_free(struct risk *r)
{
	free(r->leg_orders);
	free(r->stale);
	r->leg_orders = NULL;
	r->stale = NULL;
}

void
risk_set_stale(struct risk *r, size_t leg, int64_t seconds)
{
	if (leg < r->nlegs)
		r->stale[leg] = seconds > 0 ? seconds : 0;
}

void
risk_set_stale_log(struct risk *r, const struct risk_stale *log, size_t n)
{
	r->stale_log = log;
	r->nstale_log = n;
	r->stale_next = 0;
}

/* The log's rows of time t decide which legs are stale at t. */
static void
replay_stale(struct risk *r, int64_t t)
{
	const struct risk_stale *e;
	size_t k;

	for (k = 0; k < r->nlegs; k++)
		r->stale[k] = 0;
	while (r->stale_next < r->nstale_log &&
	    r->stale_log[r->stale_next].time < t)
		r->stale_next++;
	for (; r->stale_next < r->nstale_log &&
	    (e = &r->stale_log[r->stale_next])->time == t; r->stale_next++)
		risk_set_stale(r, e->leg, e->seconds);
}

const char *
risk_halt_name(enum risk_halt h)
{
	switch (h) {
	case RISK_HALT_DAILY_LOSS: return "daily_loss_limit";
	case RISK_HALT_DRAWDOWN: return "max_drawdown";
	default: return "running";
	}
}

static int64_t
day_of(int64_t t, int datetime)
{
	return datetime ? timefmt_day_of(t) : 0;
}

/* Seconds after midnight; -1 for an integer index, which has no clock. */
static int32_t
time_of_day(int64_t t, int datetime)
{
	if (!datetime)
		return -1;
	return (int32_t)((t - timefmt_day_of(t) * TIMEFMT_NS_PER_DAY) /
	    INT64_C(1000000000));
}

static double
bucket_capacity(const struct risk_config *c)
{
	if (c->order_burst > 0)
		return (double)c->order_burst;
	return c->max_orders_per_second > 1 ? c->max_orders_per_second : 1;
}

int
risk_new_bar(struct risk *r, int64_t t, double equity)
{
	int64_t d = day_of(t, r->datetime);
	size_t k;

	if (r->stale_log != NULL)
		replay_stale(r, t);
	if (!r->st.started) {
		r->st.started = 1;
		r->st.day = d;
		r->st.day_start_equity = equity;
		r->st.peak_equity = equity;
		r->st.tokens = bucket_capacity(&r->cfg);
		r->st.token_time = t;
		return 1;
	}
	if (d == r->st.day)
		return 0;
	r->st.day = d;
	r->st.day_start_equity = equity;
	r->st.entries_today = 0;
	r->st.flattened = 0;
	for (k = 0; k < r->nlegs; k++)
		r->leg_orders[k] = 0;
	if (r->st.halt == RISK_HALT_DAILY_LOSS)
		r->st.halt = RISK_RUNNING;
	return 1;
}

enum risk_halt
risk_after_fills(struct risk *r, double equity)
{
	const struct risk_config *c = &r->cfg;
	enum risk_halt h = RISK_RUNNING;

	if (equity > r->st.peak_equity)
		r->st.peak_equity = equity;
	if (r->st.halt == RISK_HALT_DRAWDOWN)
		return RISK_RUNNING;
	if (c->max_drawdown > 0 &&
	    equity < r->st.peak_equity * (1 - c->max_drawdown))
		h = RISK_HALT_DRAWDOWN;
	else if (r->st.halt == RISK_RUNNING && c->daily_loss_limit > 0 &&
	    equity < r->st.day_start_equity * (1 - c->daily_loss_limit))
		h = RISK_HALT_DAILY_LOSS;
	if (h != RISK_RUNNING)
		r->st.halt = h;
	return h;
}

int
risk_flatten_due(struct risk *r, int64_t t)
{
	int32_t tod = time_of_day(t, r->datetime);

	if (r->cfg.flatten_at < 0 || tod < 0 || r->st.flattened ||
	    tod < r->cfg.flatten_at)
		return 0;
	r->st.flattened = 1;
	return 1;
}

int
risk_order_reduces(const struct risk_order *o)
{
	if (o->hedging || o->position == 0 || (o->position > 0) == (o->side > 0))
		return 0;
	/* A fraction is of the margin, not of the position: it may flip. */
	return o->size >= 1 && o->size <= fabs(o->position);
}

/* Refills the bucket up to time t; 1 when a token is there to take. */
static int
bucket_has_token(struct risk *r, int64_t t)
{
	double dt = (double)(t - r->st.token_time);
	double cap = bucket_capacity(&r->cfg);

	if (r->datetime)
		dt /= NS_PER_SEC;
	if (dt > 0) {
		r->st.tokens = fmin(cap, r->st.tokens +
		    dt * r->cfg.max_orders_per_second);
		r->st.token_time = t;
	}
	return r->st.tokens >= 1;
}

/* The value the order adds to the position, in account currency. */
static double
order_value(const struct risk_order *o)
{
	double px = o->limit != 0 ? o->limit : o->stop != 0 ? o->stop :
	    o->price;

	if (o->size < 1)
		return o->size * o->margin_available * o->leverage;
	return o->size * px;
}

static int
refuse(char **reason, char *text)
{
	*reason = text;
	return -1;
}

/* Checks every order is subject to, reducing or not. */
static int
check_throttles(struct risk *r, const struct risk_order *o, char **reason)
{
	const struct risk_config *c = &r->cfg;

	if (c->max_orders_per_second > 0 &&
	    !bucket_has_token(r, o->time))
		return refuse(reason, xasprintf("max_orders_per_second: more "
		    "than %g orders per second", c->max_orders_per_second));
	if (c->max_orders_per_strategy_day > 0 &&
	    r->leg_orders[o->leg] >= c->max_orders_per_strategy_day)
		return refuse(reason, xasprintf("max_orders_per_strategy_day: "
		    "%lld orders placed today", (long long)r->leg_orders[o->leg]));
	if (c->duplicate_guard && o->duplicate)
		return refuse(reason, xstrdup("duplicate_guard: an identical "
		    "order is pending for this symbol"));
	return 0;
}

/* Checks on orders that open or grow a position. */
static int
check_entry(struct risk *r, const struct risk_order *o, char **reason)
{
	const struct risk_config *c = &r->cfg;
	int32_t tod = time_of_day(o->time, r->datetime);
	double value = order_value(o), after;

	if (r->st.halt != RISK_RUNNING)
		return refuse(reason, xasprintf("halted (%s): reduce-only",
		    risk_halt_name((enum risk_halt)r->st.halt)));
	if (r->st.flattened)
		return refuse(reason, xstrdup("flatten_at: flattened for the "
		    "day"));
	if (c->refuse_on_stale && o->leg < r->nlegs && r->stale[o->leg] > 0)
		return refuse(reason, xasprintf("stale_data: no update from %s "
		    "for %lld s", o->symbol ? o->symbol : "this symbol",
		    (long long)r->stale[o->leg]));
	if (c->trading_start >= 0 && tod >= 0 &&
	    (tod < c->trading_start || tod >= c->trading_end))
		return refuse(reason, xstrdup("trading_hours: outside the "
		    "trading window"));
	if (c->max_trades_per_day > 0 &&
	    r->st.entries_today >= c->max_trades_per_day)
		return refuse(reason, xasprintf("max_trades_per_day: %lld "
		    "entries today", (long long)r->st.entries_today));
	if (c->max_open_positions > 0 && (o->position == 0 || o->hedging) &&
	    o->positions_held >= (size_t)c->max_open_positions)
		return refuse(reason, xasprintf("max_open_positions: %zu "
		    "symbols hold a position", o->positions_held));
	after = fabs(o->position * o->price + o->side * value);
	if (c->max_position_fraction > 0 &&
	    after > c->max_position_fraction * o->equity)
		return refuse(reason, xasprintf("max_position_fraction: the "
		    "position would be worth %.2f, over %g of equity %.2f",
		    after, c->max_position_fraction, o->equity));
	if (c->min_cash_reserve > 0 && o->margin_available -
	    value / o->leverage < c->min_cash_reserve)
		return refuse(reason, xasprintf("min_cash_reserve: %.2f of "
		    "margin would be left, under %g", o->margin_available -
		    value / o->leverage, c->min_cash_reserve));
	return 0;
}

int
risk_check(struct risk *r, const struct risk_order *o, char **reason)
{
	int entry = !risk_order_reduces(o);

	if (check_throttles(r, o, reason) < 0)
		return -1;
	if (entry && check_entry(r, o, reason) < 0)
		return -1;
	if (r->cfg.max_orders_per_second > 0)
		r->st.tokens -= 1;
	r->leg_orders[o->leg]++;
	if (entry)
		r->st.entries_today++;
	return 0;
}

double
risk_units(const struct risk_config *cfg, double equity, double risk,
    double multiple, double atr)
{
	double units;

	if (!(risk > 0))
		risk = cfg->risk_per_trade;
	if (!(multiple > 0))
		multiple = cfg->atr_multiple;
	if (!(atr > 0) || !(equity > 0) || !isfinite(atr))
		return 0;
	units = floor(equity * risk / (multiple * atr));
	return units > 0 ? units : 0;
}
