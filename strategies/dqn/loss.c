/* The Huber loss; see loss.h. */
#include <math.h>
#include <string.h>

#include "loss.h"

float
dqn_huber(const float *q, const uint8_t *action, const float *target,
    size_t batch, int nactions, float delta, float *dout)
{
	const size_t na = (size_t)nactions;
	double sum = 0;
	float err, g;
	size_t i;

	if (batch == 0)
		return 0;
	memset(dout, 0, batch * na * sizeof *dout);
	for (i = 0; i < batch; i++) {
		err = q[i * na + action[i]] - target[i];
		if (fabsf(err) <= delta) {
			sum += 0.5 * (double)err * err;
			g = err;
		} else {
			sum += delta * (fabs((double)err) - 0.5 * delta);
			g = err > 0 ? delta : -delta;
		}
		dout[i * na + action[i]] = g / (float)batch;
	}
	return (float)(sum / (double)batch);
}
