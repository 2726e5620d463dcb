/* The configuration file, tradehost.conf(5): a libconfig file read into a
 * struct settings.  The command line is applied on top of it afterwards. */
#ifndef TH_CONF_H
#define TH_CONF_H

#include "settings.h"

/* Reads the file at path into *s on top of what it holds (settings_init()
 * defaults or an earlier state) and records path in s->config_path.
 * Relative paths in the file are resolved against the file's directory.
 * Returns 0, or -1 with *cause (caller frees) "FILE:LINE: key: message"
 * or "FILE: message".  On failure *s may be partly written: callers load
 * into a scratch struct settings and keep it only on success. */
int conf_load(const char *path, struct settings *s, char **cause)
	__attribute__((warn_unused_result));

#endif
