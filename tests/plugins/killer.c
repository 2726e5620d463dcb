/* A strategy that dies by SIGKILL at the bar $KILL_AT names (an
 * environment variable, not a parameter: the restart must run with the
 * same parameters), for the kill-and-restart
 * test of the state file.  It trades an SMA crossover but only every other
 * signal, remembered in its state block, so a restart that lost the state
 * block would trade differently; and it refuses to run a bar twice. */
#include <signal.h>
#include <stdlib.h>

#include <tradehost.h>

struct killer_state {
	int64_t last_bar;	/* the last bar next() saw */
	int64_t signals;	/* crossovers seen */
};

static const struct th_param_def params[] = {
	{ "fast", TH_PARAM_INT, 10, 1, 1000, NULL },
	{ "slow", TH_PARAM_INT, 30, 1, 1000, NULL },
	{ "size", TH_PARAM_REAL, 0, 0, 1e6, "order size (0 = all margin)" },
};

struct handles {
	int fast, slow;
};

static enum th_status
killer_init(th_ctx *ctx, void *state)
{
	struct killer_state *s = state;

	s->last_bar = -1;
	return th_sma(ctx, NULL, (uint32_t)th_param(ctx, "fast")) == 0 &&
	    th_sma(ctx, NULL, (uint32_t)th_param(ctx, "slow")) == 1 ? TH_OK :
	    TH_ERR_INVALID;
}

static enum th_status
killer_next(th_ctx *ctx, void *state)
{
	struct killer_state *s = state;
	int64_t bar = ctx->api->bar(ctx);
	struct th_series fast = th_values(ctx, 0), slow = th_values(ctx, 1);
	struct th_order_req req = { 0 };
	enum th_status st;

	if (bar <= s->last_bar) {
		ctx->api->log(ctx, TH_LOG_ERROR, "bar %lld after bar %lld",
		    (long long)bar, (long long)s->last_bar);
		return TH_ERR_STATE;
	}
	s->last_bar = bar;
	if (getenv("KILL_AT") != NULL && bar == atoll(getenv("KILL_AT")))
		raise(SIGKILL);
	if (!th_cross(fast, slow) || s->signals++ % 2 != 0)
		return TH_OK;
	req.size = th_param(ctx, "size");
	th_position_close(ctx, 1.0);
	st = th_crossover(fast, slow) ? th_buy_with(ctx, req) :
	    th_sell_with(ctx, req);
	/* A refusal by the risk gate is part of the game. */
	return st == TH_ERR_REFUSED ? TH_OK : st;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Killer",
	.version = "1",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct killer_state),
	.state_version = 1,
	.init = killer_init,
	.next = killer_next,
};
