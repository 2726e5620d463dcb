/* A scripted strategy for the order-routing tests (tests/broker.sh): on
 * the first bar a limit buy of 10 units at half the Close, which never
 * fills; on the second the same order again, same limit (the duplicate-order guard
 * keeps it from the broker); on the fourth a market buy of 5 units with
 * a stop-loss and a take-profit a hair from the Close, so that the next
 * bars' range closes it through a contingent order. */
#include <tradehost.h>

struct orders_state {
	int bars;
	double limit;
};

static enum th_status
orders_init(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

static enum th_status
orders_next(th_ctx *ctx, void *state)
{
	struct orders_state *s = state;
	struct th_order_req req = { 0 };
	double close = th_at(th_close(ctx), 0);

	switch (++s->bars) {
	case 1:
		s->limit = close / 2;
		/* FALLTHROUGH */
	case 2:
		req.size = 10;
		req.limit = s->limit;
		return th_buy_with(ctx, req);
	case 4:
		req.size = 5;
		req.sl = close * 0.99999;
		req.tp = close * 1.00001;
		return th_buy_with(ctx, req);
	}
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Orders",
	.version = "1",
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct orders_state),
	.state_version = 1,
	.init = orders_init,
	.next = orders_next,
};
