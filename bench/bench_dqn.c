/* Benchmark: the DQN core on one core.  Prints, each as the median of 5
 * runs:
 *	inference	forward of one state through the default 16-64-64-3
 *			network plus argmax (dqn_agent_act without
 *			exploring), calls per second;
 *	update		dqn_agent_update with batch 32 (sampling, target
 *			forward, online forward, Huber, backward, Adam),
 *			updates per second;
 *	step		dqn_agent_act exploring plus dqn_agent_observe with
 *			an update every step, environment steps per second.
 *
 *	usage: bench_dqn [SECONDS_PER_RUN]	(default 0.3) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dqn/agent.h"

#define RUNS 5
#define NSTATES 4096

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* States whose features look like the plugin's: sigmoids in (0, 1). */
static float *
make_states(int nf, struct dqn_rng *rng)
{
	float *s = malloc((size_t)NSTATES * (size_t)nf * sizeof *s);
	size_t i;

	for (i = 0; s != NULL && i < (size_t)NSTATES * (size_t)nf; i++)
		s[i] = (float)dqn_rng_uniform(rng);
	return s;
}

/* Runs body for about secs seconds, RUNS times; returns the median rate. */
static double
median_rate(double secs, long (*body)(struct dqn_agent *, const float *,
    long), struct dqn_agent *ag, const float *states)
{
	double rate[RUNS], t0, t;
	long n, done;
	int k;

	for (k = 0; k < RUNS; k++) {
		n = 1;
		do {	/* grow the batch of calls until it lasts long enough */
			n *= 2;
			t0 = now();
			done = body(ag, states, n);
			t = now() - t0;
		} while (t < secs && n < (1L << 30));
		rate[k] = (double)done / t;
	}
	qsort(rate, RUNS, sizeof rate[0], cmp_double);
	return rate[RUNS / 2];
}

/* Which copy of the kernels the loader picked (see dqn/simd.h). */
static const char *
kernels(void)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(DQN_NO_CLONES)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return "x86-64 AVX-512 clone";
	if (__builtin_cpu_supports("avx2"))
		return "x86-64 AVX2 clone";
	return "x86-64 baseline (SSE2)";
#else
	return "baseline";
#endif
}

static volatile long sink;

static long
run_inference(struct dqn_agent *ag, const float *states, long n)
{
	long i, sum = 0;
	int nf = ag->hp.sizes[0];

	for (i = 0; i < n; i++)
		sum += dqn_agent_act(ag, states + (i % NSTATES) * nf, 0);
	sink = sum;
	return n;
}

static long
run_update(struct dqn_agent *ag, const float *states, long n)
{
	long i;

	(void)states;
	for (i = 0; i < n; i++) {
		if (dqn_agent_update(ag) < 0)
			return 0;
	}
	return n;
}

static long
run_step(struct dqn_agent *ag, const float *states, long n)
{
	long i;
	int nf = ag->hp.sizes[0], a;
	const float *s, *s2;

	for (i = 0; i < n; i++) {
		s = states + (i % NSTATES) * nf;
		s2 = states + ((i + 1) % NSTATES) * nf;
		a = dqn_agent_act(ag, s, 1);
		dqn_agent_observe(ag, s, a, s[a] > 0.5f ? 1.0f : -0.1f, s2,
		    0);
	}
	return n;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? strtod(argv[1], NULL) : 0.3;
	struct dqn_hparams hp;
	struct dqn_agent ag;
	struct dqn_rng rng;
	char *cause = NULL;
	float *states;
	long i;

	dqn_hparams_default(&hp);
	hp.eps_decay = 1000;
	if (dqn_agent_init(&ag, &hp, 42, &cause) < 0) {
		fprintf(stderr, "bench_dqn: %s\n", cause);
		return 1;
	}
	dqn_rng_seed(&rng, 7);
	if ((states = make_states(hp.sizes[0], &rng)) == NULL)
		return 1;
	for (i = 0; i < 10000; i++)	/* fill the replay and move off init */
		run_step(&ag, states, 1);
	printf("dqn %d-%d-%d-%d, %zu parameters, kernels: %s\n", hp.sizes[0],
	    hp.sizes[1], hp.sizes[2], hp.sizes[3], ag.online.nparams,
	    kernels());
	printf("inference (batch 1 + argmax): %.0f calls/s\n",
	    median_rate(secs, run_inference, &ag, states));
	printf("training update (batch %u):   %.0f updates/s\n", hp.batch,
	    median_rate(secs, run_update, &ag, states));
	printf("act + observe (update each):  %.0f steps/s\n",
	    median_rate(secs, run_step, &ag, states));
	dqn_agent_free(&ag);
	free(states);
	return 0;
}
