/*
 * Deterministic pseudo-random numbers: xoshiro256** (Blackman and Vigna,
 * "Scrambled linear pseudorandom number generators", 2018), its 256-bit
 * state filled from the seed by splitmix64.  The same seed gives the same
 * sequence on every platform; only dqn_rng_normal() goes through libm and
 * may differ in the last bit between C libraries.
 */
#ifndef DQN_RNG_H
#define DQN_RNG_H

#include <stdint.h>

struct dqn_rng {
	uint64_t s[4];
};

/* Any seed is valid, 0 included. */
void		dqn_rng_seed(struct dqn_rng *r, uint64_t seed);
uint64_t	dqn_rng_u64(struct dqn_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double		dqn_rng_uniform(struct dqn_rng *r);
/* Uniform in [0, n) without modulo bias; 0 when n is 0. */
uint32_t	dqn_rng_below(struct dqn_rng *r, uint32_t n);
/* Standard normal (Box-Muller; one draw per call, the twin is dropped so
 * the generator carries no hidden state). */
float		dqn_rng_normal(struct dqn_rng *r);

#endif
