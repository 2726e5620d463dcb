/* The simulated broker: backtesting.py's _Broker, rule for rule (spec §3).
 * It owns the order queue, open and closed trades, cash and the equity
 * curve of one instrument.  All prices are those of the bar being
 * processed; the engine sets the bar with broker_next(). */
#ifndef TH_BROKER_H
#define TH_BROKER_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

struct broker_config {
	double cash;		/* > 0 */
	double spread;		/* any number; its sign is ignored */
	double commission_fixed; /* >= 0 */
	double commission_rate;	/* in [-0.1, 0.1) */
	double margin;		/* in (0, 1]; leverage = 1 / margin */
	int trade_on_close;
	int hedging;
	int exclusive_orders;
};

/* Prices of 0 mean "not set" throughout, as None does in Python. */
struct order {
	uint64_t id;
	double size;		/* signed; a fraction stays a fraction */
	double limit;
	double stop;
	double sl;
	double tp;
	struct trade *parent;	/* SL, TP or close order of this trade */
	char *tag;		/* owned, NULL = none */
	int queued;		/* still in the pending queue */
};

struct trade {
	uint64_t id;
	double size;		/* signed whole units */
	double entry_price;	/* spread-adjusted */
	double exit_price;	/* 0 while open */
	size_t entry_bar;
	size_t exit_bar;
	struct order *sl_order;	/* NULL = none */
	struct order *tp_order;
	double commissions;	/* set when closed (spec 3.11) */
	double sl_value;	/* when closed: the SL/TP it had, 0 = none */
	double tp_value;
	char *tag;		/* owned, NULL = none */
};

/* Warnings the run continues past, counted for the end-of-run summary. */
enum broker_warning {
	BROKER_WARN_ZERO_UNITS,		/* a fractional order rounded to 0 */
	BROKER_WARN_MARGIN,		/* insufficient margin: cancelled */
	BROKER_WARN_CONTINGENT_DEFERRED, /* SL/TP in the entry bar's range */
	BROKER_NWARN
};

struct ptr_vec {
	void **v;
	size_t n;
	size_t cap;
};

/* The account the brokers of a portfolio share, one broker per symbol:
 * the cash, and the members whose open trades count for equity and
 * margin.  A lone broker is the only member of its own account. */
struct account {
	double cash;
	struct broker **members;	/* borrowed, in symbol order */
	size_t n;
};

/* What the audit trail hears from the broker (risk.c and audit.c). */
enum broker_event_kind {
	BROKER_EV_FILL,		/* a trade opened, or (a piece) closed */
	BROKER_EV_CANCEL	/* an order left the queue unfilled */
};

struct broker_event {
	enum broker_event_kind kind;
	uint64_t order_id;	/* the order that caused it (a netting fill:
				 * the opposite order); 0 = bankruptcy */
	uint64_t trade_id;
	double size;		/* signed units traded: + bought, - sold */
	double price;
	const char *reason;	/* "entry", "close", "sl", "tp", "netting",
				 * "bankrupt", "margin", "zero_units",
				 * "exclusive", "strategy" */
};

typedef void broker_event_fn(void *arg, const struct broker *b,
    const struct broker_event *ev);

struct broker {
	struct broker_config cfg;
	struct account *acct;		/* &solo unless broker_join()ed */
	struct account solo;
	struct broker *solo_member;
	broker_event_fn *on_event;	/* NULL = nobody listens */
	void *event_arg;
	const char *ev_reason;		/* why the fill being made happens */
	uint64_t ev_order;		/* and the order that causes it */
	const struct frame *data;
	double leverage;
	size_t i;			/* the bar being processed */
	struct ptr_vec queue;		/* struct order *, pending, in order */
	struct ptr_vec open;		/* struct trade *, in opening order */
	struct ptr_vec closed;		/* struct trade *, in closing order */
	struct ptr_vec dead;		/* dequeued orders, freed at bar end */
	struct ptr_vec scratch;		/* snapshot of the queue */
	struct ptr_vec trade_snap;	/* snapshot of open trades (netting) */
	double *equity;			/* data->n values, NaN until set */
	size_t nequity;			/* slots in equity (live data grows) */
	uint64_t next_id;
	size_t warnings[BROKER_NWARN];
	char *error;			/* a fatal fill-time error, owned */
	double pos_units;		/* sum(int(size)) over open trades */
	double pos_cost;		/* sum(size * entry) over open trades */
};

enum broker_status {
	BROKER_OK = 0,
	BROKER_BANKRUPT = 1,	/* equity <= 0: the run must stop */
	BROKER_ERROR = -1	/* see broker.error: the run must stop */
};

/* Checks the parameters as _Broker.__init__ asserts them.  Returns 0, or -1
 * with *cause naming the field. */
int broker_config_check(const struct broker_config *cfg, char **cause)
	__attribute__((warn_unused_result));
/* data is borrowed and must outlive the broker. */
void broker_init(struct broker *b, const struct broker_config *cfg,
    const struct frame *data);
void broker_free(struct broker *b);
/* Makes b a member of a shared account (its cash replaces b's own); b must
 * not move in memory afterwards. */
void broker_join(struct broker *b, struct account *a);
/* Closes b's trades at its last Close and empties the account's cash
 * (spec 1.5); for the other members when one of them went bankrupt. */
void broker_bankrupt(struct broker *b);
/* Recomputes the cached position sums after a state file refilled the
 * open trades. */
void broker_recount(struct broker *b);

/* Processes pending orders against bar i (1 <= i < n: a market order may
 * need the previous Close), records equity[i] and checks for bankruptcy.
 * Returns an enum broker_status. */
int broker_next(struct broker *b, size_t i);

/* Account quantities at each member's current Close (spec 3.2). */
double broker_equity(const struct broker *b);
/* Makes room in the equity record for bars appended to the data (live
 * trading); new slots are NaN until their bar is processed. */
void broker_grow(struct broker *b);
double broker_margin_available(const struct broker *b);
double broker_position_size(const struct broker *b);
/* The signed whole units an order of size (a fraction of the available
 * margin, or units) would trade if it filled at the last Close: what a
 * real broker is sent (route.c); the fill itself may size differently. */
double broker_estimate_units(const struct broker *b, double size);

double broker_position_pl(const struct broker *b);
double broker_position_pl_pct(const struct broker *b);
double broker_trade_pl(const struct broker *b, const struct trade *t);
double broker_trade_pl_pct(const struct broker *b, const struct trade *t);

/* Strategy.buy()/sell(): validates as backtesting.py does and queues the
 * order.  side is +1 or -1.  Returns the order (owned by the broker, valid
 * while it is queued), or NULL with *cause. */
struct order *broker_place(struct broker *b, int side, double size,
    double limit, double stop, double sl, double tp, const char *tag,
    char **cause)
	__attribute__((warn_unused_result));
/* The checks broker_place() makes, without placing anything. */
int broker_check_order(const struct broker *b, int side, double size,
    double limit, double stop, double sl, double tp, char **cause)
	__attribute__((warn_unused_result));
/* order.cancel(); reason goes to the cancel event ("strategy", "flatten").
 * Returns 0, or -1 when the order is no longer queued. */
int broker_cancel(struct broker *b, struct order *o, const char *reason)
	__attribute__((warn_unused_result));
/* trade.sl = price / trade.tp = price (0 removes).  Returns 0, or -1 with
 * *cause for a price that is not in (0, inf). */
int broker_set_sl(struct broker *b, struct trade *t, double price, char **cause)
	__attribute__((warn_unused_result));
int broker_set_tp(struct broker *b, struct trade *t, double price, char **cause)
	__attribute__((warn_unused_result));
/* trade.close(portion) and position.close(portion), 0 < portion <= 1. */
int broker_close_trade(struct broker *b, struct trade *t, double portion,
    char **cause)
	__attribute__((warn_unused_result));
int broker_close_position(struct broker *b, double portion, char **cause)
	__attribute__((warn_unused_result));

/* Finalize (spec 1.2 step 6): queues closes of every open trade, last to
 * first, so they execute oldest first. */
void broker_finalize(struct broker *b);

/* The pending order / open trade with that id, or NULL.  The pointer is
 * valid until the order leaves the queue / until broker_free(). */
struct order *broker_find_order(const struct broker *b, uint64_t id);
struct trade *broker_find_open_trade(const struct broker *b, uint64_t id);
/* The SL or TP order of its parent trade (Order.is_contingent). */
int broker_order_is_contingent(const struct order *o);

#endif
