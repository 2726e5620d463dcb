/* WebSocket connections: the queue of control messages, server pings, the
 * data stream with its pace, and the writeable handler that sends one
 * frame per call. */
#include "replayd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xmalloc.h"

/* Queues a message to send before any data; BINARY selects the frame. */
void
conn_queue(struct conn *c, int binary, const char *s, size_t len)
{
	struct qmsg *m = xmalloc(sizeof *m + LWS_PRE + len + 1);

	m->next = NULL;
	m->binary = binary;
	m->len = len;
	memcpy(m->data + LWS_PRE, s, len);
	m->data[LWS_PRE + len] = '\0';
	if (c->q_tail != NULL)
		c->q_tail->next = m;
	else
		c->q_head = m;
	c->q_tail = m;
	lws_callback_on_writable(c->wsi);
}

void
conn_queues(struct conn *c, const char *s)
{
	conn_queue(c, 0, s, strlen(s));
}

/* Queues the compact serialisation of J and drops the reference. */
void
conn_queue_json(struct conn *c, int binary, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

	conn_queue(c, binary, s, strlen(s));
	free(s);
	json_decref(j);
}

/* Closes the connection with CODE once the queued messages are sent. */
void
conn_close_after(struct conn *c, int code)
{
	c->close_after_queue = 1;
	c->close_code = code;
	lws_callback_on_writable(c->wsi);
}

static void
ping_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_ping);

	c->ping_due = 1;
	lws_callback_on_writable(c->wsi);
	lws_sul_schedule(srv.ctx, 0, &c->sul_ping, ping_cb,
	    (lws_usec_t)srv.opt.ping_ms * 1000);
}

static void
rate_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_rate);

	lws_callback_on_writable(c->wsi);
}

/* Lets data flow on the connection from the position where the last
 * connection stopped; starts the server pings (binance). */
void
conn_start_stream(struct conn *c)
{
	if (c->streaming)
		return;
	c->streaming = 1;
	if (c->started) {
		lws_callback_on_writable(c->wsi);
		return;
	}
	c->started = 1;
	c->pos = srv.resume_pos;
	c->next_send = now_us() + (lws_usec_t)srv.opt.start_delay_ms * 1000;
	if (srv.opt.provider == PROV_BINANCE && srv.opt.ping_ms > 0)
		lws_sul_schedule(srv.ctx, 0, &c->sul_ping, ping_cb,
		    (lws_usec_t)srv.opt.ping_ms * 1000);
	if (srv.opt.no_pong) {
		lws_rx_flow_control(c->wsi, 0);
		c->rx_paused = 1;
	}
	lws_callback_on_writable(c->wsi);
}

/* Releases the connection's memory and timers; remembers where its stream
 * stopped so that the next connection resumes there. */
void
conn_free(struct conn *c)
{
	struct qmsg *m;

	lws_sul_cancel(&c->sul_ping);
	lws_sul_cancel(&c->sul_rate);
	lws_sul_cancel(&c->sul_stall);
	lws_sul_cancel(&c->sul_auth);
	if (c->started)
		srv.resume_pos = c->have_held ? c->pos - 1 : c->pos;
	while ((m = c->q_head) != NULL) {
		c->q_head = m->next;
		free(m);
	}
	c->q_tail = NULL;
	buf_free(&c->out);
	buf_free(&c->held);
	buf_free(&c->body);
	buf_free(&c->resp);
	strset_free(&c->subs);
	strset_free(&c->bars);
	strset_free(&c->trades);
	strset_free(&c->quotes);
}

/* The next stream message for the connection into OUT: 1 when there is
 * one, 0 at the end of the stream. */
int
conn_stream_next(struct conn *c, struct buf *out)
{
	while (c->pos < srv.total) {
		buf_reset(out);
		if (srv.ops->render(c, c->pos++, out))
			return 1;
	}
	c->ended = 1;
	return 0;
}

static int
send_queued(struct conn *c)
{
	struct qmsg *m = c->q_head;
	int n;

	c->q_head = m->next;
	if (c->q_head == NULL)
		c->q_tail = NULL;
	n = lws_write(c->wsi, (unsigned char *)m->data + LWS_PRE, m->len,
	    m->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
	free(m);
	if (n < 0)
		return -1;
	lws_callback_on_writable(c->wsi);
	return 0;
}

/* Whether --start-delay-ms and --rate let a message go now; if not, arms the pacing timer. */
static int
paced(struct conn *c)
{
	lws_usec_t now = now_us(), gap;

	if (now < c->next_send) {
		lws_sul_schedule(srv.ctx, 0, &c->sul_rate, rate_cb,
		    c->next_send - now);
		return 0;
	}
	if (srv.opt.rate <= 0)
		return 1;
	gap = (lws_usec_t)(1e6 / srv.opt.rate);
	c->next_send = (c->next_send + gap > now) ? c->next_send + gap :
	    now;
	return 1;
}

/* Cuts the TCP connection without a close frame (a 1006 for the peer). */
static int
drop(struct conn *c)
{
	if (lws_partial_buffered(c->wsi)) {
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	srv.dropped = 1;
	c->pos += srv.opt.lose;
	shutdown(lws_get_socket_fd(c->wsi), SHUT_RDWR);
	return -1;
}

static int
send_data(struct conn *c)
{
	int r;

	if (!paced(c))
		return 0;
	r = faults_next(c, &c->out);
	if (r < 0)
		return drop(c);
	if (r == 0) {
		if (c->ended && srv.opt.close_at_end) {
			lws_close_reason(c->wsi, LWS_CLOSE_STATUS_NORMAL,
			    NULL, 0);
			return -1;
		}
		return 0;
	}
	if (lws_write(c->wsi, (unsigned char *)buf_data(&c->out), c->out.len,
	    c->msgpack ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) < 0)
		return -1;
	c->sent++;
	lws_callback_on_writable(c->wsi);
	return 0;
}

/* LWS_CALLBACK_SERVER_WRITEABLE: one frame per call, queued control
 * messages first, then a due ping, then data; returns -1 to close. */
int
conn_writeable(struct conn *c)
{
	unsigned char ping[LWS_PRE + 4];

	if (c->q_head != NULL)
		return send_queued(c);
	if (c->close_after_queue) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code,
		    NULL, 0);
		return -1;
	}
	if (c->stalled)
		return 0;
	if (c->ping_due) {
		c->ping_due = 0;
		if (lws_write(c->wsi, ping + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (!c->streaming || (c->ended && !srv.opt.close_at_end))
		return 0;
	return send_data(c);
}
