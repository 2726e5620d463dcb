/* The th_host_api table.  Each entry checks the phase and its arguments;
 * a misuse that backtesting.py would raise on (an invalid order, a bad
 * portion) is recorded in instance.error and stops the run after the
 * callback returns. */
#include "api.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicator.h"
#include "log.h"
#include "risk.h"
#include "xmalloc.h"

/* The size of struct th_order_req at ABI 1.0: newer plugins may pass a
 * larger one, older ones never a smaller one. */
#define REQ_1_0_SIZE (offsetof(struct th_order_req, tag) + \
	sizeof(((struct th_order_req *)0)->tag))

/* backtesting.py's default size: 1 - 2^-52, "all available margin". */
#define FULL_SIZE (1.0 - 0x1p-52)

static struct instance *
inst(th_ctx *ctx)
{
	return (struct instance *)ctx;
}

/* Records the first fatal misuse; later ones add nothing new. */
static enum th_status
misuse(struct instance *in, const char *call, char *cause)
{
	if (in->error == NULL)
		in->error = xasprintf("%s(): %s", call, cause);
	free(cause);
	return TH_ERR_INVALID;
}

static enum th_status
wrong_phase(struct instance *in, const char *call, const char *where)
{
	(void)misuse(in, call, xasprintf("may only be called in %s()", where));
	return TH_ERR_STATE;
}

static void
api_log(th_ctx *ctx, enum th_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level < TH_LOG_ERROR || level > TH_LOG_DEBUG)
		level = TH_LOG_INFO;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg((enum log_level)level, "%s: %s", inst(ctx)->name, msg);
}

static void *
api_alloc(th_ctx *ctx, size_t size)
{
	(void)ctx;
	return malloc(size ? size : 1);
}

static void
api_free_mem(th_ctx *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static const void *
api_get_extension(th_ctx *ctx, const char *id)
{
	(void)ctx;
	(void)id;
	return NULL;
}

static enum th_status
api_param(th_ctx *ctx, const char *name, double *value)
{
	if (name == NULL || value == NULL)
		return TH_ERR_INVALID;
	return params_get(inst(ctx)->params, name, value) == 0 ? TH_OK :
	    TH_ERR_NOT_FOUND;
}

static int64_t
api_bar(th_ctx *ctx)
{
	return inst(ctx)->bar;
}

static int64_t
api_bar_count(th_ctx *ctx)
{
	return (int64_t)inst(ctx)->data->n;
}

/* Everything a strategy reads ends at the current bar. */
static struct th_series
visible(const struct instance *in, const double *v)
{
	struct th_series s;

	s.v = v;
	s.n = in->bar + 1;
	return s;
}

static struct th_series
api_column(th_ctx *ctx, enum th_column col)
{
	struct instance *in = inst(ctx);
	struct th_series none = { NULL, 0 };

	if ((int)col < 0 || col > TH_VOLUME)
		return none;
	return visible(in, in->data->cols[col]);
}

static enum th_status
api_column_by_name(th_ctx *ctx, const char *name, struct th_series *out)
{
	struct instance *in = inst(ctx);
	int c = name != NULL ? frame_find_column(in->data, name) : -1;

	if (c < 0 || out == NULL)
		return TH_ERR_NOT_FOUND;
	*out = visible(in, in->data->cols[c]);
	return TH_OK;
}

static struct th_index
api_index(th_ctx *ctx)
{
	struct instance *in = inst(ctx);
	struct th_index ix;

	ix.v = in->data->index;
	ix.n = in->bar + 1;
	ix.is_datetime = in->data->index_kind == FRAME_INDEX_DATETIME;
	return ix;
}

static struct th_series
api_indicator_values(th_ctx *ctx, int handle)
{
	struct instance *in = inst(ctx);
	struct th_series none = { NULL, 0 };

	if (handle < 0 || (size_t)handle >= in->nind)
		return none;
	return visible(in, in->ind[handle].values);
}

/*
 * Orders, trades, position.
 */

/* How much of a host struct fits the caller's (possibly older or newer)
 * one: the host never writes past what the caller declared, nor claims
 * more than it filled. */
static size_t
fit(uint32_t caller_size, size_t host_size)
{
	return caller_size < host_size ? caller_size : host_size;
}

static double
nan_if_unset(double price)
{
	return price != 0 ? price : NAN;
}

static enum th_status
api_order(th_ctx *ctx, int side, const struct th_order_req *req, uint64_t *id)
{
	struct instance *in = inst(ctx);
	const char *call = side > 0 ? "buy" : "sell";
	struct order *o;
	char *cause = NULL;
	double size;

	if (in->phase != API_NEXT)
		return wrong_phase(in, call, "next");
	if (req == NULL || req->struct_size < REQ_1_0_SIZE || (side != 1 &&
	    side != -1))
		return misuse(in, call, xstrdup("bad request structure"));
	size = req->size != 0 ? req->size : FULL_SIZE;
	/* An invalid order is a bug and stops the run; a refused one is
	 * the strategy's to handle. */
	if (broker_check_order(in->broker, side, size, req->limit, req->stop,
	    req->sl, req->tp, &cause) < 0)
		return misuse(in, call, cause);
	free(in->refusal);
	in->refusal = NULL;
	if (in->hooks != NULL && in->hooks->gate(in->hook_arg, in, side, size,
	    req->limit, req->stop, &in->refusal) < 0)
		return TH_ERR_REFUSED;
	o = broker_place(in->broker, side, size, req->limit, req->stop,
	    req->sl, req->tp, req->tag, &cause);
	if (o == NULL)
		return misuse(in, call, cause);
	if (in->hooks != NULL)
		in->hooks->placed(in->hook_arg, in, o, "entry");
	if (id != NULL)
		*id = o->id;
	return TH_OK;
}

static const char *
api_order_refusal(th_ctx *ctx)
{
	return inst(ctx)->refusal;
}

static enum th_status
api_run_info(th_ctx *ctx, struct th_run_info *out)
{
	const struct th_run_info *ri = &inst(ctx)->run;

	if (out == NULL || out->struct_size < offsetof(struct th_run_info,
	    model_path) + sizeof out->model_path)
		return TH_ERR_INVALID;
	memcpy((char *)out + sizeof out->struct_size,
	    (const char *)ri + sizeof ri->struct_size,
	    fit(out->struct_size, sizeof *ri) - sizeof ri->struct_size);
	return TH_OK;
}

static const char *
api_symbol(th_ctx *ctx)
{
	return inst(ctx)->symbol;
}

static double
api_risk_units(th_ctx *ctx, double risk, double multiple, double atr)
{
	struct instance *in = inst(ctx);
	static const struct risk_config defaults = { .risk_per_trade = 0.01,
	    .atr_multiple = 2 };

	return risk_units(in->risk != NULL ? in->risk : &defaults,
	    broker_equity(in->broker), risk, multiple, atr);
}

static int64_t
api_order_count(th_ctx *ctx)
{
	return (int64_t)inst(ctx)->broker->queue.n;
}

static enum th_status
api_order_get(th_ctx *ctx, int64_t i, struct th_order_info *out)
{
	struct broker *b = inst(ctx)->broker;
	struct th_order_info info;
	const struct order *o;

	if (i < 0 || (size_t)i >= b->queue.n)
		return TH_ERR_NOT_FOUND;
	if (out == NULL || out->struct_size < offsetof(struct th_order_info,
	    tag) + sizeof out->tag)
		return TH_ERR_INVALID;
	o = b->queue.v[i];
	memset(&info, 0, sizeof info);
	info.struct_size = (uint32_t)fit(out->struct_size, sizeof info);
	info.id = o->id;
	info.size = o->size;
	info.limit = nan_if_unset(o->limit);
	info.stop = nan_if_unset(o->stop);
	info.sl = nan_if_unset(o->sl);
	info.tp = nan_if_unset(o->tp);
	info.parent_trade = o->parent != NULL ? o->parent->id : 0;
	info.is_contingent = broker_order_is_contingent(o);
	info.tag = o->tag;
	memcpy(out, &info, fit(out->struct_size, sizeof info));
	return TH_OK;
}

static enum th_status
api_order_cancel(th_ctx *ctx, uint64_t id)
{
	struct instance *in = inst(ctx);
	struct order *o;

	if (in->phase != API_NEXT)
		return wrong_phase(in, "order_cancel", "next");
	o = broker_find_order(in->broker, id);
	if (o == NULL)
		return TH_ERR_NOT_FOUND;
	return broker_cancel(in->broker, o, "strategy") == 0 ? TH_OK :
	    TH_ERR_NOT_FOUND;
}

static const struct ptr_vec *
trade_list(const struct broker *b, int closed)
{
	return closed ? &b->closed : &b->open;
}

static int64_t
api_trade_count(th_ctx *ctx, int closed)
{
	return (int64_t)trade_list(inst(ctx)->broker, closed)->n;
}

static void
fill_trade_info(const struct broker *b, const struct trade *t, int closed,
    struct th_trade_info *info)
{
	info->id = t->id;
	info->size = t->size;
	info->entry_price = t->entry_price;
	info->exit_price = closed ? t->exit_price : NAN;
	info->entry_bar = (int64_t)t->entry_bar;
	info->exit_bar = closed ? (int64_t)t->exit_bar : -1;
	if (closed) {
		info->sl = nan_if_unset(t->sl_value);
		info->tp = nan_if_unset(t->tp_value);
	} else {
		info->sl = t->sl_order ? nan_if_unset(t->sl_order->stop) : NAN;
		info->tp = t->tp_order ? nan_if_unset(t->tp_order->limit) : NAN;
	}
	info->pl = broker_trade_pl(b, t);
	info->pl_pct = broker_trade_pl_pct(b, t);
	info->tag = t->tag;
}

static enum th_status
api_trade_get(th_ctx *ctx, int closed, int64_t i, struct th_trade_info *out)
{
	const struct broker *b = inst(ctx)->broker;
	const struct ptr_vec *list = trade_list(b, closed);
	struct th_trade_info info;

	if (i < 0 || (size_t)i >= list->n)
		return TH_ERR_NOT_FOUND;
	if (out == NULL || out->struct_size < offsetof(struct th_trade_info,
	    tag) + sizeof out->tag)
		return TH_ERR_INVALID;
	memset(&info, 0, sizeof info);
	info.struct_size = (uint32_t)fit(out->struct_size, sizeof info);
	fill_trade_info(b, list->v[i], closed, &info);
	memcpy(out, &info, fit(out->struct_size, sizeof info));
	return TH_OK;
}

/* Close orders go to the front of the queue: the n just queued are the
 * first n, newest first. */
static void
placed_closes(struct instance *in, size_t n)
{
	size_t k;

	if (in->hooks == NULL)
		return;
	for (k = n; k > 0; k--)
		in->hooks->placed(in->hook_arg, in, in->broker->queue.v[k - 1],
		    "close");
}

/* Finds an open trade for a call that modifies it, in next() only. */
static enum th_status
open_trade_for(struct instance *in, const char *call, uint64_t id,
    struct trade **t)
{
	if (in->phase != API_NEXT)
		return wrong_phase(in, call, "next");
	*t = broker_find_open_trade(in->broker, id);
	return *t != NULL ? TH_OK : TH_ERR_NOT_FOUND;
}

static enum th_status
api_trade_set_sl(th_ctx *ctx, uint64_t id, double price)
{
	struct instance *in = inst(ctx);
	struct trade *t;
	char *cause = NULL;
	enum th_status st = open_trade_for(in, "trade_set_sl", id, &t);

	if (st != TH_OK)
		return st;
	if (broker_set_sl(in->broker, t, price, &cause) < 0)
		return misuse(in, "trade_set_sl", cause);
	return TH_OK;
}

static enum th_status
api_trade_set_tp(th_ctx *ctx, uint64_t id, double price)
{
	struct instance *in = inst(ctx);
	struct trade *t;
	char *cause = NULL;
	enum th_status st = open_trade_for(in, "trade_set_tp", id, &t);

	if (st != TH_OK)
		return st;
	if (broker_set_tp(in->broker, t, price, &cause) < 0)
		return misuse(in, "trade_set_tp", cause);
	return TH_OK;
}

static enum th_status
api_trade_close(th_ctx *ctx, uint64_t id, double portion)
{
	struct instance *in = inst(ctx);
	struct trade *t;
	char *cause = NULL;
	enum th_status st = open_trade_for(in, "trade_close", id, &t);

	if (st != TH_OK)
		return st;
	if (broker_close_trade(in->broker, t, portion, &cause) < 0)
		return misuse(in, "trade_close", cause);
	placed_closes(in, 1);
	return TH_OK;
}

static enum th_status
api_position(th_ctx *ctx, struct th_position *out)
{
	const struct broker *b = inst(ctx)->broker;
	struct th_position p;

	if (out == NULL || out->struct_size < offsetof(struct th_position,
	    is_short) + sizeof out->is_short)
		return TH_ERR_INVALID;
	memset(&p, 0, sizeof p);
	p.struct_size = (uint32_t)fit(out->struct_size, sizeof p);
	p.size = broker_position_size(b);
	p.pl = broker_position_pl(b);
	p.pl_pct = broker_position_pl_pct(b);
	p.is_long = p.size > 0;
	p.is_short = p.size < 0;
	memcpy(out, &p, fit(out->struct_size, sizeof p));
	return TH_OK;
}

static enum th_status
api_position_close(th_ctx *ctx, double portion)
{
	struct instance *in = inst(ctx);
	char *cause = NULL;

	if (in->phase != API_NEXT)
		return wrong_phase(in, "position_close", "next");
	if (broker_close_position(in->broker, portion, &cause) < 0)
		return misuse(in, "position_close", cause);
	placed_closes(in, in->broker->open.n);
	return TH_OK;
}

static double
api_equity(th_ctx *ctx)
{
	return broker_equity(inst(ctx)->broker);
}

static double
api_cash(th_ctx *ctx)
{
	return inst(ctx)->broker->acct->cash;
}

/*
 * Indicators (init() only).
 */

/* The byte length of the first n code points of a UTF-8 string (all of
 * it when shorter); *count gets the code points counted. */
static size_t
utf8_prefix(const char *s, size_t n, size_t *count)
{
	size_t k = 0, len = 0;

	while (s[len] != '\0' && k < n) {
		len++;
		while (((unsigned char)s[len] & 0xc0) == 0x80)
			len++;
		k++;
	}
	*count = k;
	return len;
}

/* backtesting.py's _as_str for a data column: O/H/L/C/V for the standard
 * ones, else the name, cut to 9 characters and an ellipsis past 10
 * (characters, not bytes, as Python counts). */
static char *
short_source(const char *col)
{
	const char *std[] = { "Open", "High", "Low", "Close", "Volume" };
	size_t k, nine, count;

	for (k = 0; k < sizeof std / sizeof std[0]; k++)
		if (strcmp(col, std[k]) == 0)
			return xstrndup(col, 1);
	nine = utf8_prefix(col, 9, &count);
	(void)utf8_prefix(col, 11, &count);
	if (count > 10)
		return xasprintf("%.*s\xe2\x80\xa6", (int)nine, col);
	return xstrdup(col);
}

static char *
default_name(const struct th_indicator_def *def, const char *kind_name,
    int uses_source, const char *source)
{
	char *src, *name;

	if (!uses_source)
		return xasprintf("%s(%u)", kind_name, def->period);
	src = short_source(source);
	name = xasprintf("%s(%s,%u)", kind_name, src, def->period);
	free(src);
	return name;
}

/* Takes over name and values; returns the new entry for the caller to
 * note how it was computed. */
static struct api_indicator *
add_indicator(struct instance *in, char *name, double *values,
    const struct th_indicator_def *def)
{
	struct api_indicator *ind;

	if (def->flags & TH_IND_BFILL)
		indicator_bfill(values, in->data->n);
	in->ind = xreallocarray(in->ind, in->nind + 1, sizeof *in->ind);
	ind = &in->ind[in->nind++];
	memset(ind, 0, sizeof *ind);
	ind->name = name;
	ind->values = values;
	ind->flags = def->flags;
	ind->kind = (int)def->kind;
	ind->period = def->period;
	ind->source = -1;
	return ind;
}

static double *
nan_array(size_t n)
{
	double *v = xmalloc(n * sizeof *v);
	size_t k;

	for (k = 0; k < n; k++)
		v[k] = NAN;
	return v;
}

static enum th_status
builtin_indicator(struct instance *in, const struct th_indicator_def *def,
    int *handle)
{
	const struct indicator_def *kind = indicator_lookup((int)def->kind);
	const char *source = def->source != NULL ? def->source : "Close";
	int col = frame_find_column(in->data, source);
	char *cause = NULL;
	double *out;

	if (kind == NULL)
		return misuse(in, "indicator", xasprintf("unknown kind %d",
		    (int)def->kind));
	if (kind->uses_source && col < 0)
		return misuse(in, "indicator", xasprintf("no column '%s' in "
		    "the data", source));
	out = nan_array(in->data->n);
	if (kind->compute(in->data, kind->uses_source ? in->data->cols[col] :
	    NULL, in->data->n, def->period, out, &cause) < 0) {
		free(out);
		return misuse(in, "indicator", cause);
	}
	*handle = (int)in->nind;
	add_indicator(in, def->name != NULL ? xstrdup(def->name) :
	    default_name(def, kind->name, kind->uses_source, source), out,
	    def)->source = kind->uses_source ? col : -1;
	return TH_OK;
}

/* A custom indicator's default name, as I(lambda ..., Close, High) gets:
 * "λ(C,H)", or "λ" without inputs. */
static char *
lambda_name(const struct th_indicator_def *def)
{
	char *name = xstrdup("\xce\xbb"), *src, *next;
	uint32_t k;

	for (k = 0; k < def->ninputs; k++) {
		src = short_source(def->inputs[k]);
		next = xasprintf("%s%s%s", name, k == 0 ? "(" : ",", src);
		free(src);
		free(name);
		name = next;
	}
	if (def->ninputs > 0) {
		next = xasprintf("%s)", name);
		free(name);
		name = next;
	}
	return name;
}

static enum th_status
custom_indicator(struct instance *in, const struct th_indicator_def *def,
    int *handle)
{
	const double **cols;
	struct api_indicator *ind;
	int *inputs;
	double *out;
	enum th_status st;
	uint32_t k;
	int c;

	if (def->compute == NULL || (def->ninputs > 0 && def->inputs == NULL))
		return misuse(in, "indicator", xstrdup("a custom indicator "
		    "needs compute() and its input column names"));
	cols = xcalloc(def->ninputs, sizeof *cols);
	inputs = xcalloc(def->ninputs, sizeof *inputs);
	for (k = 0; k < def->ninputs; k++) {
		c = frame_find_column(in->data, def->inputs[k]);
		if (c < 0) {
			free(cols);
			free(inputs);
			return misuse(in, "indicator", xasprintf("no column "
			    "'%s' in the data", def->inputs[k]));
		}
		cols[k] = in->data->cols[c];
		inputs[k] = c;
	}
	out = nan_array(in->data->n);
	st = def->compute(cols, def->ninputs, in->data->n, out, def->user);
	free(cols);
	if (st != TH_OK) {
		free(inputs);
		free(out);
		return misuse(in, "indicator", xasprintf("compute() of '%s' "
		    "failed with status %d", def->name ? def->name : "custom",
		    (int)st));
	}
	*handle = (int)in->nind;
	ind = add_indicator(in, def->name != NULL ? xstrdup(def->name) :
	    lambda_name(def), out, def);
	ind->compute = def->compute;
	ind->user = def->user;
	ind->inputs = inputs;
	ind->ninputs = def->ninputs;
	return TH_OK;
}

static enum th_status
api_indicator(th_ctx *ctx, const struct th_indicator_def *def, int *handle)
{
	struct instance *in = inst(ctx);

	if (in->phase != API_INIT)
		return wrong_phase(in, "indicator", "init");
	if (def == NULL || handle == NULL || def->struct_size <
	    offsetof(struct th_indicator_def, ninputs) + sizeof def->ninputs)
		return misuse(in, "indicator", xstrdup("bad definition "
		    "structure"));
	if (def->flags & ~(uint32_t)(TH_IND_NO_WARMUP | TH_IND_BFILL |
	    TH_IND_HIDDEN))
		return misuse(in, "indicator", xasprintf("unknown flags 0x%x",
		    (unsigned)def->flags));
	if (def->kind != TH_IND_CUSTOM && def->period < 1)
		return misuse(in, "indicator", xstrdup("period must be >= 1"));
	if (def->kind == TH_IND_CUSTOM)
		return custom_indicator(in, def, handle);
	return builtin_indicator(in, def, handle);
}

const struct th_host_api api_table = {
	.struct_size = sizeof(struct th_host_api),
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.log = api_log,
	.alloc = api_alloc,
	.free_mem = api_free_mem,
	.get_extension = api_get_extension,
	.param = api_param,
	.bar = api_bar,
	.bar_count = api_bar_count,
	.column = api_column,
	.column_by_name = api_column_by_name,
	.index = api_index,
	.indicator = api_indicator,
	.indicator_values = api_indicator_values,
	.order = api_order,
	.order_count = api_order_count,
	.order_get = api_order_get,
	.order_cancel = api_order_cancel,
	.trade_count = api_trade_count,
	.trade_get = api_trade_get,
	.trade_set_sl = api_trade_set_sl,
	.trade_set_tp = api_trade_set_tp,
	.trade_close = api_trade_close,
	.position = api_position,
	.position_close = api_position_close,
	.equity = api_equity,
	.cash = api_cash,
	.order_refusal = api_order_refusal,
	.symbol = api_symbol,
	.risk_units = api_risk_units,
	.run_info = api_run_info,
};

void
api_instance_init(struct instance *in, const struct th_plugin *desc,
    const char *name, const struct frame *data, struct broker *broker,
    const struct params *params)
{
	memset(in, 0, sizeof *in);
	in->pub.api = &api_table;
	in->desc = desc;
	in->name = name;
	in->data = data;
	in->broker = broker;
	in->params = params;
	in->phase = API_INIT;
	in->bar = -1;
	in->state = xcalloc(1, desc->state_size ? desc->state_size : 1);
	in->symbol = data->source != NULL ? data->source : "";
	in->run.struct_size = sizeof in->run;
}

void
api_instance_borrow_state(struct instance *in, void *state)
{
	free(in->state);
	in->state = state;
	in->state_borrowed = 1;
}

void
api_instance_free(struct instance *in)
{
	size_t k;

	for (k = 0; k < in->nind; k++) {
		free(in->ind[k].name);
		free(in->ind[k].values);
		free(in->ind[k].inputs);
		indicator_stream_free(in->ind[k].stream);
	}
	free(in->ind);
	free(in->error);
	free(in->refusal);
	if (!in->state_borrowed)
		free(in->state);
	in->refusal = NULL;
	in->ind = NULL;
	in->nind = 0;
	in->error = NULL;
	in->state = NULL;
}

/* A custom indicator: the plugin's compute() over the whole series. */
static int
recompute_one(const struct instance *in, const struct api_indicator *ind,
    double *out, char **cause)
{
	const struct frame *f = in->data;
	const double **cols;
	enum th_status st;
	uint32_t k;

	cols = xcalloc(ind->ninputs, sizeof *cols);
	for (k = 0; k < ind->ninputs; k++)
		cols[k] = f->cols[ind->inputs[k]];
	st = ind->compute(cols, ind->ninputs, f->n, out, ind->user);
	free(cols);
	if (st == TH_OK)
		return 0;
	*cause = xasprintf("compute() of '%s' failed with status %d",
	    ind->name, (int)st);
	return -1;
}

/* A built-in continues from its kept state over the new bars only. */
static void
extend_builtin(const struct instance *in, struct api_indicator *ind)
{
	const struct frame *f = in->data;

	if (ind->stream == NULL) {
		ind->stream = indicator_stream_new(ind->kind, ind->period);
		free(ind->values);
		ind->values = nan_array(f->n);
	} else
		ind->values = xreallocarray(ind->values, f->n,
		    sizeof *ind->values);
	indicator_stream_extend(ind->stream, f, ind->source >= 0 ?
	    f->cols[ind->source] : NULL, f->n, ind->values);
}

int
api_instance_recompute(struct instance *in, char **cause)
{
	struct api_indicator *ind;
	double *out;
	size_t k;

	for (k = 0; k < in->nind; k++) {
		ind = &in->ind[k];
		if (ind->kind != TH_IND_CUSTOM)
			extend_builtin(in, ind);
		else {
			out = nan_array(in->data->n);
			if (recompute_one(in, ind, out, cause) < 0) {
				free(out);
				return -1;
			}
			free(ind->values);
			ind->values = out;
		}
		if (ind->flags & TH_IND_BFILL)
			indicator_bfill(ind->values, in->data->n);
	}
	return 0;
}
