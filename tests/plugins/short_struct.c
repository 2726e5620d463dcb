/* A descriptor that claims to be smaller than ABI 1.0's struct th_plugin. */
#include <tradehost.h>

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
	.struct_size = 16,
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Short",
	.init = noop,
	.next = noop,
};
