/* Training a learning strategy (tradehost --episodes N): the backtest run
 * again and again over the first part of the data, each episode followed
 * by a validation pass over the rest; the plugin's model from the best
 * validation pass is written to the model file. */
#ifndef TH_TRAIN_H
#define TH_TRAIN_H

#include <stdio.h>

#include "engine.h"
#include "frame.h"
#include "params.h"
#include "plugin.h"

struct train_options {
	unsigned episodes;		/* >= 1 */
	double validation;		/* fraction of bars held out, (0, 1) */
	const char *select;		/* statistic to maximise, e.g.
					 * "Sharpe Ratio" */
	const char *model_path;		/* where the best model goes */
	FILE *progress;			/* progress lines; NULL = quiet */
};

/* Trains; returns 0 with the model written, or -1 with *cause (a plugin
 * that cannot learn, data too short, an unknown statistic, a failed
 * episode or save). */
int train_run(const struct plugin *pl, const struct params *params,
    const struct frame *data, const char *symbol,
    const struct engine_options *engine, const struct train_options *to,
    char **cause)
	__attribute__((warn_unused_result));

#endif
