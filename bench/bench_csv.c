/* CSV ingest benchmark: csv_parse over in-memory synthetic data in
 * GOOG.csv's shape, and csv_read of the same bytes from a file, five runs
 * each, reporting the median in MB/s (10^6 bytes per second). */
#define _POSIX_C_SOURCE 200809L
#define GEN_BARS_NO_MAIN

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "frame.h"

#include "gen_bars.c"	/* gen_bars_write(): the bytes gen_bars prints */

#define RUNS 5

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static char *
generate(long nbars, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	if (fp == NULL) {
		perror("open_memstream");
		exit(1);
	}
	gen_bars_write(fp, nbars);
	fclose(fp);
	return buf;
}

/* Runs one ingest RUNS times and prints the median; exits on error. */
static void
measure(const char *what, const char *buf, size_t len, const char *path)
{
	double t[RUNS], t0;
	struct frame *f;
	char *cause;
	size_t n = 0;
	int r, rv;

	for (r = 0; r < RUNS; r++) {
		t0 = now();
		if (path != NULL)
			rv = csv_read(path, &f, &cause);
		else
			rv = csv_parse(buf, len, "bench", &f, &cause);
		t[r] = now() - t0;
		if (rv != 0) {
			fprintf(stderr, "bench_csv: %s\n", cause);
			exit(1);
		}
		n = f->n;
		frame_free(f);
	}
	qsort(t, RUNS, sizeof t[0], cmp_double);
	printf("%-9s %-6s %8zu rows %6.1f MB: median %7.2f ms  %6.0f MB/s\n",
	    what, path != NULL ? "file" : "memory", n, (double)len / 1e6,
	    t[RUNS / 2] * 1e3, (double)len / 1e6 / t[RUNS / 2]);
}

static char *
write_temp(const char *buf, size_t len)
{
	char tmpl[] = "/tmp/bench_csv-XXXXXX";
	int fd = mkstemp(tmpl);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) != 0) {
		perror("bench_csv: temporary file");
		exit(1);
	}
	return strdup(tmpl);
}

static void
bench(const char *what, long nbars)
{
	size_t len;
	char *buf = generate(nbars, &len), *path;

	measure(what, buf, len, NULL);
	path = write_temp(buf, len);
	measure(what, NULL, len, path);
	unlink(path);
	free(path);
	free(buf);
}

int
main(void)
{
	/* Daily bars stop at pandas' last Timestamp, so a million bars are
	 * hourly; the daily run has GOOG.csv's exact row shape. */
	bench("hourly", 1000000);
	bench("daily", DAILY_MAX);
	return 0;
}
