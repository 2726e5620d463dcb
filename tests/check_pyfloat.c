/* Python float semantics: floor division, round-half-even, repr. */
#include <math.h>

#include "pyfloat.h"
#include "suites.h"

START_TEST(floordiv_matches_python)
{
	ck_assert_double_eq(py_floordiv(1, 0.1), 9);	/* not floor(1/0.1) */
	ck_assert_double_eq(py_floordiv(7, 2), 3);
	ck_assert_double_eq(py_floordiv(-7, 2), -4);
	ck_assert_double_eq(py_floordiv(7, -2), -4);
	ck_assert_double_eq(py_floordiv(10000 * (1 - 0x1p-52), 112.965), 88);
	ck_assert_double_eq(py_floordiv(10000 * (1 - 0x1p-52), 210.75), 47);
	ck_assert(signbit(py_floordiv(-0.0, 5)));
	ck_assert_double_eq(py_floordiv(10000, INFINITY), 0);
	ck_assert_double_eq(py_floordiv(0.3, 0.1), 2);
	ck_assert_double_eq(py_floordiv(3 * 0.1, 0.1), 3);
	ck_assert_double_eq(py_floordiv(1e300, 1e-300), INFINITY);
}
END_TEST

START_TEST(round_half_even)
{
	ck_assert_double_eq(py_round(2.5), 2);
	ck_assert_double_eq(py_round(1.5), 2);
	ck_assert_double_eq(py_round(0.5), 0);
	ck_assert_double_eq(py_round(-2.5), -2);
	ck_assert_double_eq(py_round(2.6), 3);
}
END_TEST

START_TEST(repr_shortest_round_trip)
{
	char b[40];

	ck_assert_str_eq(py_repr(0.1, b, sizeof b), "0.1");
	ck_assert_str_eq(py_repr(51422.98999999996, b, sizeof b),
	    "51422.98999999996");
	ck_assert_str_eq(py_repr(10.0, b, sizeof b), "10.0");
	ck_assert_str_eq(py_repr(1e-05, b, sizeof b), "1e-05");
	ck_assert_str_eq(py_repr(0.0001, b, sizeof b), "0.0001");
	ck_assert_str_eq(py_repr(1e16, b, sizeof b), "1e+16");
	ck_assert_str_eq(py_repr(123456789012345678.0, b, sizeof b),
	    "1.2345678901234568e+17");
	ck_assert_str_eq(py_repr(-0.0, b, sizeof b), "-0.0");
	ck_assert_str_eq(py_repr(NAN, b, sizeof b), "nan");
	ck_assert_str_eq(py_repr(-INFINITY, b, sizeof b), "-inf");
	ck_assert_str_eq(py_repr(180.36000000000001, b, sizeof b), "180.36");
}
END_TEST

Suite *
pyfloat_suite(void)
{
	Suite *s = suite_create("pyfloat");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, floordiv_matches_python);
	tcase_add_test(tc, round_half_even);
	tcase_add_test(tc, repr_shortest_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
