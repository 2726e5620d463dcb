/* A plugin built for a future, incompatible ABI major version. */
#include <tradehost.h>

static enum th_status
noop(th_ctx *ctx, void *state)
{
	(void)ctx;
	(void)state;
	return TH_OK;
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR + 1,
	.abi_minor = 0,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "BadAbi",
	.init = noop,
	.next = noop,
};
