/* The DQN agent; see agent.h. */
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "loss.h"

void
dqn_hparams_default(struct dqn_hparams *hp)
{
	static const int sizes[] = { 16, 64, 64, 3 };

	memset(hp, 0, sizeof *hp);
	memcpy(hp->sizes, sizes, sizeof sizes);
	hp->nsizes = 4;
	hp->gamma = 0.99f;
	hp->lr = 1e-3f;
	hp->clip_norm = 10;
	hp->huber_delta = 1;
	hp->batch = 32;
	hp->replay_capacity = 100000;
	hp->train_every = 1;
	hp->learn_start = 0;
	hp->target_sync = 500;
	hp->eps_start = 1;
	hp->eps_end = 0.05f;
	hp->eps_decay = 50000;
}

/* The network sizes are checked by dqn_mlp_init(). */
static int
check_hparams(const struct dqn_hparams *hp, char **cause)
{
	const char *bad = NULL;

	if (!(hp->gamma >= 0 && hp->gamma <= 1))
		bad = "gamma must be in [0, 1]";
	else if (!(hp->lr > 0))
		bad = "lr must be > 0";
	else if (!(hp->clip_norm >= 0))
		bad = "clip_norm must be >= 0";
	else if (!(hp->huber_delta > 0))
		bad = "huber_delta must be > 0";
	else if (hp->batch < 1 || hp->batch > DQN_MLP_MAX_BATCH)
		bad = "batch must be 1 to 4096";
	else if (hp->replay_capacity < hp->batch ||
	    hp->replay_capacity < hp->learn_start)
		bad = "replay_capacity must be >= batch and >= learn_start";
	else if (hp->train_every < 1)
		bad = "train_every must be >= 1";
	else if (hp->target_sync < 1)
		bad = "target_sync must be >= 1";
	else if (!(hp->eps_start >= 0 && hp->eps_start <= 1) ||
	    !(hp->eps_end >= 0 && hp->eps_end <= 1))
		bad = "eps_start and eps_end must be in [0, 1]";
	else if (hp->nsizes >= 2 && hp->nsizes <= DQN_MLP_MAX_LAYERS + 1 &&
	    hp->sizes[hp->nsizes - 1] > DQN_MAX_ACTIONS)
		bad = "at most 256 actions";
	if (bad != NULL)
		return dqn_fail(cause, "agent: %s", bad);
	return 0;
}

static int
alloc_batch(struct dqn_agent *ag, char **cause)
{
	size_t n = ag->hp.batch, nf = (size_t)ag->hp.sizes[0];
	size_t na = (size_t)ag->hp.sizes[ag->hp.nsizes - 1];

	ag->s = malloc(n * nf * sizeof *ag->s);
	ag->s2 = malloc(n * nf * sizeof *ag->s2);
	ag->r = malloc(n * sizeof *ag->r);
	ag->y = malloc(n * sizeof *ag->y);
	ag->dout = malloc(n * na * sizeof *ag->dout);
	ag->a = malloc(n);
	ag->done = malloc(n);
	if (ag->s == NULL || ag->s2 == NULL || ag->r == NULL ||
	    ag->y == NULL || ag->dout == NULL || ag->a == NULL ||
	    ag->done == NULL)
		return dqn_fail(cause, "agent: out of memory");
	return 0;
}

int
dqn_agent_init(struct dqn_agent *ag, const struct dqn_hparams *hp,
    uint64_t seed, char **cause)
{
	struct dqn_rng init_rng;

	memset(ag, 0, sizeof *ag);
	if (check_hparams(hp, cause) < 0)
		return -1;
	ag->hp = *hp;
	/* Three streams from one seed: weights, acting, sampling. */
	dqn_rng_seed(&init_rng, seed);
	dqn_rng_seed(&ag->act_rng, dqn_rng_u64(&init_rng));
	dqn_rng_seed(&ag->sample_rng, dqn_rng_u64(&init_rng));
	if (dqn_mlp_init(&ag->online, hp->sizes, hp->nsizes, hp->batch,
	    &init_rng, cause) < 0 ||
	    dqn_mlp_init(&ag->target, hp->sizes, hp->nsizes, hp->batch,
	    &init_rng, cause) < 0 ||
	    dqn_adam_init(&ag->adam, ag->online.nparams, hp->lr,
	    hp->clip_norm, cause) < 0 ||
	    dqn_replay_init(&ag->replay, hp->replay_capacity, hp->sizes[0],
	    cause) < 0 ||
	    alloc_batch(ag, cause) < 0) {
		dqn_agent_free(ag);
		return -1;
	}
	dqn_mlp_copy(&ag->target, &ag->online);
	return 0;
}

void
dqn_agent_free(struct dqn_agent *ag)
{
	dqn_mlp_free(&ag->online);
	dqn_mlp_free(&ag->target);
	dqn_adam_free(&ag->adam);
	dqn_replay_free(&ag->replay);
	free(ag->s);
	free(ag->s2);
	free(ag->r);
	free(ag->y);
	free(ag->dout);
	free(ag->a);
	free(ag->done);
	memset(ag, 0, sizeof *ag);
}

float
dqn_agent_epsilon(const struct dqn_agent *ag)
{
	const struct dqn_hparams *hp = &ag->hp;
	double frac;

	if (ag->steps >= hp->eps_decay)
		return hp->eps_end;
	frac = (double)ag->steps / hp->eps_decay;
	return (float)(hp->eps_start + (hp->eps_end - hp->eps_start) * frac);
}

void
dqn_agent_q(struct dqn_agent *ag, const float *state, float *q)
{
	const float *out = dqn_mlp_forward(&ag->online, state, 1);

	memcpy(q, out, (size_t)ag->hp.sizes[ag->hp.nsizes - 1] * sizeof *q);
}

int
dqn_agent_act(struct dqn_agent *ag, const float *state, int explore)
{
	const int na = ag->hp.sizes[ag->hp.nsizes - 1];

	if (explore && dqn_rng_uniform(&ag->act_rng) < dqn_agent_epsilon(ag))
		return (int)dqn_rng_below(&ag->act_rng, (uint32_t)na);
	return dqn_argmax(dqn_mlp_forward(&ag->online, state, 1), na);
}

/* y = r + gamma (1 - done) max_a' Q_target(s', a') for the batch. */
static void
targets(struct dqn_agent *ag)
{
	const size_t n = ag->hp.batch;
	const int na = ag->hp.sizes[ag->hp.nsizes - 1];
	const float *q2 = dqn_mlp_forward(&ag->target, ag->s2, n);
	size_t i;
	float best;

	for (i = 0; i < n; i++) {
		best = q2[i * (size_t)na + dqn_argmax(q2 + i * (size_t)na, na)];
		ag->y[i] = ag->r[i];
		if (!ag->done[i])
			ag->y[i] += ag->hp.gamma * best;
	}
}

int
dqn_agent_update(struct dqn_agent *ag)
{
	const size_t n = ag->hp.batch;
	const int na = ag->hp.sizes[ag->hp.nsizes - 1];
	const float *q;

	if (dqn_replay_sample(&ag->replay, &ag->sample_rng, n, ag->s, ag->a,
	    ag->r, ag->s2, ag->done) < 0)
		return -1;
	targets(ag);
	q = dqn_mlp_forward(&ag->online, ag->s, n);
	ag->last_loss = dqn_huber(q, ag->a, ag->y, n, na, ag->hp.huber_delta,
	    ag->dout);
	dqn_mlp_zero_grad(&ag->online);
	dqn_mlp_backward(&ag->online, ag->dout, n);
	dqn_adam_step(&ag->adam, ag->online.params, ag->online.grads);
	ag->updates++;
	if (ag->updates % ag->hp.target_sync == 0)
		dqn_mlp_copy(&ag->target, &ag->online);
	return 0;
}

int
dqn_agent_observe(struct dqn_agent *ag, const float *state, int action,
    float reward, const float *next, int done)
{
	size_t need = ag->hp.batch > ag->hp.learn_start ? ag->hp.batch :
	    ag->hp.learn_start;

	if (action < 0 || action >= ag->hp.sizes[ag->hp.nsizes - 1])
		return -1;
	dqn_replay_push(&ag->replay, state, (uint8_t)action, reward, next,
	    done);
	ag->steps++;
	if (ag->steps % ag->hp.train_every != 0 ||
	    dqn_replay_size(&ag->replay) < need)
		return 0;
	return dqn_agent_update(ag) == 0;
}
