/* The Adam optimiser; see adam.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "simd.h"

int
dqn_adam_init(struct dqn_adam *a, size_t nparams, float lr,
    float clip_norm, char **cause)
{
	memset(a, 0, sizeof *a);
	if (!(lr > 0) || !(clip_norm >= 0))
		return dqn_fail(cause, "adam: need lr > 0 and clip_norm >= 0");
	a->m = calloc(nparams ? nparams : 1, sizeof *a->m);
	a->v = calloc(nparams ? nparams : 1, sizeof *a->v);
	if (a->m == NULL || a->v == NULL) {
		dqn_adam_free(a);
		return dqn_fail(cause, "adam: out of memory");
	}
	a->nparams = nparams;
	a->lr = lr;
	a->clip_norm = clip_norm;
	a->beta1 = 0.9;
	a->beta2 = 0.999;
	a->eps = 1e-8f;
	return 0;
}

void
dqn_adam_free(struct dqn_adam *a)
{
	free(a->m);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* The L2 norm in double with eight independent partial sums, added in a
 * fixed order: the loop vectorises and the result is the same whatever
 * the vector width. */
static double
norm2(const float *g, size_t n)
{
	double acc[8] = { 0 }, sum = 0;
	size_t i, l;

	for (i = 0; i + 8 <= n; i += 8) {
		for (l = 0; l < 8; l++)
			acc[l] += (double)g[i + l] * g[i + l];
	}
	for (; i < n; i++)
		acc[0] += (double)g[i] * g[i];
	for (l = 0; l < 8; l++)
		sum += acc[l];
	return sqrt(sum);
}

static void
clip(struct dqn_adam *a, float *grads)
{
	double norm = norm2(grads, a->nparams);
	float scale;
	size_t i;

	a->last_norm = (float)norm;
	if (!(norm > a->clip_norm))
		return;
	scale = (float)(a->clip_norm / norm);
	for (i = 0; i < a->nparams; i++)
		grads[i] *= scale;
}

/* The moments of a parameter whose gradient stays 0 decay geometrically
 * into subnormal floats, and arithmetic on those is tens of times slower
 * on common CPUs.  Flushing them to 0 from well above the subnormal range
 * costs nothing measurable in accuracy (the step they would cause is
 * at most 1e-21 lr) and, unlike setting the FPU's flush-to-zero mode,
 * touches no process-wide state. */
DQN_INLINE float
flush(float x)
{
	return fabsf(x) < 1e-30f ? 0.0f : x;
}

/* The update proper, split out so it can be multi-versioned. */
DQN_KERNEL static void
update(struct dqn_adam *a, float *restrict params, const float *restrict
    grads, float step, float rbc2)
{
	float *restrict m = a->m, *restrict v = a->v;
	const float b1 = (float)a->beta1, b2 = (float)a->beta2, eps = a->eps;
	const float c1 = (float)(1 - a->beta1), c2 = (float)(1 - a->beta2);
	size_t i;

	for (i = 0; i < a->nparams; i++) {
		m[i] = flush(b1 * m[i] + c1 * grads[i]);
		v[i] = flush(b2 * v[i] + c2 * grads[i] * grads[i]);
		params[i] -= step * m[i] / (sqrtf(v[i]) * rbc2 + eps);
	}
}

/* x^n by squaring: plain IEEE multiplications give the same bits on
 * every machine, which libm's pow() does not promise. */
static double
powu(double x, uint64_t n)
{
	double r = 1;

	for (; n != 0; n >>= 1, x *= x) {
		if (n & 1)
			r *= x;
	}
	return r;
}

void
dqn_adam_step(struct dqn_adam *a, float *params, float *grads)
{
	float step, rbc2;

	if (a->clip_norm > 0)
		clip(a, grads);
	a->t++;
	step = (float)(a->lr / (1.0 - powu(a->beta1, a->t)));
	rbc2 = (float)(1.0 / sqrt(1.0 - powu(a->beta2, a->t)));
	update(a, params, grads, step, rbc2);
}
