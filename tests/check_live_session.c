/* A session fed bar by bar (live trading) against the same session run
 * as a backtest over all the bars: the same next() calls, orders, fills,
 * trades and equity, which is what lets a live journal be replayed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "session.h"
#include "suites.h"
#include "testutil.h"
#include "xmalloc.h"

struct xstate {
	int fast, slow, custom, atr, hi, lo, sd;
	long calls;
	uint64_t digest;	/* of every indicator value next() saw */
};

static void
digest(struct xstate *st, double v)
{
	unsigned char b[sizeof v];
	size_t k;

	memcpy(b, &v, sizeof v);
	for (k = 0; k < sizeof v; k++)
		st->digest = (st->digest ^ b[k]) * UINT64_C(1099511628211);
}

/* A custom indicator: the midpoint of High and Low. */
static enum th_status
midpoint(const double *const *cols, size_t ncols, size_t n, double *out,
    void *user)
{
	size_t k;

	(void)ncols;
	(void)user;
	for (k = 0; k < n; k++)
		out[k] = (cols[0][k] + cols[1][k]) / 2;
	return TH_OK;
}

static enum th_status
x_init(th_ctx *ctx, void *state)
{
	struct xstate *st = state;
	static const char *const in[] = { "High", "Low" };
	struct th_indicator_def def = { .struct_size = sizeof def,
	    .kind = TH_IND_CUSTOM, .compute = midpoint, .inputs = in,
	    .ninputs = 2, .name = "mid" };

	struct th_indicator_def atr = { .struct_size = sizeof atr,
	    .kind = TH_IND_ATR, .period = 5, .flags = TH_IND_NO_WARMUP |
	    TH_IND_BFILL | TH_IND_HIDDEN };

	st->fast = th_sma(ctx, NULL, 4);
	st->slow = th_indicator(ctx, TH_IND_EMA, NULL, 9);
	st->hi = th_indicator(ctx, TH_IND_MAX, "High", 6);
	st->lo = th_indicator(ctx, TH_IND_MIN, "Low", 6);
	st->sd = th_indicator(ctx, TH_IND_STD, NULL, 7);
	if (ctx->api->indicator(ctx, &atr, &st->atr) != TH_OK)
		return TH_ERR_INVALID;
	return ctx->api->indicator(ctx, &def, &st->custom);
}

static enum th_status
x_next(th_ctx *ctx, void *state)
{
	struct xstate *st = state;
	struct th_series f = ctx->api->indicator_values(ctx, st->fast);
	struct th_series s = ctx->api->indicator_values(ctx, st->slow);
	struct th_series m = ctx->api->indicator_values(ctx, st->custom);
	double close = th_at(ctx->api->column(ctx, TH_CLOSE), 0);
	double atr = th_at(ctx->api->indicator_values(ctx, st->atr), 0);
	double hi = th_at(ctx->api->indicator_values(ctx, st->hi), 1);
	double lo = th_at(ctx->api->indicator_values(ctx, st->lo), 1);
	double sd = th_at(ctx->api->indicator_values(ctx, st->sd), 0);

	st->calls++;
	digest(st, th_at(f, 0));
	digest(st, th_at(s, 0));
	digest(st, th_at(m, 0));
	digest(st, atr);
	digest(st, hi);
	digest(st, lo);
	digest(st, sd);
	/* Every indicator steers a decision, so any difference shows. */
	if (close > hi && sd > atr * 0.1 && ctx->api->trade_count(ctx, 0) == 0)
		return th_buy_with(ctx, (struct th_order_req){ .size = 0.2,
		    .sl = close - 2 * atr });
	if (close < lo && ctx->api->trade_count(ctx, 0) > 0)
		return th_position_close(ctx, 1.0);
	if (th_crossover(f, s))
		return th_buy_with(ctx, (struct th_order_req){ .size = 0.5,
		    .sl = close * 0.9, .tp = close * 1.2 });
	if (th_crossover(s, f) && th_at(m, 0) < close)
		return th_sell(ctx);
	return TH_OK;
}

static const struct th_plugin xdesc = {
	.abi_major = TH_ABI_MAJOR, .abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY, .name = "LiveX",
	.state_size = sizeof(struct xstate), .state_version = 1,
	.init = x_init, .next = x_next,
};

static void
run(const struct frame *full, size_t history, int live,
    struct run_result *out, uint64_t *seen)
{
	struct plugin pl;
	struct params params;
	struct session s;
	struct session_options opt;
	struct frame *f;
	const struct frame *fp;
	const char *sym = "X";
	size_t k, min_start = history;
	char *cause = NULL;

	ck_assert_int_eq(plugin_from_desc(&xdesc, &pl, &cause), 0);
	params_init(&params, pl.desc);
	memset(&opt, 0, sizeof opt);
	opt.engine.broker.cash = 10000;
	opt.engine.broker.margin = 1;
	opt.min_start = &min_start;
	f = live ? frame_slice(full, 0, history) : frame_slice(full, 0,
	    full->n);
	fp = f;
	ck_assert_int_eq(session_init(&s, &pl, &params, &sym, &fp, 1, &opt,
	    &cause), 0);
	ck_assert_int_eq(session_begin(&s, &cause), 0);
	if (live)
		for (k = history; k < full->n; k++) {
			frame_append(f, full->index[k],
			    full->cols[FRAME_OPEN][k],
			    full->cols[FRAME_HIGH][k],
			    full->cols[FRAME_LOW][k],
			    full->cols[FRAME_CLOSE][k],
			    full->cols[FRAME_VOLUME][k]);
			ck_assert_msg(session_advance(&s, &cause) == 0, "%s",
			    cause);
		}
	else
		ck_assert_int_eq(session_advance(&s, &cause), 0);
	*seen = ((struct xstate *)s.legs[0].in.state)->digest;
	ck_assert_int_eq(session_end(&s, 0, "end", &cause), 0);
	session_leg_result(&s, 0, out);
	session_free(&s);
	params_free(&params);
	plugin_unload(&pl);
	out->data = NULL;	/* the frame is freed here */
	frame_free(f);
}

START_TEST(bar_by_bar_equals_backtest)
{
	struct frame *full = demo_generate(400, 7);
	struct run_result a, b;
	uint64_t da, db;
	size_t k;

	run(full, 30, 0, &a, &da);
	run(full, 30, 1, &b, &db);
	ck_assert_msg(da == db, "next() saw other indicator values live");
	ck_assert_uint_gt(a.ntrades, 5);
	ck_assert_uint_eq(a.ntrades, b.ntrades);
	for (k = 0; k < a.ntrades; k++) {
		ck_assert_int_eq(a.trades[k].entry_bar, b.trades[k].entry_bar);
		ck_assert_int_eq(a.trades[k].exit_bar, b.trades[k].exit_bar);
		ck_assert(a.trades[k].entry_price == b.trades[k].entry_price);
		ck_assert(a.trades[k].exit_price == b.trades[k].exit_price);
		ck_assert(a.trades[k].size == b.trades[k].size);
	}
	for (k = 0; k < full->n; k++)
		ck_assert_msg(a.equity[k] == b.equity[k] ||
		    (isnan(a.equity[k]) && isnan(b.equity[k])), "bar %zu", k);
	/* No trade may enter during the history. */
	ck_assert_int_ge(a.trades[0].entry_bar, 31);
	result_free(&a);
	result_free(&b);
	frame_free(full);
}
END_TEST

Suite *
live_session_suite(void)
{
	Suite *s = suite_create("live_session");

	test_add_case(s, "bar_by_bar", bar_by_bar_equals_backtest);
	return s;
}
