#include "live.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "log.h"
#include "state.h"
#include "timefmt.h"
#include "xmalloc.h"

#define LIVE_TAKE_MAX 4096
#define LIVE_WAIT_MS 100
#define LIVE_MAX_LATENCIES ((size_t)1 << 24)
#define LIVE_DRAIN_NS 5000000000LL	/* for the broker's last answers */

static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

struct pending {
	struct feed_bar *v;
	size_t head, n, cap;
};

struct live {
	const struct live_options *lo;
	struct feed feed;
	struct frame **frames;
	size_t n;
	size_t *history;
	struct pending *pend;
	struct session s;
	int inited, started;
	struct journal journal;
	int journaling;
	uint64_t live_bars;
	int64_t last_step;		/* time of the last live step */
	int64_t current_recv;		/* receipt of the bar being processed */
	int64_t current_clock;		/* the feed clock when its newest bar
					 * was queued */
	int *stale;			/* per symbol: stale at the last step */
	int64_t *lat;			/* receipt -> order, ns */
	size_t nlat, caplat;
	int64_t next_summary;
	uint64_t messages;
	double msg_seconds;
	struct route route;
	int routing;
	char *broker_journal;		/* broker.csv in the journal */
	double *paper_start;		/* paper positions at the start */
	double *fill_units;		/* per leg: paper fills of this step
					 * that no broker order mirrors yet */
	int market_open;		/* -1 = not known yet */
	int64_t market_until;		/* feed clock of the next change */
};

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	stop_signal = 0;
}

/*
 * The console and the journal see every decision.
 */

static void
print_signal(struct live *lv, const struct session *s, int leg,
    const struct audit_row *r)
{
	const struct session_leg *l = &s->legs[leg];
	const struct frame *f = l->data;
	size_t i = l->pos < f->n ? l->pos : f->n - 1, k;
	char when[40];

	if (lv->lo->quiet)
		return;
	timefmt_timestamp(r->time, when, sizeof when);
	fprintf(stderr, "%s  %-8s %-4s %g", when, l->symbol,
	    r->side > 0 ? "BUY" : "SELL", r->size);
	fprintf(stderr, " @ %s%.6g  close %.6g", isnan(r->price) ? "market " :
	    "", isnan(r->price) ? f->cols[FRAME_CLOSE][i] : r->price,
	    f->cols[FRAME_CLOSE][i]);
	for (k = 0; k < l->in.nind; k++)
		fprintf(stderr, "  %s=%.6g", l->in.ind[k].name,
		    l->in.ind[k].values[i]);
	fputc('\n', stderr);
}

/*
 * A real broker: orders go out as they are placed; a paper fill of an
 * order that did not (a stop entry, a stop-loss or take-profit) goes out
 * at market after the step, netted per symbol.
 */

static void
placed(void *arg, const struct session *s, size_t leg, const struct order *o,
    const char *kind)
{
	struct live *lv = arg;
	double units;

	(void)kind;
	if (!lv->routing || o->stop != 0)
		return;
	units = broker_estimate_units(&s->legs[leg].broker, o->size);
	(void)route_send(&lv->route, leg, units, o->limit != 0 ? o->limit :
	    NAN, o->id, s->now);
}

static void
mirror(struct live *lv, int leg, const struct audit_row *r)
{
	if (r->order_id == 0 || route_has(&lv->route, r->order_id)) {
		if (strcmp(r->kind, "cancel") == 0 && r->order_id != 0)
			route_cancel(&lv->route, r->order_id);
		return;
	}
	if (strcmp(r->kind, "fill") == 0)
		lv->fill_units[leg] += r->side * r->size;
}

static void
send_fills(struct live *lv)
{
	size_t k;

	for (k = 0; lv->routing && k < lv->n; k++)
		if (lv->fill_units[k] != 0) {
			(void)route_send(&lv->route, k, lv->fill_units[k],
			    NAN, 0, lv->last_step);
			lv->fill_units[k] = 0;
		}
}

static void
observe(void *arg, const struct session *s, int leg,
    const struct audit_row *r)
{
	struct live *lv = arg;
	int decision = strcmp(r->kind, "order") == 0 ||
	    strcmp(r->kind, "refused") == 0;

	if (lv->journaling)
		journal_row(&lv->journal, r);
	if (lv->routing && leg >= 0)
		mirror(lv, leg, r);
	if (decision && lv->current_recv != 0 &&
	    lv->nlat < LIVE_MAX_LATENCIES) {
		if (lv->nlat == lv->caplat) {
			lv->caplat = lv->caplat ? lv->caplat * 2 : 1024;
			lv->lat = xreallocarray(lv->lat, lv->caplat,
			    sizeof *lv->lat);
		}
		lv->lat[lv->nlat++] = timefmt_mono_ns() - lv->current_recv;
	}
	if (strcmp(r->kind, "order") == 0 && leg >= 0)
		print_signal(lv, s, leg, r);
	else if (strcmp(r->kind, "refused") == 0 && !lv->lo->quiet)
		fprintf(stderr, "refused  %s: %s\n", r->symbol ? r->symbol :
		    "", r->reason ? r->reason : "");
}

/*
 * Bars: history straight into the frames, live ones through a barrier
 * so that every symbol's bar of one time is processed in one step, as a
 * backtest over the journal will.
 */

static void
pend_push(struct pending *p, const struct feed_bar *b)
{
	if (p->n == p->cap) {
		struct feed_bar *v = xcalloc(p->cap ? p->cap * 2 : 16,
		    sizeof *v);
		size_t k;

		for (k = 0; k < p->n; k++)
			v[k] = p->v[(p->head + k) % p->cap];
		free(p->v);
		p->v = v;
		p->head = 0;
		p->cap = p->cap ? p->cap * 2 : 16;
	}
	p->v[(p->head + p->n++) % p->cap] = *b;
}

static const struct feed_bar *
pend_front(const struct pending *p)
{
	return p->n > 0 ? &p->v[p->head] : NULL;
}

static void
pend_pop(struct pending *p)
{
	p->head = (p->head + 1) % p->cap;
	p->n--;
}

static void
append(struct live *lv, size_t k, const struct agg_bar *b)
{
	frame_append(lv->frames[k], b->time, b->open, b->high, b->low,
	    b->close, b->volume);
	if (lv->journaling)
		journal_bar(&lv->journal, k, b);
}

static void
take_bar(struct live *lv, const struct feed_bar *b)
{
	if (b->history && !lv->started)
		append(lv, b->symbol, &b->bar);
	else
		pend_push(&lv->pend[b->symbol], b);
}

/* The earliest pending time, if every symbol has a bar at or after it or
 * the clock says its bars are all in. */
static int
releasable(struct live *lv, int64_t *t)
{
	const struct feed_bar *b;
	int64_t min = INT64_MAX;
	size_t k, waiting = 0;

	for (k = 0; k < lv->n; k++) {
		if ((b = pend_front(&lv->pend[k])) == NULL)
			waiting++;
		else if (b->bar.time < min)
			min = b->bar.time;
	}
	if (min == INT64_MAX)
		return 0;
	*t = min;
	/* The clock as it was when the feed last closed forming bars by it:
	 * any bar it closed is in by now, so a symbol still without one had
	 * none. */
	return waiting == 0 || lv->feed.flushed_at >= min + lv->feed.gran +
	    lv->feed.opt.grace_ns;
}

/* A bar older than the last step cannot join it any more (a backtest of
 * the journal would have put it there): it is dropped and logged. */
static void
drop_late(struct live *lv)
{
	const struct feed_bar *b;
	char when[40];
	size_t k;

	for (k = 0; k < lv->n; k++)
		while ((b = pend_front(&lv->pend[k])) != NULL &&
		    lv->live_bars > 0 && b->bar.time <= lv->last_step) {
			timefmt_timestamp(b->bar.time, when, sizeof when);
			log_warn("%s: bar %s arrived after its time was "
			    "processed: dropped", lv->lo->feed.symbols[k],
			    when);
			pend_pop(&lv->pend[k]);
		}
}

/* How long symbol k has gone without an update by the feed clock of the
 * step at t: from the close of its newest bar to the time the step's
 * newest bar was queued (so a backfilled bar is as old as it is, however
 * fast the engine runs).  0 when within the stale limit. */
static int64_t
stale_seconds(const struct live *lv, size_t k)
{
	const struct frame *f = lv->frames[k];
	int64_t age;

	if (f->n == 0 || lv->lo->feed.stale_ns <= 0)
		return 0;
	age = lv->current_clock - (f->index[f->n - 1] + lv->feed.gran);
	if (age <= lv->lo->feed.stale_ns)
		return 0;
	return age / INT64_C(1000000000) > 0 ? age / INT64_C(1000000000) : 1;
}

/* Tells the risk gate which symbols are stale at the step at t, and the
 * journal, for the replay. */
static void
mark_stale(struct live *lv, int64_t t)
{
	int64_t secs;
	size_t k;

	for (k = 0; k < lv->n; k++) {
		secs = stale_seconds(lv, k);
		risk_set_stale(&lv->s.risk, k, secs);
		if (secs > 0 && lv->journaling)
			journal_stale(&lv->journal, t, lv->lo->feed.symbols[k],
			    secs);
		if (secs > 0 && !lv->stale[k])
			log_warn("%s: stale: no update for %lld s; entries "
			    "are refused while it lasts (risk.refuse_on_stale)",
			    lv->lo->feed.symbols[k], (long long)secs);
		else if (secs == 0 && lv->stale[k])
			log_warn("%s: fresh data again", lv->lo->feed.symbols[k]);
		lv->stale[k] = secs > 0;
	}
}

static int
release(struct live *lv, char **cause)
{
	const struct feed_bar *b;
	int64_t t;
	size_t k;

	drop_late(lv);
	while (releasable(lv, &t)) {
		lv->current_recv = 0;
		lv->current_clock = INT64_MIN;
		for (k = 0; k < lv->n; k++) {
			b = pend_front(&lv->pend[k]);
			if (b == NULL || b->bar.time != t)
				continue;
			append(lv, k, &b->bar);
			if (b->recv_ns > lv->current_recv)
				lv->current_recv = b->recv_ns;
			if (b->clock_ns > lv->current_clock)
				lv->current_clock = b->clock_ns;
			pend_pop(&lv->pend[k]);
		}
		lv->live_bars++;
		lv->last_step = t;
		mark_stale(lv, t);
		if (session_advance(&lv->s, cause) < 0)
			return -1;
		send_fills(lv);
		if (lv->lo->once)
			break;
	}
	return 0;
}

/*
 * Start, the loop, the summary.
 */

static int
start_session(struct live *lv, const struct plugin *pl,
    const struct params *params, const struct session_options *opt,
    char **cause)
{
	struct session_options so = *opt;
	size_t k;

	for (k = 0; k < lv->n; k++)
		lv->history[k] = lv->frames[k]->n;
	if (lv->journaling && journal_meta(&lv->journal,
	    lv->lo->feed.symbols, lv->n, lv->history, lv->lo->plugin_path,
	    lv->lo->params, lv->lo->nparams, lv->lo->feed.granularity,
	    cause) < 0)
		return -1;
	so.observe = observe;
	so.observe_arg = lv;
	so.placed = placed;
	so.min_start = lv->history;
	so.state_live = 1;
	if (so.state_path != NULL && lv->journaling &&
	    journal_keep_state(&lv->journal, so.state_path, cause) < 0)
		return -1;
	if (session_init(&lv->s, pl, params, lv->lo->feed.symbols,
	    (const struct frame *const *)lv->frames, lv->n, &so, cause) < 0)
		return -1;
	lv->inited = 1;
	if (session_begin(&lv->s, cause) < 0)
		return -1;
	lv->started = 1;
	log_info("live: session started with %zu history bar(s) of %s",
	    lv->history[0], lv->lo->feed.symbols[0]);
	if (lv->routing) {
		for (k = 0; k < lv->n; k++)
			lv->paper_start[k] = broker_position_size(
			    &lv->s.legs[k].broker);
		route_compare(&lv->route, lv->paper_start);
	}
	return 0;
}

/* Trades of b entered on the UTC day of time t, open or closed since. */
static size_t
trades_on_day(const struct broker *b, int64_t t)
{
	int64_t day = timefmt_day_of(t);
	const struct ptr_vec *v[2] = { &b->open, &b->closed };
	size_t k, j, n = 0;

	for (j = 0; j < 2; j++)
		for (k = 0; k < v[j]->n; k++) {
			const struct trade *tr = v[j]->v[k];

			n += tr->entry_bar < b->data->n &&
			    timefmt_day_of(b->data->index[tr->entry_bar]) == day;
		}
	return n;
}

/* The account, and per symbol its position, P&L and trades; "today" is
 * the UTC day of the last step. */
static void
summary(struct live *lv)
{
	const struct session *s = &lv->s;
	const struct broker *b0 = &s->legs[0].broker;
	size_t k, today = 0;

	if (lv->lo->quiet || !lv->started)
		return;
	for (k = 0; k < s->nlegs; k++)
		today += trades_on_day(&s->legs[k].broker, lv->last_step);
	fprintf(stderr, "-- %llu live bar(s)  equity %.2f  cash %.2f  trades "
	    "today %zu\n", (unsigned long long)lv->live_bars,
	    broker_equity(b0), b0->acct->cash, today);
	for (k = 0; k < s->nlegs; k++) {
		const struct broker *b = &s->legs[k].broker;

		fprintf(stderr, "   %-8s position %g  P&L %.2f  closed trades "
		    "%zu  trades today %zu\n", s->legs[k].symbol,
		    broker_position_size(b), broker_position_pl(b),
		    b->closed.n, trades_on_day(b, lv->last_step));
	}
}

/* A local time of the market's zone (TZ), for the console. */
static const char *
local_time(int64_t t, char *buf, size_t size)
{
	time_t secs = (time_t)(t / 1000000000);
	struct tm tm;

	if (t == INT64_MAX)
		return "further notice (no trading day)";
	localtime_r(&secs, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm);
	return buf;
}

/* Opens and closes the market by the feed clock: the feed sleeps while
 * it is closed.  Says so once per change. */
static void
market_clock(struct live *lv)
{
	int64_t now, until;
	char when[64];
	int open;

	if (!lv->lo->market || (now = feed_now(&lv->feed)) < lv->market_until)
		return;
	open = hours_open_at(&lv->lo->hours, now, &until);
	lv->market_until = until;
	if (open == lv->market_open)
		return;
	lv->market_open = open;
	feed_pause(&lv->feed, !open);
	log_info("live: market %s until %s", open ? "open" : "closed",
	    local_time(until, when, sizeof when));
	if (!lv->lo->quiet)
		fprintf(stderr, open ? "market open until %s\n" :
		    "market closed until %s; sleeping\n",
		    local_time(until, when, sizeof when));
}

static int
should_stop(struct live *lv, int64_t t0)
{
	if (stop_signal != 0) {
		log_info("live: %s: stopping", stop_signal == SIGINT ?
		    "SIGINT" : "SIGTERM");
		return 1;
	}
	if (lv->lo->duration_ns > 0 &&
	    timefmt_mono_ns() - t0 >= lv->lo->duration_ns)
		return 1;
	return lv->lo->once && lv->live_bars > 0;
}

/* The history is complete once the feed says so, and every bar of it is
 * queued by then: take what is left before the session starts, so that
 * none of it is mistaken for a live bar. */
static int
drain_history(struct live *lv, struct feed_bar *buf, char **cause)
{
	long got, k;

	do {
		if ((got = feed_take(&lv->feed, buf, LIVE_TAKE_MAX, 0,
		    cause)) < 0)
			return -1;
		for (k = 0; k < got; k++)
			take_bar(lv, &buf[k]);
	} while (got == LIVE_TAKE_MAX);
	return 0;
}

static int
loop(struct live *lv, const struct plugin *pl, const struct params *params,
    const struct session_options *opt, char **cause)
{
	struct feed_bar *buf = xcalloc(LIVE_TAKE_MAX, sizeof *buf);
	int64_t t0 = timefmt_mono_ns();
	long got, k;
	int rc = 0;

	lv->next_summary = t0 + lv->lo->summary_ns;
	lv->market_open = -1;
	while (rc == 0 && !should_stop(lv, t0)) {
		market_clock(lv);
		got = feed_take(&lv->feed, buf, LIVE_TAKE_MAX, LIVE_WAIT_MS,
		    cause);
		if (got < 0) {
			rc = -1;
			break;
		}
		for (k = 0; k < got; k++)
			take_bar(lv, &buf[k]);
		if (!lv->started && feed_history_done(&lv->feed))
			rc = drain_history(lv, buf, cause) < 0 ? -1 :
			    start_session(lv, pl, params, opt, cause);
		if (rc == 0 && lv->started)
			rc = release(lv, cause);
		if (rc == 0 && lv->routing)
			rc = route_pump(&lv->route, cause);
		if (lv->lo->summary_ns > 0 &&
		    timefmt_mono_ns() >= lv->next_summary) {
			summary(lv);
			lv->next_summary += lv->lo->summary_ns;
		}
	}
	free(buf);
	return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void
print_latency(struct live *lv)
{
	size_t n = lv->nlat;

	if (lv->lo->quiet)
		return;
	fprintf(stderr, "-- %llu stream message(s)", (unsigned long long)
	    lv->messages);
	if (lv->msg_seconds > 0)
		fprintf(stderr, " in %.3f s: %.0f messages/s", lv->msg_seconds,
		    lv->messages / lv->msg_seconds);
	fprintf(stderr, "; %llu live bar(s)\n", (unsigned long long)
	    lv->live_bars);
	if (n == 0)
		return;
	qsort(lv->lat, n, sizeof *lv->lat, cmp_i64);
	fprintf(stderr, "-- %zu decision(s): bar receipt to order p50 %.1f "
	    "us  p99 %.1f us  max %.1f us\n", n, lv->lat[n / 2] / 1e3,
	    lv->lat[(size_t)((double)(n - 1) * 0.99)] / 1e3,
	    lv->lat[n - 1] / 1e3);
}

static void
live_free(struct live *lv)
{
	size_t k;

	if (lv->inited)
		session_free(&lv->s);
	for (k = 0; k < lv->n; k++) {
		frame_free(lv->frames[k]);
		free(lv->pend[k].v);
	}
	free(lv->frames);
	free(lv->pend);
	free(lv->history);
	free(lv->stale);
	free(lv->lat);
	free(lv->fill_units);
	free(lv->paper_start);
	free(lv->broker_journal);
	if (lv->routing)
		route_stop(&lv->route);
	if (lv->journaling)
		journal_close(&lv->journal);
}

static void
wake_engine(void *arg)
{
	feed_wake(arg);
}

static int
start_route(struct live *lv, char **cause)
{
	struct route_options ro = *lv->lo->route;

	if (lv->journaling)
		ro.journal_path = lv->broker_journal = xasprintf(
		    "%s/broker.csv", lv->lo->journal_dir);
	ro.quiet = lv->lo->quiet;
	ro.wake = wake_engine;
	ro.wake_arg = &lv->feed;
	/* One WebSocket loop and one HTTP client for the whole session;
	 * a polling feed has no loop, and the broker then starts one. */
	ro.ws = lv->feed.ws;
	ro.http = lv->feed.http;
	/* route_stop undoes a partial start too. */
	lv->routing = 1;
	lv->fill_units = xcalloc(lv->n, sizeof *lv->fill_units);
	lv->paper_start = xcalloc(lv->n, sizeof *lv->paper_start);
	return route_start(&lv->route, &ro, cause);
}

/* The broker's last answers, then its positions beside the paper ones.
 * Returns -1 with *cause when the broker failed. */
static int
finish_route(struct live *lv, char **cause)
{
	double *paper = xcalloc(lv->n, sizeof *paper);
	size_t k;
	int rc;

	rc = route_drain(&lv->route, LIVE_DRAIN_NS, cause);
	for (k = 0; k < lv->n; k++)
		paper[k] = broker_position_size(&lv->s.legs[k].broker);
	if (!lv->lo->quiet)
		route_report(&lv->route, paper, lv->paper_start, stderr);
	free(paper);
	return rc;
}

int
live_run(const struct plugin *pl, const struct params *params,
    const struct session_options *opt, const struct live_options *lo,
    live_report_fn report, void *report_arg, char **cause)
{
	struct live lv;
	char *drain_cause = NULL;
	size_t k;
	int rc = -1, broker_rc;

	memset(&lv, 0, sizeof lv);
	lv.lo = lo;
	lv.n = lo->feed.nsymbols;
	lv.frames = xcalloc(lv.n, sizeof *lv.frames);
	lv.pend = xcalloc(lv.n, sizeof *lv.pend);
	lv.history = xcalloc(lv.n, sizeof *lv.history);
	lv.stale = xcalloc(lv.n, sizeof *lv.stale);
	for (k = 0; k < lv.n; k++)
		lv.frames[k] = frame_new(0, FRAME_INDEX_DATETIME,
		    lo->feed.symbols[k]);
	install_signals();
	/* A feed that cannot start leaves no empty journal behind. */
	if (feed_start(&lv.feed, &lo->feed, cause) < 0) {
		feed_stop(&lv.feed);
		goto out;
	}
	if (lo->journal_dir != NULL) {
		if (journal_open(&lv.journal, lo->journal_dir,
		    lo->feed.symbols, lv.n, cause) < 0) {
			feed_stop(&lv.feed);
			goto out;
		}
		lv.journaling = 1;
	}
	if (lo->route != NULL && start_route(&lv, cause) < 0) {
		feed_stop(&lv.feed);
		goto out;
	}
	rc = loop(&lv, pl, params, opt, cause);
	feed_throughput(&lv.feed, &lv.messages, &lv.msg_seconds);
	if (!lv.started) {
		feed_stop(&lv.feed);
		if (rc == 0)
			*cause = xstrdup("live: stopped before the history "
			    "arrived; nothing was traded");
		rc = -1;
		goto out;
	}
	rc = session_end(&lv.s, rc, stop_signal ? "signal" : "stopped", cause);
	if (lo->summary_ns > 0 && lv.live_bars > 0)
		summary(&lv);		/* the last word on the account */
	if (rc == 0 && opt->state_path != NULL) {
		rc = state_save(&lv.s, cause);
		if (rc == 0)
			state_log(&lv.s, "saved to", opt->state_path);
	}
	print_latency(&lv);
	broker_rc = lv.routing ? finish_route(&lv, &drain_cause) : 0;
	/* The broker uses the feed's transport: it stops after the drain,
	 * and before the broker's own state goes (live_free). */
	feed_stop(&lv.feed);
	if (rc == 0 && report != NULL)
		rc = report(report_arg, &lv.s, cause);
	/* The statistics first: the paper session itself was fine. */
	if (rc == 0 && broker_rc < 0) {
		*cause = drain_cause;
		drain_cause = NULL;
		rc = -1;
	}
	free(drain_cause);
out:
	live_free(&lv);
	return rc;
}
