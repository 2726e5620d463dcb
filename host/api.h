/* The host side of the SDK: one strategy instance (the object behind a
 * th_ctx) and the th_host_api table that strategies call. */
#ifndef TH_API_H
#define TH_API_H

#include <stddef.h>
#include <stdint.h>

#include "broker.h"
#include "frame.h"
#include "params.h"
#include "tradehost.h"

enum api_phase { API_INIT, API_NEXT, API_DONE };

struct instance;
struct risk_config;

/* What the session hooks into the API: the risk gate every strategy order
 * passes, and the audit of the orders that get through. */
struct instance_hooks {
	/* 0 = go on; -1 = refused, with *reason (owned by the caller). */
	int (*gate)(void *arg, struct instance *in, int side, double size,
	    double limit, double stop, char **reason);
	/* An order queued by the strategy: kind "entry" (buy/sell) or
	 * "close" (trade_close/position_close, one per order). */
	void (*placed)(void *arg, struct instance *in, const struct order *o,
	    const char *kind);
};

struct api_indicator {
	char *name;		/* report name, e.g. "SMA(C,10)" */
	double *values;		/* full length */
	uint32_t flags;		/* TH_IND_* */
	/* How to compute it again over a longer series (live bars). */
	int kind;		/* th_indicator_kind */
	int source;		/* built-ins: the column, -1 for none */
	uint32_t period;
	th_compute_fn compute;	/* custom: the plugin's function */
	void *user;
	int *inputs;		/* custom: ninputs column numbers */
	uint32_t ninputs;
	struct indicator_stream *stream; /* built-ins over live bars */
};

struct instance {
	struct th_ctx pub;	/* first, so a th_ctx * is an instance * */
	const struct th_plugin *desc;
	const char *name;	/* for log lines */
	const struct frame *data;
	struct broker *broker;
	const struct params *params;
	enum api_phase phase;
	int64_t bar;		/* -1 during init() */
	struct api_indicator *ind;
	size_t nind;
	char *error;		/* the first fatal misuse, e.g. an invalid
				 * order; the engine stops the run on it */
	void *state;		/* the plugin's state block */
	const char *symbol;	/* th_symbol(); never NULL */
	const struct instance_hooks *hooks; /* NULL = no gate, no audit */
	void *hook_arg;
	const struct risk_config *risk; /* th_risk_units() defaults */
	char *refusal;		/* why the last order was refused */
	struct th_run_info run;	/* th_run_info() */
	int state_borrowed;	/* state belongs to the caller (training) */
};

extern const struct th_host_api api_table;

void api_instance_init(struct instance *in, const struct th_plugin *desc,
    const char *name, const struct frame *data, struct broker *broker,
    const struct params *params);
/* Replaces the instance's state block by one the caller keeps (a training
 * run carries one block through every episode). */
void api_instance_borrow_state(struct instance *in, void *state);
void api_instance_free(struct instance *in);
/* Computes every indicator again over the instance's data after bars were
 * appended to it (live trading), with the same code as init() used, so a
 * backtest over the same bars sees the same values.  Returns 0, or -1
 * with *cause when a custom compute() fails. */
int api_instance_recompute(struct instance *in, char **cause)
	__attribute__((warn_unused_result));

#endif
