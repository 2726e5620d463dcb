#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "config.h"
#include "cli_live.h"
#include "conf.h"
#include "csv.h"
#include "demo.h"
#include "log.h"
#include "reload.h"
#include "report.h"
#include "session.h"
#include "stats.h"
#include "train.h"
#include "xmalloc.h"

enum {
	OPT_PLUGIN = 256, OPT_DATA, OPT_PARAM, OPT_CASH, OPT_COMMISSION,
	OPT_SPREAD, OPT_MARGIN, OPT_TRADE_ON_CLOSE, OPT_HEDGING,
	OPT_EXCLUSIVE, OPT_FINALIZE, OPT_JSON, OPT_TRADES, OPT_EQUITY,
	OPT_LIST_PARAMS, OPT_VERSION, OPT_CONFIG, OPT_SYMBOLS, OPT_STATE,
	OPT_AUDIT, OPT_LOG_FILE, OPT_EPISODES, OPT_VALIDATION, OPT_SELECT,
	OPT_MODEL, OPT_RELOAD_AT, OPT_KEEP_PLUGINS
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "plugin", required_argument, NULL, OPT_PLUGIN },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "param", required_argument, NULL, OPT_PARAM },
	{ "cash", required_argument, NULL, OPT_CASH },
	{ "commission", required_argument, NULL, OPT_COMMISSION },
	{ "spread", required_argument, NULL, OPT_SPREAD },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "trade-on-close", no_argument, NULL, OPT_TRADE_ON_CLOSE },
	{ "hedging", no_argument, NULL, OPT_HEDGING },
	{ "exclusive-orders", no_argument, NULL, OPT_EXCLUSIVE },
	{ "finalize-trades", no_argument, NULL, OPT_FINALIZE },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "audit", required_argument, NULL, OPT_AUDIT },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "episodes", required_argument, NULL, OPT_EPISODES },
	{ "validation", required_argument, NULL, OPT_VALIDATION },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "trades", required_argument, NULL, OPT_TRADES },
	{ "equity", required_argument, NULL, OPT_EQUITY },
	{ "list-params", no_argument, NULL, OPT_LIST_PARAMS },
	{ "reload-at", required_argument, NULL, OPT_RELOAD_AT },
	{ "keep-plugins", no_argument, NULL, OPT_KEEP_PLUGINS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	CLI_LIVE_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

void
cli_usage(FILE *out)
{
	fputs("usage: tradehost [--config FILE] --plugin PATH [--data PATH | "
	    "--data SYMBOL=FILE ...]\n"
	    "                 [--symbols A,B,...] [--param NAME=VALUE]...\n"
	    "                 [--cash N] [--commission RATE | --commission "
	    "FIXED,RATE]\n"
	    "                 [--spread RATE] [--margin RATE] "
	    "[--trade-on-close] [--hedging]\n"
	    "                 [--exclusive-orders] [--finalize-trades] "
	    "[--state FILE]\n"
	    "                 [--audit FILE.csv] [--log-file PATTERN] "
	    "[--json]\n"
	    "                 [--episodes N --model FILE [--validation F] "
	    "[--select STAT]]\n"
	    "                 [--trades FILE.csv] [--equity FILE.csv] "
	    "[--list-params]\n"
	    "                 [--reload-at BAR[,BAR...]] [--keep-plugins]\n"
	    "                 [--feed NAME|PATH --symbols A,... "
	    "[--feed-setting NAME=VALUE]...\n"
	    "                  [--granularity G] [--history N] [--clock TIME] "
	    "[--poll SEC]\n"
	    "                  [--grace SEC] [--stale SEC] [--stagger SEC] "
	    "[--summary SEC]\n"
	    "                  [--duration MIN]"
	    " [--once] [--journal DIR | --no-journal]\n"
	    "                  [--market-hours HH:MM-HH:MM|off] "
	    "[--market-days DAYS]\n"
	    "                  [--market-tz ZONE] [--rest-url URL]"
	    " [--stream-url URL]\n"
	    "                  [--broker NAME|PATH --live [--yes] "
	    "[--broker-setting NAME=VALUE]...\n"
	    "                   [--broker-rest-url URL] [--broker-stream-url "
	    "URL]\n"
	    "                   [--limit-timeout SEC] [--order-poll SEC]]]\n"
	    "                 [--replay DIR] [--list-granularities]\n"
	    "                 [-v|--verbose] [-q|--quiet] [-h|--help] "
	    "[--version]\n"
	    "Runs a strategy plugin over market data (the built-in demo data "
	    "when --data\nis not given) and prints backtesting.py's "
	    "statistics.  See tradehost(1) and\ntradehost.conf(5).\n", out);
}

int
cli_parse_number(const char *opt, const char *text, double *out,
    char **cause)
{
	char *end;

	errno = 0;
	*out = strtod(text, &end);
	if (*text == '\0' || *end != '\0' || errno == ERANGE || !isfinite(*out)) {
		*cause = xasprintf("--%s: not a number: '%s'", opt, text);
		return -1;
	}
	return 0;
}

int
cli_parse_count(const char *opt, const char *text, int64_t min, int64_t *out,
    char **cause)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (*text == '\0' || *end != '\0' || errno == ERANGE || v < min) {
		*cause = xasprintf("--%s: not a whole number >= %lld: '%s'",
		    opt, (long long)min, text);
		return -1;
	}
	*out = v;
	return 0;
}

/* "RATE" or "FIXED,RATE", as backtesting.py's commission=(fixed, rate). */
static int
parse_commission(const char *text, struct broker_config *b, char **cause)
{
	const char *comma = strchr(text, ',');
	char *fixed;
	int rc;

	if (comma == NULL) {
		b->commission_fixed = 0;
		return cli_parse_number("commission", text, &b->commission_rate,
		    cause);
	}
	fixed = xstrndup(text, (size_t)(comma - text));
	rc = cli_parse_number("commission", fixed, &b->commission_fixed, cause);
	free(fixed);
	if (rc < 0)
		return -1;
	return cli_parse_number("commission", comma + 1, &b->commission_rate,
	    cause);
}

/* "--data SYMBOL=FILE" when the part before '=' could be a symbol;
 * anything else is a path. */
static int
apply_data(struct cli_options *o, const char *arg, char **cause)
{
	struct settings *s = &o->s;
	const char *eq = strchr(arg, '=');
	char *sym;

	/* The command line's data replaces the file's, whatever the form. */
	if (!o->data_given) {
		o->data_given = 1;
		settings_clear_files(s);
		settings_set_string(&s->data_path, NULL);
	}
	if (eq == NULL || eq == arg || memchr(arg, '/', (size_t)(eq - arg))) {
		settings_set_string(&s->data_path, arg);
		return 0;
	}
	if (eq[1] == '\0') {
		*cause = xasprintf("--data: no file after '=' in '%s'", arg);
		return -1;
	}
	sym = xstrndup(arg, (size_t)(eq - arg));
	settings_add_file(s, sym, eq + 1);
	free(sym);
	return 0;
}

static int
apply_live(struct settings *s, int c, const char *arg, char **cause)
{
	int rc = cli_live_apply(s, c, arg, cause);

	if (rc <= 0)
		return rc;
	*cause = xstrdup("unknown option (see --help)");
	return -1;
}

static int
apply_option(struct cli_options *o, int c, const char *arg, char **cause)
{
	struct settings *s = &o->s;
	struct broker_config *b = &s->engine.broker;

	switch (c) {
	case OPT_CONFIG: return 0;	/* read before the other options */
	case OPT_PLUGIN: settings_set_string(&s->plugin, arg); return 0;
	case OPT_DATA: return apply_data(o, arg, cause);
	case OPT_SYMBOLS: return settings_set_symbols(s, arg, cause);
	case OPT_PARAM: settings_add_param(s, arg); return 0;
	case OPT_CASH: return cli_parse_number("cash", arg, &b->cash, cause);
	case OPT_COMMISSION: return parse_commission(arg, b, cause);
	case OPT_SPREAD: return cli_parse_number("spread", arg, &b->spread,
	    cause);
	case OPT_MARGIN: return cli_parse_number("margin", arg, &b->margin,
	    cause);
	case OPT_TRADE_ON_CLOSE: b->trade_on_close = 1; return 0;
	case OPT_HEDGING: b->hedging = 1; return 0;
	case OPT_EXCLUSIVE: b->exclusive_orders = 1; return 0;
	case OPT_FINALIZE: s->engine.finalize_trades = 1; return 0;
	case OPT_STATE: settings_set_string(&s->state_path, arg); return 0;
	case OPT_AUDIT: settings_set_string(&s->audit_path, arg); return 0;
	case OPT_LOG_FILE: settings_set_string(&s->log_file, arg); return 0;
	case OPT_EPISODES: return cli_parse_count("episodes", arg, 1,
	    &s->train_episodes, cause);
	case OPT_VALIDATION: return cli_parse_number("validation", arg,
	    &s->train_validation, cause);
	case OPT_SELECT: settings_set_string(&s->train_select, arg); return 0;
	case OPT_MODEL: settings_set_string(&s->model_path, arg); return 0;
	case OPT_JSON: s->json = 1; return 0;
	case OPT_TRADES: settings_set_string(&s->trades_path, arg); return 0;
	case OPT_EQUITY: settings_set_string(&s->equity_path, arg); return 0;
	case OPT_LIST_PARAMS: o->list_params = 1; return 0;
	case OPT_RELOAD_AT: return settings_set_reload_at(s, arg, cause);
	case OPT_KEEP_PLUGINS: s->keep_plugins = 1; return 0;
	case 'v': o->verbose++; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'h': o->help = 1; return 0;
	case OPT_VERSION: o->version = 1; return 0;
	}
	return apply_live(s, c, arg, cause);
}

/* The --config file, found before getopt runs: the flags override it
 * wherever they stand. */
static int
read_config(int argc, char **argv, struct settings *s, char **cause)
{
	const char *path = NULL;
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--") == 0)
			break;
		if (strcmp(argv[k], "--config") == 0 && k + 1 < argc)
			path = argv[++k];
		else if (strncmp(argv[k], "--config=", 9) == 0)
			path = argv[k] + 9;
	}
	return path != NULL ? conf_load(path, s, cause) : 0;
}

/* The file's level unless -v or -q says otherwise. */
static void
apply_verbosity(struct cli_options *o)
{
	if (o->quiet)
		o->s.log_level = LOG_ERROR;
	else if (o->verbose > 1)
		o->s.log_level = LOG_DEBUG;
	else if (o->verbose == 1)
		o->s.log_level = LOG_INFO;
}

int
cli_parse(int argc, char **argv, struct cli_options *o, char **cause)
{
	int c;

	memset(o, 0, sizeof *o);
	o->argc = argc;
	o->argv = argv;
	settings_init(&o->s);
	if (read_config(argc, argv, &o->s, cause) < 0)
		return -1;
	optind = 0;	/* reset getopt, so tests can parse repeatedly */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vqh", long_options, NULL)) != -1) {
		if (c == '?') {
			/* getopt_long sets optopt to a long option's value,
			 * which is no character: name the argument instead. */
			*cause = optopt > 0 && optopt < 256 ?
			    xasprintf("option -%c is unknown or needs a value",
			    optopt) : xasprintf("unknown option or missing "
			    "value: '%s'", argv[optind - 1]);
			return -1;
		}
		if (apply_option(o, c, optarg, cause) < 0)
			return -1;
	}
	if (optind < argc) {
		*cause = xasprintf("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	apply_verbosity(o);
	if (o->s.live.replay != NULL &&
	    cli_live_replay_settings(&o->s, &o->replay, cause) < 0)
		return -1;
	if (o->s.plugin == NULL && !o->help && !o->version &&
	    !o->s.live.list_granularities) {
		*cause = xstrdup("--plugin PATH (or strategy.plugin in the "
		    "configuration file) is required");
		return -1;
	}
	return settings_check(&o->s, cause);
}

void
cli_free(struct cli_options *o)
{
	settings_free(&o->s);
	journal_meta_free(&o->replay);
}

static void
list_params(const struct params *p, const struct plugin *pl, FILE *out)
{
	static const char *types[] = { "?", "int", "real", "bool" };
	size_t k;

	fprintf(out, "%s %s\n", pl->name, pl->version);
	for (k = 0; k < p->n; k++)
		fprintf(out, "  %-12s %-4s default %g, range [%g, %g]%s%s\n",
		    p->v[k].name, types[p->v[k].type], p->v[k].value,
		    p->v[k].min, p->v[k].max, p->v[k].help ? ": " : "",
		    p->v[k].help ? p->v[k].help : "");
}

/*
 * Data: one frame per symbol.
 */

struct legs {
	char **symbols;
	struct frame **data;
	size_t n;
};

static void
legs_free(struct legs *l)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		free(l->symbols[k]);
		frame_free(l->data[k]);
	}
	free(l->symbols);
	free(l->data);
	memset(l, 0, sizeof *l);
}

static void
legs_add(struct legs *l, const char *symbol, struct frame *f)
{
	l->symbols = xreallocarray(l->symbols, l->n + 1, sizeof *l->symbols);
	l->data = xreallocarray(l->data, l->n + 1, sizeof *l->data);
	l->symbols[l->n] = xstrdup(symbol);
	l->data[l->n++] = f;
}

static int
legs_add_csv(struct legs *l, const char *symbol, const char *path,
    char **cause)
{
	struct frame *f;

	if (csv_read(path, &f, cause) < 0)
		return -1;
	legs_add(l, symbol, f);
	return 0;
}

/* "data/GOOG.csv" -> "GOOG". */
static char *
symbol_of_path(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot != NULL && dot != base ? xstrndup(base,
	    (size_t)(dot - base)) : xstrdup(base);
}

/* opendir() rather than stat(): stats.h owns the name struct stat. */
static int
is_directory(const char *path)
{
	DIR *d = opendir(path);

	if (d == NULL)
		return 0;
	closedir(d);
	return 1;
}

static const char *
file_of(const struct settings *s, const char *symbol)
{
	size_t k;

	for (k = 0; k < s->nfiles; k++)
		if (strcmp(s->files[k].symbol, symbol) == 0)
			return s->files[k].path;
	return NULL;
}

static int
load_pairs(const struct settings *s, struct legs *l, char **cause)
{
	size_t k;
	const char *path;

	if (s->nsymbols == 0) {
		for (k = 0; k < s->nfiles; k++)
			if (legs_add_csv(l, s->files[k].symbol,
			    s->files[k].path, cause) < 0)
				return -1;
		return 0;
	}
	for (k = 0; k < s->nsymbols; k++) {
		if ((path = file_of(s, s->symbols[k])) == NULL) {
			*cause = xasprintf("data: no file for symbol '%s'",
			    s->symbols[k]);
			return -1;
		}
		if (legs_add_csv(l, s->symbols[k], path, cause) < 0)
			return -1;
	}
	return 0;
}

static int
load_directory(const struct settings *s, struct legs *l, char **cause)
{
	size_t k;
	char *path;
	int rc = 0;

	if (s->nsymbols == 0) {
		*cause = xasprintf("data: %s is a directory: say which "
		    "symbols to read from it with --symbols", s->data_path);
		return -1;
	}
	for (k = 0; k < s->nsymbols && rc == 0; k++) {
		path = xasprintf("%s/%s.csv", s->data_path, s->symbols[k]);
		rc = legs_add_csv(l, s->symbols[k], path, cause);
		free(path);
	}
	return rc;
}

static int
load_file(const struct settings *s, struct legs *l, char **cause)
{
	char *symbol;
	int rc;

	if (s->nsymbols > 1) {
		*cause = xasprintf("data: one file (%s) for %zu symbols; give "
		    "a directory or SYMBOL=FILE pairs", s->data_path,
		    s->nsymbols);
		return -1;
	}
	symbol = s->nsymbols == 1 ? xstrdup(s->symbols[0]) :
	    symbol_of_path(s->data_path);
	rc = legs_add_csv(l, symbol, s->data_path, cause);
	free(symbol);
	return rc;
}

/* The demo series: the first symbol gets the standard one. */
static void
load_demo(const struct settings *s, struct legs *l)
{
	size_t k;

	if (s->nsymbols == 0) {
		legs_add(l, "DEMO", demo_generate(DEMO_BARS, DEMO_SEED));
		return;
	}
	for (k = 0; k < s->nsymbols; k++)
		legs_add(l, s->symbols[k], demo_generate(DEMO_BARS,
		    DEMO_SEED + k));
}

static int
load_legs(const struct settings *s, struct legs *l, char **cause)
{
	memset(l, 0, sizeof *l);
	if (s->nfiles > 0)
		return load_pairs(s, l, cause);
	if (s->data_path != NULL && is_directory(s->data_path))
		return load_directory(s, l, cause);
	if (s->data_path != NULL)
		return load_file(s, l, cause);
	load_demo(s, l);
	return 0;
}

/*
 * Reports.
 */

static int
write_reports(const struct settings *s, const struct run_result *r,
    char **cause)
{
	struct stats st;

	stats_compute(r, &st);
	if (s->trades_path != NULL &&
	    report_trades_csv(s->trades_path, r, cause) < 0)
		return -1;
	if (s->equity_path != NULL &&
	    report_equity_csv(s->equity_path, r, cause) < 0)
		return -1;
	if (s->json)
		return report_json(stdout, r, &st);
	return report_table(stdout, r, &st);
}

/* One line per symbol under a portfolio's table. */
static void
symbol_summary(FILE *out, const struct run_result *r, const struct legs *l)
{
	size_t k, j, n, wins;
	double pnl;

	fprintf(out, "\n%-12s %8s %8s %14s\n", "Symbol", "Bars", "Trades",
	    "PnL");
	for (k = 0; k < l->n; k++) {
		n = wins = 0;
		pnl = 0;
		for (j = 0; j < r->ntrades; j++)
			if (strcmp(r->trades[j].symbol, l->symbols[k]) == 0) {
				n++;
				wins += r->trades[j].pnl > 0;
				pnl += r->trades[j].pnl;
			}
		fprintf(out, "%-12s %8zu %8zu %14.2f\n", l->symbols[k],
		    l->data[k]->n, n, pnl);
	}
}

static int
report_session(const struct settings *s, struct session *ss,
    const struct legs *l, char **cause)
{
	struct run_result r;
	struct frame *timeline = NULL;
	int rc;

	if (ss->nlegs == 1)
		session_leg_result(ss, 0, &r);
	else
		timeline = session_portfolio_result(ss, &r);
	rc = write_reports(s, &r, cause);
	if (rc == 0 && timeline != NULL && !s->json)
		symbol_summary(stdout, &r, l);
	result_free(&r);
	frame_free(timeline);
	return rc;
}

/*
 * The run.
 */

/* The live loop's report: the statistics of what it traded. */
struct live_report {
	const struct settings *s;
};

static int
report_live(void *arg, struct session *ss, char **cause)
{
	struct live_report *lr = arg;
	struct legs l = { .n = ss->nlegs };
	size_t k;
	int rc;

	l.symbols = xcalloc(ss->nlegs, sizeof *l.symbols);
	l.data = xcalloc(ss->nlegs, sizeof *l.data);
	for (k = 0; k < ss->nlegs; k++) {
		l.symbols[k] = ss->legs[k].symbol;
		l.data[k] = (struct frame *)ss->legs[k].data;
	}
	rc = report_session(lr->s, ss, &l, cause);
	free(l.symbols);
	free(l.data);
	return rc;
}

static void
check_replay_row(void *arg, const struct session *s, int leg,
    const struct audit_row *r)
{
	(void)s;
	(void)leg;
	journal_check_row(arg, r);
}

/* --replay: the backtest must decide what the live session decided. */
static int
replay_verdict(const struct cli_options *o, struct journal_check *jc,
    char **cause)
{
	if (journal_check_finish(jc, cause) < 0)
		return -1;
	if (!o->quiet)
		fprintf(stderr, "replay: %zu order, fill and cancel rows, "
		    "identical to the live session in %s\n", jc->seen,
		    o->s.live.replay);
	return 0;
}

/* A hot reload reads the settings again as at start: the configuration
 * file, then the same command line on top. */
static int
reread_settings(void *arg, struct settings *out, char **cause)
{
	const struct cli_options *start = arg;
	struct cli_options o;

	if (cli_parse(start->argc, start->argv, &o, cause) < 0) {
		cli_free(&o);
		return -1;
	}
	*out = o.s;
	return 0;
}

static int
run_session(const struct cli_options *o, struct plugin *pl,
    struct params *params, const struct legs *l, char **cause)
{
	const struct settings *s = &o->s;
	struct session ss;
	struct reload rl;
	struct reload_source src = { reread_settings, (void *)o, s };
	struct session_options so = { .engine = s->engine,
	    .risk = &rl.risk, .state_path = s->state_path,
	    .state_fsync = s->state_fsync, .reload = &rl,
	    .run = { .model_path = s->model_path } };
	struct audit audit;
	struct journal_check jc = { 0 };
	struct live_report lr = { s };
	int rc = -1;

	/* The reload owns the generation in force from here on. */
	reload_init(&rl, pl, params, &s->risk, &src, s->reload_at,
	    s->nreload_at);
	reload_install_signal();

	if (s->audit_path != NULL) {
		if (audit_open(&audit, s->audit_path, l == NULL ||
		    l->data[0]->index_kind == FRAME_INDEX_DATETIME, cause) < 0)
			goto out;
		so.audit = &audit;
	}
	if (l == NULL) {
		rc = cli_live_run(s, o->quiet, &rl.plugin, &rl.params, &so,
		    report_live, &lr, cause);
		goto out;
	}
	if (s->live.replay != NULL) {
		if (journal_check_open(&jc, s->live.replay, cause) < 0)
			goto out;
		so.min_start = o->replay.history;
		so.stale_log = o->replay.stale;
		so.nstale_log = o->replay.nstale;
		/* A resumed session's replay starts from the same state, and
		 * the session's own state file is none of its business. */
		so.state_path = NULL;
		so.resume_path = o->replay.resume;
		so.state_live = o->replay.resume != NULL;
		so.observe = check_replay_row;
		so.observe_arg = &jc;
	}
	if (session_init(&ss, &rl.plugin, &rl.params,
	    (const char *const *)l->symbols,
	    (const struct frame *const *)l->data, l->n, &so, cause) < 0)
		goto out;
	if (session_run(&ss, cause) == 0 &&
	    report_session(s, &ss, l, cause) == 0)
		rc = s->live.replay != NULL ? replay_verdict(o, &jc, cause) : 0;
	session_free(&ss);
out:
	journal_check_free(&jc);
	reload_free(&rl);
	if (so.audit != NULL)
		audit_close(&audit);
	return rc;
}

/* --episodes: trains and writes the model; progress on stderr. */
static int
run_training(const struct cli_options *o, const struct plugin *pl,
    const struct params *params, const struct legs *l, char **cause)
{
	const struct settings *s = &o->s;
	struct train_options to = {
		.episodes = (unsigned)s->train_episodes,
		.validation = s->train_validation,
		.select = s->train_select != NULL ? s->train_select :
		    "Sharpe Ratio",
		.model_path = s->model_path,
		.progress = o->quiet ? NULL : stderr,
	};

	if (l->n != 1) {
		*cause = xstrdup("training (--episodes) runs on one symbol");
		return CLI_EXIT_FAILURE;
	}
	if (train_run(pl, params, l->data[0], l->symbols[0], &s->engine, &to,
	    cause) < 0)
		return CLI_EXIT_FAILURE;
	printf("model written to %s\n", s->model_path);
	return CLI_EXIT_OK;
}

/* Loads everything, runs, reports.  Returns an exit code. */
static int
run(const struct cli_options *o, char **cause)
{
	const struct settings *s = &o->s;
	struct plugin pl;
	struct params params;
	struct legs legs = { 0 };
	size_t k;
	int rc = CLI_EXIT_FAILURE;

	if (s->live.list_granularities)
		return cli_live_list_granularities(s, stdout, cause) < 0 ?
		    CLI_EXIT_FAILURE : CLI_EXIT_OK;
	plugin_set_keep(s->keep_plugins);
	if (plugin_load(s->plugin, &pl, cause) < 0)
		return CLI_EXIT_FAILURE;
	params_init(&params, pl.desc);
	for (k = 0; k < s->nparams; k++)
		if (params_assign(&params, s->params[k], cause) < 0)
			goto out;
	if (o->list_params) {
		list_params(&params, &pl, stdout);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (s->live.feed != NULL && s->live.replay == NULL) {
		if (run_session(o, &pl, &params, NULL, cause) == 0)
			rc = CLI_EXIT_OK;
		goto out;
	}
	if (s->live.broker != NULL || s->live.send_orders) {
		*cause = xstrdup("--broker and --live need a live feed "
		    "(--feed); a backtest fills on the simulated broker");
		goto out;
	}
	if (load_legs(s, &legs, cause) < 0)
		goto out;
	if (s->train_episodes > 0)
		rc = run_training(o, &pl, &params, &legs, cause);
	else if (run_session(o, &pl, &params, &legs, cause) == 0)
		rc = CLI_EXIT_OK;
out:
	legs_free(&legs);
	params_free(&params);
	plugin_unload(&pl);
	return rc;
}

static int
setup_logging(const struct settings *s, char **cause)
{
	log_set_level(s->log_level);
	log_set_stderr(s->log_stderr);
	if (s->log_file != NULL)
		return log_open_file(s->log_file, cause);
	return 0;
}

int
cli_main(int argc, char **argv)
{
	struct cli_options o;
	char *cause = NULL;
	int rc;

	if (cli_parse(argc, argv, &o, &cause) < 0) {
		fprintf(stderr, "tradehost: %s\n", cause);
		cli_usage(stderr);
		free(cause);
		cli_free(&o);
		return CLI_EXIT_USAGE;
	}
	if (o.help || o.version) {
		if (o.help)
			cli_usage(stdout);
		else
			printf("tradehost %s (SDK ABI %d.%d)\n", PACKAGE_VERSION,
			    TH_ABI_MAJOR, TH_ABI_MINOR);
		cli_free(&o);
		return CLI_EXIT_OK;
	}
	rc = setup_logging(&o.s, &cause) < 0 ? CLI_EXIT_FAILURE :
	    run(&o, &cause);
	if (cause != NULL) {
		/* Into the log file too: a service may have no stderr.  An
		 * error reaches stderr even when logging there is off. */
		log_error("%s", cause);
		if (!o.s.log_stderr)
			fprintf(stderr, "tradehost: error: %s\n", cause);
		free(cause);
	}
	log_close_file();
	cli_free(&o);
	return rc;
}
