#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"
#include "xmalloc.h"

void
params_init(struct params *p, const struct th_plugin *desc)
{
	size_t k;

	p->n = desc->nparams;
	p->nset = 0;
	p->v = xcalloc(p->n, sizeof *p->v);
	for (k = 0; k < p->n; k++) {
		/* Step by the plugin's declared element size (ABI growth). */
		const struct th_param_def *d = (const void *)
		    ((const char *)desc->params + k * desc->param_def_size);

		p->v[k].name = xstrdup(d->name);
		p->v[k].help = d->help != NULL ? xstrdup(d->help) : NULL;
		p->v[k].type = d->type;
		p->v[k].min = d->min;
		p->v[k].max = d->max;
		p->v[k].value = d->def;
	}
}

void
params_free(struct params *p)
{
	size_t k;

	for (k = 0; k < p->n; k++) {
		free(p->v[k].name);
		free(p->v[k].help);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static struct param *
find(const struct params *p, const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < p->n; k++)
		if (strlen(p->v[k].name) == len &&
		    strncmp(p->v[k].name, name, len) == 0)
			return &p->v[k];
	return NULL;
}

static char *
known_names(const struct params *p)
{
	size_t k, len = 1;
	char *s;

	for (k = 0; k < p->n; k++)
		len += strlen(p->v[k].name) + 2;
	s = xcalloc(1, len);
	for (k = 0; k < p->n; k++) {
		if (k > 0)
			strcat(s, ", ");
		strcat(s, p->v[k].name);
	}
	return s;
}

static int
parse_value(const struct param *d, const char *text, double *out, char **cause)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (*text == '\0' || *end != '\0' || errno == ERANGE || isnan(v)) {
		*cause = xasprintf("parameter %s: not a number: '%s'", d->name,
		    text);
		return -1;
	}
	if (d->type != TH_PARAM_REAL && v != trunc(v)) {
		*cause = xasprintf("parameter %s: must be a whole number, got "
		    "'%s'", d->name, text);
		return -1;
	}
	if (d->type == TH_PARAM_BOOL && v != 0 && v != 1) {
		*cause = xasprintf("parameter %s: must be 0 or 1, got '%s'",
		    d->name, text);
		return -1;
	}
	if (v < d->min || v > d->max) {
		*cause = xasprintf("parameter %s: %s is out of range [%g, %g]",
		    d->name, text, d->min, d->max);
		return -1;
	}
	*out = v;
	return 0;
}

int
params_assign(struct params *p, const char *assignment, char **cause)
{
	const char *eq = strchr(assignment, '=');
	struct param *d;
	char *known;

	if (eq == NULL || eq == assignment) {
		*cause = xasprintf("--param: expected NAME=VALUE, got '%s'",
		    assignment);
		return -1;
	}
	d = find(p, assignment, (size_t)(eq - assignment));
	if (d == NULL) {
		known = known_names(p);
		*cause = xasprintf("unknown parameter '%.*s' (this strategy "
		    "has: %s)", (int)(eq - assignment), assignment,
		    p->n ? known : "none");
		free(known);
		return -1;
	}
	if (parse_value(d, eq + 1, &d->value, cause) < 0)
		return -1;
	if (d->set_order == 0)
		d->set_order = ++p->nset;
	return 0;
}

int
params_get(const struct params *p, const char *name, double *value)
{
	const struct param *d = find(p, name, strlen(name));

	if (d == NULL)
		return -1;
	*value = d->value;
	return 0;
}

static void
append_value(char *buf, size_t size, const struct param *d)
{
	char num[40];

	if (d->type == TH_PARAM_REAL)
		py_repr(d->value, num, sizeof num);
	else
		snprintf(num, sizeof num, "%.0f", d->value);
	snprintf(buf + strlen(buf), size - strlen(buf), "%s%s=%s",
	    buf[strlen(buf) - 1] == '(' ? "" : ",", d->name, num);
}

char *
params_describe(const struct params *p, const char *strategy_name)
{
	size_t size = strlen(strategy_name) + 3, k;
	int order;
	char *buf;

	for (k = 0; k < p->n; k++)
		size += strlen(p->v[k].name) + 42;
	buf = xcalloc(1, size);
	strcpy(buf, strategy_name);
	if (p->nset == 0)
		return buf;
	strcat(buf, "(");
	for (order = 1; order <= p->nset; order++)
		for (k = 0; k < p->n; k++)
			if (p->v[k].set_order == order)
				append_value(buf, size, &p->v[k]);
	strcat(buf, ")");
	return buf;
}
