#include "result.h"

#include <stdlib.h>

void
result_free(struct run_result *r)
{
	size_t k;

	if (r == NULL)
		return;
	for (k = 0; k < r->ntrades; k++) {
		free(r->trades[k].tag);
		free(r->trades[k].symbol);
	}
	for (k = 0; k < r->nind; k++) {
		free(r->ind[k].name);
		free(r->ind[k].values);
	}
	free(r->trades);
	free(r->ind);
	free(r->equity);
	free(r->strategy);
	r->trades = NULL;
	r->ind = NULL;
	r->equity = NULL;
	r->strategy = NULL;
	r->ntrades = r->nind = 0;
}
