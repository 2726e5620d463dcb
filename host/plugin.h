/* Loading strategy plugins: dlopen, the one entry symbol, and validation of
 * the descriptor before any plugin code runs. */
#ifndef TH_PLUGIN_H
#define TH_PLUGIN_H

#include "tradehost.h"

struct plugin {
	void *handle;			/* NULL for a built-in descriptor */
	char *path;			/* the file loaded; owned */
	const struct th_plugin *desc;	/* lives in the loaded object */
	char *name;			/* copied from desc */
	char *version;			/* copied from desc */
};

/* Loads path (or, when path does not exist and is relative, the same name
 * under the installed strategy directory) and validates its descriptor.
 * Returns 0, or -1 with *cause naming the path and the reason. */
int plugin_load(const char *path, struct plugin *out, char **cause)
	__attribute__((warn_unused_result));
/* Checks a descriptor as plugin_load() does: ABI major, struct sizes, kind,
 * name, callbacks and parameter declarations.  path is for messages. */
int plugin_validate(const struct th_plugin *desc, const char *path,
    char **cause) __attribute__((warn_unused_result));
/* Wraps a descriptor linked into the program (tests, benchmarks). */
int plugin_from_desc(const struct th_plugin *desc, struct plugin *out,
    char **cause) __attribute__((warn_unused_result));
/* Unloads; dlclose is skipped when TH_KEEP_PLUGINS is set in the
 * environment, so sanitizers and valgrind keep the symbols. */
void plugin_unload(struct plugin *p);

#endif
