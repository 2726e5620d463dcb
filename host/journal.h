/* The journal of a live session, and its replay.  A journal is a
 * directory: bars/SYMBOL.csv holds every bar the session processed (the
 * history first) in the CSV format tradehost reads, orders.csv every
 * order, fill, cancel and refusal, stale.csv the symbols the risk gate saw
 * stale at a step (a wall-clock fact a replay cannot recompute),
 * state.resume the state file a resumed session started from, and
 * journal.meta the symbols, how many
 * of their bars were history and the strategy that ran.  Replaying it
 * (tradehost --replay DIR) is a backtest over those bars whose first
 * next() comes after the history; it must produce orders.csv again, row
 * for row. */
#ifndef TH_JOURNAL_H
#define TH_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "audit.h"
#include "risk.h"

struct journal {
	char *dir;
	FILE **bars;			/* one per symbol */
	size_t n;
	FILE *orders;
	FILE *stale;
};

/* Creates dir (it must not hold a journal already) and its files.
 * Returns 0, or -1 with *cause naming the path. */
int journal_open(struct journal *j, const char *dir,
    const char *const *symbols, size_t n, char **cause)
	__attribute__((warn_unused_result));
/* Writes journal.meta once the history is known: history[k] bars of
 * symbol k came before the live ones. */
int journal_meta(struct journal *j, const char *const *symbols, size_t n,
    const size_t *history, const char *plugin, char *const *params,
    size_t nparams, const char *granularity, char **cause)
	__attribute__((warn_unused_result));
/* Appends a processed bar of symbol k (flushed at once). */
void journal_bar(struct journal *j, size_t k, const struct agg_bar *b);
/* Appends an order, fill, cancel or refused row; other kinds are not
 * decisions and are skipped. */
void journal_row(struct journal *j, const struct audit_row *r);
/* A session resuming from the state file at path keeps a copy of it as
 * state.resume, for the replay to start where the session started.
 * Nothing happens when path does not exist.  Returns 0, or -1 with
 * *cause naming the file. */
int journal_keep_state(struct journal *j, const char *path, char **cause)
	__attribute__((warn_unused_result));
/* Appends that symbol was stale for seconds at the step of bar time t. */
void journal_stale(struct journal *j, int64_t t, const char *symbol,
    int64_t seconds);
void journal_close(struct journal *j);

/* orders.csv's line for a row, or NULL for a kind it does not keep;
 * caller frees. */
char *journal_format_row(const struct audit_row *r);

/* What a replay needs from journal.meta. */
struct journal_meta {
	char **symbols;
	size_t *history;
	size_t n;
	char *plugin;
	char **params;
	size_t nparams;
	char *granularity;
	char *resume;			/* DIR/state.resume if there is one */
	struct risk_stale *stale;	/* stale.csv, by time; none in a
					 * journal without one */
	size_t nstale;
};

int journal_read_meta(const char *dir, struct journal_meta *m, char **cause)
	__attribute__((warn_unused_result));
void journal_meta_free(struct journal_meta *m);

/* The replay check: rows as the replay produces them, compared with
 * orders.csv. */
struct journal_check {
	char **want;
	size_t nwant;
	size_t seen;
	char *first_diff;		/* the first mismatch, or NULL */
};

int journal_check_open(struct journal_check *c, const char *dir,
    char **cause) __attribute__((warn_unused_result));
void journal_check_row(struct journal_check *c, const struct audit_row *r);
/* 0 when every row matched and none is missing, else -1 with *cause. */
int journal_check_finish(struct journal_check *c, char **cause)
	__attribute__((warn_unused_result));
void journal_check_free(struct journal_check *c);

#endif
