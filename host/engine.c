#include "engine.h"

#include <math.h>

#include "session.h"

/* The first non-NaN position; 0 for an all-NaN series (spec 2.2). */
static size_t
first_valid(const double *v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!isnan(v[k]))
			return k;
	return 0;
}

size_t
engine_warmup(const struct instance *in)
{
	size_t k, w = 0, f;

	for (k = 0; k < in->nind; k++) {
		if (in->ind[k].flags & TH_IND_NO_WARMUP)
			continue;
		f = first_valid(in->ind[k].values, in->data->n);
		if (f > w)
			w = f;
	}
	return w;
}

int
engine_run(const struct plugin *plugin, const struct params *params,
    const struct frame *data, const struct engine_options *opt,
    struct run_result *out, char **cause)
{
	struct session s;
	struct session_options so = { .engine = *opt };
	const char *symbol = data->source != NULL ? data->source : "";
	int rc;

	if (session_init(&s, plugin, params, &symbol, &data, 1, &so, cause) < 0)
		return -1;
	rc = session_run(&s, cause);
	if (rc == 0)
		session_leg_result(&s, 0, out);
	session_free(&s);
	return rc;
}
