#include "session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "indicator.h"
#include "log.h"
#include "reload.h"
#include "state.h"
#include "timefmt.h"
#include "xmalloc.h"

char *
session_bar_label(const struct frame *data, int64_t bar)
{
	char ts[64];

	if (bar < 0)
		return xstrdup("init");
	if (data->index_kind != FRAME_INDEX_DATETIME)
		return xasprintf("bar %lld (index %lld)", (long long)bar,
		    (long long)data->index[bar]);
	return xasprintf("bar %lld (%s)", (long long)bar,
	    timefmt_timestamp(data->index[bar], ts, sizeof ts));
}

/* "GOOG: " before messages of a portfolio; nothing for one symbol. */
static const char *
who(const struct session *s, const struct session_leg *l)
{
	return s->nlegs > 1 ? l->symbol : NULL;
}

static char *
leg_error(const struct session *s, const struct session_leg *l,
    int64_t bar, const char *what)
{
	char *where = session_bar_label(l->data, bar), *msg;
	const char *sym = who(s, l);

	msg = xasprintf("%s%s%s: %s: %s", sym ? sym : "", sym ? ": " : "",
	    l->in.name, where, what);
	free(where);
	return msg;
}

/* Turns a failed callback or a recorded misuse into the run's error. */
static int
callback_failed(const struct session *s, struct session_leg *l,
    enum th_status st, const char *cb, char **cause)
{
	char *what;

	if (st == TH_OK && l->in.error == NULL)
		return 0;
	what = l->in.error != NULL ? xstrdup(l->in.error) :
	    xasprintf("%s() failed with status %d", cb, (int)st);
	*cause = leg_error(s, l, l->in.bar, what);
	free(what);
	return -1;
}

/* A fill the broker could not complete (an SL/TP outside (0, inf)). */
static int
broker_failed(const struct session *s, struct session_leg *l, char **cause)
{
	*cause = leg_error(s, l, (int64_t)l->broker.i, l->broker.error);
	return -1;
}

static void
warn_unaffordable(const struct frame *data, double cash)
{
	size_t k;

	for (k = 0; k < data->n; k++)
		if (data->cols[FRAME_CLOSE][k] > cash) {
			log_warn("some prices are larger than initial cash "
			    "value; fractional trading is not supported");
			return;
		}
}

/*
 * The audit trail and the risk gate, hooked into the API and the broker.
 */

static double
account_equity(const struct session *s)
{
	return broker_equity(&s->legs[0].broker);
}

static struct session_leg *
leg_of_instance(const struct instance *in)
{
	return (struct session_leg *)((char *)in -
	    offsetof(struct session_leg, in));
}

static void
audit(struct session *s, const char *kind, const char *symbol, int side,
    double size, double price, uint64_t order_id, const char *reason)
{
	struct audit_row r;
	size_t k;
	int leg = -1;

	if (s->opt.audit == NULL && s->opt.observe == NULL)
		return;
	r.time = s->now;
	r.kind = kind;
	r.symbol = symbol;
	r.side = side;
	r.size = size;
	r.price = price;
	r.order_id = order_id;
	r.reason = reason;
	r.equity = account_equity(s);
	if (s->opt.audit != NULL)
		audit_event(s->opt.audit, &r);
	if (s->opt.observe == NULL)
		return;
	for (k = 0; symbol != NULL && k < s->nlegs; k++)
		if (strcmp(s->legs[k].symbol, symbol) == 0)
			leg = (int)k;
	s->opt.observe(s->opt.observe_arg, s, leg, &r);
}

static void
on_broker_event(void *arg, const struct broker *b,
    const struct broker_event *ev)
{
	struct session *s = arg;
	const struct session_leg *l = (const struct session_leg *)
	    ((const char *)b - offsetof(struct session_leg, broker));

	audit(s, ev->kind == BROKER_EV_FILL ? "fill" : "cancel", l->symbol,
	    ev->size > 0 ? 1 : -1, fabs(ev->size),
	    ev->kind == BROKER_EV_FILL ? ev->price : NAN, ev->order_id,
	    ev->reason);
}

static void
hook_placed(void *arg, struct instance *in, const struct order *o,
    const char *kind)
{
	struct session *s = arg;
	struct session_leg *l = leg_of_instance(in);
	double price = o->limit != 0 ? o->limit : o->stop != 0 ? o->stop :
	    NAN;

	audit(s, "order", l->symbol, o->size > 0 ? 1 : -1, fabs(o->size),
	    price, o->id, kind);
	if (s->opt.placed != NULL)
		s->opt.placed(s->opt.observe_arg, s, (size_t)(l - s->legs), o,
		    kind);
}

static int
is_duplicate(const struct broker *b, double signed_size, double limit,
    double stop)
{
	size_t k;

	for (k = 0; k < b->queue.n; k++) {
		const struct order *o = b->queue.v[k];

		if (o->parent == NULL && o->size == signed_size &&
		    o->limit == limit && o->stop == stop)
			return 1;
	}
	return 0;
}

static size_t
positions_held(const struct session *s)
{
	size_t k, held = 0;

	for (k = 0; k < s->nlegs; k++)
		held += s->legs[k].broker.open.n > 0;
	return held;
}

static int
hook_gate(void *arg, struct instance *in, int side, double size,
    double limit, double stop, char **reason)
{
	struct session *s = arg;
	struct session_leg *l = leg_of_instance(in);
	const struct broker *b = &l->broker;
	struct risk_order o;

	if (s->opt.risk == NULL)
		return 0;
	memset(&o, 0, sizeof o);
	o.leg = (size_t)(l - s->legs);
	o.side = side;
	o.size = size;
	o.limit = limit;
	o.stop = stop;
	o.price = b->data->cols[FRAME_CLOSE][b->i];
	o.position = broker_position_size(b);
	o.hedging = b->cfg.hedging;
	o.equity = broker_equity(b);
	o.margin_available = broker_margin_available(b);
	o.leverage = b->leverage;
	o.positions_held = positions_held(s);
	o.duplicate = is_duplicate(b, side * size, limit, stop);
	o.time = s->now;
	o.symbol = l->symbol;
	if (risk_check(&s->risk, &o, reason) == 0)
		return 0;
	log_info("%s: order refused: %s", l->symbol, *reason);
	audit(s, "refused", l->symbol, side, size, limit != 0 ? limit :
	    stop != 0 ? stop : NAN, 0, *reason);
	return -1;
}

static const struct instance_hooks session_hooks = {
	.gate = hook_gate,
	.placed = hook_placed,
};

/*
 * Setting up.
 */

static int
check_index_kinds(const struct frame *const *data, size_t n, char **cause)
{
	size_t k;

	for (k = 1; k < n; k++)
		if (data[k]->index_kind != data[0]->index_kind) {
			*cause = xstrdup("symbols: the data files mix datetime "
			    "and integer indexes");
			return -1;
		}
	return 0;
}

int
session_init(struct session *s, const struct plugin *plugin,
    const struct params *params, const char *const *symbols,
    const struct frame *const *data, size_t n,
    const struct session_options *opt, char **cause)
{
	int hooked = opt->risk != NULL || opt->audit != NULL ||
	    opt->observe != NULL;
	size_t k;

	memset(s, 0, sizeof *s);
	if (broker_config_check(&opt->engine.broker, cause) < 0 ||
	    check_index_kinds(data, n, cause) < 0)
		return -1;
	if (opt->state_path != NULL && TH_PLUGIN_HAS(plugin->desc, flags) &&
	    (plugin->desc->flags & TH_PLUGIN_STATE_POINTERS)) {
		*cause = xasprintf("state: strategy %s keeps pointers in its "
		    "state block, so its runs cannot be saved to a state file",
		    plugin->desc->name);
		return -1;
	}
	s->plugin = plugin;
	s->params = params;
	s->opt = *opt;
	s->nlegs = n;
	s->legs = xcalloc(n, sizeof *s->legs);
	s->datetime = data[0]->index_kind == FRAME_INDEX_DATETIME;
	s->acct.cash = opt->engine.broker.cash;
	risk_init(&s->risk, opt->risk != NULL ? opt->risk :
	    &(struct risk_config){ 0 }, n, s->datetime);
	if (opt->stale_log != NULL)
		risk_set_stale_log(&s->risk, opt->stale_log, opt->nstale_log);
	for (k = 0; k < n; k++) {
		struct session_leg *l = &s->legs[k];

		l->symbol = xstrdup(symbols[k]);
		l->data = data[k];
		warn_unaffordable(data[k], opt->engine.broker.cash);
		broker_init(&l->broker, &opt->engine.broker, data[k]);
		if (n > 1)
			broker_join(&l->broker, &s->acct);
		api_instance_init(&l->in, plugin->desc, plugin->name, data[k],
		    &l->broker, params);
		l->in.symbol = l->symbol;
		l->in.risk = opt->risk;
		l->in.run = opt->run;
		l->in.run.struct_size = sizeof l->in.run;
		if (opt->shared_state != NULL && n == 1)
			api_instance_borrow_state(&l->in, opt->shared_state);
		if (hooked) {
			l->broker.on_event = opt->audit || opt->observe ?
			    on_broker_event : NULL;
			l->broker.event_arg = s;
			l->in.hooks = &session_hooks;
			l->in.hook_arg = s;
		}
	}
	return 0;
}

/*
 * Running.
 */

/* Spec 2.2's first bar, or the first bar after the history (live). */
static void
set_start(struct session *s, size_t k)
{
	struct session_leg *l = &s->legs[k];

	l->warmup = engine_warmup(&l->in);
	l->start = l->warmup + 1;
	if (s->opt.min_start != NULL && s->opt.min_start[k] > l->start)
		l->start = s->opt.min_start[k];
}

static int
init_legs(struct session *s, char **cause)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];
		enum th_status st = l->in.desc->init(&l->in.pub, l->in.state);

		l->inited = 1;
		if (callback_failed(s, l, st, "init", cause) < 0)
			return -1;
		set_start(s, k);
		l->in.phase = API_NEXT;
	}
	return 0;
}

/* The earliest time some leg has a bar at; 0 with *any = 0 at the end. */
static int64_t
next_time(const struct session *s, int *any)
{
	int64_t t = INT64_MAX;
	size_t k;

	*any = 0;
	for (k = 0; k < s->nlegs; k++) {
		const struct session_leg *l = &s->legs[k];

		if (l->pos < l->data->n && l->data->index[l->pos] <= t) {
			t = l->data->index[l->pos];
			*any = 1;
		}
	}
	return t;
}

static int
at_now(const struct session *s, const struct session_leg *l)
{
	return l->pos < l->data->n && l->data->index[l->pos] == s->now;
}

static void
go_bankrupt(struct session *s, const struct session_leg *failed)
{
	size_t k;

	s->bankrupt = 1;
	for (k = 0; k < s->nlegs; k++)
		if (&s->legs[k] != failed)
			broker_bankrupt(&s->legs[k].broker);
	audit(s, "halt", NULL, 0, NAN, NAN, 0, "bankrupt");
}

/* Phase 1 of a step: each leg with a bar now processes its orders. */
static int
fill_legs(struct session *s, char **cause)
{
	size_t k;
	int st;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];

		if (!at_now(s, l) || l->pos < l->start)
			continue;
		st = broker_next(&l->broker, l->pos);
		if (st == BROKER_ERROR)
			return broker_failed(s, l, cause);
		if (st == BROKER_BANKRUPT) {
			go_bankrupt(s, l);
			return 0;
		}
	}
	return 0;
}

/* Anything the end-of-day flatten would act on? */
static int
exposed(const struct session *s)
{
	size_t k, j;

	for (k = 0; k < s->nlegs; k++) {
		const struct broker *b = &s->legs[k].broker;

		if (b->open.n > 0)
			return 1;
		for (j = 0; j < b->queue.n; j++)
			if (((const struct order *)b->queue.v[j])->parent == NULL)
				return 1;
	}
	return 0;
}

/* Closes everything and cancels pending entries: the end-of-day flatten
 * (entries stay refused for the rest of the day either way). */
static void
flatten(struct session *s)
{
	char *cause = NULL;
	size_t k, j;

	if (!exposed(s))
		return;
	audit(s, "flatten", NULL, 0, NAN, NAN, 0, "flatten_at");
	for (k = 0; k < s->nlegs; k++) {
		struct broker *b = &s->legs[k].broker;

		for (j = b->queue.n; j > 0; j--) {
			struct order *o = b->queue.v[j - 1];

			if (o->parent == NULL && broker_cancel(b, o,
			    "flatten") < 0)
				log_error("flatten: order %llu was not pending",
				    (unsigned long long)o->id);
		}
		if (broker_close_position(b, 1.0, &cause) < 0)
			free(cause);	/* 1.0 is a valid portion */
		for (j = b->open.n; j > 0; j--)
			hook_placed(s, &s->legs[k].in, b->queue.v[j - 1],
			    "flatten");
	}
}

/* Phase 2: the account-wide risk clock after the fills. */
static void
risk_step(struct session *s, double equity)
{
	enum risk_halt h;

	if (s->opt.risk == NULL)
		return;
	h = risk_after_fills(&s->risk, equity);
	if (h != RISK_RUNNING) {
		log_warn("account HALTED (%s): reduce-only from now on",
		    risk_halt_name(h));
		audit(s, "halt", NULL, 0, NAN, NAN, 0, risk_halt_name(h));
	}
	if (risk_flatten_due(&s->risk, s->now))
		flatten(s);
}

/* Phase 3: next() on each leg with a bar now. */
static int
call_legs(struct session *s, char **cause)
{
	size_t k;
	enum th_status st;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];

		if (!at_now(s, l))
			continue;
		if (l->pos >= l->start) {
			l->in.bar = (int64_t)l->pos;
			st = l->in.desc->next(&l->in.pub, l->in.state);
			/* A strategy passing on the status of a refused order
			 * stops nothing: the refusal is logged and audited. */
			if (st == TH_ERR_REFUSED)
				st = TH_OK;
			if (st != TH_OK || l->in.error != NULL)
				return callback_failed(s, l, st, "next", cause);
		}
		l->pos++;
	}
	return 0;
}

static void
record_step(struct session *s, double equity)
{
	if (s->nlegs == 1)
		return;	/* the leg's own equity is the account's */
	if (s->step == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->times = xreallocarray(s->times, s->cap, sizeof *s->times);
		s->equity = xreallocarray(s->equity, s->cap, sizeof *s->equity);
	}
	s->times[s->step] = s->now;
	s->equity[s->step] = equity;
}

static int
step(struct session *s, char **cause)
{
	double equity;

	/* A bar boundary: the one place a hot reload may swap generations. */
	if (s->opt.reload != NULL && reload_due(s->opt.reload, s))
		(void)reload_apply(s->opt.reload, s, NULL);
	if (s->opt.risk != NULL) {
		int32_t halt = s->risk.st.halt;

		(void)risk_new_bar(&s->risk, s->now, account_equity(s));
		if (halt != s->risk.st.halt) {
			log_warn("a new day: the daily-loss halt is lifted");
			audit(s, "halt", NULL, 0, NAN, NAN, 0, "lifted: new day");
		}
	}
	if (fill_legs(s, cause) < 0)
		return -1;
	/* The account after the fills: what the step records and what the
	 * risk clock judges (orders next() places do not move it). */
	equity = account_equity(s);
	record_step(s, equity);
	s->step++;
	if (s->bankrupt)
		return 0;
	risk_step(s, equity);
	return call_legs(s, cause);
}

static int
after_step(struct session *s, char **cause)
{
	if (s->opt.state_path != NULL)
		return state_save_if_changed(s, cause);
	return 0;
}

/* A plain backtest (one symbol; no risk gate, audit or state file) is the
 * benchmark's loop: Backtest.run() with nothing around it. */
static int
run_plain(struct session *s, char **cause)
{
	struct session_leg *l = &s->legs[0];
	struct instance *in = &l->in;
	size_t n = l->data->n;
	enum th_status st;
	int bst;

	for (; l->pos < n; l->pos++) {
		in->bar = (int64_t)l->pos;
		bst = broker_next(&l->broker, l->pos);
		if (bst == BROKER_BANKRUPT) {
			s->bankrupt = 1;
			return 0;
		}
		if (bst == BROKER_ERROR)
			return broker_failed(s, l, cause);
		st = in->desc->next(&in->pub, in->state);
		if (st != TH_OK && st != TH_ERR_REFUSED)
			return callback_failed(s, l, st, "next", cause);
		if (in->error != NULL)
			return callback_failed(s, l, TH_OK, "next", cause);
	}
	return 0;
}

/* One symbol: its bars are the timeline, and the warm-up bars before the
 * first next() need no step (no order can exist yet). */
static int
run_one(struct session *s, char **cause)
{
	struct session_leg *l = &s->legs[0];
	const int64_t *index = l->data->index;
	size_t n = l->data->n;

	if (l->pos < l->start)
		l->pos = l->start < n ? l->start : n;
	if (s->opt.risk == NULL && s->opt.audit == NULL &&
	    s->opt.observe == NULL && s->opt.state_path == NULL &&
	    s->opt.reload == NULL)
		return run_plain(s, cause);
	while (l->pos < n && !s->bankrupt) {
		s->now = index[l->pos];
		if (step(s, cause) < 0 || after_step(s, cause) < 0)
			return -1;
	}
	return 0;
}

static int
run_steps(struct session *s, char **cause)
{
	int64_t t;
	int any;

	if (s->nlegs == 1)
		return run_one(s, cause);
	/* s->now keeps the last step's time for what follows the loop. */
	for (t = next_time(s, &any); any && !s->bankrupt;
	    t = next_time(s, &any)) {
		s->now = t;
		if (step(s, cause) < 0 || after_step(s, cause) < 0)
			return -1;
	}
	return 0;
}

static int
finalize(struct session *s, char **cause)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];
		struct broker *b = &l->broker;

		if (!s->opt.engine.finalize_trades) {
			if (b->open.n > 0)
				log_warn("%s%ssome trades remain open at the "
				    "end of the data; use --finalize-trades "
				    "to close them and include them in the "
				    "statistics", s->nlegs > 1 ? l->symbol :
				    "", s->nlegs > 1 ? ": " : "");
			continue;
		}
		broker_finalize(b);
		/* The extra pass ignores bankruptcy, as the library does. */
		if (l->start < l->data->n &&
		    broker_next(b, l->data->n - 1) == BROKER_ERROR)
			return broker_failed(s, l, cause);
	}
	if (s->nlegs > 1 && s->step > 0)
		s->equity[s->step - 1] = account_equity(s);
	return 0;
}

/* A lifecycle row of the audit trail. */
static void
note(struct session *s, const char *kind, const char *reason)
{
	struct audit_row r = { .time = s->now, .kind = kind,
	    .size = NAN, .price = NAN, .reason = reason };

	if (s->opt.audit == NULL)
		return;
	r.equity = account_equity(s);
	audit_note(s->opt.audit, &r);
}

int
session_begin(struct session *s, char **cause)
{
	const char *from = s->opt.resume_path != NULL ? s->opt.resume_path :
	    s->opt.state_path;

	if (init_legs(s, cause) < 0)
		return -1;
	if (from != NULL && state_resume(s, from, cause) < 0)
		return -1;
	/* A live session resumed starts its own timeline. */
	if (!s->resumed || s->opt.state_live) {
		int any;

		s->now = next_time(s, &any);
	}
	note(s, s->resumed ? "resume" : "start", s->legs[0].in.name);
	return 0;
}

int
session_advance(struct session *s, char **cause)
{
	size_t k;

	if (s->bankrupt)
		return 0;
	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];

		char *why = NULL;

		if (l->broker.nequity == l->data->n)
			continue;	/* no new bar */
		broker_grow(&l->broker);
		if (api_instance_recompute(&l->in, &why) < 0) {
			*cause = leg_error(s, l, (int64_t)l->data->n - 1, why);
			free(why);
			return -1;
		}
		set_start(s, k);
	}
	return run_steps(s, cause);
}

int
session_end(struct session *s, int rc, const char *why, char **cause)
{
	if (rc == 0 && !s->bankrupt)	/* bankrupt: no finalize, no warning */
		rc = finalize(s, cause);
	note(s, "stop", rc == 0 ? why : "error");
	return rc;
}

int
session_run(struct session *s, char **cause)
{
	int rc;

	if (session_begin(s, cause) < 0)
		return -1;
	rc = run_steps(s, cause);
	return session_end(s, rc, "end of data", cause);
}

/*
 * Results.
 */

/* Spec 1.6: back-fill, then the final cash for what is left. */
static void
backfill_equity(double *eq, size_t n, double cash)
{
	size_t k;

	indicator_bfill(eq, n);
	for (k = 0; k < n; k++)
		if (isnan(eq[k]))
			eq[k] = cash;
}

static void
trade_record(const struct broker *b, const struct trade *t,
    struct trade_rec *r)
{
	r->size = t->size;
	r->entry_bar = t->entry_bar;
	r->exit_bar = t->exit_bar;
	r->entry_price = t->entry_price;
	r->exit_price = t->exit_price;
	r->sl = t->sl_value != 0 ? t->sl_value : NAN;
	r->tp = t->tp_value != 0 ? t->tp_value : NAN;
	r->pnl = broker_trade_pl(b, t);
	r->commission = t->commissions;
	r->return_pct = broker_trade_pl_pct(b, t);
	r->tag = t->tag != NULL ? xstrdup(t->tag) : NULL;
}

/* Moves the shown indicators into the result (they are freed with it). */
static void
collect_indicators(struct instance *in, struct run_result *out)
{
	size_t k;

	out->ind = xcalloc(in->nind, sizeof *out->ind);
	for (k = 0; k < in->nind; k++) {
		/* How to recompute it goes; the values go to the result. */
		free(in->ind[k].inputs);
		indicator_stream_free(in->ind[k].stream);
		if (in->ind[k].flags & TH_IND_HIDDEN) {
			free(in->ind[k].name);
			free(in->ind[k].values);
			continue;
		}
		out->ind[out->nind].name = in->ind[k].name;
		out->ind[out->nind].values = in->ind[k].values;
		out->nind++;
	}
	free(in->ind);
	in->ind = NULL;
	in->nind = 0;
}

static void
summarize_warnings(const struct broker *b)
{
	static const char *what[BROKER_NWARN] = {
		"orders cancelled because they rounded to 0 units",
		"orders cancelled for insufficient margin",
		"SL/TP of stop or limit entries deferred to the next bar",
	};
	int w;

	for (w = 0; w < BROKER_NWARN; w++)
		if (b->warnings[w] > 1)
			log_warn("%zu %s", b->warnings[w], what[w]);
}

void
session_leg_result(struct session *s, size_t leg, struct run_result *out)
{
	struct session_leg *l = &s->legs[leg];
	struct broker *b = &l->broker;
	size_t k;

	memset(out, 0, sizeof *out);
	out->data = l->data;
	backfill_equity(b->equity, l->data->n, b->acct->cash);
	out->equity = b->equity;
	b->equity = NULL;
	out->warmup = l->warmup;
	out->strategy = params_describe(s->params, l->in.name);
	out->ntrades = b->closed.n;
	out->trades = xcalloc(b->closed.n, sizeof *out->trades);
	for (k = 0; k < b->closed.n; k++)
		trade_record(b, b->closed.v[k], &out->trades[k]);
	collect_indicators(&l->in, out);
	summarize_warnings(b);
}

/* The timeline position of each of a leg's bars. */
static size_t *
timeline_positions(const struct session *s, const struct session_leg *l)
{
	size_t *at = xcalloc(l->data->n, sizeof *at), k, j = 0;

	for (k = 0; k < l->data->n; k++) {
		while (j + 1 < s->step && s->times[j] < l->data->index[k])
			j++;
		at[k] = j;
	}
	return at;
}

/* Each symbol's close over its close at the warm-up bar, averaged. */
static void
benchmark_index(const struct session *s, struct frame *f)
{
	size_t k, j, i;

	for (j = 0; j < f->n; j++)
		f->cols[FRAME_CLOSE][j] = 0;
	for (k = 0; k < s->nlegs; k++) {
		const struct session_leg *l = &s->legs[k];
		const double *c = l->data->cols[FRAME_CLOSE];
		double base = c[l->warmup];

		for (j = 0, i = 0; j < f->n; j++) {
			while (i + 1 < l->data->n && l->data->index[i + 1] <=
			    f->index[j])
				i++;
			f->cols[FRAME_CLOSE][j] += c[i] / base / (double)s->nlegs;
		}
	}
	for (j = 0; j < f->n; j++)
		f->cols[FRAME_OPEN][j] = f->cols[FRAME_HIGH][j] =
		    f->cols[FRAME_LOW][j] = f->cols[FRAME_CLOSE][j];
}

static int
by_exit(const void *a, const void *b)
{
	const struct trade_rec *x = a, *y = b;

	if (x->exit_bar != y->exit_bar)
		return x->exit_bar < y->exit_bar ? -1 : 1;
	return x->entry_bar < y->entry_bar ? -1 : x->entry_bar > y->entry_bar;
}

static void
portfolio_trades(struct session *s, struct run_result *out)
{
	size_t k, j, n = 0;

	for (k = 0; k < s->nlegs; k++)
		n += s->legs[k].broker.closed.n;
	out->trades = xcalloc(n ? n : 1, sizeof *out->trades);
	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];
		size_t *at = timeline_positions(s, l);

		for (j = 0; j < l->broker.closed.n; j++) {
			struct trade_rec *r = &out->trades[out->ntrades++];

			trade_record(&l->broker, l->broker.closed.v[j], r);
			r->entry_bar = at[r->entry_bar];
			r->exit_bar = at[r->exit_bar];
			r->symbol = xstrdup(l->symbol);
		}
		free(at);
	}
	/* Stable enough: ties keep symbol order through entry order. */
	qsort(out->trades, out->ntrades, sizeof *out->trades, by_exit);
}

struct frame *
session_portfolio_result(struct session *s, struct run_result *out)
{
	size_t n = s->step ? s->step : 1, k, w = SIZE_MAX;
	struct frame *f = frame_new(n, s->datetime ? FRAME_INDEX_DATETIME :
	    FRAME_INDEX_INTEGER, "portfolio");
	char *name, *list = xstrdup("");

	memset(out, 0, sizeof *out);
	for (k = 0; k < n; k++) {
		f->index[k] = s->step ? s->times[k] : 0;
		f->cols[FRAME_VOLUME][k] = NAN;
	}
	benchmark_index(s, f);
	out->data = f;
	out->equity = xmalloc(n * sizeof *out->equity);
	for (k = 0; k < n; k++)
		out->equity[k] = s->step ? s->equity[k] : s->acct.cash;
	for (k = 0; k < s->nlegs; k++) {
		size_t *at = timeline_positions(s, &s->legs[k]);
		char *next = xasprintf("%s%s%s", list, k ? "," : "",
		    s->legs[k].symbol);

		if (at[s->legs[k].warmup] < w)
			w = at[s->legs[k].warmup];
		free(at);
		free(list);
		list = next;
	}
	out->warmup = w;
	name = params_describe(s->params, s->legs[0].in.name);
	out->strategy = xasprintf("%s[%s]", name, list);
	free(name);
	free(list);
	portfolio_trades(s, out);
	return f;
}

void
session_free(struct session *s)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];

		l->in.phase = API_DONE;
		if (l->inited && !l->in.state_borrowed &&
		    l->in.desc->fini != NULL)
			l->in.desc->fini(&l->in.pub, l->in.state);
		api_instance_free(&l->in);
		broker_free(&l->broker);
		free(l->symbol);
	}
	free(s->legs);
	free(s->acct.members);
	free(s->times);
	free(s->equity);
	risk_free(&s->risk);
	memset(s, 0, sizeof *s);
}
