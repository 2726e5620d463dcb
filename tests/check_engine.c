/* The run loop and the broker's order semantics, end to end through the
 * SDK: spec §1.2, §3 and the worked examples and pitfalls of §3.13 and §8.
 * Each test scripts a strategy whose next() calls a test function. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "suites.h"
#include "testutil.h"
#include "xmalloc.h"

/* The scripted strategy: init_fn (optional) runs in init(), next_fn in
 * every next() with the 1-based call number. */
static void (*init_fn)(th_ctx *ctx);
static void (*next_fn)(th_ctx *ctx, int call);
static int64_t first_bar = -1;
static int ncalls;

static enum th_status
scripted_init(th_ctx *ctx, void *state)
{
	(void)state;
	ncalls = 0;
	first_bar = -1;
	if (init_fn != NULL)
		init_fn(ctx);
	return TH_OK;
}

static enum th_status
scripted_next(th_ctx *ctx, void *state)
{
	(void)state;
	if (first_bar < 0)
		first_bar = ctx->api->bar(ctx);
	ncalls++;
	if (next_fn != NULL)
		next_fn(ctx, ncalls);
	return TH_OK;
}

static const struct th_plugin scripted = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Scripted",
	.init = scripted_init,
	.next = scripted_next,
};

static struct engine_options opt;
static struct run_result res;
static struct frame *data;

static void
setup(void)
{
	memset(&opt, 0, sizeof opt);
	opt.broker.cash = 10000;
	opt.broker.margin = 1;
	memset(&res, 0, sizeof res);
	init_fn = NULL;
	next_fn = NULL;
	data = NULL;
}

static void
teardown(void)
{
	result_free(&res);
	frame_free(data);
}

/* Runs the scripted strategy; returns engine_run's result and keeps the
 * error message in *cause_out when asked. */
static int
run(char **cause_out)
{
	struct plugin pl;
	struct params params;
	char *cause = NULL;
	int rc;

	ck_assert_int_eq(plugin_from_desc(&scripted, &pl, &cause), 0);
	params_init(&params, pl.desc);
	rc = engine_run(&pl, &params, data, &opt, &res, &cause);
	params_free(&params);
	plugin_unload(&pl);
	if (cause_out != NULL)
		*cause_out = cause;
	else {
		ck_assert_msg(rc == 0, "run failed: %s", cause);
		free(cause);
	}
	return rc;
}

static void
buy(th_ctx *ctx, double size, double sl, double tp)
{
	struct th_order_req r = { 0 };

	r.size = size;
	r.sl = sl;
	r.tp = tp;
	ck_assert_int_eq(th_buy_with(ctx, r), TH_OK);
}

static void
sell(th_ctx *ctx, double size, double sl, double tp)
{
	struct th_order_req r = { 0 };

	r.size = size;
	r.sl = sl;
	r.tp = tp;
	ck_assert_int_eq(th_sell_with(ctx, r), TH_OK);
}

/* The three bars of GOOG that spec §3.13's examples depend on: fill at
 * O[2] = 110.75 (valued at C[2] = 109.40), close at O[3] = 111.24. */
static struct frame *
goog_like(void)
{
	double o[20], c[20];
	int k;

	for (k = 0; k < 20; k++)
		o[k] = c[k] = 100 + k;
	o[2] = 110.75;
	c[2] = 109.40;
	o[3] = 111.24;
	return test_frame(20, o, NULL, NULL, c);
}

static void
buy_then_close(th_ctx *ctx, int call)
{
	if (call == 1)
		ck_assert_int_eq(th_buy(ctx), TH_OK);
	else if (call == 2)
		ck_assert_int_eq(th_position_close(ctx, 1.0), TH_OK);
}

#define ck_assert_close(x, y, tol) \
	ck_assert_msg(fabs((x) - (y)) <= (tol), "%.10f != %.10f", (x), (y))

START_TEST(spread_and_commission)
{
	data = goog_like();
	opt.broker.spread = .01;
	opt.broker.commission_rate = .01;
	next_fn = buy_then_close;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_double_eq(res.trades[0].size, 88);
	ck_assert_close(res.trades[0].entry_price, 111.8575, 1e-9);
	ck_assert_close(res.equity[2], 9685.3054, 1e-4);
	ck_assert_close(res.equity[3], 9749.3342, 1e-4);
	ck_assert_close(res.trades[0].commission, 196.3258, 1e-4);
	ck_assert_close(res.trades[0].pnl, -250.6658, 1e-4);
}
END_TEST

/* Pitfall 5: the fixed fee is divided by the fraction when sizing. */
START_TEST(fixed_commission_sizing)
{
	data = goog_like();
	opt.broker.commission_fixed = 100;
	opt.broker.commission_rate = .01;
	next_fn = buy_then_close;
	run(NULL);
	ck_assert_double_eq(res.trades[0].size, 47);
	ck_assert_close(res.equity[2], 9784.4975, 1e-4);
	ck_assert_close(res.equity[3], 9718.6947, 1e-4);
	ck_assert_close(res.trades[0].commission, 304.3353, 1e-4);
}
END_TEST

static void
buy_100_tp3(th_ctx *ctx, int call)
{
	if (call == 1)
		buy(ctx, 100, 0, 3);
}

/* test_commissions: a TP limit on a bar that opens beyond it fills at the
 * open. */
START_TEST(commissions_and_tp_gap)
{
	double p[] = { 1, 1, 1, 2, 4, 1, 2 };

	data = test_frame(7, NULL, NULL, NULL, p);
	data->index_kind = FRAME_INDEX_INTEGER;
	opt.broker.cash = 5000;
	opt.broker.commission_fixed = 10;
	opt.broker.commission_rate = .01;
	next_fn = buy_100_tp3;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_uint_eq(res.trades[0].entry_bar, 2);
	ck_assert_uint_eq(res.trades[0].exit_bar, 4);
	ck_assert_double_eq(res.trades[0].exit_price, 4);
	ck_assert_close(res.trades[0].commission, 25.0, 1e-12);
	ck_assert_close(res.equity[6], 5275.0, 1e-9);
}
END_TEST

static void
two_buys_then_close_first(th_ctx *ctx, int call)
{
	struct th_trade_info t;

	if (call == 1) {
		buy(ctx, 1, 90, 0);
		buy(ctx, 1, 80, 0);
	} else if (call == 2 && ctx->api->trade_count(ctx, 0) == 2) {
		t.struct_size = sizeof t;
		ck_assert_int_eq(ctx->api->trade_get(ctx, 0, 0, &t), TH_OK);
		ck_assert_int_eq(ctx->api->trade_close(ctx, t.id, 1.0), TH_OK);
	}
}

static struct frame *
toc_frame(void)
{
	double c[] = { 100, 101, 102, 50, 51 }, o[5];
	int k;

	for (k = 0; k < 5; k++)
		o[k] = c[k] - 10;
	return test_frame(5, o, c, o, c);
}

/* test_trade_on_close_closes_trades_on_close, with trade_on_close. */
START_TEST(trade_on_close_fills)
{
	data = toc_frame();
	opt.broker.trade_on_close = 1;
	next_fn = two_buys_then_close_first;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 2);
	ck_assert_uint_eq(res.trades[0].entry_bar, 1);
	ck_assert_uint_eq(res.trades[0].exit_bar, 2);
	ck_assert_double_eq(res.trades[0].entry_price, 101);
	ck_assert_double_eq(res.trades[0].exit_price, 102);
	ck_assert_uint_eq(res.trades[1].entry_bar, 1);
	ck_assert_uint_eq(res.trades[1].exit_bar, 3);
	ck_assert_double_eq(res.trades[1].exit_price, 40);
	ck_assert_double_eq(res.trades[1].sl, 80);
}
END_TEST

/* The same without trade_on_close: both fill at O[2], exit at O[3]. */
START_TEST(market_fills_next_open)
{
	size_t k;

	data = toc_frame();
	next_fn = two_buys_then_close_first;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 2);
	for (k = 0; k < 2; k++) {
		ck_assert_uint_eq(res.trades[k].entry_bar, 2);
		ck_assert_uint_eq(res.trades[k].exit_bar, 3);
		ck_assert_double_eq(res.trades[k].entry_price, 92);
		ck_assert_double_eq(res.trades[k].exit_price, 40);
	}
}
END_TEST

static void
buy_at_100(th_ctx *ctx, int call)
{
	(void)call;
	if (th_at(th_close(ctx), 0) == 100 && ctx->api->trade_count(ctx, 0) == 0)
		buy(ctx, 1, 90, 0);
}

/* test_gh_521: a gapped SL exits at the open, and _trades.SL keeps 90. */
START_TEST(gapped_stop_loss)
{
	double p[] = { 100, 100, 100, 50, 50 };

	data = test_frame(5, NULL, NULL, NULL, p);
	opt.broker.cash = 100;
	opt.broker.trade_on_close = 1;
	next_fn = buy_at_100;
	run(NULL);
	ck_assert_uint_ge(res.ntrades, 1);
	ck_assert_double_eq(res.trades[0].exit_price, 50);
	ck_assert_double_eq(res.trades[0].sl, 90);
}
END_TEST

static void
buy_sl_tp(th_ctx *ctx, int call)
{
	if (call == 1)
		buy(ctx, 1, 95, 105);
}

/* When SL and TP could both fire on one bar, the SL wins (it is queued in
 * front), and a market entry's SL/TP fire on the entry bar itself. */
START_TEST(sl_before_tp_same_bar)
{
	double o[] = { 100, 100, 100, 100 }, h[] = { 100, 100, 110, 100 };
	double l[] = { 100, 100, 90, 100 }, c[] = { 100, 100, 100, 100 };

	data = test_frame(4, o, h, l, c);
	next_fn = buy_sl_tp;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_uint_eq(res.trades[0].entry_bar, 2);
	ck_assert_uint_eq(res.trades[0].exit_bar, 2);
	ck_assert_double_eq(res.trades[0].exit_price, 95);
	ck_assert_double_eq(res.trades[0].sl, 95);
	ck_assert_double_eq(res.trades[0].tp, 105);
}
END_TEST

static void
stop_limit_orders(th_ctx *ctx, int call)
{
	struct th_order_req r = { 0 };

	if (call != 1)
		return;
	r.size = 1;
	r.stop = 112;
	r.limit = 113;
	ck_assert_int_eq(th_buy_with(ctx, r), TH_OK);
	r.stop = 107;
	r.limit = 105;
	ck_assert_int_eq(th_sell_with(ctx, r), TH_OK);
}

/* test_stop_limit_order_price_is_stop_price (hedging keeps both). */
START_TEST(stop_limit_fills_at_stop)
{
	double o[] = { 110, 110, 110, 110 }, h[] = { 110, 110, 115, 110 };
	double l[] = { 110, 110, 104, 110 }, c[] = { 110, 110, 110, 110 };

	data = test_frame(4, o, h, l, c);
	opt.broker.hedging = 1;
	opt.finalize_trades = 1;
	next_fn = stop_limit_orders;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 2);
	ck_assert_double_eq(res.trades[0].entry_price, 112);
	ck_assert_double_eq(res.trades[1].entry_price, 107);
}
END_TEST

static void
limit_before_stop(th_ctx *ctx, int call)
{
	struct th_order_req r = { 0 };

	if (call != 1)
		return;
	r.size = 1;
	r.stop = 110;
	r.limit = 105;	/* below the stop: "limit before stop" */
	ck_assert_int_eq(th_buy_with(ctx, r), TH_OK);
}

/* Pitfall 15: not filled on the trigger bar; later a plain limit. */
START_TEST(stop_limit_limit_before_stop)
{
	double o[] = { 100, 100, 104, 108, 106 }, h[] = { 100, 100, 111, 109,
	    107 };
	double l[] = { 100, 100, 103, 106, 104 }, c[] = { 100, 100, 108, 107,
	    105 };

	data = test_frame(5, o, h, l, c);
	opt.finalize_trades = 1;
	next_fn = limit_before_stop;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_uint_eq(res.trades[0].entry_bar, 4);
	ck_assert_double_eq(res.trades[0].entry_price, 105);
}
END_TEST

static void
five_units_half_closes(th_ctx *ctx, int call)
{
	struct th_order_req r = { 0 };

	if (call == 1) {
		r.size = 5;
		r.tag = "t1";
		ck_assert_int_eq(th_buy_with(ctx, r), TH_OK);
	} else if (call == 2 || call == 3)
		ck_assert_int_eq(th_position_close(ctx, .5), TH_OK);
}

/* §3.12: round-half-to-even pieces 2, 2, 1; tags survive partial closes. */
START_TEST(partial_closes_round_half_even)
{
	double p[] = { 10, 10, 10, 10, 10, 10, 10 };
	size_t k;

	data = test_frame(7, NULL, NULL, NULL, p);
	opt.finalize_trades = 1;
	next_fn = five_units_half_closes;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 3);
	ck_assert_double_eq(res.trades[0].size, 2);
	ck_assert_double_eq(res.trades[1].size, 2);
	ck_assert_double_eq(res.trades[2].size, 1);
	for (k = 0; k < 3; k++)
		ck_assert_str_eq(res.trades[k].tag, "t1");
}
END_TEST

static void
three_buys_then_close(th_ctx *ctx, int call)
{
	struct th_order_req r = { 0 };
	static const char *tags[] = { "a", "b", "c" };
	int k;

	r.size = 1;
	if (call == 1)
		for (k = 0; k < 3; k++) {
			r.tag = tags[k];
			ck_assert_int_eq(th_buy_with(ctx, r), TH_OK);
		}
	else if (call == 2)
		ck_assert_int_eq(th_position_close(ctx, 1.0), TH_OK);
}

/* Pitfall 11: position.close() closes newest first. */
START_TEST(position_close_newest_first)
{
	double p[] = { 10, 10, 10, 10, 10 };

	data = test_frame(5, NULL, NULL, NULL, p);
	next_fn = three_buys_then_close;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 3);
	ck_assert_str_eq(res.trades[0].tag, "c");
	ck_assert_str_eq(res.trades[1].tag, "b");
	ck_assert_str_eq(res.trades[2].tag, "a");
}
END_TEST

static void
three_buys_only(th_ctx *ctx, int call)
{
	if (call == 1)
		three_buys_then_close(ctx, 1);
}

/* Finalize closes oldest first, at O[n-1]. */
START_TEST(finalize_exits_at_last_open)
{
	double o[] = { 10, 10, 10, 10, 12 }, c[] = { 10, 10, 10, 10, 11 };

	data = test_frame(5, o, NULL, NULL, c);
	opt.finalize_trades = 1;
	next_fn = three_buys_only;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 3);
	ck_assert_str_eq(res.trades[0].tag, "a");
	ck_assert_str_eq(res.trades[2].tag, "c");
	ck_assert_uint_eq(res.trades[0].exit_bar, 4);
	ck_assert_double_eq(res.trades[0].exit_price, 12);
	/* equity[n-1] is overwritten with the post-close cash. */
	ck_assert_double_eq(res.equity[4], 10000 + 3 * 2);
}
END_TEST

/* Pitfall 17: with trade_on_close, finalize exits at C[n-2], bar n-2. */
START_TEST(finalize_with_trade_on_close)
{
	double o[] = { 10, 10, 10, 10, 12 }, c[] = { 10, 10, 10, 13, 11 };

	data = test_frame(5, o, NULL, NULL, c);
	opt.finalize_trades = 1;
	opt.broker.trade_on_close = 1;
	next_fn = three_buys_only;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 3);
	ck_assert_uint_eq(res.trades[0].exit_bar, 3);
	ck_assert_double_eq(res.trades[0].exit_price, 13);
}
END_TEST

/* Pitfall 19: without finalize, open trades are not in _trades but their
 * P/L is in the equity curve. */
START_TEST(open_trades_not_reported)
{
	double o[] = { 10, 10, 10, 10, 12 }, c[] = { 10, 10, 10, 10, 11 };

	data = test_frame(5, o, NULL, NULL, c);
	next_fn = three_buys_only;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 0);
	ck_assert_double_eq(res.equity[4], 10000 + 3 * 1);
}
END_TEST

static void
two_buys_each_call(th_ctx *ctx, int call)
{
	if (call == 2) {
		buy(ctx, 1, 0, 0);
		buy(ctx, 1, 0, 0);
	} else if (call == 1)
		buy(ctx, 1, 0, 0);
}

/* Pitfall 12: exclusive_orders cancels while iterating, so with
 * [close, buy1] pending the walk skips buy1: both buys execute. */
START_TEST(exclusive_orders_skip_quirk)
{
	double p[] = { 10, 10, 10, 10, 10, 10 };

	data = test_frame(6, NULL, NULL, NULL, p);
	opt.broker.exclusive_orders = 1;
	opt.finalize_trades = 1;
	next_fn = two_buys_each_call;
	run(NULL);
	/* Trade 1 closed by the exclusive close; then two buys. */
	ck_assert_uint_eq(res.ntrades, 3);
	ck_assert_uint_eq(res.trades[0].exit_bar, 3);
	ck_assert_uint_eq(res.trades[1].entry_bar, 3);
	ck_assert_uint_eq(res.trades[2].entry_bar, 3);
}
END_TEST

static void
long_then_huge_sell(th_ctx *ctx, int call)
{
	if (call == 1)
		buy(ctx, 10, 0, 0);
	else if (call == 2)
		sell(ctx, 1000, 0, 0);
}

/* §3.9: netting closures are kept when the rest is cancelled for margin. */
START_TEST(margin_cancel_keeps_netting)
{
	double p[] = { 10, 10, 10, 10, 10, 10 };

	data = test_frame(6, NULL, NULL, NULL, p);
	opt.broker.cash = 200;
	next_fn = long_then_huge_sell;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_double_eq(res.trades[0].size, 10);
	ck_assert_uint_eq(res.trades[0].exit_bar, 3);
	ck_assert_double_eq(res.equity[5], 200);
}
END_TEST

static void
full_long_then_fraction_sell(th_ctx *ctx, int call)
{
	if (call == 1)
		ck_assert_int_eq(th_buy(ctx), TH_OK);
	else if (call == 2)
		sell(ctx, .5, 0, 0);
}

/* Pitfall 10: a fractional sell while fully long trims instead of
 * reversing (here it rounds to 0 units and is cancelled). */
START_TEST(fractional_sell_does_not_reverse)
{
	double p[] = { 10, 10, 10, 10, 10, 10 };

	data = test_frame(6, NULL, NULL, NULL, p);
	opt.finalize_trades = 1;
	next_fn = full_long_then_fraction_sell;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 1);
	ck_assert_double_eq(res.trades[0].size, 999);
}
END_TEST

static void
hedged_three_longs(th_ctx *ctx, int call)
{
	if (call == 1) {
		buy(ctx, 3, 0, 0);
		buy(ctx, 3, 0, 0);
		buy(ctx, 3, 0, 0);
	}
}

/* §1.5: bankruptcy closes every other open trade and zeroes equity. */
START_TEST(bankruptcy)
{
	double o[] = { 10, 10, 10, 10, 1, 1 }, c[] = { 10, 10, 10, -100, 1, 1 };
	double h[] = { 10, 10, 10, 10, 1, 1 }, l[] = { 10, 10, 10, -100, 1, 1 };
	size_t k;

	data = test_frame(6, o, h, l, c);
	opt.broker.cash = 100;
	opt.finalize_trades = 1;
	next_fn = hedged_three_longs;
	run(NULL);
	ck_assert_uint_eq(res.ntrades, 2);
	for (k = 3; k < 6; k++)
		ck_assert_double_eq(res.equity[k], 0);
	ck_assert_int_eq(ncalls, 2);	/* no next() on the bankrupt bar */
}
END_TEST

static int warmup_handles[3];

static enum th_status
all_nan(const double *const *cols, size_t ncols, size_t n, double *out,
    void *user)
{
	(void)cols;
	(void)ncols;
	(void)n;
	(void)out;
	(void)user;
	return TH_OK;
}

static void
declare_warmup_indicators(th_ctx *ctx)
{
	struct th_indicator_def d;

	warmup_handles[0] = th_sma(ctx, NULL, 3);
	memset(&d, 0, sizeof d);
	d.struct_size = sizeof d;
	d.kind = TH_IND_SMA;
	d.period = 5;
	d.flags = TH_IND_NO_WARMUP;	/* scatter: ignored for warm-up */
	ck_assert_int_eq(ctx->api->indicator(ctx, &d, &warmup_handles[1]),
	    TH_OK);
	memset(&d, 0, sizeof d);
	d.struct_size = sizeof d;
	d.kind = TH_IND_CUSTOM;
	d.compute = all_nan;	/* an all-NaN indicator contributes 0 */
	d.name = "nan";
	ck_assert_int_eq(ctx->api->indicator(ctx, &d, &warmup_handles[2]),
	    TH_OK);
}

START_TEST(warmup_rules)
{
	double p[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	data = test_frame(8, NULL, NULL, NULL, p);
	init_fn = declare_warmup_indicators;
	run(NULL);
	ck_assert_uint_eq(res.warmup, 2);
	ck_assert_int_eq(first_bar, 3);
	ck_assert_str_eq(res.ind[0].name, "SMA(C,3)");
	ck_assert_uint_eq(res.nind, 3);
}
END_TEST

/* Pitfall 1: with no indicators the first next() is on bar 1, and next()
 * is called on the last bar too. */
START_TEST(no_indicators_start_at_bar_one)
{
	double p[] = { 1, 2, 3, 4 };

	data = test_frame(4, NULL, NULL, NULL, p);
	run(NULL);
	ck_assert_int_eq(first_bar, 1);
	ck_assert_int_eq(ncalls, 3);
	ck_assert_uint_eq(res.warmup, 0);
}
END_TEST

static void
views_end_at_current_bar(th_ctx *ctx, int call)
{
	struct th_series c = th_close(ctx);

	ck_assert_int_eq(c.n, ctx->api->bar(ctx) + 1);
	ck_assert_double_eq(th_at(c, 0), (double)call + 1);
	ck_assert(isnan(th_at(c, c.n)));
	ck_assert_int_eq(ctx->api->index(ctx).n, c.n);
}

START_TEST(no_look_ahead)
{
	double p[] = { 1, 2, 3, 4, 5 };

	data = test_frame(5, NULL, NULL, NULL, p);
	next_fn = views_end_at_current_bar;
	run(NULL);
	ck_assert_int_eq(ncalls, 4);
}
END_TEST

static void
bad_sl_long(th_ctx *ctx, int call)
{
	if (call == 2)
		ck_assert_int_eq(th_buy_with(ctx, (struct th_order_req){
		    .sl = 200 }), TH_ERR_INVALID);
}

/* An invalid order stops the run with a message naming bar and call. */
START_TEST(invalid_order_stops_run)
{
	double p[] = { 100, 100, 100, 100 };
	char *cause = NULL;

	data = test_frame(4, NULL, NULL, NULL, p);
	next_fn = bad_sl_long;
	ck_assert_int_eq(run(&cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "bar 2 (2020-01-03 00:00:00)"));
	ck_assert_ptr_nonnull(strstr(cause, "buy(): long orders require SL"));
	free(cause);
}
END_TEST

static void
bad_sizes(th_ctx *ctx, int call)
{
	(void)call;
	ck_assert_int_eq(th_buy_with(ctx, (struct th_order_req){
	    .size = 1.5 }), TH_ERR_INVALID);
}

START_TEST(invalid_size_stops_run)
{
	double p[] = { 100, 100, 100 };
	char *cause = NULL;

	data = test_frame(3, NULL, NULL, NULL, p);
	next_fn = bad_sizes;
	ck_assert_int_eq(run(&cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "whole number of units"));
	free(cause);
}
END_TEST

static void
order_in_init(th_ctx *ctx)
{
	ck_assert_int_eq(th_buy(ctx), TH_ERR_STATE);
}

START_TEST(order_in_init_refused)
{
	double p[] = { 100, 100, 100 };
	char *cause = NULL;

	data = test_frame(3, NULL, NULL, NULL, p);
	init_fn = order_in_init;
	ck_assert_int_eq(run(&cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "init: buy(): may only be called "
	    "in next()"));
	free(cause);
}
END_TEST

static void
set_sl_on_open_trade(th_ctx *ctx, int call)
{
	struct th_trade_info t;
	struct th_order_info o;

	if (call == 1)
		buy(ctx, 2, 0, 0);
	if (call != 2)
		return;
	t.struct_size = sizeof t;
	ck_assert_int_eq(ctx->api->trade_get(ctx, 0, 0, &t), TH_OK);
	ck_assert(isnan(t.sl));
	ck_assert_int_eq(ctx->api->trade_set_sl(ctx, t.id, 95), TH_OK);
	ck_assert_int_eq(ctx->api->trade_set_tp(ctx, t.id, 130), TH_OK);
	ck_assert_int_eq(ctx->api->order_count(ctx), 2);
	o.struct_size = sizeof o;
	ck_assert_int_eq(ctx->api->order_get(ctx, 0, &o), TH_OK);
	ck_assert(o.is_contingent);
	ck_assert_double_eq(o.stop, 95);	/* the SL is queued first */
	ck_assert_double_eq(o.size, -2);
	ck_assert_int_eq(ctx->api->trade_get(ctx, 0, 0, &t), TH_OK);
	ck_assert_double_eq(t.sl, 95);
	ck_assert_double_eq(t.tp, 130);
	ck_assert_int_eq(ctx->api->trade_set_sl(ctx, t.id, -1), TH_ERR_INVALID);
}

START_TEST(contingent_orders_settable)
{
	double o[] = { 100, 100, 100, 100, 100 }, h[] = { 100, 100, 100, 100,
	    100 };
	double l[] = { 100, 100, 100, 90, 100 }, c[] = { 100, 100, 100, 100,
	    100 };
	char *cause = NULL;

	data = test_frame(5, o, h, l, c);
	next_fn = set_sl_on_open_trade;
	ck_assert_int_eq(run(&cause), -1);	/* the sl = -1 misuse */
	ck_assert_ptr_nonnull(strstr(cause, "trade_set_sl"));
	free(cause);
}
END_TEST

static void
negative_sl(th_ctx *ctx, int call)
{
	if (call == 1)	/* passes the ordering check, fails on the fill */
		ck_assert_int_eq(th_buy_with(ctx, (struct th_order_req){
		    .size = 1, .sl = -5 }), TH_OK);
}

/* An SL outside (0, inf) stops the run on the fill bar, as Trade.sl's
 * assertion does inside the library's broker. */
START_TEST(invalid_sl_fails_on_fill)
{
	double p[] = { 100, 100, 100, 100 };
	char *cause = NULL;

	data = test_frame(4, NULL, NULL, NULL, p);
	next_fn = negative_sl;
	ck_assert_int_eq(run(&cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "bar 2 (2020-01-03 00:00:00): sl "
	    "must be 0 (none) or in (0, inf)"));
	free(cause);
}
END_TEST

static enum th_status
copy_first(const double *const *cols, size_t ncols, size_t n, double *out,
    void *user)
{
	(void)user;
	ck_assert_uint_eq(ncols, 2);
	memcpy(out, cols[0], n * sizeof *out);
	return TH_OK;
}

static void
declare_named_indicators(th_ctx *ctx)
{
	static const char *const inputs[] = { "Close", "Ценаакции" };
	static const char *const long_input[] = { "Open", "Сигналпокупки" };
	struct th_indicator_def d;
	int h;

	memset(&d, 0, sizeof d);
	d.struct_size = sizeof d;
	d.kind = TH_IND_CUSTOM;
	d.compute = copy_first;
	d.inputs = inputs;
	d.ninputs = 2;
	ck_assert_int_eq(ctx->api->indicator(ctx, &d, &h), TH_OK);
	d.inputs = long_input;
	ck_assert_int_eq(ctx->api->indicator(ctx, &d, &h), TH_OK);
}

/* Default names follow §2.1: λ(args), columns cut by characters. */
START_TEST(default_indicator_names)
{
	double p[] = { 1, 2, 3, 4 };
	double *extra = xmalloc(4 * sizeof *extra), *extra2 = xmalloc(32);

	data = test_frame(4, NULL, NULL, NULL, p);
	memcpy(extra, p, sizeof p);
	memcpy(extra2, p, sizeof p);
	frame_add_column(data, "Ценаакции", extra);
	frame_add_column(data, "Сигналпокупки", extra2);
	init_fn = declare_named_indicators;
	run(NULL);
	ck_assert_str_eq(res.ind[0].name, "λ(C,Ценаакции)");
	ck_assert_str_eq(res.ind[1].name, "λ(O,Сигналпок…)");
	ck_assert_double_eq(res.ind[0].values[3], 4);
}
END_TEST

Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "spread_and_commission", spread_and_commission },
		{ "fixed_commission_sizing", fixed_commission_sizing },
		{ "commissions_and_tp_gap", commissions_and_tp_gap },
		{ "trade_on_close_fills", trade_on_close_fills },
		{ "market_fills_next_open", market_fills_next_open },
		{ "gapped_stop_loss", gapped_stop_loss },
		{ "sl_before_tp_same_bar", sl_before_tp_same_bar },
		{ "stop_limit_fills_at_stop", stop_limit_fills_at_stop },
		{ "stop_limit_limit_before_stop",
		    stop_limit_limit_before_stop },
		{ "partial_closes", partial_closes_round_half_even },
		{ "position_close_order", position_close_newest_first },
		{ "finalize_exits_at_last_open", finalize_exits_at_last_open },
		{ "finalize_with_trade_on_close",
		    finalize_with_trade_on_close },
		{ "open_trades_not_reported", open_trades_not_reported },
		{ "exclusive_orders", exclusive_orders_skip_quirk },
		{ "margin_cancel_keeps_netting", margin_cancel_keeps_netting },
		{ "fractional_sell", fractional_sell_does_not_reverse },
		{ "bankruptcy", bankruptcy },
		{ "warmup_rules", warmup_rules },
		{ "no_indicators", no_indicators_start_at_bar_one },
		{ "no_look_ahead", no_look_ahead },
		{ "invalid_order", invalid_order_stops_run },
		{ "invalid_size", invalid_size_stops_run },
		{ "order_in_init", order_in_init_refused },
		{ "contingent_orders", contingent_orders_settable },
		{ "invalid_sl_on_fill", invalid_sl_fails_on_fill },
		{ "default_indicator_names", default_indicator_names },
	};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		TCase *tc = tcase_create(cases[k].name);

		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_set_timeout(tc, 10);
		tcase_add_test(tc, cases[k].test);
		suite_add_tcase(s, tc);
	}
	return s;
}
