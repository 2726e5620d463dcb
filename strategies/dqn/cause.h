/*
 * Error reporting for the DQN core.  Fallible functions return 0 or -1 and,
 * when the caller passes a non-NULL cause, store a malloc'd message there
 * that the caller frees with free().  The core never prints and never
 * exits; the plugin decides what to log.
 */
#ifndef DQN_CAUSE_H
#define DQN_CAUSE_H

#if defined(__GNUC__)
#define DQN_WUR __attribute__((warn_unused_result))
#define DQN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define DQN_WUR
#define DQN_PRINTF(f, a)
#endif

/* Formats the message into *cause (when cause is not NULL) and returns -1,
 * so a failure path reads "return dqn_fail(cause, ...);".  If the message
 * cannot be allocated, *cause is set to NULL. */
int	dqn_fail(char **cause, const char *fmt, ...) DQN_PRINTF(2, 3);

#endif
