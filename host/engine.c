#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "log.h"
#include "timefmt.h"
#include "xmalloc.h"

/* The first non-NaN position; 0 for an all-NaN series (spec 2.2). */
static size_t
first_valid(const double *v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!isnan(v[k]))
			return k;
	return 0;
}

size_t
engine_warmup(const struct instance *in)
{
	size_t k, w = 0, f;

	for (k = 0; k < in->nind; k++) {
		if (in->ind[k].flags & TH_IND_NO_WARMUP)
			continue;
		f = first_valid(in->ind[k].values, in->data->n);
		if (f > w)
			w = f;
	}
	return w;
}

/* "bar 70 (2004-11-29 00:00:00)" for messages. */
static char *
bar_label(const struct frame *data, int64_t bar)
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

/* Turns a failed callback or a recorded misuse into the run's error. */
static int
callback_failed(struct instance *in, enum th_status st, const char *cb,
    char **cause)
{
	char *where;

	if (st == TH_OK && in->error == NULL)
		return 0;
	where = bar_label(in->data, in->bar);
	if (in->error != NULL)
		*cause = xasprintf("%s: %s: %s", in->name, where, in->error);
	else
		*cause = xasprintf("%s: %s: %s() failed with status %d",
		    in->name, where, cb, (int)st);
	free(where);
	return -1;
}

/* A fill the broker could not complete (an SL/TP outside (0, inf)). */
static int
broker_failed(struct instance *in, struct broker *b, char **cause)
{
	char *where = bar_label(in->data, (int64_t)b->i);

	*cause = xasprintf("%s: %s: %s", in->name, where, b->error);
	free(where);
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

/* Steps 4-6 of Backtest.run(); returns 0, or -1 with *cause. */
static int
run_bars(struct instance *in, const struct engine_options *opt, size_t start,
    char **cause)
{
	struct broker *b = in->broker;
	size_t n = in->data->n, i;
	int st;

	in->phase = API_NEXT;
	for (i = start; i < n; i++) {
		in->bar = (int64_t)i;
		st = broker_next(b, i);
		if (st == BROKER_BANKRUPT)
			return 0;	/* no finalize, no warning */
		if (st == BROKER_ERROR)
			return broker_failed(in, b, cause);
		st = in->desc->next(&in->pub, in->state);
		if (st != TH_OK || in->error != NULL)
			return callback_failed(in, st, "next", cause);
	}
	if (opt->finalize_trades) {
		broker_finalize(b);
		/* The extra pass ignores bankruptcy, as the library does. */
		if (start < n && broker_next(b, n - 1) == BROKER_ERROR)
			return broker_failed(in, b, cause);
	} else if (b->open.n > 0)
		log_warn("some trades remain open at the end of the data; use "
		    "--finalize-trades to close them and include them in the "
		    "statistics");
	return 0;
}

/* Spec 1.6: back-fill, then the final cash for what is left. */
static void
backfill_equity(double *eq, size_t n, double cash)
{
	double next = NAN;
	size_t k;

	for (k = n; k > 0; k--) {
		if (isnan(eq[k - 1]))
			eq[k - 1] = next;
		else
			next = eq[k - 1];
	}
	for (k = 0; k < n; k++)
		if (isnan(eq[k]))
			eq[k] = cash;
}

static void
collect_trades(struct broker *b, struct run_result *out)
{
	size_t k;

	out->ntrades = b->closed.n;
	out->trades = xcalloc(b->closed.n, sizeof *out->trades);
	for (k = 0; k < b->closed.n; k++) {
		struct trade *t = b->closed.v[k];
		struct trade_rec *r = &out->trades[k];

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
}

/* Moves the indicators into the result (they are freed with it). */
static void
collect_indicators(struct instance *in, struct run_result *out)
{
	size_t k;

	out->ind = xcalloc(in->nind, sizeof *out->ind);
	for (k = 0; k < in->nind; k++) {
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

static void
collect(struct instance *in, struct broker *b, const struct params *params,
    size_t warmup, struct run_result *out)
{
	memset(out, 0, sizeof *out);
	out->data = in->data;
	backfill_equity(b->equity, in->data->n, b->acct->cash);
	out->equity = b->equity;
	b->equity = NULL;
	out->warmup = warmup;
	out->strategy = params_describe(params, in->name);
	collect_trades(b, out);
	collect_indicators(in, out);
	summarize_warnings(b);
}

int
engine_run(const struct plugin *plugin, const struct params *params,
    const struct frame *data, const struct engine_options *opt,
    struct run_result *out, char **cause)
{
	struct broker broker;
	struct instance in;
	size_t warmup;
	int rc = -1;

	if (broker_config_check(&opt->broker, cause) < 0)
		return -1;
	warn_unaffordable(data, opt->broker.cash);
	broker_init(&broker, &opt->broker, data);
	api_instance_init(&in, plugin->desc, plugin->name, data, &broker,
	    params);
	if (callback_failed(&in, plugin->desc->init(&in.pub, in.state), "init",
	    cause) < 0)
		goto out;
	warmup = engine_warmup(&in);
	if (run_bars(&in, opt, warmup + 1, cause) < 0)
		goto out;
	collect(&in, &broker, params, warmup, out);
	rc = 0;
out:
	in.phase = API_DONE;
	if (plugin->desc->fini != NULL)
		plugin->desc->fini(&in.pub, in.state);
	api_instance_free(&in);
	broker_free(&broker);
	return rc;
}
