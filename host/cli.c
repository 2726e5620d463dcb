#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "csv.h"
#include "demo.h"
#include "log.h"
#include "report.h"
#include "stats.h"
#include "xmalloc.h"

enum {
	OPT_PLUGIN = 256, OPT_DATA, OPT_PARAM, OPT_CASH, OPT_COMMISSION,
	OPT_SPREAD, OPT_MARGIN, OPT_TRADE_ON_CLOSE, OPT_HEDGING,
	OPT_EXCLUSIVE, OPT_FINALIZE, OPT_JSON, OPT_TRADES, OPT_EQUITY,
	OPT_LIST_PARAMS, OPT_VERSION
};

static const struct option long_options[] = {
	{ "plugin", required_argument, NULL, OPT_PLUGIN },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "param", required_argument, NULL, OPT_PARAM },
	{ "cash", required_argument, NULL, OPT_CASH },
	{ "commission", required_argument, NULL, OPT_COMMISSION },
	{ "spread", required_argument, NULL, OPT_SPREAD },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "trade-on-close", no_argument, NULL, OPT_TRADE_ON_CLOSE },
	{ "hedging", no_argument, NULL, OPT_HEDGING },
	{ "exclusive-orders", no_argument, NULL, OPT_EXCLUSIVE },
	{ "finalize-trades", no_argument, NULL, OPT_FINALIZE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "trades", required_argument, NULL, OPT_TRADES },
	{ "equity", required_argument, NULL, OPT_EQUITY },
	{ "list-params", no_argument, NULL, OPT_LIST_PARAMS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

void
cli_usage(FILE *out)
{
	fputs("usage: tradehost --plugin PATH [--data FILE.csv] "
	    "[--param NAME=VALUE]...\n"
	    "                 [--cash N] [--commission RATE | --commission "
	    "FIXED,RATE]\n"
	    "                 [--spread RATE] [--margin RATE] "
	    "[--trade-on-close] [--hedging]\n"
	    "                 [--exclusive-orders] [--finalize-trades] "
	    "[--json]\n"
	    "                 [--trades FILE.csv] [--equity FILE.csv] "
	    "[--list-params]\n"
	    "                 [-v|--verbose] [-q|--quiet] [-h|--help] "
	    "[--version]\n"
	    "Runs a strategy plugin over market data (the built-in demo data "
	    "when --data\nis not given) and prints backtesting.py's "
	    "statistics.  See tradehost(1).\n", out);
}

static int
parse_number(const char *opt, const char *text, double *out, char **cause)
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

/* "RATE" or "FIXED,RATE", as backtesting.py's commission=(fixed, rate). */
static int
parse_commission(const char *text, struct broker_config *b, char **cause)
{
	const char *comma = strchr(text, ',');
	char *fixed;
	int rc;

	if (comma == NULL) {
		b->commission_fixed = 0;
		return parse_number("commission", text, &b->commission_rate,
		    cause);
	}
	fixed = xstrndup(text, (size_t)(comma - text));
	rc = parse_number("commission", fixed, &b->commission_fixed, cause);
	free(fixed);
	if (rc < 0)
		return -1;
	return parse_number("commission", comma + 1, &b->commission_rate,
	    cause);
}

static void
set_defaults(struct cli_options *o)
{
	memset(o, 0, sizeof *o);
	o->engine.broker.cash = 10000;
	o->engine.broker.margin = 1;
}

static int
apply_option(struct cli_options *o, int c, const char *arg, char **cause)
{
	struct broker_config *b = &o->engine.broker;

	switch (c) {
	case OPT_PLUGIN: o->plugin = arg; return 0;
	case OPT_DATA: o->data = arg; return 0;
	case OPT_PARAM:
		o->params = xreallocarray(o->params, o->nparams + 1,
		    sizeof *o->params);
		o->params[o->nparams++] = arg;
		return 0;
	case OPT_CASH: return parse_number("cash", arg, &b->cash, cause);
	case OPT_COMMISSION: return parse_commission(arg, b, cause);
	case OPT_SPREAD: return parse_number("spread", arg, &b->spread, cause);
	case OPT_MARGIN: return parse_number("margin", arg, &b->margin, cause);
	case OPT_TRADE_ON_CLOSE: b->trade_on_close = 1; return 0;
	case OPT_HEDGING: b->hedging = 1; return 0;
	case OPT_EXCLUSIVE: b->exclusive_orders = 1; return 0;
	case OPT_FINALIZE: o->engine.finalize_trades = 1; return 0;
	case OPT_JSON: o->json = 1; return 0;
	case OPT_TRADES: o->trades_path = arg; return 0;
	case OPT_EQUITY: o->equity_path = arg; return 0;
	case OPT_LIST_PARAMS: o->list_params = 1; return 0;
	case 'v': o->verbose++; return 0;
	case 'q': o->quiet = 1; return 0;
	case 'h': o->help = 1; return 0;
	case OPT_VERSION: o->version = 1; return 0;
	}
	*cause = xstrdup("unknown option (see --help)");
	return -1;
}

int
cli_parse(int argc, char **argv, struct cli_options *o, char **cause)
{
	int c;

	set_defaults(o);
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
	if (o->plugin == NULL && !o->help && !o->version) {
		*cause = xstrdup("--plugin PATH is required");
		return -1;
	}
	return broker_config_check(&o->engine.broker, cause);
}

void
cli_free(struct cli_options *o)
{
	free(o->params);
	o->params = NULL;
	o->nparams = 0;
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

static int
load_data(const struct cli_options *o, struct frame **data, char **cause)
{
	if (o->data == NULL) {
		*data = demo_generate(DEMO_BARS, DEMO_SEED);
		return 0;
	}
	return csv_read(o->data, data, cause);
}

static int
write_reports(const struct cli_options *o, const struct run_result *r,
    char **cause)
{
	struct stats st;

	stats_compute(r, &st);
	if (o->trades_path != NULL &&
	    report_trades_csv(o->trades_path, r, cause) < 0)
		return -1;
	if (o->equity_path != NULL &&
	    report_equity_csv(o->equity_path, r, cause) < 0)
		return -1;
	if (o->json)
		return report_json(stdout, r, &st);
	return report_table(stdout, r, &st);
}

/* Loads everything, runs, reports.  Returns an exit code. */
static int
run(const struct cli_options *o, char **cause)
{
	struct plugin pl;
	struct params params;
	struct frame *data = NULL;
	struct run_result result;
	size_t k;
	int rc = CLI_EXIT_FAILURE;

	if (plugin_load(o->plugin, &pl, cause) < 0)
		return CLI_EXIT_FAILURE;
	params_init(&params, pl.desc);
	for (k = 0; k < o->nparams; k++)
		if (params_assign(&params, o->params[k], cause) < 0)
			goto out;
	if (o->list_params) {
		list_params(&params, &pl, stdout);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (load_data(o, &data, cause) < 0)
		goto out;
	if (engine_run(&pl, &params, data, &o->engine, &result, cause) < 0)
		goto out;
	if (write_reports(o, &result, cause) == 0)
		rc = CLI_EXIT_OK;
	result_free(&result);
out:
	frame_free(data);
	params_free(&params);
	plugin_unload(&pl);
	return rc;
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
	log_set_level(o.quiet ? LOG_ERROR : o.verbose > 1 ? LOG_DEBUG :
	    o.verbose ? LOG_INFO : LOG_WARN);
	rc = run(&o, &cause);
	if (cause != NULL) {
		fprintf(stderr, "tradehost: error: %s\n", cause);
		free(cause);
	}
	cli_free(&o);
	return rc;
}
