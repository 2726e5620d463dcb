/* Loading model files: the whole file is read and every check of model.h
 * passes before the network is touched. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"

/* The largest file a network dqn_mlp_init() accepts could need. */
#define MAX_FILE (32 + 4 * (DQN_MLP_MAX_LAYERS + 1) + 4 * \
    (size_t)DQN_MLP_MAX_LAYERS * DQN_MLP_MAX_WIDTH * (DQN_MLP_MAX_WIDTH + 1))

/* What a structurally sound header says. */
struct header {
	uint32_t feature_version;
	int	 nsizes;
	int	 sizes[DQN_MLP_MAX_LAYERS + 1];
	size_t	 nparams;
	size_t	 params_at;	/* offset of the first parameter */
	size_t	 length;	/* the whole file's, checksum included */
};

static uint32_t
get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* "16-64-64-3" into buf. */
static const char *
sizes_str(char *buf, size_t len, const int *sizes, int n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		used += (size_t)snprintf(buf + used, len - used, "%s%d",
		    i ? "-" : "", sizes[i]);
	}
	return buf;
}

/* The file's bytes, malloc'd, in *buf and *len. */
static int
read_file(const char *path, uint8_t **buf, size_t *len, char **cause)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return dqn_fail(cause, "%s: cannot open: not a regular file",
		    path);
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > MAX_FILE) {
		close(fd);
		return dqn_fail(cause, "%s: not a tradehost DQN model (%jd "
		    "bytes is too large)", path, (intmax_t)st.st_size);
	}
	*len = (size_t)st.st_size;
	if ((*buf = malloc(*len ? *len : 1)) == NULL) {
		close(fd);
		return dqn_fail(cause, "%s: out of memory", path);
	}
	while (got < *len && ((n = read(fd, *buf + got, *len - got)) > 0 ||
	    (n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	close(fd);
	*len = got;	/* a file that shrank reads as truncated */
	return 0;
fail:
	n = errno;
	if (fd >= 0)
		close(fd);
	return dqn_fail(cause, "%s: cannot open: %s", path, strerror((int)n));
}

static int
truncated(const char *path, size_t len, size_t need, char **cause)
{
	return dqn_fail(cause, "%s: truncated (%zu bytes, expected at least "
	    "%zu)", path, len, need);
}

/* Magic, format version and layer sizes. */
static int
parse_front(const char *path, const uint8_t *b, size_t len,
    struct header *h, char **cause)
{
	uint32_t v;
	int i;

	if (memcmp(b, DQN_MODEL_MAGIC, len < 8 ? len : 8) != 0)
		return dqn_fail(cause, "%s: not a tradehost DQN model", path);
	if (len < 20)
		return truncated(path, len, 20, cause);
	if ((v = get32(b + 8)) != DQN_MODEL_VERSION) {
		return dqn_fail(cause, "%s: unsupported format version %u, "
		    "this plugin reads version %d", path, v, DQN_MODEL_VERSION);
	}
	h->feature_version = get32(b + 12);
	v = get32(b + 16);
	if (v < 2 || v > DQN_MLP_MAX_LAYERS + 1) {
		return dqn_fail(cause, "%s: corrupt (%u layer sizes, need 2 "
		    "to %d)", path, v, DQN_MLP_MAX_LAYERS + 1);
	}
	h->nsizes = (int)v;
	if (len < 20 + 4 * v)
		return truncated(path, len, 20 + 4 * v, cause);
	for (i = 0; i < h->nsizes; i++) {
		v = get32(b + 20 + 4 * i);
		if (v < 1 || v > DQN_MLP_MAX_WIDTH) {
			return dqn_fail(cause, "%s: corrupt (layer %d has size "
			    "%u)", path, i, v);
		}
		h->sizes[i] = (int)v;
	}
	return 0;
}

/* The parameter count, then the length it implies. */
static int
parse_count(const char *path, const uint8_t *b, size_t len,
    struct header *h, char **cause)
{
	size_t at = 20 + 4 * (size_t)h->nsizes, want = 0;
	uint64_t p;
	char s[64];
	int i;

	if (len < at + 8)
		return truncated(path, len, at + 8, cause);
	for (i = 0; i + 1 < h->nsizes; i++)
		want += (size_t)h->sizes[i + 1] * (h->sizes[i] + 1);
	p = get32(b + at) | (uint64_t)get32(b + at + 4) << 32;
	if (p != want) {
		return dqn_fail(cause, "%s: corrupt (%ju parameters, layer "
		    "sizes %s need %zu)", path, (uintmax_t)p,
		    sizes_str(s, sizeof s, h->sizes, h->nsizes), want);
	}
	h->nparams = want;
	h->params_at = at + 8;
	h->length = h->params_at + 4 * want + 4;
	if (len < h->length)
		return truncated(path, len, h->length, cause);
	if (len > h->length) {
		return dqn_fail(cause, "%s: trailing bytes after the checksum "
		    "(%zu bytes, expected %zu)", path, len, h->length);
	}
	return 0;
}

static int
check_fit(const char *path, const struct header *h, uint32_t feature_version,
    const int *want, int nwant, char **cause)
{
	char s1[64], s2[64];

	if (h->feature_version != feature_version) {
		return dqn_fail(cause, "%s: features version %u, this plugin "
		    "computes version %u", path, h->feature_version,
		    feature_version);
	}
	if (h->nsizes != nwant || memcmp(h->sizes, want,
	    (size_t)nwant * sizeof *want) != 0) {
		return dqn_fail(cause, "%s: layer sizes %s, this plugin uses "
		    "%s", path, sizes_str(s1, sizeof s1, h->sizes, h->nsizes),
		    sizes_str(s2, sizeof s2, want, nwant));
	}
	return 0;
}

static int
parse(const char *path, const uint8_t *b, size_t len, uint32_t
    feature_version, const int *want, int nwant, struct header *h,
    char **cause)
{
	size_t end;

	if (parse_front(path, b, len, h, cause) < 0 ||
	    parse_count(path, b, len, h, cause) < 0)
		return -1;
	end = h->length - 4;
	if (dqn_crc32(0, b, end) != get32(b + end))
		return dqn_fail(cause, "%s: corrupt (checksum mismatch)", path);
	return check_fit(path, h, feature_version, want, nwant, cause);
}

int
dqn_model_load(const char *path, struct dqn_mlp *m, uint32_t feature_version,
    const int *want_sizes, int nsizes, char **cause)
{
	struct header h;
	uint32_t bits;
	uint8_t *buf = NULL;
	size_t len = 0, i;
	int rc;

	if (nsizes != m->nlayers + 1 || memcmp(want_sizes, m->sizes,
	    (size_t)nsizes * sizeof *want_sizes) != 0)
		return dqn_fail(cause, "%s: network and wanted sizes differ",
		    path);
	if (read_file(path, &buf, &len, cause) < 0)
		return -1;
	rc = parse(path, buf, len, feature_version, want_sizes, nsizes, &h,
	    cause);
	for (i = 0; rc == 0 && i < h.nparams; i++) {
		bits = get32(buf + h.params_at + 4 * i);
		memcpy(&m->params[i], &bits, 4);
	}
	free(buf);
	return rc;
}
