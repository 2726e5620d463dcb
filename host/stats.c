/* compute_stats of backtesting.py (spec section 5).  Sums and means follow
 * numpy's pairwise summation and pandas' NaN skipping so that results agree
 * with the library to the last bits wherever it does not call BLAS. */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "timefmt.h"
#include "xmalloc.h"

#define DAY TIMEFMT_NS_PER_DAY
#define PW_BLOCKSIZE 128
#define NP_BUFSIZE 8192
#define PERIOD_TAIL 100

/* What the computation shares between its steps. */
struct calc {
	const struct run_result *r;
	const double *e;	/* equity */
	const double *close;
	const int64_t *index;
	size_t n;
	int datetime;
	double rf;
	int64_t period;		/* data period (datetime index) */
	struct drawdown dd;
	double ret_pct;		/* Return [%] */
	double bh_pct;		/* Buy & Hold Return [%] */
	struct stats *out;
};

/* A Python number that may be the int 0 geometric_mean() returns. */
struct pynum {
	double v;
	int is_int;
};

/* numpy's pairwise summation (loops_utils.h), blocks of 8 up to 128. */
static double
pairwise(const double *x, size_t n)
{
	double r[8], res;
	size_t i, j, n2;

	if (n < 8) {
		res = 0.;
		for (i = 0; i < n; i++)
			res += x[i];
		return res;
	}
	if (n <= PW_BLOCKSIZE) {
		for (j = 0; j < 8; j++)
			r[j] = x[j];
		for (i = 8; i < n - n % 8; i += 8)
			for (j = 0; j < 8; j++)
				r[j] += x[i + j];
		res = ((r[0] + r[1]) + (r[2] + r[3])) +
		    ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += x[i];
		return res;
	}
	n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise(x, n2) + pairwise(x + n2, n - n2);
}

/* np.add.reduce: from the identity 0.0, the pairwise sums of the
 * iterator's buffers of 8192 elements added in turn. */
static double
np_sum(const double *x, size_t n)
{
	double res = 0.0;
	size_t lo, len;

	for (lo = 0; lo < n; lo += NP_BUFSIZE) {
		len = n - lo < NP_BUFSIZE ? n - lo : NP_BUFSIZE;
		res += pairwise(x + lo, len);
	}
	return res;
}

/* Copies x with NaN replaced by 0 and returns how many were not NaN. */
static size_t
fill_nan(const double *x, size_t n, double *out)
{
	size_t k, count = 0;

	for (k = 0; k < n; k++) {
		out[k] = isnan(x[k]) ? 0.0 : x[k];
		count += !isnan(x[k]);
	}
	return count;
}

/* pandas Series.mean(): NaN skipped; NaN when no value is left. */
static double
nan_mean(const double *x, size_t n)
{
	double *v = xcalloc(n + 1, sizeof *v);
	size_t count = fill_nan(x, n, v);
	double sum = np_sum(v, n);

	free(v);
	return count == 0 ? NAN : sum / (double)count;
}

/* pandas Series.var(ddof=1), two-pass; NaN with fewer than 2 values. */
static double
nan_var(const double *x, size_t n)
{
	double *v = xcalloc(n + 1, sizeof *v);
	size_t k, count = fill_nan(x, n, v);
	double avg, res = NAN;

	if (count >= 2) {
		avg = np_sum(v, n) / (double)count;
		for (k = 0; k < n; k++)
			v[k] = isnan(x[k]) ? 0.0 : (avg - x[k]) * (avg - x[k]);
		res = np_sum(v, n) / (double)(count - 1);
	}
	free(v);
	return res;
}

/* pandas max() (sign 1) or min() (sign -1), NaN skipped. */
static double
nan_extreme(const double *x, size_t n, int sign)
{
	double best = NAN;
	size_t k;

	for (k = 0; k < n; k++)
		if (!isnan(x[k]) && (isnan(best) || sign * (x[k] - best) > 0))
			best = x[k];
	return best;
}

/* _stats.geometric_mean: NaN counts as a 0 return; the int 0 when any
 * 1 + x <= 0; NaN for no value. */
static struct pynum
geomean(const double *x, size_t n)
{
	struct pynum g = { NAN, 0 };
	double *lg = xcalloc(n + 1, sizeof *lg);
	size_t k;

	for (k = 0; k < n; k++) {
		lg[k] = (isnan(x[k]) ? 0.0 : x[k]) + 1;
		if (lg[k] <= 0) {
			g.v = 0;
			g.is_int = 1;
			goto out;
		}
		lg[k] = log(lg[k]);
	}
	if (n > 0)
		g.v = exp(np_sum(lg, n) / (double)n) - 1;
out:
	free(lg);
	return g;
}

/* Timedelta.ceil(unit) as pandas rounds: up to a multiple of unit. */
static int64_t
ceil_to(int64_t v, int64_t unit)
{
	int64_t rem = v % unit;

	if (rem < 0)
		rem += unit;
	return rem == 0 ? v : v + (unit - rem);
}

/* Timedelta.resolution_string of the data period as a unit in ns: the
 * smallest non-zero component, whole days when there is none. */
static int64_t
resolution(int64_t period)
{
	static const int64_t unit[] = {
		1, 1000, 1000000, INT64_C(1000000000), INT64_C(60000000000),
		INT64_C(3600000000000)
	};
	static const int64_t next[] = {
		1000, 1000, 1000, 60, 60, 24
	};
	int64_t p = period < 0 ? -period : period;
	size_t k;

	for (k = 0; k < sizeof unit / sizeof unit[0]; k++) {
		if (p % next[k] != 0)
			return unit[k];
		p /= next[k];
	}
	return DAY;
}

/* _round_timedelta for a duration in ns. */
static int64_t
round_up(const struct calc *c, int64_t v)
{
	return ceil_to(v, resolution(c->period));
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t
stats_data_period(const int64_t *index, size_t n)
{
	size_t first = n > PERIOD_TAIL ? n - PERIOD_TAIL : 0;
	size_t m = n - first - (n > 0), k;
	int64_t diff[PERIOD_TAIL], res;

	if (m == 0)
		return 0;
	for (k = 0; k < m; k++)
		diff[k] = index[first + k + 1] - index[first + k];
	qsort(diff, m, sizeof diff[0], cmp_i64);
	if (m % 2 == 1)
		return diff[m / 2];
	/* np.median averages the middle pair as doubles; Timedelta truncates */
	res = (int64_t)(((double)diff[m / 2 - 1] + (double)diff[m / 2]) / 2);
	return res;
}

static void
add_episode(struct drawdown *d, size_t a, size_t b)
{
	d->begin[d->nep] = a;
	d->end[d->nep] = b;
	d->peak[d->nep] = nan_extreme(d->dd + a, b - a + 1, 1);
	d->nep++;
}

/* Finds the episodes of d->dd (compute_drawdown_duration_peaks): between
 * consecutive bars at DD == 0 (and bar n-1) that are not adjacent. */
static void
find_episodes(struct drawdown *d)
{
	size_t k, prev = 0, n = d->n;
	int have_prev = 0;

	d->begin = xcalloc(n + 1, sizeof *d->begin);
	d->end = xcalloc(n + 1, sizeof *d->end);
	d->peak = xcalloc(n + 1, sizeof *d->peak);
	for (k = 0; k < n; k++) {
		if (!(d->dd[k] == 0) && k != n - 1)
			continue;
		if (have_prev && k > prev + 1)
			add_episode(d, prev, k);
		prev = k;
		have_prev = 1;
	}
}

void
stats_drawdown(const double *equity, size_t n, struct drawdown *d)
{
	double peak = NAN;
	size_t k;

	memset(d, 0, sizeof *d);
	d->n = n;
	d->dd = xcalloc(n + 1, sizeof *d->dd);
	for (k = 0; k < n; k++) {
		/* np.maximum.accumulate: a NaN sticks */
		if (k == 0 || isnan(equity[k]))
			peak = equity[k];
		else if (equity[k] > peak)
			peak = equity[k];
		d->dd[k] = 1 - equity[k] / peak;
	}
	find_episodes(d);
}

void
stats_drawdown_from(const double *dd, size_t n, struct drawdown *d)
{
	memset(d, 0, sizeof *d);
	d->n = n;
	d->dd = xcalloc(n + 1, sizeof *d->dd);
	if (n > 0)
		memcpy(d->dd, dd, n * sizeof *dd);
	find_episodes(d);
}

void
stats_drawdown_free(struct drawdown *d)
{
	free(d->dd);
	free(d->begin);
	free(d->end);
	free(d->peak);
	memset(d, 0, sizeof *d);
}

static void
put(struct calc *c, const char *key, enum stat_kind kind, double f,
    int64_t i)
{
	struct stat *st;

	if (c->out->n >= STATS_MAX)
		abort();
	st = &c->out->item[c->out->n++];
	st->key = key;
	st->kind = kind;
	st->f = f;
	st->i = i;
	st->s = NULL;
}

static void
put_float(struct calc *c, const char *key, double v)
{
	put(c, key, STAT_FLOAT, v, 0);
}

/* A Python number: an int when it came from the int 0 of geomean. */
static void
put_num(struct calc *c, const char *key, struct pynum v)
{
	if (v.is_int)
		put(c, key, STAT_INT, v.v, (int64_t)v.v);
	else
		put_float(c, key, v.v);
}

/* A time difference: a Timedelta for a datetime index, an int otherwise. */
static void
put_delta(struct calc *c, const char *key, int64_t v)
{
	put(c, key, c->datetime ? STAT_TIMEDELTA : STAT_INT, (double)v, v);
}

static void
span_stats(struct calc *c)
{
	enum stat_kind k = c->datetime ? STAT_TIMESTAMP : STAT_INT;

	put(c, "Start", k, (double)c->index[0], c->index[0]);
	put(c, "End", k, (double)c->index[c->n - 1], c->index[c->n - 1]);
	put_delta(c, "Duration", c->index[c->n - 1] - c->index[0]);
}

/* Share of bars inside [EntryBar, ExitBar] of some closed trade. */
static double
exposure(const struct calc *c)
{
	long *delta = xcalloc(c->n + 1, sizeof *delta);
	const struct trade_rec *t;
	size_t k, marked = 0;
	long depth = 0;

	for (k = 0; k < c->r->ntrades; k++) {
		t = &c->r->trades[k];
		if (t->entry_bar > t->exit_bar || t->entry_bar >= c->n)
			continue;
		delta[t->entry_bar]++;
		delta[t->exit_bar < c->n ? t->exit_bar + 1 : c->n]--;
	}
	for (k = 0; k < c->n; k++) {
		depth += delta[k];
		marked += depth > 0;
	}
	free(delta);
	return (double)marked / (double)c->n * 100;
}

/* Python's sum() of the trade commissions: left to right from int 0. */
static double
commissions(const struct run_result *r)
{
	double sum = 0;
	size_t k;

	for (k = 0; k < r->ntrades; k++)
		sum += r->trades[k].commission;
	return sum;
}

/* np.max: NaN propagates. */
static double
np_max(const double *x, size_t n)
{
	double m = x[0];
	size_t k;

	for (k = 0; k < n; k++) {
		if (isnan(x[k]))
			return NAN;
		if (x[k] > m)
			m = x[k];
	}
	return m;
}

static void
equity_stats(struct calc *c)
{
	const double *e = c->e;
	size_t w = c->r->warmup < c->n ? c->r->warmup : c->n - 1;
	double comm = commissions(c->r);

	put_float(c, "Exposure Time [%]", exposure(c));
	put_float(c, "Equity Final [$]", e[c->n - 1]);
	put_float(c, "Equity Peak [$]", np_max(e, c->n));
	if (comm != 0)
		put_float(c, "Commissions [$]", comm);
	c->ret_pct = (e[c->n - 1] - e[0]) / e[0] * 100;
	put_float(c, "Return [%]", c->ret_pct);
	c->bh_pct = (c->close[c->n - 1] - c->close[w]) / c->close[w] * 100;
	put_float(c, "Buy & Hold Return [%]", c->bh_pct);
}

/* A resampling bin of pandas' resample(freq): calendar day 'D', week
 * ending Sunday 'W', month 'M' or year 'A'.  Right-closed bins extend to
 * the end of their last day, so only the calendar day matters. */
static int64_t
bin_of(int64_t ns, int64_t freq_days)
{
	int64_t day = timefmt_day_of(ns);
	int y, m, d;

	if (freq_days == 7)
		return day + (6 - timefmt_weekday(day * DAY));
	if (freq_days != 31 && freq_days != 365)
		return day;
	timefmt_civil(day, &y, &m, &d);
	return freq_days == 31 ? (int64_t)y * 12 + m : y;
}

/* Period returns R: last equity of each non-empty bin, pct_change, NaN
 * results dropped.  Returns how many; *out is allocated. */
static size_t
period_returns(const struct calc *c, int64_t freq_days, double **out)
{
	double *last = xcalloc(c->n + 1, sizeof *last);
	double *ret = xcalloc(c->n + 1, sizeof *ret);
	double cur = NAN;
	size_t k, nb = 0, m = 0;

	for (k = 0; k < c->n; k++) {
		if (!isnan(c->e[k]))
			cur = c->e[k];
		if (k + 1 < c->n && bin_of(c->index[k], freq_days) ==
		    bin_of(c->index[k + 1], freq_days))
			continue;
		if (!isnan(cur))
			last[nb++] = cur;
		cur = NAN;
	}
	for (k = 1; k < nb; k++) {
		ret[m] = last[k] / last[k - 1] - 1;
		m += !isnan(ret[m]);
	}
	free(last);
	*out = ret;
	return m;
}

/* Periods per year A (spec 5.5). */
static double
periods_per_year(const struct calc *c, int64_t freq_days)
{
	size_t k, weekend = 0;

	if (freq_days == 7)
		return 52;
	if (freq_days == 31)
		return 12;
	if (freq_days == 365)
		return 1;
	for (k = 0; k < c->n; k++)
		weekend += timefmt_weekday(c->index[k]) >= 5;
	return (double)weekend / (double)c->n > 2.0 / 7 * .6 ? 365 : 252;
}

/* Sortino's downside deviation without sqrt(A): the root mean square of
 * min(R, 0) over all periods. */
static double
downside(const double *ret, size_t m)
{
	double *neg = xcalloc(m + 1, sizeof *neg);
	double res;
	size_t k;

	for (k = 0; k < m; k++)
		neg[k] = ret[k] < 0 ? ret[k] * ret[k] : 0.0;
	res = sqrt(nan_mean(neg, m));
	free(neg);
	return res;
}

/* CAGR [%] over the whole index: whole days plus the seconds of the rest
 * over 365.25; NaN for a zero span. */
static double
cagr(const struct calc *c)
{
	int64_t span = c->index[c->n - 1] - c->index[0];
	int64_t days = timefmt_day_of(span);
	int64_t secs = (span - days * DAY) / INT64_C(1000000000);
	double years = ((double)days + (double)secs / 86400) / 365.25;

	if (years == 0)
		return NAN;
	return (pow(c->e[c->n - 1] / c->e[0], 1 / years) - 1) * 100;
}

/* nan_to_num(max(DD)): the largest drawdown, 0 when undefined. */
static double
max_drawdown(const struct calc *c)
{
	double m = np_max(c->dd.dd, c->n);

	if (isnan(m))
		return 0;
	if (isinf(m))
		return m > 0 ? DBL_MAX : -DBL_MAX;
	return m;
}

static void
ratio_stats(struct calc *c, struct pynum ann, double vol_pct, double dn,
    double a)
{
	struct pynum ann_pct = { ann.v * 100, ann.is_int };
	double mdd = max_drawdown(c);

	put_num(c, "Return (Ann.) [%]", ann_pct);
	put_float(c, "Volatility (Ann.) [%]", vol_pct);
	if (c->datetime)
		put_float(c, "CAGR [%]", cagr(c));
	put_float(c, "Sharpe Ratio", (ann_pct.v - c->rf * 100) /
	    (vol_pct == 0 ? NAN : vol_pct));
	put_float(c, "Sortino Ratio", (ann.v - c->rf) / (dn * sqrt(a)));
	put_float(c, "Calmar Ratio", ann.v / (mdd == 0 ? NAN : mdd));
}

static void
annual_stats(struct calc *c)
{
	struct pynum g = { 0, 1 }, ann;
	double a = NAN, var = NAN, dn = NAN, vol, *ret = NULL;
	int64_t freq_days = c->period / DAY;
	size_t m;

	if (c->datetime) {
		m = period_returns(c, freq_days, &ret);
		a = periods_per_year(c, freq_days);
		g = geomean(ret, m);
		var = nan_var(ret, m);
		dn = downside(ret, m);
		free(ret);
	}
	/* (1 + g)**A - 1 stays the int 0 for an int g and an int A */
	ann.v = pow(1 + g.v, a) - 1;
	ann.is_int = g.is_int && c->datetime;
	vol = sqrt(pow(var + pow(1 + g.v, 2), a) - pow(1 + g.v, 2 * a)) * 100;
	ratio_stats(c, ann, vol, dn, a);
}

/* Sample covariance over sample variance of the per-bar log returns. */
static double
beta(const struct calc *c)
{
	size_t m = c->n - 1, k;
	double *x, *y, *p, mx, my, sxy, syy;

	if (c->n < 3)
		return NAN;
	x = xcalloc(m, sizeof *x);
	y = xcalloc(m, sizeof *y);
	p = xcalloc(m, sizeof *p);
	for (k = 0; k < m; k++) {
		x[k] = log(c->e[k + 1] / c->e[k]);
		y[k] = log(c->close[k + 1] / c->close[k]);
	}
	mx = np_sum(x, m) / (double)m;
	my = np_sum(y, m) / (double)m;
	for (k = 0; k < m; k++)
		p[k] = (x[k] - mx) * (y[k] - my);
	sxy = np_sum(p, m) / (double)(m - 1);
	for (k = 0; k < m; k++)
		p[k] = (y[k] - my) * (y[k] - my);
	syy = np_sum(p, m) / (double)(m - 1);
	free(x);
	free(y);
	free(p);
	return sxy / syy;
}

static void
market_stats(struct calc *c)
{
	double b = beta(c);

	put_float(c, "Alpha [%]", c->ret_pct - c->rf * 100 -
	    b * (c->bh_pct - c->rf * 100));
	put_float(c, "Beta", b);
}

/* The DrawdownDuration or peak series as backtesting.py holds it: values
 * at episode ends and NaN elsewhere, or dd with 0 -> NaN without episodes.
 * Durations are index differences as doubles. */
static double *
episode_series(const struct calc *c, int durations)
{
	const struct drawdown *d = &c->dd;
	double *v = xcalloc(c->n + 1, sizeof *v);
	size_t k;

	for (k = 0; k < c->n; k++)
		v[k] = d->nep == 0 && d->dd[k] != 0 ? d->dd[k] : NAN;
	for (k = 0; k < d->nep; k++)
		v[d->end[k]] = durations ? (double)(c->index[d->end[k]] -
		    c->index[d->begin[k]]) : d->peak[k];
	return v;
}

/* Max./Avg. Drawdown Duration for a datetime index with episodes: exact
 * Timedeltas, the mean truncated to ns, both rounded up. */
static void
dd_durations_delta(struct calc *c, const double *dur)
{
	const struct drawdown *d = &c->dd;
	int64_t mx = 0, v;
	size_t k;

	for (k = 0; k < d->nep; k++) {
		v = c->index[d->end[k]] - c->index[d->begin[k]];
		mx = k == 0 || v > mx ? v : mx;
	}
	put_delta(c, "Max. Drawdown Duration", round_up(c, mx));
	put_delta(c, "Avg. Drawdown Duration",
	    round_up(c, (int64_t)nan_mean(dur, c->n)));
}

static void
drawdown_stats(struct calc *c)
{
	double *dur = episode_series(c, 1);
	double *peak = episode_series(c, 0);

	put_float(c, "Max. Drawdown [%]", -max_drawdown(c) * 100);
	put_float(c, "Avg. Drawdown [%]", -nan_mean(peak, c->n) * 100);
	if (c->datetime && c->dd.nep > 0) {
		dd_durations_delta(c, dur);
	} else {
		put_float(c, "Max. Drawdown Duration",
		    nan_extreme(dur, c->n, 1));
		put_float(c, "Avg. Drawdown Duration", nan_mean(dur, c->n));
	}
	free(dur);
	free(peak);
}

static int64_t
trade_duration(const struct calc *c, const struct trade_rec *t)
{
	return c->index[t->exit_bar] - c->index[t->entry_bar];
}

/* Max./Avg. Trade Duration: Timedeltas rounded up, or for an integer
 * index an int maximum and a float mean; NaN without trades. */
static void
trade_durations(struct calc *c)
{
	size_t t, nt = c->r->ntrades;
	double *d = xcalloc(nt + 1, sizeof *d);
	int64_t mx = 0, v;

	for (t = 0; t < nt; t++) {
		v = trade_duration(c, &c->r->trades[t]);
		mx = t == 0 || v > mx ? v : mx;
		d[t] = (double)v;
	}
	if (nt == 0) {
		put_float(c, "Max. Trade Duration", NAN);
		put_float(c, "Avg. Trade Duration", NAN);
	} else if (c->datetime) {
		put_delta(c, "Max. Trade Duration", round_up(c, mx));
		put_delta(c, "Avg. Trade Duration",
		    round_up(c, (int64_t)nan_mean(d, nt)));
	} else {
		put(c, "Max. Trade Duration", STAT_INT, (double)mx, mx);
		put_float(c, "Avg. Trade Duration", nan_mean(d, nt));
	}
	free(d);
}

/* Copies the values of x that have the given sign (1 or -1). */
static size_t
select_sign(const double *x, size_t n, int sign, double *out)
{
	size_t k, m = 0;

	for (k = 0; k < n; k++)
		if (sign * x[k] > 0)
			out[m++] = x[k];
	return m;
}

/* Profit Factor on returns: gains over |losses|, NaN for no loss. */
static double
profit_factor(const double *ret, size_t n, double *tmp)
{
	double gains = np_sum(tmp, select_sign(ret, n, 1, tmp));
	double losses = fabs(np_sum(tmp, select_sign(ret, n, -1, tmp)));

	return gains / (losses == 0 ? NAN : losses);
}

/* SQN: sqrt(T) * mean(pl) / std(pl), a zero std giving NaN. */
static double
sqn(const double *pl, size_t n)
{
	double sd = sqrt(nan_var(pl, n));

	return sqrt((double)n) * nan_mean(pl, n) / (sd == 0 ? NAN : sd);
}

/* Kelly criterion from the win rate w (a fraction) and the mean win and
 * mean loss. */
static double
kelly(const double *pl, size_t n, double w, double *tmp)
{
	double win = nan_mean(tmp, select_sign(pl, n, 1, tmp));
	double loss = nan_mean(tmp, select_sign(pl, n, -1, tmp));

	return w - (1 - w) / (win / -loss);
}

static void
trade_returns(struct calc *c, const double *pl, const double *ret)
{
	size_t nt = c->r->ntrades, won = 0, k;
	double *tmp = xcalloc(nt + 1, sizeof *tmp);
	double w = NAN;
	struct pynum g = geomean(ret, nt);

	for (k = 0; k < nt; k++)
		won += pl[k] > 0;
	if (nt > 0)
		w = (double)won / (double)nt;
	put(c, "# Trades", STAT_INT, (double)nt, (int64_t)nt);
	put_float(c, "Win Rate [%]", w * 100);
	put_float(c, "Best Trade [%]", nan_extreme(ret, nt, 1) * 100);
	put_float(c, "Worst Trade [%]", nan_extreme(ret, nt, -1) * 100);
	g.v *= 100;
	put_num(c, "Avg. Trade [%]", g);
	trade_durations(c);
	put_float(c, "Profit Factor", profit_factor(ret, nt, tmp));
	put_float(c, "Expectancy [%]", nan_mean(ret, nt) * 100);
	put_float(c, "SQN", sqn(pl, nt));
	put_float(c, "Kelly Criterion", kelly(pl, nt, w, tmp));
	free(tmp);
}

static void
trade_stats(struct calc *c)
{
	size_t nt = c->r->ntrades, k;
	double *pl = xcalloc(nt + 1, sizeof *pl);
	double *ret = xcalloc(nt + 1, sizeof *ret);

	for (k = 0; k < nt; k++) {
		pl[k] = c->r->trades[k].pnl;
		ret[k] = c->r->trades[k].return_pct;
	}
	trade_returns(c, pl, ret);
	free(pl);
	free(ret);
}

/* pandas 1.5 infers the dtype of the stats Series from its first value:
 * with an integer index Start makes it int64 and Exposure Time upcasts it
 * to float64, so every number of it is a float (Start prints as 0.0). */
static void
upcast_ints(struct stats *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		if (s->item[k].kind == STAT_INT) {
			s->item[k].kind = STAT_FLOAT;
			s->item[k].f = (double)s->item[k].i;
		}
	}
}

void
stats_compute_rf(const struct run_result *r, double rf, struct stats *out)
{
	struct calc c;

	memset(&c, 0, sizeof c);
	memset(out, 0, sizeof *out);
	c.r = r;
	c.e = r->equity;
	c.close = r->data->cols[FRAME_CLOSE];
	c.index = r->data->index;
	c.n = r->data->n;
	c.datetime = r->data->index_kind == FRAME_INDEX_DATETIME;
	c.rf = rf;
	c.out = out;
	if (c.datetime)
		c.period = stats_data_period(c.index, c.n);
	stats_drawdown(c.e, c.n, &c.dd);
	span_stats(&c);
	equity_stats(&c);
	annual_stats(&c);
	market_stats(&c);
	drawdown_stats(&c);
	trade_stats(&c);
	if (!c.datetime)
		upcast_ints(out);
	stats_drawdown_free(&c.dd);
}

void
stats_compute(const struct run_result *r, struct stats *out)
{
	stats_compute_rf(r, 0, out);
}

const struct stat *
stats_find(const struct stats *s, const char *key)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		if (strcmp(s->item[k].key, key) == 0)
			return &s->item[k];
	return NULL;
}
