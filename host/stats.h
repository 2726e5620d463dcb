/* The statistics of a run, as backtesting.py's compute_stats returns them
 * (spec section 5): the same keys in the same order, the same formulas and
 * the same NaN conventions, for a datetime or an integer index. */
#ifndef TH_STATS_H
#define TH_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

#define STATS_MAX 40

/* The Python type a statistic has in backtesting.py, which decides how it
 * prints: a float (NaN included), an int, a Timestamp or a Timedelta (both
 * in nanoseconds), or a string. */
enum stat_kind {
	STAT_FLOAT,
	STAT_INT,
	STAT_TIMESTAMP,
	STAT_TIMEDELTA,
	STAT_STRING
};

struct stat {
	const char *key;	/* static, e.g. "Return [%]" */
	enum stat_kind kind;
	double f;		/* STAT_FLOAT */
	int64_t i;		/* STAT_INT, STAT_TIMESTAMP, STAT_TIMEDELTA */
	const char *s;		/* STAT_STRING; static */
};

struct stats {
	struct stat item[STATS_MAX];
	size_t n;
};

/* The drawdown of an equity curve (spec 5.1).  dd[k] = 1 - E[k] / peak[k]
 * is the DrawdownPct column.  Episode j runs from bar begin[j] (the last bar
 * at the peak, DD == 0) to bar end[j] (recovery, or n-1), with the largest
 * DD peak[j] in between; the DrawdownDuration column holds
 * index[end[j]] - index[begin[j]] at end[j].  With no episode (nep == 0)
 * backtesting.py uses dd with zeros replaced by NaN for both the durations
 * and the peaks. */
struct drawdown {
	size_t n;
	double *dd;
	size_t nep;
	size_t *begin;
	size_t *end;
	double *peak;
};

/* Fills d for equity[0..n-1]; free it with stats_drawdown_free. */
void stats_drawdown(const double *equity, size_t n, struct drawdown *d);
/* Fills d from a drawdown series dd[0..n-1] (copied), as backtesting.py's
 * compute_drawdown_duration_peaks(dd) does. */
void stats_drawdown_from(const double *dd, size_t n, struct drawdown *d);
void stats_drawdown_free(struct drawdown *d);

/* Computes every statistic of r with a risk-free rate of 0, as
 * Backtest.run() does.  Keys come in backtesting.py's order; "Commissions
 * [$]" is present only when the commissions sum is non-zero and "CAGR [%]"
 * only for a datetime index.  Kinds follow the Python types under pandas
 * 1.5: with an integer index every statistic is a float (the Series is
 * float64 until its private rows), and "Avg. Trade [%]" and "Return (Ann.)
 * [%]" are the int 0 when geometric_mean() met a return <= -100%.
 * r->data, r->equity and r->trades must be filled; r->ntrades may be 0. */
void stats_compute(const struct run_result *r, struct stats *out);
/* The same with risk-free rate rf, -1 < rf < 1 (lib.compute_stats). */
void stats_compute_rf(const struct run_result *r, double rf,
    struct stats *out);

/* Returns the statistic called key, or NULL. */
const struct stat *stats_find(const struct stats *s, const char *key);

/* The pandas data period of a datetime index (spec 5.5): the median of the
 * last 100 index differences, in nanoseconds, 0 for a single bar. */
int64_t stats_data_period(const int64_t *index, size_t n);

#endif
