#include "pyfloat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fmod(a, b) for finite a >= 0, b > 0 with a / b < 2^52, without libm's
 * bit-by-bit loop: the truncated quotient q is off by at most one, and
 * a - q * b computed by one fma is exact once q is right, because fmod's
 * result is always representable.  An off-by-one q shows as a remainder
 * outside [0, b), which rounding cannot hide. */
static double
fast_fmod(double a, double b)
{
	double q = trunc(a / b), r = fma(-q, b, a);

	if (r < 0)
		r = fma(-(q - 1), b, a);
	else if (r >= b)
		r = fma(-(q + 1), b, a);
	return r;
}

double
py_floordiv(double a, double b)
{
	double mod, div, q;

	if (a >= 0 && b > 0 && isfinite(a) && isfinite(b) && a / b < 0x1p52)
		mod = fast_fmod(a, b);
	else
		mod = fmod(a, b);
	div = (a - mod) / b;
	if (mod != 0 && ((b < 0) != (mod < 0))) {
		mod += b;
		div -= 1.0;
	}
	if (div != 0) {
		q = floor(div);
		if (div - q > 0.5)
			q += 1.0;
	} else
		q = copysign(0.0, a / b);
	return q;
}

double
py_round(double x)
{
	/* The default rounding mode is round-half-to-even, which is what
	 * Python's round() does for floats. */
	return nearbyint(x);
}

/* Python switches to exponent notation when the decimal exponent is below
 * -4 or at least 16 (float_repr_style 'short'). */
static char *
repr_exponent(double x, int prec, char *buf, size_t size)
{
	char tmp[40], *e;
	int exp;

	snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
	e = strchr(tmp, 'e');
	exp = atoi(e + 1);
	*e = '\0';
	snprintf(buf, size, "%se%c%02d", tmp, exp < 0 ? '-' : '+', abs(exp));
	return buf;
}

char *
py_repr(double x, char *buf, size_t size)
{
	char tmp[40];
	int prec, exp;

	if (isnan(x))
		return snprintf(buf, size, "nan"), buf;
	if (isinf(x))
		return snprintf(buf, size, x < 0 ? "-inf" : "inf"), buf;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	exp = atoi(strchr(tmp, 'e') + 1);
	if (exp < -4 || exp >= 16)
		return repr_exponent(x, prec, buf, size);
	/* Fixed notation with exactly the significant digits found above,
	 * and at least one digit after the point, as Python prints 10.0. */
	snprintf(buf, size, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 1, x);
	return buf;
}
