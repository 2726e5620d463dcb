/* The configuration file: every key, path resolution, the example files
 * and each error with its FILE:LINE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "suites.h"
#include "testutil.h"
#include "xmalloc.h"

static struct settings s;
static char *cfg;		/* the last file written by load() */
static char *cause;
static char *made[8];		/* files and directories to remove */
static size_t nmade;

static void
setup(void)
{
	settings_init(&s);
}

static void
teardown(void)
{
	if (cfg != NULL)
		unlink(cfg);
	free(cfg);
	cfg = NULL;
	free(cause);
	cause = NULL;
	while (nmade > 0) {
		remove(made[--nmade]);
		free(made[nmade]);
	}
	settings_free(&s);
}

/* Writes text to a fresh file and loads it into s. */
static int
load(const char *text)
{
	if (cfg != NULL)
		unlink(cfg);
	free(cfg);
	free(cause);
	cause = NULL;
	cfg = test_temp_file(text);
	return conf_load(cfg, &s, &cause);
}

/* Asserts that text fails to load with "FILE:line: want...". */
static void
fails_at(const char *text, int line, const char *want)
{
	char *prefix;

	ck_assert_msg(load(text) == -1, "'%s' loaded", text);
	prefix = xasprintf("%s:%d: %s", cfg, line, want);
	ck_assert_msg(strncmp(cause, prefix, strlen(prefix)) == 0,
	    "'%s' is not '%s...'", cause, prefix);
	free(prefix);
}

/* A fresh directory under /tmp, removed by teardown. */
static char *
temp_dir(void)
{
	char tmpl[] = "/tmp/th-conf-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	made[nmade++] = xstrdup(tmpl);
	return made[nmade - 1];
}

/* Writes dir/name, removed by teardown before dir.  Returns the path. */
static const char *
put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	made[nmade++] = path;
	return path;
}

static const char full[] =
    "strategy = {\n"
    "  plugin = \"/opt/sma.so\";\n"
    "  params = { fast = 12; ratio = 0.25; on = true; off = false; };\n"
    "  symbols = [ \"GOOG\", \"MSFT\" ];\n"
    "};\n"
    "data = { path = \"/data\"; };\n"
    "broker = {\n"
    "  cash = 5000;\n"
    "  commission = [ 2.0, 0.001 ];\n"
    "  spread = 0.0002;\n"
    "  margin = 0.5;\n"
    "  trade_on_close = true;\n"
    "  hedging = true;\n"
    "  exclusive_orders = true;\n"
    "  finalize_trades = true;\n"
    "};\n"
    "risk = {\n"
    "  max_open_positions = 3;\n"
    "  max_position_fraction = 0.5;\n"
    "  risk_per_trade = 0.02;\n"
    "  atr_multiple = 3;\n"
    "  min_cash_reserve = 1000.0;\n"
    "  max_trades_per_day = 10;\n"
    "  max_orders_per_second = 5.0;\n"
    "  order_burst = 7;\n"
    "  daily_loss_limit = 0.03;\n"
    "  max_drawdown = 0.2;\n"
    "  trading_hours = \"09:30-16:00:30\";\n"
    "  flatten_at = \"15:55\";\n"
    "  max_orders_per_strategy_day = 20;\n"
    "  duplicate_guard = true;\n"
    "};\n"
    "logging = {\n"
    "  level = \"debug\";\n"
    "  file = \"/var/log/th-%Y-%m-%d.log\";\n"
    "  stderr = false;\n"
    "  audit = \"/var/log/audit.csv\";\n"
    "};\n"
    "state = { file = \"/var/lib/th.state\"; fsync = false; };\n"
    "report = { json = true; trades = \"/r/t.csv\"; equity = \"/r/e.csv\"; };\n";

START_TEST(full_file)
{
	const struct broker_config *b = &s.engine.broker;
	const struct risk_config *r = &s.risk;

	ck_assert_msg(load(full) == 0, "%s", cause);
	ck_assert_str_eq(s.config_path, cfg);
	ck_assert_str_eq(s.plugin, "/opt/sma.so");
	ck_assert_uint_eq(s.nparams, 4);
	ck_assert_str_eq(s.params[0], "fast=12");
	ck_assert_str_eq(s.params[1], "ratio=0.25");
	ck_assert_str_eq(s.params[2], "on=1");
	ck_assert_str_eq(s.params[3], "off=0");
	ck_assert_uint_eq(s.nsymbols, 2);
	ck_assert_str_eq(s.symbols[0], "GOOG");
	ck_assert_str_eq(s.symbols[1], "MSFT");
	ck_assert_str_eq(s.data_path, "/data");
	ck_assert_uint_eq(s.nfiles, 0);
	ck_assert_double_eq(b->cash, 5000);
	ck_assert_double_eq(b->commission_fixed, 2);
	ck_assert_double_eq(b->commission_rate, 0.001);
	ck_assert_double_eq(b->spread, 0.0002);
	ck_assert_double_eq(b->margin, 0.5);
	ck_assert_int_eq(b->trade_on_close, 1);
	ck_assert_int_eq(b->hedging, 1);
	ck_assert_int_eq(b->exclusive_orders, 1);
	ck_assert_int_eq(s.engine.finalize_trades, 1);
	ck_assert_int_eq(r->max_open_positions, 3);
	ck_assert_double_eq(r->max_position_fraction, 0.5);
	ck_assert_double_eq(r->risk_per_trade, 0.02);
	ck_assert_double_eq(r->atr_multiple, 3);
	ck_assert_double_eq(r->min_cash_reserve, 1000);
	ck_assert_int_eq(r->max_trades_per_day, 10);
	ck_assert_double_eq(r->max_orders_per_second, 5);
	ck_assert_int_eq(r->order_burst, 7);
	ck_assert_double_eq(r->daily_loss_limit, 0.03);
	ck_assert_double_eq(r->max_drawdown, 0.2);
	ck_assert_int_eq(r->trading_start, 9 * 3600 + 30 * 60);
	ck_assert_int_eq(r->trading_end, 16 * 3600 + 30);
	ck_assert_int_eq(r->flatten_at, 15 * 3600 + 55 * 60);
	ck_assert_int_eq(r->max_orders_per_strategy_day, 20);
	ck_assert_int_eq(r->duplicate_guard, 1);
	ck_assert_int_eq(s.log_level, LOG_DEBUG);
	ck_assert_str_eq(s.log_file, "/var/log/th-%Y-%m-%d.log");
	ck_assert_int_eq(s.log_stderr, 0);
	ck_assert_str_eq(s.audit_path, "/var/log/audit.csv");
	ck_assert_str_eq(s.state_path, "/var/lib/th.state");
	ck_assert_int_eq(s.state_fsync, 0);
	ck_assert_int_eq(s.json, 1);
	ck_assert_str_eq(s.trades_path, "/r/t.csv");
	ck_assert_str_eq(s.equity_path, "/r/e.csv");
	ck_assert_msg(settings_check(&s, &cause) == 0, "%s", cause);
}
END_TEST

/* An empty file and empty sections change nothing but config_path. */
START_TEST(defaults_untouched)
{
	struct settings d;

	settings_init(&d);
	ck_assert_int_eq(load("# nothing\n"), 0);
	ck_assert_str_eq(s.config_path, cfg);
	ck_assert_int_eq(load("strategy = {}; data = {}; broker = {};\n"
	    "risk = {}; logging = {}; state = {}; report = {};\n"), 0);
	ck_assert(memcmp(&s.engine, &d.engine, sizeof d.engine) == 0);
	ck_assert(memcmp(&s.risk, &d.risk, sizeof d.risk) == 0);
	ck_assert_ptr_null(s.plugin);
	ck_assert_ptr_null(s.params);
	ck_assert_ptr_null(s.symbols);
	ck_assert_ptr_null(s.data_path);
	ck_assert_ptr_null(s.files);
	ck_assert_int_eq(s.log_level, d.log_level);
	ck_assert_ptr_null(s.log_file);
	ck_assert_int_eq(s.log_stderr, 1);
	ck_assert_ptr_null(s.audit_path);
	ck_assert_ptr_null(s.state_path);
	ck_assert_int_eq(s.state_fsync, 1);
	ck_assert_int_eq(s.json, 0);
	ck_assert_ptr_null(s.trades_path);
	ck_assert_ptr_null(s.equity_path);
	settings_free(&d);
}
END_TEST

/* The file lands on top of what s holds: absent keys keep their values,
 * given ones replace them, params are appended. */
START_TEST(on_top)
{
	settings_set_string(&s.plugin, "cli.so");
	settings_set_string(&s.trades_path, "old.csv");
	settings_add_param(&s, "fast=1");
	settings_add_file(&s, "OLD", "old.csv");
	s.json = 1;
	s.risk.max_drawdown = 0.5;
	ck_assert_msg(load("report = { trades = \"/new.csv\"; };\n"
	    "strategy = { params = { slow = 40; }; };\n"
	    "data = { files = { NEW = \"/n.csv\"; }; };\n"
	    "broker = { cash = 7; };\n") == 0, "%s", cause);
	ck_assert_str_eq(s.plugin, "cli.so");
	ck_assert_str_eq(s.trades_path, "/new.csv");
	ck_assert_int_eq(s.json, 1);
	ck_assert_double_eq(s.risk.max_drawdown, 0.5);
	ck_assert_double_eq(s.engine.broker.cash, 7);
	ck_assert_uint_eq(s.nparams, 2);
	ck_assert_str_eq(s.params[0], "fast=1");
	ck_assert_str_eq(s.params[1], "slow=40");
	ck_assert_uint_eq(s.nfiles, 1);
	ck_assert_str_eq(s.files[0].symbol, "NEW");
	ck_assert_str_eq(s.files[0].path, "/n.csv");
}
END_TEST

START_TEST(relative_paths)
{
	const char *dir = temp_dir(), *path;
	char *want;

	path = put(dir, "t.cfg",
	    "data = { path = \"csv\"; files = { A = \"a.csv\";\n"
	    "  B = \"/abs/b.csv\"; }; };\n"
	    "logging = { file = \"logs/%Y.log\"; audit = \"../audit.csv\"; };\n"
	    "state = { file = \"st\"; };\n"
	    "report = { trades = \"t.csv\"; equity = \"/e.csv\"; };\n");
	ck_assert_msg(conf_load(path, &s, &cause) == 0, "%s", cause);
#define CHECK_UNDER(got, rel) do {				\
	want = xasprintf("%s/%s", dir, rel);			\
	ck_assert_str_eq(got, want);				\
	free(want);						\
} while (0)
	CHECK_UNDER(s.data_path, "csv");
	CHECK_UNDER(s.files[0].path, "a.csv");
	ck_assert_str_eq(s.files[1].path, "/abs/b.csv");
	CHECK_UNDER(s.log_file, "logs/%Y.log");
	CHECK_UNDER(s.audit_path, "../audit.csv");
	CHECK_UNDER(s.state_path, "st");
	CHECK_UNDER(s.trades_path, "t.csv");
	ck_assert_str_eq(s.equity_path, "/e.csv");
#undef CHECK_UNDER
}
END_TEST

/* A file named without a directory leaves relative paths as written. */
START_TEST(relative_config_name)
{
	const char *dir = temp_dir();
	char cwd[4096];

	put(dir, "t.cfg", "data = { path = \"x.csv\"; };\n");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(conf_load("t.cfg", &s, &cause), 0);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_str_eq(s.data_path, "x.csv");
	ck_assert_str_eq(s.config_path, "t.cfg");
}
END_TEST

/* A plugin next to the file is found there; one that is not stays as
 * written for plugin_load()'s installed-copy lookup. */
START_TEST(plugin_path)
{
	const char *dir = temp_dir(), *path;
	char *want = xasprintf("%s/p.so", dir);

	put(dir, "p.so", "");
	path = put(dir, "a.cfg", "strategy = { plugin = \"p.so\"; };\n");
	ck_assert_int_eq(conf_load(path, &s, &cause), 0);
	ck_assert_str_eq(s.plugin, want);
	path = put(dir, "b.cfg",
	    "strategy = { plugin = \"strategies/none.so\"; };\n");
	ck_assert_int_eq(conf_load(path, &s, &cause), 0);
	ck_assert_str_eq(s.plugin, "strategies/none.so");
	free(want);
}
END_TEST

/* @include is relative to the including file's directory. */
START_TEST(include_dir)
{
	const char *dir = temp_dir(), *path;

	put(dir, "risk.inc", "risk = { max_drawdown = 0.25; };\n");
	path = put(dir, "main.cfg", "@include \"risk.inc\"\n"
	    "broker = { cash = 3; };\n");
	ck_assert_msg(conf_load(path, &s, &cause) == 0, "%s", cause);
	ck_assert_double_eq(s.risk.max_drawdown, 0.25);
	ck_assert_double_eq(s.engine.broker.cash, 3);
}
END_TEST

START_TEST(params)
{
	ck_assert_msg(load("strategy = { params = {\n"
	    "  b = 0.1; a = -3; big = 3000000000L; t = true; e = 1e-3; }; };\n")
	    == 0, "%s", cause);
	ck_assert_uint_eq(s.nparams, 5);
	ck_assert_str_eq(s.params[0], "b=0.10000000000000001");
	ck_assert_str_eq(s.params[1], "a=-3");
	ck_assert_str_eq(s.params[2], "big=3000000000");
	ck_assert_str_eq(s.params[3], "t=1");
	ck_assert_str_eq(s.params[4], "e=0.001");
	ck_assert_double_eq(strtod(s.params[0] + 2, NULL), 0.1);
	fails_at("strategy = {\n params = {\n  n = \"x\"; }; };\n", 3,
	    "strategy.params.n: expected a finite number or a boolean, "
	    "got a string");
	fails_at("strategy = { params = { n = { m = 1; }; }; };\n", 1,
	    "strategy.params.n: expected a finite number or a boolean, "
	    "got a group");
	fails_at("strategy = { params = { n = 1e999; }; };\n", 1,
	    "strategy.params.n: expected a finite number or a boolean, "
	    "got a float");
	fails_at("strategy = { params = [ 1 ]; };\n", 1,
	    "strategy.params: expected a group, got an array");
}
END_TEST

START_TEST(commission)
{
	const struct broker_config *b = &s.engine.broker;

	ck_assert_int_eq(load("broker = { commission = 0.002; };\n"), 0);
	ck_assert_double_eq(b->commission_fixed, 0);
	ck_assert_double_eq(b->commission_rate, 0.002);
	ck_assert_int_eq(load("broker = { commission = [ 1.5, -0.01 ]; };\n"),
	    0);
	ck_assert_double_eq(b->commission_fixed, 1.5);
	ck_assert_double_eq(b->commission_rate, -0.01);
	ck_assert_int_eq(load("broker = { commission = ( 3, 0.001 ); };\n"), 0);
	ck_assert_double_eq(b->commission_fixed, 3);
	ck_assert_double_eq(b->commission_rate, 0.001);
	ck_assert_int_eq(load("broker = { commission = 0; };\n"), 0);
	ck_assert_double_eq(b->commission_fixed, 0);
	ck_assert_double_eq(b->commission_rate, 0);
	fails_at("broker = {\n commission = [ 1.0 ]; };\n", 2,
	    "broker.commission: expected [FIXED, RATE], got 1 elements");
	fails_at("broker = {\n commission = [ 1.0, 2.0, 3.0 ]; };\n", 2,
	    "broker.commission: expected [FIXED, RATE], got 3 elements");
	fails_at("broker = {\n commission = ( 1.0,\n \"x\" ); };\n", 3,
	    "broker.commission[1]: expected a number, got a string");
	fails_at("broker = { commission = \"0.1\"; };\n", 1,
	    "broker.commission: expected a number or [FIXED, RATE], got a "
	    "string");
	fails_at("broker = { commission = 0.1; };\n", 1,
	    "broker.commission: the rate must be in [-0.1, 0.1), got 0.1");
	fails_at("broker = { commission = -0.2; };\n", 1,
	    "broker.commission: the rate must be in [-0.1, 0.1), got -0.2");
	fails_at("broker = { commission = [ -1.0, 0.0 ]; };\n", 1,
	    "broker.commission: the fixed part must be >= 0, got -1");
}
END_TEST

START_TEST(syntax_error)
{
	fails_at("broker = {\n  cash = 1;\n  margin = ;\n};\n", 3,
	    "syntax error: ");
	fails_at("broker = { cash = 1; cash = 2; };\n", 1,
	    "syntax error: duplicate setting name");
	fails_at("broker = { commission = [ 1, 0.5 ]; };\n", 1,
	    "syntax error: mismatched element type in array");
}
END_TEST

START_TEST(missing_file)
{
	const char *dir = temp_dir();
	char *want = xasprintf("%s/none.cfg: No such file or directory", dir),
	    *path = xasprintf("%s/none.cfg", dir);

	ck_assert_int_eq(conf_load(path, &s, &cause), -1);
	ck_assert_str_eq(cause, want);
	free(cause);
	cause = NULL;
	free(want);
	want = xasprintf("%s: Is a directory", dir);
	ck_assert_int_eq(conf_load(dir, &s, &cause), -1);
	ck_assert_str_eq(cause, want);
	ck_assert_ptr_null(s.config_path);
	free(want);
	free(path);
}
END_TEST

START_TEST(unknown_names)
{
	fails_at("broker = {};\n\nbrokr = { cash = 1; };\n", 3,
	    "brokr: unknown section (expected one of: strategy, data, broker, "
	    "risk, logging, state, report, train, live)");
	fails_at("broker = {\n cash = 1;\n cassh = 2; };\n", 3,
	    "broker.cassh: unknown key (expected one of: cash, commission, "
	    "spread, margin, trade_on_close, hedging, exclusive_orders, "
	    "finalize_trades)");
	fails_at("state = { path = \"x\"; };\n", 1,
	    "state.path: unknown key (expected one of: file, fsync)");
	fails_at("plugin = \"x.so\";\n", 1, "plugin: unknown section");
}
END_TEST

START_TEST(wrong_types)
{
	fails_at("broker = {\n cash = \"100\"; };\n", 2,
	    "broker.cash: expected a number, got a string");
	fails_at("broker = { cash = true; };\n", 1,
	    "broker.cash: expected a number, got a boolean");
	fails_at("broker = { margin = [ 0.5 ]; };\n", 1,
	    "broker.margin: expected a number, got an array");
	fails_at("risk = {\n\n max_open_positions = 2.0; };\n", 3,
	    "risk.max_open_positions: expected an integer, got a float");
	fails_at("risk = { order_burst = \"3\"; };\n", 1,
	    "risk.order_burst: expected an integer, got a string");
	fails_at("broker = { hedging = 1; };\n", 1,
	    "broker.hedging: expected a boolean, got an integer");
	fails_at("state = { fsync = \"yes\"; };\n", 1,
	    "state.fsync: expected a boolean, got a string");
	fails_at("data = { path = 5; };\n", 1,
	    "data.path: expected a string, got an integer");
	fails_at("report = { trades = { a = 1; }; };\n", 1,
	    "report.trades: expected a string, got a group");
	fails_at("logging = { file = ( \"a\" ); };\n", 1,
	    "logging.file: expected a string, got a list");
	fails_at("strategy = { symbols = \"GOOG\"; };\n", 1,
	    "strategy.symbols: expected an array of strings, got a string");
	fails_at("data = { files = \"a.csv\"; };\n", 1,
	    "data.files: expected a group, got a string");
	fails_at("data = { files = { A = 1; }; };\n", 1,
	    "data.files.A: expected a string, got an integer");
	fails_at("broker = 5;\n", 1, "broker: expected a group, got an integer");
	fails_at("risk = [ 1 ];\n", 1, "risk: expected a group, got an array");
	fails_at("data = { path = \"\"; };\n", 1, "data.path: must not be empty");
	fails_at("logging = { level = 2; };\n", 1,
	    "logging.level: expected a string, got an integer");
}
END_TEST

/* Each range-checked key, one value outside its range, on line 2. */
static const struct {
	const char *text;
	const char *want;
} out_of_range[] = {
	{ "broker = {\n cash = 0; };", "broker.cash: must be > 0, got 0" },
	{ "broker = {\n cash = -5.5; };", "broker.cash: must be > 0, got -5.5" },
	{ "broker = {\n cash = 1e999; };", "broker.cash: must be > 0, got inf" },
	{ "broker = {\n spread = 1e999; };",
	  "broker.spread: must be a finite number, got inf" },
	{ "broker = {\n margin = 0; };",
	  "broker.margin: must be in (0, 1], got 0" },
	{ "broker = {\n margin = 1.5; };",
	  "broker.margin: must be in (0, 1], got 1.5" },
	{ "risk = {\n max_open_positions = -1; };",
	  "risk.max_open_positions: must be >= 0, got -1" },
	{ "risk = {\n max_position_fraction = 1.5; };",
	  "risk.max_position_fraction: must be in [0, 1], got 1.5" },
	{ "risk = {\n max_position_fraction = -0.1; };",
	  "risk.max_position_fraction: must be in [0, 1], got -0.1" },
	{ "risk = {\n risk_per_trade = 0; };",
	  "risk.risk_per_trade: must be in (0, 1], got 0" },
	{ "risk = {\n risk_per_trade = 1.01; };",
	  "risk.risk_per_trade: must be in (0, 1], got 1.01" },
	{ "risk = {\n atr_multiple = 0; };",
	  "risk.atr_multiple: must be > 0, got 0" },
	{ "risk = {\n min_cash_reserve = -1; };",
	  "risk.min_cash_reserve: must be >= 0, got -1" },
	{ "risk = {\n max_trades_per_day = -1; };",
	  "risk.max_trades_per_day: must be >= 0, got -1" },
	{ "risk = {\n max_orders_per_second = -0.5; };",
	  "risk.max_orders_per_second: must be >= 0, got -0.5" },
	{ "risk = {\n order_burst = -2; };",
	  "risk.order_burst: must be >= 0, got -2" },
	{ "risk = {\n daily_loss_limit = 1.5; };",
	  "risk.daily_loss_limit: must be in [0, 1], got 1.5" },
	{ "risk = {\n max_drawdown = -0.1; };",
	  "risk.max_drawdown: must be in [0, 1], got -0.1" },
	{ "risk = {\n max_orders_per_strategy_day = -1L; };",
	  "risk.max_orders_per_strategy_day: must be >= 0, got -1" },
};

START_TEST(ranges)
{
	fails_at(out_of_range[_i].text, 2, out_of_range[_i].want);
}
END_TEST

/* The ends of each range are accepted. */
START_TEST(range_ends)
{
	ck_assert_msg(load("broker = { margin = 1; spread = -0.5; };\n"
	    "risk = { max_position_fraction = 1; risk_per_trade = 1;\n"
	    "  daily_loss_limit = 0; max_drawdown = 1; order_burst = 0;\n"
	    "  max_open_positions = 0; min_cash_reserve = 0; };\n") == 0,
	    "%s", cause);
	ck_assert_double_eq(s.engine.broker.margin, 1);
	ck_assert_double_eq(s.engine.broker.spread, -0.5);
	ck_assert_double_eq(s.risk.max_drawdown, 1);
	ck_assert_double_eq(s.risk.risk_per_trade, 1);
}
END_TEST

START_TEST(clock_times)
{
	const char *hours = "risk.trading_hours: expected "
	    "\"HH:MM[:SS]-HH:MM[:SS]\"";
	const char *at = "risk.flatten_at: expected \"HH:MM[:SS]\"";

	ck_assert_int_eq(load("risk = { trading_hours = \"00:00-23:59:59\";\n"
	    "flatten_at = \"23:59:59\"; };\n"), 0);
	ck_assert_int_eq(s.risk.trading_start, 0);
	ck_assert_int_eq(s.risk.trading_end, 86399);
	ck_assert_int_eq(s.risk.flatten_at, 86399);
	fails_at("risk = {\n trading_hours = \"25:00-26:00\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"09:30\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"9:30-16:00\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"09:60-16:00\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"09:30-16:00x\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"09:30 - 16:00\"; };", 2, hours);
	fails_at("risk = {\n trading_hours = \"10:00-09:00\"; };", 2,
	    "risk.trading_hours: the start must be before the end, got "
	    "'10:00-09:00'");
	fails_at("risk = {\n trading_hours = \"10:00-10:00\"; };", 2,
	    "risk.trading_hours: the start must be before the end");
	fails_at("risk = {\n trading_hours = 930; };", 2,
	    "risk.trading_hours: expected a string, got an integer");
	fails_at("risk = {\n\n flatten_at = \"25:00\"; };", 3, at);
	fails_at("risk = {\n\n flatten_at = \"15\"; };", 3, at);
	fails_at("risk = {\n\n flatten_at = \"15:55:60\"; };", 3, at);
	fails_at("risk = {\n\n flatten_at = \"15:55-16:00\"; };", 3, at);
	fails_at("risk = {\n\n flatten_at = \"\"; };", 3,
	    "risk.flatten_at: must not be empty");
}
END_TEST

START_TEST(symbols)
{
	settings_add_symbol(&s, "OLD");
	ck_assert_int_eq(load("strategy = { symbols = ( \"A\", \"B\" ); };\n"),
	    0);
	ck_assert_uint_eq(s.nsymbols, 2);
	ck_assert_str_eq(s.symbols[0], "A");
	ck_assert_str_eq(s.symbols[1], "B");
	fails_at("strategy = { symbols = [\n \"GOOG\",\n \"MSFT\",\n "
	    "\"GOOG\" ]; };\n", 4, "strategy.symbols[2]: 'GOOG' is listed twice");
	fails_at("strategy = { symbols = [\n \"A/B\" ]; };\n", 2,
	    "strategy.symbols[0]: bad symbol name 'A/B'");
	fails_at("strategy = { symbols = [ \"A\", \"B C\" ]; };\n", 1,
	    "strategy.symbols[1]: bad symbol name 'B C'");
	fails_at("strategy = { symbols = [ \"A=B\" ]; };\n", 1,
	    "strategy.symbols[0]: bad symbol name 'A=B'");
	fails_at("strategy = { symbols = [ \"A,B\" ]; };\n", 1,
	    "strategy.symbols[0]: bad symbol name 'A,B'");
	fails_at("strategy = { symbols = [ \"\" ]; };\n", 1,
	    "strategy.symbols[0]: bad symbol name ''");
	fails_at("strategy = {\n symbols = [ ]; };\n", 2,
	    "strategy.symbols: must name at least one symbol");
	fails_at("strategy = { symbols = ( \"A\", 1 ); };\n", 1,
	    "strategy.symbols[1]: expected a string, got an integer");
}
END_TEST

START_TEST(files)
{
	fails_at("data = {\n files = { }; };\n", 2,
	    "data.files: must name at least one symbol");
	fails_at("data = { files = {\n A = \"\"; }; };\n", 2,
	    "data.files.A: must not be empty");
}
END_TEST

START_TEST(levels)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	static const enum log_level want[] = {
		LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG
	};
	char *text;
	size_t k;

	for (k = 0; k < 4; k++) {
		s.log_level = k == 0 ? LOG_DEBUG : LOG_ERROR;
		text = xasprintf("logging = { level = \"%s\"; };\n", names[k]);
		ck_assert_int_eq(load(text), 0);
		ck_assert_int_eq(s.log_level, want[k]);
		free(text);
	}
	fails_at("logging = {\n level = \"verbose\"; };\n", 2,
	    "logging.level: expected one of error, warn, info, debug, got "
	    "'verbose'");
}
END_TEST

/* The shipped examples load and pass settings_check(). */
static void
load_example(const char *name)
{
	const char *dir = getenv("TH_EXAMPLES");
	char *path;

	ck_assert_msg(dir != NULL, "TH_EXAMPLES is not set");
	path = xasprintf("%s/%s", dir, name);
	settings_free(&s);
	settings_init(&s);
	ck_assert_msg(conf_load(path, &s, &cause) == 0, "%s", cause);
	ck_assert_msg(settings_check(&s, &cause) == 0, "%s: %s", name, cause);
	free(path);
}

START_TEST(examples)
{
	load_example("backtest.cfg");
	ck_assert_ptr_nonnull(s.plugin);
	ck_assert_ptr_null(s.data_path);	/* runs on the demo data */
	ck_assert_uint_gt(s.nparams, 0);
	load_example("portfolio.cfg");
	ck_assert_uint_gt(s.nsymbols, 1);
	ck_assert_uint_eq(s.nfiles, 0);
	ck_assert_ptr_nonnull(s.audit_path);
	ck_assert_ptr_nonnull(s.state_path);
	ck_assert_int_gt(s.risk.max_open_positions, 0);
	load_example("risk.cfg");
	ck_assert_int_gt(s.risk.max_open_positions, 0);
	ck_assert_double_gt(s.risk.max_position_fraction, 0);
	ck_assert_double_gt(s.risk.min_cash_reserve, 0);
	ck_assert_int_gt(s.risk.max_trades_per_day, 0);
	ck_assert_double_gt(s.risk.max_orders_per_second, 0);
	ck_assert_int_gt(s.risk.order_burst, 0);
	ck_assert_double_gt(s.risk.daily_loss_limit, 0);
	ck_assert_double_gt(s.risk.max_drawdown, 0);
	ck_assert_int_ge(s.risk.trading_start, 0);
	ck_assert_int_ge(s.risk.flatten_at, 0);
	ck_assert_int_gt(s.risk.max_orders_per_strategy_day, 0);
	ck_assert_int_eq(s.risk.duplicate_guard, 1);
}
END_TEST

static void
add(Suite *su, const char *name, const TTest *fn, int loop)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	if (loop > 0)
		tcase_add_loop_test(tc, fn, 0, loop);
	else
		tcase_add_test(tc, fn);
	suite_add_tcase(su, tc);
}

Suite *
conf_suite(void)
{
	Suite *su = suite_create("conf");

	add(su, "full_file", full_file, 0);
	add(su, "defaults_untouched", defaults_untouched, 0);
	add(su, "on_top", on_top, 0);
	add(su, "relative_paths", relative_paths, 0);
	add(su, "relative_config_name", relative_config_name, 0);
	add(su, "plugin_path", plugin_path, 0);
	add(su, "include_dir", include_dir, 0);
	add(su, "params", params, 0);
	add(su, "commission", commission, 0);
	add(su, "syntax_error", syntax_error, 0);
	add(su, "missing_file", missing_file, 0);
	add(su, "unknown_names", unknown_names, 0);
	add(su, "wrong_types", wrong_types, 0);
	add(su, "ranges", ranges, (int)(sizeof out_of_range /
	    sizeof out_of_range[0]));
	add(su, "range_ends", range_ends, 0);
	add(su, "clock_times", clock_times, 0);
	add(su, "symbols", symbols, 0);
	add(su, "files", files, 0);
	add(su, "levels", levels, 0);
	add(su, "examples", examples, 0);
	return su;
}
