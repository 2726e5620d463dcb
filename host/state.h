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
 * strategy, symbol list or data set is refused whole.
 *
 * A live session's state (state_live) resumes differently: its bars come
 * again from the provider's history, so the open trades are placed by
 * their entry times, and the closed ones, the bar position and the
 * equity so far are not carried (see apply_live_leg()).  A backtest's
 * file and a live session's are not interchangeable. */
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
/* Saves the session to its state path whatever changed (a live session's
 * stop).  Returns 0, or -1 with *cause. */
int state_save(struct session *s, char **cause)
	__attribute__((warn_unused_result));
/* Logs (info) what the state holds: "state: WHAT PATH: cash ...". */
void state_log(const struct session *s, const char *what, const char *path);

#endif
