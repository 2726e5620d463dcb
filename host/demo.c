#include "demo.h"

#include <math.h>

#include "frame.h"
#include "timefmt.h"

/* The random walk: a regime is a drift and a volatility held for a number
 * of bars; each bar gaps slightly from the last close, then moves. */
struct demo {
	uint64_t state;			/* splitmix64 state */
	double price;			/* last close before rounding */
	double drift;			/* mean return per bar */
	double vol;			/* return deviation per bar */
	size_t left;			/* bars left in the regime */
};

uint64_t
demo_splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1) from 53 random bits; exact. */
static double
uniform(struct demo *d)
{
	return (double)(demo_splitmix(&d->state) >> 11) * 0x1.0p-53;
}

/* Roughly standard normal (Irwin-Hall of 12), free of libm functions whose
 * last bit may differ between C libraries. */
static double
gauss(struct demo *d)
{
	double sum = 0;
	int i;

	for (i = 0; i < 12; i++)
		sum += uniform(d);
	return sum - 6;
}

static double
cents(double x)
{
	return round(x * 100) / 100;
}

/* Starts a regime of 15 to 90 bars; it turns up when the price is low and
 * down when it is high, so prices stay within a sensible band. */
static void
regime_next(struct demo *d)
{
	d->left = 15 + (size_t)(demo_splitmix(&d->state) % 76);
	d->drift = (uniform(d) - 0.5) * 0.008;
	d->vol = 0.008 + 0.012 * uniform(d);
	if (d->price < 40)
		d->drift = fabs(d->drift);
	else if (d->price > 400)
		d->drift = -fabs(d->drift);
}

static void
bar_next(struct demo *d, struct frame *f, size_t i)
{
	double o, c, h, l;

	if (d->left-- == 0) {
		regime_next(d);
		d->left--;
	}
	o = d->price * (1 + 0.002 * gauss(d));
	c = o * (1 + d->drift + d->vol * gauss(d));
	h = (o > c ? o : c) * (1 + 0.5 * d->vol * uniform(d));
	l = (o < c ? o : c) * (1 - 0.5 * d->vol * uniform(d));
	d->price = c;
	/* Rounding is monotonic, so l <= min(o, c) <= max(o, c) <= h holds
	 * for the rounded values too. */
	f->cols[FRAME_OPEN][i] = cents(o);
	f->cols[FRAME_HIGH][i] = cents(h);
	f->cols[FRAME_LOW][i] = cents(l);
	f->cols[FRAME_CLOSE][i] = cents(c);
	f->cols[FRAME_VOLUME][i] =
	    (double)(200000 + demo_splitmix(&d->state) % 1800000);
}

/* Monday 2010-01-04 and the business days after it. */
static void
index_fill(struct frame *f)
{
	int64_t day = timefmt_days(2010, 1, 4);
	size_t i;

	for (i = 0; i < f->n; i++, day++) {
		while (timefmt_weekday(day * TIMEFMT_NS_PER_DAY) >= 5)
			day++;
		f->index[i] = day * TIMEFMT_NS_PER_DAY;
	}
}

struct frame *
demo_generate(size_t nbars, uint64_t seed)
{
	struct demo d = { seed, 100, 0, 0, 0 };
	struct frame *f;
	size_t i;

	if (nbars == 0 || nbars > DEMO_MAX_BARS)
		return NULL;
	f = frame_new(nbars, FRAME_INDEX_DATETIME, "demo");
	index_fill(f);
	for (i = 0; i < nbars; i++)
		bar_next(&d, f, i);
	return f;
}
