/* The multilayer perceptron; see mlp.h for layout and contracts. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.h"

/* Cache-line alignment: the rows of 16- and 64-wide layers never straddle
 * two lines, whatever the vector width. */
#define DQN_ALIGN 64

static float *
alloc_floats(size_t n)
{
	size_t bytes = n * sizeof(float);

	bytes = (bytes + DQN_ALIGN - 1) / DQN_ALIGN * DQN_ALIGN;
	return aligned_alloc(DQN_ALIGN, bytes == 0 ? DQN_ALIGN : bytes);
}

/* Lays out params and computes how many floats scratch needs. */
static size_t
layout(struct dqn_mlp *m, size_t *widest)
{
	size_t off = 0, act = 0, in, out;
	int l;

	*widest = (size_t)m->sizes[0];
	for (l = 0; l < m->nlayers; l++) {
		in = (size_t)m->sizes[l];
		out = (size_t)m->sizes[l + 1];
		m->woff[l] = off;
		m->boff[l] = off + in * out;
		off += in * out + out;
		if (out > *widest)
			*widest = out;
	}
	m->nparams = off;
	for (l = 0; l <= m->nlayers; l++)
		act += m->max_batch * (size_t)m->sizes[l];
	return act;
}

/* Points act, delta, wt and coef into one block; rows is separate since
 * it holds pointers. */
static int
alloc_scratch(struct dqn_mlp *m, size_t nact, size_t widest)
{
	size_t nrows = widest > m->max_batch ? widest : m->max_batch;
	size_t nwt = 0, n, off = 0;
	int l;

	for (l = 0; l < m->nlayers; l++) {
		n = (size_t)m->sizes[l] * (size_t)m->sizes[l + 1];
		if (n > nwt)
			nwt = n;
	}
	m->scratch = alloc_floats(nact + 2 * m->max_batch * widest + nwt +
	    nrows);
	m->rows = malloc(nrows * sizeof *m->rows);
	if (m->scratch == NULL || m->rows == NULL)
		return -1;
	for (l = 0; l <= m->nlayers; l++) {
		m->act[l] = m->scratch + off;
		off += m->max_batch * (size_t)m->sizes[l];
	}
	m->delta[0] = m->scratch + off;
	m->delta[1] = m->delta[0] + m->max_batch * widest;
	m->wt = m->delta[1] + m->max_batch * widest;
	m->coef = m->wt + nwt;
	return 0;
}

static void
he_uniform(struct dqn_mlp *m, struct dqn_rng *rng)
{
	size_t i, n;
	double limit;
	int l;

	for (l = 0; l < m->nlayers; l++) {
		limit = sqrt(6.0 / m->sizes[l]);
		n = (size_t)m->sizes[l] * (size_t)m->sizes[l + 1];
		for (i = 0; i < n; i++) {
			m->params[m->woff[l] + i] =
			    (float)((2.0 * dqn_rng_uniform(rng) - 1.0) * limit);
		}
	}
}

static int
check_shape(const int *sizes, int nsizes, size_t max_batch, char **cause)
{
	int i;

	if (nsizes < 2 || nsizes > DQN_MLP_MAX_LAYERS + 1) {
		return dqn_fail(cause, "network: %d layer sizes, need 2 to %d",
		    nsizes, DQN_MLP_MAX_LAYERS + 1);
	}
	for (i = 0; i < nsizes; i++) {
		if (sizes[i] < 1 || sizes[i] > DQN_MLP_MAX_WIDTH) {
			return dqn_fail(cause, "network: layer %d has size %d, "
			    "need 1 to %d", i, sizes[i], DQN_MLP_MAX_WIDTH);
		}
	}
	if (max_batch < 1 || max_batch > DQN_MLP_MAX_BATCH) {
		return dqn_fail(cause, "network: batch %zu, need 1 to %d",
		    max_batch, DQN_MLP_MAX_BATCH);
	}
	return 0;
}

int
dqn_mlp_init(struct dqn_mlp *m, const int *sizes, int nsizes,
    size_t max_batch, struct dqn_rng *rng, char **cause)
{
	size_t nact, widest;

	memset(m, 0, sizeof *m);
	if (check_shape(sizes, nsizes, max_batch, cause) < 0)
		return -1;
	m->nlayers = nsizes - 1;
	memcpy(m->sizes, sizes, (size_t)nsizes * sizeof *sizes);
	m->max_batch = max_batch;
	nact = layout(m, &widest);
	m->params = alloc_floats(m->nparams);
	m->grads = alloc_floats(m->nparams);
	if (m->params == NULL || m->grads == NULL ||
	    alloc_scratch(m, nact, widest) < 0) {
		nact = m->nparams;
		dqn_mlp_free(m);
		return dqn_fail(cause, "network: out of memory for %zu "
		    "parameters", nact);
	}
	memset(m->params, 0, m->nparams * sizeof *m->params);
	dqn_mlp_zero_grad(m);
	he_uniform(m, rng);
	return 0;
}

void
dqn_mlp_free(struct dqn_mlp *m)
{
	free(m->params);
	free(m->grads);
	free(m->scratch);
	free(m->rows);
	memset(m, 0, sizeof *m);
}

int
dqn_mlp_same_shape(const struct dqn_mlp *a, const struct dqn_mlp *b)
{
	return a->nlayers == b->nlayers && memcmp(a->sizes, b->sizes,
	    (size_t)(a->nlayers + 1) * sizeof a->sizes[0]) == 0;
}

void
dqn_mlp_copy(struct dqn_mlp *dst, const struct dqn_mlp *src)
{
	if (dqn_mlp_same_shape(dst, src))
		memcpy(dst->params, src->params, src->nparams * sizeof(float));
}

void
dqn_mlp_zero_grad(struct dqn_mlp *m)
{
	memset(m->grads, 0, m->nparams * sizeof *m->grads);
}

int
dqn_argmax(const float *v, int n)
{
	int i, best = 0;

	for (i = 1; i < n; i++) {
		if (v[i] > v[best] || (v[best] != v[best] && v[i] == v[i]))
			best = i;
	}
	return best;
}
