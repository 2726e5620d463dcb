/*
 * Helpers shared by the connector plugins: JSON access with jansson, URL
 * and number formatting, and the per-instance table of history requests
 * in flight.  Compiled into each plugin (plugins link no host code); all
 * of it is hidden by the plugins' export list.  Nothing here keeps global
 * state.
 */
#ifndef PLUGINS_UTIL_H
#define PLUGINS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <tradehost.h>

#define UTIL_SYMBOL_MAX 64	/* longest symbol + 1 */
#define UTIL_URL_MAX 2048	/* longest request URL + 1 */

/* A history() request in flight, keyed by the host's symbol: one per
 * symbol and connector instance. */
struct util_job {
	struct util_job *next;
	char symbol[UTIL_SYMBOL_MAX];	/* as history() got it; the key of
					 * its requests and of history_done */
	char psym[UTIL_SYMBOL_MAX];	/* the provider's form, for bars */
	char interval[16];		/* the provider's interval name */
	int64_t start, end;		/* ns; bars in [start, end) */
	int64_t cursor;			/* the connector's paging position */
};

/* A pair of names: the host's granularity and the provider's. */
struct util_pair {
	const char *ours;
	const char *theirs;
};

/* Adds a job for symbol; NULL (nothing added) when one is already in
 * flight, the symbol is empty or too long, or memory is short. */
struct util_job *util_job_add(struct util_job **list, const char *symbol);
/* The job for symbol, or NULL. */
struct util_job *util_job_find(struct util_job *list, const char *symbol);
/* Calls api->history_done(job->symbol, ok) and frees the job. */
void util_job_finish(th_conn *cx, struct util_job **list,
    struct util_job *job, int ok);
/* Frees job without reporting it (history() itself failed). */
void util_job_drop(struct util_job **list, struct util_job *job);
/* Frees every job without reporting (close()). */
void util_job_free_all(struct util_job **list);

/* The provider's name for ours in a table ending with { NULL, NULL }, or
 * NULL when ours (may be NULL) is not in it. */
const char *util_map(const struct util_pair *table, const char *ours);

/* Parses one JSON text of len bytes (any top-level value); NULL when it
 * is malformed.  The caller owns the result (json_decref). */
json_t *util_parse(const char *data, size_t len);
/* A JSON number, or a string holding a finite decimal number (how Binance
 * and Alpaca's trading API send prices), into *out; -1 otherwise. */
int util_number(const json_t *v, double *out);
/* A JSON integer (or an integral real) into *out; -1 otherwise. */
int util_int(const json_t *v, int64_t *out);
/* obj[key] when obj is an object and the member is a string, else NULL;
 * borrowed from obj. */
const char *util_string(const json_t *obj, const char *key);
/* Sends v on the WebSocket as compact JSON and drops the reference to v
 * (v may be NULL after a failed json_pack: TH_ERR_INVALID). */
enum th_status util_send_json(th_conn *cx, json_t *v);
/* Compact JSON of v, malloc'd (the caller frees), or NULL. */
char *util_dump(const json_t *v);

/* Queues an HTTP request; url must be absolute. */
enum th_status util_http(th_conn *cx, const char *method, const char *url,
    const char *body, int purpose, const char *key);
/* The provider's error text in a JSON error body: "message", "msg",
 * "error" (a string or an object with "msg"/"message"/"description"),
 * or chart.error.description; NULL when there is none.  Borrowed from
 * root. */
const char *util_error_text(const json_t *root);
/* Logs at level "<what>: HTTP <status>: <error text>", the text taken
 * from a JSON error body or else the body's first bytes (printable ASCII
 * only). */
void util_log_http_error(th_conn *cx, enum th_log_level level,
    const char *what, long status, const char *body, size_t len);

/* snprintf into out; -1 when the result did not fit. */
int util_fmt(char *out, size_t size, const char *fmt, ...)
    TH_PRINTF(3, 4);
/* Percent-encodes s (all but ALPHA DIGIT - . _ ~) into out; -1 when it
 * does not fit. */
int util_url_encode(const char *s, char *out, size_t size);
/* Copies a symbol into out in lower case (lower > 0), upper case
 * (lower < 0) or as it is (lower == 0); -1 when s is empty, too long for
 * out, or holds a character outside [A-Za-z0-9.:/_^=-]. */
int util_symbol(const char *s, char *out, size_t size, int lower);
/* Is s a usable credential: non-empty printable ASCII without spaces (so
 * it cannot break a header line)? */
int util_credential_ok(const char *s);
/* The shortest decimal string that reads back as v ("10", "150.25");
 * -1 for a non-finite v or a short buffer. */
int util_decimal(double v, char *out, size_t size);

#endif
