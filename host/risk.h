/* The pre-trade risk gate: one check every order a strategy places goes
 * through, the same in backtest, paper and live, and the account-wide
 * clock that drives the daily limits, the HALTED state and the
 * end-of-day flatten.  Pure bookkeeping over numbers the session hands
 * in: it never touches a broker, so it is tested on its own. */
#ifndef TH_RISK_H
#define TH_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "settings.h"

enum risk_halt {
	RISK_RUNNING = 0,
	RISK_HALT_DAILY_LOSS = 1,	/* until the next day */
	RISK_HALT_DRAWDOWN = 2		/* for good */
};

/* Everything that evolves, in one plain struct the state file saves. */
struct risk_state {
	int64_t day;			/* day number of the last bar seen */
	int started;			/* a bar has been seen */
	double day_start_equity;
	double peak_equity;
	int32_t halt;			/* enum risk_halt */
	int32_t flattened;		/* flattened today */
	double tokens;			/* order bucket */
	int64_t token_time;		/* bar time of the last refill */
	int64_t entries_today;		/* account-wide */
};

/* A symbol was stale at a step: the journal's record of a wall-clock
 * fact, so that a replay refuses what the live session refused. */
struct risk_stale {
	int64_t time;			/* the step's bar time */
	size_t leg;
	int64_t seconds;		/* how long without an update */
};

struct risk {
	struct risk_config cfg;
	struct risk_state st;
	int64_t *leg_orders;		/* per strategy instance, today */
	int64_t *stale;			/* per leg: seconds without an update,
					 * 0 = fresh (not saved: transient) */
	const struct risk_stale *stale_log; /* replay: borrowed, by time */
	size_t nstale_log, stale_next;
	size_t nlegs;
	int datetime;			/* bar times are ns; else an integer
					 * index: one day, no clock */
};

/* The order being checked, and the account as it stands. */
struct risk_order {
	size_t leg;
	int side;			/* +1 buy, -1 sell */
	double size;			/* as placed: (0, 1) fraction or units */
	double limit;			/* 0 = none */
	double stop;
	double price;			/* the leg's last Close */
	double position;		/* the leg's position, signed units */
	int hedging;
	double equity;
	double margin_available;
	double leverage;
	size_t positions_held;		/* symbols with a position */
	int duplicate;			/* an identical order is pending */
	int64_t time;			/* bar time (ns, or the integer index) */
	const char *symbol;		/* for messages; NULL = none */
};

void risk_init(struct risk *r, const struct risk_config *cfg, size_t nlegs,
    int datetime);
void risk_free(struct risk *r);

/* Live sessions: leg has had no update for seconds (0 = fresh again).
 * While it is stale, entries for it are refused when the configuration's
 * refuse_on_stale is on; reducing orders never are. */
void risk_set_stale(struct risk *r, size_t leg, int64_t seconds);
/* Replays: every bar then sets the stale legs from log (sorted by time,
 * borrowed until risk_free()): those with a row at the bar's time are
 * stale, the others fresh. */
void risk_set_stale_log(struct risk *r, const struct risk_stale *log,
    size_t n);

/* Is the order only shrinking the position it faces? */
int risk_order_reduces(const struct risk_order *o);

/* The pre-trade check.  Returns 0 and counts the order, or -1 with
 * *reason (e.g. "max_open_positions: 3 symbols hold a position"). */
int risk_check(struct risk *r, const struct risk_order *o, char **reason)
	__attribute__((warn_unused_result));

/* Start of a bar at time t with the equity before it: rolls the day over
 * (counters, day-start equity, a daily-loss halt ends) and applies the
 * stale log's rows of time t.  Returns 1 when a new day began. */
int risk_new_bar(struct risk *r, int64_t t, double equity);
/* After the bar's fills: tracks the peak and returns the halt it caused
 * (RISK_RUNNING when none, or when the account was halted already). */
enum risk_halt risk_after_fills(struct risk *r, double equity);
/* Is it time to flatten (first bar at or after flatten_at today)?  Marks
 * the day flattened when it says yes. */
int risk_flatten_due(struct risk *r, int64_t t);

/* th_risk_units(): floor(equity * risk / (multiple * atr)); non-positive
 * risk/multiple take the configured defaults.  0 when atr is not > 0. */
double risk_units(const struct risk_config *cfg, double equity, double risk,
    double multiple, double atr);

const char *risk_halt_name(enum risk_halt h);

#endif
