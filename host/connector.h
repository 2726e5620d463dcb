/* Connector plugins (market-data feeds and brokers): loading and
 * validation, the th_conn_api the host hands them, their settings and the
 * mapping between the host's symbols and the provider's.  Connector
 * callbacks may be called from the WebSocket and the HTTP threads; a
 * connector's own lock makes sure they never run at the same time. */
#ifndef TH_CONNECTOR_H
#define TH_CONNECTOR_H

#include <pthread.h>
#include <stddef.h>

#include "tradehost.h"

/* Where what a connector reports goes; called with the connector's lock
 * held, on the thread that called into the connector.  symbol is the
 * host's symbol. */
struct connector_sink {
	void (*bar)(void *arg, const char *symbol, const struct th_bar *bar);
	void (*tick)(void *arg, const char *symbol,
	    const struct th_tick *tick);
	int (*send)(void *arg, const char *text);
	int (*send_binary)(void *arg, const void *data, size_t len);
	void (*ready)(void *arg);
	int (*http)(void *arg, const struct th_http *req);
	void (*history_done)(void *arg, const char *symbol, int ok);
	void (*order_update)(void *arg, const struct th_order_update *u);
	void (*fail)(void *arg, const char *reason);
	void (*position)(void *arg, const char *symbol, double qty,
	    double avg_price);
	void (*positions_done)(void *arg, int ok);
};

struct connector {
	struct th_conn pub;		/* first: a th_conn * is a connector * */
	void *handle;
	char *path;
	const struct th_plugin *desc;
	const struct th_connector *cb;	/* &table */
	struct th_connector table;	/* the plugin's, zero past its size */
	char *name;
	void *state;
	int opened;
	char *rest_url;
	char *stream_url;
	char **settings;		/* "name=value", from the configuration */
	size_t nsettings;
	char **env_values;		/* what setting() read from the
					 * environment, kept until close */
	size_t nenv;
	char **symbols;			/* the host's symbols */
	char **provider;		/* their provider forms */
	size_t nsymbols;
	pthread_mutex_t lock;
	const struct connector_sink *sink;
	void *sink_arg;
};

/* Loads a connector of the given kind from path, or by name ("binance")
 * from the installed connector directory.  Returns 0, or -1 with *cause
 * naming the path and the reason. */
int connector_load(const char *path, enum th_plugin_kind kind,
    struct connector *out, char **cause)
	__attribute__((warn_unused_result));
/* Settings ("name=value", copied) and URL overrides (NULL = the
 * connector's defaults); call before connector_open. */
void connector_configure(struct connector *c, char *const *settings,
    size_t n, const char *rest_url, const char *stream_url);
/* Opens the connector and maps the host's symbols to the provider's.
 * Returns 0, or -1 with *cause. */
int connector_open(struct connector *c, const char *const *symbols,
    size_t n, const struct connector_sink *sink, void *arg, char **cause)
	__attribute__((warn_unused_result));
/* The provider's form of the host's k-th symbol. */
const char *connector_provider_symbol(const struct connector *c, size_t k);
/* Closes (if open) and unloads; dlclose is skipped under
 * TH_KEEP_PLUGINS. */
void connector_unload(struct connector *c);

/* Granularities: "1s" ... "1d" to nanoseconds, 0 for an unknown one. */
int64_t connector_granularity_ns(const char *g);
/* Does the connector deliver g natively (its granularities list)? */
int connector_has_granularity(const struct connector *c, const char *g);
/* The host's granularities, space-separated. */
extern const char connector_granularities[];

/* Calls into the connector under its lock; each returns the connector's
 * status (TH_ERR_UNSUPPORTED when it lacks the callback). */
enum th_status connector_history(struct connector *c, const char *provider,
    const char *granularity, int64_t start, int64_t end);
enum th_status connector_on_http(struct connector *c, int purpose,
    const char *key, long status, const char *body, size_t len);
enum th_status connector_stream_path(struct connector *c,
    const char *granularity, char *out, size_t size);
enum th_status connector_on_open(struct connector *c);
enum th_status connector_subscribe(struct connector *c, const char *provider,
    const char *granularity);
enum th_status connector_on_message(struct connector *c, const char *data,
    size_t len);
/* Brokers: an order, a cancellation, a poll of the orders' states. */
enum th_status connector_submit(struct connector *c,
    const struct th_broker_order *o);
enum th_status connector_cancel(struct connector *c, const char *client_id,
    const char *broker_id);
enum th_status connector_poll(struct connector *c);
enum th_status connector_positions(struct connector *c);
/* The connector's extra headers as a NULL-terminated array (caller frees
 * with connector_free_headers); NULL when it has none. */
char **connector_headers(struct connector *c);
void connector_free_headers(char **headers);

#endif
