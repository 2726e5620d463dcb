/* Saving model files; the format is described in model.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v & 0xff);
	p[1] = (uint8_t)((v >> 8) & 0xff);
	p[2] = (uint8_t)((v >> 16) & 0xff);
	p[3] = (uint8_t)(v >> 24);
}

/* The serialised model, malloc'd; *len gets its size. */
static uint8_t *
encode(const struct dqn_mlp *m, uint32_t feature_version, size_t *len)
{
	const uint32_t n = (uint32_t)m->nlayers + 1;
	size_t at = 20 + 4 * (size_t)n, i;
	uint32_t bits;
	uint8_t *buf;

	*len = at + 8 + 4 * m->nparams + 4;
	if ((buf = malloc(*len)) == NULL)
		return NULL;
	memcpy(buf, DQN_MODEL_MAGIC, 8);
	put32(buf + 8, DQN_MODEL_VERSION);
	put32(buf + 12, feature_version);
	put32(buf + 16, n);
	for (i = 0; i < n; i++)
		put32(buf + 20 + 4 * i, (uint32_t)m->sizes[i]);
	put32(buf + at, (uint32_t)m->nparams);
	put32(buf + at + 4, (uint32_t)((uint64_t)m->nparams >> 32));
	at += 8;
	for (i = 0; i < m->nparams; i++, at += 4) {
		memcpy(&bits, &m->params[i], 4);
		put32(buf + at, bits);
	}
	put32(buf + at, dqn_crc32(0, buf, at));
	return buf;
}

static int
write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes buf to a fresh temporary next to path, then renames it over
 * path, so readers see the old file or the new one, never a mix. */
static int
write_atomic(const char *path, const uint8_t *buf, size_t len, char **cause)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + sizeof ".XXXXXX");
	int fd, saved;

	if (tmp == NULL)
		return dqn_fail(cause, "%s: out of memory", path);
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", sizeof ".XXXXXX");
	if ((fd = mkstemp(tmp)) < 0) {
		saved = errno;
		free(tmp);
		return dqn_fail(cause, "%s: cannot create a temporary file: "
		    "%s", path, strerror(saved));
	}
	if (fchmod(fd, 0644) < 0 || write_all(fd, buf, len) < 0 ||
	    fsync(fd) < 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return dqn_fail(cause, "%s: cannot write: %s", path, strerror(saved));
}

int
dqn_model_save(const char *path, const struct dqn_mlp *m,
    uint32_t feature_version, char **cause)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if ((buf = encode(m, feature_version, &len)) == NULL)
		return dqn_fail(cause, "%s: out of memory", path);
	rc = write_atomic(path, buf, len, cause);
	free(buf);
	return rc;
}
