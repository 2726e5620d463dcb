#include "cli_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "connector.h"
#include "hours.h"
#include "journal.h"
#include "timefmt.h"
#include "xmalloc.h"

/* Seconds (or minutes): a number >= 0. */
static int
seconds(const char *opt, const char *text, double *out, char **cause)
{
	if (cli_parse_number(opt, text, out, cause) < 0)
		return -1;
	if (*out >= 0)
		return 0;
	*cause = xasprintf("--%s: must be >= 0, got '%s'", opt, text);
	return -1;
}

static int
assignment(const char *opt, const char *arg, char **cause)
{
	if (strchr(arg, '=') != NULL && *arg != '=')
		return 0;
	*cause = xasprintf("--%s: expected NAME=VALUE, got '%s'", opt, arg);
	return -1;
}

/* The real broker's options. */
static int
apply_broker(struct settings *s, int c, const char *arg, char **cause)
{
	struct live_settings *l = &s->live;

	switch (c) {
	case OPT_BROKER: settings_set_string(&l->broker, arg); return 0;
	case OPT_BROKER_SETTING:
		if (assignment("broker-setting", arg, cause) < 0)
			return -1;
		settings_add_broker_conn(s, arg);
		return 0;
	case OPT_BROKER_REST_URL:
		settings_set_string(&l->broker_rest_url, arg);
		return 0;
	case OPT_BROKER_STREAM_URL:
		settings_set_string(&l->broker_stream_url, arg);
		return 0;
	case OPT_LIMIT_TIMEOUT: return seconds("limit-timeout", arg,
	    &l->limit_timeout, cause);
	case OPT_ORDER_POLL: return seconds("order-poll", arg, &l->order_poll,
	    cause);
	case OPT_LIVE: l->send_orders = 1; return 0;
	case OPT_YES: l->yes = 1; return 0;
	}
	return 1;
}

/* --market-hours and --market-days are checked as they are given. */
static int
market_option(char **field, const char *opt, const char *arg, char **cause)
{
	struct hours h;

	if (strcmp(opt, "--market-hours") == 0 ? strcmp(arg, "off") != 0 &&
	    hours_parse_range(opt, arg, &h, cause) < 0 :
	    hours_parse_days(opt, arg, &h, cause) < 0)
		return -1;
	settings_set_string(field, arg);
	return 0;
}

int
cli_live_apply(struct settings *s, int c, const char *arg, char **cause)
{
	struct live_settings *l = &s->live;

	switch (c) {
	case OPT_FEED: settings_set_string(&l->feed, arg); return 0;
	case OPT_FEED_SETTING:
		if (assignment("feed-setting", arg, cause) < 0)
			return -1;
		settings_add_conn(s, arg);
		return 0;
	case OPT_REST_URL: settings_set_string(&l->rest_url, arg); return 0;
	case OPT_STREAM_URL: settings_set_string(&l->stream_url, arg); return 0;
	case OPT_GRANULARITY:
		settings_set_string(&l->granularity, arg);
		return 0;
	case OPT_HISTORY: return cli_parse_count("history", arg, 0,
	    &l->history, cause);
	case OPT_CLOCK: settings_set_string(&l->clock, arg); return 0;
	case OPT_POLL: return seconds("poll", arg, &l->poll, cause);
	case OPT_GRACE: return seconds("grace", arg, &l->grace, cause);
	case OPT_STALE: return seconds("stale", arg, &l->stale, cause);
	case OPT_STAGGER: return seconds("stagger", arg, &l->stagger, cause);
	case OPT_MARKET_HOURS: return market_option(&l->market_hours,
	    "--market-hours", arg, cause);
	case OPT_MARKET_DAYS: return market_option(&l->market_days,
	    "--market-days", arg, cause);
	case OPT_MARKET_TZ: settings_set_string(&l->market_tz, arg); return 0;
	case OPT_SUMMARY: return seconds("summary", arg, &l->summary, cause);
	case OPT_DURATION: return seconds("duration", arg, &l->duration,
	    cause);
	case OPT_ONCE: l->once = 1; return 0;
	case OPT_JOURNAL: settings_set_string(&l->journal, arg); return 0;
	case OPT_NO_JOURNAL: l->no_journal = 1; return 0;
	case OPT_REPLAY: settings_set_string(&l->replay, arg); return 0;
	case OPT_LIST_GRANULARITIES: l->list_granularities = 1; return 0;
	}
	return apply_broker(s, c, arg, cause);
}

int
cli_live_replay_settings(struct settings *s, struct journal_meta *m,
    char **cause)
{
	char *path;
	size_t k;

	if (journal_read_meta(s->live.replay, m, cause) < 0)
		return -1;
	if (s->plugin == NULL)
		settings_set_string(&s->plugin, m->plugin);
	if (s->nparams == 0)
		for (k = 0; k < m->nparams; k++)
			settings_add_param(s, m->params[k]);
	settings_clear_files(s);
	free(s->data_path);
	s->data_path = NULL;
	for (k = 0; k < m->n; k++) {
		path = xasprintf("%s/bars/%s.csv", s->live.replay,
		    m->symbols[k]);
		settings_add_file(s, m->symbols[k], path);
		free(path);
	}
	return 0;
}

int
cli_live_list_granularities(const struct settings *s, FILE *out,
    char **cause)
{
	struct connector c;

	fprintf(out, "host: %s\n", connector_granularities);
	if (s->live.feed == NULL)
		return 0;
	if (connector_load(s->live.feed, TH_PLUGIN_FEED, &c, cause) < 0)
		return -1;
	fprintf(out, "%s (native): %s\n", c.name,
	    c.cb->granularities && *c.cb->granularities ?
	    c.cb->granularities : "none: trades, aggregated by the host");
	fprintf(out, "%s (aggregated by the host from a finer one): every "
	    "multiple of a native one above\n", c.name);
	connector_unload(&c);
	return 0;
}

static int
parse_clock(const char *text, int64_t *out, char **cause)
{
	if (text == NULL) {
		*out = 0;
		return 0;
	}
	if (timefmt_parse(text, strlen(text), out) < 0) {
		*cause = xasprintf("--clock: not a time: '%s' (use "
		    "\"2026-11-02 14:30:00\")", text);
		return -1;
	}
	return 0;
}

/* journal-YYYYmmdd-HHMMSS in the working directory. */
static char *
default_journal(void)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof buf, "journal-%Y%m%d-%H%M%S", &tm);
	return xstrdup(buf);
}

/* Equity feeds sleep outside their market's hours by default; the
 * connector's name is the file name without its directory and ".so". */
static int
equity_feed(const char *feed)
{
	const char *base = strrchr(feed, '/') ? strrchr(feed, '/') + 1 : feed;
	size_t n = strcspn(base, ".");

	return (n == 11 && strncmp(base, "alpaca_data", n) == 0) ||
	    (n == 5 && strncmp(base, "yahoo", n) == 0);
}

/* The market hours, and its zone made the process's local time (there
 * is no thread yet).  Messages name the configuration keys: the
 * options were checked when given. */
static int
market_hours(const struct live_settings *l, struct live_options *lo,
    char **cause)
{
	const char *range = l->market_hours;

	lo->market = range != NULL ? strcmp(range, "off") != 0 :
	    equity_feed(l->feed);
	if (!lo->market)
		return 0;
	return hours_parse_range("live.market_hours", range != NULL ? range :
	    "09:30-16:00", &lo->hours, cause) < 0 ||
	    hours_parse_days("live.market_days", l->market_days != NULL ?
	    l->market_days : "Mon-Fri", &lo->hours, cause) < 0 ||
	    hours_set_zone("--market-tz (live.market_tz)", l->market_tz !=
	    NULL ? l->market_tz : "America/New_York", cause) < 0 ? -1 : 0;
}

static int
fill_options(const struct settings *s, int quiet, struct live_options *lo,
    char **journal, char **cause)
{
	const struct live_settings *l = &s->live;
	struct feed_options *f = &lo->feed;
	const char *g = l->granularity ? l->granularity : "1m";
	int64_t gran = connector_granularity_ns(g);

	if (gran == 0) {
		*cause = xasprintf("--granularity: '%s' is not one of %s", g,
		    connector_granularities);
		return -1;
	}
	memset(lo, 0, sizeof *lo);
	f->connector = l->feed;
	f->settings = l->conn;
	f->nsettings = l->nconn;
	f->rest_url = l->rest_url;
	f->stream_url = l->stream_url;
	f->symbols = (const char *const *)s->symbols;
	f->nsymbols = s->nsymbols;
	f->granularity = g;
	f->history_bars = l->history;
	f->poll_ns = (int64_t)(l->poll * 1e9);
	f->grace_ns = (int64_t)(l->grace * 1e9);
	f->stale_ns = l->stale > 0 ? (int64_t)(l->stale * 1e9) : 3 * gran;
	f->stagger_ns = (int64_t)(l->stagger * 1e9);
	if (parse_clock(l->clock, &f->now, cause) < 0 ||
	    market_hours(l, lo, cause) < 0)
		return -1;
	*journal = l->no_journal ? NULL : l->journal ? xstrdup(l->journal) :
	    default_journal();
	lo->journal_dir = *journal;
	lo->plugin_path = s->plugin;
	lo->params = s->params;
	lo->nparams = s->nparams;
	lo->once = l->once;
	lo->duration_ns = (int64_t)(l->duration * 60e9);
	lo->summary_ns = (int64_t)(l->summary * 1e9);
	lo->quiet = quiet;
	return 0;
}

/* The operator says "yes" on the terminal, or --yes said it for a
 * service.  The banner names where the orders go, so that a live account
 * is never mistaken for a paper one. */
static int
confirm(const struct settings *s, const char *url, char **cause)
{
	char line[64];
	size_t k;

	fprintf(stderr, "tradehost: LIVE TRADING: the orders of %s for",
	    s->plugin);
	for (k = 0; k < s->nsymbols; k++)
		fprintf(stderr, "%s %s", k ? "," : "", s->symbols[k]);
	fprintf(stderr, " go to %s at %s\n", s->live.broker, url);
	if (s->live.yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		*cause = xstrdup("--live: no terminal to confirm on; pass --yes "
		    "to send real orders without asking (services)");
		return -1;
	}
	fputs("Type \"yes\" to send real orders: ", stderr);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) != NULL &&
	    strcmp(line, "yes\n") == 0)
		return 0;
	*cause = xstrdup("--live: not confirmed; no order was sent");
	return -1;
}

/* --broker and --live go together; the broker's REST URL is read off
 * the connector for the banner. */
static int
broker_options(const struct settings *s, struct route_options *ro,
    char **cause)
{
	const struct live_settings *l = &s->live;
	struct connector c;
	int rc;

	if (l->broker == NULL && !l->send_orders)
		return 0;
	if (l->broker == NULL) {
		*cause = xstrdup("--live: no broker to send orders to (use "
		    "--broker NAME or live.broker)");
		return -1;
	}
	if (!l->send_orders) {
		*cause = xasprintf("--broker %s sends real orders: add --live "
		    "to mean it (paper trading needs no broker)", l->broker);
		return -1;
	}
	if (connector_load(l->broker, TH_PLUGIN_BROKER, &c, cause) < 0)
		return -1;
	rc = confirm(s, l->broker_rest_url ? l->broker_rest_url :
	    c.cb->rest_url ? c.cb->rest_url : "its default URL", cause);
	connector_unload(&c);
	memset(ro, 0, sizeof *ro);
	ro->connector = l->broker;
	ro->settings = l->broker_conn;
	ro->nsettings = l->nbroker_conn;
	ro->rest_url = l->broker_rest_url;
	ro->stream_url = l->broker_stream_url;
	ro->symbols = (const char *const *)s->symbols;
	ro->nsymbols = s->nsymbols;
	ro->limit_timeout_ns = (int64_t)(l->limit_timeout * 1e9);
	ro->poll_ns = (int64_t)(l->order_poll * 1e9);
	return rc;
}

int
cli_live_run(const struct settings *s, int quiet, const struct plugin *pl,
    const struct params *params, const struct session_options *so,
    live_report_fn report, void *report_arg, char **cause)
{
	struct live_options lo;
	struct route_options ro;
	struct session_options opt = *so;
	char *journal = NULL;
	int rc;

	if (s->nsymbols == 0) {
		*cause = xstrdup("live trading needs --symbols (or "
		    "strategy.symbols)");
		return -1;
	}
	if (broker_options(s, &ro, cause) < 0 ||
	    fill_options(s, quiet, &lo, &journal, cause) < 0)
		return -1;
	opt.run.mode = s->live.send_orders ? TH_RUN_LIVE : TH_RUN_PAPER;
	lo.route = s->live.send_orders ? &ro : NULL;
	if (!quiet)
		fprintf(stderr, "tradehost: %s trading %zu symbol(s) on "
		    "%s, %s bars%s%s\n", s->live.send_orders ? "live" :
		    "paper", s->nsymbols, s->live.feed, lo.feed.granularity,
		    journal ? "; journal " : "", journal ? journal : "");
	rc = live_run(pl, params, &opt, &lo, report, report_arg, cause);
	free(journal);
	return rc;
}
