/* Bars from trades or from finer bars: one forming bar per symbol, closed
 * when something of a later period arrives or when the clock passes its
 * end.  Pure arithmetic; the caller serializes access. */
#ifndef TH_AGGREGATE_H
#define TH_AGGREGATE_H

#include <stdint.h>

struct agg_bar {
	int64_t time;		/* period start, ns */
	double open, high, low, close, volume;
};

struct agg {
	int64_t gran;		/* period length, ns, > 0 */
	int forming;		/* cur holds a bar being built */
	struct agg_bar cur;
};

void agg_init(struct agg *a, int64_t gran);
/* Adds a trade (size 0 = a price-only update: prices, no volume) or a
 * finer closed bar.  Returns 1 with *out the bar it closed, 0 when nothing
 * closed, -1 when the input is older than the forming period (late: the
 * caller drops it). */
int agg_add_tick(struct agg *a, int64_t t, double price, double size,
    struct agg_bar *out);
int agg_add_bar(struct agg *a, const struct agg_bar *in, struct agg_bar *out);
/* Closes the forming bar when now >= its end + grace.  Returns 1 with
 * *out, else 0. */
int agg_flush(struct agg *a, int64_t now, int64_t grace, struct agg_bar *out);

#endif
