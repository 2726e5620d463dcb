#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmalloc.h"

static enum log_level max_level = LOG_WARN;
static void (*sink)(enum log_level, const char *, void *);
static void *sink_arg;
static int to_stderr = 1;

/* The daily file: the pattern is expanded with strftime on the local date,
 * and a new file opens when the expansion changes. */
static char *file_pattern;
static char *file_name;
static FILE *file;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_set_level(enum log_level level)
{
	max_level = level;
}

void
log_set_sink(void (*fn)(enum log_level, const char *, void *), void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void
log_set_stderr(int on)
{
	to_stderr = on;
}

static int
expand(const char *pattern, time_t now, char *buf, size_t size)
{
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return -1;
	return strftime(buf, size, pattern, &tm) > 0 ? 0 : -1;
}

/* Opens the file for today's date when it is not open yet. */
static FILE *
current_file(time_t now)
{
	char name[4096];

	if (file_pattern == NULL || expand(file_pattern, now, name,
	    sizeof name) < 0)
		return NULL;
	if (file != NULL && strcmp(name, file_name) == 0)
		return file;
	if (file != NULL)
		fclose(file);
	free(file_name);
	file_name = xstrdup(name);
	file = fopen(name, "a");
	if (file == NULL && to_stderr)
		fprintf(stderr, "tradehost: error: log file %s: %s\n", name,
		    strerror(errno));
	return file;
}

int
log_open_file(const char *pattern, char **cause)
{
	char name[4096];
	FILE *f;

	log_close_file();
	if (expand(pattern, time(NULL), name, sizeof name) < 0) {
		*cause = xasprintf("log file: bad pattern '%s'", pattern);
		return -1;
	}
	f = fopen(name, "a");
	if (f == NULL) {
		*cause = xasprintf("log file: %s: %s", name, strerror(errno));
		return -1;
	}
	file_pattern = xstrdup(pattern);
	file_name = xstrdup(name);
	file = f;
	return 0;
}

void
log_close_file(void)
{
	if (file != NULL)
		fclose(file);
	free(file_pattern);
	free(file_name);
	file = NULL;
	file_pattern = file_name = NULL;
}

static void
write_file(enum log_level level, const char *msg)
{
	time_t now = time(NULL);
	FILE *f = current_file(now);
	struct tm tm;
	char stamp[32];

	if (f == NULL || localtime_r(&now, &tm) == NULL)
		return;
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s %s: %s\n", stamp, level_names[level], msg);
	fflush(f);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level > max_level && sink == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The transport threads log too: one line at a time, and the daily
	 * file's rotation under the same lock. */
	pthread_mutex_lock(&log_lock);
	if (sink != NULL)
		sink(level, msg, sink_arg);
	else {
		if (file_pattern != NULL)
			write_file(level, msg);
		if (to_stderr)
			fprintf(stderr, "tradehost: %s: %s\n",
			    level_names[level], msg);
	}
	pthread_mutex_unlock(&log_lock);
}
