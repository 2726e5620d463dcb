#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timefmt.h"
#include "xmalloc.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

char *
test_data_path(const char *name)
{
	return xasprintf("%s/%s", env_or("TH_TEST_DATA", "tests/data"), name);
}

char *
test_shared_path(const char *rel)
{
	char *p = xasprintf("%s/%s", env_or("TH_SHARED", "../shared"), rel);

	if (access(p, R_OK) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

struct frame *
test_frame(size_t n, const double *open, const double *high,
    const double *low, const double *close)
{
	struct frame *f = frame_new(n, FRAME_INDEX_DATETIME, "test");
	int64_t day0 = timefmt_days(2020, 1, 1);
	size_t i;

	for (i = 0; i < n; i++) {
		double o = open != NULL ? open[i] : close[i];
		double c = close[i];

		f->index[i] = (day0 + (int64_t)i) * TIMEFMT_NS_PER_DAY;
		f->cols[FRAME_OPEN][i] = o;
		f->cols[FRAME_CLOSE][i] = c;
		f->cols[FRAME_HIGH][i] = high != NULL ? high[i] : (o > c ? o : c);
		f->cols[FRAME_LOW][i] = low != NULL ? low[i] : (o < c ? o : c);
		f->cols[FRAME_VOLUME][i] = 1000;
	}
	return f;
}

char *
test_temp_file(const char *text)
{
	char tmpl[] = "/tmp/th-test-XXXXXX";
	int fd = mkstemp(tmpl);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		perror("test_temp_file");
		abort();
	}
	close(fd);
	return xstrdup(tmpl);
}

void
test_add_case(Suite *s, const char *name, const TTest *fn)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, fn);
	suite_add_tcase(s, tc);
}
