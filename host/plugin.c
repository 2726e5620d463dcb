#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

#ifndef TH_PKGLIBDIR
#define TH_PKGLIBDIR "/usr/local/lib/tradehost"
#endif

/* Bigger state blocks are a plugin bug rather than a need. */
#define PLUGIN_MAX_STATE ((uint32_t)64 << 20)

/* The size of struct th_plugin at ABI 1.0: every later field is optional. */
#define PLUGIN_MIN_SIZE (offsetof(struct th_plugin, fini) + \
	sizeof(((struct th_plugin *)0)->fini))
#define PARAM_DEF_MIN_SIZE (offsetof(struct th_param_def, help) + \
	sizeof(((struct th_param_def *)0)->help))

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
	free(file);
	return 0;
}

void
plugin_unload(struct plugin *p)
{
	if (p->handle != NULL && getenv("TH_KEEP_PLUGINS") == NULL)
		dlclose(p->handle);
	free(p->path);
	free(p->name);
	free(p->version);
	memset(p, 0, sizeof *p);
}
