/*
 * RFC 3339 timestamps for the connector plugins, compiled into each plugin
 * that needs them (plugins link no host code).  Times are nanoseconds since
 * 1970-01-01 UTC, as in the SDK.
 */
#ifndef PLUGINS_RFC3339_H
#define PLUGINS_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" ('t', 'z' and a
 * space separator accepted) into *ns.  Fraction digits past the ninth are
 * ignored (truncated).  Returns 0, or -1 for anything else, leaving *ns
 * unchanged (also for s NULL). */
int rfc3339_parse(const char *s, int64_t *ns);

/* Writes ns as "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the fraction only when
 * non-zero and without trailing zeros.  out of 36 bytes always suffices;
 * a shorter one gets a truncated, NUL-terminated string (size > 0). */
void rfc3339_format(int64_t ns, char *out, size_t size);

#endif
