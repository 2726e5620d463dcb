/* The command line of tradehost(1): parsing into settings (on top of the
 * configuration file), and the whole program as a function so tests can
 * run it in-process. */
#ifndef TH_CLI_H
#define TH_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "journal.h"
#include "settings.h"

/* Exit codes, documented in tradehost(1). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,	/* bad data, plugin, parameter, state or
				 * strategy */
	CLI_EXIT_USAGE = 2	/* bad command line or configuration file */
};

struct cli_options {
	struct settings s;	/* the file's settings, then the flags' */
	int verbose;		/* -v count */
	int quiet;
	int help;
	int version;
	int list_params;
	int data_given;		/* a --data seen: the file's data is gone */
	struct journal_meta replay; /* --replay: the journal's meta */
	int argc;		/* the command line parsed (borrowed): a */
	char **argv;		/* hot reload parses it again */
};

/* Parses argv, reading the --config file first.  Returns 0, or -1 with
 * *cause naming the option or the file:line. */
int cli_parse(int argc, char **argv, struct cli_options *o, char **cause)
	__attribute__((warn_unused_result));
void cli_free(struct cli_options *o);
void cli_usage(FILE *out);
/* An option's finite number, or a whole number >= min.  Return 0, or -1
 * with *cause "--OPT: not a number: 'TEXT'". */
int cli_parse_number(const char *opt, const char *text, double *out,
    char **cause) __attribute__((warn_unused_result));
int cli_parse_count(const char *opt, const char *text, int64_t min,
    int64_t *out, char **cause) __attribute__((warn_unused_result));
/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

#endif
