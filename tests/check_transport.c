/* The network transport (ws.c, http.c) against servers the tests start on
 * 127.0.0.1: a small WebSocket server and a small HTTP server written on
 * raw sockets, so they can misbehave on purpose (drop connections, ignore
 * pings, stall, answer 429/500).  Each runs on its own thread, binds port 0
 * and stops by itself after SERVER_LIFE_MS at the latest. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "http.h"
#include "log.h"
#include "suites.h"
#include "ws.h"
#include "xmalloc.h"

#define SERVER_LIFE_MS 60000
#define MS INT64_C(1000000)

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A listening socket on 127.0.0.1 with a kernel-chosen port. */
static int
listen_any(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port nothing listens on (bound, then closed). */
static int
dead_port(void)
{
	int port, fd = listen_any(&port);

	close(fd);
	return port;
}

/* Waits until fd is readable, the stop flag is set or the deadline passes.
 * Returns 1 when readable. */
static int
wait_readable(int fd, atomic_int *stop, int64_t deadline)
{
	struct pollfd p = { fd, POLLIN, 0 };

	while (!atomic_load(stop) && now_ns() < deadline) {
		if (poll(&p, 1, 20) > 0)
			return 1;
	}
	return 0;
}

static int
send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads an HTTP head (up to the blank line) into buf; returns its length
 * including the blank line, or -1.  Bytes after it stay in buf[0..*got). */
static int
read_head(int fd, char *buf, size_t size, size_t *got, atomic_int *stop,
    int64_t deadline)
{
	char *end;
	ssize_t n;

	*got = 0;
	for (;;) {
		buf[*got] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			return (int)(end + 4 - buf);
		if (*got > 0 && (buf[0] < 'A' || buf[0] > 'Z'))
			return -1;	/* not HTTP (a TLS hello) */
		if (*got + 1 >= size || !wait_readable(fd, stop, deadline))
			return -1;
		n = recv(fd, buf + *got, size - 1 - *got, 0);
		if (n <= 0)
			return -1;
		*got += (size_t)n;
	}
}

/* ---- SHA-1 (RFC 3174), for Sec-WebSocket-Accept ---- */

static uint32_t
rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		t = rol(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

static void
sha1(const char *msg, size_t len, unsigned char out[20])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
	    0xc3d2e1f0 };
	unsigned char block[64];
	uint64_t bits = (uint64_t)len * 8;
	size_t i, n = len;
	int j;

	for (; n >= 64; n -= 64, msg += 64)
		sha1_block(h, (const unsigned char *)msg);
	memset(block, 0, sizeof block);
	memcpy(block, msg, n);
	block[n] = 0x80;
	if (n >= 56) {
		sha1_block(h, block);
		memset(block, 0, sizeof block);
	}
	for (j = 0; j < 8; j++)
		block[63 - j] = (unsigned char)(bits >> (8 * j));
	sha1_block(h, block);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- The WebSocket server ---- */

struct wsd {
	int lfd, port;
	pthread_t thread;
	atomic_int stop;
	/* Script, set before start. */
	int drop_first;			/* close this many right after the
					 * handshake */
	int ignore_pings_first;		/* no pong on this many connections */
	/* Record, under lock. */
	pthread_mutex_t lock;
	int conns, ended, pings;
	int64_t accept_ns[64];
	char head[4096];		/* the last handshake request */
};

static int
wsd_frame(int fd, int opcode, int fin, const void *data, size_t len)
{
	unsigned char h[10];
	size_t n = 2;
	int i;

	h[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
	if (len < 126)
		h[1] = (unsigned char)len;
	else if (len < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		n = 4;
	} else {
		h[1] = 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
		n = 10;
	}
	if (send_all(fd, h, n) != 0)
		return -1;
	return len > 0 ? send_all(fd, data, len) : 0;
}

/* A message of n bytes 'a'..'z' repeating, sent in k frames. */
static int
wsd_send_pattern(int fd, int opcode, size_t n, size_t k)
{
	char *buf = xmalloc(n + 1);
	size_t i, off = 0, part;
	int rc = 0;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
	for (i = 0; i < k && rc == 0; i++) {
		part = i + 1 == k ? n - off : n / k;
		rc = wsd_frame(fd, i == 0 ? opcode : 0, i + 1 == k, buf + off,
		    part);
		off += part;
	}
	free(buf);
	return rc;
}

static int
wsd_handshake(struct wsd *s, int fd, int64_t deadline)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	char buf[4096], key[128], accept[64], resp[256];
	unsigned char digest[20];
	const char *k;
	size_t got, n;

	if (read_head(fd, buf, sizeof buf, &got, &s->stop, deadline) < 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	snprintf(s->head, sizeof s->head, "%s", buf);
	pthread_mutex_unlock(&s->lock);
	if ((k = strstr(buf, "Sec-WebSocket-Key:")) == NULL &&
	    (k = strstr(buf, "sec-websocket-key:")) == NULL)
		return -1;
	k += strlen("Sec-WebSocket-Key:");
	k += strspn(k, " ");
	n = strcspn(k, "\r\n");
	if (n + sizeof guid > sizeof key)
		return -1;
	memcpy(key, k, n);
	memcpy(key + n, guid, sizeof guid);
	sha1(key, strlen(key), digest);
	lws_b64_encode_string((const char *)digest, 20, accept, sizeof accept);
	snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching Protocols\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
	return send_all(fd, resp, strlen(resp));
}

/* Acts on one text message; returns -1 to end the connection. */
static int
wsd_command(int fd, char *msg)
{
	unsigned long n, k;
	int code;

	if (strcmp(msg, "drop") == 0)
		return -1;
	if (sscanf(msg, "frag %lu %lu", &n, &k) == 2)
		return wsd_send_pattern(fd, 1, n, k);
	if (sscanf(msg, "big %lu", &n) == 1)
		return wsd_send_pattern(fd, 2, n, 1);
	if (sscanf(msg, "close %d", &code) == 1) {
		unsigned char b[2] = { (unsigned char)(code >> 8),
		    (unsigned char)code };

		wsd_frame(fd, 8, 1, b, 2);
		return -1;
	}
	return wsd_frame(fd, 1, 1, msg, strlen(msg));
}

/* Parses one complete client frame at buf (masked); returns its size, 0
 * when more bytes are needed. */
static size_t
wsd_parse(unsigned char *buf, size_t got, int *opcode, char **payload,
    size_t *len)
{
	size_t hl = 2, n, i;
	unsigned char *mask;

	if (got < 2)
		return 0;
	n = buf[1] & 0x7f;
	if (n == 126) {
		if (got < 4)
			return 0;
		n = (size_t)buf[2] << 8 | buf[3];
		hl = 4;
	} else if (n == 127) {
		if (got < 10)
			return 0;
		for (n = 0, i = 0; i < 8; i++)
			n = n << 8 | buf[2 + i];
		hl = 10;
	}
	if (got < hl + 4 + n)
		return 0;
	mask = buf + hl;
	for (i = 0; i < n; i++)
		buf[hl + 4 + i] ^= mask[i % 4];
	*opcode = buf[0] & 0x0f;
	*payload = (char *)buf + hl + 4;
	*len = n;
	return hl + 4 + n;
}

/* Handles one frame; returns -1 to end the connection. */
static int
wsd_on_frame(struct wsd *s, int fd, int idx, int opcode, char *p,
    size_t len)
{
	char msg[65536];

	switch (opcode) {
	case 9:
		pthread_mutex_lock(&s->lock);
		s->pings++;
		pthread_mutex_unlock(&s->lock);
		return idx < s->ignore_pings_first ? 0 :
		    wsd_frame(fd, 10, 1, p, len);
	case 8:
		wsd_frame(fd, 8, 1, p, len);
		return -1;
	case 1:
		if (len >= sizeof msg)
			return -1;
		memcpy(msg, p, len);
		msg[len] = '\0';
		return wsd_command(fd, msg);
	default:
		return 0;
	}
}

/* Reads and answers frames until the connection ends. */
static void
wsd_frames(struct wsd *s, int fd, int idx, int64_t deadline,
    unsigned char *buf, size_t size)
{
	size_t got = 0, used, len;
	int opcode;
	char *payload;
	ssize_t n;

	while (wait_readable(fd, &s->stop, deadline)) {
		n = recv(fd, buf + got, size - got, 0);
		if (n <= 0)
			return;
		got += (size_t)n;
		while ((used = wsd_parse(buf, got, &opcode, &payload,
		    &len)) > 0) {
			if (wsd_on_frame(s, fd, idx, opcode, payload, len) != 0)
				return;
			memmove(buf, buf + used, got - used);
			got -= used;
		}
		if (got == size)
			return;
	}
}

static void
wsd_serve(struct wsd *s, int fd, int idx, int64_t deadline)
{
	unsigned char *buf;

	if (wsd_handshake(s, fd, deadline) != 0 || idx < s->drop_first)
		return;
	buf = xmalloc(1 << 17);
	wsd_frames(s, fd, idx, deadline, buf, 1 << 17);
	free(buf);
}

static void *
wsd_main(void *arg)
{
	struct wsd *s = arg;
	int64_t deadline = now_ns() + SERVER_LIFE_MS * MS;
	int fd, idx;

	while (wait_readable(s->lfd, &s->stop, deadline)) {
		if ((fd = accept(s->lfd, NULL, NULL)) < 0)
			continue;
		pthread_mutex_lock(&s->lock);
		idx = s->conns;
		if (idx < 64)
			s->accept_ns[idx] = now_ns();
		s->conns++;
		pthread_mutex_unlock(&s->lock);
		wsd_serve(s, fd, idx, deadline);
		close(fd);
		pthread_mutex_lock(&s->lock);
		s->ended++;
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void
wsd_start(struct wsd *s)
{
	s->lfd = listen_any(&s->port);
	pthread_mutex_init(&s->lock, NULL);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, wsd_main, s), 0);
}

static void
wsd_stop(struct wsd *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	pthread_mutex_destroy(&s->lock);
}

/* Milliseconds between the server's accepts of connections i and i+1. */
static int64_t
wsd_gap(struct wsd *s, int i)
{
	int64_t gap;

	pthread_mutex_lock(&s->lock);
	gap = (s->accept_ns[i + 1] - s->accept_ns[i]) / MS;
	pthread_mutex_unlock(&s->lock);
	return gap;
}

static int
wsd_get(struct wsd *s, const int *field)
{
	int v;

	pthread_mutex_lock(&s->lock);
	v = *field;
	pthread_mutex_unlock(&s->lock);
	return v;
}

/* Log lines, to check what reconnects and retries say and that secrets stay out. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_text[16384];

static void
log_capture(enum log_level level, const char *msg, void *arg)
{
	static const char *const names[] = { "E", "W", "I", "D" };
	size_t n;

	(void)arg;
	pthread_mutex_lock(&log_lock);
	n = strlen(log_text);
	snprintf(log_text + n, sizeof log_text - n, "%s %s\n", names[level],
	    msg);
	pthread_mutex_unlock(&log_lock);
}

static int
log_has(const char *text)
{
	int found;

	pthread_mutex_lock(&log_lock);
	found = strstr(log_text, text) != NULL;
	pthread_mutex_unlock(&log_lock);
	return found;
}

/* ---- The WebSocket client side: what the callbacks saw ---- */

#define MAX_SEEN 64

struct seen {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int opens, closes, nmsgs;
	char *reasons[MAX_SEEN];
	char *msgs[MAX_SEEN];
	size_t lens[MAX_SEEN];
	int binary[MAX_SEEN];
	int64_t recv_ns[MAX_SEEN];
	const char *hello;		/* sent from on_open when set */
	int send_rc;			/* of that send */
};

static void
on_open(void *arg, struct ws_conn *c)
{
	struct seen *s = arg;
	int rc = 0;

	/* Before the open is visible, so it is queued first. */
	if (s->hello != NULL)
		rc = ws_send(c, s->hello, strlen(s->hello));
	pthread_mutex_lock(&s->lock);
	s->send_rc = rc;
	s->opens++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void
on_message(void *arg, struct ws_conn *c, const char *data, size_t len,
    int binary, int64_t recv_ns)
{
	struct seen *s = arg;

	(void)c;
	pthread_mutex_lock(&s->lock);
	if (s->nmsgs < MAX_SEEN) {
		s->msgs[s->nmsgs] = xmalloc(len + 1);
		memcpy(s->msgs[s->nmsgs], data, len);
		s->msgs[s->nmsgs][len] = '\0';
		s->lens[s->nmsgs] = len;
		s->binary[s->nmsgs] = binary;
		s->recv_ns[s->nmsgs] = recv_ns;
	}
	s->nmsgs++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void
on_close(void *arg, struct ws_conn *c, const char *reason)
{
	struct seen *s = arg;

	(void)c;
	pthread_mutex_lock(&s->lock);
	if (s->closes < MAX_SEEN)
		s->reasons[s->closes] = xstrdup(reason);
	s->closes++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static const struct ws_callbacks callbacks = { on_open, on_message,
	on_close };

static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
}

static void
seen_free(struct seen *s)
{
	int i;

	for (i = 0; i < MAX_SEEN; i++) {
		free(s->msgs[i]);
		free(s->reasons[i]);
	}
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
}

/* Waits until *field >= want, for at most ms; returns the last value. */
static int
seen_wait(struct seen *s, const int *field, int want, int ms)
{
	int64_t deadline = now_ns() + ms * MS;
	struct timespec ts;
	int v;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&s->lock);
	while (*field < want && now_ns() < deadline)
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	v = *field;
	pthread_mutex_unlock(&s->lock);
	return v;
}

static int
seen_get(struct seen *s, const int *field)
{
	return seen_wait(s, field, 0, 0);
}

/* Waits until the server's *field >= want (polling), at most ms. */
static int
wsd_wait(struct wsd *s, const int *field, int want, int ms)
{
	int64_t deadline = now_ns() + ms * MS;
	int v;

	while ((v = wsd_get(s, field)) < want && now_ns() < deadline)
		sleep_ms(5);
	return v;
}

static struct ws_options
test_options(const struct wsd *d, char *url, size_t size)
{
	struct ws_options o;

	snprintf(url, size, "ws://127.0.0.1:%d/feed?token=secret", d->port);
	memset(&o, 0, sizeof o);
	o.url = url;
	o.backoff_initial_ms = 50;
	o.backoff_max_ms = 400;
	o.jitter_percent = -1;
	return o;
}

static int
check_pattern(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (char)('a' + i % 26))
			return 0;
	return 1;
}

/* Connect, on_open, extra headers reach the server, echoes in order. */
START_TEST(ws_echo)
{
	static const char *const headers[] = { "X-Test: yes", NULL };
	struct wsd d = { 0 };
	struct seen s;
	struct ws_stats st;
	struct ws_options o;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], *cause = NULL;

	wsd_start(&d);
	seen_init(&s);
	s.hello = "hello";
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	o.headers = headers;
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 1, 5000), 1);
	ck_assert_int_eq(ws_send(c, "one", 3), 0);
	ck_assert_int_eq(ws_send(c, "two", 3), 0);
	ck_assert_int_eq(ws_send(c, "three", 5), 0);
	ck_assert_int_eq(seen_wait(&s, &s.nmsgs, 4, 5000), 4);
	ck_assert_int_eq(s.send_rc, 0);
	ck_assert_str_eq(s.msgs[0], "hello");
	ck_assert_str_eq(s.msgs[1], "one");
	ck_assert_str_eq(s.msgs[2], "two");
	ck_assert_str_eq(s.msgs[3], "three");
	ck_assert_int_eq(s.binary[3], 0);
	ck_assert(s.recv_ns[3] >= s.recv_ns[0] && s.recv_ns[0] > 0);
	ws_get_stats(c, &st);
	ck_assert_uint_eq(st.messages, 4);
	ck_assert_uint_eq(st.bytes, 16);
	ck_assert_uint_eq(st.reconnects, 0);
	ck_assert_int_eq(seen_get(&s, &s.closes), 0);
	ws_loop_stop(l);
	wsd_stop(&d);
	ck_assert_int_eq(seen_get(&s, &s.closes), 0);
	ck_assert_ptr_nonnull(strstr(d.head, "GET /feed?token=secret HTTP/1.1"));
	ck_assert_ptr_nonnull(strstr(d.head, "\r\nX-Test: yes\r\n"));
	seen_free(&s);
}
END_TEST

/* Fragmented and large messages are reassembled; one over the cap is
 * dropped and counted and the connection goes on. */
START_TEST(ws_fragments)
{
	struct wsd d = { 0 };
	struct seen s;
	struct ws_stats st;
	struct ws_options o;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], cmd[64], *cause = NULL;

	wsd_start(&d);
	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 1, 5000), 1);
	ck_assert_int_eq(ws_send(c, "frag 100000 7", 13), 0);
	ck_assert_int_eq(ws_send(c, "big 3000000", 11), 0);
	snprintf(cmd, sizeof cmd, "frag %u 5", WS_MAX_MESSAGE + 1000);
	ck_assert_int_eq(ws_send(c, cmd, strlen(cmd)), 0);
	ck_assert_int_eq(ws_send(c, "after", 5), 0);
	ck_assert_int_eq(seen_wait(&s, &s.nmsgs, 3, 50000), 3);
	ck_assert_uint_eq(s.lens[0], 100000);
	ck_assert(check_pattern(s.msgs[0], 100000));
	ck_assert_int_eq(s.binary[0], 0);
	ck_assert_uint_eq(s.lens[1], 3000000);
	ck_assert(check_pattern(s.msgs[1], 3000000));
	ck_assert_int_eq(s.binary[1], 1);
	ck_assert_str_eq(s.msgs[2], "after");
	ws_get_stats(c, &st);
	ck_assert_uint_eq(st.messages, 3);
	ck_assert_uint_eq(st.dropped_oversize, 1);
	ck_assert_int_eq(seen_get(&s, &s.closes), 0);
	ws_loop_stop(l);
	wsd_stop(&d);
	seen_free(&s);
}
END_TEST

/* The server drops the first connections right after the handshake: each
 * drop is reported, reconnects wait initial * 2^k up to the cap, and after
 * a connection that delivered a message the delay starts over. */
START_TEST(ws_reconnect)
{
	static const int64_t delay[] = { 100, 200, 400, 800 };
	struct wsd d = { 0 };
	struct seen s;
	struct ws_stats st;
	struct ws_options o;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], *cause = NULL;
	int64_t gap;
	int i;

	d.drop_first = 4;
	log_text[0] = '\0';
	log_set_sink(log_capture, NULL);
	wsd_start(&d);
	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	o.backoff_initial_ms = 100;
	o.backoff_max_ms = 6400;
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 5, 20000), 5);
	ck_assert_int_eq(ws_send(c, "ping me", 7), 0);
	ck_assert_int_eq(seen_wait(&s, &s.nmsgs, 1, 5000), 1);
	ck_assert_int_eq(seen_get(&s, &s.closes), 4);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(s.reasons[i], "closed by peer 1006");
		gap = wsd_gap(&d, i);
		ck_assert_int_ge(gap, delay[i]);
		ck_assert_int_lt(gap, 10 * delay[i] + 1000);
	}
	ck_assert(log_has("reconnecting in 100 ms (attempt 1)"));
	ck_assert(log_has("reconnecting in 200 ms (attempt 2)"));
	ck_assert(log_has("reconnecting in 400 ms (attempt 3)"));
	ck_assert(log_has("reconnecting in 800 ms (attempt 4)"));
	ck_assert(!log_has("attempt 5"));
	ws_get_stats(c, &st);
	ck_assert_uint_eq(st.reconnects, 4);
	/* A message came: the next drop retries after the initial delay
	 * (1600 ms without the reset). */
	ck_assert_int_eq(ws_send(c, "close 4001", 10), 0);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 6, 10000), 6);
	ck_assert_str_eq(s.reasons[4], "closed by peer 4001");
	gap = wsd_gap(&d, 4);
	ck_assert_int_ge(gap, 100);
	ck_assert_int_lt(gap, 1500);
	ck_assert(!log_has("attempt 5"));
	ck_assert(!log_has("1600 ms"));
	ws_get_stats(c, &st);
	ck_assert_uint_eq(st.reconnects, 5);
	ws_loop_stop(l);
	wsd_stop(&d);
	ck_assert(!log_has("secret"));
	log_set_sink(NULL, NULL);
	seen_free(&s);
}
END_TEST

/* Silence brings pings; a server that stops answering them is dropped for
 * a pong timeout and reconnected, and one that answers keeps the
 * connection. */
START_TEST(ws_pong_timeout)
{
	struct wsd d = { 0 };
	struct seen s;
	struct ws_options o;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], *cause = NULL;
	int pings;

	d.ignore_pings_first = 1;
	wsd_start(&d);
	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	o.ping_interval_ms = 100;
	o.pong_timeout_ms = 200;
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 2, 10000), 2);
	ck_assert_int_eq(seen_get(&s, &s.closes), 1);
	ck_assert_str_eq(s.reasons[0], "pong timeout");
	pings = wsd_get(&d, &d.pings);
	ck_assert_int_ge(pings, 1);
	/* The second connection answers: several pings and no close. */
	ck_assert_int_ge(wsd_wait(&d, &d.pings, pings + 4, 10000), pings + 4);
	ck_assert_int_eq(seen_get(&s, &s.closes), 1);
	ck_assert_int_eq(seen_get(&s, &s.opens), 2);
	ck_assert_int_eq(ws_send(c, "still here", 10), 0);
	ck_assert_int_eq(seen_wait(&s, &s.nmsgs, 1, 5000), 1);
	ws_loop_stop(l);
	wsd_stop(&d);
	seen_free(&s);
}
END_TEST

/* Nothing listens: the failures are reported, ws_send refuses while not
 * connected, and ws_close ends the retries without a callback. */
START_TEST(ws_send_disconnected)
{
	struct seen s;
	struct ws_options o;
	struct ws_stats st;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], *cause = NULL;
	int closes;

	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	snprintf(url, sizeof url, "ws://127.0.0.1:%d/", dead_port());
	memset(&o, 0, sizeof o);
	o.url = url;
	o.backoff_initial_ms = 20;
	o.backoff_max_ms = 40;
	o.jitter_percent = -1;
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(ws_send(c, "x", 1), -1);
	ck_assert_int_ge(seen_wait(&s, &s.closes, 3, 5000), 3);
	ck_assert_msg(strncmp(s.reasons[0], "connect failed", 14) == 0,
	    "reason: %s", s.reasons[0]);
	ck_assert_int_eq(ws_send(c, "x", 1), -1);
	ck_assert_int_eq(seen_get(&s, &s.opens), 0);
	ws_close(c);
	sleep_ms(200);
	closes = seen_get(&s, &s.closes);
	sleep_ms(300);
	ck_assert_int_eq(seen_get(&s, &s.closes), closes);
	ck_assert_int_eq(ws_send(c, "x", 1), -1);
	ws_get_stats(c, &st);
	ck_assert_uint_ge(st.reconnects, 2);
	ws_loop_stop(l);
	seen_free(&s);
}
END_TEST

/* ws_close on an open connection from another thread: the server sees it
 * end, no on_close and no reconnect. */
START_TEST(ws_close_open)
{
	struct wsd d = { 0 };
	struct seen s;
	struct ws_options o;
	struct ws_loop *l;
	struct ws_conn *c;
	char url[128], *cause = NULL;

	wsd_start(&d);
	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	c = ws_connect(l, &o, &callbacks, &s, &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(seen_wait(&s, &s.opens, 1, 5000), 1);
	ws_close(c);
	ck_assert_int_eq(wsd_wait(&d, &d.ended, 1, 5000), 1);
	sleep_ms(300);
	ck_assert_int_eq(wsd_get(&d, &d.conns), 1);
	ck_assert_int_eq(seen_get(&s, &s.closes), 0);
	ck_assert_int_eq(ws_send(c, "x", 1), -1);
	ws_loop_stop(l);
	wsd_stop(&d);
	seen_free(&s);
}
END_TEST

/* wss:// to a server that speaks no TLS: the TLS path fails cleanly and
 * is reported as a connect failure, then retried. */
START_TEST(ws_tls_refused)
{
	struct wsd d = { 0 };
	struct seen s;
	struct ws_options o;
	struct ws_loop *l;
	char url[128], *cause = NULL;

	wsd_start(&d);
	seen_init(&s);
	l = ws_loop_start(&cause);
	ck_assert_ptr_nonnull(l);
	o = test_options(&d, url, sizeof url);
	snprintf(url, sizeof url, "wss://127.0.0.1:%d/feed", d.port);
	ck_assert_ptr_nonnull(ws_connect(l, &o, &callbacks, &s, &cause));
	ck_assert_int_ge(seen_wait(&s, &s.closes, 2, 20000), 2);
	ck_assert_msg(strncmp(s.reasons[0], "connect failed", 14) == 0,
	    "reason: %s", s.reasons[0]);
	ck_assert_int_eq(seen_get(&s, &s.opens), 0);
	ws_loop_stop(l);
	wsd_stop(&d);
	seen_free(&s);
}
END_TEST

static void
bad_connect(struct ws_loop *l, const char *url, const char *header,
    const char *want)
{
	const char *headers[] = { header, NULL };
	struct ws_options o;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.url = url;
	o.headers = headers;
	ck_assert_ptr_null(ws_connect(l, &o, &callbacks, NULL, &cause));
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, want) != NULL, "cause '%s' lacks '%s'",
	    cause, want);
	ck_assert_ptr_null(strstr(cause, "secret"));
	free(cause);
}

START_TEST(ws_bad_url)
{
	char *cause = NULL;
	struct ws_loop *l = ws_loop_start(&cause);

	ck_assert_ptr_nonnull(l);
	bad_connect(l, "http://example.com/", NULL, "http://example.com/");
	bad_connect(l, "ws://", NULL, "bad URL");
	bad_connect(l, "ws://h:99999/", NULL, "ws://h:99999/");
	bad_connect(l, "ws://h:80x/", NULL, "bad URL");
	bad_connect(l, "wss://h/a b", NULL, "bad URL");
	bad_connect(l, "ws://h/?token=secret", "NoColon", "header 1");
	ws_loop_stop(l);
	ws_loop_stop(NULL);
}
END_TEST

/* ---- The HTTP server ---- */

struct reply {
	int status;
	const char *headers;		/* extra lines, each ending \r\n */
	const char *body;
	int hold;			/* never answer */
};

struct httpd {
	int lfd, port;
	pthread_t thread;
	atomic_int stop;
	const struct reply *script;	/* the last entry repeats */
	int nscript;
	pthread_mutex_t lock;
	int nreq;
	int64_t req_ns[16];
	char *last;			/* the last request, head and body */
};

static int
httpd_read(struct httpd *s, int fd, int64_t deadline)
{
	char buf[65536], *cl;
	size_t got, want;
	int head;
	ssize_t n;

	head = read_head(fd, buf, sizeof buf, &got, &s->stop, deadline);
	if (head < 0)
		return -1;
	cl = strstr(buf, "\r\nContent-Length:");
	want = (size_t)head + (cl != NULL ? strtoul(cl + 17, NULL, 10) : 0);
	while (got < want && got + 1 < sizeof buf &&
	    wait_readable(fd, &s->stop, deadline)) {
		if ((n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) <= 0)
			return -1;
		got += (size_t)n;
	}
	buf[got] = '\0';
	pthread_mutex_lock(&s->lock);
	if (s->nreq < 16)
		s->req_ns[s->nreq] = now_ns();
	s->nreq++;
	free(s->last);
	s->last = xstrdup(buf);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void
httpd_answer(struct httpd *s, int fd, const struct reply *r,
    int64_t deadline)
{
	char head[512];
	const char *body = r->body != NULL ? r->body : "";

	if (r->hold) {
		/* Until the client gives up or the server stops. */
		while (wait_readable(fd, &s->stop, deadline) &&
		    recv(fd, head, sizeof head, 0) > 0)
			;
		return;
	}
	snprintf(head, sizeof head, "HTTP/1.1 %d Test\r\nContent-Length: %zu"
	    "\r\nConnection: close\r\n%s\r\n", r->status, strlen(body),
	    r->headers != NULL ? r->headers : "");
	if (send_all(fd, head, strlen(head)) == 0)
		send_all(fd, body, strlen(body));
}

static void *
httpd_main(void *arg)
{
	struct httpd *s = arg;
	int64_t deadline = now_ns() + SERVER_LIFE_MS * MS;
	int fd, idx;

	while (wait_readable(s->lfd, &s->stop, deadline)) {
		if ((fd = accept(s->lfd, NULL, NULL)) < 0)
			continue;
		if (httpd_read(s, fd, deadline) == 0) {
			pthread_mutex_lock(&s->lock);
			idx = s->nreq - 1;
			pthread_mutex_unlock(&s->lock);
			if (idx >= s->nscript)
				idx = s->nscript - 1;
			httpd_answer(s, fd, &s->script[idx], deadline);
		}
		close(fd);
	}
	return NULL;
}

static void
httpd_start(struct httpd *s, const struct reply *script, int n)
{
	memset(s, 0, sizeof *s);
	s->script = script;
	s->nscript = n;
	s->lfd = listen_any(&s->port);
	pthread_mutex_init(&s->lock, NULL);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, httpd_main, s), 0);
}

static void
httpd_stop(struct httpd *s)
{
	atomic_store(&s->stop, 1);
	pthread_join(s->thread, NULL);
	close(s->lfd);
	free(s->last);
	pthread_mutex_destroy(&s->lock);
}

static int
httpd_nreq(struct httpd *s)
{
	int n;

	pthread_mutex_lock(&s->lock);
	n = s->nreq;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* ---- The HTTP client side ---- */

struct answer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int calls;
	long status;
	char *body, *error;
	size_t len;
};

static void
on_done(void *arg, long status, const char *body, size_t len,
    const char *error)
{
	struct answer *a = arg;

	pthread_mutex_lock(&a->lock);
	a->calls++;
	a->status = status;
	a->len = len;
	free(a->body);
	free(a->error);
	a->body = xstrdup(body);
	a->error = error != NULL ? xstrdup(error) : NULL;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

static void
answer_init(struct answer *a)
{
	memset(a, 0, sizeof *a);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
}

static void
answer_free(struct answer *a)
{
	free(a->body);
	free(a->error);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
}

/* Waits for the done callback, at most ms; returns the number of calls. */
static int
answer_wait(struct answer *a, int ms)
{
	struct timespec ts;
	int calls;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000 + 1;
	pthread_mutex_lock(&a->lock);
	while (a->calls == 0 &&
	    pthread_cond_timedwait(&a->cond, &a->lock, &ts) == 0)
		;
	calls = a->calls;
	pthread_mutex_unlock(&a->lock);
	return calls;
}

static void
http_setup(void)
{
	char *cause = NULL;

	ck_assert_int_eq(http_global_init(&cause), 0);
	log_text[0] = '\0';
	log_set_sink(log_capture, NULL);
}

static void
http_teardown(void)
{
	log_set_sink(NULL, NULL);
	http_global_cleanup();
}

/* Submits one request to the server's path and waits for its answer. */
static void
run(struct httpd *d, struct http_request *req, const char *path,
    struct answer *a, struct http_stats *st)
{
	struct http_client *h;
	char url[256], *cause = NULL;

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", d->port, path);
	req->url = url;
	h = http_start(&cause);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(http_submit(h, req, on_done, a), 0);
	ck_assert_int_eq(answer_wait(a, 30000), 1);
	http_get_stats(h, st);
	http_stop(h);
	ck_assert_int_eq(a->calls, 1);
}

START_TEST(http_ok)
{
	static const struct reply script[] = { { 200, NULL, "hello", 0 } };
	struct http_request req = { 0 };
	struct http_stats st;
	struct httpd d;
	struct answer a;

	httpd_start(&d, script, 1);
	answer_init(&a);
	run(&d, &req, "/v1/bars?symbol=X", &a, &st);
	ck_assert_int_eq(a.status, 200);
	ck_assert_str_eq(a.body, "hello");
	ck_assert_uint_eq(a.len, 5);
	ck_assert_ptr_null(a.error);
	ck_assert_ptr_nonnull(strstr(d.last, "GET /v1/bars?symbol=X HTTP/1.1"));
	ck_assert_uint_eq(st.requests, 1);
	ck_assert_uint_eq(st.retries, 0);
	ck_assert_uint_eq(st.failures, 0);
	httpd_stop(&d);
	answer_free(&a);
}
END_TEST

/* 429 twice (the second with Retry-After: 1), then 200. */
START_TEST(http_429_then_ok)
{
	static const struct reply script[] = {
		{ 429, NULL, "slow down", 0 },
		{ 429, "Retry-After: 1\r\n", "slow down", 0 },
		{ 200, NULL, "[1,2]", 0 },
	};
	static const char *const headers[] = { "APCA-API-KEY-ID: secret",
		NULL };
	struct http_request req = { 0 };
	struct http_stats st;
	struct httpd d;
	struct answer a;

	httpd_start(&d, script, 3);
	answer_init(&a);
	req.max_retries = -1;
	req.backoff_initial_ms = 50;
	req.headers = headers;
	run(&d, &req, "/v2/orders?key=secret", &a, &st);
	ck_assert_int_eq(a.status, 200);
	ck_assert_str_eq(a.body, "[1,2]");
	ck_assert_int_eq(httpd_nreq(&d), 3);
	ck_assert_uint_eq(st.retries, 2);
	ck_assert_uint_eq(st.failures, 0);
	/* 50 ms after the first, Retry-After's 1 s after the second. */
	ck_assert_int_ge((d.req_ns[1] - d.req_ns[0]) / MS, 50);
	ck_assert_int_lt((d.req_ns[1] - d.req_ns[0]) / MS, 500 + 1000);
	ck_assert_int_ge((d.req_ns[2] - d.req_ns[1]) / MS, 1000);
	ck_assert_int_lt((d.req_ns[2] - d.req_ns[1]) / MS, 10000);
	ck_assert_ptr_nonnull(strstr(log_text, "status 429, retry 1 of 5 in 50 ms"));
	ck_assert_ptr_nonnull(strstr(log_text,
	    "status 429, retry 2 of 5 in 1000 ms"));
	ck_assert_ptr_null(strstr(log_text, "secret"));
	httpd_stop(&d);
	answer_free(&a);
}
END_TEST

/* 500 every time: max_retries + 1 attempts, then the 500 is delivered. */
START_TEST(http_500_gives_up)
{
	static const struct reply script[] = { { 500, NULL, "oops", 0 } };
	struct http_request req = { 0 };
	struct http_stats st;
	struct httpd d;
	struct answer a;

	httpd_start(&d, script, 1);
	answer_init(&a);
	req.max_retries = 2;
	req.backoff_initial_ms = 20;
	req.backoff_max_ms = 30;
	run(&d, &req, "/", &a, &st);
	ck_assert_int_eq(a.status, 500);
	ck_assert_str_eq(a.body, "oops");
	ck_assert_ptr_null(a.error);
	ck_assert_int_eq(httpd_nreq(&d), 3);
	ck_assert_uint_eq(st.retries, 2);
	ck_assert_uint_eq(st.failures, 1);
	ck_assert_ptr_nonnull(strstr(log_text, "status 500, retry 2 of 2 in 30 ms"));
	httpd_stop(&d);
	answer_free(&a);
}
END_TEST

START_TEST(http_timeout)
{
	static const struct reply script[] = { { 0, NULL, NULL, 1 } };
	struct http_request req = { 0 };
	struct http_stats st;
	struct httpd d;
	struct answer a;

	httpd_start(&d, script, 1);
	answer_init(&a);
	req.timeout_ms = 300;
	run(&d, &req, "/", &a, &st);
	ck_assert_int_eq(a.status, 0);
	ck_assert_ptr_nonnull(a.error);
	ck_assert_str_eq(a.error, "timeout after 300 ms");
	ck_assert_str_eq(a.body, "");
	ck_assert_uint_eq(st.failures, 1);
	httpd_stop(&d);
	answer_free(&a);
}
END_TEST

START_TEST(http_refused)
{
	char url[64], *cause = NULL;
	struct http_request req = { 0 };
	struct http_client *h;
	struct answer a;

	answer_init(&a);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", dead_port());
	req.url = url;
	h = http_start(&cause);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(http_submit(h, &req, on_done, &a), 0);
	ck_assert_int_eq(answer_wait(&a, 10000), 1);
	http_stop(h);
	ck_assert_int_eq(a.status, 0);
	ck_assert_str_eq(a.error, "connection refused");
	answer_free(&a);
}
END_TEST

/* POST and DELETE: method, body, JSON type and extra headers arrive. */
START_TEST(http_post)
{
	static const struct reply script[] = { { 201, NULL, "{}", 0 } };
	static const char *const headers[] = { "X-Key: k1", "X-Other: 2",
		NULL };
	struct http_request req = { 0 };
	struct http_stats st;
	struct httpd d;
	struct answer a;

	httpd_start(&d, script, 1);
	answer_init(&a);
	req.method = "POST";
	req.body = "{\"symbol\":\"AAPL\",\"qty\":1}";
	req.headers = headers;
	run(&d, &req, "/v2/orders", &a, &st);
	ck_assert_int_eq(a.status, 201);
	ck_assert_ptr_nonnull(strstr(d.last, "POST /v2/orders HTTP/1.1\r\n"));
	ck_assert_ptr_nonnull(strstr(d.last, "\r\nX-Key: k1\r\n"));
	ck_assert_ptr_nonnull(strstr(d.last, "\r\nX-Other: 2\r\n"));
	ck_assert_ptr_nonnull(strstr(d.last,
	    "\r\nContent-Type: application/json\r\n"));
	ck_assert_ptr_nonnull(strstr(d.last,
	    "\r\n\r\n{\"symbol\":\"AAPL\",\"qty\":1}"));
	answer_free(&a);
	answer_init(&a);
	req.method = "DELETE";
	req.body = NULL;
	run(&d, &req, "/v2/orders/42", &a, &st);
	ck_assert_int_eq(a.status, 201);
	ck_assert_ptr_nonnull(strstr(d.last, "DELETE /v2/orders/42 HTTP/1.1\r\n"));
	httpd_stop(&d);
	answer_free(&a);
}
END_TEST

/* http_stop with one request in flight and one waiting for its retry:
 * both are answered "stopped". */
START_TEST(http_stop_in_flight)
{
	static const struct reply hold[] = { { 0, NULL, NULL, 1 } };
	static const struct reply busy[] = { { 503, NULL, "", 0 } };
	struct http_request req = { 0 };
	struct http_client *h;
	struct httpd d1, d2;
	struct answer a1, a2;
	char url1[64], url2[64], *cause = NULL;

	httpd_start(&d1, hold, 1);
	httpd_start(&d2, busy, 1);
	answer_init(&a1);
	answer_init(&a2);
	h = http_start(&cause);
	ck_assert_ptr_nonnull(h);
	snprintf(url1, sizeof url1, "http://127.0.0.1:%d/", d1.port);
	snprintf(url2, sizeof url2, "http://127.0.0.1:%d/", d2.port);
	req.url = url1;
	ck_assert_int_eq(http_submit(h, &req, on_done, &a1), 0);
	req.url = url2;
	req.max_retries = 3;
	req.backoff_initial_ms = 60000;
	ck_assert_int_eq(http_submit(h, &req, on_done, &a2), 0);
	while (httpd_nreq(&d1) < 1 || httpd_nreq(&d2) < 1 ||
	    !log_has("status 503"))
		sleep_ms(5);
	http_stop(h);
	ck_assert_int_eq(a1.calls, 1);
	ck_assert_int_eq(a1.status, 0);
	ck_assert_str_eq(a1.error, "stopped");
	ck_assert_int_eq(a2.calls, 1);
	ck_assert_str_eq(a2.error, "stopped");
	http_stop(NULL);
	httpd_stop(&d1);
	httpd_stop(&d2);
	answer_free(&a1);
	answer_free(&a2);
}
END_TEST

static void
add(Suite *s, const char *name, const TTest *fn, int secs, int http)
{
	TCase *tc = tcase_create(name);

	if (http)
		tcase_add_checked_fixture(tc, http_setup, http_teardown);
	tcase_set_timeout(tc, secs);
	tcase_add_test(tc, fn);
	suite_add_tcase(s, tc);
}

Suite *
transport_suite(void)
{
	Suite *s = suite_create("transport");

	add(s, "ws_echo", ws_echo, 30, 0);
	add(s, "ws_fragments", ws_fragments, 60, 0);
	add(s, "ws_reconnect", ws_reconnect, 60, 0);
	add(s, "ws_pong_timeout", ws_pong_timeout, 60, 0);
	add(s, "ws_send_disconnected", ws_send_disconnected, 30, 0);
	add(s, "ws_close_open", ws_close_open, 30, 0);
	add(s, "ws_tls_refused", ws_tls_refused, 60, 0);
	add(s, "ws_bad_url", ws_bad_url, 30, 0);
	add(s, "http_ok", http_ok, 30, 1);
	add(s, "http_429_then_ok", http_429_then_ok, 30, 1);
	add(s, "http_500_gives_up", http_500_gives_up, 30, 1);
	add(s, "http_timeout", http_timeout, 30, 1);
	add(s, "http_refused", http_refused, 30, 1);
	add(s, "http_post", http_post, 30, 1);
	add(s, "http_stop_in_flight", http_stop_in_flight, 30, 1);
	return s;
}
