/* Hot reload: on SIGHUP (or a scripted trigger) the run swaps in a new
 * build of its strategy and the re-read configuration at a bar boundary,
 * keeping the broker (positions, orders, cash, trades) and the data.
 *
 * The new generation is built beside the old one: the configuration is
 * re-read and checked whole, the plugin is loaded from a private copy,
 * and a new instance per symbol runs init() against the same history.
 * Only when every step succeeded are the old instances finalized and the
 * old code unloaded; any failure leaves the old generation trading
 * exactly as if nothing had been attempted, and is logged and audited.
 *
 * Everything here runs on the loop thread; the signal handler only sets
 * a flag. */
#ifndef TH_RELOAD_H
#define TH_RELOAD_H

#include <stddef.h>
#include <time.h>

#include "params.h"
#include "plugin.h"
#include "settings.h"

struct session;

/* Where the settings of a reload come from. */
struct reload_source {
	/* Reads the settings again as at start (the configuration file,
	 * then the command line on top) into *out, which it initializes.
	 * Returns 0, or -1 with *cause ("FILE:LINE: key: message") and
	 * *out left freed. */
	int (*reread)(void *arg, struct settings *out, char **cause);
	void *arg;
	/* The settings the run started with (borrowed; outlives the
	 * reload): what may not change is compared against them. */
	const struct settings *start;
};

struct reload {
	struct plugin plugin;		/* the generation in force; owned */
	struct params params;		/* its parameters; owned */
	struct risk_config risk;	/* the limits in force: a session's
					 * opt.risk points here */
	unsigned gen;			/* 0 = the one loaded at start */
	struct reload_source src;
	const size_t *at;		/* scripted positions (borrowed) */
	size_t nat;
	size_t next;			/* the next of them to fire */
	unsigned done;			/* reloads that swapped */
	unsigned refused;		/* reloads that were refused */
	struct timespec seen;		/* CLOCK_MONOTONIC when the last
					 * reload began (the benchmark) */
};

/* Installs the SIGHUP handler, which only sets the pending flag. */
void reload_install_signal(void);
/* Has a reload been asked for (SIGHUP or reload_request())? */
int reload_pending(void);
/* Asks for a reload at the next bar boundary, as SIGHUP does. */
void reload_request(void);

/* Takes over *plugin and *params, the generation the run starts with:
 * on return they are empty (plugin_unload() and params_free() on them do
 * nothing) and r->plugin, r->params are what the session must use.
 * risk is copied into r->risk.  at[0..nat) are scripted reload positions
 * in ascending order (borrowed; may be NULL).  src is copied. */
void reload_init(struct reload *r, struct plugin *plugin,
    struct params *params, const struct risk_config *risk,
    const struct reload_source *src, const size_t *at, size_t nat);
/* Unloads the generation in force and frees what r owns.  Call after
 * session_free(). */
void reload_free(struct reload *r);

/* Is a reload due before the session's next step: a request pending,
 * or a scripted position reached (the timeline position of the step
 * about to run: for one symbol its bar index, for several the number of
 * steps done)?  A flag test and a comparison: the loop calls it at every
 * bar boundary. */
int reload_due(const struct reload *r, const struct session *s);
/* The reload itself, at a bar boundary of a session that is running
 * (its legs' init() done): between two steps, before the fills of the
 * next one.  session.c calls it at the top of each step when
 * s->opt.reload is set and reload_due(); a loop that drives bars by
 * other means calls the pair the same way.  Clears the request first, so a SIGHUP that
 * arrives meanwhile asks for another reload.  Returns 0 when the new
 * generation took over, or -1 with *cause (may be NULL: then not
 * returned) when it was refused; either way it was logged and audited
 * and the run goes on. */
int reload_apply(struct reload *r, struct session *s, char **cause);

#endif
