/* Sessions end to end through the SDK: several symbols on one timeline and
 * one account, the risk gate as a strategy meets it (refusal codes and
 * reasons, HALTED, the end-of-day flatten) and the audit rows each event
 * writes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "suites.h"
#include "testutil.h"
#include "timefmt.h"
#include "xmalloc.h"

#define HOUR INT64_C(3600000000000)
#define MINUTE (HOUR / 60)
/* 2024-01-02 00:00:00, a Tuesday */
#define T0 (INT64_C(19724) * TIMEFMT_NS_PER_DAY)

/* The scripted strategy: next_fn runs in every next(). */
static void (*next_fn)(th_ctx *ctx);

/* Every next() call as "SYMBOL@bar", in call order. */
static char calls[64][32];
static int ncalls;

static enum th_status
scripted_init(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

static enum th_status
scripted_next(th_ctx *ctx, void *state)
{
	(void)state;
	if (ncalls < 64)
		snprintf(calls[ncalls], sizeof calls[0], "%s@%lld",
		    th_symbol(ctx), (long long)ctx->api->bar(ctx));
	ncalls++;
	if (next_fn != NULL)
		next_fn(ctx);
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

static struct plugin pl;
static struct params params;
static struct session_options opt;
static struct risk_config risk;
static struct session sess;
static struct frame *frames[3];
static char *audit_path;
static struct audit audit;

static void
setup(void)
{
	char *cause = NULL;

	ck_assert_int_eq(plugin_from_desc(&scripted, &pl, &cause), 0);
	params_init(&params, pl.desc);
	memset(&opt, 0, sizeof opt);
	opt.engine.broker.cash = 10000;
	opt.engine.broker.margin = 1;
	memset(&risk, 0, sizeof risk);
	risk.trading_start = risk.trading_end = risk.flatten_at = -1;
	risk.risk_per_trade = 0.01;
	risk.atr_multiple = 2;
	memset(frames, 0, sizeof frames);
	next_fn = NULL;
	ncalls = 0;
	audit_path = NULL;
}

static void
teardown(void)
{
	size_t k;

	session_free(&sess);
	for (k = 0; k < 3; k++)
		frame_free(frames[k]);
	params_free(&params);
	plugin_unload(&pl);
	if (audit_path != NULL) {
		unlink(audit_path);
		free(audit_path);
	}
}

/* A frame of n bars at times t0 + k * step with the given closes (opens
 * equal to the previous close, so market orders fill there). */
static struct frame *
bars(size_t n, int64_t t0, int64_t step, const double *close)
{
	double *open = xcalloc(n, sizeof *open);
	struct frame *f;
	size_t k;

	for (k = 0; k < n; k++)
		open[k] = k > 0 ? close[k - 1] : close[0];
	f = test_frame(n, open, NULL, NULL, close);
	for (k = 0; k < n; k++)
		f->index[k] = t0 + (int64_t)k * step;
	free(open);
	return f;
}

static void
with_audit(void)
{
	char *cause = NULL;

	audit_path = test_temp_file("");
	unlink(audit_path);
	ck_assert_msg(audit_open(&audit, audit_path, 1, &cause) == 0, "%s",
	    cause);
	opt.audit = &audit;
}

/* Runs the session over frames[0..n-1] named A, B, C. */
static void
run(size_t n)
{
	static const char *const names[] = { "A", "B", "C" };
	char *cause = NULL;
	int rc;

	ck_assert_msg(session_init(&sess, &pl, &params, names,
	    (const struct frame *const *)frames, n, &opt, &cause) == 0, "%s",
	    cause);
	rc = session_run(&sess, &cause);
	ck_assert_msg(rc == 0, "%s", cause ? cause : "");
	if (opt.audit != NULL)
		audit_close(&audit);
}

/* The audit file's rows of a kind, each as its text. */
static int
audit_rows(const char *kind, char rows[][160], int max)
{
	FILE *f = fopen(audit_path, "r");
	char line[160], field[32];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "%*[^,],%*[^,],%31[^,]", field) == 1 ||
		    sscanf(line, ",%*[^,],%31[^,]", field) == 1) {
			if (strcmp(field, kind) == 0 && n < max)
				strcpy(rows[n++], line);
		}
	fclose(f);
	return n;
}

START_TEST(timeline_interleaves_symbols)
{
	static const double c[] = { 10, 11, 12, 13, 14 };
	int k;

	/* A trades every day, B every other day from day 1 on; C has a day
	 * of its own before everyone. */
	frames[0] = bars(5, T0, 24 * HOUR, c);
	frames[1] = bars(3, T0 + 24 * HOUR, 48 * HOUR, c);
	frames[2] = bars(2, T0 - 24 * HOUR, 24 * HOUR, c);
	run(3);
	/* next() starts at bar 1 of each (no warm-up): C's bar 1 is day 0. */
	{
		static const char *want[] = { "C@1", "A@1", "A@2", "A@3", "B@1",
		    "A@4", "B@2" };

		ck_assert_int_eq(ncalls, 7);
		for (k = 0; k < 7; k++)
			ck_assert_str_eq(calls[k], want[k]);
	}
	ck_assert_uint_eq(sess.step, 7);	/* days -1 .. 5 */
}
END_TEST

static void
buy_half(th_ctx *ctx)
{
	struct th_order_req req = { 0 };

	if (ctx->api->bar(ctx) == 1) {
		req.size = 0.5;
		ck_assert_int_eq(th_buy_with(ctx, req), TH_OK);
	}
}

START_TEST(one_account_for_all_symbols)
{
	static const double a[] = { 100, 100, 110, 120 };
	static const double b[] = { 50, 50, 40, 40 };
	struct run_result r;
	struct frame *tl;

	frames[0] = bars(4, T0, 24 * HOUR, a);
	frames[1] = bars(4, T0, 24 * HOUR, b);
	next_fn = buy_half;
	run(2);
	/* A buys half of 10000 of margin at 100: 50 units.  B, in the same
	 * step, sees 5000 of margin left and buys half: 2500 / 50 = 50. */
	ck_assert_uint_eq(sess.legs[0].broker.open.n, 1);
	ck_assert_double_eq(((struct trade *)
	    sess.legs[0].broker.open.v[0])->size, 50);
	ck_assert_double_eq(((struct trade *)
	    sess.legs[1].broker.open.v[0])->size, 50);
	tl = session_portfolio_result(&sess, &r);
	/* Equity at the last step: 10000 + 50 * 20 + 50 * -10 */
	ck_assert_double_eq(r.equity[3], 10500);
	ck_assert_str_eq(r.strategy, "Scripted[A,B]");
	result_free(&r);
	frame_free(tl);
}
END_TEST

/* Buys 10 units on every bar; records what the gate said. */
static int refusals;
static char last_refusal[160];

static void
buy_ten(th_ctx *ctx)
{
	struct th_order_req req = { 0 };
	enum th_status st;

	req.size = 10;
	st = th_buy_with(ctx, req);
	if (st == TH_ERR_REFUSED) {
		refusals++;
		ck_assert_ptr_nonnull(th_order_refusal(ctx));
		snprintf(last_refusal, sizeof last_refusal, "%s",
		    th_order_refusal(ctx));
	} else {
		ck_assert_int_eq(st, TH_OK);
		ck_assert_ptr_null(th_order_refusal(ctx));
	}
}

START_TEST(refusal_reaches_strategy_and_audit)
{
	static const double c[] = { 10, 10, 10, 10, 10, 10 };
	char rows[8][160];

	frames[0] = bars(6, T0 + 10 * HOUR, HOUR, c);
	risk.max_trades_per_day = 2;
	opt.risk = &risk;
	with_audit();
	refusals = 0;
	next_fn = buy_ten;
	run(1);
	ck_assert_int_eq(ncalls, 5);		/* the run went on */
	ck_assert_int_eq(refusals, 3);
	ck_assert_str_eq(last_refusal, "max_trades_per_day: 2 entries today");
	ck_assert_int_eq(audit_rows("refused", rows, 8), 3);
	ck_assert_ptr_nonnull(strstr(rows[0], ",A,buy,10.0,,,"
	    "max_trades_per_day: 2 entries today,"));
	ck_assert_int_eq(audit_rows("order", rows, 8), 2);
	ck_assert_ptr_nonnull(strstr(rows[0], "2024-01-02T11:00:00,order,A,"
	    "buy,10.0,,1,entry,10000.0"));
	ck_assert_int_eq(audit_rows("fill", rows, 8), 2);
	ck_assert_ptr_nonnull(strstr(rows[0], "2024-01-02T12:00:00,fill,A,"
	    "buy,10.0,10.0,1,entry,10000.0"));
	ck_assert_int_eq(audit_rows("start", rows, 8), 1);
	ck_assert_int_eq(audit_rows("stop", rows, 8), 1);
}
END_TEST

/* Buys at 14:00, then tries again on every bar. */
static void
buy_at_two(th_ctx *ctx)
{
	struct th_index ix = ctx->api->index(ctx);
	int64_t tod = ix.v[ix.n - 1] % TIMEFMT_NS_PER_DAY;

	if (tod == 14 * HOUR || tod >= 15 * HOUR + 30 * MINUTE)
		buy_ten(ctx);
}

START_TEST(flatten_at_end_of_day)
{
	/* 13:30 .. 16:30 every 30 minutes, two days. */
	double c[14];
	struct frame *f;
	char rows[8][160];
	size_t k;

	for (k = 0; k < 14; k++)
		c[k] = 10 + (double)k;
	f = bars(14, 0, 30 * MINUTE, c);
	for (k = 0; k < 14; k++)
		f->index[k] = T0 + (int64_t)(k / 7) * TIMEFMT_NS_PER_DAY +
		    13 * HOUR + 30 * MINUTE + (int64_t)(k % 7) * 30 * MINUTE;
	frames[0] = f;
	risk.flatten_at = 15 * 3600 + 30 * 60;
	opt.risk = &risk;
	with_audit();
	refusals = 0;
	last_refusal[0] = '\0';
	next_fn = buy_at_two;
	run(1);
	/* Day 1: bought at 14:00 (filled 14:30); the 15:30 bar flattens,
	 * the close fills at 16:00 (bar 5); buys at 15:30, 16:00, 16:30
	 * are refused.  Day 2 the same. */
	ck_assert_int_eq(audit_rows("flatten", rows, 8), 2);
	ck_assert_ptr_nonnull(strstr(rows[0], "2024-01-02T15:30:00,flatten"));
	ck_assert_int_eq(refusals, 6);
	ck_assert_str_eq(last_refusal, "flatten_at: flattened for the day");
	ck_assert_uint_eq(sess.legs[0].broker.closed.n, 2);
	ck_assert_uint_eq(sess.legs[0].broker.open.n, 0);
	ck_assert_int_eq(((struct trade *)sess.legs[0].broker.closed.v[0])->
	    exit_bar, 5);
	ck_assert_int_eq(audit_rows("order", rows, 8), 4);
	ck_assert_ptr_nonnull(strstr(rows[1], "2024-01-02T15:30:00,order,A,"
	    "sell,10.0,,"));
	ck_assert_ptr_nonnull(strstr(rows[1], ",flatten,"));
}
END_TEST

/* Buys on the first call, then tries to buy and to sell on the 4th. */
static enum th_status halted_buy, halted_sell;

static void
buy_then_try(th_ctx *ctx)
{
	struct th_order_req req = { 0 };

	req.size = 100;
	if (ctx->api->bar(ctx) == 1)
		ck_assert_int_eq(th_buy_with(ctx, req), TH_OK);
	if (ctx->api->bar(ctx) == 4) {
		req.size = 10;
		halted_buy = th_buy_with(ctx, req);
		halted_sell = th_sell_with(ctx, req);
	}
}

START_TEST(drawdown_halts_reduce_only)
{
	/* 100 units bought at 50; the close falls to 30: equity 8000, a
	 * drawdown of 20% from the peak of 10000. */
	static const double c[] = { 50, 50, 50, 40, 30, 30 };
	char rows[8][160];

	frames[0] = bars(6, T0 + 10 * HOUR, HOUR, c);
	risk.max_drawdown = 0.15;
	opt.risk = &risk;
	with_audit();
	next_fn = buy_then_try;
	run(1);
	ck_assert_int_eq(sess.risk.st.halt, RISK_HALT_DRAWDOWN);
	ck_assert_int_eq(halted_buy, TH_ERR_REFUSED);
	ck_assert_int_eq(halted_sell, TH_OK);	/* reducing */
	ck_assert_int_eq(audit_rows("halt", rows, 8), 1);
	ck_assert_ptr_nonnull(strstr(rows[0], "2024-01-02T14:00:00,halt,,,,,,"
	    "max_drawdown,8000.0"));
}
END_TEST

/* Bar 1: a far limit order and a market buy with a stop-loss; bar 2:
 * cancels the limit order; the stop-loss fills on bar 4. */
static uint64_t limit_id;

static void
cancel_and_stop(th_ctx *ctx)
{
	struct th_order_req req = { 0 };

	if (ctx->api->bar(ctx) == 1) {
		req.size = 5;
		req.limit = 1;
		ck_assert_int_eq(ctx->api->order(ctx, 1, &(struct
		    th_order_req){ .struct_size = sizeof req, .size = 5,
		    .limit = 1 }, &limit_id), TH_OK);
		req.limit = 0;
		req.sl = 8;
		ck_assert_int_eq(th_buy_with(ctx, req), TH_OK);
	}
	if (ctx->api->bar(ctx) == 2)
		ck_assert_int_eq(ctx->api->order_cancel(ctx, limit_id), TH_OK);
}

START_TEST(audit_cancel_and_stop_loss)
{
	static const double c[] = { 10, 10, 10, 9, 7, 7 };
	char rows[8][160];

	frames[0] = bars(6, T0, HOUR, c);
	with_audit();
	next_fn = cancel_and_stop;
	run(1);
	ck_assert_int_eq(audit_rows("cancel", rows, 8), 1);
	ck_assert_ptr_nonnull(strstr(rows[0], "2024-01-02T02:00:00,cancel,A,"
	    "buy,5.0,,1,strategy,"));
	ck_assert_int_eq(audit_rows("fill", rows, 8), 2);
	ck_assert_ptr_nonnull(strstr(rows[0], ",fill,A,buy,5.0,10.0,2,entry,"));
	/* The bar opens at 9, above the stop: filled at the stop. */
	ck_assert_ptr_nonnull(strstr(rows[1], "2024-01-02T04:00:00,fill,A,"
	    "sell,5.0,8.0,"));
	ck_assert_ptr_nonnull(strstr(rows[1], ",sl,"));
}
END_TEST

static double sized, symbol_ok;

static void
ask_helpers(th_ctx *ctx)
{
	sized = th_risk_units(ctx, 0, 0, 1.5);
	symbol_ok = strcmp(th_symbol(ctx), "A") == 0;
}

START_TEST(sdk_sizing_and_symbol)
{
	static const double c[] = { 10, 10, 10 };

	frames[0] = bars(3, T0, HOUR, c);
	risk.risk_per_trade = 0.02;
	opt.risk = &risk;
	next_fn = ask_helpers;
	run(1);
	/* 10000 * 2% / (2 * 1.5) = 66.7 */
	ck_assert_double_eq(sized, 66);
	ck_assert(symbol_ok);
}
END_TEST

START_TEST(mixed_indexes_refused)
{
	static const double c[] = { 10, 10, 10 };
	static const char *const names[] = { "A", "B" };
	char *cause = NULL;

	frames[0] = bars(3, T0, HOUR, c);
	frames[1] = bars(3, T0, HOUR, c);
	frames[1]->index_kind = FRAME_INDEX_INTEGER;
	ck_assert_int_eq(session_init(&sess, &pl, &params, names,
	    (const struct frame *const *)frames, 2, &opt, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "mix datetime and integer"));
	free(cause);
	memset(&sess, 0, sizeof sess);
}
END_TEST

Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, timeline_interleaves_symbols);
	tcase_add_test(tc, one_account_for_all_symbols);
	tcase_add_test(tc, refusal_reaches_strategy_and_audit);
	tcase_add_test(tc, flatten_at_end_of_day);
	tcase_add_test(tc, drawdown_halts_reduce_only);
	tcase_add_test(tc, audit_cancel_and_stop_loss);
	tcase_add_test(tc, sdk_sizing_and_symbol);
	tcase_add_test(tc, mixed_indexes_refused);
	suite_add_tcase(s, tc);
	return s;
}
