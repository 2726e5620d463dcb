/* A deep Q-network trading agent, the kind people train in PyTorch for
 * stock trading, in C: an MLP (16 -> 64 -> 64 -> 3, ReLU) maps the
 * features of the last bars to the values of HOLD, BUY and SELL.
 *
 * - tradehost --episodes N --model FILE trains it (TH_RUN_TRAIN: explore
 *   and learn; TH_RUN_VALIDATE: greedy, no learning) and saves the best
 *   validation pass through save_model();
 * - any other run loads a model (--model FILE, else dqn.model next to
 *   this .so) and trades greedily, never exploring.
 *
 * The state block holds a pointer to the agent, so it says
 * TH_PLUGIN_STATE_POINTERS and the host refuses --state for it. */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#include "dqn/agent.h"
#include "dqn/model.h"

/* Bumped whenever features() changes meaning: a model trained on other
 * features is refused. */
#define FEATURE_VERSION 1
#define NFEATURES 16
#define WINDOW 10		/* close differences */
#define STATE_MAGIC 0x44514e31u	/* "DQN1" */

enum action { HOLD = 0, BUY = 1, SELL = 2, NACTIONS = 3 };

/* Defined at the end; default_model() asks the loader where it lives. */
extern TH_EXPORT const struct th_plugin th_plugin_entry;

static const struct th_param_def params[] = {
	{ "seed", TH_PARAM_INT, 1, 0, 4294967295.0, "random seed: same seed, "
	    "same data, same model" },
	{ "hidden", TH_PARAM_INT, 64, 1, 4096, "units in each of the two "
	    "hidden layers" },
	{ "gamma", TH_PARAM_REAL, 0.95, 0, 1, "discount of future rewards" },
	{ "lr", TH_PARAM_REAL, 0.001, 1e-7, 1, "Adam learning rate" },
	{ "batch", TH_PARAM_INT, 32, 1, 4096, "replay minibatch size" },
	{ "replay", TH_PARAM_INT, 10000, 1, 1e7, "replay buffer capacity" },
	{ "target_sync", TH_PARAM_INT, 500, 1, 1e9, "updates between target "
	    "network syncs" },
	{ "train_every", TH_PARAM_INT, 1, 1, 1e6, "bars between updates" },
	{ "eps_start", TH_PARAM_REAL, 1.0, 0, 1, "initial exploration rate" },
	{ "eps_end", TH_PARAM_REAL, 0.05, 0, 1, "final exploration rate" },
	{ "eps_decay", TH_PARAM_INT, 20000, 1, 1e9, "bars over which epsilon "
	    "falls linearly" },
	{ "huber", TH_PARAM_REAL, 1.0, 1e-6, 1e6, "Huber loss delta" },
	{ "hold_penalty", TH_PARAM_REAL, 0, 0, 1e6, "reward taken per bar a "
	    "position is held, in percent of the starting equity" },
	{ "size", TH_PARAM_REAL, 0, 0, 1e9, "order size: 0 = all margin, "
	    "(0, 1) = that fraction, >= 1 = units" },
	{ "allow_short", TH_PARAM_BOOL, 1, 0, 1, "SELL opens a short when "
	    "flat" },
};

struct dqn_state {
	uint32_t magic;		/* STATE_MAGIC once the agent exists */
	int fast, slow, vol;	/* indicator handles */
	struct dqn_agent *agent;
	float prev[NFEATURES];	/* the last bar's features ... */
	int prev_action;	/* ... and action; -1 = none yet */
	int64_t closed_seen;	/* closed trades already rewarded */
	double scale;		/* 100 / starting equity: rewards in % */
	double episode_reward;
};

static double
sigmoid(double x)
{
	return 1 / (1 + exp(-x));
}

/* The 16 inputs at the current bar (tradehost-strategies(7) lists them):
 * 0-9   sigmoid(Close[t-9+k] - Close[t-10+k]), oldest first
 * 10    position: +1 long, -1 short, 0 flat
 * 11    tanh(unrealised P/L in % / 10)
 * 12    tanh(10 (Close / SMA10 - 1))
 * 13    tanh(10 (Close / SMA30 - 1))
 * 14    tanh(10 (SMA10 / SMA30 - 1))
 * 15    tanh(50 STD10 / Close) */
static void
features(th_ctx *ctx, const struct dqn_state *s, float *f)
{
	struct th_series c = th_close(ctx);
	struct th_position p = th_position(ctx);
	double close = th_at(c, 0), fast = th_at(th_values(ctx, s->fast), 0);
	double slow = th_at(th_values(ctx, s->slow), 0);
	double vol = th_at(th_values(ctx, s->vol), 0);
	int k;

	for (k = 0; k < WINDOW; k++)
		f[k] = (float)sigmoid(th_at(c, WINDOW - 1 - k) -
		    th_at(c, WINDOW - k));
	f[10] = (float)(p.size > 0 ? 1 : p.size < 0 ? -1 : 0);
	f[11] = (float)tanh(p.pl_pct / 10);
	f[12] = (float)tanh(10 * (close / fast - 1));
	f[13] = (float)tanh(10 * (close / slow - 1));
	f[14] = (float)tanh(10 * (fast / slow - 1));
	f[15] = (float)tanh(50 * vol / close);
	for (k = 0; k < NFEATURES; k++)
		if (!isfinite(f[k]))
			f[k] = 0;	/* a zero price or a gap: no signal */
}

/* Realised P/L of the trades closed since the last call, in % of the
 * starting equity. */
static double
realised(th_ctx *ctx, struct dqn_state *s)
{
	int64_t n = ctx->api->trade_count(ctx, 1);
	struct th_trade_info t;
	double pl = 0;

	for (; s->closed_seen < n; s->closed_seen++) {
		memset(&t, 0, sizeof t);
		t.struct_size = sizeof t;
		if (ctx->api->trade_get(ctx, 1, s->closed_seen, &t) == TH_OK)
			pl += t.pl;
	}
	return pl * s->scale;
}

static void
hparams(th_ctx *ctx, struct dqn_hparams *hp)
{
	int hidden = (int)th_param(ctx, "hidden");

	dqn_hparams_default(hp);
	hp->sizes[0] = NFEATURES;
	hp->sizes[1] = hidden;
	hp->sizes[2] = hidden;
	hp->sizes[3] = NACTIONS;
	hp->nsizes = 4;
	hp->gamma = (float)th_param(ctx, "gamma");
	hp->lr = (float)th_param(ctx, "lr");
	hp->batch = (uint32_t)th_param(ctx, "batch");
	hp->replay_capacity = (uint32_t)th_param(ctx, "replay");
	hp->target_sync = (uint32_t)th_param(ctx, "target_sync");
	hp->train_every = (uint32_t)th_param(ctx, "train_every");
	hp->eps_start = (float)th_param(ctx, "eps_start");
	hp->eps_end = (float)th_param(ctx, "eps_end");
	hp->eps_decay = (uint32_t)th_param(ctx, "eps_decay");
	hp->huber_delta = (float)th_param(ctx, "huber");
	if (hp->learn_start < hp->batch)
		hp->learn_start = hp->batch;
}

/* dqn.model beside this .so: the shipped default. */
static char *
default_model(void)
{
	Dl_info info;
	const char *slash;
	char *path;

	if (dladdr((const void *)&th_plugin_entry, &info) == 0 ||
	    info.dli_fname == NULL)
		return NULL;
	slash = strrchr(info.dli_fname, '/');
	if (slash == NULL)
		return strdup("dqn.model");
	path = malloc((size_t)(slash - info.dli_fname) + sizeof "/dqn.model");
	if (path != NULL)
		sprintf(path, "%.*s/dqn.model", (int)(slash - info.dli_fname),
		    info.dli_fname);
	return path;
}

/* A new agent; outside training its network comes from the model file. */
static enum th_status
make_agent(th_ctx *ctx, struct dqn_state *s, const struct th_run_info *ri)
{
	struct dqn_hparams hp;
	char *cause = NULL, *path;
	int rc;

	hparams(ctx, &hp);
	s->agent = calloc(1, sizeof *s->agent);
	if (s->agent == NULL)
		return TH_ERR_INVALID;
	if (dqn_agent_init(s->agent, &hp, (uint64_t)th_param(ctx, "seed"),
	    &cause) < 0)
		goto fail;
	s->magic = STATE_MAGIC;
	if (ri->mode == TH_RUN_TRAIN)
		return TH_OK;
	path = ri->model_path != NULL ? strdup(ri->model_path) :
	    default_model();
	rc = path != NULL ? dqn_model_load(path, &s->agent->online,
	    FEATURE_VERSION, hp.sizes, hp.nsizes, &cause) : -1;
	free(path);
	if (rc == 0)
		return TH_OK;
fail:
	ctx->api->log(ctx, TH_LOG_ERROR, "%s", cause != NULL ? cause :
	    "cannot locate the model file; pass --model FILE");
	free(cause);
	if (s->magic == STATE_MAGIC)
		dqn_agent_free(s->agent);
	free(s->agent);
	s->agent = NULL;
	s->magic = 0;
	return TH_ERR_INVALID;
}

static enum th_status
dqn_init(th_ctx *ctx, void *state)
{
	struct dqn_state *s = state;
	struct th_run_info ri = th_run_info(ctx);

	s->fast = th_sma(ctx, NULL, 10);
	s->slow = th_sma(ctx, NULL, 30);
	s->vol = th_indicator(ctx, TH_IND_STD, NULL, 10);
	if (s->fast < 0 || s->slow < 0 || s->vol < 0)
		return TH_ERR_INVALID;
	s->prev_action = -1;
	s->closed_seen = 0;
	s->scale = 0;
	s->episode_reward = 0;
	/* Training keeps the state block, and so the agent, from one
	 * episode to the next. */
	if (s->magic == STATE_MAGIC && s->agent != NULL)
		return TH_OK;
	return make_agent(ctx, s, &ri);
}

static enum th_status
act(th_ctx *ctx, int action)
{
	struct th_position p = th_position(ctx);
	struct th_order_req req;
	int allow_short = th_param(ctx, "allow_short") != 0;

	memset(&req, 0, sizeof req);
	req.size = th_param(ctx, "size");
	if (action == BUY && p.size <= 0) {
		if (p.size < 0)
			th_position_close(ctx, 1.0);
		return th_buy_with(ctx, req);
	}
	if (action == SELL && p.size >= 0) {
		if (p.size > 0)
			return th_position_close(ctx, 1.0);
		if (allow_short)
			return th_sell_with(ctx, req);
	}
	return TH_OK;
}

static enum th_status
dqn_next(th_ctx *ctx, void *state)
{
	struct dqn_state *s = state;
	struct th_run_info ri = th_run_info(ctx);
	float f[NFEATURES];
	double reward;
	int learn = ri.mode == TH_RUN_TRAIN, a, done;
	enum th_status st;

	if (s->scale == 0)
		s->scale = 100 / th_equity(ctx);
	features(ctx, s, f);
	done = ctx->api->bar(ctx) == ctx->api->bar_count(ctx) - 1;
	if (s->prev_action >= 0) {
		reward = realised(ctx, s);
		if (th_position(ctx).size != 0)
			reward -= th_param(ctx, "hold_penalty");
		s->episode_reward += reward;
		if (learn && dqn_agent_observe(s->agent, s->prev,
		    s->prev_action, (float)reward, f, done) < 0)
			return TH_ERR_INVALID;
	}
	a = dqn_agent_act(s->agent, f, learn);
	memcpy(s->prev, f, sizeof f);
	s->prev_action = a;
	st = act(ctx, a);
	return st == TH_ERR_REFUSED ? TH_OK : st;
}

static void
dqn_fini(th_ctx *ctx, void *state)
{
	struct dqn_state *s = state;

	(void)ctx;
	if (s->magic == STATE_MAGIC && s->agent != NULL) {
		dqn_agent_free(s->agent);
		free(s->agent);
	}
	s->agent = NULL;
	s->magic = 0;
}

static enum th_status
dqn_save_model(th_ctx *ctx, void *state, const char *path)
{
	struct dqn_state *s = state;
	char *cause = NULL;

	if (s->magic != STATE_MAGIC || s->agent == NULL)
		return TH_ERR_STATE;
	if (dqn_model_save(path, &s->agent->online, FEATURE_VERSION,
	    &cause) < 0) {
		ctx->api->log(ctx, TH_LOG_ERROR, "%s", cause);
		free(cause);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

static void
dqn_train_status(th_ctx *ctx, void *state, char *buf, size_t size)
{
	const struct dqn_state *s = state;

	(void)ctx;
	if (s->agent == NULL)
		return;
	snprintf(buf, size, "eps %.3f  loss %.5f  reward %+.2f",
	    dqn_agent_epsilon(s->agent), s->agent->last_loss,
	    s->episode_reward);
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "DQN",
	.version = "1",
	.description = "deep Q-network agent: HOLD/BUY/SELL from 16 features",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct dqn_state),
	.state_version = 1,
	.init = dqn_init,
	.next = dqn_next,
	.fini = dqn_fini,
	.save_model = dqn_save_model,
	.train_status = dqn_train_status,
	.flags = TH_PLUGIN_STATE_POINTERS,	/* the agent lives outside it */
};
