#include "settings.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
settings_init(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->engine.broker.cash = 10000;
	s->engine.broker.margin = 1;
	s->risk.risk_per_trade = 0.01;
	s->risk.atr_multiple = 2;
	s->risk.trading_start = -1;
	s->risk.trading_end = -1;
	s->risk.flatten_at = -1;
	s->risk.refuse_on_stale = 1;
	s->log_level = LOG_WARN;
	s->log_stderr = 1;
	s->state_fsync = 1;
	s->train_validation = 0.2;
	s->live.history = 100;
	s->live.grace = 2;
	s->live.stagger = 0.2;
	s->live.summary = 60;
	s->live.limit_timeout = 30;
	s->live.order_poll = 5;
}

static void
free_strings(char **v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

void
settings_clear_params(struct settings *s)
{
	free_strings(s->params, s->nparams);
	s->params = NULL;
	s->nparams = 0;
}

void
settings_clear_files(struct settings *s)
{
	size_t k;

	for (k = 0; k < s->nfiles; k++) {
		free(s->files[k].symbol);
		free(s->files[k].path);
	}
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
}

static void
clear_symbols(struct settings *s)
{
	free_strings(s->symbols, s->nsymbols);
	s->symbols = NULL;
	s->nsymbols = 0;
}

void
settings_free(struct settings *s)
{
	size_t k;

	free(s->config_path);
	free(s->plugin);
	settings_clear_params(s);
	clear_symbols(s);
	free(s->data_path);
	settings_clear_files(s);
	free(s->log_file);
	free(s->audit_path);
	free(s->state_path);
	free(s->live.market_hours);
	free(s->live.market_days);
	free(s->live.market_tz);
	free(s->trades_path);
	free(s->equity_path);
	free(s->train_select);
	free(s->model_path);
	for (k = 0; k < s->live.nconn; k++)
		free(s->live.conn[k]);
	free(s->live.conn);
	free(s->live.feed);
	free(s->live.rest_url);
	free(s->live.stream_url);
	free(s->live.granularity);
	free(s->live.clock);
	free(s->live.journal);
	free(s->live.replay);
	for (k = 0; k < s->live.nbroker_conn; k++)
		free(s->live.broker_conn[k]);
	free(s->live.broker_conn);
	free(s->live.broker);
	free(s->live.broker_rest_url);
	free(s->live.broker_stream_url);
	free(s->reload_at);
	memset(s, 0, sizeof *s);
}

void
settings_set_string(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

void
settings_add_param(struct settings *s, const char *assignment)
{
	s->params = xreallocarray(s->params, s->nparams + 1,
	    sizeof *s->params);
	s->params[s->nparams++] = xstrdup(assignment);
}

void
settings_add_symbol(struct settings *s, const char *symbol)
{
	s->symbols = xreallocarray(s->symbols, s->nsymbols + 1,
	    sizeof *s->symbols);
	s->symbols[s->nsymbols++] = xstrdup(symbol);
}

void
settings_add_file(struct settings *s, const char *symbol, const char *path)
{
	s->files = xreallocarray(s->files, s->nfiles + 1, sizeof *s->files);
	s->files[s->nfiles].symbol = xstrdup(symbol);
	s->files[s->nfiles].path = xstrdup(path);
	s->nfiles++;
}

static int
by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int
settings_set_reload_at(struct settings *s, const char *list, char **cause)
{
	const char *p = list;
	char *end;
	unsigned long long v;
	size_t n = 0, k, j;

	free(s->reload_at);
	s->reload_at = NULL;
	s->nreload_at = 0;
	for (;;) {
		errno = 0;
		v = strtoull(p, &end, 10);
		if (end == p || *p == '-' || errno == ERANGE ||
		    (*end != ',' && *end != '\0')) {
			*cause = xasprintf("--reload-at: not a list of bar "
			    "numbers: '%s'", list);
			return -1;
		}
		s->reload_at = xreallocarray(s->reload_at, n + 1,
		    sizeof *s->reload_at);
		s->reload_at[n++] = (size_t)v;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	qsort(s->reload_at, n, sizeof *s->reload_at, by_size);
	for (k = j = 0; k < n; k++)
		if (j == 0 || s->reload_at[j - 1] != s->reload_at[k])
			s->reload_at[j++] = s->reload_at[k];
	s->nreload_at = j;
	return 0;
}

int
settings_symbol_ok(const char *name)
{
	const char *p;

	if (*name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || *p == ',' || *p == '=' || (unsigned char)*p <= ' ')
			return 0;
	return 1;
}

int
settings_set_symbols(struct settings *s, const char *list, char **cause)
{
	char *copy = xstrdup(list), *tok, *next;
	size_t k;
	int rc = 0;

	clear_symbols(s);
	/* strtok would skip the empty names of "A,,B": split by hand. */
	for (tok = copy; tok != NULL && rc == 0; tok = next) {
		next = strchr(tok, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*tok == '\0') {
			*cause = xasprintf("symbols: empty name in '%s'", list);
			rc = -1;
		} else if (!settings_symbol_ok(tok)) {
			*cause = xasprintf("symbols: bad name '%s'", tok);
			rc = -1;
		}
		for (k = 0; k < s->nsymbols && rc == 0; k++)
			if (strcmp(s->symbols[k], tok) == 0) {
				*cause = xasprintf("symbols: '%s' is listed "
				    "twice", tok);
				rc = -1;
			}
		if (rc == 0)
			settings_add_symbol(s, tok);
	}
	free(copy);
	return rc;
}

static int
check_fraction(const char *key, double v, char **cause)
{
	if (!(v >= 0 && v <= 1)) {
		*cause = xasprintf("risk.%s: must be in [0, 1], got %g", key, v);
		return -1;
	}
	return 0;
}

static int
check_nonneg(const char *key, double v, char **cause)
{
	if (!(v >= 0) || isinf(v)) {
		*cause = xasprintf("risk.%s: must be a number >= 0, got %g",
		    key, v);
		return -1;
	}
	return 0;
}

static int
check_clock(const char *key, int32_t v, char **cause)
{
	if (v < -1 || v >= 86400) {
		*cause = xasprintf("risk.%s: must be a time of day", key);
		return -1;
	}
	return 0;
}

static int
check_risk(const struct risk_config *r, char **cause)
{
	if (check_nonneg("max_open_positions", (double)r->max_open_positions,
	    cause) < 0 ||
	    check_fraction("max_position_fraction", r->max_position_fraction,
	    cause) < 0 ||
	    check_fraction("risk_per_trade", r->risk_per_trade, cause) < 0 ||
	    check_nonneg("atr_multiple", r->atr_multiple, cause) < 0 ||
	    check_nonneg("min_cash_reserve", r->min_cash_reserve, cause) < 0 ||
	    check_nonneg("max_trades_per_day", (double)r->max_trades_per_day,
	    cause) < 0 ||
	    check_nonneg("max_orders_per_second", r->max_orders_per_second,
	    cause) < 0 ||
	    check_nonneg("order_burst", (double)r->order_burst, cause) < 0 ||
	    check_fraction("daily_loss_limit", r->daily_loss_limit, cause) < 0 ||
	    check_fraction("max_drawdown", r->max_drawdown, cause) < 0 ||
	    check_nonneg("max_orders_per_strategy_day",
	    (double)r->max_orders_per_strategy_day, cause) < 0 ||
	    check_clock("trading_start", r->trading_start, cause) < 0 ||
	    check_clock("trading_end", r->trading_end, cause) < 0 ||
	    check_clock("flatten_at", r->flatten_at, cause) < 0)
		return -1;
	if ((r->trading_start < 0) != (r->trading_end < 0)) {
		*cause = xstrdup("risk.trading_hours: needs both a start and "
		    "an end");
		return -1;
	}
	if (r->atr_multiple == 0) {
		*cause = xstrdup("risk.atr_multiple: must be > 0");
		return -1;
	}
	return 0;
}

static int
check_data(const struct settings *s, char **cause)
{
	size_t k, j;

	if (s->nfiles > 0 && s->data_path != NULL) {
		*cause = xstrdup("data: give either a path or SYMBOL=FILE "
		    "pairs, not both");
		return -1;
	}
	for (k = 0; k < s->nfiles; k++)
		for (j = 0; j < k; j++)
			if (strcmp(s->files[k].symbol, s->files[j].symbol) == 0) {
				*cause = xasprintf("data: symbol '%s' has two "
				    "files", s->files[k].symbol);
				return -1;
			}
	return 0;
}

static int
check_train(const struct settings *s, char **cause)
{
	if (!(s->train_validation > 0 && s->train_validation < 1)) {
		*cause = xasprintf("train.validation: must be in (0, 1), got "
		    "%g", s->train_validation);
		return -1;
	}
	if (s->train_episodes < 0 || s->train_episodes > 1000000) {
		*cause = xasprintf("train.episodes: must be in [0, 1000000] "
		    "(0 = no training), got %lld",
		    (long long)s->train_episodes);
		return -1;
	}
	if (s->train_episodes > 0 && s->model_path == NULL) {
		*cause = xstrdup("training (--episodes) needs --model FILE to "
		    "write the model to");
		return -1;
	}
	if (s->train_episodes > 0 && (s->nsymbols > 1 || s->nfiles > 1)) {
		*cause = xstrdup("training (--episodes) runs on one symbol");
		return -1;
	}
	return 0;
}

int
settings_check(const struct settings *s, char **cause)
{
	if (broker_config_check(&s->engine.broker, cause) < 0 ||
	    check_train(s, cause) < 0)
		return -1;
	if (check_risk(&s->risk, cause) < 0)
		return -1;
	return check_data(s, cause);
}

static void
add_string(char ***v, size_t *n, const char *text)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(text);
}

void
settings_add_conn(struct settings *s, const char *assignment)
{
	add_string(&s->live.conn, &s->live.nconn, assignment);
}

void
settings_add_broker_conn(struct settings *s, const char *assignment)
{
	add_string(&s->live.broker_conn, &s->live.nbroker_conn, assignment);
}
