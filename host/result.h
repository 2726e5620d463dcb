/* What one backtest run produces: the input of stats.c and report.c. */
#ifndef TH_RESULT_H
#define TH_RESULT_H

#include <stddef.h>

#include "frame.h"

/* One closed trade (or closed piece of a trade), a row of backtesting.py's
 * _trades table. */
struct trade_rec {
	double size;		/* signed units, whole numbers */
	size_t entry_bar;	/* time index of the fill (spec 3.5 step 4) */
	size_t exit_bar;
	double entry_price;	/* spread-adjusted */
	double exit_price;	/* raw fill price */
	double sl;		/* NaN when none */
	double tp;		/* NaN when none */
	double pnl;		/* net of both commissions */
	double commission;	/* entry + exit part of this piece */
	double return_pct;	/* a fraction, like Trade.pl_pct */
	char *tag;		/* NULL when none; owned */
	char *symbol;		/* portfolio results only, else NULL; owned */
};

/* A declared indicator, for the Entry_<name>/Exit_<name> trade columns. */
struct result_indicator {
	char *name;		/* e.g. "SMA(C,10)"; owned */
	double *values;		/* full length data->n; owned */
};

struct run_result {
	const struct frame *data;	/* borrowed */
	double *equity;			/* data->n values after back-fill; owned */
	struct trade_rec *trades;	/* closed trades in closing order; owned */
	size_t ntrades;
	size_t warmup;			/* spec 2.2; Buy & Hold starts at C[warmup] */
	char *strategy;			/* "SmaCross(fast=10,slow=30)"; owned */
	struct result_indicator *ind;	/* in declaration order; owned */
	size_t nind;
};

void result_free(struct run_result *r);

#endif
