/* Loading strategy plugins: dlopen, the one entry symbol, and validation of
 * the descriptor before any plugin code runs. */
#ifndef TH_PLUGIN_H
#define TH_PLUGIN_H

#include <stdint.h>

#include "tradehost.h"

struct plugin {
	void *handle;			/* NULL for a built-in descriptor */
	char *path;			/* the file loaded; owned */
	const struct th_plugin *desc;	/* lives in the loaded object */
	char *name;			/* copied from desc */
	char *version;			/* copied from desc */
	char *copy;			/* a generation's private copy that
					 * was dlopen()ed (path is then its
					 * source), unlinked by
					 * plugin_unload(); NULL = none */
	uint64_t hash;			/* FNV-1a 64 of the file's bytes; 0 =
					 * not known (built-in) */
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
/* Loads generation gen of a hot reload: copies path (resolved as
 * plugin_load() does) to a new file "<name>.<pid>.<gen>.XXXXXX.so" under
 * $TMPDIR (else /tmp), a new inode that no earlier generation can share
 * (dlopen() caches by path and by inode), hashes the bytes it copied and
 * dlopen()s the copy RTLD_NOW | RTLD_LOCAL, so the generation in force is
 * never touched.  Returns 0, or -1 with *cause naming the source path; on
 * failure the copy is gone. */
int plugin_load_generation(const char *path, unsigned gen,
    struct plugin *out, char **cause) __attribute__((warn_unused_result));
/* "SmaCross 1.0 (./sma.so, fnv1a 0123456789abcdef, ABI 1.2)": what the
 * log and the audit trail name a generation by.  Caller frees. */
char *plugin_identity(const struct plugin *p);
/* Keep mode: plugin_unload() skips dlclose (also when TH_KEEP_PLUGINS is
 * set in the environment), so sanitizers and valgrind keep the symbols. */
void plugin_set_keep(int on);
/* Unloads: dlclose unless in keep mode, and unlinks a generation's copy
 * (in keep mode too: the mapping stays, the file goes). */
void plugin_unload(struct plugin *p);

#endif
