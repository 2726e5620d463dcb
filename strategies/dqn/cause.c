/* Cause strings for the DQN core; see cause.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cause.h"

int
dqn_fail(char **cause, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cause == NULL)
		return -1;
	*cause = NULL;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (*cause = malloc((size_t)n + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(*cause, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return -1;
}
