/*
 * A multilayer perceptron in float32: ReLU on hidden layers, linear output.
 *
 * All parameters live in one float array, layer by layer: the weights of
 * layer l as a row-major [in][out] matrix (W[k][j] at woff[l] + k * out +
 * j, the weight from input k to output j), then its out biases at
 * boff[l].  grads has the same layout, so copying, saving and the
 * optimiser are flat loops over nparams floats.
 *
 * The kernels vectorise across outputs only and add the terms of every
 * sum in ascending input order without FMA, so the bits do not depend on
 * the vector width the compiler or the CPU picked (see simd.h).  Products
 * whose input is exactly 0 are skipped, since ReLU zeroes about half the
 * hidden inputs; that can only change the sign of an all-zero sum, or hide
 * a 0 * inf NaN.
 *
 * Not thread-safe: forward() writes per-network scratch.
 */
#ifndef DQN_MLP_H
#define DQN_MLP_H

#include <stddef.h>

#include "cause.h"
#include "rng.h"

#define DQN_MLP_MAX_LAYERS 8	/* weight layers, so up to 9 sizes */
#define DQN_MLP_MAX_WIDTH 4096
#define DQN_MLP_MAX_BATCH 4096

struct dqn_mlp {
	int	 nlayers;		/* weight layers = number of sizes - 1 */
	int	 sizes[DQN_MLP_MAX_LAYERS + 1];
	size_t	 nparams;
	float	*params;
	float	*grads;
	size_t	 woff[DQN_MLP_MAX_LAYERS];
	size_t	 boff[DQN_MLP_MAX_LAYERS];

	size_t	 max_batch;
	size_t	 batch;			/* rows of the last forward() */
	float	*act[DQN_MLP_MAX_LAYERS + 1]; /* input copy, layer outputs */
	float	*delta[2];		/* backward ping-pong, batch x widest */
	float	*wt;			/* one layer's weights transposed */
	float	*coef;			/* gathered nonzero coefficients */
	const float **rows;		/* and the rows they multiply */
	float	*scratch;		/* the allocation behind the above */
};

/* Creates a network with nsizes layer sizes (2..9, each 1..4096) that
 * accepts up to max_batch (1..4096) rows per call.  Weights are
 * He-uniform, U(-sqrt(6 / in), sqrt(6 / in)), drawn from rng layer by
 * layer in storage order; biases are 0.  Returns 0, or -1 with *cause set
 * and nothing to free. */
int	dqn_mlp_init(struct dqn_mlp *m, const int *sizes, int nsizes,
	    size_t max_batch, struct dqn_rng *rng, char **cause) DQN_WUR;
/* Releases everything init() allocated; safe on a zeroed struct. */
void	dqn_mlp_free(struct dqn_mlp *m);
/* Copies the parameters (not grads or scratch) of a network of the same
 * shape, the target-network sync; does nothing if the shapes differ. */
void	dqn_mlp_copy(struct dqn_mlp *dst, const struct dqn_mlp *src);
/* Nonzero when a and b have the same layer sizes. */
int	dqn_mlp_same_shape(const struct dqn_mlp *a, const struct dqn_mlp *b);

/* Runs batch rows (1..max_batch) of sizes[0] inputs each and returns
 * batch x sizes[nlayers] outputs, valid until the next forward().  Keeps
 * the activations for backward().  NULL when batch is out of range. */
const float *dqn_mlp_forward(struct dqn_mlp *m, const float *x,
	    size_t batch);
/* Adds to grads the gradient of a loss whose derivative with respect to
 * the last forward()'s outputs is dout (batch x sizes[nlayers]).  batch
 * must equal that forward()'s; otherwise nothing happens. */
void	dqn_mlp_backward(struct dqn_mlp *m, const float *dout, size_t batch);
void	dqn_mlp_zero_grad(struct dqn_mlp *m);

/* Index of the largest of n values, the lowest on ties; NaNs never win
 * over a number. */
int	dqn_argmax(const float *v, int n);

#endif
