/* The backtest run loop: Backtest.run() of backtesting.py (spec 1.2). */
#ifndef TH_ENGINE_H
#define TH_ENGINE_H

#include "api.h"
#include "broker.h"
#include "frame.h"
#include "params.h"
#include "plugin.h"
#include "result.h"

struct engine_options {
	struct broker_config broker;
	int finalize_trades;
};

/* Runs one backtest of the plugin over data.  Returns 0 and fills *out
 * (free with result_free), or -1 with *cause naming the bar and the call
 * when the strategy failed or misused the API. */
int engine_run(const struct plugin *plugin, const struct params *params,
    const struct frame *data, const struct engine_options *opt,
    struct run_result *out, char **cause)
	__attribute__((warn_unused_result));

/* The warm-up of spec 2.2 over the indicators that count for it. */
size_t engine_warmup(const struct instance *in);

#endif
