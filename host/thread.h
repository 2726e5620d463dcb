/* Transport threads (the WebSocket loop, the HTTP client) are started
 * with the process's signals blocked, so that SIGHUP, SIGINT and SIGTERM
 * always reach the engine thread, whose handlers only set flags it
 * polls, and a peer's reset never raises SIGPIPE on them. */
#ifndef TH_THREAD_H
#define TH_THREAD_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg) with those signals blocked in the new
 * thread; the caller's mask is unchanged.  Returns pthread_create's. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
