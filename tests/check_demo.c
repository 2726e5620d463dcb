#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "demo.h"
#include "frame.h"
#include "suites.h"
#include "testutil.h"
#include "timefmt.h"

/* FNV-1a over the index and the five columns, byte by byte. */
static uint64_t
frame_hash(const struct frame *f)
{
	const unsigned char *p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i, col;

	p = (const unsigned char *)f->index;
	for (i = 0; i < f->n * sizeof *f->index; i++)
		h = (h ^ p[i]) * UINT64_C(0x100000001b3);
	for (col = 0; col < FRAME_NBASE; col++) {
		p = (const unsigned char *)f->cols[col];
		for (i = 0; i < f->n * sizeof(double); i++)
			h = (h ^ p[i]) * UINT64_C(0x100000001b3);
	}
	return h;
}

START_TEST(test_shape)
{
	struct frame *f = demo_generate(DEMO_BARS, DEMO_SEED);

	ck_assert_uint_eq(f->n, DEMO_BARS);
	ck_assert_uint_eq(f->ncols, FRAME_NBASE);
	ck_assert_int_eq(f->index_kind, FRAME_INDEX_DATETIME);
	ck_assert_str_eq(f->source, "demo");
	ck_assert_int_eq(f->index[0], timefmt_days(2010, 1, 4) *
	    TIMEFMT_NS_PER_DAY);
	frame_free(f);
	ck_assert_ptr_null(demo_generate(0, DEMO_SEED));
	ck_assert_ptr_null(demo_generate(DEMO_MAX_BARS + 1, DEMO_SEED));
	f = demo_generate(DEMO_MAX_BARS, DEMO_SEED);
	ck_assert_int_eq(timefmt_day_of(f->index[DEMO_MAX_BARS - 1]),
	    timefmt_days(2262, 4, 11));
	frame_free(f);
}
END_TEST

START_TEST(test_deterministic)
{
	struct frame *a = demo_generate(DEMO_BARS, DEMO_SEED);
	struct frame *b = demo_generate(DEMO_BARS, DEMO_SEED);
	struct frame *c = demo_generate(DEMO_BARS, DEMO_SEED + 1);
	struct frame *d = demo_generate(10, DEMO_SEED);

	ck_assert_uint_eq(frame_hash(a), frame_hash(b));
	ck_assert_uint_ne(frame_hash(a), frame_hash(c));
	/* A shorter run is a prefix of the longer one. */
	ck_assert_int_eq(memcmp(d->cols[FRAME_CLOSE], a->cols[FRAME_CLOSE],
	    10 * sizeof(double)), 0);
	frame_free(a);
	frame_free(b);
	frame_free(c);
	frame_free(d);
}
END_TEST

START_TEST(test_golden)
{
	struct frame *f = demo_generate(DEMO_BARS, DEMO_SEED);

	/* Pinned bytes: a change here changes every demo result. */
	ck_assert_double_eq(f->cols[FRAME_CLOSE][0], 102.68);
	ck_assert_double_eq(f->cols[FRAME_CLOSE][DEMO_BARS - 1], 110.35);
	ck_assert_uint_eq(frame_hash(f), UINT64_C(0x14a6622c5b33c92d));
	frame_free(f);
}
END_TEST

START_TEST(test_ohlc_consistent)
{
	struct frame *f = demo_generate(DEMO_BARS, DEMO_SEED);
	double o, h, l, c, v;
	size_t i, col;

	for (i = 0; i < f->n; i++) {
		o = f->cols[FRAME_OPEN][i];
		h = f->cols[FRAME_HIGH][i];
		l = f->cols[FRAME_LOW][i];
		c = f->cols[FRAME_CLOSE][i];
		v = f->cols[FRAME_VOLUME][i];
		ck_assert(l > 0);
		ck_assert(l <= fmin(o, c) && h >= fmax(o, c));
		ck_assert(v > 0 && v == floor(v));
		for (col = 0; col < FRAME_VOLUME; col++)
			ck_assert_double_eq(f->cols[col][i],
			    round(f->cols[col][i] * 100) / 100);
	}
	frame_free(f);
}
END_TEST

START_TEST(test_business_days)
{
	struct frame *f = demo_generate(DEMO_BARS, DEMO_SEED);
	int64_t gap;
	size_t i;

	for (i = 0; i < f->n; i++) {
		ck_assert_int_lt(timefmt_weekday(f->index[i]), 5);
		if (i == 0)
			continue;
		gap = (f->index[i] - f->index[i - 1]) / TIMEFMT_NS_PER_DAY;
		ck_assert(gap == 1 || (gap == 3 &&
		    timefmt_weekday(f->index[i]) == 0));
	}
	frame_free(f);
}
END_TEST

static double
sma(const double *x, size_t i, size_t n)
{
	double s = 0;
	size_t k;

	for (k = i + 1 - n; k <= i; k++)
		s += x[k];
	return s / (double)n;
}

START_TEST(test_sma_crossings)
{
	struct frame *f = demo_generate(DEMO_BARS, DEMO_SEED);
	const double *c = f->cols[FRAME_CLOSE];
	double f0, s0, f1, s1;
	size_t i, n = 0;

	for (i = 30; i < f->n; i++) {
		f0 = sma(c, i - 1, 10);
		s0 = sma(c, i - 1, 30);
		f1 = sma(c, i, 10);
		s1 = sma(c, i, 30);
		n += (f0 < s0 && f1 > s1) || (f0 > s0 && f1 < s1);
	}
	ck_assert_msg(n >= 24 && n <= 120, "%zu crossings", n);
	frame_free(f);
}
END_TEST

Suite *
demo_suite(void)
{
	Suite *s = suite_create("demo");

	test_add_case(s, "shape", test_shape);
	test_add_case(s, "deterministic", test_deterministic);
	test_add_case(s, "golden", test_golden);
	test_add_case(s, "ohlc_consistent", test_ohlc_consistent);
	test_add_case(s, "business_days", test_business_days);
	test_add_case(s, "sma_crossings", test_sma_crossings);
	return s;
}
