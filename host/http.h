/* HTTP client transport: one libcurl multi handle on its own thread
 * (curl_multi_poll woken by curl_multi_wakeup).  Requests are queued from
 * any thread, retried with backoff on 429, 5xx and transport errors without
 * blocking other transfers, and answered by a callback on the HTTP thread.
 * Request headers are never logged (they carry API keys), nor are URL
 * queries. */
#ifndef TH_HTTP_H
#define TH_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct http_client;

struct http_request {
	const char *method;		/* "GET" (NULL = GET), "POST", "DELETE",
					 * "PATCH"...; copied */
	const char *url;		/* copied */
	const char *body;		/* NULL or a body (copied), sent as
					 * application/json */
	const char *const *headers;	/* NULL-terminated "Name: value", copied;
					 * may be NULL */
	long timeout_ms;		/* whole transfer; 0 = 10000 */
	int max_retries;		/* on 429, 5xx and transport errors; 0 =
					 * none; -1 = 5 */
	long backoff_initial_ms;	/* 0 = 500; doubles per retry up to
					 * backoff_max_ms; a 429's Retry-After
					 * (seconds) is used when longer */
	long backoff_max_ms;		/* 0 = 30000 */
};

/* The largest response body delivered; a bigger one fails the request. */
#define HTTP_MAX_BODY (64u * 1024 * 1024)

/* Called on the HTTP thread once per request, after the last attempt.
 * status is the HTTP status, or 0 for a transport error, and then error
 * names it ("timeout after 10000 ms", "connection refused: ...", "stopped");
 * error is NULL when status is not 0.  body is NUL-terminated (len excludes
 * the NUL), never NULL, valid until return. */
typedef void (*http_done_fn)(void *arg, long status, const char *body,
    size_t len, const char *error);

/* Once in main before any thread starts, and at exit: curl_global_init
 * and curl_global_cleanup.  Returns 0, or -1 with *cause. */
int http_global_init(char **cause) __attribute__((warn_unused_result));
void http_global_cleanup(void);

/* Starts the thread, with SIGHUP, SIGTERM, SIGINT and SIGPIPE blocked in
 * it.  Returns NULL with *cause (the caller frees it) on failure. */
struct http_client *http_start(char **cause);

/* [any-thread] Queues a request (everything copied).  Returns 0, or -1 when
 * the client is stopping or req->url is NULL (done is then not called).
 * done may be NULL. */
int http_submit(struct http_client *h, const struct http_request *req,
    http_done_fn done, void *arg);

/* Counters: requests submitted, retries made, requests that ended with a
 * transport error or a status >= 400. */
struct http_stats {
	uint64_t requests, retries, failures;
};
/* [any-thread] */
void http_get_stats(struct http_client *h, struct http_stats *out);

/* Stops: aborts transfers in flight and queued ones (their done is called
 * on the HTTP thread with status 0, error "stopped"), joins the thread and
 * frees everything.  Must not be called from a done callback.  NULL-safe. */
void http_stop(struct http_client *h);

#endif
