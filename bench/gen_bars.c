/* gen_bars N: writes N synthetic bars as CSV on stdout, in the shape of
 * GOOG.csv (",Open,High,Low,Close,Volume", prices in cents, whole volumes).
 * Up to DAILY_MAX bars are business days from 1990-01-01; more would pass
 * pandas' last Timestamp (2262-04-11), so longer series are hourly bars on
 * business days ("1990-01-01 00:00:00").  The output depends on N only.
 * bench_csv includes this file with GEN_BARS_NO_MAIN for gen_bars_write. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo.h"
#include "timefmt.h"

#define DAILY_MAX 70000
#define MAX_BARS 1500000

struct walk {
	uint64_t state;
	double price;
	double drift;
	int left;
};

/* Uniform in [-0.5, 0.5). */
static double
centered(struct walk *w)
{
	return (double)(demo_splitmix(&w->state) >> 11) * 0x1.0p-53 - 0.5;
}

static double
cents(double x)
{
	return (double)(int64_t)(x * 100 + 0.5) / 100;
}

static void
bar_print(FILE *fp, struct walk *w, const char *stamp)
{
	double o, c, h, l;

	if (w->left-- == 0) {
		w->left = 10 + (int)(demo_splitmix(&w->state) % 80);
		w->drift = centered(w) * 0.008;
		if ((w->price < 50 && w->drift < 0) ||
		    (w->price > 900 && w->drift > 0))
			w->drift = -w->drift;
	}
	o = w->price * (1 + 0.004 * centered(w));
	c = o * (1 + w->drift + 0.03 * centered(w));
	h = (o > c ? o : c) * (1 + 0.01 * (centered(w) + 0.5));
	l = (o < c ? o : c) * (1 - 0.01 * (centered(w) + 0.5));
	w->price = c;
	fprintf(fp, "%s,%.2f,%.2f,%.2f,%.2f,%" PRIu64 "\n", stamp, cents(o),
	    cents(h), cents(l), cents(c),
	    100000 + demo_splitmix(&w->state) % 9900000);
}

/* Writes the header and n bars (1 <= n <= MAX_BARS) to fp. */
static void
gen_bars_write(FILE *fp, long n)
{
	struct walk w = { 2148, 100, 0, 0 };
	int64_t day = timefmt_days(1990, 1, 1);
	int hourly = n > DAILY_MAX, y, m, d, hour = 0;
	char stamp[32];
	long i;

	fprintf(fp, ",Open,High,Low,Close,Volume\n");
	for (i = 0; i < n; i++) {
		while (timefmt_weekday(day * TIMEFMT_NS_PER_DAY) >= 5)
			day++;
		timefmt_civil(day, &y, &m, &d);
		if (hourly)
			snprintf(stamp, sizeof stamp, "%04d-%02d-%02d %02d:00:00",
			    y, m, d, hour);
		else
			snprintf(stamp, sizeof stamp, "%04d-%02d-%02d", y, m, d);
		bar_print(fp, &w, stamp);
		if (!hourly || ++hour == 24) {
			hour = 0;
			day++;
		}
	}
}

#ifndef GEN_BARS_NO_MAIN
int
main(int argc, char **argv)
{
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : -1;

	if (n < 1 || n > MAX_BARS) {
		fprintf(stderr, "usage: gen_bars N (1 <= N <= %d) > file.csv\n",
		    MAX_BARS);
		return 2;
	}
	gen_bars_write(stdout, n);
	return fflush(stdout) == 0 ? 0 : 1;
}
#endif
