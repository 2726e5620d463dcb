/* --log-requests: one line per client WebSocket message, WebSocket open
 * and HTTP request, with credentials replaced by "<redacted>".  A
 * MessagePack message (alpaca-data) is logged as "ws-recv-msgpack" and its
 * JSON form. */
#include "replayd.h"

#include <stdlib.h>
#include <string.h>

static const char *const secret_keys[] = {
	"key", "secret", "key_id", "secret_key", "token", NULL
};

static void
redact_object(json_t *o)
{
	int i;

	if (!json_is_object(o))
		return;
	for (i = 0; secret_keys[i] != NULL; i++)
		if (json_object_get(o, secret_keys[i]) != NULL)
			json_object_set_new(o, secret_keys[i],
			    json_string("<redacted>"));
	redact_object(json_object_get(o, "data"));
}

/* Copies Q into DST with the value of token= replaced. */
static void
redact_query(char *dst, size_t len, const char *q)
{
	const char *t = strstr(q, "token=");
	const char *e;

	if (t == NULL || (t != q && t[-1] != '&')) {
		snprintf(dst, len, "%s", q);
		return;
	}
	e = strchr(t, '&');
	snprintf(dst, len, "%.*stoken=<redacted>%s", (int)(t - q), q,
	    e ? e : "");
}

static void
put(const char *kind, const char *a, const char *b)
{
	if (srv.log == NULL)
		return;
	fprintf(srv.log, "%s %s%s\n", kind, a, b);
	fflush(srv.log);
}

void
reqlog_ws_open(struct conn *c)
{
	char q[2100] = "";

	if (c->query[0] != '\0') {
		q[0] = '?';
		redact_query(q + 1, sizeof q - 1, c->query);
	}
	put("ws-open", c->path, q);
}

void
reqlog_ws_recv(struct conn *c, const char *msg, size_t len)
{
	json_t *j;
	char *s;

	if (srv.log == NULL)
		return;
	j = c->msgpack ? mpack_load(msg, len) : json_loadb(msg, len, 0, NULL);
	if (j == NULL && c->msgpack) {
		fprintf(srv.log, "ws-recv-msgpack (%zu bytes, malformed)\n",
		    len);
		fflush(srv.log);
		return;
	}
	if (j == NULL) {
		fprintf(srv.log, "ws-recv %.*s\n", (int)len, msg);
		fflush(srv.log);
		return;
	}
	redact_object(j);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	put(c->msgpack ? "ws-recv-msgpack" : "ws-recv", s, "");
	free(s);
	json_decref(j);
}

void
reqlog_http(struct conn *c)
{
	if (srv.log == NULL)
		return;
	fprintf(srv.log, "http %s %s%s%s auth=%s\n", c->method, c->path,
	    c->query[0] ? "?" : "", c->query,
	    c->auth_present ? "present" : "absent");
	fflush(srv.log);
}
