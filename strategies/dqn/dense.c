/*
 * Forward and backward passes of the perceptron in mlp.h.  Every product
 * goes through accumulate(): y[j] += sum over i of coef[i] * rows[i][j],
 * the terms in ascending i.  Callers gather only nonzero coefficients, so
 * inputs zeroed by ReLU cost nothing, and the loop over j is unit-stride
 * and handles several rows per pass, so each y[j] is loaded and stored
 * once per several products.  The grouping never changes the order of
 * the additions, and without FMA that makes the result identical whatever
 * vector width the compiler (or the clone picked at load time) used.
 */
#include <stddef.h>
#include <string.h>

#include "mlp.h"
#include "simd.h"

DQN_INLINE void
axpy8(float *restrict y, const float *const *p, const float *a, size_t n)
{
	const float *restrict p0 = p[0], *restrict p1 = p[1];
	const float *restrict p2 = p[2], *restrict p3 = p[3];
	const float *restrict p4 = p[4], *restrict p5 = p[5];
	const float *restrict p6 = p[6], *restrict p7 = p[7];
	const float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	const float a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
	size_t j;

	for (j = 0; j < n; j++) {
		y[j] = y[j] + a0 * p0[j] + a1 * p1[j] + a2 * p2[j] +
		    a3 * p3[j] + a4 * p4[j] + a5 * p5[j] + a6 * p6[j] +
		    a7 * p7[j];
	}
}

DQN_INLINE void
axpy4(float *restrict y, const float *const *p, const float *a, size_t n)
{
	const float *restrict p0 = p[0], *restrict p1 = p[1];
	const float *restrict p2 = p[2], *restrict p3 = p[3];
	const float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	size_t j;

	for (j = 0; j < n; j++)
		y[j] = y[j] + a0 * p0[j] + a1 * p1[j] + a2 * p2[j] + a3 * p3[j];
}

DQN_INLINE void
axpy1(float *restrict y, const float *restrict p, float a, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		y[j] = y[j] + a * p[j];
}

DQN_INLINE void
accumulate(float *y, const float *coef, const float *const *rows,
    size_t count, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= count; i += 8)
		axpy8(y, rows + i, coef + i, n);
	for (; i + 4 <= count; i += 4)
		axpy4(y, rows + i, coef + i, n);
	for (; i < count; i++)
		axpy1(y, rows[i], coef[i], n);
}

/* Collects the nonzero x[k * stride], k < count, with the matching rows
 * base + k * step, in ascending k.  Branch-free, since which inputs ReLU
 * zeroed is unpredictable. */
DQN_INLINE size_t
gather(float *restrict coef, const float **restrict rows,
    const float *restrict x, size_t stride, size_t count,
    const float *base, size_t step)
{
	size_t k, nz = 0;

	for (k = 0; k < count; k++) {
		coef[nz] = x[k * stride];
		rows[nz] = base + k * step;
		nz += x[k * stride] != 0;
	}
	return nz;
}

/* One layer for every row: y = b + x W, then ReLU when asked. */
DQN_KERNEL static void
layer_forward(struct dqn_mlp *m, int l, size_t batch, int relu)
{
	const size_t in = (size_t)m->sizes[l], out = (size_t)m->sizes[l + 1];
	const float *w = m->params + m->woff[l], *b = m->params + m->boff[l];
	float *coef = m->coef, *y;
	const float **rows = m->rows;
	size_t r, nz, j;

	for (r = 0; r < batch; r++) {
		nz = gather(coef, rows, m->act[l] + r * in, 1, in, w, out);
		y = m->act[l + 1] + r * out;
		memcpy(y, b, out * sizeof *y);
		accumulate(y, coef, rows, nz, out);
		for (j = 0; relu && j < out; j++)
			y[j] = y[j] > 0 ? y[j] : 0;
	}
}

const float *
dqn_mlp_forward(struct dqn_mlp *m, const float *x, size_t batch)
{
	int l;

	if (batch < 1 || batch > m->max_batch)
		return NULL;
	memcpy(m->act[0], x, batch * (size_t)m->sizes[0] * sizeof *x);
	for (l = 0; l < m->nlayers; l++)
		layer_forward(m, l, batch, l < m->nlayers - 1);
	m->batch = batch;
	return m->act[m->nlayers];
}

/* dW[k][.] += sum over rows r of x[r][k] * d[r][.], and db += sum of d. */
DQN_KERNEL static void
layer_params_grad(struct dqn_mlp *m, int l, const float *d, size_t batch)
{
	const size_t in = (size_t)m->sizes[l], out = (size_t)m->sizes[l + 1];
	float *dw = m->grads + m->woff[l], *db = m->grads + m->boff[l];
	float *coef = m->coef;
	const float **rows = m->rows;
	size_t r, k, nz;

	for (r = 0; r < batch; r++)
		axpy1(db, d + r * out, 1.0f, out);
	for (k = 0; k < in; k++) {
		nz = gather(coef, rows, m->act[l] + k, in, batch, d, out);
		accumulate(dw + k * out, coef, rows, nz, out);
	}
}

/* dx[r][.] = sum over j of d[r][j] * W[.][j], masked by ReLU's
 * derivative at this layer's input (0 where the input was not > 0). */
DQN_KERNEL static void
layer_input_grad(struct dqn_mlp *m, int l, const float *d, float *dx,
    size_t batch)
{
	const size_t in = (size_t)m->sizes[l], out = (size_t)m->sizes[l + 1];
	const float *w = m->params + m->woff[l], *x;
	float *restrict wt = m->wt, *coef = m->coef, *g;
	const float **rows = m->rows;
	size_t r, k, j, nz;

	for (k = 0; k < in; k++) {
		for (j = 0; j < out; j++)
			wt[j * in + k] = w[k * out + j];
	}
	for (r = 0; r < batch; r++) {
		g = dx + r * in;
		x = m->act[l] + r * in;
		nz = gather(coef, rows, d + r * out, 1, out, wt, in);
		memset(g, 0, in * sizeof *g);
		accumulate(g, coef, rows, nz, in);
		for (k = 0; k < in; k++)
			g[k] = x[k] > 0 ? g[k] : 0;
	}
}

void
dqn_mlp_backward(struct dqn_mlp *m, const float *dout, size_t batch)
{
	const float *d = dout;
	float *dx;
	int l;

	if (batch < 1 || batch != m->batch)
		return;
	for (l = m->nlayers - 1; l >= 0; l--) {
		layer_params_grad(m, l, d, batch);
		if (l == 0)
			break;
		dx = m->delta[l & 1];
		layer_input_grad(m, l, d, dx, batch);
		d = dx;
	}
}
