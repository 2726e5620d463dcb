/*
 * wsblast: the live benchmark's stream source.  A one-connection
 * WebSocket server on 127.0.0.1 that replays a recorded stream (JSON
 * Lines, one server message a line, as tests/wsclient prints them) as
 * fast as the loopback socket takes it.
 *
 *	wsblast [--port-file F] [--delay-ms MS] [--idle-exit SEC] FILE
 *
 * Every line is encoded as an unmasked text frame ahead of time, into one
 * buffer, so the send side costs only write() calls of up to 256 KiB:
 * the benchmark measures the client, not the server.  The server takes
 * one connection on any path, answers the RFC 6455 upgrade (its own SHA-1
 * and base64 for Sec-WebSocket-Accept), waits --delay-ms (200) so the
 * client can finish its start-up, writes the whole stream, then answers
 * pings with pongs until the client closes; a close frame is echoed.  It
 * prints "wsblast: listening on 127.0.0.1:PORT", "wsblast: client
 * connected" after the handshake and, after the stream,
 * "wsblast: N message(s), B byte(s) written in S s" on stderr; with
 * --port-file F it writes "PORT\n" to F.tmp and renames it to F.  Exits
 * 0 when the client has gone, 1 on errors or after --idle-exit SEC (30)
 * without a connection or without a byte from the client once the
 * stream is written, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (256u * 1024)
#define HDR_MAX 8192
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

static struct {
	const char *port_file;
	long delay_ms;
	long idle_exit;
	unsigned char *frames;	/* every message, framed */
	size_t len, cap;
	long messages;
} bl = { .delay_ms = 200, .idle_exit = 30 };

static void
die(const char *what)
{
	fprintf(stderr, "wsblast: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- SHA-1 (FIPS 180-4) and base64, for the handshake only ---- */

static uint32_t
rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/* One 64-byte block P into the state H. */
static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f,
	    k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

/* The SHA-1 digest of the N bytes at S (N < 1 KiB here) into MD. */
static void
sha1(const char *s, size_t n, unsigned char md[20])
{
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
	    0xc3d2e1f0 };
	unsigned char m[1024 + 128];
	size_t len = n, i;
	uint64_t bits = (uint64_t)n * 8;

	memcpy(m, s, n);
	m[len++] = 0x80;
	while (len % 64 != 56)
		m[len++] = 0;
	for (i = 0; i < 8; i++)
		m[len++] = (unsigned char)(bits >> (56 - 8 * i));
	for (i = 0; i < len; i += 64)
		sha1_block(h, m + i);
	for (i = 0; i < 20; i++)
		md[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void
base64(const unsigned char *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3, out += 4) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[0] = a[v >> 18];
		out[1] = a[v >> 12 & 63];
		out[2] = a[v >> 6 & 63];
		out[3] = a[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
		out[0] = a[v >> 18];
		out[1] = a[v >> 12 & 63];
		out[2] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[3] = '=';
		out += 4;
	}
	*out = '\0';
}

/* ---- The stream ---- */

static void
put(const void *p, size_t n)
{
	if (bl.len + n > bl.cap) {
		while (bl.len + n > bl.cap)
			bl.cap = bl.cap ? bl.cap * 2 : 1u << 20;
		if ((bl.frames = realloc(bl.frames, bl.cap)) == NULL)
			die("realloc");
	}
	memcpy(bl.frames + bl.len, p, n);
	bl.len += n;
}

/* Appends one unmasked frame of opcode OP with the N bytes at P to the
 * stream buffer. */
static void
put_frame(int op, const void *p, size_t n)
{
	unsigned char h[10];
	size_t hl = 2, i;

	h[0] = (unsigned char)(0x80 | op);
	if (n < 126)
		h[1] = (unsigned char)n;
	else if (n < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	} else {
		h[1] = 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
		hl = 10;
	}
	put(h, hl);
	put(p, n);
}

static void
load(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		die(path);
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		put_frame(0x1, line, (size_t)n);
		bl.messages++;
	}
	free(line);
	fclose(f);
}

/* ---- The connection ---- */

static void
write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n < CHUNK ? n : CHUNK);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		c += w;
		n -= (size_t)w;
	}
}

/* Waits up to --idle-exit for FD to be readable; exits 1 on timeout. */
static void
wait_readable(int fd, const char *what)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	while ((r = poll(&p, 1, bl.idle_exit > 0 ? (int)bl.idle_exit * 1000 :
	    -1)) < 0 && errno == EINTR)
		;
	if (r == 0) {
		fprintf(stderr, "wsblast: idle for %ld s %s\n", bl.idle_exit,
		    what);
		exit(1);
	}
}

static int
listen_loopback(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	FILE *f;
	char tmp[4096];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof one) < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(fd, 1) < 0 || getsockname(fd, (struct sockaddr *)&a,
	    &al) < 0)
		die("listen");
	fprintf(stderr, "wsblast: listening on 127.0.0.1:%d\n",
	    ntohs(a.sin_port));
	if (bl.port_file != NULL) {
		snprintf(tmp, sizeof tmp, "%s.tmp", bl.port_file);
		if ((f = fopen(tmp, "w")) == NULL)
			die(tmp);
		fprintf(f, "%d\n", ntohs(a.sin_port));
		if (fclose(f) != 0 || rename(tmp, bl.port_file) != 0)
			die(bl.port_file);
	}
	return fd;
}

/* The value of header NAME in the request REQ into OUT (of SIZE bytes);
 * NULL when absent or too long. */
static const char *
header(const char *req, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name), vl;
	const char *p, *v;

	for (p = strstr(req, "\r\n"); p != NULL; p = strstr(p, "\r\n")) {
		p += 2;
		if (strncasecmp(p, name, nl) != 0 || p[nl] != ':')
			continue;
		v = p + nl + 1;
		v += strspn(v, " \t");
		vl = strcspn(v, "\r\n");
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			vl--;
		if (vl >= size)
			return NULL;
		memcpy(out, v, vl);
		out[vl] = '\0';
		return out;
	}
	return NULL;
}

/* Reads the upgrade request and answers it; exits 1 on a bad one. */
static void
handshake(int fd)
{
	char req[HDR_MAX + 1], key[256], proto[256], cat[512], acc[64];
	char resp[1024];
	unsigned char md[20];
	size_t n = 0;
	ssize_t r;

	req[0] = '\0';
	while (strstr(req, "\r\n\r\n") == NULL) {
		if (n == HDR_MAX) {
			fprintf(stderr, "wsblast: request headers too long\n");
			exit(1);
		}
		wait_readable(fd, "in the handshake");
		if ((r = read(fd, req + n, HDR_MAX - n)) <= 0)
			die("read (handshake)");
		n += (size_t)r;
		req[n] = '\0';
	}
	if (header(req, "Sec-WebSocket-Key", key, sizeof key) == NULL) {
		fprintf(stderr, "wsblast: not a WebSocket upgrade\n");
		exit(1);
	}
	snprintf(cat, sizeof cat, "%s%s", key, WS_GUID);
	sha1(cat, strlen(cat), md);
	base64(md, sizeof md, acc);
	n = (size_t)snprintf(resp, sizeof resp, "HTTP/1.1 101 Switching "
	    "Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Accept: %s\r\n", acc);
	if (header(req, "Sec-WebSocket-Protocol", proto, sizeof proto) != NULL)
		n += (size_t)snprintf(resp + n, sizeof resp - n,
		    "Sec-WebSocket-Protocol: %.*s\r\n",
		    (int)strcspn(proto, ", "), proto);
	n += (size_t)snprintf(resp + n, sizeof resp - n, "\r\n");
	write_all(fd, resp, n);
}

/* One masked client frame at P (N bytes buffered): answers a ping or a
 * close.  Returns the frame's size, 0 when it is not complete yet, -1
 * after a close. */
static long
client_frame(int fd, unsigned char *p, size_t n)
{
	size_t hl = 2, len, i;
	unsigned char out[140];
	int op;

	if (n < 2)
		return 0;
	op = p[0] & 0x0f;
	len = p[1] & 0x7f;
	if (len == 126) {
		if (n < 4)
			return 0;
		len = (size_t)p[2] << 8 | p[3];
		hl = 4;
	} else if (len == 127) {
		fprintf(stderr, "wsblast: client frame too long\n");
		exit(1);
	}
	if (p[1] & 0x80)
		hl += 4;
	if (n < hl + len)
		return 0;
	for (i = 0; (p[1] & 0x80) && i < len; i++)
		p[hl + i] ^= p[hl - 4 + i % 4];
	if ((op == 0x9 || op == 0x8) && len <= 125) {
		out[0] = (unsigned char)(0x80 | (op == 0x9 ? 0xa : 0x8));
		out[1] = (unsigned char)len;
		memcpy(out + 2, p + hl, len);
		write_all(fd, out, len + 2);
	}
	return op == 0x8 ? -1 : (long)(hl + len);
}

/* After the stream: pongs and the close, until the client goes. */
static void
serve_control(int fd)
{
	unsigned char in[65536];
	size_t n = 0;
	ssize_t r;
	long used;

	for (;;) {
		wait_readable(fd, "after the stream");
		if ((r = read(fd, in + n, sizeof in - n)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		n += (size_t)r;
		while ((used = client_frame(fd, in, n)) > 0) {
			memmove(in, in + used, n - (size_t)used);
			n -= (size_t)used;
		}
		if (used < 0 || n == sizeof in)
			return;
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
serve(int lfd)
{
	struct timespec d = { bl.delay_ms / 1000, bl.delay_ms % 1000 *
	    1000000 };
	double t0;
	int fd;

	wait_readable(lfd, "waiting for a client");
	if ((fd = accept(lfd, NULL, NULL)) < 0)
		die("accept");
	close(lfd);
	handshake(fd);
	fprintf(stderr, "wsblast: client connected\n");
	nanosleep(&d, NULL);
	t0 = now_s();
	write_all(fd, bl.frames, bl.len);
	fprintf(stderr, "wsblast: %ld message(s), %zu byte(s) written in "
	    "%.3f s\n", bl.messages, bl.len, now_s() - t0);
	serve_control(fd);
	close(fd);
}

static long
number(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "wsblast: %s: not a number >= 0: '%s'\n", opt,
		    s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "idle-exit", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': bl.port_file = optarg; break;
		case 'd': bl.delay_ms = number("--delay-ms", optarg); break;
		case 'i': bl.idle_exit = number("--idle-exit", optarg); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	load(argv[optind]);
	serve(listen_loopback());
	free(bl.frames);
	return 0;
usage:
	fprintf(stderr, "usage: wsblast [--port-file F] [--delay-ms MS] "
	    "[--idle-exit SEC] FILE\n");
	return 2;
}
