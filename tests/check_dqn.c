/*
 * Tests of the DQN numerical core (strategies/dqn/): the generator, the
 * network and its gradients, Adam, the Huber loss, the replay ring, the
 * agent's schedule and determinism, model files, and a small learning
 * task.  A standalone Check program, built from the core's sources
 * without the plugin or the host.
 *
 * Loops that check many values count failures and assert once, so a
 * failure reports the first bad value and the count.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dqn/agent.h"
#include "dqn/loss.h"
#include "dqn/model.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* rng */

/* Reference outputs from an independent transcription of splitmix64 and
 * xoshiro256** (Python integers, masked to 64 bits). */
START_TEST(test_rng_reference)
{
	static const uint64_t seed0[] = {
		0x99ec5f36cb75f2b4u, 0xbf6e1f784956452au,
		0x1a5f849d4933e6e0u, 0x6aa594f1262d2d2cu,
	};
	static const uint64_t seed42[] = {
		0x15780b2e0c2ec716u, 0x6104d9866d113a7eu,
		0xae17533239e499a1u, 0xecb8ad4703b360a1u,
	};
	struct dqn_rng a, b;
	size_t i;

	dqn_rng_seed(&a, 0);
	dqn_rng_seed(&b, 42);
	for (i = 0; i < NELEM(seed0); i++) {
		ck_assert_uint_eq(dqn_rng_u64(&a), seed0[i]);
		ck_assert_uint_eq(dqn_rng_u64(&b), seed42[i]);
	}
}
END_TEST

START_TEST(test_rng_determinism)
{
	struct dqn_rng a, b, c;
	int i, same = 0, differ = 0;

	dqn_rng_seed(&a, 12345);
	dqn_rng_seed(&b, 12345);
	dqn_rng_seed(&c, 12346);
	for (i = 0; i < 1000; i++) {
		uint64_t x = dqn_rng_u64(&a);

		same += x == dqn_rng_u64(&b);
		differ += x != dqn_rng_u64(&c);
	}
	ck_assert_int_eq(same, 1000);
	ck_assert_int_ge(differ, 999);
}
END_TEST

START_TEST(test_rng_uniform_range)
{
	struct dqn_rng r;
	double u, sum = 0, lo = 1, hi = 0;
	int i, bad = 0;

	dqn_rng_seed(&r, 1);
	for (i = 0; i < 100000; i++) {
		u = dqn_rng_uniform(&r);
		bad += !(u >= 0 && u < 1);
		sum += u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_double_lt(fabs(sum / 100000 - 0.5), 0.01);
	ck_assert_double_lt(lo, 0.001);
	ck_assert_double_gt(hi, 0.999);
}
END_TEST

START_TEST(test_rng_below)
{
	static const uint32_t ns[] = { 1, 2, 3, 7, 1000, 0x80000001u,
	    UINT32_MAX };
	struct dqn_rng r;
	uint32_t x, first_bad = 0;
	int counts[3] = { 0 }, bad = 0, i;
	size_t k;

	dqn_rng_seed(&r, 2);
	ck_assert_uint_eq(dqn_rng_below(&r, 0), 0);
	for (k = 0; k < NELEM(ns); k++) {
		for (i = 0; i < 20000; i++) {
			if ((x = dqn_rng_below(&r, ns[k])) >= ns[k]) {
				bad++;
				first_bad = x;
			}
		}
	}
	ck_assert_msg(bad == 0, "%d values out of range, e.g. %u", bad,
	    first_bad);
	for (i = 0; i < 30000; i++)
		counts[dqn_rng_below(&r, 3)]++;
	for (i = 0; i < 3; i++)
		ck_assert_int_lt(abs(counts[i] - 10000), 400);
}
END_TEST

/* Lemire's rejection step, against the same transcription: n = 3 * 2^30
 * rejects a quarter of the draws, and the first, third and ninth here
 * are redrawn. */
START_TEST(test_rng_below_reference)
{
	static const uint32_t want[] = {
		0x304934a3, 0x8cad6579, 0xb0c09845, 0x8eed2d4c, 0x831cb131,
		0x60c4486b, 0x5722065e, 0x90662169, 0xbdebf393, 0x20f0c25e,
	};
	struct dqn_rng r;
	size_t i;

	dqn_rng_seed(&r, 9);
	for (i = 0; i < NELEM(want); i++)
		ck_assert_uint_eq(dqn_rng_below(&r, 0xc0000000u), want[i]);
}
END_TEST

START_TEST(test_rng_normal)
{
	struct dqn_rng r;
	double x, sum = 0, sq = 0;
	int i, bad = 0;

	dqn_rng_seed(&r, 3);
	for (i = 0; i < 50000; i++) {
		x = dqn_rng_normal(&r);
		bad += !isfinite(x);
		sum += x;
		sq += x * x;
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_double_lt(fabs(sum / 50000), 0.02);
	ck_assert_double_lt(fabs(sq / 50000 - 1), 0.03);
}
END_TEST

static Suite *
rng_suite(void)
{
	Suite *s = suite_create("rng");
	TCase *tc = tcase_create("rng");

	tcase_add_test(tc, test_rng_reference);
	tcase_add_test(tc, test_rng_determinism);
	tcase_add_test(tc, test_rng_uniform_range);
	tcase_add_test(tc, test_rng_below);
	tcase_add_test(tc, test_rng_below_reference);
	tcase_add_test(tc, test_rng_normal);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

/* mlp */

static void
fill_uniform(float *x, size_t n, struct dqn_rng *r, double lo, double hi)
{
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = (float)(lo + (hi - lo) * dqn_rng_uniform(r));
}

static void
make_net(struct dqn_mlp *m, const int *sizes, int n, size_t batch,
    uint64_t seed)
{
	struct dqn_rng r;
	char *cause = NULL;

	dqn_rng_seed(&r, seed);
	ck_assert_msg(dqn_mlp_init(m, sizes, n, batch, &r, &cause) == 0,
	    "%s", cause ? cause : "?");
}

/* sum over outputs of c * out, in double. */
static double
linear_loss(struct dqn_mlp *m, const float *x, const float *c, size_t batch)
{
	const float *out = dqn_mlp_forward(m, x, batch);
	size_t i, n = batch * (size_t)m->sizes[m->nlayers];
	double l = 0;

	for (i = 0; i < n; i++)
		l += (double)c[i] * out[i];
	return l;
}

/* Which hidden units are active, as a bit string, to spot a finite
 * difference that crossed a ReLU kink. */
static void
relu_pattern(const struct dqn_mlp *m, size_t batch, char *pat, size_t len)
{
	size_t n = 0, i;
	int l;

	memset(pat, 0, len);
	for (l = 1; l < m->nlayers; l++) {
		for (i = 0; i < batch * (size_t)m->sizes[l] && n < len; i++)
			pat[n++] = m->act[l][i] > 0;
	}
}

/* Central differences against backward(), parameter by parameter.  A
 * ReLU network is piecewise linear in each parameter, so a difference
 * that does not cross a kink is exact but for float rounding. */
static void
gradient_check(const int *sizes, int nsizes, size_t batch, uint64_t seed)
{
	enum { PAT = 4096 };
	static char pat0[PAT], pat1[PAT], pat2[PAT];
	struct dqn_mlp m;
	struct dqn_rng r;
	float *x, *c, *analytic, keep;
	double lp, lm, num, worst = 0, h;
	size_t i, nin, nout, checked = 0, skipped = 0, bad = 0, worst_i = 0;

	make_net(&m, sizes, nsizes, batch, seed);
	nin = batch * (size_t)sizes[0];
	nout = batch * (size_t)sizes[nsizes - 1];
	x = malloc(nin * sizeof *x);
	c = malloc(nout * sizeof *c);
	analytic = malloc(m.nparams * sizeof *analytic);
	dqn_rng_seed(&r, seed + 1);
	fill_uniform(x, nin, &r, -1, 1);
	fill_uniform(c, nout, &r, -1, 1);
	/* Biases start at 0; make them matter. */
	for (i = 0; i < m.nparams; i++) {
		if (m.params[i] == 0)
			m.params[i] = (float)(dqn_rng_uniform(&r) - 0.5) * 0.2f;
	}
	dqn_mlp_zero_grad(&m);
	linear_loss(&m, x, c, batch);
	relu_pattern(&m, batch, pat0, PAT);
	dqn_mlp_backward(&m, c, batch);
	memcpy(analytic, m.grads, m.nparams * sizeof *analytic);
	for (i = 0; i < m.nparams; i++) {
		keep = m.params[i];
		m.params[i] = keep + 1e-2f;
		h = m.params[i];
		lp = linear_loss(&m, x, c, batch);
		relu_pattern(&m, batch, pat1, PAT);
		m.params[i] = keep - 1e-2f;
		h -= m.params[i];
		lm = linear_loss(&m, x, c, batch);
		relu_pattern(&m, batch, pat2, PAT);
		m.params[i] = keep;
		if (memcmp(pat0, pat1, PAT) != 0 ||
		    memcmp(pat0, pat2, PAT) != 0) {
			skipped++;
			continue;
		}
		num = (lp - lm) / h;
		checked++;
		if (fabs(num - analytic[i]) > 1e-3 + 1e-2 * fabs(num)) {
			bad++;
			if (fabs(num - analytic[i]) > worst) {
				worst = fabs(num - analytic[i]);
				worst_i = i;
			}
		}
	}
	ck_assert_msg(bad == 0, "%zu of %zu gradients off, worst param %zu: "
	    "analytic %g", bad, checked, worst_i, analytic[worst_i]);
	ck_assert_msg(skipped * 20 <= m.nparams, "%zu of %zu differences "
	    "crossed a ReLU kink", skipped, m.nparams);
	free(x);
	free(c);
	free(analytic);
	dqn_mlp_free(&m);
}

START_TEST(test_mlp_gradient_small)
{
	static const int sizes[] = { 4, 5, 3 };

	gradient_check(sizes, 3, 3, 11);
}
END_TEST

/* Wider layers and a larger batch take the eight-row kernel path, and
 * four weight layers exercise the backward ping-pong buffers. */
START_TEST(test_mlp_gradient_deep)
{
	static const int sizes[] = { 12, 20, 9, 7, 3 };

	gradient_check(sizes, 5, 10, 5);
}
END_TEST

/* The ReLU mask must actually be exercised by the gradient checks. */
START_TEST(test_mlp_relu_mixed)
{
	static const int sizes[] = { 4, 5, 3 };
	struct dqn_mlp m;
	struct dqn_rng r;
	float x[12];
	int i, on = 0;

	make_net(&m, sizes, 3, 3, 11);
	dqn_rng_seed(&r, 12);
	fill_uniform(x, 12, &r, -1, 1);
	dqn_mlp_forward(&m, x, 3);
	for (i = 0; i < 15; i++)
		on += m.act[1][i] > 0;
	ck_assert_int_gt(on, 2);
	ck_assert_int_lt(on, 13);
	dqn_mlp_free(&m);
}
END_TEST

/* Forward against a plain double-precision evaluation. */
START_TEST(test_mlp_forward_reference)
{
	static const int sizes[] = { 16, 64, 64, 3 };
	double h[2][64], acc;
	struct dqn_mlp m;
	struct dqn_rng r;
	float x[5 * 16];
	const float *out;
	int row, l, j, k, bad = 0;

	make_net(&m, sizes, 4, 5, 21);
	dqn_rng_seed(&r, 22);
	fill_uniform(x, NELEM(x), &r, 0, 1);
	out = dqn_mlp_forward(&m, x, 5);
	for (row = 0; row < 5; row++) {
		for (k = 0; k < 16; k++)
			h[0][k] = x[row * 16 + k];
		for (l = 0; l < 3; l++) {
			for (j = 0; j < sizes[l + 1]; j++) {
				acc = m.params[m.boff[l] + j];
				for (k = 0; k < sizes[l]; k++) {
					acc += h[l & 1][k] * m.params[m.woff[l] +
					    (size_t)k * sizes[l + 1] + j];
				}
				h[(l + 1) & 1][j] = l < 2 && acc < 0 ? 0 : acc;
			}
		}
		for (j = 0; j < 3; j++)
			bad += fabs(out[row * 3 + j] - h[1][j]) > 1e-5;
	}
	ck_assert_int_eq(bad, 0);
	dqn_mlp_free(&m);
}
END_TEST

/* A row's outputs do not depend on the rest of the batch, bit for bit. */
START_TEST(test_mlp_batch_rows)
{
	static const int sizes[] = { 16, 64, 64, 3 };
	struct dqn_mlp m;
	struct dqn_rng r;
	float x[32 * 16], all[32 * 3];
	int row, bad = 0;

	make_net(&m, sizes, 4, 32, 31);
	dqn_rng_seed(&r, 32);
	fill_uniform(x, NELEM(x), &r, 0, 1);
	memcpy(all, dqn_mlp_forward(&m, x, 32), sizeof all);
	for (row = 0; row < 32; row++) {
		bad += memcmp(dqn_mlp_forward(&m, x + row * 16, 1),
		    all + row * 3, 3 * sizeof(float)) != 0;
	}
	ck_assert_int_eq(bad, 0);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_mlp_accumulate_and_zero)
{
	static const int sizes[] = { 4, 5, 3 };
	struct dqn_mlp m;
	struct dqn_rng r;
	float x[12], c[9], *once;
	size_t i, bad = 0, nonzero = 0;

	make_net(&m, sizes, 3, 3, 41);
	dqn_rng_seed(&r, 42);
	fill_uniform(x, 12, &r, -1, 1);
	fill_uniform(c, 9, &r, -1, 1);
	dqn_mlp_forward(&m, x, 3);
	dqn_mlp_backward(&m, c, 3);
	once = malloc(m.nparams * sizeof *once);
	memcpy(once, m.grads, m.nparams * sizeof *once);
	dqn_mlp_backward(&m, c, 3);
	/* g + (sum of terms) rounds like 2 g up to an ulp or two. */
	for (i = 0; i < m.nparams; i++) {
		bad += fabsf(m.grads[i] - 2 * once[i]) > 1e-6f * fabsf(once[i]);
		nonzero += once[i] != 0;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_gt(nonzero, m.nparams / 2);
	dqn_mlp_zero_grad(&m);
	for (i = 0; i < m.nparams; i++)
		bad += m.grads[i] != 0;
	ck_assert_uint_eq(bad, 0);
	free(once);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_mlp_copy)
{
	static const int sizes[] = { 16, 64, 64, 3 };
	struct dqn_mlp a, b;
	struct dqn_rng r;
	float x[16], qa[3];

	make_net(&a, sizes, 4, 1, 51);
	make_net(&b, sizes, 4, 1, 52);
	ck_assert(memcmp(a.params, b.params, a.nparams * 4) != 0);
	dqn_mlp_copy(&b, &a);
	ck_assert(memcmp(a.params, b.params, a.nparams * 4) == 0);
	dqn_rng_seed(&r, 53);
	fill_uniform(x, 16, &r, 0, 1);
	memcpy(qa, dqn_mlp_forward(&a, x, 1), sizeof qa);
	ck_assert(memcmp(qa, dqn_mlp_forward(&b, x, 1), sizeof qa) == 0);
	dqn_mlp_free(&a);
	dqn_mlp_free(&b);
}
END_TEST

START_TEST(test_mlp_he_init)
{
	static const int sizes[] = { 16, 64, 64, 3 };
	struct dqn_mlp m;
	double limit, sq = 0;
	size_t i, n, bad = 0;

	make_net(&m, sizes, 4, 1, 61);
	ck_assert_uint_eq(m.nparams, 16 * 64 + 64 + 64 * 64 + 64 + 64 * 3 + 3);
	limit = sqrt(6.0 / 64);
	n = 64 * 64;
	for (i = 0; i < n; i++) {
		bad += fabs(m.params[m.woff[1] + i]) > limit;
		sq += (double)m.params[m.woff[1] + i] * m.params[m.woff[1] + i];
	}
	for (i = 0; i < 64; i++)
		bad += m.params[m.boff[1] + i] != 0;
	ck_assert_uint_eq(bad, 0);
	/* Variance 2 / fan_in. */
	ck_assert_double_lt(fabs(sq / (double)n - 2.0 / 64), 0.003);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_mlp_bad_shape)
{
	static const int zero[] = { 16, 0, 3 };
	static const int wide[] = { 16, 5000, 3 };
	static const int one[] = { 16 };
	static const int ok[] = { 4, 3 };
	struct dqn_mlp m;
	struct dqn_rng r;
	char *cause = NULL;
	float x[4] = { 0 };

	dqn_rng_seed(&r, 1);
	ck_assert_int_eq(dqn_mlp_init(&m, zero, 3, 1, &r, &cause), -1);
	ck_assert_str_eq(cause, "network: layer 1 has size 0, need 1 to 4096");
	free(cause);
	ck_assert_int_eq(dqn_mlp_init(&m, wide, 3, 1, &r, &cause), -1);
	free(cause);
	ck_assert_int_eq(dqn_mlp_init(&m, one, 1, 1, &r, &cause), -1);
	ck_assert_str_eq(cause, "network: 1 layer sizes, need 2 to 9");
	free(cause);
	ck_assert_int_eq(dqn_mlp_init(&m, ok, 2, 0, &r, &cause), -1);
	free(cause);
	ck_assert_int_eq(dqn_mlp_init(&m, ok, 2, 2, &r, &cause), 0);
	ck_assert_ptr_null(dqn_mlp_forward(&m, x, 0));
	ck_assert_ptr_null(dqn_mlp_forward(&m, x, 3));
	ck_assert_ptr_nonnull(dqn_mlp_forward(&m, x, 1));
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_argmax)
{
	static const float ties[] = { 1, 3, 3 };
	static const float first[] = { 2, 2, 2 };
	static const float last[] = { -5, -4, -1 };
	const float nan[] = { NAN, 1, 0 };

	ck_assert_int_eq(dqn_argmax(ties, 3), 1);
	ck_assert_int_eq(dqn_argmax(first, 3), 0);
	ck_assert_int_eq(dqn_argmax(last, 3), 2);
	ck_assert_int_eq(dqn_argmax(nan, 3), 1);
}
END_TEST

static Suite *
mlp_suite(void)
{
	Suite *s = suite_create("mlp");
	TCase *tc = tcase_create("gradient");

	tcase_add_test(tc, test_mlp_gradient_small);
	tcase_add_test(tc, test_mlp_gradient_deep);
	tcase_add_test(tc, test_mlp_relu_mixed);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("forward");
	tcase_add_test(tc, test_mlp_forward_reference);
	tcase_add_test(tc, test_mlp_batch_rows);
	tcase_add_test(tc, test_mlp_accumulate_and_zero);
	tcase_add_test(tc, test_mlp_copy);
	tcase_add_test(tc, test_mlp_he_init);
	tcase_add_test(tc, test_mlp_bad_shape);
	tcase_add_test(tc, test_argmax);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

/* adam */

START_TEST(test_adam_quadratic)
{
	static const float c[5] = { 1.5f, -2, 0.25f, 3, -0.75f };
	float x[5] = { 0, 0, 0, 0, 0 }, g[5];
	struct dqn_adam a;
	char *cause = NULL;
	double worst = 0;
	int step, i;

	ck_assert_int_eq(dqn_adam_init(&a, 5, 0.05f, 0, &cause), 0);
	for (step = 0; step < 3000; step++) {
		for (i = 0; i < 5; i++)
			g[i] = 2 * (x[i] - c[i]);
		dqn_adam_step(&a, x, g);
	}
	for (i = 0; i < 5; i++) {
		if (fabs(x[i] - c[i]) > worst)
			worst = fabs(x[i] - c[i]);
	}
	ck_assert_msg(worst < 1e-3, "off by %g after 3000 steps", worst);
	ck_assert_uint_eq(a.t, 3000);
	dqn_adam_free(&a);
}
END_TEST

/* One step from given moments, against the formula in double. */
START_TEST(test_adam_one_step)
{
	static const float m0[3] = { 0.1f, -0.2f, 0 };
	static const float v0[3] = { 0.01f, 0.04f, 0 };
	static const float p0[3] = { 1, 2, -3 };
	float p[3], g[3] = { 0.5f, -1, 0.25f };
	double m, v, bc1, bc2, want;
	struct dqn_adam a;
	char *cause = NULL;
	int i;

	ck_assert_int_eq(dqn_adam_init(&a, 3, 0.01f, 0, &cause), 0);
	memcpy(a.m, m0, sizeof m0);
	memcpy(a.v, v0, sizeof v0);
	memcpy(p, p0, sizeof p0);
	a.t = 4;
	dqn_adam_step(&a, p, g);
	ck_assert_uint_eq(a.t, 5);
	bc1 = 1 - pow(0.9, 5);
	bc2 = 1 - pow(0.999, 5);
	for (i = 0; i < 3; i++) {
		m = 0.9 * m0[i] + 0.1 * g[i];
		v = 0.999 * v0[i] + 0.001 * g[i] * g[i];
		want = p0[i] - 0.01 / bc1 * m / (sqrt(v) / sqrt(bc2) + 1e-8);
		/* float state: a few roundings of relative size 6e-8. */
		ck_assert_double_eq_tol(a.m[i], m, 1e-6 * fabs(m) + 1e-12);
		ck_assert_double_eq_tol(a.v[i], v, 1e-6 * v + 1e-12);
		ck_assert_double_eq_tol(p[i], want, 1e-6);
	}
	dqn_adam_free(&a);
}
END_TEST

START_TEST(test_adam_clip)
{
	float p[2] = { 0, 0 }, g[2] = { 12, 16 };	/* norm 20 */
	float q[2] = { 0, 0 }, h[2] = { 3, 4 };		/* norm 5 */
	struct dqn_adam a, b;
	char *cause = NULL;

	ck_assert_int_eq(dqn_adam_init(&a, 2, 0.1f, 10, &cause), 0);
	ck_assert_int_eq(dqn_adam_init(&b, 2, 0.1f, 10, &cause), 0);
	dqn_adam_step(&a, p, g);
	ck_assert_float_eq_tol(a.last_norm, 20, 1e-5);
	ck_assert_float_eq_tol(g[0], 6, 1e-5);
	ck_assert_float_eq_tol(g[1], 8, 1e-5);
	dqn_adam_step(&b, q, h);
	ck_assert_float_eq(h[0], 3);	/* under the limit: untouched */
	ck_assert_float_eq(h[1], 4);
	dqn_adam_free(&a);
	dqn_adam_free(&b);
	ck_assert_int_eq(dqn_adam_init(&b, 2, 0, 0, &cause), -1);
	ck_assert_str_eq(cause, "adam: need lr > 0 and clip_norm >= 0");
	free(cause);
}
END_TEST

static Suite *
adam_suite(void)
{
	Suite *s = suite_create("adam");
	TCase *tc = tcase_create("adam");

	tcase_add_test(tc, test_adam_quadratic);
	tcase_add_test(tc, test_adam_one_step);
	tcase_add_test(tc, test_adam_clip);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

/* huber */

START_TEST(test_huber_values)
{
	/* Errors 0.5 and -0.5 (quadratic), 3 and -2 (linear) at delta 1. */
	static const float q[] = { 1.5f, 9, 9, 9, 0.5f, 9, 9, 9, 7, 9, 9, 9 };
	static const uint8_t action[] = { 0, 1, 2, 0 };
	static const float target[] = { 1, 1, 4, 11 };
	float dout[12], want[12] = { 0 };
	float loss;

	/* Row 3 takes action 0: q 9 - 11 = -2. */
	loss = dqn_huber(q, action, target, 4, 3, 1, dout);
	/* 0.125 + 0.125 + (3 - 0.5) + (2 - 0.5) = 4.25, mean 1.0625. */
	ck_assert_float_eq_tol(loss, 1.0625f, 1e-6);
	want[0] = 0.5f / 4;
	want[4] = -0.5f / 4;
	want[8] = 1.0f / 4;
	want[9] = -1.0f / 4;
	ck_assert_mem_eq(dout, want, sizeof want);
}
END_TEST

START_TEST(test_huber_delta)
{
	static const float q[] = { 0, 3 };
	static const uint8_t action[] = { 1 };
	static const float target[] = { 0 };
	float dout[2];

	/* err 3 inside delta 4: quadratic. */
	ck_assert_float_eq_tol(dqn_huber(q, action, target, 1, 2, 4, dout),
	    4.5f, 1e-6);
	ck_assert_float_eq(dout[0], 0);
	ck_assert_float_eq(dout[1], 3);
	/* err 3 beyond delta 2: 2 (3 - 1) = 4, gradient clamped at 2. */
	ck_assert_float_eq_tol(dqn_huber(q, action, target, 1, 2, 2, dout),
	    4.0f, 1e-6);
	ck_assert_float_eq(dout[1], 2);
	/* The two pieces meet at |err| = delta. */
	ck_assert_float_eq_tol(dqn_huber(q, action, target, 1, 2, 3, dout),
	    4.5f, 1e-6);
}
END_TEST

/* The gradient matches a finite difference of the loss. */
START_TEST(test_huber_gradient)
{
	static const float errs[] = { -3, -0.9f, -0.2f, 0.3f, 0.95f, 2.5f };
	uint8_t action[1] = { 0 };
	float q[1], target[1] = { 0 }, dout[1], g;
	double num;
	size_t i;
	int bad = 0;

	for (i = 0; i < NELEM(errs); i++) {
		q[0] = errs[i];
		dqn_huber(q, action, target, 1, 1, 1, dout);
		g = dout[0];
		q[0] = errs[i] + 1e-3f;
		num = dqn_huber(q, action, target, 1, 1, 1, dout);
		q[0] = errs[i] - 1e-3f;
		num = (num - dqn_huber(q, action, target, 1, 1, 1, dout)) /
		    2e-3;
		bad += fabs(num - g) > 1e-3;
	}
	ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *
huber_suite(void)
{
	Suite *s = suite_create("huber");
	TCase *tc = tcase_create("huber");

	tcase_add_test(tc, test_huber_values);
	tcase_add_test(tc, test_huber_delta);
	tcase_add_test(tc, test_huber_gradient);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

/* replay */

/* Transition i: state (i, -i), action i % 3, reward i / 2, next
 * (i + 100, 0), done on odd i. */
static void
push_marked(struct dqn_replay *b, int i)
{
	float s[2] = { (float)i, (float)-i }, n[2] = { (float)(i + 100), 0 };

	dqn_replay_push(b, s, (uint8_t)(i % 3), (float)i / 2, n, i & 1);
}

START_TEST(test_replay_wrap)
{
	struct dqn_replay b;
	char *cause = NULL;
	int i, seen[6] = { 0 };

	ck_assert_int_eq(dqn_replay_init(&b, 4, 2, &cause), 0);
	ck_assert_uint_eq(dqn_replay_size(&b), 0);
	for (i = 0; i < 6; i++) {
		push_marked(&b, i);
		ck_assert_uint_eq(dqn_replay_size(&b), i < 4 ? i + 1 : 4);
	}
	for (i = 0; i < 4; i++)
		seen[(int)b.state[i * 2]]++;
	ck_assert_int_eq(seen[0], 0);	/* the oldest two are gone */
	ck_assert_int_eq(seen[1], 0);
	for (i = 2; i < 6; i++)
		ck_assert_int_eq(seen[i], 1);
	dqn_replay_free(&b);
}
END_TEST

START_TEST(test_replay_sample)
{
	float s[64 * 2], n[64 * 2], r[64];
	uint8_t a[64], d[64];
	struct dqn_replay b;
	struct dqn_rng rng;
	char *cause = NULL;
	int i, k, bad = 0, seen[6] = { 0 };

	ck_assert_int_eq(dqn_replay_init(&b, 4, 2, &cause), 0);
	dqn_rng_seed(&rng, 5);
	ck_assert_int_eq(dqn_replay_sample(&b, &rng, 1, s, a, r, n, d), -1);
	for (i = 0; i < 6; i++)
		push_marked(&b, i);
	for (k = 0; k < 50; k++) {
		ck_assert_int_eq(dqn_replay_sample(&b, &rng, 64, s, a, r, n,
		    d), 0);
		for (i = 0; i < 64; i++) {
			int m = (int)s[i * 2];

			bad += m < 2 || m > 5 || s[i * 2 + 1] != -m ||
			    a[i] != m % 3 || r[i] != (float)m / 2 ||
			    n[i * 2] != m + 100 || n[i * 2 + 1] != 0 ||
			    d[i] != (m & 1);
			if (m >= 2 && m <= 5)
				seen[m]++;
		}
	}
	ck_assert_int_eq(bad, 0);
	for (i = 2; i < 6; i++)	/* 3200 draws, 800 expected each */
		ck_assert_int_gt(seen[i], 650);
	dqn_replay_free(&b);
}
END_TEST

START_TEST(test_replay_partial)
{
	float s[2], n[2], r;
	uint8_t a, d;
	struct dqn_replay b;
	struct dqn_rng rng;
	char *cause = NULL;
	int i, bad = 0;

	ck_assert_int_eq(dqn_replay_init(&b, 100, 2, &cause), 0);
	dqn_rng_seed(&rng, 6);
	push_marked(&b, 2);
	push_marked(&b, 3);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(dqn_replay_sample(&b, &rng, 1, s, &a, &r, n,
		    &d), 0);
		bad += s[0] != 2 && s[0] != 3;
	}
	ck_assert_int_eq(bad, 0);
	dqn_replay_free(&b);
}
END_TEST

START_TEST(test_replay_deterministic)
{
	float s1[32 * 2], n1[32 * 2], r1[32], s2[32 * 2], n2[32 * 2], r2[32];
	uint8_t a1[32], d1[32], a2[32], d2[32];
	struct dqn_replay b;
	struct dqn_rng x, y;
	char *cause = NULL;
	int i;

	ck_assert_int_eq(dqn_replay_init(&b, 50, 2, &cause), 0);
	for (i = 0; i < 50; i++)
		push_marked(&b, i);
	dqn_rng_seed(&x, 77);
	dqn_rng_seed(&y, 77);
	ck_assert_int_eq(dqn_replay_sample(&b, &x, 32, s1, a1, r1, n1, d1), 0);
	ck_assert_int_eq(dqn_replay_sample(&b, &y, 32, s2, a2, r2, n2, d2), 0);
	ck_assert_mem_eq(s1, s2, sizeof s1);
	ck_assert_mem_eq(a1, a2, sizeof a1);
	ck_assert_mem_eq(r1, r2, sizeof r1);
	ck_assert_mem_eq(n1, n2, sizeof n1);
	ck_assert_mem_eq(d1, d2, sizeof d1);
	dqn_replay_free(&b);
}
END_TEST

START_TEST(test_replay_bad)
{
	struct dqn_replay b;
	char *cause = NULL;

	ck_assert_int_eq(dqn_replay_init(&b, 0, 2, &cause), -1);
	ck_assert_str_eq(cause, "replay: capacity 0, need 1 to 16777216");
	free(cause);
	ck_assert_int_eq(dqn_replay_init(&b, 10, 0, &cause), -1);
	free(cause);
}
END_TEST

static Suite *
replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("replay");

	tcase_add_test(tc, test_replay_wrap);
	tcase_add_test(tc, test_replay_sample);
	tcase_add_test(tc, test_replay_partial);
	tcase_add_test(tc, test_replay_deterministic);
	tcase_add_test(tc, test_replay_bad);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

/* agent */

static void
small_hparams(struct dqn_hparams *hp)
{
	static const int sizes[] = { 6, 16, 16, 3 };

	dqn_hparams_default(hp);
	memcpy(hp->sizes, sizes, sizeof sizes);
	hp->nsizes = 4;
	hp->batch = 8;
	hp->replay_capacity = 500;
	hp->target_sync = 5;
	hp->eps_decay = 200;
}

static void
make_agent(struct dqn_agent *ag, const struct dqn_hparams *hp, uint64_t seed)
{
	char *cause = NULL;

	ck_assert_msg(dqn_agent_init(ag, hp, seed, &cause) == 0, "%s",
	    cause ? cause : "?");
}

/* A reproducible stream of transitions for an agent with 6 features. */
static int
feed(struct dqn_agent *ag, struct dqn_rng *env, int explore)
{
	float s[6], s2[6];
	int a;

	fill_uniform(s, 6, env, 0, 1);
	fill_uniform(s2, 6, env, 0, 1);
	a = dqn_agent_act(ag, s, explore);
	return dqn_agent_observe(ag, s, a, s[a] > 0.5f ? 1.0f : -0.5f, s2,
	    dqn_rng_below(env, 10) == 0);
}

START_TEST(test_agent_target_sync)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	struct dqn_rng env;
	int i, equal, bad = 0, first_bad = -1;

	small_hparams(&hp);
	make_agent(&ag, &hp, 1);
	dqn_rng_seed(&env, 2);
	ck_assert(memcmp(ag.target.params, ag.online.params,
	    ag.online.nparams * 4) == 0);
	for (i = 0; i < 400; i++) {
		if (feed(&ag, &env, 1) != 1)
			continue;
		equal = memcmp(ag.target.params, ag.online.params,
		    ag.online.nparams * 4) == 0;
		if (equal != (ag.updates % hp.target_sync == 0)) {
			bad++;
			if (first_bad < 0)
				first_bad = (int)ag.updates;
		}
	}
	/* Updates start once a batch is stored: 400 - 7. */
	ck_assert_uint_eq(ag.updates, 393);
	ck_assert_msg(bad == 0, "%d wrong, first at update %d", bad,
	    first_bad);
	dqn_agent_free(&ag);
}
END_TEST

START_TEST(test_agent_train_every)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	struct dqn_rng env;
	int i;

	small_hparams(&hp);
	hp.train_every = 4;
	hp.learn_start = 100;
	make_agent(&ag, &hp, 1);
	dqn_rng_seed(&env, 2);
	for (i = 0; i < 99; i++)
		feed(&ag, &env, 1);
	ck_assert_uint_eq(ag.updates, 0);
	for (i = 99; i < 300; i++)
		feed(&ag, &env, 1);
	/* Steps 100, 104, ..., 300. */
	ck_assert_uint_eq(ag.updates, 51);
	ck_assert_uint_eq(ag.steps, 300);
	dqn_agent_free(&ag);
}
END_TEST

START_TEST(test_agent_epsilon)
{
	static const struct {
		uint64_t step;
		float eps;
	} want[] = {
		{ 0, 1 }, { 25, 0.775f }, { 50, 0.55f }, { 99, 0.109f },
		{ 100, 0.1f }, { 5000, 0.1f },
	};
	struct dqn_hparams hp;
	struct dqn_agent ag;
	size_t i;

	small_hparams(&hp);
	hp.eps_start = 1;
	hp.eps_end = 0.1f;
	hp.eps_decay = 100;
	make_agent(&ag, &hp, 1);
	for (i = 0; i < NELEM(want); i++) {
		ag.steps = want[i].step;
		ck_assert_float_eq_tol(dqn_agent_epsilon(&ag), want[i].eps,
		    1e-6);
	}
	hp.eps_decay = 0;
	dqn_agent_free(&ag);
	make_agent(&ag, &hp, 1);
	ck_assert_float_eq(dqn_agent_epsilon(&ag), 0.1f);
	dqn_agent_free(&ag);
}
END_TEST

START_TEST(test_agent_act)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	float s[6] = { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f }, q[3];
	int i, counts[3] = { 0 }, greedy, bad = 0;

	small_hparams(&hp);
	make_agent(&ag, &hp, 3);
	dqn_agent_q(&ag, s, q);
	greedy = dqn_argmax(q, 3);
	for (i = 0; i < 300; i++) {
		bad += dqn_agent_act(&ag, s, 0) != greedy;
		counts[dqn_agent_act(&ag, s, 1)]++;	/* epsilon 1 */
	}
	ck_assert_int_eq(bad, 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_gt(counts[i], 60);
	ag.steps = hp.eps_decay;	/* epsilon 0.05 */
	for (i = 0; i < 300; i++)
		bad += dqn_agent_act(&ag, s, 1) != greedy;
	ck_assert_int_lt(bad, 40);
	ck_assert_int_eq(dqn_agent_observe(&ag, s, 3, 0, s, 0), -1);
	ck_assert_uint_eq(dqn_replay_size(&ag.replay), 0);
	dqn_agent_free(&ag);
}
END_TEST

static void
run_agent(struct dqn_agent *ag, uint64_t seed, int steps)
{
	struct dqn_hparams hp;
	struct dqn_rng env;
	int i;

	small_hparams(&hp);
	make_agent(ag, &hp, seed);
	dqn_rng_seed(&env, 99);
	for (i = 0; i < steps; i++)
		feed(ag, &env, 1);
}

START_TEST(test_agent_deterministic)
{
	struct dqn_agent a, b, c;
	size_t bytes;

	run_agent(&a, 7, 600);
	run_agent(&b, 7, 600);
	run_agent(&c, 8, 600);
	bytes = a.online.nparams * sizeof(float);
	ck_assert_uint_gt(a.updates, 500);
	ck_assert_mem_eq(a.online.params, b.online.params, bytes);
	ck_assert_mem_eq(a.target.params, b.target.params, bytes);
	ck_assert_mem_eq(a.adam.m, b.adam.m, bytes);
	ck_assert_mem_eq(a.adam.v, b.adam.v, bytes);
	ck_assert_float_eq(a.last_loss, b.last_loss);
	ck_assert(memcmp(a.online.params, c.online.params, bytes) != 0);
	dqn_agent_free(&a);
	dqn_agent_free(&b);
	dqn_agent_free(&c);
}
END_TEST

/* With one transition stored, the update's loss is the Huber loss of
 * Q_online(s, a) against r + gamma (1 - done) max Q_target(s2, .),
 * computed here by hand from the two networks. */
static void
check_target(int done)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	struct dqn_rng r;
	float s[6], s2[6], q[3], q2[3], dout[3], y;
	uint8_t a = 2;
	int i;

	small_hparams(&hp);
	hp.batch = 1;
	hp.gamma = 0.75f;
	make_agent(&ag, &hp, 13);
	dqn_rng_seed(&r, 14);
	fill_uniform(s, 6, &r, 0, 1);
	fill_uniform(s2, 6, &r, 0, 1);
	/* Make the target network's values differ from the online one's. */
	for (i = 0; i < 3; i++)
		ag.target.params[ag.target.boff[2] + i] += 0.5f;
	memcpy(q, dqn_mlp_forward(&ag.online, s, 1), sizeof q);
	memcpy(q2, dqn_mlp_forward(&ag.target, s2, 1), sizeof q2);
	y = 0.25f + (done ? 0 : 0.75f * q2[dqn_argmax(q2, 3)]);
	ck_assert_int_eq(dqn_agent_observe(&ag, s, a, 0.25f, s2, done), 1);
	ck_assert_float_eq(ag.last_loss, dqn_huber(q, &a, &y, 1, 3, 1, dout));
	dqn_agent_free(&ag);
}

START_TEST(test_agent_targets)
{
	check_target(0);
	check_target(1);
}
END_TEST

START_TEST(test_agent_bad_hparams)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	char *cause = NULL;

	small_hparams(&hp);
	hp.gamma = 1.5f;
	ck_assert_int_eq(dqn_agent_init(&ag, &hp, 1, &cause), -1);
	ck_assert_str_eq(cause, "agent: gamma must be in [0, 1]");
	free(cause);
	small_hparams(&hp);
	hp.sizes[1] = 0;
	ck_assert_int_eq(dqn_agent_init(&ag, &hp, 1, &cause), -1);
	ck_assert_str_eq(cause, "network: layer 1 has size 0, need 1 to 4096");
	free(cause);
	small_hparams(&hp);
	hp.target_sync = 0;
	ck_assert_int_eq(dqn_agent_init(&ag, &hp, 1, &cause), -1);
	free(cause);
	small_hparams(&hp);
	hp.replay_capacity = hp.batch - 1;
	ck_assert_int_eq(dqn_agent_init(&ag, &hp, 1, &cause), -1);
	ck_assert_str_eq(cause, "agent: replay_capacity must be >= batch and "
	    ">= learn_start");
	free(cause);
	small_hparams(&hp);
	hp.sizes[3] = 300;
	ck_assert_int_eq(dqn_agent_init(&ag, &hp, 1, &cause), -1);
	ck_assert_str_eq(cause, "agent: at most 256 actions");
	free(cause);
}
END_TEST

/* A contextual bandit: 16 uniform features, action k pays 1 iff feature
 * k > 0.5.  With gamma 0 the agent must learn Q(s, k) = [s_k > 0.5]. */
START_TEST(test_agent_learns_bandit)
{
	struct dqn_hparams hp;
	struct dqn_agent ag;
	struct dqn_rng env;
	float s[16], s2[16];
	int i, a, paying, right = 0, total = 0;

	dqn_hparams_default(&hp);
	hp.gamma = 0;
	hp.eps_decay = 2000;
	hp.target_sync = 50;
	make_agent(&ag, &hp, 2024);
	dqn_rng_seed(&env, 4);
	for (i = 0; i < 4000; i++) {
		fill_uniform(s, 16, &env, 0, 1);
		fill_uniform(s2, 16, &env, 0, 1);
		a = dqn_agent_act(&ag, s, 1);
		dqn_agent_observe(&ag, s, a, s[a] > 0.5f, s2, 1);
	}
	for (i = 0; i < 2000; i++) {
		fill_uniform(s, 16, &env, 0, 1);
		paying = s[0] > 0.5f || s[1] > 0.5f || s[2] > 0.5f;
		if (!paying)
			continue;
		total++;
		right += s[dqn_agent_act(&ag, s, 0)] > 0.5f;
	}
	ck_assert_msg(right > 0.9 * total, "greedy accuracy %d / %d", right,
	    total);
	dqn_agent_free(&ag);
}
END_TEST

static Suite *
agent_suite(void)
{
	Suite *s = suite_create("agent");
	TCase *tc = tcase_create("schedule");

	tcase_add_test(tc, test_agent_target_sync);
	tcase_add_test(tc, test_agent_train_every);
	tcase_add_test(tc, test_agent_epsilon);
	tcase_add_test(tc, test_agent_act);
	tcase_add_test(tc, test_agent_deterministic);
	tcase_add_test(tc, test_agent_targets);
	tcase_add_test(tc, test_agent_bad_hparams);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	tc = tcase_create("learning");
	tcase_add_test(tc, test_agent_learns_bandit);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

/* model */

static char model_dir[512];
static const int model_sizes[] = { 4, 5, 3 };

static void
model_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(model_dir, sizeof model_dir, "%s/check_dqn.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(model_dir));
}

static void
model_teardown(void)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(model_dir);

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s", model_dir,
		    e->d_name) < (int)sizeof path)
			unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(model_dir);
}

static const char *
model_path(const char *name)
{
	static char path[2][512];
	static int which;

	which ^= 1;
	ck_assert_int_lt(snprintf(path[which], sizeof path[which], "%s/%s",
	    model_dir, name), (int)sizeof path[which]);
	return path[which];
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);

	ck_assert_ptr_nonnull(f);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void
spit(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
set_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Saves a 4-5-3 network as "good" and returns its bytes. */
static uint8_t *
good_model(struct dqn_mlp *m, size_t *len)
{
	char *cause = NULL;

	make_net(m, model_sizes, 3, 1, 81);
	ck_assert_msg(dqn_model_save(model_path("good"), m, 1, &cause) == 0,
	    "%s", cause ? cause : "?");
	return slurp(model_path("good"), len);
}

/* Loading path into a fresh 4-5-3 network fails with a message containing
 * want, and leaves the network as it was. */
static void
refused(const char *path, uint32_t feature_version, const char *want)
{
	struct dqn_mlp m;
	char *cause = NULL;
	float *before;

	make_net(&m, model_sizes, 3, 1, 82);
	before = malloc(m.nparams * sizeof *before);
	memcpy(before, m.params, m.nparams * sizeof *before);
	ck_assert_int_eq(dqn_model_load(path, &m, feature_version,
	    model_sizes, 3, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, want) != NULL, "\"%s\" lacks \"%s\"",
	    cause, want);
	ck_assert_msg(strstr(cause, path) != NULL, "\"%s\" lacks the path",
	    cause);
	ck_assert_mem_eq(m.params, before, m.nparams * sizeof *before);
	free(cause);
	free(before);
	dqn_mlp_free(&m);
}

START_TEST(test_crc32)
{
	ck_assert_uint_eq(dqn_crc32(0, "123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(dqn_crc32(dqn_crc32(0, "1234", 4), "56789", 5),
	    0xcbf43926u);
	ck_assert_uint_eq(dqn_crc32(0, "", 0), 0);
}
END_TEST

START_TEST(test_model_round_trip)
{
	struct dqn_mlp a, b;
	char *cause = NULL;
	uint8_t *buf;
	size_t len;

	buf = good_model(&a, &len);
	make_net(&b, model_sizes, 3, 1, 83);
	ck_assert(memcmp(a.params, b.params, a.nparams * 4) != 0);
	ck_assert_msg(dqn_model_load(model_path("good"), &b, 1, model_sizes,
	    3, &cause) == 0, "%s", cause ? cause : "?");
	ck_assert_mem_eq(a.params, b.params, a.nparams * 4);
	free(buf);
	dqn_mlp_free(&a);
	dqn_mlp_free(&b);
}
END_TEST

/* The bytes are as model.h documents them. */
START_TEST(test_model_layout)
{
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len, i;
	uint32_t bits;

	buf = good_model(&m, &len);
	ck_assert_uint_eq(len, 32 + 4 * 3 + 4 * m.nparams);
	ck_assert_mem_eq(buf, "THDQN\0\0\0", 8);
	ck_assert_uint_eq(le32(buf + 8), 1);
	ck_assert_uint_eq(le32(buf + 12), 1);
	ck_assert_uint_eq(le32(buf + 16), 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(le32(buf + 20 + 4 * i), model_sizes[i]);
	ck_assert_uint_eq(le32(buf + 32), 4 * 5 + 5 + 5 * 3 + 3);
	ck_assert_uint_eq(le32(buf + 36), 0);
	for (i = 0; i < m.nparams; i++) {
		memcpy(&bits, &m.params[i], 4);
		ck_assert_uint_eq(le32(buf + 40 + 4 * i), bits);
	}
	ck_assert_uint_eq(le32(buf + len - 4), dqn_crc32(0, buf, len - 4));
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

/* The default network's file is the size model.h states. */
START_TEST(test_model_default_size)
{
	static const int sizes[] = { 16, 64, 64, 3 };
	struct dqn_mlp m;
	char *cause = NULL;
	uint8_t *buf;
	size_t len;

	make_net(&m, sizes, 4, 1, 84);
	ck_assert_int_eq(dqn_model_save(model_path("big"), &m, 7, &cause), 0);
	buf = slurp(model_path("big"), &len);
	ck_assert_uint_eq(len, 21820);
	free(buf);
	ck_assert_int_eq(dqn_model_load(model_path("big"), &m, 7, sizes, 4,
	    &cause), 0);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_bad_magic)
{
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len;

	buf = good_model(&m, &len);
	buf[1] ^= 0x20;
	spit(model_path("bad"), buf, len);
	refused(model_path("bad"), 1, "not a tradehost DQN model");
	spit(model_path("text"), (const uint8_t *)"hello, world\n", 13);
	refused(model_path("text"), 1, "not a tradehost DQN model");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_bad_version)
{
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len;

	buf = good_model(&m, &len);
	set_le32(buf + 8, 2);
	set_le32(buf + len - 4, dqn_crc32(0, buf, len - 4));
	spit(model_path("v2"), buf, len);
	refused(model_path("v2"), 1, "unsupported format version 2, this "
	    "plugin reads version 1");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_feature_version)
{
	struct dqn_mlp m;
	char *cause = NULL;

	make_net(&m, model_sizes, 3, 1, 85);
	ck_assert_int_eq(dqn_model_save(model_path("f2"), &m, 2, &cause), 0);
	refused(model_path("f2"), 1, "features version 2, this plugin "
	    "computes version 1");
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_sizes)
{
	static const int other[] = { 4, 6, 3 };
	struct dqn_mlp m;
	char *cause = NULL;

	make_net(&m, other, 3, 1, 86);
	ck_assert_int_eq(dqn_model_save(model_path("463"), &m, 1, &cause), 0);
	refused(model_path("463"), 1, "layer sizes 4-6-3, this plugin uses "
	    "4-5-3");
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_truncated)
{
	static const size_t cut[] = { 0, 3, 8, 12, 19, 20, 27, 35, 39, 60,
	    100, 200 };
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len, i;

	buf = good_model(&m, &len);
	for (i = 0; i < NELEM(cut); i++) {
		spit(model_path("cut"), buf, cut[i]);
		refused(model_path("cut"), 1, "truncated");
	}
	spit(model_path("cut"), buf, len - 1);
	refused(model_path("cut"), 1, "truncated");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_corrupt)
{
	static const size_t flip[] = { 12, 40, 100, 150 };
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len, i;

	buf = good_model(&m, &len);
	/* A parameter, the feature version (checked after the checksum)
	 * and the checksum itself. */
	for (i = 0; i < NELEM(flip); i++) {
		buf[flip[i]] ^= 0x04;
		spit(model_path("flip"), buf, len);
		refused(model_path("flip"), 1, "corrupt (checksum mismatch)");
		buf[flip[i]] ^= 0x04;
	}
	buf[len - 1] ^= 0x80;
	spit(model_path("flip"), buf, len);
	refused(model_path("flip"), 1, "corrupt (checksum mismatch)");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_bad_header)
{
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len;

	buf = good_model(&m, &len);
	set_le32(buf + 16, 100);
	spit(model_path("hdr"), buf, len);
	refused(model_path("hdr"), 1, "corrupt (100 layer sizes");
	set_le32(buf + 16, 3);
	set_le32(buf + 32, 44);
	spit(model_path("hdr"), buf, len);
	refused(model_path("hdr"), 1, "corrupt (44 parameters, layer sizes "
	    "4-5-3 need 43)");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_trailing)
{
	struct dqn_mlp m;
	uint8_t *buf;
	size_t len;

	buf = good_model(&m, &len);
	buf[len] = 0;
	spit(model_path("long"), buf, len + 1);
	refused(model_path("long"), 1, "trailing bytes");
	free(buf);
	dqn_mlp_free(&m);
}
END_TEST

START_TEST(test_model_missing)
{
	refused(model_path("nope"), 1, "cannot open: No such file");
	refused(model_dir, 1, "cannot open: not a regular file");
}
END_TEST

/* A failed save leaves no temporary behind; a good one replaces the old
 * file and leaves only it. */
START_TEST(test_model_save_atomic)
{
	struct dqn_mlp m;
	char *cause = NULL, bad[600];
	struct dirent *e;
	int files = 0;
	DIR *d;

	make_net(&m, model_sizes, 3, 1, 87);
	ck_assert_int_lt(snprintf(bad, sizeof bad, "%s/no/such/dir/model",
	    model_dir), (int)sizeof bad);
	ck_assert_int_eq(dqn_model_save(bad, &m, 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "cannot create a temporary"));
	free(cause);
	ck_assert_int_eq(dqn_model_save(model_path("m"), &m, 1, &cause), 0);
	m.params[0] += 1;
	ck_assert_int_eq(dqn_model_save(model_path("m"), &m, 1, &cause), 0);
	d = opendir(model_dir);
	while ((e = readdir(d)) != NULL)
		files += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(files, 1);
	dqn_mlp_free(&m);
}
END_TEST

static Suite *
model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");

	tcase_add_checked_fixture(tc, model_setup, model_teardown);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_model_round_trip);
	tcase_add_test(tc, test_model_layout);
	tcase_add_test(tc, test_model_default_size);
	tcase_add_test(tc, test_model_bad_magic);
	tcase_add_test(tc, test_model_bad_version);
	tcase_add_test(tc, test_model_feature_version);
	tcase_add_test(tc, test_model_sizes);
	tcase_add_test(tc, test_model_truncated);
	tcase_add_test(tc, test_model_corrupt);
	tcase_add_test(tc, test_model_bad_header);
	tcase_add_test(tc, test_model_trailing);
	tcase_add_test(tc, test_model_missing);
	tcase_add_test(tc, test_model_save_atomic);
	tcase_set_timeout(tc, 10);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	Suite *(*const suites[])(void) = {
		rng_suite, mlp_suite, adam_suite, huber_suite, replay_suite,
		agent_suite, model_suite,
	};
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < NELEM(suites); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
