/* Everything one run is configured with: the command line and the
 * configuration file (tradehost.conf(5)) both write into a struct settings,
 * the file first, then the command line on top. */
#ifndef TH_SETTINGS_H
#define TH_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "log.h"

/* The pre-trade limits of risk.c.  Zero (or -1 for the clock times) means
 * the limit is off; every limit is off by default, except refuse_on_stale,
 * which only live sessions can trigger. */
struct risk_config {
	int64_t max_open_positions;	/* symbols with a position */
	double max_position_fraction;	/* |position value| / equity */
	double risk_per_trade;		/* th_risk_units() default fraction */
	double atr_multiple;		/* th_risk_units() default multiple */
	double min_cash_reserve;	/* margin that must stay available */
	int64_t max_trades_per_day;	/* entry orders, account-wide */
	double max_orders_per_second;	/* token bucket refill rate */
	int64_t order_burst;		/* token bucket capacity */
	double daily_loss_limit;	/* fraction of the day's first equity */
	double max_drawdown;		/* fraction of the peak equity */
	int32_t trading_start;		/* seconds after midnight, -1 = none */
	int32_t trading_end;		/* exclusive; -1 = none */
	int32_t flatten_at;		/* seconds after midnight, -1 = none */
	int64_t max_orders_per_strategy_day; /* per strategy instance */
	int duplicate_guard;		/* refuse an identical pending order */
	int refuse_on_stale;		/* refuse entries for a stale symbol
					 * (live; default on) */
};

/* SYMBOL=FILE: one data file per symbol. */
struct symbol_file {
	char *symbol;
	char *path;
};

/* Live and paper trading (live.c); feed == NULL means a backtest. */
struct live_settings {
	char *feed;			/* connector path or installed name */
	char **conn;			/* "name=value" connector settings */
	size_t nconn;
	char *rest_url;			/* NULL = the connector's default */
	char *stream_url;
	char *granularity;		/* NULL = "1m" */
	int64_t history;		/* bars of history, default 100 */
	char *clock;			/* pinned start of the feed clock */
	double poll;			/* seconds; 0 = the granularity */
	double grace;			/* seconds, default 2 */
	double stale;			/* seconds; 0 = three bars */
	double stagger;			/* seconds between two symbols' start
					 * requests, default 0.2 */
	char *market_hours;		/* "HH:MM-HH:MM" or "off"; NULL = on
					 * (09:30-16:00) for alpaca_data and
					 * yahoo, off for other feeds */
	char *market_days;		/* NULL = "Mon-Fri" */
	char *market_tz;		/* NULL = "America/New_York" */
	double summary;			/* seconds, default 60; 0 = none */
	double duration;		/* minutes; 0 = until a signal */
	int once;
	char *journal;			/* NULL = journal-<time> */
	int no_journal;
	char *replay;			/* a journal to replay (backtest) */
	int list_granularities;
	/* A real broker (route.c) */
	char *broker;			/* connector; NULL = paper only */
	char **broker_conn;		/* its "name=value" settings */
	size_t nbroker_conn;
	char *broker_rest_url;		/* NULL = the connector's default */
	char *broker_stream_url;
	double limit_timeout;		/* seconds, default 30; 0 = never */
	double order_poll;		/* seconds, default 5 */
	int send_orders;		/* --live: command line only */
	int yes;			/* --yes: no confirmation */
};

struct settings {
	char *config_path;		/* the file read, NULL = none */

	/* strategy */
	char *plugin;
	char **params;			/* "NAME=VALUE", applied in order */
	size_t nparams;
	char **symbols;			/* NULL/0 = one symbol */
	size_t nsymbols;

	/* data: a file, a directory of SYMBOL.csv, or SYMBOL=FILE pairs;
	 * none of them = the built-in demo data */
	char *data_path;
	struct symbol_file *files;
	size_t nfiles;

	/* broker and run */
	struct engine_options engine;

	struct risk_config risk;

	/* logging */
	enum log_level log_level;
	char *log_file;			/* strftime pattern, NULL = none */
	int log_stderr;			/* default 1 */
	char *audit_path;		/* NULL = no audit trail */

	/* state */
	char *state_path;		/* NULL = no persistence */
	int state_fsync;		/* default 1 */

	/* training a learning strategy (train.c) */
	int64_t train_episodes;		/* 0 = a plain run */
	double train_validation;	/* held-out fraction, default 0.2 */
	char *train_select;		/* NULL = "Sharpe Ratio" */
	char *model_path;		/* written by training, read otherwise */

	struct live_settings live;

	/* report */
	int json;
	char *trades_path;
	char *equity_path;

	/* hot reload (reload.c) */
	size_t *reload_at;		/* --reload-at: timeline positions,
					 * ascending; a testing aid */
	size_t nreload_at;
	int keep_plugins;		/* never dlclose (sanitizers) */
};

/* Defaults: cash 10000, margin 1, every risk limit off but
 * refuse_on_stale, log level warn to stderr, fsync on. */
void settings_init(struct settings *s);
void settings_free(struct settings *s);
void settings_add_conn(struct settings *s, const char *assignment);
void settings_add_broker_conn(struct settings *s, const char *assignment);

/* The setters own their copies and replace any earlier value, so that the
 * command line overrides the file. */
void settings_set_string(char **field, const char *value);
void settings_add_param(struct settings *s, const char *assignment);
void settings_clear_params(struct settings *s);
/* Is name a usable symbol: non-empty, without '/', ',', '=' or blanks
 * (it names files and fills CSV cells)? */
int settings_symbol_ok(const char *name);
/* Splits "A,B,C" into s->symbols (replacing them).  Returns 0, or -1 with
 * *cause for an empty or duplicate name. */
int settings_set_symbols(struct settings *s, const char *list, char **cause)
	__attribute__((warn_unused_result));
void settings_add_symbol(struct settings *s, const char *symbol);
void settings_add_file(struct settings *s, const char *symbol,
    const char *path);
void settings_clear_files(struct settings *s);
/* Parses "--reload-at" "BAR[,BAR...]" (whole numbers >= 0) into
 * s->reload_at, sorted and without repeats, replacing any earlier list.
 * Returns 0, or -1 with *cause. */
int settings_set_reload_at(struct settings *s, const char *list,
    char **cause) __attribute__((warn_unused_result));

/* Checks the whole: broker ranges, risk ranges and that the data sources
 * name each symbol once.  Returns 0, or -1 with *cause naming the key. */
int settings_check(const struct settings *s, char **cause)
	__attribute__((warn_unused_result));

#endif
