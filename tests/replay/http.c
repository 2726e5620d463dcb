/* HTTP requests on the shared vhost: collects the request, hands it to
 * the provider (or to the --http-status fault) and writes the JSON answer
 * in chunks from the HTTP WRITEABLE callback. */
#include "replayd.h"

#include <string.h>

#define HTTP_BODY_MAX (1 << 20)
#define HTTP_CHUNK 16384

/* Fills RESP with an Alpaca-style error body and sets *STATUS. */
void
http_error(struct buf *resp, int *status, int code, const char *msg)
{
	json_t *j = json_pack("{s:i,s:s}", "code", code, "message", msg);

	buf_reset(resp);
	json_buf(resp, j);
	json_decref(j);
	*status = code / 100000;
}

static void
copy_request(struct conn *c, const char *path)
{
	char frag[1024];
	size_t ql = 0;
	int i, n;
	char *uri;
	int ulen, m;

	snprintf(c->path, sizeof c->path, "%s", path);
	c->query[0] = '\0';
	for (i = 0; (n = lws_hdr_copy_fragment(c->wsi, frag, sizeof frag,
	    WSI_TOKEN_HTTP_URI_ARGS, i)) > 0; i++) {
		if (ql + (size_t)n + 2 >= sizeof c->query)
			break;
		if (ql > 0)
			c->query[ql++] = '&';
		memcpy(c->query + ql, frag, (size_t)n + 1);
		ql += (size_t)n;
	}
	m = lws_http_get_uri_and_method(c->wsi, &uri, &ulen);
	snprintf(c->method, sizeof c->method, "%s",
	    m == LWSHUMETH_GET ? "GET" : m == LWSHUMETH_POST ? "POST" :
	    m == LWSHUMETH_DELETE ? "DELETE" : m == LWSHUMETH_PUT ? "PUT" :
	    m == LWSHUMETH_PATCH ? "PATCH" : m == LWSHUMETH_HEAD ? "HEAD" :
	    "OTHER");
}

static void
copy_auth(struct conn *c)
{
	c->key_hdr[0] = c->secret_hdr[0] = '\0';
	if (lws_hdr_custom_copy(c->wsi, c->key_hdr, sizeof c->key_hdr,
	    "apca-api-key-id:", 16) < 0)
		c->key_hdr[0] = '\0';
	if (lws_hdr_custom_copy(c->wsi, c->secret_hdr, sizeof c->secret_hdr,
	    "apca-api-secret-key:", 20) < 0)
		c->secret_hdr[0] = '\0';
	c->auth_present = c->key_hdr[0] != '\0' || c->secret_hdr[0] != '\0';
}

static int
respond(struct conn *c)
{
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start;
	unsigned char *end = hdr + sizeof hdr - 1;
	int st = c->resp_status;

	if (lws_add_http_common_headers(c->wsi, (unsigned)st,
	    "application/json", c->resp.len, &p, end))
		return -1;
	if (c->retry_after != NULL && lws_add_http_header_by_name(c->wsi,
	    (const unsigned char *)"retry-after:",
	    (const unsigned char *)c->retry_after,
	    (int)strlen(c->retry_after), &p, end))
		return -1;
	if (lws_finalize_write_http_header(c->wsi, start, &p, end))
		return -1;
	if (c->resp.len == 0)
		return lws_http_transaction_completed(c->wsi) ? -1 : 0;
	c->resp_off = 0;
	lws_callback_on_writable(c->wsi);
	return 0;
}

static int
dispatch(struct conn *c)
{
	int st;

	buf_reset(&c->resp);
	c->retry_after = NULL;
	if ((st = faults_http_status(c, &c->resp)) == 0) {
		if (srv.ops->http == NULL) {
			st = 404;
			buf_adds(&c->resp, "{\"message\":\"not found\"}");
		} else {
			srv.http_served++;
			st = srv.ops->http(c, c->method, c->path, c->query,
			    buf_data(&c->body), &c->resp);
		}
	}
	c->resp_status = st;
	return respond(c);
}

/* LWS_CALLBACK_HTTP with PATH: returns -1 to close the connection. */
int
http_request(struct conn *c, const char *path)
{
	copy_request(c, path);
	copy_auth(c);
	buf_reset(&c->body);
	srv.http_requests++;
	srv.last_activity = now_us();
	reqlog_http(c);
	if (strcmp(c->method, "POST") == 0 || strcmp(c->method, "PUT") == 0 ||
	    strcmp(c->method, "PATCH") == 0)
		return 0;	/* answered at LWS_CALLBACK_HTTP_BODY_COMPLETION */
	return dispatch(c);
}

int
http_body(struct conn *c, const char *data, size_t len)
{
	if (c->body.len + len > HTTP_BODY_MAX)
		return -1;
	buf_add(&c->body, data, len);
	return 0;
}

int
http_complete(struct conn *c)
{
	srv.last_activity = now_us();
	return dispatch(c);
}

/* LWS_CALLBACK_HTTP_WRITEABLE: the next chunk of the response body. */
int
http_writeable(struct conn *c)
{
	size_t left = c->resp.len - c->resp_off;
	size_t n = left > HTTP_CHUNK ? HTTP_CHUNK : left;
	int fin = n == left;

	if (c->resp.mem == NULL || left == 0)
		return 0;
	if (lws_write(c->wsi, (unsigned char *)buf_data(&c->resp) +
	    c->resp_off, n, fin ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) !=
	    (int)n)
		return -1;
	c->resp_off += n;
	if (!fin) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	return lws_http_transaction_completed(c->wsi) ? -1 : 0;
}
