/* Benchmark: the sma strategy plugin over 10 M synthetic minute bars held
 * in memory.  Times engine_run() (indicators, the bar loop, the broker and
 * result collection; not data generation), prints the median of 5 runs in
 * bars per second.
 *
 *	usage: bench_sma [PLUGIN.so [BARS]]	(default strategies/sma.so, 10 M) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine.h"
#include "timefmt.h"

#define RUNS 5

/* Minute bars from 2000-01-03 whose price swings in trends around 100, so
 * that a long run neither drifts out of reach of the cash nor to zero. */
static struct frame *
synthetic(size_t n)
{
	struct frame *f = frame_new(n, FRAME_INDEX_DATETIME, "bench");
	int64_t t0 = timefmt_days(2000, 1, 3) * TIMEFMT_NS_PER_DAY;
	uint64_t s = 0x9e3779b97f4a7c15u;
	double price = 100, drift = 0, u;
	size_t i;

	for (i = 0; i < n; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		u = (double)(s >> 11) * 0x1p-53 - 0.5;
		if (i % 500 == 0)
			drift = u * 0.02 + (100 - price) * 0.0004;
		price += drift + u * 0.3;
		f->index[i] = t0 + (int64_t)i * 60000000000;
		f->cols[FRAME_OPEN][i] = price;
		f->cols[FRAME_HIGH][i] = price + 0.2;
		f->cols[FRAME_LOW][i] = price - 0.2;
		f->cols[FRAME_CLOSE][i] = price + u * 0.1;
		f->cols[FRAME_VOLUME][i] = 1000;
	}
	return f;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "strategies/sma.so";
	size_t nbars = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
	struct engine_options opt = { .broker = { .cash = 10000, .margin = 1 } };
	struct frame *data = synthetic(nbars);
	double secs[RUNS], t;
	struct run_result r;
	struct params params;
	struct plugin pl;
	char *cause = NULL;
	size_t trades = 0;
	int k;

	if (plugin_load(path, &pl, &cause) < 0) {
		fprintf(stderr, "bench_sma: %s\n", cause);
		return 1;
	}
	params_init(&params, pl.desc);
	for (k = 0; k < RUNS; k++) {
		t = now();
		if (engine_run(&pl, &params, data, &opt, &r, &cause) < 0) {
			fprintf(stderr, "bench_sma: %s\n", cause);
			return 1;
		}
		secs[k] = now() - t;
		trades = r.ntrades;
		result_free(&r);
	}
	qsort(secs, RUNS, sizeof secs[0], cmp_double);
	printf("sma over %zu bars (%zu trades): median %.1f ms, %.1f M bars/s "
	    "(best %.1f, worst %.1f; %d runs)\n", nbars, trades,
	    secs[RUNS / 2] * 1e3, nbars / secs[RUNS / 2] / 1e6,
	    nbars / secs[0] / 1e6, nbars / secs[RUNS - 1] / 1e6, RUNS);
	params_free(&params);
	plugin_unload(&pl);
	frame_free(data);
	return 0;
}
