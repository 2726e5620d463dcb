#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "session.h"
#include "xmalloc.h"

#define STATE_MAGIC "THSTATE\x01"
#define STATE_VERSION 2u		/* 2: a live flag, trade times */
#define NO_STRING 0xffffffffu
#define HEADER_SIZE (8 + 4 + 4 + 8 + 8)

/*
 * Encoding.
 */

struct wbuf {
	unsigned char *p;
	size_t n, cap;
};

static void
put(struct wbuf *b, const void *v, size_t n)
{
	if (n == 0)
		return;	/* v may be NULL then */
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 256;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void put_u32(struct wbuf *b, uint32_t v) { put(b, &v, sizeof v); }
static void put_u64(struct wbuf *b, uint64_t v) { put(b, &v, sizeof v); }
static void put_i64(struct wbuf *b, int64_t v) { put(b, &v, sizeof v); }
static void put_f64(struct wbuf *b, double v) { put(b, &v, sizeof v); }

static void
put_str(struct wbuf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	put_u32(b, s != NULL ? (uint32_t)n : NO_STRING);
	put(b, s, n);
}

struct rbuf {
	const unsigned char *p;
	size_t n, off;
	int bad;
};

static void
get(struct rbuf *b, void *v, size_t n)
{
	if (n == 0)
		return;
	if (b->bad || b->n - b->off < n) {
		b->bad = 1;
		memset(v, 0, n);
		return;
	}
	memcpy(v, b->p + b->off, n);
	b->off += n;
}

static uint32_t get_u32(struct rbuf *b) { uint32_t v; get(b, &v, sizeof v); return v; }
static uint64_t get_u64(struct rbuf *b) { uint64_t v; get(b, &v, sizeof v); return v; }
static int64_t get_i64(struct rbuf *b) { int64_t v; get(b, &v, sizeof v); return v; }
static double get_f64(struct rbuf *b) { double v; get(b, &v, sizeof v); return v; }

static char *
get_str(struct rbuf *b)
{
	uint32_t n = get_u32(b);
	char *s;

	if (n == NO_STRING || b->bad)
		return NULL;
	if (b->n - b->off < n) {
		b->bad = 1;
		return NULL;
	}
	s = xstrndup((const char *)b->p + b->off, n);
	b->off += n;
	return s;
}

/* A count of records of at least min bytes each that the rest can hold. */
static size_t
get_count(struct rbuf *b, size_t min)
{
	uint64_t n = get_u64(b);

	if (b->bad || n > (b->n - b->off) / min) {
		b->bad = 1;
		return 0;
	}
	return (size_t)n;
}

/* FNV-1a, 64 bits: it catches torn and flipped bytes, which is its job. */
static uint64_t
fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;
	size_t k;

	for (k = 0; k < n; k++)
		h = (h ^ c[k]) * UINT64_C(0x100000001b3);
	return h;
}

#define FNV_SEED UINT64_C(0xcbf29ce484222325)

/*
 * Saving.
 */

static uint64_t
hash_double(uint64_t h, double v)
{
	return fnv1a(&v, sizeof v, h);
}

/* What the run was configured with: a restart under other parameters,
 * broker terms or risk limits would splice two different runs. */
static uint64_t
settings_hash(const struct session *s)
{
	const struct broker_config *b = &s->opt.engine.broker;
	const struct risk_config *r = s->opt.risk;
	uint64_t h = FNV_SEED;
	size_t k;

	for (k = 0; k < s->params->n; k++) {
		h = fnv1a(s->params->v[k].name, strlen(s->params->v[k].name), h);
		h = hash_double(h, s->params->v[k].value);
	}
	h = hash_double(h, b->cash);
	h = hash_double(h, b->spread);
	h = hash_double(h, b->commission_fixed);
	h = hash_double(h, b->commission_rate);
	h = hash_double(h, b->margin);
	h = hash_double(h, b->trade_on_close * 4 + b->hedging * 2 +
	    b->exclusive_orders + s->opt.engine.finalize_trades * 8);
	if (r == NULL)
		return h;
	h = hash_double(h, (double)r->max_open_positions);
	h = hash_double(h, r->max_position_fraction);
	h = hash_double(h, r->risk_per_trade);
	h = hash_double(h, r->atr_multiple);
	h = hash_double(h, r->min_cash_reserve);
	h = hash_double(h, (double)r->max_trades_per_day);
	h = hash_double(h, r->max_orders_per_second);
	h = hash_double(h, (double)r->order_burst);
	h = hash_double(h, r->daily_loss_limit);
	h = hash_double(h, r->max_drawdown);
	h = hash_double(h, r->trading_start);
	h = hash_double(h, r->trading_end);
	h = hash_double(h, r->flatten_at);
	h = hash_double(h, (double)r->max_orders_per_strategy_day);
	h = hash_double(h, r->refuse_on_stale);
	return hash_double(h, r->duplicate_guard);
}

/* A bar's time, or 0 for none (a live leg may have no bar yet). */
static int64_t
bar_time(const struct frame *d, size_t bar)
{
	return bar < d->n ? d->index[bar] : 0;
}

static void
put_trade(struct wbuf *b, const struct frame *d, const struct trade *t)
{
	put_u64(b, t->id);
	put_f64(b, t->size);
	put_f64(b, t->entry_price);
	put_f64(b, t->exit_price);
	put_u64(b, t->entry_bar);
	put_u64(b, t->exit_bar);
	put_u64(b, t->sl_order != NULL ? t->sl_order->id : 0);
	put_u64(b, t->tp_order != NULL ? t->tp_order->id : 0);
	put_f64(b, t->commissions);
	put_f64(b, t->sl_value);
	put_f64(b, t->tp_value);
	put_str(b, t->tag);
	put_i64(b, bar_time(d, t->entry_bar));
	put_i64(b, bar_time(d, t->exit_bar));
}

static void
put_order(struct wbuf *b, const struct order *o)
{
	put_u64(b, o->id);
	put_f64(b, o->size);
	put_f64(b, o->limit);
	put_f64(b, o->stop);
	put_f64(b, o->sl);
	put_f64(b, o->tp);
	put_u64(b, o->parent != NULL ? o->parent->id : 0);
	put_str(b, o->tag);
}

static void
put_leg(struct wbuf *b, const struct session *s, const struct session_leg *l)
{
	const struct broker *br = &l->broker;
	size_t k;

	put_str(b, l->symbol);
	put_i64(b, bar_time(l->data, 0));
	put_u64(b, l->pos);
	put_i64(b, l->pos > 0 ? l->data->index[l->pos - 1] : 0);
	put_u64(b, br->next_id);
	for (k = 0; k < BROKER_NWARN; k++)
		put_u64(b, br->warnings[k]);
	put_u64(b, br->i);
	put_u64(b, l->pos);
	put(b, br->equity, l->pos * sizeof *br->equity);
	put_u64(b, br->open.n);
	for (k = 0; k < br->open.n; k++)
		put_trade(b, l->data, br->open.v[k]);
	put_u64(b, br->closed.n);
	for (k = 0; k < br->closed.n; k++)
		put_trade(b, l->data, br->closed.v[k]);
	put_u64(b, br->queue.n);
	for (k = 0; k < br->queue.n; k++)
		put_order(b, br->queue.v[k]);
	put_u64(b, s->risk.leg_orders[l - s->legs]);
	put(b, l->in.state, s->plugin->desc->state_size);
}

static void
put_risk(struct wbuf *b, const struct risk_state *r)
{
	put_i64(b, r->day);
	put_u32(b, (uint32_t)r->started);
	put_f64(b, r->day_start_equity);
	put_f64(b, r->peak_equity);
	put_u32(b, (uint32_t)r->halt);
	put_u32(b, (uint32_t)r->flattened);
	put_f64(b, r->tokens);
	put_i64(b, r->token_time);
	put_i64(b, r->entries_today);
}

static void
encode(const struct session *s, struct wbuf *b)
{
	size_t k;

	put_str(b, s->plugin->desc->name);
	put_u32(b, s->plugin->desc->state_version);
	put_u32(b, s->plugin->desc->state_size);
	put_u64(b, settings_hash(s));
	put_u32(b, (uint32_t)s->opt.state_live);
	put_u64(b, s->nlegs);
	put_u64(b, s->step);
	put_i64(b, s->now);
	put_u32(b, (uint32_t)s->bankrupt);
	put_f64(b, s->legs[0].broker.acct->cash);
	put_u64(b, s->opt.audit != NULL ? s->opt.audit->next_seq : 0);
	put_risk(b, &s->risk.st);
	if (s->nlegs > 1) {
		put(b, s->times, s->step * sizeof *s->times);
		put(b, s->equity, s->step * sizeof *s->equity);
	}
	for (k = 0; k < s->nlegs; k++)
		put_leg(b, s, &s->legs[k]);
}

/* What changes when trading state changes.  Not the peak equity, the
 * day or the bar position: a resumed run recomputes those by replaying
 * the bars after the snapshot. */
static uint64_t
fingerprint(const struct session *s)
{
	const struct risk_state *r = &s->risk.st;
	uint64_t h = FNV_SEED, v[4];
	double cash = s->legs[0].broker.acct->cash;
	size_t k;

	h = fnv1a(&cash, sizeof cash, h);
	h = fnv1a(&s->bankrupt, sizeof s->bankrupt, h);
	h = fnv1a(&r->halt, sizeof r->halt, h);
	h = fnv1a(&r->flattened, sizeof r->flattened, h);
	h = fnv1a(&r->tokens, sizeof r->tokens, h);
	h = fnv1a(&r->entries_today, sizeof r->entries_today, h);
	for (k = 0; k < s->nlegs; k++) {
		const struct session_leg *l = &s->legs[k];

		v[0] = l->broker.next_id;
		v[1] = l->broker.queue.n;
		v[2] = l->broker.open.n;
		v[3] = l->broker.closed.n;
		h = fnv1a(v, sizeof v, h);
		h = fnv1a(&s->risk.leg_orders[k], sizeof s->risk.leg_orders[k],
		    h);
		h = fnv1a(l->in.state, s->plugin->desc->state_size, h);
	}
	return h;
}

void
state_log(const struct session *s, const char *what, const char *path)
{
	size_t k, open = 0, pending = 0;

	for (k = 0; k < s->nlegs; k++) {
		open += s->legs[k].broker.open.n;
		pending += s->legs[k].broker.queue.n;
	}
	log_info("state: %s %s: cash %.2f, %zu open trade(s), %zu pending "
	    "order(s), audit seq %llu", what, path,
	    s->legs[0].broker.acct->cash, open, pending,
	    (unsigned long long)(s->opt.audit != NULL ?
	    s->opt.audit->next_seq : 0));
}

static int
sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY), rc = 0;

	free(copy);
	if (fd < 0)
		return -1;
	if (fsync(fd) != 0)
		rc = -1;
	close(fd);
	return rc;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* temp file, fsync, rename, fsync of the directory. */
static int
write_atomically(const char *path, const struct wbuf *b, int sync,
    char **cause)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		goto fail;
	if (write_all(fd, b->p, b->n) < 0 || (sync && fsync(fd) != 0)) {
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0)
		goto fail;
	if (sync && sync_dir(path) != 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	*cause = xasprintf("state: %s: %s", tmp, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}

int
state_save_if_changed(struct session *s, char **cause)
{
	if (fingerprint(s) == s->fingerprint)
		return 0;
	return state_save(s, cause);
}

int
state_save(struct session *s, char **cause)
{
	uint64_t fp = fingerprint(s), sum;
	uint32_t version = STATE_VERSION, pad = 0;
	struct wbuf payload = { 0 }, file = { 0 };
	uint64_t len;
	int rc;

	encode(s, &payload);
	len = payload.n;
	sum = fnv1a(payload.p, payload.n, FNV_SEED);
	put(&file, STATE_MAGIC, 8);
	put(&file, &version, 4);
	put(&file, &pad, 4);
	put(&file, &len, 8);
	put(&file, &sum, 8);
	put(&file, payload.p, payload.n);
	rc = write_atomically(s->opt.state_path, &file, s->opt.state_fsync,
	    cause);
	if (rc == 0)
		s->fingerprint = fp;
	free(payload.p);
	free(file.p);
	return rc;
}

/*
 * Loading: into an image first, checked whole, then applied.
 */

struct leg_image {
	char *symbol;
	int64_t first_time;
	size_t pos;
	int64_t last_time;
	uint64_t next_id;
	uint64_t warnings[BROKER_NWARN];
	size_t bar;
	double *equity;			/* pos values */
	struct ptr_vec open, closed, queue;
	uint64_t *sl_ids, *tp_ids;	/* per trade, open then closed */
	uint64_t *parent_ids;		/* per order */
	int64_t *entry_times;		/* per trade, open then closed */
	int64_t orders_today;
	unsigned char *state;
};

struct image {
	char *plugin;
	uint32_t state_version;
	uint32_t state_size;
	uint64_t settings;
	int live;			/* written by a live session */
	size_t nlegs;
	size_t step;
	int64_t now;
	int bankrupt;
	double cash;
	uint64_t audit_seq;
	struct risk_state risk;
	int64_t *times;
	double *equity;
	struct leg_image *legs;
};

static void
vec_add(struct ptr_vec *v, void *p)
{
	v->v = xreallocarray(v->v, v->n + 1, sizeof *v->v);
	v->v[v->n++] = p;
	v->cap = v->n;
}

static void
free_trades(struct ptr_vec *v)
{
	size_t k;

	for (k = 0; k < v->n; k++) {
		struct trade *t = v->v[k];

		free(t->tag);
		free(t);
	}
	free(v->v);
}

static void
free_leg_image(struct leg_image *l)
{
	size_t k;

	free(l->symbol);
	free(l->equity);
	free_trades(&l->open);
	free_trades(&l->closed);
	for (k = 0; k < l->queue.n; k++) {
		struct order *o = l->queue.v[k];

		free(o->tag);
		free(o);
	}
	free(l->queue.v);
	free(l->sl_ids);
	free(l->tp_ids);
	free(l->parent_ids);
	free(l->entry_times);
	free(l->state);
}

static void
free_image(struct image *im)
{
	size_t k;

	for (k = 0; k < im->nlegs && im->legs != NULL; k++)
		free_leg_image(&im->legs[k]);
	free(im->legs);
	free(im->plugin);
	free(im->times);
	free(im->equity);
}

static void
get_trades(struct rbuf *b, struct ptr_vec *v, struct leg_image *l,
    size_t *nids)
{
	size_t n = get_count(b, 8 * 13 + 4), k;

	l->sl_ids = xreallocarray(l->sl_ids, *nids + n + 1, sizeof *l->sl_ids);
	l->tp_ids = xreallocarray(l->tp_ids, *nids + n + 1, sizeof *l->tp_ids);
	l->entry_times = xreallocarray(l->entry_times, *nids + n + 1,
	    sizeof *l->entry_times);
	for (k = 0; k < n && !b->bad; k++) {
		struct trade *t = xcalloc(1, sizeof *t);

		t->id = get_u64(b);
		t->size = get_f64(b);
		t->entry_price = get_f64(b);
		t->exit_price = get_f64(b);
		t->entry_bar = (size_t)get_u64(b);
		t->exit_bar = (size_t)get_u64(b);
		l->sl_ids[*nids] = get_u64(b);
		l->tp_ids[*nids] = get_u64(b);
		t->commissions = get_f64(b);
		t->sl_value = get_f64(b);
		t->tp_value = get_f64(b);
		t->tag = get_str(b);
		l->entry_times[*nids] = get_i64(b);
		(void)get_i64(b);	/* the exit time: for other readers */
		(*nids)++;
		vec_add(v, t);
	}
}

static void
get_orders(struct rbuf *b, struct leg_image *l)
{
	size_t n = get_count(b, 8 * 7 + 4), k;

	l->parent_ids = xcalloc(n + 1, sizeof *l->parent_ids);
	for (k = 0; k < n && !b->bad; k++) {
		struct order *o = xcalloc(1, sizeof *o);

		o->id = get_u64(b);
		o->size = get_f64(b);
		o->limit = get_f64(b);
		o->stop = get_f64(b);
		o->sl = get_f64(b);
		o->tp = get_f64(b);
		l->parent_ids[k] = get_u64(b);
		o->tag = get_str(b);
		o->queued = 1;
		vec_add(&l->queue, o);
	}
}

static void
get_leg(struct rbuf *b, const struct image *im, struct leg_image *l)
{
	size_t k, nids = 0, neq;

	l->symbol = get_str(b);
	l->first_time = get_i64(b);
	l->pos = (size_t)get_u64(b);
	l->last_time = get_i64(b);
	l->next_id = get_u64(b);
	for (k = 0; k < BROKER_NWARN; k++)
		l->warnings[k] = get_u64(b);
	l->bar = (size_t)get_u64(b);
	neq = get_count(b, sizeof(double));
	if (neq != l->pos)
		b->bad = 1;
	l->equity = xcalloc(neq + 1, sizeof *l->equity);
	get(b, l->equity, neq * sizeof *l->equity);
	get_trades(b, &l->open, l, &nids);
	get_trades(b, &l->closed, l, &nids);
	get_orders(b, l);
	l->orders_today = get_i64(b);
	l->state = xcalloc(1, im->state_size + 1);
	get(b, l->state, im->state_size);
}

static void
get_risk(struct rbuf *b, struct risk_state *r)
{
	r->day = get_i64(b);
	r->started = (int)get_u32(b);
	r->day_start_equity = get_f64(b);
	r->peak_equity = get_f64(b);
	r->halt = (int32_t)get_u32(b);
	r->flattened = (int32_t)get_u32(b);
	r->tokens = get_f64(b);
	r->token_time = get_i64(b);
	r->entries_today = get_i64(b);
}

static int
decode(struct rbuf *b, struct image *im, size_t nlegs_max)
{
	size_t k;

	im->plugin = get_str(b);
	im->state_version = get_u32(b);
	im->state_size = get_u32(b);
	im->settings = get_u64(b);
	im->live = (int)get_u32(b);
	im->nlegs = (size_t)get_u64(b);
	if (b->bad || im->nlegs == 0 || im->nlegs > nlegs_max ||
	    im->state_size > b->n)
		return -1;
	/* The timeline is stored for a portfolio only. */
	im->step = im->nlegs > 1 ? get_count(b, 2 * sizeof(double)) :
	    (size_t)get_u64(b);
	im->now = get_i64(b);
	im->bankrupt = (int)get_u32(b);
	im->cash = get_f64(b);
	im->audit_seq = get_u64(b);
	get_risk(b, &im->risk);
	if (im->nlegs > 1 && !b->bad) {
		im->times = xcalloc(im->step + 1, sizeof *im->times);
		im->equity = xcalloc(im->step + 1, sizeof *im->equity);
		get(b, im->times, im->step * sizeof *im->times);
		get(b, im->equity, im->step * sizeof *im->equity);
	}
	im->legs = xcalloc(im->nlegs, sizeof *im->legs);
	for (k = 0; k < im->nlegs && !b->bad; k++)
		get_leg(b, im, &im->legs[k]);
	return b->bad || b->off != b->n ? -1 : 0;
}

static struct order *
find_order(const struct ptr_vec *q, uint64_t id)
{
	size_t k;

	for (k = 0; k < q->n; k++)
		if (((struct order *)q->v[k])->id == id)
			return q->v[k];
	return NULL;
}

static struct trade *
find_trade(const struct leg_image *l, uint64_t id)
{
	size_t k;

	for (k = 0; k < l->open.n; k++)
		if (((struct trade *)l->open.v[k])->id == id)
			return l->open.v[k];
	for (k = 0; k < l->closed.n; k++)
		if (((struct trade *)l->closed.v[k])->id == id)
			return l->closed.v[k];
	return NULL;
}

/* Rebuilds the pointers between trades and their orders; -1 when an id
 * points nowhere. */
static int
link_leg(struct leg_image *l)
{
	size_t k, t = 0;

	for (k = 0; k < l->queue.n; k++) {
		struct order *o = l->queue.v[k];

		if (l->parent_ids[k] != 0 &&
		    (o->parent = find_trade(l, l->parent_ids[k])) == NULL)
			return -1;
	}
	for (k = 0; k < l->open.n; k++, t++) {
		struct trade *tr = l->open.v[k];

		tr->sl_order = l->sl_ids[t] ? find_order(&l->queue,
		    l->sl_ids[t]) : NULL;
		tr->tp_order = l->tp_ids[t] ? find_order(&l->queue,
		    l->tp_ids[t]) : NULL;
		if ((l->sl_ids[t] && tr->sl_order == NULL) ||
		    (l->tp_ids[t] && tr->tp_order == NULL))
			return -1;
	}
	return 0;
}

static int
check_bars(const struct leg_image *l, const struct frame *d)
{
	size_t k;

	if (l->pos > d->n || l->bar >= d->n || d->index[0] != l->first_time ||
	    (l->pos > 0 && d->index[l->pos - 1] != l->last_time))
		return -1;
	for (k = 0; k < l->closed.n; k++) {
		const struct trade *t = l->closed.v[k];

		if (t->entry_bar >= d->n || t->exit_bar >= d->n)
			return -1;
	}
	for (k = 0; k < l->open.n; k++)
		if (((const struct trade *)l->open.v[k])->entry_bar >= d->n)
			return -1;
	return 0;
}

/* Does the image belong to this session?  *cause says why not. */
static int
check_identity(const struct session *s, struct image *im, const char *path,
    char **cause)
{
	const struct th_plugin *d = s->plugin->desc;
	size_t k;

	if (strcmp(im->plugin, d->name) != 0 ||
	    im->state_version != d->state_version ||
	    im->state_size != d->state_size) {
		*cause = xasprintf("state: %s: written by strategy %s (state "
		    "version %u, %u bytes), not %s (version %u, %u bytes)",
		    path, im->plugin, im->state_version, im->state_size,
		    d->name, d->state_version, d->state_size);
		return -1;
	}
	if (im->settings != settings_hash(s)) {
		*cause = xasprintf("state: %s: written with other strategy "
		    "parameters, broker terms or risk limits; restore them, or "
		    "remove the file to start afresh", path);
		return -1;
	}
	if (im->live != s->opt.state_live) {
		*cause = xasprintf("state: %s: written by a %s, and only a %s "
		    "resumes from it", path, im->live ? "live session" :
		    "backtest", im->live ? "live session" : "backtest");
		return -1;
	}
	if (im->nlegs != s->nlegs)
		goto symbols;
	for (k = 0; k < s->nlegs; k++) {
		if (im->legs[k].symbol == NULL ||
		    strcmp(im->legs[k].symbol, s->legs[k].symbol) != 0)
			goto symbols;
		/* A live session's bars come again from the history: its
		 * trades are placed by time, not by bar (apply_live_leg). */
		if ((!im->live && check_bars(&im->legs[k],
		    s->legs[k].data) < 0) || link_leg(&im->legs[k]) < 0) {
			*cause = xasprintf("state: %s: symbol %s: the data "
			    "does not match the state (other bars or a "
			    "shorter file)", path, s->legs[k].symbol);
			return -1;
		}
	}
	return 0;
symbols:
	*cause = xasprintf("state: %s: written for other symbols", path);
	return -1;
}

static int
read_file(const char *path, unsigned char **buf, size_t *n, char **cause)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) != 0) {
		*cause = xasprintf("state: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    (r = read(fd, *buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*n = got;
	return 0;
}

/* Magic, version, length and checksum; the payload is returned in *b. */
static int
check_header(const unsigned char *p, size_t n, const char *path,
    struct rbuf *b, char **cause)
{
	uint32_t version;
	uint64_t len, sum;

	if (n < HEADER_SIZE || memcmp(p, STATE_MAGIC, 8) != 0) {
		*cause = xasprintf("state: %s: not a tradehost state file",
		    path);
		return -1;
	}
	memcpy(&version, p + 8, 4);
	memcpy(&len, p + 16, 8);
	memcpy(&sum, p + 24, 8);
	if (version != STATE_VERSION) {
		*cause = xasprintf("state: %s: format version %u, this "
		    "tradehost reads version %u", path, version, STATE_VERSION);
		return -1;
	}
	if (len != n - HEADER_SIZE ||
	    fnv1a(p + HEADER_SIZE, n - HEADER_SIZE, FNV_SEED) != sum) {
		*cause = xasprintf("state: %s: corrupt or truncated (length "
		    "or checksum mismatch); refusing to resume from it", path);
		return -1;
	}
	b->p = p + HEADER_SIZE;
	b->n = n - HEADER_SIZE;
	b->off = 0;
	b->bad = 0;
	return 0;
}

static void
apply_leg(struct session *s, struct session_leg *l, struct leg_image *li)
{
	struct broker *b = &l->broker;

	free_trades(&b->open);
	free_trades(&b->closed);
	b->open = li->open;
	b->closed = li->closed;
	free(b->queue.v);
	b->queue = li->queue;
	memset(&li->open, 0, sizeof li->open);
	memset(&li->closed, 0, sizeof li->closed);
	memset(&li->queue, 0, sizeof li->queue);
	b->next_id = li->next_id;
	memcpy(b->warnings, li->warnings, sizeof b->warnings);
	b->i = li->bar;
	memcpy(b->equity, li->equity, li->pos * sizeof *b->equity);
	broker_recount(b);
	l->pos = li->pos;
	l->in.bar = (int64_t)li->pos - 1;
	memcpy(l->in.state, li->state, s->plugin->desc->state_size);
	s->risk.leg_orders[l - s->legs] = li->orders_today;
}

/* The last bar at or before t, or the first: where a resumed live trade
 * entered, in this session's bars. */
static size_t
bar_at(const struct frame *d, int64_t t)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->index[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? lo - 1 : 0;
}

/* A live session's leg: the open trades (at the bars of their entry
 * times), the pending orders, the order ids, the strategy's state block
 * and the day's order count.  Not the closed trades, which the earlier
 * session reported (their profit is in the cash), nor the bar position
 * or the equity, which are this session's own. */
static void
apply_live_leg(struct session *s, struct session_leg *l,
    struct leg_image *li)
{
	struct broker *b = &l->broker;
	size_t k;

	for (k = 0; k < li->open.n; k++)
		((struct trade *)li->open.v[k])->entry_bar = bar_at(l->data,
		    li->entry_times[k]);
	free_trades(&b->open);
	b->open = li->open;
	free(b->queue.v);
	b->queue = li->queue;
	memset(&li->open, 0, sizeof li->open);
	memset(&li->queue, 0, sizeof li->queue);
	b->next_id = li->next_id;
	memcpy(b->warnings, li->warnings, sizeof b->warnings);
	/* Valued at the last history bar until the first live one. */
	b->i = l->data->n > 0 ? l->data->n - 1 : 0;
	broker_recount(b);
	memcpy(l->in.state, li->state, s->plugin->desc->state_size);
	s->risk.leg_orders[l - s->legs] = li->orders_today;
}

static void
apply_live(struct session *s, struct image *im)
{
	size_t k;

	for (k = 0; k < s->nlegs; k++)
		apply_live_leg(s, &s->legs[k], &im->legs[k]);
	s->legs[0].broker.acct->cash = im->cash;
	s->bankrupt = im->bankrupt;
	s->risk.st = im->risk;
	/* Every event is new: none of them may be taken for one the audit
	 * file has (a kill can leave events newer than the last save). */
	if (s->opt.audit != NULL)
		audit_resume(s->opt.audit, im->audit_seq >
		    s->opt.audit->file_seq ? im->audit_seq :
		    s->opt.audit->file_seq + 1);
	s->resumed = 1;
}

static void
apply(struct session *s, struct image *im)
{
	size_t k;

	if (im->live) {
		apply_live(s, im);
		return;
	}
	for (k = 0; k < s->nlegs; k++)
		apply_leg(s, &s->legs[k], &im->legs[k]);
	s->legs[0].broker.acct->cash = im->cash;
	s->step = im->step;
	s->now = im->now;
	s->bankrupt = im->bankrupt;
	s->risk.st = im->risk;
	if (s->nlegs > 1) {
		s->times = im->times;
		s->equity = im->equity;
		s->cap = im->step + 1;
		im->times = NULL;
		im->equity = NULL;
	}
	if (s->opt.audit != NULL)
		audit_resume(s->opt.audit, im->audit_seq);
	s->resumed = 1;
}

int
state_resume(struct session *s, const char *path, char **cause)
{
	struct image im;
	struct rbuf b;
	unsigned char *buf = NULL;
	size_t n;
	int rc = -1;

	s->fingerprint = fingerprint(s);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;	/* a first run */
	memset(&im, 0, sizeof im);
	if (read_file(path, &buf, &n, cause) < 0)
		return -1;
	if (check_header(buf, n, path, &b, cause) < 0)
		goto out;
	if (decode(&b, &im, s->nlegs + 1) < 0) {
		*cause = xasprintf("state: %s: malformed content", path);
		goto out;
	}
	if (check_identity(s, &im, path, cause) < 0)
		goto out;
	apply(s, &im);
	s->fingerprint = fingerprint(s);
	if (im.live)
		state_log(s, "resumed from", path);
	else
		log_info("resumed from %s after %zu steps", path, s->step);
	rc = 0;
out:
	free_image(&im);
	free(buf);
	return rc;
}
