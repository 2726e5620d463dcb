/* Benchmark: the pause a hot reload causes.  Runs the reload test strategy
 * (tests/plugins/reload_v1.so) over the 2000 demo bars with a reload
 * before each of 1000 bars, every one reading a configuration file again
 * and loading the plugin from a fresh copy, and measures, per reload, the
 * time from the bar boundary (the reload begins) to the first next() of
 * the new generation (its per-bar debug line reaches the log).  Prints
 * the median, the 90th percentile and the maximum.
 *
 *	usage: bench_reload [PLUGIN.so]	(default
 *				 tests/plugins/.libs/reload_v1.so) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "demo.h"
#include "log.h"
#include "reload.h"
#include "session.h"
#include "xmalloc.h"

#define RELOADS 1000
#define FIRST 31		/* the strategy's second bar */

static struct reload rl;
static double pause_ms[RELOADS];
static unsigned measured;	/* reloads whose first next() was seen */
static unsigned refused;

static double
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) * 1e-6;
}

/* Every log line: the strategy's "bar N" line after a reload ends the
 * pause; the rest is dropped. */
static void
sink(enum log_level level, const char *msg, void *arg)
{
	struct timespec t;

	(void)level;
	(void)arg;
	if (measured >= rl.done || measured >= RELOADS ||
	    strstr(msg, "Reload: bar ") == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	pause_ms[measured++] = ms_between(&rl.seen, &t);
}

static int
reread(void *arg, struct settings *out, char **cause)
{
	settings_init(out);
	if (conf_load(arg, out, cause) < 0) {
		settings_free(out);
		return -1;
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A configuration file naming the plugin by its absolute path. */
static char *
write_config(const char *plugin)
{
	char *path = xstrdup("/tmp/bench_reload.XXXXXX"), *abs, *cwd;
	FILE *f;
	int fd = mkstemp(path);

	cwd = getcwd(NULL, 0);
	abs = plugin[0] == '/' ? xstrdup(plugin) : xasprintf("%s/%s",
	    cwd != NULL ? cwd : ".", plugin);
	free(cwd);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "strategy = { plugin = \"%s\"; params = { fast = 10; "
	    "slow = 30; }; };\n", abs);
	fclose(f);
	free(abs);
	return path;
}

static int
run(const char *plugin_path, const char *cfg, char **cause)
{
	struct settings start;
	struct plugin pl;
	struct params params;
	struct session s;
	struct session_options so = { .reload = &rl };
	struct frame *data = demo_generate(DEMO_BARS, DEMO_SEED);
	const char *symbol = "DEMO";
	size_t at[RELOADS], k;
	struct reload_source src = { reread, (void *)cfg, &start };
	int rc = -1;

	if (reread((void *)cfg, &start, cause) < 0)
		return -1;
	so.engine = start.engine;
	for (k = 0; k < RELOADS; k++)
		at[k] = FIRST + k;
	if (plugin_load(plugin_path, &pl, cause) < 0)
		goto out;
	params_init(&params, pl.desc);
	reload_init(&rl, &pl, &params, NULL, &src, at, RELOADS);
	if (session_init(&s, &rl.plugin, &rl.params, &symbol,
	    (const struct frame *const *)&data, 1, &so, cause) == 0) {
		rc = session_run(&s, cause);
		session_free(&s);
	}
	refused = rl.refused;
	reload_free(&rl);
out:
	settings_free(&start);
	frame_free(data);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *plugin = argc > 1 ? argv[1] :
	    "tests/plugins/.libs/reload_v1.so";
	char *cfg = write_config(plugin), *cause = NULL;
	unsigned n;

	log_set_level(LOG_DEBUG);
	log_set_sink(sink, NULL);
	if (run(plugin, cfg, &cause) < 0) {
		fprintf(stderr, "bench_reload: %s\n", cause);
		unlink(cfg);
		return 1;
	}
	unlink(cfg);
	free(cfg);
	n = measured;
	if (refused > 0 || n < RELOADS) {
		fprintf(stderr, "bench_reload: %u reloads measured, %u "
		    "refused\n", n, refused);
		return 1;
	}
	qsort(pause_ms, n, sizeof *pause_ms, cmp_double);
	printf("reload pause (bar boundary to the new generation's first "
	    "next()) over %u reloads:\n  median %.3f ms, p90 %.3f ms, max "
	    "%.3f ms\n", n, pause_ms[n / 2], pause_ms[n * 9 / 10],
	    pause_ms[n - 1]);
	return 0;
}
