/* Benchmark: the sma strategy plugin over 10 M synthetic bars held in
 * memory.  Times engine_run() (indicators, the bar loop, the broker and
 * result collection; not data generation), prints the median of 5 runs in
 * bars per second.
 *
 *	usage: bench_sma [PLUGIN.so [BARS]]	(default strategies/sma.so, 10 M) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "demo.h"
#include "engine.h"

#define RUNS 5

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
	struct frame *data = demo_generate(nbars, DEMO_SEED);
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
