/*
 * Breakout: a Donchian-channel breakout that leaves only by an ATR
 * trailing stop, written against backtesting.py's lib.TrailingStrategy.
 *
 *	class Breakout(TrailingStrategy):
 *	    n = 20
 *	    atr_n = 14
 *	    trail_atr = 3.0
 *
 *	    def init(self):
 *	        super().init()
 *	        self.hh = self.I(MAX, self.data.High, self.n)
 *	        self.ll = self.I(MIN, self.data.Low, self.n)
 *	        self.set_atr_periods(self.atr_n)
 *	        self.set_trailing_sl(self.trail_atr)
 *
 *	    def next(self):
 *	        super().next()		# trails every open trade's SL
 *	        if not self.position:
 *	            if self.data.Close[-1] > self.hh[-2]:
 *	                self.buy()
 *	            elif self.data.Close[-1] < self.ll[-2]:
 *	                self.sell()
 *
 * with MAX/MIN = pd.Series(x).rolling(n).max()/.min().  The channel is
 * compared one bar back because it includes the current bar: a Close can
 * never exceed a maximum of Highs that contains its own bar.
 */
#include <float.h>

#include <tradehost.h>

struct breakout {
	int hh;			/* indicator handles */
	int ll;
	int atr;
	double trail_atr;	/* stop distance in ATRs */
};

/* trail_atr must be > 0; the host's bounds are inclusive, so the smallest
 * positive double stands for that. */
static const struct th_param_def params[] = {
	{ "n", TH_PARAM_INT, 20, 1, 1e6, "channel length in bars" },
	{ "atr_n", TH_PARAM_INT, 14, 1, 1e6, "ATR period in bars" },
	{ "trail_atr", TH_PARAM_REAL, 3.0, DBL_MIN, 1e6,
	    "trailing stop distance in ATRs (> 0)" },
};

/*
 * TrailingStrategy.init() and set_atr_periods():
 *
 *	hi, lo, c_prev = self.data.High, self.data.Low,
 *	    pd.Series(self.data.Close).shift(1)
 *	tr = np.max([hi - lo, (c_prev - hi).abs(), (c_prev - lo).abs()],
 *	    axis=0)
 *	atr = pd.Series(tr).rolling(periods).mean().bfill().values
 *
 * The ATR is a plain array, not self.I(): it must neither delay the first
 * next() nor show up as Entry_/Exit_ columns, hence the three flags.
 */
static int
declare_atr(th_ctx *ctx, uint32_t period)
{
	struct th_indicator_def def;
	int handle = -1;

	memset(&def, 0, sizeof def);
	def.struct_size = sizeof def;
	def.kind = TH_IND_ATR;
	def.period = period;
	def.flags = TH_IND_NO_WARMUP | TH_IND_BFILL | TH_IND_HIDDEN;
	if (ctx->api->indicator(ctx, &def, &handle) != TH_OK)
		return -1;
	return handle;
}

static enum th_status
breakout_init(th_ctx *ctx, void *state)
{
	struct breakout *s = state;
	uint32_t n = (uint32_t)th_param(ctx, "n");

	/* The ATR flags came with ABI 1.1; a 1.0 host would refuse them. */
	if (ctx->api->abi_minor < 1) {
		ctx->api->log(ctx, TH_LOG_ERROR, "needs a host of ABI 1.1 or "
		    "later (this one is 1.%u)", (unsigned)ctx->api->abi_minor);
		return TH_ERR_UNSUPPORTED;
	}
	s->hh = th_indicator(ctx, TH_IND_MAX, "High", n);
	s->ll = th_indicator(ctx, TH_IND_MIN, "Low", n);
	s->atr = declare_atr(ctx, (uint32_t)th_param(ctx, "atr_n"));
	s->trail_atr = th_param(ctx, "trail_atr");
	return s->hh >= 0 && s->ll >= 0 && s->atr >= 0 ? TH_OK :
	    TH_ERR_INVALID;
}

/* max(trade.sl or -np.inf, Close - dist) for a long, min(trade.sl or
 * np.inf, Close + dist) for a short.  Python's max(a, b) keeps a unless
 * b > a, so a NaN ATR never wins over a stop already set. */
static double
trailed_stop(const struct th_trade_info *t, double close, double dist)
{
	double cur, want;

	if (t->size > 0) {
		cur = isnan(t->sl) ? -INFINITY : t->sl;
		want = close - dist;
		return want > cur ? want : cur;
	}
	cur = isnan(t->sl) ? INFINITY : t->sl;
	want = close + dist;
	return want < cur ? want : cur;
}

/*
 * TrailingStrategy.next():
 *
 *	for trade in self.trades:
 *	    if trade.is_long:
 *	        trade.sl = max(trade.sl or -np.inf,
 *	            self.data.Close[index] - self.__atr[index] * self.__n_atr)
 *	    else:
 *	        trade.sl = min(trade.sl or np.inf,
 *	            self.data.Close[index] + self.__atr[index] * self.__n_atr)
 *
 * The assignment re-places the SL order even when the value is unchanged.
 * A stop outside (0, inf) fails the run, as Trade.sl's assertion does; 0
 * is checked here because trade_set_sl() would take it as "remove".
 */
static enum th_status
trail(th_ctx *ctx, const struct breakout *s)
{
	double close = th_at(th_close(ctx), 0);
	double dist = th_at(th_values(ctx, s->atr), 0) * s->trail_atr;
	int64_t k, n = ctx->api->trade_count(ctx, 0);
	struct th_trade_info t;
	enum th_status st;
	double sl;

	for (k = 0; k < n; k++) {
		memset(&t, 0, sizeof t);
		t.struct_size = sizeof t;
		if ((st = ctx->api->trade_get(ctx, 0, k, &t)) != TH_OK)
			return st;
		sl = trailed_stop(&t, close, dist);
		if (!(sl > 0 && sl < INFINITY)) {
			ctx->api->log(ctx, TH_LOG_ERROR, "trade %llu: trailing "
			    "stop %g is not in (0, inf)",
			    (unsigned long long)t.id, sl);
			return TH_ERR_INVALID;
		}
		if ((st = ctx->api->trade_set_sl(ctx, t.id, sl)) != TH_OK)
			return st;
	}
	return TH_OK;
}

static enum th_status
breakout_next(th_ctx *ctx, void *state)
{
	const struct breakout *s = state;
	double close = th_at(th_close(ctx), 0);
	enum th_status st;

	if ((st = trail(ctx, s)) != TH_OK)
		return st;
	if (th_position(ctx).size != 0)		/* if not self.position: */
		return TH_OK;
	if (close > th_at(th_values(ctx, s->hh), 1))
		return th_buy(ctx);
	else if (close < th_at(th_values(ctx, s->ll), 1))
		return th_sell(ctx);
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Breakout",
	.version = "1.0",
	.description = "Donchian breakout with an ATR trailing stop "
	    "(lib.TrailingStrategy)",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct breakout),
	.state_version = 1,
	.init = breakout_init,
	.next = breakout_next,
};
