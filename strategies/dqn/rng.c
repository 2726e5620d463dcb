/* xoshiro256** seeded by splitmix64; see rng.h. */
#include <math.h>
#include <stdint.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* splitmix64 never yields four zero words in a row, so the all-zero state
 * that xoshiro cannot leave is impossible. */
void
dqn_rng_seed(struct dqn_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t
dqn_rng_u64(struct dqn_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
dqn_rng_uniform(struct dqn_rng *r)
{
	return (double)(dqn_rng_u64(r) >> 11) * 0x1p-53;
}

/* Lemire's multiply-and-reject ("Fast random integer generation in an
 * interval", 2019): the product's high half is the result, and low halves
 * below 2^32 mod n are redrawn so every value has the same odds. */
uint32_t
dqn_rng_below(struct dqn_rng *r, uint32_t n)
{
	uint64_t m;
	uint32_t threshold;

	if (n == 0)
		return 0;
	m = (dqn_rng_u64(r) >> 32) * n;
	if ((uint32_t)m < n) {
		threshold = (uint32_t)-n % n;
		while ((uint32_t)m < threshold)
			m = (dqn_rng_u64(r) >> 32) * n;
	}
	return (uint32_t)(m >> 32);
}

float
dqn_rng_normal(struct dqn_rng *r)
{
	double u1 = 1.0 - dqn_rng_uniform(r);	/* (0, 1]: log() stays finite */
	double u2 = dqn_rng_uniform(r);

	return (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}
