/*
 * wsclient: the tests' tiny client of replayd.
 *
 *   wsclient [--count N] [--timeout-ms MS] [--types] [--hex]
 *            [-H 'Name: value']... [--send MSG]... URL
 *     Connects to ws://HOST:PORT/PATH, with each -H header on the upgrade,
 *     sends each --send MSG and then each line of stdin when --stdin is
 *     given, in order, once connected, and prints every received message
 *     on its own line (with --types, prefixed "T " for text and "B " for
 *     binary frames).  With --hex, each MSG is hexadecimal and goes out as
 *     the binary frame of those bytes, and binary frames print in
 *     lower-case hexadecimal (MessagePack tests).  A close frame from the
 *     server prints "#close CODE REASON" on stdout.
 *     Exit status: 0 after N messages (--count; the client then closes
 *     normally), 4 when the server closed or dropped the connection,
 *     5 on timeout (default 10000 ms), 1 when it could not connect, 2 on
 *     bad usage.
 *
 *   wsclient --http METHOD URL [-H 'Name: value']... [-d BODY] [-i]
 *     One HTTP request through libcurl's easy API (fine in a test tool);
 *     prints "HTTP CODE" on the first line, the response headers with -i,
 *     then the body.  Exit status 0 whenever a response arrived, 1
 *     otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libwebsockets.h>

#define MAX_SEND 64

static struct {
	long count;
	long timeout_ms;
	int types;
	int hex;
	int use_stdin;
	struct curl_slist *headers;	/* -H, for the upgrade */
	const char *send[MAX_SEND];
	int nsend;
	int next_send;
	long received;
	int done;
	int status;
	char *rx;
	size_t rxlen, rxcap;
	struct lws *wsi;
	struct lws_context *ctx;
	lws_sorted_usec_list_t sul;
	char **lines;
	int nlines;
} cl = { .timeout_ms = 10000 };

static void
finish(int status)
{
	if (!cl.done) {
		cl.done = 1;
		cl.status = status;
	}
	if (cl.ctx != NULL)
		lws_cancel_service(cl.ctx);
}

static void
rx_add(const void *in, size_t len)
{
	if (cl.rxlen + len + 1 > cl.rxcap) {
		cl.rxcap = (cl.rxlen + len + 1) * 2;
		cl.rx = realloc(cl.rx, cl.rxcap);
		if (cl.rx == NULL)
			abort();
	}
	memcpy(cl.rx + cl.rxlen, in, len);
	cl.rxlen += len;
}

static const char *
next_message(void)
{
	if (cl.next_send < cl.nsend)
		return cl.send[cl.next_send++];
	if (cl.next_send - cl.nsend < cl.nlines)
		return cl.lines[cl.next_send++ - cl.nsend];
	return NULL;
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The bytes of hex text M into DST (room for strlen(M) / 2); their count,
 * or -1 when M is not an even number of hex digits. */
static long
unhex(const char *m, unsigned char *dst)
{
	size_t i, n = strlen(m);
	int hi, lo;

	if (n % 2 != 0)
		return -1;
	for (i = 0; i < n; i += 2) {
		if ((hi = hex_digit(m[i])) < 0 || (lo = hex_digit(m[i + 1])) < 0)
			return -1;
		dst[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static int
writeable(struct lws *wsi)
{
	const char *m = next_message();
	unsigned char *buf;
	long n;
	int rc;

	if (m == NULL)
		return cl.done ? -1 : 0;
	n = (long)strlen(m);
	if ((buf = malloc(LWS_PRE + (size_t)n)) == NULL)
		abort();
	if (cl.hex && (n = unhex(m, buf + LWS_PRE)) < 0) {
		fprintf(stderr, "wsclient: --send '%s' is not hex\n", m);
		free(buf);
		finish(2);
		return -1;
	}
	if (!cl.hex)
		memcpy(buf + LWS_PRE, m, (size_t)n);
	rc = lws_write(wsi, buf + LWS_PRE, (size_t)n, cl.hex ?
	    LWS_WRITE_BINARY : LWS_WRITE_TEXT);
	free(buf);
	lws_callback_on_writable(wsi);
	return rc < 0 ? -1 : 0;
}

static void
print_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", (unsigned char)p[i]);
}

static int
receive(struct lws *wsi, void *in, size_t len)
{
	if (lws_is_first_fragment(wsi))
		cl.rxlen = 0;
	rx_add(in, len);
	if (!lws_is_final_fragment(wsi))
		return 0;
	if (cl.types)
		fputs(lws_frame_is_binary(wsi) ? "B " : "T ", stdout);
	if (cl.hex && lws_frame_is_binary(wsi))
		print_hex(cl.rx, cl.rxlen);
	else
		fwrite(cl.rx, 1, cl.rxlen, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	if (cl.count > 0 && ++cl.received >= cl.count) {
		finish(0);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;
	}
	return 0;
}

static void
peer_close(void *in, size_t len)
{
	const unsigned char *p = in;
	int code = len >= 2 ? p[0] << 8 | p[1] : 0;

	printf("#close %d %.*s\n", code, len > 2 ? (int)len - 2 : 0,
	    len > 2 ? (const char *)p + 2 : "");
	fflush(stdout);
}

/* Writes the -H headers into the upgrade request; -1 when they do not
 * fit. */
static int
append_headers(char **p, size_t room)
{
	const struct curl_slist *h;
	size_t n;

	for (h = cl.headers; h != NULL; h = h->next) {
		n = strlen(h->data);
		if (n + 3 > room)
			return -1;
		memcpy(*p, h->data, n);
		memcpy(*p + n, "\r\n", 2);
		*p += n + 2;
		room -= n + 2;
	}
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "wsclient: connection error: %s\n",
		    in ? (const char *)in : "(none)");
		cl.wsi = NULL;
		finish(1);
		return 0;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return append_headers(in, len);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return writeable(wsi);
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return receive(wsi, in, len);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		peer_close(in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		cl.wsi = NULL;
		finish(4);
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{ "wsclient", callback, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
timeout_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	fprintf(stderr, "wsclient: timeout after %ld messages\n",
	    cl.received);
	finish(5);
	if (cl.wsi != NULL)
		lws_set_timeout(cl.wsi, PENDING_TIMEOUT_USER_OK,
		    LWS_TO_KILL_SYNC);
}

static void
read_stdin(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		cl.lines = realloc(cl.lines, (size_t)(cl.nlines + 1) *
		    sizeof *cl.lines);
		if (cl.lines == NULL || (cl.lines[cl.nlines] = strdup(line)) ==
		    NULL)
			abort();
		cl.nlines++;
	}
	free(line);
}

static int
ws_main(const char *url)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	char *u = strdup(url), path[1024];
	const char *proto, *addr, *p;
	int port, i;

	if (u == NULL || lws_parse_uri(u, &proto, &addr, &port, &p) != 0 ||
	    strcmp(proto, "ws") != 0) {
		fprintf(stderr, "wsclient: bad URL '%s'\n", url);
		free(u);
		return 2;
	}
	snprintf(path, sizeof path, "/%s", p);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	lws_set_log_level(LLL_ERR, NULL);
	if ((cl.ctx = lws_create_context(&info)) == NULL) {
		free(u);
		return 1;
	}
	memset(&ci, 0, sizeof ci);
	ci.context = cl.ctx;
	ci.address = addr;
	ci.port = port;
	ci.path = path;
	ci.host = addr;
	ci.origin = addr;
	ci.local_protocol_name = "wsclient";
	ci.pwsi = &cl.wsi;
	lws_sul_schedule(cl.ctx, 0, &cl.sul, timeout_cb,
	    (lws_usec_t)cl.timeout_ms * 1000);
	if (lws_client_connect_via_info(&ci) == NULL && cl.wsi == NULL)
		finish(1);
	while (!cl.done)
		if (lws_service(cl.ctx, 0) < 0)
			break;
	lws_context_destroy(cl.ctx);
	free(u);
	free(cl.rx);
	for (i = 0; i < cl.nlines; i++)
		free(cl.lines[i]);
	free(cl.lines);
	return cl.status;
}

static size_t
http_header(char *b, size_t size, size_t n, void *f)
{
	if (n > 0 && strncmp(b, "HTTP/", 5) != 0 && strncmp(b, "\r\n", 2))
		fwrite(b, size, n, f);
	return size * n;
}

static void
copy_out(FILE *f)
{
	int c;

	rewind(f);
	while ((c = getc(f)) != EOF)
		putchar(c);
	fclose(f);
}

static int
http_main(const char *method, const char *url, struct curl_slist *hdrs,
    const char *data, int show)
{
	CURL *h;
	CURLcode rc;
	long code = 0;
	FILE *body = tmpfile(), *head = tmpfile();

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (body == NULL || head == NULL || (h = curl_easy_init()) == NULL)
		return 1;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, head);
	if (data != NULL)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, data);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK) {
		printf("HTTP %ld\n", code);
		if (show)
			copy_out(head);
		else
			fclose(head);
		copy_out(body);
	} else {
		fprintf(stderr, "wsclient: %s\n", curl_easy_strerror(rc));
		fclose(head);
		fclose(body);
	}
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	return rc == CURLE_OK ? 0 : 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: wsclient [--count N] [--timeout-ms MS] "
	    "[--types] [--hex] [--stdin] [-H HDR]... [--send MSG]...\n"
	    "                ws://HOST:PORT/PATH\n"
	    "       wsclient --http METHOD URL [-H HDR]... [-d BODY] [-i]\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "types", no_argument, NULL, 'T' },
		{ "hex", no_argument, NULL, 'x' },
		{ "stdin", no_argument, NULL, 's' },
		{ "send", required_argument, NULL, 'm' },
		{ "http", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct curl_slist *hdrs = NULL;
	const char *method = NULL, *data = NULL;
	int ch, show = 0;

	while ((ch = getopt_long(argc, argv, "H:d:i", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': cl.count = atol(optarg); break;
		case 't': cl.timeout_ms = atol(optarg); break;
		case 'T': cl.types = 1; break;
		case 'x': cl.hex = 1; break;
		case 's': cl.use_stdin = 1; break;
		case 'm':
			if (cl.nsend == MAX_SEND)
				return 2;
			cl.send[cl.nsend++] = optarg;
			break;
		case 'h': method = optarg; break;
		case 'H': hdrs = curl_slist_append(hdrs, optarg); break;
		case 'd': data = optarg; break;
		case 'i': show = 1; break;
		default: usage(); return 2;
		}
	}
	if (optind != argc - 1) {
		usage();
		return 2;
	}
	if (method != NULL)
		return http_main(method, argv[optind], hdrs, data, show);
	if (cl.use_stdin)
		read_stdin();
	cl.headers = hdrs;
	ch = ws_main(argv[optind]);
	curl_slist_free_all(hdrs);
	return ch;
}
