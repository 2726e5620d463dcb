/* The state file: what a restart needs to continue exactly where a run
 * stopped — per symbol the broker (cash, open and closed trades, pending
 * orders, the equity so far), the last processed bar and the strategy's
 * state block; the risk clock; the audit sequence.
 *
 * Written atomically (temp file, fsync, rename) after every timeline step
 * that changed any of it.  A resumed run re-processes the bars after the
 * snapshot, which is exact because a run is deterministic.  The file is
 * binary in the machine's byte order, with a magic number, a version and
 * a checksum; one that is corrupt, truncated or written for another
 * strategy, symbol list or data set is refused whole. */
#ifndef TH_STATE_H
#define TH_STATE_H

struct session;

/* After init(): resumes from path when the file exists (nothing happens
 * when it does not).  Returns 0, or -1 with *cause; on failure the
 * session is untouched. */
int state_resume(struct session *s, const char *path, char **cause)
	__attribute__((warn_unused_result));
/* Saves the session to its state path when something changed since the
 * last save.  Returns 0, or -1 with *cause (the run must stop: a run that
 * cannot persist must not go on trading as if it could). */
int state_save_if_changed(struct session *s, char **cause)
	__attribute__((warn_unused_result));

#endif
