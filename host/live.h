/* Live and paper trading: a feed's bars drive a session as they close,
 * on this (the engine) thread, with the host's paper broker filling
 * orders by the backtest's rules.  Every processed bar and every order
 * decision goes to the journal, so the session can be replayed. */
#ifndef TH_LIVE_H
#define TH_LIVE_H

#include <stdint.h>

#include "feed.h"
#include "route.h"
#include "hours.h"
#include "session.h"

struct live_options {
	struct feed_options feed;
	const char *journal_dir;	/* NULL = no journal */
	const char *plugin_path;	/* for the journal */
	char *const *params;		/* "NAME=VALUE", for the journal */
	size_t nparams;
	int once;			/* stop after the first live bar */
	int64_t duration_ns;		/* 0 = until a signal */
	int64_t summary_ns;		/* console summary period, 0 = none */
	int quiet;			/* no console lines */
	const struct route_options *route; /* a real broker; NULL = paper
					 * only.  Its journal_path is set
					 * here from journal_dir. */
	int market;			/* sleep while the market is closed */
	struct hours hours;		/* its hours (local time: TZ) */
};

/* Called once the session has stopped, to print its statistics. */
typedef int (*live_report_fn)(void *arg, struct session *s, char **cause);

/* Runs until SIGINT/SIGTERM, --once, --duration or a fatal feed error,
 * then finalizes and reports.  opt's observe members are the live
 * loop's own.  Returns 0, or -1 with *cause. */
int live_run(const struct plugin *pl, const struct params *params,
    const struct session_options *opt, const struct live_options *lo,
    live_report_fn report, void *report_arg, char **cause)
	__attribute__((warn_unused_result));

#endif
