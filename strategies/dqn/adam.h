/*
 * Adam (Kingma and Ba, 2015) over a flat float array, in the form PyTorch
 * uses: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Optionally the gradient is first scaled so its global L2 norm is at
 * most clip_norm.  m, v and t are the whole state, so saving m and v
 * (nparams floats each) and t restores the optimiser exactly.
 */
#ifndef DQN_ADAM_H
#define DQN_ADAM_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"

struct dqn_adam {
	size_t	 nparams;
	float	 lr;
	double	 beta1;		/* 0.9; double so 1 - beta2 is exact enough */
	double	 beta2;		/* 0.999 */
	float	 eps;		/* 1e-8 */
	float	 clip_norm;	/* 0 = no clipping */
	uint64_t t;		/* steps taken */
	float	*m;
	float	*v;
	float	 last_norm;	/* gradient norm before clipping (clip only) */
};

/* Zero moments, t = 0, the given learning rate and clip_norm (0 for none)
 * and the default betas and eps, which the caller may overwrite before the
 * first step.  Returns 0, or -1 with *cause set. */
int	dqn_adam_init(struct dqn_adam *a, size_t nparams, float lr,
	    float clip_norm, char **cause) DQN_WUR;
/* One update of params from grads (both nparams long).  grads is scaled
 * in place when clipping applies. */
void	dqn_adam_step(struct dqn_adam *a, float *params, float *grads);
void	dqn_adam_free(struct dqn_adam *a);

#endif
