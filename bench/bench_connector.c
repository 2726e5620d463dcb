/* Benchmark: a feed connector's parse cost per stream message, alone (no
 * socket, no lws, no engine).  Loads the connector, feeds every line of a
 * recorded stream (JSON Lines, one message a line, as bench_live.sh
 * records it) to on_message() through the host's connector layer, five
 * times, and prints the median nanoseconds per message and the bars
 * reported.  Under valgrind --tool=callgrind it gives instructions per
 * message.
 *
 *	usage: bench_connector STREAM.jsonl [CONNECTOR]	(default
 *				plugins/binance.so) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connector.h"
#include "xmalloc.h"

#define ROUNDS 5

struct lines {
	char **v;
	size_t *len;
	size_t n, cap;
};

static unsigned long bars, closed;

static void
sink_bar(void *arg, const char *symbol, const struct th_bar *bar)
{
	(void)arg;
	(void)symbol;
	bars++;
	closed += bar->closed != 0;
}

static const struct connector_sink sink = { .bar = sink_bar };

static void
load(const char *path, struct lines *l)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 1024;
			l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
			l->len = xreallocarray(l->len, l->cap, sizeof *l->len);
		}
		l->v[l->n] = xstrdup(line);
		l->len[l->n++] = (size_t)n;
	}
	free(line);
	fclose(f);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	static const char *const symbols[] = { "BTCUSDT" };
	struct connector c;
	struct lines l = { 0 };
	double ns[ROUNDS], t0;
	char *cause = NULL;
	size_t i, r, bad = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_connector STREAM.jsonl "
		    "[CONNECTOR]\n");
		return 2;
	}
	load(argv[1], &l);
	if (connector_load(argc == 3 ? argv[2] : "plugins/binance.so",
	    TH_PLUGIN_FEED, &c, &cause) < 0 ||
	    connector_open(&c, symbols, 1, &sink, NULL, &cause) < 0) {
		fprintf(stderr, "bench_connector: %s\n", cause);
		return 1;
	}
	for (r = 0; r < ROUNDS; r++) {
		bars = closed = 0;
		t0 = now();
		for (i = 0; i < l.n; i++)
			bad += connector_on_message(&c, l.v[i], l.len[i]) !=
			    TH_OK;
		ns[r] = (now() - t0) / (double)(l.n ? l.n : 1);
	}
	qsort(ns, ROUNDS, sizeof *ns, cmp_double);
	printf("%s: %zu message(s), %lu bar(s) (%lu closed), %zu refused: "
	    "%.0f ns/message, median of %d\n", c.name, l.n, bars, closed,
	    bad / ROUNDS, ns[ROUNDS / 2], ROUNDS);
	connector_unload(&c);
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	free(l.len);
	return 0;
}
