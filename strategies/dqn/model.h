/*
 * DQN model files.
 *
 * A model file holds the parameters of one network.  It is little-endian
 * binary, laid out as follows (n is the number of layer sizes, p the
 * number of parameters; offsets in bytes):
 *
 *	offset		size	field
 *	0		8	magic: the bytes "THDQN" followed by three NULs
 *	8		4	format version, u32, currently 1
 *	12		4	feature-definition version, u32: which inputs the
 *				network was trained on, set by the plugin
 *	16		4	n, u32, the number of layer sizes, 2 to 9
 *	20		4n	the layer sizes, u32 each, 1 to 4096: inputs,
 *				hidden layers, actions
 *	20+4n		8	p, u64, the number of parameters; it must equal
 *				the sum over layers of in * out + out
 *	28+4n		4p	the parameters, IEEE 754 binary32 each: for each
 *				layer in turn, its in x out weights row by row
 *				(the weight from input k to output j at k * out
 *				+ j), then its out biases
 *	28+4n+4p	4	CRC-32 (IEEE 802.3: polynomial 0xEDB88320
 *				reflected, initial value and final XOR
 *				0xFFFFFFFF) of all bytes before it
 *
 * The file is 32 + 4n + 4p bytes long; 21820 for the default 16-64-64-3
 * network.  Hidden layers use ReLU and the output is linear.
 *
 * A file is refused, and the network left as it was, when it cannot be
 * read, its magic is wrong ("not a tradehost DQN model"), its format
 * version is not 1, its header is malformed, it is shorter than its header
 * says ("truncated") or longer ("trailing bytes"), its checksum does not
 * match ("corrupt"), its feature version differs from the caller's, or
 * its layer sizes differ from the caller's.  These checks run in this
 * order, so a damaged file is reported as damaged before any mismatch.
 */
#ifndef DQN_MODEL_H
#define DQN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "mlp.h"

#define DQN_MODEL_MAGIC "THDQN\0\0\0"
#define DQN_MODEL_VERSION 1

/* Writes m's parameters to path atomically: a temporary file in the same
 * directory (mode 0644), fsync, then rename over path.  Returns 0, or -1
 * with *cause naming the file and the reason; path is then untouched.
 * [blocking] */
int	dqn_model_save(const char *path, const struct dqn_mlp *m,
	    uint32_t feature_version, char **cause) DQN_WUR;
/* Reads path into m, which must have been created with the nsizes layer
 * sizes want_sizes.  The whole file is validated before m changes.
 * Returns 0, or -1 with *cause naming the file and the reason.
 * [blocking] */
int	dqn_model_load(const char *path, struct dqn_mlp *m,
	    uint32_t feature_version, const int *want_sizes, int nsizes,
	    char **cause) DQN_WUR;

/* CRC-32 (IEEE) of len bytes, continuing from crc (0 to start). */
uint32_t dqn_crc32(uint32_t crc, const void *buf, size_t len);

#endif
