/* A well-formed test strategy: buys one unit on its first next() and
 * closes it on the second.  Used by the loader and command-line tests. */
#include <tradehost.h>

struct good_state {
	int calls;
};

static const struct th_param_def params[] = {
	{ "units", TH_PARAM_INT, 1, 1, 100, "units to buy" },
};

static enum th_status
good_init(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

static enum th_status
good_next(th_ctx *ctx, void *state)
{
	struct good_state *s = state;
	struct th_order_req req = { 0 };

	if (s->calls++ == 0) {
		req.size = th_param(ctx, "units");
		return th_buy_with(ctx, req);
	}
	if (s->calls == 2)
		return th_position_close(ctx, 1.0);
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Good",
	.version = "1",
	.params = params,
	.nparams = 1,
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct good_state),
	.state_version = 1,
	.init = good_init,
	.next = good_next,
};
