/* Helpers shared by the Check suites. */
#ifndef TH_TESTUTIL_H
#define TH_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "frame.h"

/* $TH_TEST_DATA/name (the project's own small fixtures in tests/data);
 * caller frees. */
char *test_data_path(const char *name);
/* $TH_SHARED/rel when that file exists, else NULL; caller frees. */
char *test_shared_path(const char *rel);
/* A daily frame from 2020-01-01 on.  Any of open/high/low may be NULL: open
 * then equals close, high = max(open, close), low = min(open, close). */
struct frame *test_frame(size_t n, const double *open, const double *high,
    const double *low, const double *close);
/* Adds a TCase of one test, with a 10 s timeout, to s. */
void test_add_case(Suite *s, const char *name, const TTest *fn);
/* Writes text to a fresh temporary file and returns its path; caller frees
 * and unlinks. */
char *test_temp_file(const char *text);

#endif
