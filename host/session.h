/* A run: one strategy instance per symbol (a "leg"), each with its own
 * data, indicators, state and broker queue, all sharing one account,
 * driven in timestamp order over the union of the symbols' bars.  Around
 * the strategy calls sit the risk gate, the audit trail and the state
 * file.  One symbol with none of those is Backtest.run() exactly. */
#ifndef TH_SESSION_H
#define TH_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "audit.h"
#include "broker.h"
#include "engine.h"
#include "frame.h"
#include "params.h"
#include "plugin.h"
#include "result.h"
#include "risk.h"

struct session;

struct session_leg {
	char *symbol;
	const struct frame *data;	/* borrowed */
	struct broker broker;
	struct instance in;
	size_t warmup;			/* spec 2.2 */
	size_t start;			/* the first bar next() sees */
	size_t pos;			/* the next bar of the timeline */
	int inited;			/* init() was called: fini() is due */
};

struct reload;

struct session_options {
	struct engine_options engine;
	const struct risk_config *risk;	/* NULL = no risk gate */
	struct audit *audit;		/* NULL = no audit trail */
	const char *state_path;		/* NULL = no state file */
	const char *resume_path;	/* NULL, or a state file to resume
					 * from without saving (the replay of
					 * a resumed live session) */
	int state_live;			/* the state is a live session's
					 * (state.h) */
	int state_fsync;
	struct th_run_info run;		/* mode, episode, model path */
	void *shared_state;		/* one symbol: a state block the caller
					 * keeps across runs (training); the
					 * session then skips fini() */
	/* Sees every audit row as it happens (the live console and
	 * journal, the replay check); NULL = none.  leg is the symbol's
	 * index, or -1 for an account-wide row. */
	void (*observe)(void *arg, const struct session *s, int leg,
	    const struct audit_row *row);
	void *observe_arg;
	/* Sees every order that passed the gate and was queued, as it is
	 * placed ("entry", "close" or "flatten"): live sessions route it
	 * to a real broker.  Called with observe_arg; NULL = none. */
	void (*placed)(void *arg, const struct session *s, size_t leg,
	    const struct order *o, const char *kind);
	const size_t *min_start;	/* NULL, or per leg the first bar
					 * next() may see: bars before it are
					 * history, for warm-up only (live
					 * sessions and their replays) */
	const struct risk_stale *stale_log; /* replays: the journal's stale
					 * rows (risk_set_stale_log()) */
	size_t nstale_log;
	struct reload *reload;		/* NULL = no hot reload; else the
					 * plugin, params and risk passed to
					 * session_init() are the reload's */
};

struct session {
	const struct plugin *plugin;
	const struct params *params;
	struct session_options opt;
	struct session_leg *legs;
	size_t nlegs;
	struct account acct;
	struct risk risk;
	int datetime;			/* every leg's index is datetime */
	int64_t now;			/* the time being processed */
	size_t step;			/* timeline steps done */
	int bankrupt;
	int resumed;			/* started from a state file */
	int64_t *times;			/* the timeline so far (portfolio) */
	double *equity;			/* account equity at each step */
	size_t cap;
	uint64_t fingerprint;		/* of the last state saved */
};

/* Sets up the legs: symbols[k] trades data[k] (borrowed; outlive the
 * session).  Returns 0, or -1 with *cause for a bad broker configuration
 * or mixed index kinds. */
int session_init(struct session *s, const struct plugin *plugin,
    const struct params *params, const char *const *symbols,
    const struct frame *const *data, size_t n,
    const struct session_options *opt, char **cause)
	__attribute__((warn_unused_result));
/* Runs init() on every leg, resumes from the state file when there is
 * one, processes every bar and finalizes.  Returns 0, or -1 with *cause
 * naming the symbol, the bar and the call. */
int session_run(struct session *s, char **cause)
	__attribute__((warn_unused_result));
/* Live trading, over frames that grow: session_begin() runs init() on
 * every leg; after bars were appended to legs' frames (each later than
 * any bar processed), session_advance() recomputes the indicators and
 * runs the steps of the new bars, exactly as a backtest over all the bars
 * would have; session_end() finalizes and writes the stop row.  Each
 * returns 0, or -1 with *cause. */
int session_begin(struct session *s, char **cause)
	__attribute__((warn_unused_result));
int session_advance(struct session *s, char **cause)
	__attribute__((warn_unused_result));
int session_end(struct session *s, int rc, const char *why, char **cause)
	__attribute__((warn_unused_result));

/* One leg's backtest result (its own data, trades, equity as recorded at
 * its bars).  Moves data out of the leg: call once per leg. */
void session_leg_result(struct session *s, size_t leg, struct run_result *out);
/* The whole account over the timeline: trades of every symbol (with
 * their symbol, bars on the timeline) and the account equity, against an
 * equal-weight index of the symbols' closes.  Returns the timeline frame
 * the result points to; free it after the result. */
struct frame *session_portfolio_result(struct session *s,
    struct run_result *out);
void session_free(struct session *s);

/* The timestamp of leg's bar i as log lines show it, "bar 70 (...)". */
char *session_bar_label(const struct frame *data, int64_t bar);

#endif
