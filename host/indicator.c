/* Built-in indicators.  The rolling kinds follow pandas 1.5 - 2.x
 * pandas/_libs/window/aggregations.pyx (roll_mean, roll_var,
 * _roll_min_max) with a fixed window: min_periods equals the window, values
 * are visited in order, removals before additions, and +-inf is treated as
 * NaN as pandas' _prep_values does before calling them.  The floating-point
 * operations are written in pandas' order; do not reassociate them. */
#include "indicator.h"

#include <math.h>
#include <stdlib.h>

#include "frame.h"
#include "xmalloc.h"

/* pandas roll_mean state: a Kahan sum with separate compensations for
 * additions and removals, the count of negative values (by sign bit) and
 * the length of the current run of equal values. */
struct roll_mean {
	double sum;
	double c_add;
	double c_rem;
	double prev;
	size_t nobs;
	size_t neg;
	size_t same;
};

/* pandas roll_var state: Welford mean and sum of squared deviations, each
 * direction with its own Kahan compensation; nobs is a double as in
 * pandas. */
struct roll_var {
	double nobs;
	double mean;
	double ssqdm;
	double c_add;
	double c_rem;
	double prev;
	size_t same;
};

/* A monotonic deque of indices into the series, in a power-of-two ring. */
struct mono_deque {
	size_t *idx;
	size_t mask;
	size_t head;
	size_t len;
};

static void
fill_nan(double *out, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		out[j] = NAN;
}

static inline void
mean_add(struct roll_mean *m, double v)
{
	double y, t;

	if (!isfinite(v))
		return;
	m->nobs++;
	y = v - m->c_add;
	t = m->sum + y;
	m->c_add = (t - m->sum) - y;
	m->sum = t;
	if (signbit(v))
		m->neg++;
	m->same = v == m->prev ? m->same + 1 : 1;
	m->prev = v;
}

static inline void
mean_remove(struct roll_mean *m, double v)
{
	double y, t;

	if (!isfinite(v))
		return;
	m->nobs--;
	y = -v - m->c_rem;
	t = m->sum + y;
	m->c_rem = (t - m->sum) - y;
	m->sum = t;
	if (signbit(v))
		m->neg--;
}

static inline double
mean_value(const struct roll_mean *m, size_t period)
{
	double r;

	if (m->nobs < period || m->nobs == 0)
		return NAN;
	r = m->sum / (double)m->nobs;
	if (m->same >= m->nobs)
		return m->prev;
	if (m->neg == 0 && r < 0)
		return 0;
	if (m->neg == m->nobs && r > 0)
		return 0;
	return r;
}

static void
mean_init(struct roll_mean *m)
{
	m->sum = m->c_add = m->c_rem = 0;
	m->prev = NAN;
	m->nobs = m->neg = m->same = 0;
}

void
indicator_sma(const double *x, size_t n, size_t period, double *out)
{
	struct roll_mean m;
	size_t j;

	if (period == 0 || period > n) {
		fill_nan(out, n);
		return;
	}
	if (period == 1) {
		/* pandas restarts the state at every bar of a 1-wide window. */
		for (j = 0; j < n; j++)
			out[j] = isfinite(x[j]) ? x[j] : NAN;
		return;
	}
	mean_init(&m);
	for (j = 0; j < period; j++) {
		mean_add(&m, x[j]);
		out[j] = mean_value(&m, period);
	}
	for (; j < n; j++) {
		mean_remove(&m, x[j - period]);
		mean_add(&m, x[j]);
		out[j] = mean_value(&m, period);
	}
}

void
indicator_ema(const double *x, size_t n, size_t period, double *out)
{
	struct roll_mean m;
	double alpha, beta;
	size_t j;

	if (period == 0 || period > n) {
		fill_nan(out, n);
		return;
	}
	mean_init(&m);
	for (j = 0; j < period; j++) {
		mean_add(&m, x[j]);
		out[j] = NAN;
	}
	out[period - 1] = mean_value(&m, period);
	alpha = 2.0 / (double)(period + 1);
	beta = 1.0 - alpha;
	for (j = period; j < n; j++)
		out[j] = alpha * x[j] + beta * out[j - 1];
}

/* numpy maximum: NaN wins. */
static inline double
max_nan(double a, double b)
{
	if (isnan(a) || a >= b)
		return a;
	return b;
}

void
indicator_bfill(double *v, size_t n)
{
	double next = NAN;
	size_t k;

	for (k = n; k > 0; k--) {
		if (isnan(v[k - 1]))
			v[k - 1] = next;
		else
			next = v[k - 1];
	}
}

void
indicator_true_range(const double *h, const double *l, const double *c,
    size_t n, double *out)
{
	size_t j;

	if (n == 0)
		return;
	out[0] = NAN;
	for (j = 1; j < n; j++) {
		double hl = h[j] - l[j];
		double hc = fabs(c[j - 1] - h[j]);
		double lc = fabs(c[j - 1] - l[j]);

		out[j] = max_nan(max_nan(hl, hc), lc);
	}
}

void
indicator_atr(const double *h, const double *l, const double *c,
    size_t n, size_t period, double *out)
{
	double *tr;

	if (n == 0)
		return;
	tr = xmalloc(n * sizeof *tr);
	indicator_true_range(h, l, c, n, tr);
	indicator_sma(tr, n, period, out);
	free(tr);
}

static void
deque_init(struct mono_deque *q, size_t period)
{
	size_t cap = 1;

	while (cap < period)
		cap <<= 1;
	q->idx = xmalloc(cap * sizeof *q->idx);
	q->mask = cap - 1;
	q->head = 0;
	q->len = 0;
}

/* Pops from the back every index whose value v dominates (>= for max,
 * <= for min, so the latest of equal values is kept, as in pandas), then
 * pushes j.  Inlined with a constant is_max. */
static inline void
deque_push(struct mono_deque *q, const double *x, size_t j, int is_max)
{
	double v = x[j];

	while (q->len > 0) {
		double b = x[q->idx[(q->head + q->len - 1) & q->mask]];

		if (is_max ? !(v >= b) : !(v <= b))
			break;
		q->len--;
	}
	q->idx[(q->head + q->len) & q->mask] = j;
	q->len++;
}

static inline void
rolling_extreme(const double *x, size_t n, size_t period, double *out,
    int is_max)
{
	struct mono_deque q;
	size_t valid_from = period - 1, j;

	if (period == 0 || period > n) {
		fill_nan(out, n);
		return;
	}
	deque_init(&q, period);
	for (j = 0; j < n; j++) {
		if (q.len > 0 && q.idx[q.head] + period <= j) {
			q.head = (q.head + 1) & q.mask;
			q.len--;
		}
		if (isfinite(x[j]))
			deque_push(&q, x, j, is_max);
		else {
			/* Every window holding j is NaN; older entries expire
			 * before the next valid bar. */
			q.len = 0;
			valid_from = j + period;
		}
		out[j] = j >= valid_from ? x[q.idx[q.head]] : NAN;
	}
	free(q.idx);
}

void
indicator_rolling_max(const double *x, size_t n, size_t period, double *out)
{
	rolling_extreme(x, n, period, out, 1);
}

void
indicator_rolling_min(const double *x, size_t n, size_t period, double *out)
{
	rolling_extreme(x, n, period, out, 0);
}

static inline void
var_add(struct roll_var *s, double v)
{
	double prev_mean, y, t;

	if (!isfinite(v))
		return;
	s->nobs = s->nobs + 1;
	s->same = v == s->prev ? s->same + 1 : 1;
	s->prev = v;
	prev_mean = s->mean - s->c_add;
	y = v - s->c_add;
	t = y - s->mean;
	s->c_add = (t + s->mean) - y;
	s->mean = s->mean + t / s->nobs;
	s->ssqdm = s->ssqdm + (v - prev_mean) * (v - s->mean);
}

static inline void
var_remove(struct roll_var *s, double v)
{
	double prev_mean, y, t;

	if (!isfinite(v))
		return;
	s->nobs = s->nobs - 1;
	if (s->nobs == 0) {
		s->mean = 0;
		s->ssqdm = 0;
		return;
	}
	prev_mean = s->mean - s->c_rem;
	y = v - s->c_rem;
	t = y - s->mean;
	s->c_rem = (t + s->mean) - y;
	s->mean = s->mean - t / s->nobs;
	s->ssqdm = s->ssqdm - (v - prev_mean) * (v - s->mean);
}

/* The standard deviation (ddof 1) of the current window, or NaN. */
static inline double
var_std(const struct roll_var *s, size_t period)
{
	double var;

	if (s->nobs < (double)period || s->nobs <= 1)
		return NAN;
	if (s->same >= s->nobs)
		return 0;
	var = s->ssqdm / (s->nobs - 1.0);
	return var < 0 ? 0 : sqrt(var);
}

void
indicator_rolling_std(const double *x, size_t n, size_t period, double *out)
{
	struct roll_var s = { 0, 0, 0, 0, 0, NAN, 0 };
	size_t j;

	if (period <= 1 || period > n) {
		fill_nan(out, n);
		return;
	}
	for (j = 0; j < period; j++) {
		var_add(&s, x[j]);
		out[j] = var_std(&s, period);
	}
	for (; j < n; j++) {
		var_remove(&s, x[j - period]);
		var_add(&s, x[j]);
		out[j] = var_std(&s, period);
	}
}

static int
bad_period(const char *name, size_t period, char **cause)
{
	if (period >= 1)
		return 0;
	if (cause != NULL)
		*cause = xasprintf("%s: period must be at least 1", name);
	return -1;
}

static int
compute_sma(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)f;
	if (bad_period("SMA", period, cause) != 0)
		return -1;
	indicator_sma(src, n, period, out);
	return 0;
}

static int
compute_ema(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)f;
	if (bad_period("EMA", period, cause) != 0)
		return -1;
	indicator_ema(src, n, period, out);
	return 0;
}

static int
compute_atr(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)src;
	if (bad_period("ATR", period, cause) != 0)
		return -1;
	indicator_atr(f->cols[FRAME_HIGH], f->cols[FRAME_LOW],
	    f->cols[FRAME_CLOSE], n, period, out);
	return 0;
}

static int
compute_max(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)f;
	if (bad_period("MAX", period, cause) != 0)
		return -1;
	indicator_rolling_max(src, n, period, out);
	return 0;
}

static int
compute_min(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)f;
	if (bad_period("MIN", period, cause) != 0)
		return -1;
	indicator_rolling_min(src, n, period, out);
	return 0;
}

static int
compute_std(const struct frame *f, const double *src, size_t n,
    size_t period, double *out, char **cause)
{
	(void)f;
	if (bad_period("STD", period, cause) != 0)
		return -1;
	indicator_rolling_std(src, n, period, out);
	return 0;
}

/*
 * Streams: the loops above, one bar at a time, from a kept state.
 */

struct indicator_stream {
	int kind;
	size_t period;
	size_t done;		/* bars computed */
	struct roll_mean m;	/* SMA, EMA's seed, ATR */
	struct roll_var v;	/* STD */
	double *tr;		/* ATR: the true ranges so far */
	size_t trcap;
};

struct indicator_stream *
indicator_stream_new(int kind, size_t period)
{
	struct indicator_stream *s = xcalloc(1, sizeof *s);

	s->kind = kind;
	s->period = period;
	mean_init(&s->m);
	s->v.prev = NAN;
	return s;
}

void
indicator_stream_free(struct indicator_stream *s)
{
	if (s == NULL)
		return;
	free(s->tr);
	free(s);
}

static double
mean_step(struct roll_mean *m, const double *x, size_t j, size_t period)
{
	if (period == 1)
		return isfinite(x[j]) ? x[j] : NAN;
	if (j >= period)
		mean_remove(m, x[j - period]);
	mean_add(m, x[j]);
	return mean_value(m, period);
}

static double
std_step(struct roll_var *v, const double *x, size_t j, size_t period)
{
	if (period <= 1)
		return NAN;
	if (j >= period)
		var_remove(v, x[j - period]);
	var_add(v, x[j]);
	return var_std(v, period);
}

static double
ema_step(struct indicator_stream *s, const double *x, size_t j,
    const double *out)
{
	double alpha = 2.0 / (double)(s->period + 1);

	if (j >= s->period)
		return alpha * x[j] + (1.0 - alpha) * out[j - 1];
	mean_add(&s->m, x[j]);
	return j + 1 == s->period ? mean_value(&s->m, s->period) : NAN;
}

/* A window holding a non-finite value is NaN, as the deque makes it. */
static double
extreme_step(const double *x, size_t j, size_t period, int is_max)
{
	double best;
	size_t k;

	if (j + 1 < period)
		return NAN;
	best = x[j];
	for (k = j + 1 - period; k <= j; k++) {
		if (!isfinite(x[k]))
			return NAN;
		if (is_max ? x[k] > best : x[k] < best)
			best = x[k];
	}
	return best;
}

static double
atr_step(struct indicator_stream *s, const struct frame *f, size_t j)
{
	const double *h = f->cols[FRAME_HIGH], *l = f->cols[FRAME_LOW];
	const double *c = f->cols[FRAME_CLOSE];

	if (j >= s->trcap) {
		s->trcap = s->trcap ? s->trcap * 2 : 256;
		s->tr = xreallocarray(s->tr, s->trcap, sizeof *s->tr);
	}
	s->tr[j] = j == 0 ? NAN : max_nan(max_nan(h[j] - l[j],
	    fabs(c[j - 1] - h[j])), fabs(c[j - 1] - l[j]));
	return mean_step(&s->m, s->tr, j, s->period);
}

void
indicator_stream_extend(struct indicator_stream *s, const struct frame *f,
    const double *src, size_t n, double *out)
{
	size_t j;

	for (j = s->done; j < n; j++)
		switch (s->kind) {
		case IND_SMA: out[j] = mean_step(&s->m, src, j, s->period);
			break;
		case IND_EMA: out[j] = ema_step(s, src, j, out); break;
		case IND_ATR: out[j] = atr_step(s, f, j); break;
		case IND_MAX: out[j] = extreme_step(src, j, s->period, 1);
			break;
		case IND_MIN: out[j] = extreme_step(src, j, s->period, 0);
			break;
		case IND_STD: out[j] = std_step(&s->v, src, j, s->period);
			break;
		default: out[j] = NAN; break;
		}
	s->done = n;
}

/* Indexed by kind - 1. */
static const struct indicator_def indicator_table[] = {
	{ IND_SMA, "SMA", 1, compute_sma },
	{ IND_EMA, "EMA", 1, compute_ema },
	{ IND_ATR, "ATR", 0, compute_atr },
	{ IND_MAX, "MAX", 1, compute_max },
	{ IND_MIN, "MIN", 1, compute_min },
	{ IND_STD, "STD", 1, compute_std },
};

const struct indicator_def *
indicator_lookup(int kind)
{
	size_t nkinds = sizeof indicator_table / sizeof indicator_table[0];

	if (kind < 1 || (size_t)kind > nkinds)
		return NULL;
	return &indicator_table[kind - 1];
}
