#include "conf.h"

#include <sys/stat.h>

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

/* One load: where messages and relative paths point, and the target. */
struct conf_ctx {
	const char *path;	/* the file as given */
	char *dir;		/* its directory with a trailing '/', or NULL */
	struct settings *s;
	char **cause;
};

enum conf_kind {
	CONF_GROUP,		/* a section: sub holds its keys */
	CONF_PATH,		/* char *, resolved against ctx.dir */
	CONF_STRING,		/* char *, as written */
	CONF_INT,		/* int64_t */
	CONF_FLOAT,		/* double; an integer is accepted */
	CONF_BOOL,		/* int, 0 or 1 */
	CONF_CUSTOM		/* set() reads it */
};

enum conf_range {
	RANGE_FINITE, RANGE_POS, RANGE_NONNEG, RANGE_UNIT, RANGE_UNIT_POS
};

struct conf_key {
	const char *name;
	enum conf_kind kind;
	size_t off;		/* of the field in struct settings */
	enum conf_range range;
	int (*set)(struct conf_ctx *, const config_setting_t *);
	const struct conf_key *sub;
};

static const struct {
	double lo, hi;
	int lo_open, hi_open;
	const char *text;
} ranges[] = {
	[RANGE_FINITE] = { -INFINITY, INFINITY, 1, 1, "a finite number" },
	[RANGE_POS] = { 0, INFINITY, 1, 1, "> 0" },
	[RANGE_NONNEG] = { 0, INFINITY, 0, 1, ">= 0" },
	[RANGE_UNIT] = { 0, 1, 0, 0, "in [0, 1]" },
	[RANGE_UNIT_POS] = { 0, 1, 1, 0, "in (0, 1]" },
};

static const char *const levels[] = {
	[LOG_ERROR] = "error", [LOG_WARN] = "warn", [LOG_INFO] = "info",
	[LOG_DEBUG] = "debug"
};

static int set_plugin(struct conf_ctx *, const config_setting_t *);
static int set_params(struct conf_ctx *, const config_setting_t *);
static int set_symbols(struct conf_ctx *, const config_setting_t *);
static int set_files(struct conf_ctx *, const config_setting_t *);
static int set_commission(struct conf_ctx *, const config_setting_t *);
static int set_trading_hours(struct conf_ctx *, const config_setting_t *);
static int set_flatten_at(struct conf_ctx *, const config_setting_t *);
static int set_level(struct conf_ctx *, const config_setting_t *);
static int set_select(struct conf_ctx *, const config_setting_t *);
static int set_feed(struct conf_ctx *, const config_setting_t *);
static int set_conn(struct conf_ctx *, const config_setting_t *);
static int set_broker(struct conf_ctx *, const config_setting_t *);
static int set_broker_conn(struct conf_ctx *, const config_setting_t *);

#define F(m) offsetof(struct settings, m)
#define KEY(n, k, m, r) { n, k, F(m), r, NULL, NULL }
#define KEY_CUSTOM(n, fn) { n, CONF_CUSTOM, 0, RANGE_FINITE, fn, NULL }
#define SECTION(n, keys) { n, CONF_GROUP, 0, RANGE_FINITE, NULL, keys }
#define KEY_END { NULL, CONF_CUSTOM, 0, RANGE_FINITE, NULL, NULL }

/* The schema of tradehost.conf(5); keep the manual in step. */
static const struct conf_key strategy_keys[] = {
	KEY_CUSTOM("plugin", set_plugin),
	KEY_CUSTOM("params", set_params),
	KEY_CUSTOM("symbols", set_symbols),
	KEY("keep_plugins", CONF_BOOL, keep_plugins, 0),
	KEY_END
};

static const struct conf_key data_keys[] = {
	KEY("path", CONF_PATH, data_path, RANGE_FINITE),
	KEY_CUSTOM("files", set_files),
	KEY_END
};

static const struct conf_key broker_keys[] = {
	KEY("cash", CONF_FLOAT, engine.broker.cash, RANGE_POS),
	KEY_CUSTOM("commission", set_commission),
	KEY("spread", CONF_FLOAT, engine.broker.spread, RANGE_FINITE),
	KEY("margin", CONF_FLOAT, engine.broker.margin, RANGE_UNIT_POS),
	KEY("trade_on_close", CONF_BOOL, engine.broker.trade_on_close, 0),
	KEY("hedging", CONF_BOOL, engine.broker.hedging, 0),
	KEY("exclusive_orders", CONF_BOOL, engine.broker.exclusive_orders, 0),
	KEY("finalize_trades", CONF_BOOL, engine.finalize_trades, 0),
	KEY_END
};

static const struct conf_key risk_keys[] = {
	KEY("max_open_positions", CONF_INT, risk.max_open_positions,
	    RANGE_NONNEG),
	KEY("max_position_fraction", CONF_FLOAT, risk.max_position_fraction,
	    RANGE_UNIT),
	KEY("risk_per_trade", CONF_FLOAT, risk.risk_per_trade, RANGE_UNIT_POS),
	KEY("atr_multiple", CONF_FLOAT, risk.atr_multiple, RANGE_POS),
	KEY("min_cash_reserve", CONF_FLOAT, risk.min_cash_reserve,
	    RANGE_NONNEG),
	KEY("max_trades_per_day", CONF_INT, risk.max_trades_per_day,
	    RANGE_NONNEG),
	KEY("max_orders_per_second", CONF_FLOAT, risk.max_orders_per_second,
	    RANGE_NONNEG),
	KEY("order_burst", CONF_INT, risk.order_burst, RANGE_NONNEG),
	KEY("daily_loss_limit", CONF_FLOAT, risk.daily_loss_limit, RANGE_UNIT),
	KEY("max_drawdown", CONF_FLOAT, risk.max_drawdown, RANGE_UNIT),
	KEY_CUSTOM("trading_hours", set_trading_hours),
	KEY_CUSTOM("flatten_at", set_flatten_at),
	KEY("max_orders_per_strategy_day", CONF_INT,
	    risk.max_orders_per_strategy_day, RANGE_NONNEG),
	KEY("duplicate_guard", CONF_BOOL, risk.duplicate_guard, 0),
	KEY("refuse_on_stale", CONF_BOOL, risk.refuse_on_stale, 0),
	KEY_END
};

static const struct conf_key logging_keys[] = {
	KEY_CUSTOM("level", set_level),
	KEY("file", CONF_PATH, log_file, 0),
	KEY("stderr", CONF_BOOL, log_stderr, 0),
	KEY("audit", CONF_PATH, audit_path, 0),
	KEY_END
};

static const struct conf_key state_keys[] = {
	KEY("file", CONF_PATH, state_path, 0),
	KEY("fsync", CONF_BOOL, state_fsync, 0),
	KEY_END
};

static const struct conf_key report_keys[] = {
	KEY("json", CONF_BOOL, json, 0),
	KEY("trades", CONF_PATH, trades_path, 0),
	KEY("equity", CONF_PATH, equity_path, 0),
	KEY_END
};

static const struct conf_key train_keys[] = {
	KEY("episodes", CONF_INT, train_episodes, RANGE_NONNEG),
	KEY("validation", CONF_FLOAT, train_validation, RANGE_UNIT_POS),
	KEY_CUSTOM("select", set_select),
	KEY("model", CONF_PATH, model_path, 0),
	KEY_END
};

static const struct conf_key live_keys[] = {
	KEY_CUSTOM("feed", set_feed),
	KEY_CUSTOM("settings", set_conn),
	KEY("rest_url", CONF_STRING, live.rest_url, 0),
	KEY("stream_url", CONF_STRING, live.stream_url, 0),
	KEY("granularity", CONF_STRING, live.granularity, 0),
	KEY("history", CONF_INT, live.history, RANGE_NONNEG),
	KEY("clock", CONF_STRING, live.clock, 0),
	KEY("poll", CONF_FLOAT, live.poll, RANGE_NONNEG),
	KEY("grace", CONF_FLOAT, live.grace, RANGE_NONNEG),
	KEY("stale", CONF_FLOAT, live.stale, RANGE_NONNEG),
	KEY("stagger", CONF_FLOAT, live.stagger, RANGE_NONNEG),
	KEY("market_hours", CONF_STRING, live.market_hours, 0),
	KEY("market_days", CONF_STRING, live.market_days, 0),
	KEY("market_tz", CONF_STRING, live.market_tz, 0),
	KEY("summary", CONF_FLOAT, live.summary, RANGE_NONNEG),
	KEY("duration", CONF_FLOAT, live.duration, RANGE_NONNEG),
	KEY("once", CONF_BOOL, live.once, 0),
	KEY("journal", CONF_PATH, live.journal, 0),
	KEY_CUSTOM("broker", set_broker),
	KEY_CUSTOM("broker_settings", set_broker_conn),
	KEY("broker_rest_url", CONF_STRING, live.broker_rest_url, 0),
	KEY("broker_stream_url", CONF_STRING, live.broker_stream_url, 0),
	KEY("limit_timeout", CONF_FLOAT, live.limit_timeout, RANGE_NONNEG),
	KEY("order_poll", CONF_FLOAT, live.order_poll, RANGE_NONNEG),
	KEY_END
};

static const struct conf_key sections[] = {
	SECTION("strategy", strategy_keys),
	SECTION("data", data_keys),
	SECTION("broker", broker_keys),
	SECTION("risk", risk_keys),
	SECTION("logging", logging_keys),
	SECTION("state", state_keys),
	SECTION("report", report_keys),
	SECTION("train", train_keys),
	SECTION("live", live_keys),
	KEY_END
};

/* "broker.commission", "strategy.symbols[2]": the setting's full name. */
static char *
setting_path(const config_setting_t *st)
{
	const config_setting_t *up = config_setting_parent(st);
	const char *name = config_setting_name(st);
	char *head, *out;

	if (up == NULL)
		return xstrdup("");
	head = setting_path(up);
	if (name == NULL)
		out = xasprintf("%s[%d]", head, config_setting_index(st));
	else
		out = xasprintf("%s%s%s", head, *head != '\0' ? "." : "", name);
	free(head);
	return out;
}

/* Sets *cause to "FILE:LINE: name: message" and returns -1. */
static int __attribute__((format(printf, 3, 4)))
conf_fail(struct conf_ctx *c, const config_setting_t *st, const char *fmt,
    ...)
{
	const char *file = config_setting_source_file(st);
	char *name = setting_path(st), *msg;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	*c->cause = xasprintf("%s:%u: %s: %s", file != NULL ? file : c->path,
	    config_setting_source_line(st), name, msg);
	free(msg);
	free(name);
	return -1;
}

static const char *
type_name(const config_setting_t *st)
{
	switch (config_setting_type(st)) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "an integer";
	case CONFIG_TYPE_FLOAT: return "a float";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	}
	return "nothing";
}

static int
expect_type(struct conf_ctx *c, const config_setting_t *st, int type,
    const char *what)
{
	if (config_setting_type(st) == type)
		return 0;
	return conf_fail(c, st, "expected %s, got %s", what, type_name(st));
}

/* A nonempty string setting.  Returns it (owned by libconfig), or NULL
 * with *cause. */
static const char *
get_string(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v;

	if (expect_type(c, st, CONFIG_TYPE_STRING, "a string") < 0)
		return NULL;
	v = config_setting_get_string(st);
	if (*v == '\0') {
		conf_fail(c, st, "must not be empty");
		return NULL;
	}
	return v;
}

/* Reads an int, int64 or float setting.  Returns 0, or -1 with *cause. */
static int
get_number(struct conf_ctx *c, const config_setting_t *st, const char *what,
    double *v)
{
	switch (config_setting_type(st)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		*v = (double)config_setting_get_int64(st);
		return 0;
	case CONFIG_TYPE_FLOAT:
		*v = config_setting_get_float(st);
		return 0;
	}
	return conf_fail(c, st, "expected %s, got %s", what, type_name(st));
}

static int
in_range(enum conf_range r, double v)
{
	if (!isfinite(v))
		return 0;
	if (ranges[r].lo_open ? v <= ranges[r].lo : v < ranges[r].lo)
		return 0;
	return ranges[r].hi_open ? v < ranges[r].hi : v <= ranges[r].hi;
}

/* value as written, or under ctx.dir when relative; caller frees. */
static char *
resolve(const struct conf_ctx *c, const char *value)
{
	if (value[0] == '/' || c->dir == NULL)
		return xstrdup(value);
	return xasprintf("%s%s", c->dir, value);
}

static int
set_path(struct conf_ctx *c, const config_setting_t *st, char **field)
{
	const char *v = get_string(c, st);
	char *path;

	if (v == NULL)
		return -1;
	path = resolve(c, v);
	settings_set_string(field, path);
	free(path);
	return 0;
}

static int
set_string(struct conf_ctx *c, const config_setting_t *st, char **field)
{
	const char *v = get_string(c, st);

	if (v == NULL)
		return -1;
	settings_set_string(field, v);
	return 0;
}

static int
set_int(struct conf_ctx *c, const config_setting_t *st,
    const struct conf_key *k, int64_t *field)
{
	long long v;

	if (config_setting_type(st) != CONFIG_TYPE_INT &&
	    config_setting_type(st) != CONFIG_TYPE_INT64)
		return conf_fail(c, st, "expected an integer, got %s",
		    type_name(st));
	v = config_setting_get_int64(st);
	if (!in_range(k->range, (double)v))
		return conf_fail(c, st, "must be %s, got %lld",
		    ranges[k->range].text, v);
	*field = v;
	return 0;
}

static int
set_float(struct conf_ctx *c, const config_setting_t *st,
    const struct conf_key *k, double *field)
{
	double v;

	if (get_number(c, st, "a number", &v) < 0)
		return -1;
	if (!in_range(k->range, v))
		return conf_fail(c, st, "must be %s, got %g",
		    ranges[k->range].text, v);
	*field = v;
	return 0;
}

static int
set_bool(struct conf_ctx *c, const config_setting_t *st, int *field)
{
	if (expect_type(c, st, CONFIG_TYPE_BOOL, "a boolean") < 0)
		return -1;
	*field = config_setting_get_bool(st) ? 1 : 0;
	return 0;
}

static int load_group(struct conf_ctx *, const config_setting_t *,
    const struct conf_key *);

static int
apply_key(struct conf_ctx *c, const config_setting_t *st,
    const struct conf_key *k)
{
	char *field = (char *)c->s + k->off;

	switch (k->kind) {
	case CONF_GROUP:
		if (expect_type(c, st, CONFIG_TYPE_GROUP, "a group") < 0)
			return -1;
		return load_group(c, st, k->sub);
	case CONF_PATH: return set_path(c, st, (char **)(void *)field);
	case CONF_STRING: return set_string(c, st, (char **)(void *)field);
	case CONF_INT: return set_int(c, st, k, (int64_t *)(void *)field);
	case CONF_FLOAT: return set_float(c, st, k, (double *)(void *)field);
	case CONF_BOOL: return set_bool(c, st, (int *)(void *)field);
	case CONF_CUSTOM: return k->set(c, st);
	}
	return -1;
}

/* "a, b, c": the names of a key table, for messages; caller frees. */
static char *
key_names(const struct conf_key *keys)
{
	char *list = xstrdup(""), *next;
	const struct conf_key *k;

	for (k = keys; k->name != NULL; k++) {
		next = xasprintf("%s%s%s", list, k == keys ? "" : ", ",
		    k->name);
		free(list);
		list = next;
	}
	return list;
}

static int
unknown_key(struct conf_ctx *c, const config_setting_t *st,
    const struct conf_key *keys)
{
	char *names = key_names(keys);
	int top = config_setting_parent(config_setting_parent(st)) == NULL;

	conf_fail(c, st, "unknown %s (expected one of: %s)",
	    top ? "section" : "key", names);
	free(names);
	return -1;
}

static int
load_group(struct conf_ctx *c, const config_setting_t *group,
    const struct conf_key *keys)
{
	const config_setting_t *st;
	const struct conf_key *k;
	int i;

	for (i = 0; (st = config_setting_get_elem(group, i)) != NULL; i++) {
		for (k = keys; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(st)) == 0)
				break;
		if (k->name == NULL)
			return unknown_key(c, st, keys);
		if (apply_key(c, st, k) < 0)
			return -1;
	}
	return 0;
}

/* A plugin path is resolved against the file's directory only when the
 * plugin is there: otherwise it stays as written, so that plugin_load()
 * still finds an installed "strategies/NAME.so". */
static int
set_plugin(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v = get_string(c, st);
	char *path;

	if (v == NULL)
		return -1;
	path = resolve(c, v);
	settings_set_string(&c->s->plugin, access(path, F_OK) == 0 ? path : v);
	free(path);
	return 0;
}

/* "NAME=VALUE" for one parameter, or NULL when it is no number or bool. */
static char *
param_text(const config_setting_t *st)
{
	const char *name = config_setting_name(st);

	switch (config_setting_type(st)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return xasprintf("%s=%lld", name, config_setting_get_int64(st));
	case CONFIG_TYPE_FLOAT:
		if (!isfinite(config_setting_get_float(st)))
			return NULL;
		return xasprintf("%s=%.17g", name, config_setting_get_float(st));
	case CONFIG_TYPE_BOOL:
		return xasprintf("%s=%d", name,
		    config_setting_get_bool(st) ? 1 : 0);
	}
	return NULL;
}

/* The plugin checks the names and values when it is loaded. */
static int
set_params(struct conf_ctx *c, const config_setting_t *st)
{
	const config_setting_t *e;
	char *text;
	int i;

	if (expect_type(c, st, CONFIG_TYPE_GROUP, "a group") < 0)
		return -1;
	for (i = 0; (e = config_setting_get_elem(st, i)) != NULL; i++) {
		if ((text = param_text(e)) == NULL)
			return conf_fail(c, e, "expected a finite number or a "
			    "boolean, got %s", type_name(e));
		settings_add_param(c->s, text);
		free(text);
	}
	return 0;
}

/* Checks element i of the symbols list against the name rules and the
 * elements before it.  Returns its name, or NULL with *cause. */
static const char *
symbol_at(struct conf_ctx *c, const config_setting_t *list, int i)
{
	const config_setting_t *e = config_setting_get_elem(list, i);
	const char *name;
	int j;

	if (expect_type(c, e, CONFIG_TYPE_STRING, "a string") < 0)
		return NULL;
	name = config_setting_get_string(e);
	if (!settings_symbol_ok(name)) {
		conf_fail(c, e, "bad symbol name '%s' (it may not be empty "
		    "or hold '/', ',', '=' or white space)", name);
		return NULL;
	}
	for (j = 0; j < i; j++)
		if (strcmp(config_setting_get_string_elem(list, j), name) == 0) {
			conf_fail(c, e, "'%s' is listed twice", name);
			return NULL;
		}
	return name;
}

static int
set_symbols(struct conf_ctx *c, const config_setting_t *st)
{
	char *why = NULL;
	int i, n = config_setting_length(st);

	if (!config_setting_is_array(st) && !config_setting_is_list(st))
		return conf_fail(c, st, "expected an array of strings, got %s",
		    type_name(st));
	if (n == 0)
		return conf_fail(c, st, "must name at least one symbol");
	for (i = 0; i < n; i++)
		if (symbol_at(c, st, i) == NULL)
			return -1;
	/* Replace the earlier list with the first name, then add the rest. */
	if (settings_set_symbols(c->s, config_setting_get_string_elem(st, 0),
	    &why) < 0) {
		conf_fail(c, st, "%s", why);
		free(why);
		return -1;
	}
	for (i = 1; i < n; i++)
		settings_add_symbol(c->s, config_setting_get_string_elem(st, i));
	return 0;
}

/* Replaces every SYMBOL=FILE pair with those of the group. */
static int
set_files(struct conf_ctx *c, const config_setting_t *st)
{
	const config_setting_t *e;
	const char *v;
	char *path;
	int i;

	if (expect_type(c, st, CONFIG_TYPE_GROUP, "a group") < 0)
		return -1;
	if (config_setting_length(st) == 0)
		return conf_fail(c, st, "must name at least one symbol");
	settings_clear_files(c->s);
	for (i = 0; (e = config_setting_get_elem(st, i)) != NULL; i++) {
		if ((v = get_string(c, e)) == NULL)
			return -1;
		path = resolve(c, v);
		settings_add_file(c->s, config_setting_name(e), path);
		free(path);
	}
	return 0;
}

/* RATE, or [FIXED, RATE] as an array or a list, checked as
 * broker_config_check() does. */
static int
set_commission(struct conf_ctx *c, const config_setting_t *st)
{
	struct broker_config *b = &c->s->engine.broker;
	double fixed = 0, rate;
	const char *what = "a number";

	if (config_setting_is_array(st) || config_setting_is_list(st)) {
		if (config_setting_length(st) != 2)
			return conf_fail(c, st, "expected [FIXED, RATE], got %d "
			    "elements", config_setting_length(st));
		if (get_number(c, config_setting_get_elem(st, 0), what,
		    &fixed) < 0 || get_number(c, config_setting_get_elem(st,
		    1), what, &rate) < 0)
			return -1;
	} else if (get_number(c, st, "a number or [FIXED, RATE]", &rate) < 0)
		return -1;
	if (!in_range(RANGE_NONNEG, fixed))
		return conf_fail(c, st, "the fixed part must be >= 0, got %g",
		    fixed);
	if (!(rate >= -0.1 && rate < 0.1))
		return conf_fail(c, st, "the rate must be in [-0.1, 0.1), "
		    "got %g", rate);
	b->commission_fixed = fixed;
	b->commission_rate = rate;
	return 0;
}

static int
two_digits(const char **p, int max)
{
	const char *s = *p;
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	if (v > max)
		return -1;
	*p += 2;
	return v;
}

/* Parses "HH:MM" or "HH:MM:SS" at *p and moves past it.  Returns the
 * seconds after midnight, or -1. */
static int32_t
parse_clock(const char **p)
{
	int h, m, s = 0;

	if ((h = two_digits(p, 23)) < 0 || **p != ':')
		return -1;
	(*p)++;
	if ((m = two_digits(p, 59)) < 0)
		return -1;
	if (**p == ':') {
		(*p)++;
		if ((s = two_digits(p, 59)) < 0)
			return -1;
	}
	return h * 3600 + m * 60 + s;
}

static int
set_trading_hours(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v = get_string(c, st), *p = v;
	int32_t start, end;

	if (v == NULL)
		return -1;
	if ((start = parse_clock(&p)) < 0 || *p++ != '-' ||
	    (end = parse_clock(&p)) < 0 || *p != '\0')
		return conf_fail(c, st, "expected \"HH:MM[:SS]-HH:MM[:SS]\" "
		    "within 00:00-23:59:59, got '%s'", v);
	if (start >= end)
		return conf_fail(c, st, "the start must be before the end, "
		    "got '%s'", v);
	c->s->risk.trading_start = start;
	c->s->risk.trading_end = end;
	return 0;
}

static int
set_flatten_at(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v = get_string(c, st), *p = v;
	int32_t t;

	if (v == NULL)
		return -1;
	if ((t = parse_clock(&p)) < 0 || *p != '\0')
		return conf_fail(c, st, "expected \"HH:MM[:SS]\" within "
		    "00:00-23:59:59, got '%s'", v);
	c->s->risk.flatten_at = t;
	return 0;
}

static int
set_level(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v = get_string(c, st);
	size_t k;

	if (v == NULL)
		return -1;
	for (k = 0; k < sizeof levels / sizeof levels[0]; k++)
		if (strcmp(levels[k], v) == 0) {
			c->s->log_level = (enum log_level)k;
			return 0;
		}
	return conf_fail(c, st, "expected one of error, warn, info, debug, "
	    "got '%s'", v);
}

/* A statistic's name, as the table prints it ("Sharpe Ratio"). */
static int
set_select(struct conf_ctx *c, const config_setting_t *st)
{
	const char *v = get_string(c, st);

	if (v == NULL)
		return -1;
	settings_set_string(&c->s->train_select, v);
	return 0;
}

/* A connector: an installed name ("binance") as written, a path resolved
 * like the others. */
static int
set_connector(struct conf_ctx *c, const config_setting_t *st, char **dst)
{
	const char *v = get_string(c, st);

	if (v == NULL)
		return -1;
	if (strchr(v, '/') != NULL)
		return set_path(c, st, dst);
	settings_set_string(dst, v);
	return 0;
}

static int
set_feed(struct conf_ctx *c, const config_setting_t *st)
{
	return set_connector(c, st, &c->s->live.feed);
}

static int
set_broker(struct conf_ctx *c, const config_setting_t *st)
{
	return set_connector(c, st, &c->s->live.broker);
}

/* settings = { token = "..."; }: a connector's own settings. */
static int
set_assignments(struct conf_ctx *c, const config_setting_t *st,
    void (*add)(struct settings *, const char *))
{
	int k, n;
	const config_setting_t *e;
	char *kv;

	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return conf_fail(c, st, "expected a group of name = \"value\"");
	n = config_setting_length(st);
	for (k = 0; k < n; k++) {
		e = config_setting_get_elem(st, (unsigned)k);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return conf_fail(c, e, "expected a string");
		kv = xasprintf("%s=%s", config_setting_name(e),
		    config_setting_get_string(e));
		add(c->s, kv);
		free(kv);
	}
	return 0;
}

static int
set_conn(struct conf_ctx *c, const config_setting_t *st)
{
	return set_assignments(c, st, settings_add_conn);
}

static int
set_broker_conn(struct conf_ctx *c, const config_setting_t *st)
{
	return set_assignments(c, st, settings_add_broker_conn);
}

/* Opens path as a regular file, so that a missing or unreadable file is
 * reported with its errno rather than libconfig's "file I/O error". */
static FILE *
open_file(const char *path, char **cause)
{
	struct stat sb;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("%s: %s", path, strerror(EISDIR));
		fclose(f);
		return NULL;
	}
	return f;
}

static char *
read_error(const config_t *cf, const char *path)
{
	const char *file = config_error_file(cf);

	if (file == NULL)
		file = path;
	if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
		return xasprintf("%s: %s", file, config_error_text(cf));
	return xasprintf("%s:%d: syntax error: %s", file, config_error_line(cf),
	    config_error_text(cf));
}

int
conf_load(const char *path, struct settings *s, char **cause)
{
	struct conf_ctx c = { path, NULL, s, cause };
	const char *slash = strrchr(path, '/');
	config_t cf;
	FILE *f;
	int rc = -1;

	if ((f = open_file(path, cause)) == NULL)
		return -1;
	config_init(&cf);
	/* @include and relative paths are relative to the file, not to the
	 * working directory of a service started from elsewhere. */
	if (slash != NULL) {
		c.dir = xstrndup(path, (size_t)(slash - path) + 1);
		config_set_include_dir(&cf, c.dir);
	}
	if (config_read(&cf, f) != CONFIG_TRUE)
		*cause = read_error(&cf, path);
	else if (load_group(&c, config_root_setting(&cf), sections) == 0) {
		settings_set_string(&s->config_path, path);
		rc = 0;
	}
	config_destroy(&cf);
	fclose(f);
	free(c.dir);
	return rc;
}
