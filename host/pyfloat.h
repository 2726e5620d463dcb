/* Python float semantics that parity with backtesting.py depends on. */
#ifndef TH_PYFLOAT_H
#define TH_PYFLOAT_H

#include <stddef.h>

/* Python's a // b for floats (CPython float_floor_div), not floor(a / b). */
double py_floordiv(double a, double b);
/* Python's round(x) for a float: half to even. */
double py_round(double x);
/* Writes the shortest decimal string that reads back as x, as Python's
 * repr(float) does ("0.1", "51422.98999999996", "1e-05", "nan", "inf").
 * buf must hold at least 32 bytes. Returns buf. */
char *py_repr(double x, char *buf, size_t size);

#endif
