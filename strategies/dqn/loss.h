/* The Huber loss of a DQN update. */
#ifndef DQN_LOSS_H
#define DQN_LOSS_H

#include <stddef.h>
#include <stdint.h>

/*
 * For each row i, err = q[i][action[i]] - target[i] and
 * L = err^2 / 2 when |err| <= delta, else delta (|err| - delta / 2).
 * Returns the mean of L over the batch and writes to dout (batch x
 * nactions) its derivative with respect to q: clamp(err, -delta, delta) /
 * batch at the taken action, 0 elsewhere.  action[i] must be below
 * nactions; delta must be > 0.
 */
float	dqn_huber(const float *q, const uint8_t *action, const float *target,
	    size_t batch, int nactions, float delta, float *dout);

#endif
