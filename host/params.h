/* Strategy parameters: the plugin's declarations, their current values, and
 * NAME=VALUE assignments from the command line. */
#ifndef TH_PARAMS_H
#define TH_PARAMS_H

#include <stddef.h>

#include "tradehost.h"

struct param {
	char *name;		/* copied from the plugin */
	enum th_param_type type;
	double min;
	double max;
	double value;
	char *help;		/* copied; NULL when the plugin gave none */
	int set_order;		/* 0 = default; else order of first --param */
};

struct params {
	struct param *v;
	size_t n;
	int nset;
};

/* Copies the plugin's declarations with their defaults.  The declarations
 * were checked by plugin_validate(). */
void params_init(struct params *p, const struct th_plugin *desc);
void params_free(struct params *p);
/* Applies "NAME=VALUE".  Returns 0, or -1 with *cause for an unknown name,
 * a value that is not a number of the parameter's type, or one out of its
 * range. */
int params_assign(struct params *p, const char *assignment, char **cause)
	__attribute__((warn_unused_result));
/* Returns 0 and the value, or -1 when there is no such parameter. */
int params_get(const struct params *p, const char *name, double *value);
/* str(strategy) as backtesting.py prints it: the name followed by the
 * explicitly set parameters, "SmaCross(fast=10,slow=30)".  Caller frees. */
char *params_describe(const struct params *p, const char *strategy_name);

#endif
