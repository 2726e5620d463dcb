/* The synthetic streams' deterministic random walk (fixed seed). */
#include "replayd.h"

#define SYNTH_SEED 0x9e3779b97f4a7c15ULL

/* xorshift64*: the next pseudo-random number of *STATE. */
unsigned long long
synth_rand(unsigned long long *state)
{
	unsigned long long x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Step K of a walk that starts at 100 and moves at most 0.1% a step.
 * The last eight steps are kept, so near-sequential K is O(1); going back
 * further replays the walk from the start. */
double
synth_price(long k)
{
	double u;

	if (srv.walk_seed == 0 || k < srv.walk_index - 8) {
		srv.walk_seed = SYNTH_SEED;
		srv.walk = 100;
		srv.walk_index = 0;
	}
	while (srv.walk_index <= k) {
		u = (double)(synth_rand(&srv.walk_seed) >> 11) /
		    9007199254740992.0;
		srv.walk *= 1 + (u - 0.5) * 0.002;
		srv.walk_ring[srv.walk_index % 8] = srv.walk;
		srv.walk_index++;
	}
	return srv.walk_ring[k % 8];
}
