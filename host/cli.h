/* The command line of tradehost(1): parsing into options, and the whole
 * program as a function so tests can run it in-process. */
#ifndef TH_CLI_H
#define TH_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "engine.h"

/* Exit codes, documented in tradehost(1). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,	/* bad data, plugin, parameter or strategy */
	CLI_EXIT_USAGE = 2	/* bad command line */
};

struct cli_options {
	const char *plugin;
	const char *data;		/* NULL = built-in demo data */
	const char **params;		/* NAME=VALUE, in command-line order */
	size_t nparams;
	struct engine_options engine;
	int json;
	const char *trades_path;
	const char *equity_path;
	int verbose;
	int quiet;
	int help;
	int version;
	int list_params;
};

/* Parses argv.  Returns 0, or -1 with *cause naming the option. */
int cli_parse(int argc, char **argv, struct cli_options *o, char **cause)
	__attribute__((warn_unused_result));
void cli_free(struct cli_options *o);
void cli_usage(FILE *out);
/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

#endif
