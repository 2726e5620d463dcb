#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERROR_SNIPPET 200	/* bytes of a non-JSON error body logged */

struct util_job *
util_job_add(struct util_job **list, const char *symbol)
{
	struct util_job *job;

	if (symbol == NULL || *symbol == '\0' ||
	    strlen(symbol) >= UTIL_SYMBOL_MAX ||
	    util_job_find(*list, symbol) != NULL)
		return NULL;
	if ((job = calloc(1, sizeof *job)) == NULL)
		return NULL;
	strcpy(job->symbol, symbol);
	job->next = *list;
	*list = job;
	return job;
}

struct util_job *
util_job_find(struct util_job *list, const char *symbol)
{
	if (symbol == NULL)
		return NULL;
	for (; list != NULL; list = list->next)
		if (strcmp(list->symbol, symbol) == 0)
			return list;
	return NULL;
}

void
util_job_drop(struct util_job **list, struct util_job *job)
{
	struct util_job **pp;

	for (pp = list; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == job) {
			*pp = job->next;
			break;
		}
	}
	free(job);
}

void
util_job_finish(th_conn *cx, struct util_job **list, struct util_job *job,
    int ok)
{
	cx->api->history_done(cx, job->symbol, ok);
	util_job_drop(list, job);
}

void
util_job_free_all(struct util_job **list)
{
	struct util_job *job;

	while ((job = *list) != NULL) {
		*list = job->next;
		free(job);
	}
}

const char *
util_map(const struct util_pair *table, const char *ours)
{
	if (ours == NULL)
		return NULL;
	for (; table->ours != NULL; table++)
		if (strcmp(table->ours, ours) == 0)
			return table->theirs;
	return NULL;
}

json_t *
util_parse(const char *data, size_t len)
{
	json_error_t error;

	if (data == NULL)
		return NULL;
	return json_loadb(data, len, JSON_DECODE_ANY, &error);
}

int
util_number(const json_t *v, double *out)
{
	const char *s;
	char *end;
	double d;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

int
util_int(const json_t *v, int64_t *out)
{
	double d;

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_real(v))
		return -1;
	d = json_real_value(v);
	if (d != floor(d) || fabs(d) > 9.0e15)
		return -1;
	*out = (int64_t)d;
	return 0;
}

const char *
util_string(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

char *
util_dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

enum th_status
util_send_json(th_conn *cx, json_t *v)
{
	enum th_status st;
	char *text;

	if (v == NULL)
		return TH_ERR_INVALID;
	text = util_dump(v);
	json_decref(v);
	if (text == NULL)
		return TH_ERR_INVALID;
	st = cx->api->send(cx, text);
	free(text);
	return st;
}

enum th_status
util_http(th_conn *cx, const char *method, const char *url, const char *body,
    int purpose, const char *key)
{
	struct th_http req = { 0 };

	req.struct_size = sizeof req;
	req.method = method;
	req.url = url;
	req.body = body;
	req.purpose = purpose;
	req.key = key;
	return cx->api->http(cx, &req);
}

/* A string member of an error object, by the names providers use. */
static const char *
error_member(const json_t *obj)
{
	static const char *const names[] = { "message", "msg", "description" };
	const char *s;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((s = util_string(obj, names[i])) != NULL)
			return s;
	return NULL;
}

const char *
util_error_text(const json_t *root)
{
	const json_t *e;
	const char *s;

	if (!json_is_object(root))
		return NULL;
	if ((s = error_member(root)) != NULL)
		return s;
	e = json_object_get(root, "error");
	if (json_is_string(e))
		return json_string_value(e);
	if ((s = error_member(e)) != NULL)
		return s;
	e = json_object_get(json_object_get(root, "chart"), "error");
	return error_member(e);
}

void
util_log_http_error(th_conn *cx, enum th_log_level level, const char *what,
    long status, const char *body, size_t len)
{
	char snippet[ERROR_SNIPPET + 1];
	const char *text;
	json_t *root;
	size_t i, n;

	root = util_parse(body, len);
	if ((text = util_error_text(root)) != NULL) {
		cx->api->log(cx, level, "%s: HTTP %ld: %s", what, status, text);
		json_decref(root);
		return;
	}
	json_decref(root);
	n = body == NULL ? 0 : len < ERROR_SNIPPET ? len : ERROR_SNIPPET;
	for (i = 0; i < n; i++)
		snippet[i] = body[i] >= 0x20 && body[i] < 0x7f ? body[i] : ' ';
	snippet[n] = '\0';
	cx->api->log(cx, level, "%s: HTTP %ld%s%s", what, status,
	    n > 0 ? ": " : "", snippet);
}

int
util_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
util_url_encode(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	unsigned char c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (isalnum(c) || strchr("-._~", c) != NULL) {
			if (o + 1 >= size)
				return -1;
			out[o++] = (char)c;
			continue;
		}
		if (o + 3 >= size)
			return -1;
		out[o++] = '%';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0xf];
	}
	if (o >= size)
		return -1;
	out[o] = '\0';
	return 0;
}

int
util_symbol(const char *s, char *out, size_t size, int lower)
{
	size_t i, n = s == NULL ? 0 : strlen(s);
	unsigned char c;

	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!isalnum(c) && strchr(".:/_^=-", c) == NULL)
			return -1;
		out[i] = (char)(lower > 0 ? tolower(c) :
		    lower < 0 ? toupper(c) : c);
	}
	out[n] = '\0';
	return 0;
}

/* v in positional notation with trailing zeros trimmed. */
static int
plain_decimal(double v, char *out, size_t size)
{
	size_t n;

	if (util_fmt(out, size, "%.20f", v) < 0)
		return -1;
	n = strlen(out);
	while (n > 1 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 1 && out[n - 1] == '.')
		out[--n] = '\0';
	return 0;
}

int
util_credential_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return 0;
	return 1;
}

int
util_decimal(double v, char *out, size_t size)
{
	int prec;

	if (!isfinite(v))
		return -1;
	for (prec = 1; prec <= 17; prec++) {
		if (util_fmt(out, size, "%.*g", prec, v) < 0)
			return -1;
		if (strtod(out, NULL) == v)
			break;
	}
	/* %g switches to exponents past 1e17 or below 1e-4; plain decimals
	 * are what the providers accept. */
	if (strchr(out, 'e') != NULL)
		return plain_decimal(v, out, size);
	return 0;
}
