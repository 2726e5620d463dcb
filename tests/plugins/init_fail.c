/* A strategy whose init() fails: the run must stop with a clear error. */
#include <tradehost.h>

static enum th_status
fail_init(th_ctx *ctx, void *state)
{
	(void)state;
	ctx->api->log(ctx, TH_LOG_ERROR, "refusing to start");
	return TH_ERR_INVALID;
}

static enum th_status
noop(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "InitFail",
	.init = fail_init,
	.next = noop,
};
