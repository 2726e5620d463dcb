#include "reload.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "engine.h"
#include "log.h"
#include "session.h"
#include "xmalloc.h"

/* Set by the SIGHUP handler and reload_request(), cleared by
 * reload_apply(); read by the loop thread at each bar boundary. */
static volatile sig_atomic_t pending;

static void
on_sighup(int sig)
{
	(void)sig;
	pending = 1;
}

void
reload_install_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sighup;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGHUP, &sa, NULL) < 0)
		log_warn("reload: cannot install the SIGHUP handler");
}

int
reload_pending(void)
{
	return pending != 0;
}

void
reload_request(void)
{
	pending = 1;
}

void
reload_init(struct reload *r, struct plugin *plugin, struct params *params,
    const struct risk_config *risk, const struct reload_source *src,
    const size_t *at, size_t nat)
{
	memset(r, 0, sizeof *r);
	r->plugin = *plugin;
	r->params = *params;
	memset(plugin, 0, sizeof *plugin);
	memset(params, 0, sizeof *params);
	if (risk != NULL)
		r->risk = *risk;
	r->src = *src;
	r->at = at;
	r->nat = nat;
}

void
reload_free(struct reload *r)
{
	params_free(&r->params);
	plugin_unload(&r->plugin);
	memset(r, 0, sizeof *r);
}

/* The timeline position of the step about to run: for one symbol its
 * bar index, for several the number of steps done. */
static size_t
position(const struct session *s)
{
	return s->nlegs == 1 ? s->legs[0].pos : s->step;
}

int
reload_due(const struct reload *r, const struct session *s)
{
	return pending != 0 ||
	    (r->next < r->nat && r->at[r->next] <= position(s));
}

/*
 * What may not change: the data, the account and the run's files.
 */

static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_symbols(const struct settings *a, const struct settings *b)
{
	size_t k;

	if (a->nsymbols != b->nsymbols)
		return 0;
	for (k = 0; k < a->nsymbols; k++)
		if (strcmp(a->symbols[k], b->symbols[k]) != 0)
			return 0;
	return 1;
}

static int
same_files(const struct settings *a, const struct settings *b)
{
	size_t k;

	if (a->nfiles != b->nfiles || !same_str(a->data_path, b->data_path))
		return 0;
	for (k = 0; k < a->nfiles; k++)
		if (strcmp(a->files[k].symbol, b->files[k].symbol) != 0 ||
		    strcmp(a->files[k].path, b->files[k].path) != 0)
			return 0;
	return 1;
}

/* The first broker term that differs, or NULL. */
static const char *
broker_change(const struct engine_options *a, const struct engine_options *b)
{
	const struct broker_config *x = &a->broker, *y = &b->broker;

	if (x->cash != y->cash)
		return "broker.cash";
	if (x->commission_fixed != y->commission_fixed ||
	    x->commission_rate != y->commission_rate)
		return "broker.commission";
	if (x->spread != y->spread)
		return "broker.spread";
	if (x->margin != y->margin)
		return "broker.margin";
	if (x->trade_on_close != y->trade_on_close)
		return "broker.trade_on_close";
	if (x->hedging != y->hedging)
		return "broker.hedging";
	if (x->exclusive_orders != y->exclusive_orders)
		return "broker.exclusive_orders";
	if (a->finalize_trades != b->finalize_trades)
		return "broker.finalize_trades";
	return NULL;
}

/* Does a live setting differ?  The feed, its settings and the journal
 * belong to the session's transport, which a reload does not restart. */
static int
live_change(const struct live_settings *a, const struct live_settings *b)
{
	size_t k;

	if (!same_str(a->feed, b->feed) || !same_str(a->rest_url, b->rest_url) ||
	    !same_str(a->stream_url, b->stream_url) ||
	    !same_str(a->granularity, b->granularity) ||
	    a->history != b->history || !same_str(a->clock, b->clock) ||
	    a->poll != b->poll || a->grace != b->grace ||
	    a->stale != b->stale || a->stagger != b->stagger ||
	    !same_str(a->market_hours, b->market_hours) ||
	    !same_str(a->market_days, b->market_days) ||
	    !same_str(a->market_tz, b->market_tz) ||
	    a->summary != b->summary ||
	    a->duration != b->duration || a->once != b->once ||
	    !same_str(a->journal, b->journal) ||
	    a->no_journal != b->no_journal || a->nconn != b->nconn)
		return 1;
	for (k = 0; k < a->nconn; k++)
		if (strcmp(a->conn[k], b->conn[k]) != 0)
			return 1;
	return 0;
}

/* Does the real broker's setting differ?  Its transport is not
 * restarted either. */
static int
route_change(const struct live_settings *a, const struct live_settings *b)
{
	size_t k;

	if (!same_str(a->broker, b->broker) ||
	    !same_str(a->broker_rest_url, b->broker_rest_url) ||
	    !same_str(a->broker_stream_url, b->broker_stream_url) ||
	    a->limit_timeout != b->limit_timeout ||
	    a->order_poll != b->order_poll ||
	    a->nbroker_conn != b->nbroker_conn)
		return 1;
	for (k = 0; k < a->nbroker_conn; k++)
		if (strcmp(a->broker_conn[k], b->broker_conn[k]) != 0)
			return 1;
	return 0;
}

/* The first file setting that differs, or NULL. */
static const char *
file_change(const struct settings *a, const struct settings *b)
{
	if (!same_str(a->state_path, b->state_path) ||
	    a->state_fsync != b->state_fsync)
		return "state";
	if (!same_str(a->audit_path, b->audit_path))
		return "logging.audit";
	if (!same_str(a->log_file, b->log_file) ||
	    a->log_stderr != b->log_stderr)
		return "logging.file or logging.stderr";
	if (a->json != b->json || !same_str(a->trades_path, b->trades_path) ||
	    !same_str(a->equity_path, b->equity_path))
		return "report";
	if (live_change(&a->live, &b->live) ||
	    route_change(&a->live, &b->live))
		return "live";
	if (a->train_episodes != b->train_episodes ||
	    a->train_validation != b->train_validation ||
	    !same_str(a->train_select, b->train_select) ||
	    !same_str(a->model_path, b->model_path))
		return "train";
	return NULL;
}

static int
check_fixed(const struct settings *a, const struct settings *b, char **why)
{
	const char *key = NULL;

	if (!same_symbols(a, b))
		key = "strategy.symbols";
	else if (!same_files(a, b))
		key = "data";
	else if ((key = broker_change(&a->engine, &b->engine)) == NULL)
		key = file_change(a, b);
	if (key == NULL)
		return 0;
	*why = xasprintf("%s changed: only the plugin, strategy.params, risk "
	    "and logging.level can change in a reload; restart the run to "
	    "change %s", key, key);
	return -1;
}

/*
 * Staging the new generation beside the old one.
 */

struct stage {
	struct settings set;
	int have_set;
	struct plugin plugin;
	struct params params;
	int have_params;
	struct instance *in;		/* one per leg */
	size_t ninited;			/* init() called on in[0..ninited) */
};

/* Undoes a stage that will not be committed. */
static void
stage_free(struct stage *st, struct session *s)
{
	size_t k;

	for (k = 0; st->in != NULL && k < s->nlegs; k++) {
		struct instance *in = &st->in[k];

		in->phase = API_DONE;
		if (k < st->ninited && in->desc->fini != NULL)
			in->desc->fini(&in->pub, in->state);
		api_instance_free(in);
	}
	free(st->in);
	if (st->have_params)
		params_free(&st->params);
	plugin_unload(&st->plugin);
	if (st->have_set)
		settings_free(&st->set);
}

static int
load_params(struct stage *st, char **why)
{
	char *cause = NULL;
	size_t k;

	params_init(&st->params, st->plugin.desc);
	st->have_params = 1;
	for (k = 0; k < st->set.nparams; k++)
		if (params_assign(&st->params, st->set.params[k], &cause) < 0) {
			*why = xasprintf("strategy.params: %s", cause);
			free(cause);
			return -1;
		}
	return 0;
}

static int
check_plugin(const struct reload *r, const struct session *s,
    const struct plugin *p, char **why)
{
	const struct th_plugin *d = p->desc;

	if (strcmp(p->name, r->plugin.name) != 0) {
		*why = xasprintf("%s: the new build is strategy %s, not %s: a "
		    "renamed strategy is another strategy; restart the run to "
		    "switch", p->path, p->name, r->plugin.name);
		return -1;
	}
	if (s->opt.state_path != NULL && TH_PLUGIN_HAS(d, flags) &&
	    (d->flags & TH_PLUGIN_STATE_POINTERS)) {
		*why = xasprintf("%s: the new build keeps pointers in its "
		    "state block, so the run's state file could not be saved",
		    p->path);
		return -1;
	}
	return 0;
}

/* Why the leg's new instance failed in init(). */
static char *
init_failure(const struct session_leg *l, const struct instance *in,
    enum th_status st)
{
	const char *sym = l->symbol;

	if (in->error != NULL)
		return xasprintf("%s: init: %s", sym, in->error);
	return xasprintf("%s: init() failed with status %d", sym, (int)st);
}

/* A new instance for leg k against its data and broker, through init(). */
static int
stage_leg(struct stage *st, struct session *s, size_t k, char **why)
{
	struct session_leg *l = &s->legs[k];
	struct instance *in = &st->in[k];
	enum th_status rc;
	size_t warmup;

	api_instance_init(in, st->plugin.desc, st->plugin.name, l->data,
	    &l->broker, &st->params);
	in->symbol = l->in.symbol;
	in->risk = l->in.risk;
	in->run = l->in.run;
	in->hooks = l->in.hooks;
	in->hook_arg = l->in.hook_arg;
	rc = in->desc->init(&in->pub, in->state);
	st->ninited = k + 1;
	if (rc != TH_OK || in->error != NULL) {
		*why = init_failure(l, in, rc);
		return -1;
	}
	/* next() only ever sees warm indicators: once a leg runs, the new
	 * ones must be warm at the bar it is at (fills cannot pause). */
	warmup = engine_warmup(in);
	if (l->pos >= l->start && warmup >= l->pos && l->pos < l->data->n) {
		*why = xasprintf("%s: the new build's indicators need %zu bars "
		    "of warm-up and the run is at bar %zu; reload later",
		    l->symbol, warmup + 1, l->pos);
		return -1;
	}
	return 0;
}

static int
stage(struct reload *r, struct session *s, struct stage *st, char **why)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++)
		if (s->legs[k].in.state_borrowed) {
			*why = xstrdup("a training run does not reload");
			return -1;
		}
	if (r->src.reread(r->src.arg, &st->set, why) < 0)
		return -1;
	st->have_set = 1;
	if (check_fixed(r->src.start, &st->set, why) < 0 ||
	    plugin_load_generation(st->set.plugin, r->gen + 1, &st->plugin,
	    why) < 0 || check_plugin(r, s, &st->plugin, why) < 0 ||
	    load_params(st, why) < 0)
		return -1;
	st->in = xcalloc(s->nlegs, sizeof *st->in);
	for (k = 0; k < s->nlegs; k++)
		if (stage_leg(st, s, k, why) < 0)
			return -1;
	return 0;
}

/*
 * Committing: the swap.
 */

static int
has_pointers(const struct th_plugin *d)
{
	return TH_PLUGIN_HAS(d, flags) &&
	    (d->flags & TH_PLUGIN_STATE_POINTERS) != 0;
}

/* Does the old state block carry over into the new generation?  Not when
 * it holds pointers: the old fini() frees what they point to. */
static int
carries(const struct th_plugin *old, const struct th_plugin *new)
{
	return old->state_version == new->state_version &&
	    old->state_size == new->state_size && !has_pointers(old) &&
	    !has_pointers(new);
}

/* Positions, orders and cash as a debug line shows them around a swap
 * (they must read the same before and after). */
static void
log_account(const struct session *s, const char *when)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++) {
		const struct broker *b = &s->legs[k].broker;

		log_debug("reload: %s the swap: %s: position %.17g units, %zu "
		    "orders, %zu open trades, %zu closed trades, cash %.17g",
		    when, s->legs[k].symbol, broker_position_size(b),
		    b->queue.n, b->open.n, b->closed.n, b->acct->cash);
	}
}

static void
audit_reload(const struct session *s, const char *reason)
{
	struct audit_row row = { .time = s->now, .kind = "reload",
	    .size = NAN, .price = NAN, .reason = reason };

	if (s->opt.audit == NULL)
		return;
	row.equity = broker_equity(&s->legs[0].broker);
	audit_note(s->opt.audit, &row);
}

/* Moves the staged instances into the legs; the old ones are finalized
 * with the old code still loaded. */
static void
swap_instances(struct reload *r, struct session *s, struct stage *st,
    int carry)
{
	size_t k, size = st->plugin.desc->state_size;

	for (k = 0; k < s->nlegs; k++) {
		struct session_leg *l = &s->legs[k];
		int64_t bar = l->in.bar;

		if (carry && size > 0)
			memcpy(st->in[k].state, l->in.state, size);
		l->in.phase = API_DONE;
		if (l->in.desc->fini != NULL)
			l->in.desc->fini(&l->in.pub, l->in.state);
		api_instance_free(&l->in);
		l->in = st->in[k];
		l->in.params = &r->params;
		l->in.phase = API_NEXT;
		l->in.bar = bar;
		/* The warm-up is the new generation's, as a restart from the
		 * state file would compute it; a running leg is past it. */
		l->warmup = engine_warmup(&l->in);
		l->start = l->warmup + 1;
	}
	free(st->in);
	st->in = NULL;
}

static void
commit(struct reload *r, struct session *s, struct stage *st)
{
	struct plugin old = r->plugin;
	char *from = plugin_identity(&r->plugin), *to, *line;
	int carry = carries(r->plugin.desc, st->plugin.desc);
	size_t k;

	log_account(s, "before");
	/* The old fini() may still read its parameters: swap them after. */
	swap_instances(r, s, st, carry);
	params_free(&r->params);
	r->params = st->params;
	st->have_params = 0;
	r->plugin = st->plugin;
	memset(&st->plugin, 0, sizeof st->plugin);
	for (k = 0; k < s->nlegs; k++)
		s->legs[k].in.name = r->plugin.name;
	r->risk = st->set.risk;
	if (s->opt.risk != NULL)
		s->risk.cfg = r->risk;
	log_set_level(st->set.log_level);
	plugin_set_keep(st->set.keep_plugins);
	plugin_unload(&old);
	r->gen++;
	r->done++;
	/* The state file records the settings in force: save after this
	 * step even if no trading state changed (the fingerprint covers
	 * trading state only; flipping a bit cannot equal it). */
	s->fingerprint ^= 1;
	log_account(s, "after");
	to = plugin_identity(&r->plugin);
	line = xasprintf("gen %u->%u: %s -> %s; state %s", r->gen - 1, r->gen,
	    from, to, carry ? "carried over" : "re-initialized");
	log_info("reload: %s", line);
	audit_reload(s, line);
	free(line);
	free(from);
	free(to);
}

static void
refuse(struct reload *r, struct session *s, const struct stage *st,
    const char *why)
{
	char *keep = plugin_identity(&r->plugin), *line, *next;

	next = st->plugin.desc != NULL ? plugin_identity(&st->plugin) :
	    xstrdup(st->have_set && st->set.plugin != NULL ? st->set.plugin :
	    "-");
	line = xasprintf("refused: %s; gen %u keeps trading: %s; new: %s",
	    why != NULL ? why : "(no reason given)", r->gen, keep, next);
	r->refused++;
	log_error("reload: %s", line);
	audit_reload(s, line);
	free(line);
	free(next);
	free(keep);
}

int
reload_apply(struct reload *r, struct session *s, char **cause)
{
	struct stage st;
	char *why = NULL;

	clock_gettime(CLOCK_MONOTONIC, &r->seen);
	pending = 0;
	while (r->next < r->nat && r->at[r->next] <= position(s))
		r->next++;
	memset(&st, 0, sizeof st);
	if (stage(r, s, &st, &why) < 0) {
		refuse(r, s, &st, why);
		stage_free(&st, s);
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return -1;
	}
	commit(r, s, &st);
	stage_free(&st, s);
	return 0;
}
