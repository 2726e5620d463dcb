/* A random policy for the DQN learning test: each bar HOLD, BUY or SELL
 * with equal odds from a seeded generator, acted out as dqn.so acts
 * (BUY: be long, SELL: be short), so the two compare like for like. */
#include <tradehost.h>

struct random_state {
	uint64_t x;
};

static const struct th_param_def params[] = {
	{ "seed", TH_PARAM_INT, 1, 0, 1e9, NULL },
};

static enum th_status
random_init(th_ctx *ctx, void *state)
{
	struct random_state *s = state;

	s->x = (uint64_t)th_param(ctx, "seed") * 2 + 1;
	return TH_OK;
}

/* xorshift64 */
static unsigned
draw(struct random_state *s)
{
	s->x ^= s->x << 13;
	s->x ^= s->x >> 7;
	s->x ^= s->x << 17;
	return (unsigned)(s->x % 3);
}

static enum th_status
random_next(th_ctx *ctx, void *state)
{
	double pos = th_position(ctx).size;
	unsigned a = draw(state);

	if (a == 1 && pos <= 0) {
		if (pos < 0)
			th_position_close(ctx, 1.0);
		return th_buy(ctx);
	}
	if (a == 2 && pos >= 0) {
		if (pos > 0)
			return th_position_close(ctx, 1.0);
		return th_sell(ctx);
	}
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Random",
	.version = "1",
	.params = params,
	.nparams = 1,
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct random_state),
	.state_version = 1,
	.init = random_init,
	.next = random_next,
};
