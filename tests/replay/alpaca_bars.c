/* Alpaca market data v2 historical bars: GET /v2/stocks/{symbol}/bars and
 * GET /v2/stocks/bars?symbols=A,B, 1Min only, with page tokens. */
#include "replayd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define MAX_SYMBOLS 8

struct req {
	long long start, end;	/* inclusive; -1 = open */
	long limit;
	char tok_sym[32];	/* page token position, "" = none */
	long long tok_t;
	const struct barset *sets[MAX_SYMBOLS];
	char *names[MAX_SYMBOLS];
	int n;
	long count;		/* bars emitted so far */
	char *next;		/* next page token, xmalloc'd */
};

static int
complete(const struct bar *b)
{
	return !isnan(b->o) && !isnan(b->h) && !isnan(b->l) &&
	    !isnan(b->c) && b->v >= 0;
}

static void
bar_json(struct buf *b, const struct bar *x)
{
	char t[32];
	double vw = round((x->h + x->l + x->c) / 3 * 10000) / 10000;

	fmt_rfc3339(t, sizeof t, x->t);
	buf_printf(b, "{\"t\":\"%s\",\"o\":%.15g,\"h\":%.15g,\"l\":%.15g,"
	    "\"c\":%.15g,\"v\":%lld,\"n\":%lld,\"vw\":%.15g}", t, x->o, x->h,
	    x->l, x->c, x->v, 1 + x->v / 250, vw);
}

static char *
make_token(const char *sym, long long t)
{
	char ts[32], plain[96], enc[160];

	fmt_rfc3339(ts, sizeof ts, t);
	snprintf(plain, sizeof plain, "%s|M|%s", sym, ts);
	lws_b64_encode_string(plain, (int)strlen(plain), enc, sizeof enc);
	return xstrdup(enc);
}

static int
parse_token(const char *tok, struct req *r)
{
	char plain[96], *bar;
	int n = lws_b64_decode_string(tok, plain, sizeof plain - 1);

	if (n <= 0)
		return -1;
	plain[n] = '\0';
	if ((bar = strstr(plain, "|M|")) == NULL ||
	    (size_t)(bar - plain) >= sizeof r->tok_sym)
		return -1;
	memcpy(r->tok_sym, plain, (size_t)(bar - plain));
	r->tok_sym[bar - plain] = '\0';
	return parse_rfc3339(bar + 3, &r->tok_t);
}

/* Appends the bars of set K for this page, as a JSON array. */
static void
page(struct req *r, int k, struct buf *b)
{
	const struct barset *s = r->sets[k];
	size_t i, n = s ? fixture_visible(s) : 0;
	int first = 1, at_tok = strcmp(r->tok_sym, r->names[k]) == 0;

	buf_adds(b, "[");
	for (i = 0; i < n; i++) {
		const struct bar *x = &s->bars[i];

		if (!complete(x) || (r->start >= 0 && x->t < r->start) ||
		    (r->end >= 0 && x->t > r->end) ||
		    (at_tok && x->t < r->tok_t))
			continue;
		if (r->next != NULL)
			break;
		if (r->count == r->limit) {
			r->next = make_token(r->names[k], x->t);
			break;
		}
		if (!first)
			buf_adds(b, ",");
		bar_json(b, x);
		first = 0;
		r->count++;
	}
	buf_adds(b, "]");
}

static int
parse_time(const char *q, const char *name, long long *out)
{
	char v[64];

	*out = -1;
	if (query_arg(q, name, v, sizeof v) == NULL)
		return 0;
	return parse_rfc3339(v, out);
}

static int
parse_req(const char *q, struct req *r, struct buf *resp, int *st)
{
	char v[128];

	if (query_arg(q, "timeframe", v, sizeof v) == NULL ||
	    (strcmp(v, "1Min") != 0 && strcmp(v, "1T") != 0)) {
		http_error(resp, st, 42210000, "invalid timeframe (replayd "
		    "serves 1Min only)");
		return -1;
	}
	if (parse_time(q, "start", &r->start) != 0 ||
	    parse_time(q, "end", &r->end) != 0) {
		http_error(resp, st, 42210000, "invalid start or end");
		return -1;
	}
	r->limit = 1000;
	if (query_arg(q, "limit", v, sizeof v) != NULL &&
	    ((r->limit = atol(v)) < 1 || r->limit > 10000)) {
		http_error(resp, st, 42210000, "invalid limit");
		return -1;
	}
	if (query_arg(q, "page_token", v, sizeof v) != NULL &&
	    parse_token(v, r) != 0) {
		http_error(resp, st, 42210000, "invalid page token");
		return -1;
	}
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted symbols of symbols=A,B (at most MAX_SYMBOLS). */
static void
add_symbols(struct req *r, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *s;
	int k;

	for (s = strtok_r(copy, ",", &save); s && r->n < MAX_SYMBOLS;
	    s = strtok_r(NULL, ",", &save))
		r->names[r->n++] = xstrdup(s);
	free(copy);
	qsort(r->names, (size_t)r->n, sizeof *r->names, cmp_names);
	for (k = 0; k < r->n; k++)
		r->sets[k] = fixture_bars(r->names[k]);
}

static void
finish(struct req *r, struct buf *resp)
{
	if (r->next != NULL)
		buf_printf(resp, ",\"next_page_token\":\"%s\"}", r->next);
	else
		buf_adds(resp, ",\"next_page_token\":null}");
}

static void
single(struct req *r, struct buf *resp)
{
	buf_adds(resp, "{\"bars\":");
	page(r, 0, resp);
	buf_printf(resp, ",\"symbol\":\"%s\"", r->names[0]);
	finish(r, resp);
}

/* Symbols before the page token's are already done; a symbol with no bar
 * on the page is left out. */
static void
multi(struct req *r, struct buf *resp)
{
	struct buf one = { 0 };
	int k, started = r->tok_sym[0] == '\0', first = 1;

	buf_adds(resp, "{\"bars\":{");
	for (k = 0; k < r->n && r->next == NULL; k++) {
		if (!started && strcmp(r->names[k], r->tok_sym) != 0)
			continue;
		started = 1;
		buf_reset(&one);
		page(r, k, &one);
		if (one.len <= 2)
			continue;
		buf_printf(resp, "%s\"%s\":%s", first ? "" : ",", r->names[k],
		    buf_data(&one));
		first = 0;
	}
	buf_adds(resp, "}");
	finish(r, resp);
	buf_free(&one);
}

static int
authorized(const struct conn *c)
{
	if (srv.opt.key == NULL)
		return 1;
	return strcmp(c->key_hdr, srv.opt.key) == 0 &&
	    (srv.opt.secret == NULL ||
	    strcmp(c->secret_hdr, srv.opt.secret) == 0);
}

static int
http(struct conn *c, const char *method, const char *path,
    const char *query, const char *body, struct buf *resp)
{
	struct req r;
	char syms[512];
	int st = 200, k;
	size_t pl = strlen(path);

	(void)body;
	memset(&r, 0, sizeof r);
	if (!authorized(c)) {
		buf_adds(resp, "{\"message\":\"unauthorized\"}");
		return 401;
	}
	if (strcmp(method, "GET") != 0 || strncmp(path, "/v2/stocks/", 11) ||
	    pl < 15 || strcmp(path + pl - 5, "/bars") != 0 ||
	    pl == 16) {
		http_error(resp, &st, 40410000, "endpoint not found");
		return st;
	}
	if (parse_req(query, &r, resp, &st) != 0)
		return st;
	if (strcmp(path, "/v2/stocks/bars") == 0) {
		if (query_arg(query, "symbols", syms, sizeof syms) == NULL) {
			http_error(resp, &st, 42210000, "missing symbols");
			return st;
		}
		add_symbols(&r, syms);
		multi(&r, resp);
	} else {
		r.names[0] = xstrndup(path + 11, pl - 16);
		r.sets[0] = fixture_bars(r.names[0]);
		r.n = 1;
		single(&r, resp);
	}
	for (k = 0; k < r.n; k++)
		free(r.names[k]);
	free(r.next);
	return st;
}

const struct provider_ops alpaca_bars_ops = {
	.name = "alpaca-bars",
	.http = http,
};
