/*
 * SmaCross: backtesting.py's test-suite strategy, line for line.
 *
 *	class SmaCross(Strategy):
 *	    fast = 10
 *	    slow = 30
 *
 *	    def init(self):
 *	        self.sma1 = self.I(SMA, self.data.Close, self.fast)
 *	        self.sma2 = self.I(SMA, self.data.Close, self.slow)
 *
 *	    def next(self):
 *	        if crossover(self.sma1, self.sma2):
 *	            self.position.close()
 *	            self.buy()
 *	        elif crossover(self.sma2, self.sma1):
 *	            self.position.close()
 *	            self.sell()
 *
 * Three optional parameters, 0 (off) by default, make it useful beyond the
 * test suite: size (passed to buy/sell), sl_pct and tp_pct (stop-loss and
 * take-profit distances from the signal bar's Close).
 */
#include <tradehost.h>

struct sma_cross {
	int sma1;		/* indicator handles */
	int sma2;
	double size;		/* 0 = all available margin */
	double sl_pct;
	double tp_pct;
};

static const struct th_param_def params[] = {
	{ "fast", TH_PARAM_INT, 10, 1, 1e6, "fast SMA period" },
	{ "slow", TH_PARAM_INT, 30, 1, 1e6, "slow SMA period" },
	{ "size", TH_PARAM_REAL, 0, 0, 1e12,
	    "order size: (0,1) = fraction of margin, >= 1 = units, 0 = all" },
	{ "sl_pct", TH_PARAM_REAL, 0, 0, 0.999, "stop-loss distance, 0 = none" },
	{ "tp_pct", TH_PARAM_REAL, 0, 0, 1e6, "take-profit distance, 0 = none" },
};

static enum th_status
sma_init(th_ctx *ctx, void *state)
{
	struct sma_cross *s = state;

	s->sma1 = th_sma(ctx, "Close", (uint32_t)th_param(ctx, "fast"));
	s->sma2 = th_sma(ctx, "Close", (uint32_t)th_param(ctx, "slow"));
	s->size = th_param(ctx, "size");
	s->sl_pct = th_param(ctx, "sl_pct");
	s->tp_pct = th_param(ctx, "tp_pct");
	return s->sma1 >= 0 && s->sma2 >= 0 ? TH_OK : TH_ERR_INVALID;
}

/* buy() or sell() with the optional size and SL/TP around the Close. */
static enum th_status
enter(th_ctx *ctx, const struct sma_cross *s, int side)
{
	double close = th_at(th_close(ctx), 0);
	struct th_order_req req = { 0 };

	req.size = s->size;
	if (s->sl_pct > 0)
		req.sl = close * (1 - side * s->sl_pct);
	if (s->tp_pct > 0)
		req.tp = close * (1 + side * s->tp_pct);
	return side > 0 ? th_buy_with(ctx, req) : th_sell_with(ctx, req);
}

static enum th_status
sma_next(th_ctx *ctx, void *state)
{
	const struct sma_cross *s = state;
	struct th_series sma1 = th_values(ctx, s->sma1);
	struct th_series sma2 = th_values(ctx, s->sma2);

	if (th_crossover(sma1, sma2)) {
		th_position_close(ctx, 1.0);
		return enter(ctx, s, +1);
	} else if (th_crossover(sma2, sma1)) {
		th_position_close(ctx, 1.0);
		return enter(ctx, s, -1);
	}
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "SmaCross",
	.version = "1.0",
	.description = "SMA crossover, as in backtesting.py's test suite",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct sma_cross),
	.state_version = 1,
	.init = sma_init,
	.next = sma_next,
};
