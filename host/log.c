#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level max_level = LOG_WARN;
static void (*sink)(enum log_level, const char *, void *);
static void *sink_arg;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

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
log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level > max_level && sink == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sink != NULL)
		sink(level, msg, sink_arg);
	else
		fprintf(stderr, "tradehost: %s: %s\n", level_names[level], msg);
}
