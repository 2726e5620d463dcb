#include "aggregate.h"

void
agg_init(struct agg *a, int64_t gran)
{
	a->gran = gran;
	a->forming = 0;
}

static int64_t
period_of(const struct agg *a, int64_t t)
{
	int64_t p = t - t % a->gran;

	return t < 0 && t % a->gran != 0 ? p - a->gran : p;
}

/* Starts a new forming bar at period p, returning the previous one (if
 * any) in *out. */
static int
roll(struct agg *a, int64_t p, const struct agg_bar *first,
    struct agg_bar *out)
{
	int closed = a->forming;

	if (closed)
		*out = a->cur;
	a->cur = *first;
	a->cur.time = p;
	a->forming = 1;
	return closed;
}

static int
merge(struct agg *a, const struct agg_bar *in, struct agg_bar *out)
{
	int64_t p = period_of(a, in->time);

	if (a->forming && p < a->cur.time)
		return -1;
	if (!a->forming || p > a->cur.time)
		return roll(a, p, in, out);
	if (in->high > a->cur.high)
		a->cur.high = in->high;
	if (in->low < a->cur.low)
		a->cur.low = in->low;
	a->cur.close = in->close;
	a->cur.volume += in->volume;
	return 0;
}

int
agg_add_tick(struct agg *a, int64_t t, double price, double size,
    struct agg_bar *out)
{
	struct agg_bar b = { t, price, price, price, price, size };

	return merge(a, &b, out);
}

int
agg_add_bar(struct agg *a, const struct agg_bar *in, struct agg_bar *out)
{
	return merge(a, in, out);
}

int
agg_flush(struct agg *a, int64_t now, int64_t grace, struct agg_bar *out)
{
	if (!a->forming || now < a->cur.time + a->gran + grace)
		return 0;
	*out = a->cur;
	a->forming = 0;
	return 1;
}
