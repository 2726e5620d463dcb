/*
 * The DQN agent (Mnih et al., 2015): an online and a target network,
 * Adam, experience replay and epsilon-greedy exploration.  Everything
 * random comes from three generators seeded from one seed (initial
 * weights, acting, replay sampling), so greedy act() calls in between
 * change nothing.  Training uses only IEEE +, -, *, / and sqrt in a fixed
 * order (no libm transcendentals, no FMA), so the same seed and the same
 * calls give bit-identical weights; checked across GCC and Clang, -O0 to
 * -O3 and the SSE2, AVX2 and AVX-512 kernels on x86-64.
 *
 * Not thread-safe; one agent per strategy instance.
 */
#ifndef DQN_AGENT_H
#define DQN_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "cause.h"
#include "mlp.h"
#include "replay.h"
#include "rng.h"

#define DQN_MAX_ACTIONS 256	/* actions are stored as uint8_t */

struct dqn_hparams {
	int	 sizes[DQN_MLP_MAX_LAYERS + 1]; /* inputs ... actions */
	int	 nsizes;
	float	 gamma;		/* discount, [0, 1] */
	float	 lr;		/* Adam learning rate */
	float	 clip_norm;	/* gradient norm clip, 0 = none */
	float	 huber_delta;
	uint32_t batch;		/* transitions per update */
	uint32_t replay_capacity;
	uint32_t train_every;	/* observe() calls per update */
	uint32_t learn_start;	/* stored transitions before updates begin */
	uint32_t target_sync;	/* updates between target copies */
	float	 eps_start;
	float	 eps_end;
	uint32_t eps_decay;	/* observe() calls from start to end */
};

struct dqn_agent {
	struct dqn_hparams hp;
	struct dqn_mlp	 online;
	struct dqn_mlp	 target;
	struct dqn_adam	 adam;
	struct dqn_replay replay;
	struct dqn_rng	 act_rng;
	struct dqn_rng	 sample_rng;
	uint64_t	 steps;		/* observe() calls */
	uint64_t	 updates;	/* gradient steps */
	float		 last_loss;	/* Huber loss of the last update */

	/* One sampled batch and the update's scratch. */
	float		*s;
	float		*s2;
	float		*r;
	float		*y;
	float		*dout;
	uint8_t		*a;
	uint8_t		*done;
};

/* The defaults: 16-64-64-3, gamma 0.99, lr 1e-3, clip 10, delta 1, batch
 * 32, replay 100000, an update every observe() once a batch is stored
 * (learn_start 0), target sync every 500 updates, epsilon 1 to 0.05 over
 * 50000 steps. */
void	dqn_hparams_default(struct dqn_hparams *hp);

/* Validates hp, then builds the networks (target = online), optimiser and
 * replay.  Returns 0, or -1 with *cause naming the bad field; nothing to
 * free on failure. */
int	dqn_agent_init(struct dqn_agent *ag, const struct dqn_hparams *hp,
	    uint64_t seed, char **cause) DQN_WUR;
void	dqn_agent_free(struct dqn_agent *ag);

/* The exploration rate for the current step: linear from eps_start to
 * eps_end over the first eps_decay observe() calls, eps_end after. */
float	dqn_agent_epsilon(const struct dqn_agent *ag);
/* With explore, a uniformly random action with probability epsilon and
 * the greedy one otherwise; without, always greedy (argmax of the online
 * network's Q values, the lowest index on ties). */
int	dqn_agent_act(struct dqn_agent *ag, const float *state, int explore);
/* Greedy Q values of state into q (nactions long). */
void	dqn_agent_q(struct dqn_agent *ag, const float *state, float *q);
/* Stores one transition and, every train_every calls once the replay
 * holds at least max(batch, learn_start) transitions, does one update.
 * Returns 1 when it updated, 0 otherwise, and -1 without storing anything
 * when action is not below the number of actions. */
int	dqn_agent_observe(struct dqn_agent *ag, const float *state,
	    int action, float reward, const float *next, int done);
/* One gradient step on a sampled batch, whatever the counters say:
 * y = r + gamma (1 - done) max_a' Q_target(s', a'), Huber loss on
 * Q_online(s, a), Adam, and a target copy every target_sync updates.
 * Returns -1 when the replay is empty. */
int	dqn_agent_update(struct dqn_agent *ag);

#endif
