/* The live side of the command line: the options of live and paper
 * trading and of journal replays (tradehost(1), LIVE TRADING), and the
 * runs they start.  cli.c owns the option table and the backtest. */
#ifndef TH_CLI_LIVE_H
#define TH_CLI_LIVE_H

#include <getopt.h>

#include "journal.h"
#include "live.h"
#include "params.h"
#include "plugin.h"
#include "session.h"
#include "settings.h"

enum {
	OPT_FEED = 512, OPT_FEED_SETTING, OPT_REST_URL, OPT_STREAM_URL,
	OPT_GRANULARITY, OPT_HISTORY, OPT_CLOCK, OPT_POLL, OPT_GRACE,
	OPT_STALE, OPT_SUMMARY, OPT_DURATION, OPT_ONCE, OPT_JOURNAL,
	OPT_NO_JOURNAL, OPT_REPLAY, OPT_LIST_GRANULARITIES, OPT_STAGGER,
	OPT_MARKET_HOURS, OPT_MARKET_DAYS, OPT_MARKET_TZ,
	OPT_BROKER = 600, OPT_BROKER_SETTING, OPT_BROKER_REST_URL,
	OPT_BROKER_STREAM_URL, OPT_LIMIT_TIMEOUT, OPT_ORDER_POLL, OPT_LIVE,
	OPT_YES
};

#define CLI_LIVE_OPTIONS \
	{ "feed", required_argument, NULL, OPT_FEED }, \
	{ "feed-setting", required_argument, NULL, OPT_FEED_SETTING }, \
	{ "rest-url", required_argument, NULL, OPT_REST_URL }, \
	{ "stream-url", required_argument, NULL, OPT_STREAM_URL }, \
	{ "granularity", required_argument, NULL, OPT_GRANULARITY }, \
	{ "history", required_argument, NULL, OPT_HISTORY }, \
	{ "clock", required_argument, NULL, OPT_CLOCK }, \
	{ "poll", required_argument, NULL, OPT_POLL }, \
	{ "grace", required_argument, NULL, OPT_GRACE }, \
	{ "stale", required_argument, NULL, OPT_STALE }, \
	{ "stagger", required_argument, NULL, OPT_STAGGER }, \
	{ "market-hours", required_argument, NULL, OPT_MARKET_HOURS }, \
	{ "market-days", required_argument, NULL, OPT_MARKET_DAYS }, \
	{ "market-tz", required_argument, NULL, OPT_MARKET_TZ }, \
	{ "summary", required_argument, NULL, OPT_SUMMARY }, \
	{ "duration", required_argument, NULL, OPT_DURATION }, \
	{ "once", no_argument, NULL, OPT_ONCE }, \
	{ "journal", required_argument, NULL, OPT_JOURNAL }, \
	{ "no-journal", no_argument, NULL, OPT_NO_JOURNAL }, \
	{ "replay", required_argument, NULL, OPT_REPLAY }, \
	{ "list-granularities", no_argument, NULL, OPT_LIST_GRANULARITIES }, \
	{ "broker", required_argument, NULL, OPT_BROKER }, \
	{ "broker-setting", required_argument, NULL, OPT_BROKER_SETTING }, \
	{ "broker-rest-url", required_argument, NULL, OPT_BROKER_REST_URL }, \
	{ "broker-stream-url", required_argument, NULL, \
	    OPT_BROKER_STREAM_URL }, \
	{ "limit-timeout", required_argument, NULL, OPT_LIMIT_TIMEOUT }, \
	{ "order-poll", required_argument, NULL, OPT_ORDER_POLL }, \
	{ "live", no_argument, NULL, OPT_LIVE }, \
	{ "yes", no_argument, NULL, OPT_YES }

/* Applies one of the options above.  Returns 0, 1 when c is not one of
 * them, or -1 with *cause for a bad value. */
int cli_live_apply(struct settings *s, int c, const char *arg, char **cause)
	__attribute__((warn_unused_result));
/* --replay DIR: takes the journal's symbols, data, history and (unless
 * given) plugin and parameters into s.  Returns 0, or -1 with *cause. */
int cli_live_replay_settings(struct settings *s, struct journal_meta *m,
    char **cause) __attribute__((warn_unused_result));
/* --list-granularities: the host's, and the feed's own when one is set. */
int cli_live_list_granularities(const struct settings *s, FILE *out,
    char **cause) __attribute__((warn_unused_result));
/* Runs a live session on the paper broker, and with --live on a real
 * one too, once the operator confirmed it.  Returns 0, or -1. */
int cli_live_run(const struct settings *s, int quiet, const struct plugin *pl,
    const struct params *params, const struct session_options *so,
    live_report_fn report, void *report_arg, char **cause)
	__attribute__((warn_unused_result));

#endif
