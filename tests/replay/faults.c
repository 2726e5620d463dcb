/* Scripted faults.  WebSocket faults count the data messages sent on the
 * current connection and fire once per server process; --http-status
 * counts HTTP requests. */
#include "replayd.h"

#include <string.h>

static void
stall_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_stall);

	c->stalled = 0;
	if (!srv.opt.no_pong) {
		lws_rx_flow_control(c->wsi, 1);
		c->rx_paused = 0;
	}
	lws_callback_on_writable(c->wsi);
}

/* Stops sending, and reading (so client pings go unanswered), for
 * --stall-ms. */
static void
stall(struct conn *c)
{
	srv.stalled_once = 1;
	c->stalled = 1;
	lws_rx_flow_control(c->wsi, 0);
	c->rx_paused = 1;
	lws_sul_schedule(srv.ctx, 0, &c->sul_stall, stall_cb,
	    (lws_usec_t)srv.opt.stall_ms * 1000);
}

static void
buf_swap(struct buf *a, struct buf *b)
{
	struct buf t = *a;

	*a = *b;
	*b = t;
}

/* Message number N is the first half of the real message N, which then
 * follows intact. */
static int
malformed(struct conn *c, struct buf *out)
{
	srv.malformed_done = 1;
	if (!conn_stream_next(c, &c->held))
		return 0;
	c->have_held = 1;
	buf_reset(out);
	buf_add(out, buf_data(&c->held), c->held.len / 2);
	return 1;
}

/* Messages N and N+1 go out swapped. */
static int
out_of_order(struct conn *c, struct buf *out)
{
	srv.ooo_done = 1;
	if (!conn_stream_next(c, &c->held))
		return 0;
	if (!conn_stream_next(c, out)) {
		buf_swap(out, &c->held);
		return 1;
	}
	c->have_held = 1;
	return 1;
}

/* The next data message for C into OUT, with the faults applied: 1 when
 * OUT holds a message, 0 when nothing is to be sent now (stall, end of
 * stream), -1 when the connection must be dropped. */
int
faults_next(struct conn *c, struct buf *out)
{
	const struct options *o = &srv.opt;
	long n = c->sent + 1;

	if (o->drop_after > 0 && !srv.dropped && c->sent >= o->drop_after)
		return -1;
	if (o->stall_after > 0 && !srv.stalled_once &&
	    c->sent >= o->stall_after) {
		stall(c);
		return 0;
	}
	if (c->have_held) {
		buf_swap(out, &c->held);
		c->have_held = 0;
		return 1;
	}
	if (o->malformed_at > 0 && !srv.malformed_done && n == o->malformed_at)
		return malformed(c, out);
	if (o->out_of_order_at > 0 && !srv.ooo_done && n == o->out_of_order_at)
		return out_of_order(c, out);
	return conn_stream_next(c, out);
}

/* When --http-status applies to this request, fills RESP with an error
 * body and returns the status; 0 otherwise. */
int
faults_http_status(struct conn *c, struct buf *resp)
{
	const struct options *o = &srv.opt;

	if (o->http_status == 0 || srv.http_requests > o->http_status_count)
		return 0;
	if (o->http_status == 429)
		c->retry_after = "1";
	buf_printf(resp, "{\"code\":%d0000,\"message\":\"replayd: injected "
	    "status %d\"}", o->http_status, o->http_status);
	return o->http_status;
}
