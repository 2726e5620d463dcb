/* The HTTP client thread: STYLE.md pattern 1.  The thread owns the multi
 * handle and every easy handle; other threads only append to the incoming
 * list under the lock and call curl_multi_wakeup().  A request waiting for
 * a retry sits on the waiting list with its due time, and the poll timeout
 * is bounded by the earliest one, so retries never block other transfers. */
#include "http.h"

#include <curl/curl.h>
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "thread.h"
#include "timefmt.h"
#include "xmalloc.h"

/* The longest poll, so a missed wakeup costs at most this. */
#define POLL_MAX_MS 1000
/* Retry-After values are honoured up to this. */
#define RETRY_AFTER_MAX_MS (600L * 1000)

struct job {
	struct job *next;
	char *method, *url, *log_url, *body;
	struct curl_slist *headers;
	long timeout_ms, backoff_initial, backoff_max;
	int max_retries, attempt;
	http_done_fn done;
	void *arg;

	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	char *resp;
	size_t resp_len, resp_cap;
	int too_big;
	int64_t due_ns;
};

struct http_client {
	pthread_t thread;
	CURLM *multi;
	pthread_mutex_t lock;
	struct job *incoming, **incoming_tail;	/* under lock */
	int stopping;				/* under lock */
	struct job *waiting, *active;		/* HTTP thread only */
	atomic_uint_fast64_t requests, retries, failures;
};

int
http_global_init(char **cause)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		*cause = xasprintf("curl_global_init: %s",
		    curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- Jobs ---- */

static void
job_free(struct job *j)
{
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->headers);
	free(j->method);
	free(j->url);
	free(j->log_url);
	free(j->body);
	free(j->resp);
	free(j);
}

static size_t
write_body(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;

	n *= size;
	if (j->resp_len + n > HTTP_MAX_BODY) {
		j->too_big = 1;
		return 0;
	}
	if (j->resp_len + n + 1 > j->resp_cap) {
		while (j->resp_len + n + 1 > j->resp_cap)
			j->resp_cap = j->resp_cap ? j->resp_cap * 2 : 4096;
		j->resp = xreallocarray(j->resp, j->resp_cap, 1);
	}
	memcpy(j->resp + j->resp_len, data, n);
	j->resp_len += n;
	return n;
}

static struct curl_slist *
copy_headers(const char *const *headers, int json)
{
	struct curl_slist *list = NULL;
	size_t i;

	for (i = 0; headers != NULL && headers[i] != NULL; i++)
		list = curl_slist_append(list, headers[i]);
	if (json)
		list = curl_slist_append(list,
		    "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip for large bodies. */
	return curl_slist_append(list, "Expect:");
}

static struct job *
job_new(const struct http_request *req, http_done_fn done, void *arg)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->method = xstrdup(req->method != NULL ? req->method : "GET");
	j->url = xstrdup(req->url);
	j->log_url = xstrndup(req->url, strcspn(req->url, "?"));
	j->body = req->body != NULL ? xstrdup(req->body) : NULL;
	j->headers = copy_headers(req->headers, req->body != NULL);
	if (j->headers == NULL)
		abort();	/* curl_slist_append fails only on OOM */
	j->timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : 10000;
	j->max_retries = req->max_retries < 0 ? 5 : req->max_retries;
	j->backoff_initial = req->backoff_initial_ms > 0 ?
	    req->backoff_initial_ms : 500;
	j->backoff_max = req->backoff_max_ms > 0 ? req->backoff_max_ms : 30000;
	j->done = done;
	j->arg = arg;
	return j;
}

/* Creates the easy handle on the first attempt.  Returns -1 (with an
 * error in errbuf) if curl refuses it. */
static int
job_prepare(struct job *j)
{
	CURL *e;

	if (j->easy != NULL)
		return 0;
	if ((e = j->easy = curl_easy_init()) == NULL) {
		snprintf(j->errbuf, sizeof j->errbuf, "curl_easy_init failed");
		return -1;
	}
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, j->timeout_ms);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (j->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(j->body));
	} else if (strcmp(j->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	if (strcmp(j->method, "GET") != 0 && strcmp(j->method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method);
	return 0;
}

/* ---- Finishing an attempt ---- */

/* A transport error worth another attempt. */
static int
transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* Names a transport error in err. */
static void
describe(struct job *j, CURLcode rc, char *err, size_t size)
{
	long os_errno = 0;

	if (j->too_big)
		snprintf(err, size, "response body over %u bytes",
		    HTTP_MAX_BODY);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, size, "timeout after %ld ms", j->timeout_ms);
	else if (rc == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(j->easy, CURLINFO_OS_ERRNO, &os_errno) ==
	    CURLE_OK && os_errno != 0) {
		snprintf(err, size, "%s", strerror((int)os_errno));
		err[0] = (char)tolower((unsigned char)err[0]);
	} else
		snprintf(err, size, "%s", j->errbuf[0] != '\0' ? j->errbuf :
		    curl_easy_strerror(rc));
}

/* The delay before the next attempt: the doubled backoff, or a longer
 * Retry-After on a 429. */
static long
retry_delay_ms(struct job *j, long status)
{
	long d = j->backoff_initial;
	curl_off_t after = -1;
	int k;

	for (k = 0; k < j->attempt && d < j->backoff_max; k++)
		d *= 2;
	if (d > j->backoff_max)
		d = j->backoff_max;
	if (status == 429 && curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER,
	    &after) == CURLE_OK && after > 0) {
		if (after > RETRY_AFTER_MAX_MS / 1000)
			after = RETRY_AFTER_MAX_MS / 1000;
		if ((long)after * 1000 > d)
			d = (long)after * 1000;
	}
	return d;
}

static void
schedule_retry(struct http_client *h, struct job *j, long status,
    const char *err)
{
	long ms = retry_delay_ms(j, status);

	j->attempt++;
	if (status != 0)
		log_warn("http %s %s: status %ld, retry %d of %d in %ld ms",
		    j->method, j->log_url, status, j->attempt, j->max_retries,
		    ms);
	else
		log_warn("http %s %s: %s, retry %d of %d in %ld ms", j->method,
		    j->log_url, err, j->attempt, j->max_retries, ms);
	atomic_fetch_add(&h->retries, 1);
	j->due_ns = timefmt_mono_ns() + (int64_t)ms * 1000000;
	j->next = h->waiting;
	h->waiting = j;
}

static void
complete(struct http_client *h, struct job *j, long status, const char *err)
{
	if (status == 0 || status >= 400)
		atomic_fetch_add(&h->failures, 1);
	if (status == 0)
		log_debug("http %s %s: %s", j->method, j->log_url, err);
	if (j->resp == NULL)
		j->resp = xcalloc(1, 1);
	j->resp[j->resp_len] = '\0';
	if (j->done != NULL)
		j->done(j->arg, status, j->resp, j->resp_len,
		    status == 0 ? err : NULL);
	job_free(j);
}

static void
unlink_job(struct job **list, struct job *j)
{
	while (*list != NULL && *list != j)
		list = &(*list)->next;
	if (*list == j)
		*list = j->next;
	j->next = NULL;
}

/* One attempt of j ended with rc: completes it or schedules a retry. */
static void
attempt_done(struct http_client *h, struct job *j, CURLcode rc)
{
	char err[CURL_ERROR_SIZE + 64];
	long status = 0;
	int retry;

	curl_multi_remove_handle(h->multi, j->easy);
	unlink_job(&h->active, j);
	err[0] = '\0';
	if (rc == CURLE_OK)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	else
		describe(j, rc, err, sizeof err);
	if (status != 0)
		retry = status == 429 || status >= 500;
	else
		retry = !j->too_big && transient(rc);
	if (retry && j->attempt < j->max_retries)
		schedule_retry(h, j, status, err);
	else
		complete(h, j, status, err);
}

/* ---- The thread ---- */

/* Moves every waiting job whose time has come into the multi handle. */
static void
start_due(struct http_client *h, int64_t now)
{
	struct job **p = &h->waiting, *j;

	while ((j = *p) != NULL) {
		if (j->due_ns > now) {
			p = &j->next;
			continue;
		}
		*p = j->next;
		j->resp_len = 0;
		j->too_big = 0;
		j->errbuf[0] = '\0';
		if (job_prepare(j) != 0 ||
		    curl_multi_add_handle(h->multi, j->easy) != CURLM_OK) {
			complete(h, j, 0, "curl refused the request");
			continue;
		}
		j->next = h->active;
		h->active = j;
	}
}

static int
poll_timeout_ms(struct http_client *h, int64_t now)
{
	int64_t best = (int64_t)POLL_MAX_MS * 1000000, d;
	struct job *j;

	for (j = h->waiting; j != NULL; j = j->next) {
		d = j->due_ns - now;
		if (d < best)
			best = d < 0 ? 0 : d;
	}
	return (int)((best + 999999) / 1000000);
}

/* Takes the incoming list onto the waiting list, due now.  Returns 1 when
 * the client is stopping. */
static int
take_incoming(struct http_client *h, int64_t now)
{
	struct job *j, *next;
	int stopping;

	pthread_mutex_lock(&h->lock);
	j = h->incoming;
	h->incoming = NULL;
	h->incoming_tail = &h->incoming;
	stopping = h->stopping;
	pthread_mutex_unlock(&h->lock);
	for (; j != NULL; j = next) {
		next = j->next;
		j->due_ns = now;
		j->next = h->waiting;
		h->waiting = j;
	}
	return stopping;
}

static void
read_done(struct http_client *h)
{
	struct job *j;
	CURLMsg *msg;
	CURLcode rc;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* Copy out before remove_handle invalidates msg. */
		rc = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&j);
		attempt_done(h, j, rc);
	}
}

static void
abort_all(struct http_client *h)
{
	struct job *j;

	while ((j = h->active) != NULL) {
		h->active = j->next;
		curl_multi_remove_handle(h->multi, j->easy);
		complete(h, j, 0, "stopped");
	}
	while ((j = h->waiting) != NULL) {
		h->waiting = j->next;
		complete(h, j, 0, "stopped");
	}
}

static void *
http_main(void *arg)
{
	struct http_client *h = arg;
	int64_t now;
	int running;

	for (;;) {
		now = timefmt_mono_ns();
		if (take_incoming(h, now))
			break;
		start_due(h, now);
		curl_multi_perform(h->multi, &running);
		read_done(h);
		curl_multi_poll(h->multi, NULL, 0,
		    poll_timeout_ms(h, timefmt_mono_ns()), NULL);
	}
	take_incoming(h, now);
	abort_all(h);
	return NULL;
}

struct http_client *
http_start(char **cause)
{
	struct http_client *h = xcalloc(1, sizeof *h);

	if ((h->multi = curl_multi_init()) == NULL) {
		*cause = xstrdup("http: curl_multi_init failed");
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->incoming_tail = &h->incoming;
	if (thread_start(&h->thread, http_main, h) != 0) {
		*cause = xstrdup("http: cannot start the thread");
		curl_multi_cleanup(h->multi);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

int
http_submit(struct http_client *h, const struct http_request *req,
    http_done_fn done, void *arg)
{
	struct job *j;

	if (req->url == NULL)
		return -1;
	j = job_new(req, done, arg);
	pthread_mutex_lock(&h->lock);
	if (h->stopping) {
		pthread_mutex_unlock(&h->lock);
		job_free(j);
		return -1;
	}
	*h->incoming_tail = j;
	h->incoming_tail = &j->next;
	atomic_fetch_add(&h->requests, 1);
	/* Under the lock, so http_stop() cannot free the handle meanwhile. */
	curl_multi_wakeup(h->multi);
	pthread_mutex_unlock(&h->lock);
	return 0;
}

void
http_get_stats(struct http_client *h, struct http_stats *out)
{
	out->requests = atomic_load(&h->requests);
	out->retries = atomic_load(&h->retries);
	out->failures = atomic_load(&h->failures);
}

void
http_stop(struct http_client *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	curl_multi_wakeup(h->multi);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	curl_multi_cleanup(h->multi);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
