/* The experience replay ring; see replay.h. */
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int
dqn_replay_init(struct dqn_replay *b, size_t capacity, int nfeatures,
    char **cause)
{
	size_t nf = (size_t)nfeatures;

	memset(b, 0, sizeof *b);
	if (capacity < 1 || capacity > DQN_REPLAY_MAX)
		return dqn_fail(cause, "replay: capacity %zu, need 1 to %u",
		    capacity, DQN_REPLAY_MAX);
	if (nfeatures < 1 || nfeatures > 4096)
		return dqn_fail(cause, "replay: %d features, need 1 to 4096",
		    nfeatures);
	b->state = malloc(capacity * nf * sizeof *b->state);
	b->next = malloc(capacity * nf * sizeof *b->next);
	b->reward = malloc(capacity * sizeof *b->reward);
	b->action = malloc(capacity);
	b->done = malloc(capacity);
	if (b->state == NULL || b->next == NULL || b->reward == NULL ||
	    b->action == NULL || b->done == NULL) {
		dqn_replay_free(b);
		return dqn_fail(cause, "replay: out of memory for %zu "
		    "transitions", capacity);
	}
	b->capacity = capacity;
	b->nfeatures = nfeatures;
	return 0;
}

void
dqn_replay_free(struct dqn_replay *b)
{
	free(b->state);
	free(b->next);
	free(b->reward);
	free(b->action);
	free(b->done);
	memset(b, 0, sizeof *b);
}

void
dqn_replay_push(struct dqn_replay *b, const float *state, uint8_t action,
    float reward, const float *next, int done)
{
	size_t nf = (size_t)b->nfeatures, i = b->head;

	memcpy(b->state + i * nf, state, nf * sizeof *state);
	memcpy(b->next + i * nf, next, nf * sizeof *next);
	b->action[i] = action;
	b->reward[i] = reward;
	b->done[i] = done != 0;
	b->head = (i + 1) % b->capacity;
	if (b->size < b->capacity)
		b->size++;
}

size_t
dqn_replay_size(const struct dqn_replay *b)
{
	return b->size;
}

/* Until the ring first wraps, slots 0..size-1 are the filled ones; after,
 * all are, so a slot drawn below size is always a stored transition. */
int
dqn_replay_sample(const struct dqn_replay *b, struct dqn_rng *rng, size_t n,
    float *state, uint8_t *action, float *reward, float *next, uint8_t *done)
{
	size_t nf = (size_t)b->nfeatures, i, k;

	if (b->size == 0)
		return -1;
	for (i = 0; i < n; i++) {
		k = dqn_rng_below(rng, (uint32_t)b->size);
		memcpy(state + i * nf, b->state + k * nf, nf * sizeof *state);
		memcpy(next + i * nf, b->next + k * nf, nf * sizeof *next);
		action[i] = b->action[k];
		reward[i] = b->reward[k];
		done[i] = b->done[k];
	}
	return 0;
}
