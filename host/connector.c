#include "connector.h"

#include <ctype.h>
#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#ifndef TH_PKGLIBDIR
#define TH_PKGLIBDIR "/usr/local/lib/tradehost"
#endif

#define CONN_MIN_SIZE (offsetof(struct th_connector, on_message) + \
	sizeof(((struct th_connector *)0)->on_message))

const char connector_granularities[] = "1s 1m 5m 15m 30m 1h 4h 1d";

static struct connector *
conn(th_conn *cx)
{
	return (struct connector *)cx;
}

static void
api_log(th_conn *cx, enum th_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_msg(level <= TH_LOG_DEBUG ? (enum log_level)level : LOG_DEBUG,
	    "%s: %s", conn(cx)->name, msg);
}

static const char *
api_setting(th_conn *cx, const char *name)
{
	struct connector *c = conn(cx);
	size_t k, len = strlen(name);
	const char *prefix = c->cb->env_prefix ? c->cb->env_prefix : "";
	char *var, *p;
	const char *v;

	/* The command line's settings come after the file's: the last
	 * one of a name wins. */
	for (k = c->nsettings; k-- > 0;)
		if (strncmp(c->settings[k], name, len) == 0 &&
		    c->settings[k][len] == '=')
			return c->settings[k] + len + 1;
	var = xasprintf("%s%s", prefix, name);
	for (p = var; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	v = getenv(var);
	free(var);
	if (v == NULL)
		return NULL;
	c->env_values = xreallocarray(c->env_values, c->nenv + 1,
	    sizeof *c->env_values);
	c->env_values[c->nenv] = xstrdup(v);
	return c->env_values[c->nenv++];
}

static const char *
api_rest_url(th_conn *cx)
{
	return conn(cx)->rest_url;
}

static const char *
api_stream_url(th_conn *cx)
{
	return conn(cx)->stream_url;
}

/* The host's symbol for a provider's, or NULL when it is none of ours. */
static const char *
host_symbol(const struct connector *c, const char *provider)
{
	size_t k;

	if (provider == NULL)
		return c->nsymbols == 1 ? c->symbols[0] : NULL;
	for (k = 0; k < c->nsymbols; k++)
		if (strcasecmp(c->provider[k], provider) == 0 ||
		    strcasecmp(c->symbols[k], provider) == 0)
			return c->symbols[k];
	return NULL;
}

static int
bar_ok(const struct th_bar *b)
{
	return isfinite(b->open) && isfinite(b->high) && isfinite(b->low) &&
	    isfinite(b->close) && b->low <= b->high && b->low <= b->open &&
	    b->open <= b->high && b->low <= b->close && b->close <= b->high &&
	    !(b->volume < 0);
}

static enum th_status
api_bar(th_conn *cx, const struct th_bar *bar)
{
	struct connector *c = conn(cx);
	const char *sym;

	if (bar == NULL || bar->struct_size < sizeof *bar)
		return TH_ERR_INVALID;
	if ((sym = host_symbol(c, bar->symbol)) == NULL) {
		log_debug("%s: bar for unsubscribed symbol '%s' dropped",
		    c->name, bar->symbol ? bar->symbol : "");
		return TH_ERR_NOT_FOUND;
	}
	if (!bar_ok(bar)) {
		log_warn("%s: %s: bad bar (OHLC %g %g %g %g, volume %g) "
		    "dropped", c->name, sym, bar->open, bar->high, bar->low,
		    bar->close, bar->volume);
		return TH_ERR_INVALID;
	}
	if (c->sink->bar != NULL)
		c->sink->bar(c->sink_arg, sym, bar);
	return TH_OK;
}

static enum th_status
api_tick(th_conn *cx, const struct th_tick *t)
{
	struct connector *c = conn(cx);
	const char *sym;

	if (t == NULL || t->struct_size < sizeof *t)
		return TH_ERR_INVALID;
	if ((sym = host_symbol(c, t->symbol)) == NULL)
		return TH_ERR_NOT_FOUND;
	if (!isfinite(t->price) || t->price <= 0 || !(t->size >= 0)) {
		log_warn("%s: %s: bad trade (price %g, size %g) dropped",
		    c->name, sym, t->price, t->size);
		return TH_ERR_INVALID;
	}
	if (c->sink->tick != NULL)
		c->sink->tick(c->sink_arg, sym, t);
	return TH_OK;
}

static enum th_status
api_send(th_conn *cx, const char *text)
{
	struct connector *c = conn(cx);

	if (text == NULL || c->sink->send == NULL)
		return TH_ERR_INVALID;
	return c->sink->send(c->sink_arg, text) == 0 ? TH_OK : TH_ERR_STATE;
}

static void
api_ready(th_conn *cx)
{
	struct connector *c = conn(cx);

	if (c->sink->ready != NULL)
		c->sink->ready(c->sink_arg);
}

static enum th_status
api_http(th_conn *cx, const struct th_http *req)
{
	struct connector *c = conn(cx);

	if (req == NULL || req->struct_size < sizeof *req || req->url == NULL)
		return TH_ERR_INVALID;
	if (c->sink->http == NULL)
		return TH_ERR_UNSUPPORTED;
	return c->sink->http(c->sink_arg, req) == 0 ? TH_OK : TH_ERR_STATE;
}

static void
api_history_done(th_conn *cx, const char *symbol, int ok)
{
	struct connector *c = conn(cx);
	const char *sym = host_symbol(c, symbol);

	if (sym != NULL && c->sink->history_done != NULL)
		c->sink->history_done(c->sink_arg, sym, ok);
}

static void
api_order_update(th_conn *cx, const struct th_order_update *u)
{
	struct connector *c = conn(cx);

	if (u != NULL && u->struct_size >= sizeof *u &&
	    c->sink->order_update != NULL)
		c->sink->order_update(c->sink_arg, u);
}

static enum th_status
api_send_binary(th_conn *cx, const void *data, size_t len)
{
	struct connector *c = conn(cx);

	if (data == NULL || c->sink->send_binary == NULL)
		return TH_ERR_STATE;
	return c->sink->send_binary(c->sink_arg, data, len) == 0 ? TH_OK :
	    TH_ERR_STATE;
}

static void
api_position(th_conn *cx, const char *symbol, double qty, double avg_price)
{
	struct connector *c = conn(cx);
	const char *sym = host_symbol(c, symbol);

	if (sym == NULL) {
		log_info("%s: the account also holds %g %s, which this session "
		    "does not trade", c->name, qty, symbol ? symbol : "?");
		return;
	}
	if (isfinite(qty) && c->sink->position != NULL)
		c->sink->position(c->sink_arg, sym, qty, avg_price);
}

static void
api_positions_done(th_conn *cx, int ok)
{
	struct connector *c = conn(cx);

	if (c->sink->positions_done != NULL)
		c->sink->positions_done(c->sink_arg, ok);
}

static void
api_fail(th_conn *cx, const char *reason)
{
	struct connector *c = conn(cx);

	log_error("%s: %s", c->name, reason ? reason : "failed");
	if (c->sink->fail != NULL)
		c->sink->fail(c->sink_arg, reason ? reason : "failed");
}

static const struct th_conn_api conn_api = {
	.struct_size = sizeof(struct th_conn_api),
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.log = api_log,
	.setting = api_setting,
	.rest_url = api_rest_url,
	.stream_url = api_stream_url,
	.bar = api_bar,
	.tick = api_tick,
	.send = api_send,
	.ready = api_ready,
	.http = api_http,
	.history_done = api_history_done,
	.order_update = api_order_update,
	.fail = api_fail,
	.position = api_position,
	.positions_done = api_positions_done,
	.send_binary = api_send_binary,
};

/*
 * Loading.
 */

static int
validate(const struct th_plugin *d, enum th_plugin_kind kind,
    const char *path, char **cause)
{
	const char *want = kind == TH_PLUGIN_FEED ? "a feed" : "a broker";

	if (d->abi_major != TH_ABI_MAJOR) {
		*cause = xasprintf("%s: connector ABI %u.%u is not compatible "
		    "with this host's ABI %d.%d", path, d->abi_major,
		    d->abi_minor, TH_ABI_MAJOR, TH_ABI_MINOR);
		return -1;
	}
	if (!TH_PLUGIN_HAS(d, connector) || d->connector == NULL) {
		*cause = xasprintf("%s: not a connector (no ABI 1.3 connector "
		    "table)", path);
		return -1;
	}
	if (d->kind != kind) {
		*cause = xasprintf("%s: not %s connector", path, want);
		return -1;
	}
	if (d->name == NULL || *d->name == '\0' ||
	    d->connector->struct_size < CONN_MIN_SIZE) {
		*cause = xasprintf("%s: connector has no name or a short "
		    "callback table", path);
		return -1;
	}
	return 0;
}

/* "binance" means plugins/binance.so in the build tree when run from
 * there, else the installed one. */
static char *
resolve(const char *path)
{
	char *local;

	if (strchr(path, '/') != NULL || strstr(path, ".so") != NULL)
		return xstrdup(path);
	local = xasprintf("plugins/%s.so", path);
	if (access(local, F_OK) == 0)
		return local;
	free(local);
	return xasprintf("%s/plugins/%s.so", TH_PKGLIBDIR, path);
}

int
connector_load(const char *path, enum th_plugin_kind kind,
    struct connector *out, char **cause)
{
	char *file = resolve(path);
	const struct th_plugin *d;
	void *h;

	memset(out, 0, sizeof *out);
	if ((h = dlopen(file, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		*cause = xasprintf("%s: cannot load connector: %s", file,
		    dlerror());
		free(file);
		return -1;
	}
	if ((d = dlsym(h, "th_plugin_entry")) == NULL ||
	    validate(d, kind, file, cause) < 0) {
		if (d == NULL)
			*cause = xasprintf("%s: no th_plugin_entry symbol",
			    file);
		dlclose(h);
		free(file);
		return -1;
	}
	out->pub.api = &conn_api;
	out->handle = h;
	out->path = file;
	out->desc = d;
	/* The host's copy: members past the connector's struct_size (an
	 * older minor version) read as NULL. */
	memcpy(&out->table, d->connector, d->connector->struct_size <
	    sizeof out->table ? d->connector->struct_size :
	    sizeof out->table);
	out->cb = &out->table;
	out->name = xstrdup(d->name);
	pthread_mutex_init(&out->lock, NULL);
	return 0;
}

void
connector_configure(struct connector *c, char *const *settings, size_t n,
    const char *rest_url, const char *stream_url)
{
	size_t k;

	c->settings = xcalloc(n ? n : 1, sizeof *c->settings);
	for (k = 0; k < n; k++)
		c->settings[k] = xstrdup(settings[k]);
	c->nsettings = n;
	if (rest_url == NULL)
		rest_url = c->cb->rest_url ? c->cb->rest_url : "";
	if (stream_url == NULL)
		stream_url = c->cb->stream_url ? c->cb->stream_url : "";
	c->rest_url = xstrndup(rest_url, strlen(rest_url) -
	    (*rest_url && rest_url[strlen(rest_url) - 1] == '/'));
	c->stream_url = xstrndup(stream_url, strlen(stream_url) -
	    (*stream_url && stream_url[strlen(stream_url) - 1] == '/'));
}

static int
map_symbols(struct connector *c, const char *const *symbols, size_t n,
    char **cause)
{
	char buf[128];
	size_t k;

	c->symbols = xcalloc(n ? n : 1, sizeof *c->symbols);
	c->provider = xcalloc(n ? n : 1, sizeof *c->provider);
	for (k = 0; k < n; k++) {
		c->symbols[k] = xstrdup(symbols[k]);
		c->nsymbols = k + 1;
		snprintf(buf, sizeof buf, "%s", symbols[k]);
		if (c->cb->map_symbol != NULL &&
		    c->cb->map_symbol(&c->pub, c->state, symbols[k], buf,
		    sizeof buf) != TH_OK) {
			*cause = xasprintf("%s: the provider has no form of "
			    "symbol '%s'", c->name, symbols[k]);
			c->provider[k] = xstrdup(symbols[k]);
			return -1;
		}
		c->provider[k] = xstrdup(buf);
	}
	return 0;
}

int
connector_open(struct connector *c, const char *const *symbols, size_t n,
    const struct connector_sink *sink, void *arg, char **cause)
{
	static const struct connector_sink none;

	c->sink = sink != NULL ? sink : &none;
	c->sink_arg = arg;
	if (c->rest_url == NULL)
		connector_configure(c, NULL, 0, NULL, NULL);
	if (c->cb->open != NULL && c->cb->open(&c->pub, &c->state) != TH_OK) {
		*cause = xasprintf("%s: open() failed (see the log above: a "
		    "missing API key?)", c->name);
		return -1;
	}
	c->opened = 1;
	return map_symbols(c, symbols, n, cause);
}

const char *
connector_provider_symbol(const struct connector *c, size_t k)
{
	return c->provider[k];
}

void
connector_unload(struct connector *c)
{
	size_t k;

	if (c->handle == NULL)
		return;
	if (c->opened && c->cb->close != NULL)
		c->cb->close(&c->pub, c->state);
	for (k = 0; k < c->nsettings; k++)
		free(c->settings[k]);
	for (k = 0; k < c->nenv; k++)
		free(c->env_values[k]);
	for (k = 0; k < c->nsymbols; k++) {
		free(c->symbols[k]);
		free(c->provider[k]);
	}
	free(c->settings);
	free(c->env_values);
	free(c->symbols);
	free(c->provider);
	free(c->rest_url);
	free(c->stream_url);
	free(c->name);
	free(c->path);
	pthread_mutex_destroy(&c->lock);
	if (getenv("TH_KEEP_PLUGINS") == NULL)
		dlclose(c->handle);
	memset(c, 0, sizeof *c);
}

/*
 * Granularities.
 */

int64_t
connector_granularity_ns(const char *g)
{
	static const struct {
		const char *name;
		int64_t secs;
	} table[] = {
		{ "1s", 1 }, { "1m", 60 }, { "5m", 300 }, { "15m", 900 },
		{ "30m", 1800 }, { "1h", 3600 }, { "4h", 14400 },
		{ "1d", 86400 },
	};
	size_t k;

	for (k = 0; k < sizeof table / sizeof table[0]; k++)
		if (strcmp(g, table[k].name) == 0)
			return table[k].secs * INT64_C(1000000000);
	return 0;
}

int
connector_has_granularity(const struct connector *c, const char *g)
{
	const char *list = c->cb->granularities ? c->cb->granularities : "";
	size_t len = strlen(g);
	const char *p;

	for (p = list; (p = strstr(p, g)) != NULL; p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

/*
 * Calls into the connector, one at a time.
 */

#define LOCKED(c, member, ...) do {					\
	enum th_status st_ = TH_ERR_UNSUPPORTED;			\
	pthread_mutex_lock(&(c)->lock);					\
	if ((c)->cb->member != NULL)					\
		st_ = (c)->cb->member(&(c)->pub, (c)->state, __VA_ARGS__); \
	pthread_mutex_unlock(&(c)->lock);				\
	return st_;							\
} while (0)

/* The same for callbacks that take nothing but the state. */
#define LOCKED0(c, member) do {						\
	enum th_status st_ = TH_ERR_UNSUPPORTED;			\
	pthread_mutex_lock(&(c)->lock);					\
	if ((c)->cb->member != NULL)					\
		st_ = (c)->cb->member(&(c)->pub, (c)->state);		\
	pthread_mutex_unlock(&(c)->lock);				\
	return st_;							\
} while (0)

enum th_status
connector_history(struct connector *c, const char *provider,
    const char *granularity, int64_t start, int64_t end)
{
	LOCKED(c, history, provider, granularity, start, end);
}

enum th_status
connector_on_http(struct connector *c, int purpose, const char *key,
    long status, const char *body, size_t len)
{
	LOCKED(c, on_http, purpose, key, status, body, len);
}

enum th_status
connector_stream_path(struct connector *c, const char *granularity,
    char *out, size_t size)
{
	LOCKED(c, stream_path, (const char *const *)c->provider, c->nsymbols,
	    granularity, out, size);
}

enum th_status
connector_on_open(struct connector *c)
{
	LOCKED0(c, on_open);
}

enum th_status
connector_subscribe(struct connector *c, const char *provider,
    const char *granularity)
{
	LOCKED(c, subscribe, provider, granularity);
}

enum th_status
connector_on_message(struct connector *c, const char *data, size_t len)
{
	LOCKED(c, on_message, data, len);
}

enum th_status
connector_submit(struct connector *c, const struct th_broker_order *o)
{
	LOCKED(c, submit, o);
}

enum th_status
connector_cancel(struct connector *c, const char *client_id,
    const char *broker_id)
{
	LOCKED(c, cancel, client_id, broker_id);
}

enum th_status
connector_poll(struct connector *c)
{
	LOCKED0(c, poll);
}

enum th_status
connector_positions(struct connector *c)
{
	LOCKED0(c, positions);
}

char **
connector_headers(struct connector *c)
{
	char buf[4096], *line, *save = NULL, **out = NULL;
	size_t n = 0;
	enum th_status st;

	if (c->cb->headers == NULL)
		return NULL;
	buf[0] = '\0';
	pthread_mutex_lock(&c->lock);
	st = c->cb->headers(&c->pub, c->state, buf, sizeof buf);
	pthread_mutex_unlock(&c->lock);
	if (st != TH_OK)
		return NULL;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		out = xreallocarray(out, n + 2, sizeof *out);
		out[n++] = xstrdup(line);
		out[n] = NULL;
	}
	return out;
}

void
connector_free_headers(char **headers)
{
	size_t k;

	for (k = 0; headers != NULL && headers[k] != NULL; k++)
		free(headers[k]);
	free(headers);
}
