/* Built-in indicators, computed once over the full series like
 * backtesting.py's I(): out[j] depends on x[0..j] only, and bars still in
 * warm-up hold NaN.  The rolling kinds reproduce pandas 1.5 - 2.x
 * Series.rolling(period) bit for bit, including pandas' treatment of +-inf
 * as missing (NaN).  Build with -ffp-contract=off and without -ffast-math.
 * All functions are [any-thread]: they keep no state between calls. */
#ifndef TH_INDICATOR_H
#define TH_INDICATOR_H

#include <stddef.h>

struct frame;

/* The numbers are part of the public SDK ABI (TH_IND_SMA = 1 ... in the
 * SDK header): never renumber, only append. */
enum indicator_kind {
	IND_SMA = 1,
	IND_EMA = 2,
	IND_ATR = 3,
	IND_MAX = 4,
	IND_MIN = 5,
	IND_STD = 6
};

struct indicator_def {
	int kind;			/* enum indicator_kind */
	const char *name;		/* "SMA", "EMA", "ATR", ... */
	int uses_source;		/* 0: reads the frame's H/L/C */
	/* Fills out[0..n) from src[0..n) (or from f when uses_source is 0,
	 * then n must be f->n).  Returns 0, or -1 with *cause (caller frees)
	 * when period is 0.  A period longer than n gives all NaN. */
	int (*compute)(const struct frame *f, const double *src, size_t n,
	    size_t period, double *out, char **cause);
};

/* Returns the static table entry for kind, or NULL for an unknown kind. */
const struct indicator_def *indicator_lookup(int kind);

/* The plain array functions below write out[0..n), which must not overlap
 * x.  A period of 0, or one longer than n, gives all NaN. */

/* pandas Series(x).rolling(period).mean(): out[j] for j >= period - 1 is
 * the mean of x[j-period+1 .. j] computed with pandas' streaming
 * Kahan-compensated roll_mean, NaN when the window holds a NaN or inf. */
void indicator_sma(const double *x, size_t n, size_t period, double *out);

/* Exponential moving average, TA-Lib convention: out[period-1] is
 * indicator_sma's value there, then out[j] = a * x[j] + (1 - a) * out[j-1]
 * with a = 2 / (period + 1), evaluated in that order.  Earlier bars are
 * NaN.  Not a rolling function: a NaN or inf in x at or after the seed
 * window propagates to every later bar. */
void indicator_ema(const double *x, size_t n, size_t period, double *out);

/* True range: out[0] = NaN (no previous close, as pandas' shift gives),
 * out[j] = max(h[j] - l[j], |c[j-1] - h[j]|, |c[j-1] - l[j]|), NaN when any
 * operand is NaN (numpy max semantics). */
/* pandas' Series.bfill(): each NaN takes the next valid value (leading
 * ones the first valid, trailing ones stay NaN). */
void indicator_bfill(double *v, size_t n);
void indicator_true_range(const double *h, const double *l, const double *c,
    size_t n, double *out);

/* Average true range: indicator_sma over indicator_true_range, so the
 * first valid bar is index period.  backtesting.py's TrailingStrategy also
 * back-fills its ATR; that is not done here. */
void indicator_atr(const double *h, const double *l, const double *c,
    size_t n, size_t period, double *out);

/* pandas rolling(period).max() / .min(), the current bar included: NaN
 * while fewer than period bars or while the window holds a NaN or inf.
 * Of equal values the latest wins (matters only for -0.0 vs 0.0). */
void indicator_rolling_max(const double *x, size_t n, size_t period,
    double *out);
void indicator_rolling_min(const double *x, size_t n, size_t period,
    double *out);

/* pandas rolling(period).std() with ddof = 1: sqrt of pandas' streaming
 * Welford/Kahan roll_var (pandas 1.5 - 2.x, with its same-value rule),
 * a negative variance clipped to 0.  period 1 gives all NaN. */
void indicator_rolling_std(const double *x, size_t n, size_t period,
    double *out);

/* A built-in indicator continued over a series that grows (live bars):
 * extending it over bars [done, n) gives, bit for bit, what compute()
 * over all n bars gives for them, in O(new bars) (O(period) each for MAX
 * and MIN), because it keeps the running state a full pass has there. */
struct indicator_stream;

struct indicator_stream *indicator_stream_new(int kind, size_t period);
/* Computes out[s->done .. n) from f's columns (src for the kinds that use
 * one); out[0 .. done) must hold the earlier values. */
void indicator_stream_extend(struct indicator_stream *s,
    const struct frame *f, const double *src, size_t n, double *out);
void indicator_stream_free(struct indicator_stream *s);

#endif
