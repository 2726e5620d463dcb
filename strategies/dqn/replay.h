/*
 * Experience replay: a ring of (state, action, reward, next state, done)
 * transitions.  Once full, each push overwrites the oldest.  Sampling is
 * uniform with replacement over what is stored.
 */
#ifndef DQN_REPLAY_H
#define DQN_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "rng.h"

#define DQN_REPLAY_MAX (1u << 24)	/* transitions */

struct dqn_replay {
	size_t	 capacity;
	int	 nfeatures;
	size_t	 head;		/* slot the next push writes */
	size_t	 size;		/* transitions stored, <= capacity */
	float	*state;		/* capacity x nfeatures */
	float	*next;		/* capacity x nfeatures */
	float	*reward;
	uint8_t	*action;
	uint8_t	*done;
};

/* An empty buffer of capacity (1..2^24) transitions of nfeatures
 * (1..4096) floats.  Returns 0, or -1 with *cause set. */
int	dqn_replay_init(struct dqn_replay *b, size_t capacity, int nfeatures,
	    char **cause) DQN_WUR;
void	dqn_replay_free(struct dqn_replay *b);
/* Copies one transition in; done is stored as 0 or 1. */
void	dqn_replay_push(struct dqn_replay *b, const float *state,
	    uint8_t action, float reward, const float *next, int done);
size_t	dqn_replay_size(const struct dqn_replay *b);
/* Draws n transitions (n > 0, the buffer not empty) into the caller's
 * arrays: state and next n x nfeatures, the others n long.  Returns 0, or
 * -1 without touching the arrays when the buffer is empty. */
int	dqn_replay_sample(const struct dqn_replay *b, struct dqn_rng *rng,
	    size_t n, float *state, uint8_t *action, float *reward,
	    float *next, uint8_t *done) DQN_WUR;

#endif
