/*
 * tradehost.h - the tradehost plugin SDK, ABI 1.
 *
 * A strategy is a shared object that exports exactly one symbol,
 *
 *	const struct th_plugin th_plugin_entry;
 *
 * and reaches the host only through the function table in th_ctx->api.
 * Its callbacks mirror backtesting.py's Strategy: init() declares
 * indicators and reads parameters, next() runs once per bar and places
 * orders.  See tradehost-sdk(3).
 *
 * Conventions, for every call below:
 * - [engine-thread]: call only from inside init(), next() or fini(), on the
 *   thread that called them.  No SDK call is thread-safe; none blocks.
 * - Pointers handed to the plugin (series values, names, info structs) are
 *   owned by the host and valid until the callback returns, unless a call
 *   says otherwise.  Strings the plugin passes in are copied by the host.
 * - Calls that can fail return enum th_status (TH_OK = 0, errors < 0).
 * - ABI growth is append-only: members are only ever added at the end of a
 *   struct, marked with the minor version that added them, and structs that
 *   cross the boundary carry their size.  Test optional host functions with
 *   TH_API_HAS(api, member).
 */
#ifndef TRADEHOST_H
#define TRADEHOST_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TH_ABI_MAJOR 1
#define TH_ABI_MINOR 4

#if defined(__GNUC__)
#define TH_EXPORT __attribute__((visibility("default")))
#define TH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TH_EXPORT
#define TH_PRINTF(a, b)
#endif

/* Declares the plugin's entry descriptor with the one exported symbol. */
#define TH_PLUGIN_ENTRY TH_EXPORT const struct th_plugin th_plugin_entry

enum th_status {
	TH_OK = 0,
	TH_ERR_INVALID = -1,	/* an argument breaks the call's contract */
	TH_ERR_NOT_FOUND = -2,	/* no such parameter, column, order or trade */
	TH_ERR_STATE = -3,	/* not allowed now (an order in init()); the
				 * run stops after the callback */
	TH_ERR_UNSUPPORTED = -4, /* the host lacks this feature */
	TH_ERR_REFUSED = -5	/* (1.1) the risk gate refused the order; the
				 * run goes on, th_order_refusal() says why */
};

enum th_plugin_kind {
	TH_PLUGIN_STRATEGY = 1,
	TH_PLUGIN_FEED = 2,	/* (1.3) a market-data connector */
	TH_PLUGIN_BROKER = 3	/* (1.3) a broker connector */
};

enum th_log_level {
	TH_LOG_ERROR = 0,
	TH_LOG_WARN = 1,
	TH_LOG_INFO = 2,
	TH_LOG_DEBUG = 3
};

/* The standard columns; extra CSV columns are reached by name. */
enum th_column {
	TH_OPEN = 0,
	TH_HIGH = 1,
	TH_LOW = 2,
	TH_CLOSE = 3,
	TH_VOLUME = 4
};

/* Built-in indicators, computed by the host over the whole series once,
 * with pandas' semantics (leading NaN while warming up). */
enum th_indicator_kind {
	TH_IND_SMA = 1,		/* Series.rolling(n).mean(), bit-exact */
	TH_IND_EMA = 2,		/* seeded with the SMA of the first n */
	TH_IND_ATR = 3,		/* rolling mean of the true range; no source */
	TH_IND_MAX = 4,		/* rolling max over n bars incl. the current */
	TH_IND_MIN = 5,		/* rolling min over n bars incl. the current */
	TH_IND_STD = 6,		/* Series.rolling(n).std(), ddof = 1 */
	TH_IND_CUSTOM = 100	/* values computed by the plugin's compute() */
};

/* th_indicator_def.flags */
#define TH_IND_NO_WARMUP 0x1u	/* backtesting.py's scatter=True: does not
				 * delay the first next() */
#define TH_IND_BFILL 0x2u	/* (1.1) values before the first valid one
				 * take it, as pandas' .bfill() */
#define TH_IND_HIDDEN 0x4u	/* (1.1) a helper array, not self.I(): no
				 * Entry_/Exit_ columns in the trades table */

enum th_param_type {
	TH_PARAM_INT = 1,	/* a whole number */
	TH_PARAM_REAL = 2,	/* a double */
	TH_PARAM_BOOL = 3	/* 0 or 1 */
};

/* (1.2) What kind of run an instance is part of (th_run_info). */
enum th_run_mode {
	TH_RUN_BACKTEST = 0,	/* a plain backtest or a portfolio run */
	TH_RUN_TRAIN = 1,	/* a training episode (--episodes): learn */
	TH_RUN_VALIDATE = 2,	/* a validation pass between episodes: no
				 * learning, no exploration */
	TH_RUN_PAPER = 3,	/* (1.3) live data, the host's paper broker */
	TH_RUN_LIVE = 4		/* (1.3) live data, a real broker */
};

typedef struct th_ctx th_ctx;
struct th_host_api;
struct th_connector;

/*
 * The context the host passes to every callback.  Only the api member is
 * public; the host keeps its own data behind it, so never copy, allocate
 * or inspect a th_ctx.  One context per strategy instance.
 */
struct th_ctx {
	const struct th_host_api *api;
};

/* Returned by value, so frozen: never grows.  A read-only view of a column
 * or indicator.  During next() it ends at
 * the current bar: v[n - 1] is the bar whose Close just printed, so no
 * look-ahead is possible.  Valid until the callback returns. */
struct th_series {
	const double *v;
	int64_t n;
};

/* Returned by value, so frozen: never grows.  The bar index, read-only,
 * same length as the columns.  For a datetime
 * index the values are nanoseconds since 1970-01-01 (timezone-naive). */
struct th_index {
	const int64_t *v;
	int64_t n;
	int is_datetime;
};

/* A parameter the strategy accepts; set from the command line with
 * --param NAME=VALUE.  The host refuses values outside [min, max]. */
struct th_param_def {
	const char *name;
	enum th_param_type type;
	double def;		/* default value */
	double min;		/* inclusive bounds */
	double max;
	const char *help;	/* one line for --help, may be NULL */
};

/*
 * [engine-thread] Computes a custom indicator over the complete series,
 * once, in init() (backtesting.py's I(func, ...)).  cols holds ncols full-length columns
 * requested by name in th_indicator_def.inputs; out has n slots, NaN-filled
 * on entry.  Return TH_OK or an error that aborts the run.
 */
typedef enum th_status (*th_compute_fn)(const double *const *cols, size_t ncols,
    size_t n, double *out, void *user);

/* Declares an indicator; pass to th_indicator(). */
struct th_indicator_def {
	uint32_t struct_size;	/* sizeof(struct th_indicator_def) */
	enum th_indicator_kind kind;
	const char *source;	/* column name ("Close"); NULL = "Close" */
	uint32_t period;	/* window length, >= 1 (built-ins) */
	uint32_t flags;		/* TH_IND_* flags */
	const char *name;	/* report name; NULL = backtesting.py style,
				 * e.g. "SMA(C,10)" */
	th_compute_fn compute;	/* TH_IND_CUSTOM only */
	void *user;		/* passed to compute */
	const char *const *inputs; /* TH_IND_CUSTOM: column names */
	uint32_t ninputs;
};

/* An order request for th_buy_with()/th_sell_with().  Zero means "not set"
 * for every field, as in backtesting.py. */
struct th_order_req {
	uint32_t struct_size;	/* set by the inline helpers */
	double size;		/* 0 = all available margin; (0, 1) = that
				 * fraction of it; >= 1 = whole units */
	double limit;		/* limit price */
	double stop;		/* stop (trigger) price */
	double sl;		/* stop-loss price for the resulting trade */
	double tp;		/* take-profit price for the resulting trade */
	const char *tag;	/* copied; NULL = none */
};

/* A pending order, as Strategy.orders shows it. */
struct th_order_info {
	uint32_t struct_size;	/* caller sets; host fills what fits */
	uint64_t id;
	double size;		/* signed, as placed (a fraction stays one) */
	double limit;		/* NaN when not set, likewise below */
	double stop;
	double sl;
	double tp;
	uint64_t parent_trade;	/* 0 for a stand-alone order */
	int is_contingent;	/* the SL or TP order of parent_trade */
	const char *tag;	/* NULL = none */
};

/* An open or closed trade, as Strategy.trades/closed_trades show it. */
struct th_trade_info {
	uint32_t struct_size;	/* caller sets; host fills what fits */
	uint64_t id;
	double size;		/* signed units */
	double entry_price;
	double exit_price;	/* NaN while open */
	int64_t entry_bar;
	int64_t exit_bar;	/* -1 while open */
	double sl;		/* NaN when none */
	double tp;		/* NaN when none */
	double pl;		/* Trade.pl at the current Close */
	double pl_pct;		/* Trade.pl_pct, a fraction */
	const char *tag;	/* NULL = none */
};

/* (1.2) The run an instance is part of. */
struct th_run_info {
	uint32_t struct_size;	/* caller sets; host fills what fits */
	enum th_run_mode mode;
	uint32_t episode;	/* 1-based training episode; 0 otherwise */
	uint32_t episodes;	/* --episodes; 0 when not training */
	const char *model_path;	/* --model FILE; NULL when not given */
};

/* The position across open trades (backtesting.py's Position). */
struct th_position {
	uint32_t struct_size;	/* caller sets; host fills what fits */
	double size;		/* sum of open trade sizes; 0 when flat */
	double pl;		/* unrealised P/L at the current Close */
	double pl_pct;		/* in percent, 0 when flat */
	int is_long;
	int is_short;
};

/*
 * Host services.  Every member is [engine-thread] and non-blocking.
 * New members are appended; check TH_API_HAS() before using one newer
 * than ABI 1.0.
 */
struct th_host_api {
	uint32_t struct_size;
	uint16_t abi_major;
	uint16_t abi_minor;

	/* [engine-thread] Logs one line at a level, prefixed with the
	 * strategy's name.  Any phase. */
	void (*log)(th_ctx *ctx, enum th_log_level level, const char *fmt, ...)
	    TH_PRINTF(3, 4);
	/* [engine-thread] Memory that outlives a callback, owned by the
	 * plugin until it passes it to free_mem.  NULL on failure.  Any
	 * phase. */
	void *(*alloc)(th_ctx *ctx, size_t size);
	void (*free_mem)(th_ctx *ctx, void *ptr);
	/* [engine-thread] Optional features by id "th.<name>/<rev>"; NULL
	 * when unsupported.  A returned table is host-owned and static. */
	const void *(*get_extension)(th_ctx *ctx, const char *id);

	/* [engine-thread] The value of a declared parameter (after --param),
	 * or TH_ERR_NOT_FOUND.  Any phase. */
	enum th_status (*param)(th_ctx *ctx, const char *name, double *value);

	/* [engine-thread] The current bar's index i (0-based); -1 during
	 * init(). */
	int64_t (*bar)(th_ctx *ctx);
	/* [engine-thread] Bars in the whole data set (for sizing buffers in
	 * init()). */
	int64_t (*bar_count)(th_ctx *ctx);
	/* [engine-thread] A standard column, visible up to the current bar
	 * (empty in init()).  The view is valid until the callback returns. */
	struct th_series (*column)(th_ctx *ctx, enum th_column col);
	/* [engine-thread] An extra CSV column by name, as column() does;
	 * TH_ERR_NOT_FOUND if absent. */
	enum th_status (*column_by_name)(th_ctx *ctx, const char *name,
	    struct th_series *out);
	/* [engine-thread] The index, visible up to the current bar; valid
	 * until the callback returns. */
	struct th_index (*index)(th_ctx *ctx);

	/* [engine-thread, init() only] Declares an indicator and stores its
	 * handle (>= 0).  def and its strings are borrowed for the call; a
	 * custom compute() runs before this returns.  In next(): TH_ERR_STATE
	 * and the run stops. */
	enum th_status (*indicator)(th_ctx *ctx,
	    const struct th_indicator_def *def, int *handle);
	/* [engine-thread] An indicator's values, visible up to the current
	 * bar (empty in init()); valid until the callback returns. */
	struct th_series (*indicator_values)(th_ctx *ctx, int handle);

	/* [engine-thread, next() only] Places an order; side is +1 buy, -1
	 * sell.  Validated as backtesting.py does (size, then sl/limit/tp
	 * ordering against the placement-time Close); an invalid order
	 * returns TH_ERR_INVALID and stops the run after next() returns.
	 * req is borrowed; *id may be NULL. */
	enum th_status (*order)(th_ctx *ctx, int side,
	    const struct th_order_req *req, uint64_t *id);
	/* [engine-thread] Pending orders, in queue order (contingent SL/TP
	 * included).  order_get fills what fits out->struct_size; its tag
	 * is valid until the callback returns. */
	int64_t (*order_count)(th_ctx *ctx);
	enum th_status (*order_get)(th_ctx *ctx, int64_t i,
	    struct th_order_info *out);
	/* [engine-thread, next() only] order.cancel(); TH_ERR_NOT_FOUND when
	 * the order is no longer pending (the library raises there; the
	 * host leaves the choice to the strategy). */
	enum th_status (*order_cancel)(th_ctx *ctx, uint64_t id);

	/* [engine-thread] Open trades (closed = 0, in opening order) and
	 * closed trades (closed = 1, in closing order).  trade_get fills what
	 * fits out->struct_size; its tag is valid until the callback
	 * returns. */
	int64_t (*trade_count)(th_ctx *ctx, int closed);
	enum th_status (*trade_get)(th_ctx *ctx, int closed, int64_t i,
	    struct th_trade_info *out);
	/* [engine-thread, next() only] trade.sl = price / trade.tp = price
	 * for an open trade; 0 removes it.  A price outside [0, inf) returns
	 * TH_ERR_INVALID and stops the run; an unknown id TH_ERR_NOT_FOUND. */
	enum th_status (*trade_set_sl)(th_ctx *ctx, uint64_t id, double price);
	enum th_status (*trade_set_tp)(th_ctx *ctx, uint64_t id, double price);
	/* [engine-thread, next() only] trade.close(portion), 0 < portion
	 * <= 1 (else TH_ERR_INVALID and the run stops). */
	enum th_status (*trade_close)(th_ctx *ctx, uint64_t id, double portion);

	/* [engine-thread] The position at the current Close; fills what
	 * fits out->struct_size. */
	enum th_status (*position)(th_ctx *ctx, struct th_position *out);
	/* [engine-thread, next() only] position.close(portion), 0 < portion
	 * <= 1 (else TH_ERR_INVALID and the run stops). */
	enum th_status (*position_close)(th_ctx *ctx, double portion);
	/* [engine-thread] Equity and cash at the current Close. */
	double (*equity)(th_ctx *ctx);
	double (*cash)(th_ctx *ctx);

	/* ABI 1.1.  Test with TH_API_HAS() before calling. */

	/* [engine-thread] Why the last order() returned TH_ERR_REFUSED
	 * ("max_open_positions: ..."); NULL when it was not refused.  Valid
	 * until the next order(). */
	const char *(*order_refusal)(th_ctx *ctx);
	/* [engine-thread] The instrument this instance trades ("GOOG");
	 * never NULL.  Any phase. */
	const char *(*symbol)(th_ctx *ctx);
	/* [engine-thread] Risk-per-trade sizing: floor(equity * risk /
	 * (multiple * atr)) whole units, 0 when atr is not positive.  risk
	 * or multiple <= 0 take the configuration's risk.risk_per_trade and
	 * risk.atr_multiple (0.01 and 2 by default).  Any phase. */
	double (*risk_units)(th_ctx *ctx, double risk, double multiple,
	    double atr);

	/* ABI 1.2. */

	/* [engine-thread] The run this instance is part of; fills what fits
	 * out->struct_size.  Any phase. */
	enum th_status (*run_info)(th_ctx *ctx, struct th_run_info *out);
};

#define TH_API_HAS(api, member) \
	((api)->struct_size >= offsetof(struct th_host_api, member) + \
	    sizeof((api)->member))

/*
 * The plugin descriptor, exported as th_plugin_entry.  The host checks
 * abi_major == TH_ABI_MAJOR and struct_size before calling anything, and
 * copies every string it keeps.
 */
struct th_plugin {
	uint16_t abi_major;	/* TH_ABI_MAJOR */
	uint16_t abi_minor;	/* TH_ABI_MINOR */
	uint32_t struct_size;	/* sizeof(struct th_plugin) */
	enum th_plugin_kind kind;
	const char *name;	/* e.g. "SmaCross" */
	const char *version;	/* the plugin's own version string */
	const char *description;

	const struct th_param_def *params;
	uint32_t nparams;
	uint32_t param_def_size; /* sizeof(struct th_param_def) */

	/* Bytes of per-instance state the host allocates, zeroed, and passes
	 * to every callback; the layout version lets a reload carry it over
	 * when unchanged. */
	uint32_t state_size;
	uint32_t state_version;

	/* [engine-thread] Declares indicators and reads parameters; data
	 * views are empty here.  A non-TH_OK return aborts the run. */
	enum th_status (*init)(th_ctx *ctx, void *state);
	/* [engine-thread] Once per bar from the first bar after warm-up to
	 * the last.  A non-TH_OK return aborts the run. */
	enum th_status (*next)(th_ctx *ctx, void *state);
	/* [engine-thread] Releases what init() allocated; called once per
	 * instance, also when init() or next() failed.  May be NULL. */
	void (*fini)(th_ctx *ctx, void *state);

	/* ABI 1.2: learning strategies (tradehost --episodes).  The host
	 * reads these only when struct_size covers them; NULL = none. */

	/* [engine-thread] Writes what the strategy has learned to path (the
	 * best validation pass so far).  Called after a validation run,
	 * before fini. */
	enum th_status (*save_model)(th_ctx *ctx, void *state,
	    const char *path);
	/* [engine-thread] One line of training progress for the host's
	 * progress bar ("eps 0.61 loss 0.0123"), at most size bytes. */
	void (*train_status)(th_ctx *ctx, void *state, char *buf,
	    size_t size);
	/* (1.2) TH_PLUGIN_* flags. */
	uint32_t flags;

	/* (1.3) Kind TH_PLUGIN_FEED or TH_PLUGIN_BROKER: the connector's
	 * callbacks (struct th_connector); NULL for a strategy. */
	const struct th_connector *connector;
};

/* th_plugin.flags */
#define TH_PLUGIN_STATE_POINTERS 0x1u	/* the state block holds pointers: it
					 * cannot be saved to a state file
					 * nor carried into another process */

/*
 * (1.3) Connectors: market-data feeds and brokers.  A connector holds only
 * a provider's wire format.  The host owns the transport (one WebSocket
 * loop, one HTTP client), the symbols' mapping, bar aggregation, backfill
 * and retries; it calls the connector with requests to make and messages
 * received, and the connector answers through th_conn_api.  Every
 * connector callback and every th_conn_api call is [transport-thread]: it
 * runs on a host I/O thread, never concurrently for one connector, and
 * must not block.  A connector never opens sockets, starts threads or
 * calls curl, TLS or WebSocket libraries itself.
 */
typedef struct th_conn th_conn;
struct th_conn_api;

/* The context of one connector instance; only api is public. */
struct th_conn {
	const struct th_conn_api *api;
};

/* (1.3) A bar as a feed reports it: bar start time and OHLCV. */
struct th_bar {
	uint32_t struct_size;	/* sizeof(struct th_bar) */
	const char *symbol;	/* the provider's symbol; borrowed */
	int64_t time;		/* bar start, ns since 1970-01-01 UTC */
	double open, high, low, close, volume;
	int closed;		/* 1 = final; 0 = still forming (ignored) */
};

/* (1.3) One trade (or a price-only update, size 0). */
struct th_tick {
	uint32_t struct_size;	/* sizeof(struct th_tick) */
	const char *symbol;	/* the provider's symbol; borrowed */
	int64_t time;		/* ns since 1970-01-01 UTC */
	double price;
	double size;		/* 0 = price-only update */
};

/* (1.3) An HTTP request a connector asks the host to make.  The response
 * comes back to on_http() with the same purpose and key. */
struct th_http {
	uint32_t struct_size;	/* sizeof(struct th_http) */
	const char *method;	/* "GET", "POST", "DELETE"; NULL = GET */
	const char *url;	/* absolute; copied */
	const char *body;	/* JSON or NULL; copied */
	int purpose;		/* the connector's TH_HTTP_* or its own tag */
	const char *key;	/* a symbol or an order id; copied; may be NULL */
};

/* th_http.purpose values the host itself uses. */
enum th_http_purpose {
	TH_HTTP_HISTORY = 1,	/* bars for a history() or poll request */
	TH_HTTP_ORDER = 2,	/* an order submission */
	TH_HTTP_CANCEL = 3,	/* an order cancellation */
	TH_HTTP_ORDERS = 4,	/* a poll of order states */
	TH_HTTP_POSITIONS = 5,	/* (1.4) a read of the account's positions */
	TH_HTTP_OTHER = 100	/* connectors' own tags start here */
};

/* (1.3) An order the host routes to a broker. */
struct th_broker_order {
	uint32_t struct_size;	/* sizeof(struct th_broker_order) */
	const char *symbol;	/* the provider's symbol */
	const char *client_id;	/* unique, made by the host; duplicate
				 * submissions carry the same id */
	int side;		/* +1 buy, -1 sell */
	double qty;		/* whole units, > 0 */
	double limit;		/* NaN for a market order */
};

enum th_order_state {
	TH_ORDER_ACCEPTED = 1,	/* new, accepted, pending_new */
	TH_ORDER_PARTIAL = 2,
	TH_ORDER_FILLED = 3,
	TH_ORDER_CANCELED = 4,	/* canceled, expired, done_for_day */
	TH_ORDER_REJECTED = 5
};

/* (1.3) What a broker says about an order. */
struct th_order_update {
	uint32_t struct_size;	/* sizeof(struct th_order_update) */
	const char *client_id;	/* as submitted; borrowed */
	const char *broker_id;	/* the broker's id; borrowed; may be NULL */
	enum th_order_state state;
	double filled_qty;	/* cumulative, >= 0 */
	double avg_price;	/* NaN when nothing filled */
	int64_t time;		/* ns since 1970-01-01 UTC; 0 = unknown */
	const char *reason;	/* rejection text; NULL */
};

/* (1.3) Host services for connectors; all [transport-thread], only from
 * inside a connector callback. */
struct th_conn_api {
	uint32_t struct_size;
	uint16_t abi_major;
	uint16_t abi_minor;

	/* Logs one line prefixed with the connector's name.  Never log
	 * secrets. */
	void (*log)(th_conn *cx, enum th_log_level level, const char *fmt,
	    ...) TH_PRINTF(3, 4);
	/* A setting from the connector's configuration section, else the
	 * environment variable env_prefix + NAME in upper case (key_id with
	 * prefix "APCA_API_" reads APCA_API_KEY_ID); NULL when unset.  The
	 * string is host-owned and valid until close(). */
	const char *(*setting)(th_conn *cx, const char *name);
	/* The base URL of the REST or the stream endpoint in use (the
	 * descriptor's default unless the configuration overrides it), without
	 * a trailing slash.  Host-owned, valid until close(). */
	const char *(*rest_url)(th_conn *cx);
	const char *(*stream_url)(th_conn *cx);
	/* Reports a bar; TH_ERR_INVALID for a bad one (NaN, high < low),
	 * which the host logs and drops. */
	enum th_status (*bar)(th_conn *cx, const struct th_bar *bar);
	/* Reports a trade; the host aggregates trades into bars. */
	enum th_status (*tick)(th_conn *cx, const struct th_tick *tick);
	/* Sends a text message on the connector's WebSocket; TH_ERR_STATE
	 * when not connected. */
	enum th_status (*send)(th_conn *cx, const char *text);
	/* Says the stream is ready for subscriptions (after the provider's
	 * authentication); the host then calls subscribe() for every symbol,
	 * again after each reconnect. */
	void (*ready)(th_conn *cx);
	/* Queues an HTTP request, with the connector's headers(). */
	enum th_status (*http)(th_conn *cx, const struct th_http *req);
	/* Says a history() request is complete: every page was reported (ok
	 * = 1) or it failed (ok = 0). */
	void (*history_done)(th_conn *cx, const char *symbol, int ok);
	/* Reports an order's state (broker connectors). */
	void (*order_update)(th_conn *cx, const struct th_order_update *u);
	/* An error the session cannot recover from, such as a refused API
	 * key: the host stops the session with reason. */
	void (*fail)(th_conn *cx, const char *reason);

	/* (1.4) Brokers, answering positions(): the account's position in
	 * symbol (the provider's form), signed units (short < 0) at an
	 * average entry price (NaN when unknown); one call per position
	 * held, then positions_done() (ok = 0 when the read failed).  A
	 * symbol not reported is flat. */
	void (*position)(th_conn *cx, const char *symbol, double qty,
	    double avg_price);
	void (*positions_done)(th_conn *cx, int ok);
	/* (1.4) Sends len bytes as one binary message on the connector's
	 * WebSocket (MessagePack, say); TH_ERR_STATE when not connected. */
	enum th_status (*send_binary)(th_conn *cx, const void *data,
	    size_t len);
};

/* th_connector.caps */
#define TH_CONN_HISTORY 0x1u	/* history() fetches bars over HTTP */
#define TH_CONN_STREAM 0x2u	/* a WebSocket stream of bars or trades */
#define TH_CONN_POLL 0x4u	/* live bars by polling history() */
#define TH_CONN_ORDERS 0x8u	/* a broker: submit(), cancel(), poll() */

/*
 * (1.3) A connector's callbacks, from th_plugin.connector.  Members a
 * connector does not support are NULL.  Granularity strings are the
 * host's: "1s" "1m" "5m" "15m" "30m" "1h" "4h" "1d".
 */
struct th_connector {
	uint32_t struct_size;	/* sizeof(struct th_connector) */
	uint32_t caps;		/* TH_CONN_* */
	const char *granularities; /* native ones, space-separated */
	const char *rest_url;	/* default REST base URL, or NULL */
	const char *stream_url;	/* default WebSocket base URL, or NULL */
	const char *env_prefix;	/* for th_conn_api.setting(), e.g.
				 * "FINNHUB_" */

	/* Creates the instance's state (api->setting() is usable here).
	 * A non-TH_OK return stops the session. */
	enum th_status (*open)(th_conn *cx, void **state);
	void (*close)(th_conn *cx, void *state);
	/* The provider's form of a symbol ("BTCUSD" -> "btcusdt"). */
	enum th_status (*map_symbol)(th_conn *cx, void *state,
	    const char *symbol, char *out, size_t size);
	/* Extra request headers, "Name: value" lines separated by '\n', for
	 * every HTTP request and the WebSocket upgrade (authentication). */
	enum th_status (*headers)(th_conn *cx, void *state, char *out,
	    size_t size);

	/* Bars of symbol at granularity with start times in [start, end)
	 * (ns): issues api->http() requests; on_http() reports the bars and
	 * finally api->history_done(). */
	enum th_status (*history)(th_conn *cx, void *state, const char *symbol,
	    const char *granularity, int64_t start, int64_t end);
	/* A response to one of the connector's requests.  Non-2xx statuses
	 * arrive here too after the host's retries, with the error body. */
	enum th_status (*on_http)(th_conn *cx, void *state, int purpose,
	    const char *key, long status, const char *body, size_t len);

	/* The path and query to append to the stream base URL, for these
	 * symbols at granularity ("/ws/btcusdt@kline_1m"). */
	enum th_status (*stream_path)(th_conn *cx, void *state,
	    const char *const *symbols, size_t n, const char *granularity,
	    char *out, size_t size);
	/* The WebSocket connected: authenticate, or call api->ready(). */
	enum th_status (*on_open)(th_conn *cx, void *state);
	/* Subscribes to one symbol (after ready()). */
	enum th_status (*subscribe)(th_conn *cx, void *state,
	    const char *symbol, const char *granularity);
	/* One message: report bars, ticks or order updates; TH_ERR_INVALID
	 * for a malformed message, which the host logs and skips. */
	enum th_status (*on_message)(th_conn *cx, void *state,
	    const char *data, size_t len);

	/* Brokers: submit an order, cancel one, ask for the open orders'
	 * states.  Each issues api->http(); the responses go to on_http()
	 * and become api->order_update() calls. */
	enum th_status (*submit)(th_conn *cx, void *state,
	    const struct th_broker_order *order);
	enum th_status (*cancel)(th_conn *cx, void *state,
	    const char *client_id, const char *broker_id);
	enum th_status (*poll)(th_conn *cx, void *state);

	/* (1.4) Brokers: read the account's positions; the answer comes as
	 * api->position() calls and api->positions_done().  The host reads
	 * this member only when struct_size covers it. */
	enum th_status (*positions)(th_conn *cx, void *state);
};

/* (1.4) Does the host's connector API carry member (appended after
 * 1.3)?  A connector checks before calling send_binary, say. */
#define TH_CONN_API_HAS(api, member) \
	((api)->struct_size >= offsetof(struct th_conn_api, member) + \
	    sizeof((api)->member))

/* Does the descriptor carry member (appended after 1.0)? */
#define TH_PLUGIN_HAS(desc, member) \
	((desc)->struct_size >= offsetof(struct th_plugin, member) + \
	    sizeof((desc)->member))

/*
 * Inline helpers, so strategy code reads like backtesting.py.  They only
 * call through ctx->api and are part of no ABI.
 */

/* x[-1 - ago]: the current bar's value for ago = 0, the previous bar's for
 * ago = 1; NaN when the series is shorter than that. */
static inline double
th_at(struct th_series s, int64_t ago)
{
	return ago >= 0 && ago < s.n ? s.v[s.n - 1 - ago] : (double)NAN;
}

/* lib.crossover(a, b): a[-2] < b[-2] and a[-1] > b[-1], both strict, so an
 * equality is never a cross and a NaN on either bar gives 0. */
static inline int
th_crossover(struct th_series a, struct th_series b)
{
	return a.n >= 2 && b.n >= 2 && th_at(a, 1) < th_at(b, 1) &&
	    th_at(a, 0) > th_at(b, 0);
}

/* crossover(a, x) against a constant level x. */
static inline int
th_crossover_value(struct th_series a, double x)
{
	return a.n >= 2 && th_at(a, 1) < x && th_at(a, 0) > x;
}

/* crossover(x, a): the series crossed below a constant level. */
static inline int
th_crossunder_value(struct th_series a, double x)
{
	return a.n >= 2 && x < th_at(a, 1) && x > th_at(a, 0);
}

/* lib.cross(a, b): a crossed b in either direction. */
static inline int
th_cross(struct th_series a, struct th_series b)
{
	return th_crossover(a, b) || th_crossover(b, a);
}

static inline struct th_series
th_open(th_ctx *ctx)
{
	return ctx->api->column(ctx, TH_OPEN);
}

static inline struct th_series
th_high(th_ctx *ctx)
{
	return ctx->api->column(ctx, TH_HIGH);
}

static inline struct th_series
th_low(th_ctx *ctx)
{
	return ctx->api->column(ctx, TH_LOW);
}

static inline struct th_series
th_close(th_ctx *ctx)
{
	return ctx->api->column(ctx, TH_CLOSE);
}

static inline struct th_series
th_volume(th_ctx *ctx)
{
	return ctx->api->column(ctx, TH_VOLUME);
}

/* Declares a built-in indicator over a column (NULL = "Close"); returns
 * its handle, or a negative enum th_status. */
static inline int
th_indicator(th_ctx *ctx, enum th_indicator_kind kind, const char *source,
    uint32_t period)
{
	struct th_indicator_def def;
	int handle = -1;
	enum th_status st;

	memset(&def, 0, sizeof def);
	def.struct_size = sizeof def;
	def.kind = kind;
	def.source = source;
	def.period = period;
	st = ctx->api->indicator(ctx, &def, &handle);
	return st == TH_OK ? handle : (int)st;
}

static inline int
th_sma(th_ctx *ctx, const char *source, uint32_t period)
{
	return th_indicator(ctx, TH_IND_SMA, source, period);
}

/* The visible values of an indicator declared in init(). */
static inline struct th_series
th_values(th_ctx *ctx, int handle)
{
	return ctx->api->indicator_values(ctx, handle);
}

/* A parameter's value; the host has already validated type and range. */
static inline double
th_param(th_ctx *ctx, const char *name)
{
	double v = (double)NAN;

	(void)ctx->api->param(ctx, name, &v);
	return v;
}

static inline enum th_status
th_buy_with(th_ctx *ctx, struct th_order_req req)
{
	req.struct_size = sizeof req;
	return ctx->api->order(ctx, +1, &req, NULL);
}

static inline enum th_status
th_sell_with(th_ctx *ctx, struct th_order_req req)
{
	req.struct_size = sizeof req;
	return ctx->api->order(ctx, -1, &req, NULL);
}

/* buy() / sell(): a market order for all available margin. */
static inline enum th_status
th_buy(th_ctx *ctx)
{
	struct th_order_req req;

	memset(&req, 0, sizeof req);
	return th_buy_with(ctx, req);
}

static inline enum th_status
th_sell(th_ctx *ctx)
{
	struct th_order_req req;

	memset(&req, 0, sizeof req);
	return th_sell_with(ctx, req);
}

static inline struct th_position
th_position(th_ctx *ctx)
{
	struct th_position p;

	memset(&p, 0, sizeof p);
	p.struct_size = sizeof p;
	(void)ctx->api->position(ctx, &p);
	return p;
}

/* position.close(portion); 1.0 closes everything. */
static inline enum th_status
th_position_close(th_ctx *ctx, double portion)
{
	return ctx->api->position_close(ctx, portion);
}

static inline double
th_equity(th_ctx *ctx)
{
	return ctx->api->equity(ctx);
}

/* (1.1) The symbol this instance trades; "" from an older host. */
static inline const char *
th_symbol(th_ctx *ctx)
{
	return TH_API_HAS(ctx->api, symbol) ? ctx->api->symbol(ctx) : "";
}

/* (1.1) Why the last order was refused, or NULL. */
static inline const char *
th_order_refusal(th_ctx *ctx)
{
	return TH_API_HAS(ctx->api, order_refusal) ?
	    ctx->api->order_refusal(ctx) : (const char *)0;
}

/* (1.2) The run's mode, episode and model path; a plain backtest from an
 * older host. */
static inline struct th_run_info
th_run_info(th_ctx *ctx)
{
	struct th_run_info ri;

	memset(&ri, 0, sizeof ri);
	ri.struct_size = sizeof ri;
	if (TH_API_HAS(ctx->api, run_info))
		(void)ctx->api->run_info(ctx, &ri);
	return ri;
}

/* (1.1) Units risking `risk` of equity with a stop `multiple` ATRs away
 * (<= 0 = the configured defaults); 0 from an older host. */
static inline double
th_risk_units(th_ctx *ctx, double risk, double multiple, double atr)
{
	return TH_API_HAS(ctx->api, risk_units) ?
	    ctx->api->risk_units(ctx, risk, multiple, atr) : 0.0;
}

#ifdef __cplusplus
}
#endif

#endif /* TRADEHOST_H */
