#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

#ifndef TH_PKGLIBDIR
#define TH_PKGLIBDIR "/usr/local/lib/tradehost"
#endif

/* Set by plugin_set_keep(): skip dlclose. */
static int keep_mode;

/* Bigger state blocks are a plugin bug rather than a need. */
#define PLUGIN_MAX_STATE ((uint32_t)64 << 20)

/* The size of struct th_plugin at ABI 1.0: every later field is optional. */
#define PLUGIN_MIN_SIZE (offsetof(struct th_plugin, fini) + \
	sizeof(((struct th_plugin *)0)->fini))
#define PARAM_DEF_MIN_SIZE (offsetof(struct th_param_def, help) + \
	sizeof(((struct th_param_def *)0)->help))

static int hash_file(const char *path, uint64_t *out);

static int
fail(char **cause, const char *path, const char *what)
{
	*cause = xasprintf("%s: %s", path, what);
	return -1;
}

static const struct th_param_def *
param_at(const struct th_plugin *desc, uint32_t k)
{
	return (const void *)((const char *)desc->params +
	    (size_t)k * desc->param_def_size);
}

static int
validate_param(const struct th_plugin *desc, uint32_t k, const char *path,
    char **cause)
{
	const struct th_param_def *d = param_at(desc, k);
	uint32_t j;

	if (d->name == NULL || *d->name == '\0')
		return fail(cause, path, "a parameter has no name");
	for (j = 0; j < k; j++)
		if (strcmp(param_at(desc, j)->name, d->name) == 0) {
			*cause = xasprintf("%s: parameter '%s' is declared "
			    "twice", path, d->name);
			return -1;
		}
	if (d->type < TH_PARAM_INT || d->type > TH_PARAM_BOOL ||
	    !(d->min <= d->def && d->def <= d->max)) {
		*cause = xasprintf("%s: parameter '%s': bad type or default "
		    "outside [min, max]", path, d->name);
		return -1;
	}
	return 0;
}

static int
validate_params(const struct th_plugin *desc, const char *path, char **cause)
{
	uint32_t k;

	if (desc->nparams == 0)
		return 0;
	if (desc->params == NULL || desc->param_def_size < PARAM_DEF_MIN_SIZE)
		return fail(cause, path, "parameter table missing or its "
		    "param_def_size is too small");
	for (k = 0; k < desc->nparams; k++)
		if (validate_param(desc, k, path, cause) < 0)
			return -1;
	return 0;
}

int
plugin_validate(const struct th_plugin *desc, const char *path, char **cause)
{
	if (desc->abi_major != TH_ABI_MAJOR) {
		*cause = xasprintf("%s: plugin ABI %u.%u is not compatible with "
		    "this host's ABI %d.%d (major versions differ)", path,
		    desc->abi_major, desc->abi_minor, TH_ABI_MAJOR,
		    TH_ABI_MINOR);
		return -1;
	}
	if (desc->struct_size < PLUGIN_MIN_SIZE) {
		*cause = xasprintf("%s: plugin descriptor is %u bytes, ABI "
		    "%d.0 needs at least %zu", path, desc->struct_size,
		    TH_ABI_MAJOR, PLUGIN_MIN_SIZE);
		return -1;
	}
	if (desc->kind != TH_PLUGIN_STRATEGY)
		return fail(cause, path, "not a strategy plugin");
	if (desc->name == NULL || *desc->name == '\0')
		return fail(cause, path, "plugin has no name");
	if (desc->init == NULL || desc->next == NULL)
		return fail(cause, path, "plugin lacks init() or next()");
	if (desc->state_size > PLUGIN_MAX_STATE)
		return fail(cause, path, "plugin state_size exceeds 64 MiB");
	return validate_params(desc, path, cause);
}

static void
adopt(struct plugin *p, const struct th_plugin *desc, void *handle,
    const char *path)
{
	p->handle = handle;
	p->desc = desc;
	p->path = xstrdup(path);
	p->name = xstrdup(desc->name);
	p->version = xstrdup(desc->version != NULL ? desc->version : "");
}

int
plugin_from_desc(const struct th_plugin *desc, struct plugin *out,
    char **cause)
{
	memset(out, 0, sizeof *out);
	if (plugin_validate(desc, "(built-in)", cause) < 0)
		return -1;
	adopt(out, desc, NULL, "(built-in)");
	return 0;
}

/* A relative path that does not exist falls back to the installed copy,
 * so "--plugin strategies/sma.so" works after make install too. */
static char *
resolve(const char *path)
{
	char *alt;

	if (access(path, F_OK) == 0 || path[0] == '/')
		return strchr(path, '/') ? xstrdup(path) :
		    xasprintf("./%s", path);
	alt = xasprintf("%s/%s", TH_PKGLIBDIR, path);
	if (access(alt, F_OK) == 0)
		return alt;
	free(alt);
	return xstrdup(path);
}

int
plugin_load(const char *path, struct plugin *out, char **cause)
{
	char *file = resolve(path);
	const struct th_plugin *desc;
	void *handle;

	memset(out, 0, sizeof *out);
	if (access(file, R_OK) != 0) {
		*cause = xasprintf("%s: cannot read plugin: %s", path,
		    strerror(errno));
		free(file);
		return -1;
	}
	handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		*cause = xasprintf("%s: cannot load plugin: %s", path,
		    dlerror());
		free(file);
		return -1;
	}
	desc = dlsym(handle, "th_plugin_entry");
	if (desc == NULL || plugin_validate(desc, path, cause) < 0) {
		if (desc == NULL)
			*cause = xasprintf("%s: no th_plugin_entry symbol: not "
			    "a tradehost plugin", path);
		dlclose(handle);
		free(file);
		return -1;
	}
	adopt(out, desc, handle, file);
	(void)hash_file(file, &out->hash);
	free(file);
	return 0;
}

/*
 * Generations of a hot reload.
 */

static uint64_t
fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
	size_t k;

	for (k = 0; k < n; k++)
		h = (h ^ p[k]) * UINT64_C(0x100000001b3);
	return h;
}

#define FNV_SEED UINT64_C(0xcbf29ce484222325)

/* Reads the whole file.  Returns 0 with *buf (caller frees) and *n, or
 * -1 with errno set. */
static int
slurp(const char *path, unsigned char **buf, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, got;

	if (f == NULL)
		return -1;
	*buf = xmalloc(cap);
	*n = 0;
	while ((got = fread(*buf + *n, 1, cap - *n, f)) > 0)
		if ((*n += got) == cap)
			*buf = xreallocarray(*buf, cap *= 2, 1);
	if (ferror(f)) {
		fclose(f);
		free(*buf);
		errno = EIO;
		return -1;
	}
	fclose(f);
	return 0;
}

static int
hash_file(const char *path, uint64_t *out)
{
	unsigned char *buf;
	size_t n;

	*out = 0;
	if (slurp(path, &buf, &n) < 0)
		return -1;
	*out = fnv1a(buf, n, FNV_SEED);
	free(buf);
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* "strategies/sma.so" -> "sma". */
static char *
stem(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base != NULL ? base + 1 : path;
	dot = strstr(base, ".so");
	return dot != NULL && dot != base ? xstrndup(base,
	    (size_t)(dot - base)) : xstrdup(base);
}

/* Writes the bytes to a new private file; returns its path or NULL with
 * *cause. */
static char *
write_copy(const char *file, unsigned gen, const unsigned char *buf,
    size_t n, char **cause)
{
	const char *dir = getenv("TMPDIR");
	char *name = stem(file), *copy;
	int fd, err;

	copy = xasprintf("%s/%s.%ld.%u.XXXXXX.so", dir != NULL && *dir != '\0'
	    ? dir : "/tmp", name, (long)getpid(), gen);
	free(name);
	if ((fd = mkstemps(copy, 3)) < 0) {
		*cause = xasprintf("%s: cannot create a copy to load: %s: %s",
		    file, copy, strerror(errno));
		free(copy);
		return NULL;
	}
	if (write_all(fd, buf, n) < 0 || close(fd) < 0) {
		err = errno;
		(void)close(fd);
		*cause = xasprintf("%s: cannot write its copy %s: %s", file,
		    copy, strerror(err));
		unlink(copy);
		free(copy);
		return NULL;
	}
	return copy;
}

/* dlopen()s the copy and checks what it exports. */
static int
open_copy(const char *path, const char *copy, void **handle,
    const struct th_plugin **desc, char **cause)
{
	*handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
	if (*handle == NULL) {
		*cause = xasprintf("%s: cannot load plugin: %s", path,
		    dlerror());
		return -1;
	}
	*desc = dlsym(*handle, "th_plugin_entry");
	if (*desc == NULL) {
		*cause = xasprintf("%s: no th_plugin_entry symbol: not a "
		    "tradehost plugin", path);
		dlclose(*handle);
		return -1;
	}
	if (plugin_validate(*desc, path, cause) < 0) {
		dlclose(*handle);
		return -1;
	}
	return 0;
}

int
plugin_load_generation(const char *path, unsigned gen, struct plugin *out,
    char **cause)
{
	char *file = resolve(path), *copy;
	const struct th_plugin *desc;
	unsigned char *buf;
	void *handle;
	size_t n;

	memset(out, 0, sizeof *out);
	if (slurp(file, &buf, &n) < 0) {
		*cause = xasprintf("%s: cannot read plugin: %s", path,
		    strerror(errno));
		free(file);
		return -1;
	}
	copy = write_copy(file, gen, buf, n, cause);
	if (copy == NULL || open_copy(path, copy, &handle, &desc, cause) < 0) {
		if (copy != NULL)
			unlink(copy);
		free(copy);
		free(buf);
		free(file);
		return -1;
	}
	adopt(out, desc, handle, file);
	out->copy = copy;
	out->hash = fnv1a(buf, n, FNV_SEED);
	free(buf);
	free(file);
	return 0;
}

char *
plugin_identity(const struct plugin *p)
{
	const struct th_plugin *d = p->desc;

	return xasprintf("%s %s (%s, fnv1a %016" PRIx64 ", ABI %u.%u)",
	    p->name, p->version, p->path, p->hash, (unsigned)d->abi_major,
	    (unsigned)d->abi_minor);
}

void
plugin_set_keep(int on)
{
	keep_mode = on;
}

void
plugin_unload(struct plugin *p)
{
	if (p->handle != NULL && !keep_mode &&
	    getenv("TH_KEEP_PLUGINS") == NULL)
		dlclose(p->handle);
	if (p->copy != NULL)
		unlink(p->copy);
	free(p->copy);
	free(p->path);
	free(p->name);
	free(p->version);
	memset(p, 0, sizeof *p);
}
