/* Reports of a run.  The table reproduces pandas 1.5's rendering of
 * backtesting.py's _Stats Series; the DataFrame rows show only the first
 * characters of the frames' string form, which depend on the widths of
 * their index and first columns, so those widths are computed the way
 * pandas' DataFrameFormatter does. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "pyfloat.h"
#include "timefmt.h"
#include "xmalloc.h"

/* The options _Stats.__repr__ sets, and pandas defaults it relies on. */
#define MAX_COLWIDTH 20		/* display.max_colwidth */
#define PRECISION 5		/* display.precision */
#define MIN_ROWS 10		/* display.min_rows */
#define KEY_GAP 3		/* SeriesFormatter: adjoin(3, index, values) */
#define NPRIVATE 3		/* _strategy, _equity_curve, _trades */
#define MAX_SHOWN (STATS_MAX + NPRIVATE)
#define HEAD_BUF 256
#define TIME_BUF 64
#define NUM_BUF 40
#define DAY TIMEFMT_NS_PER_DAY
#define SEC INT64_C(1000000000)

/* One column of a DataFrame as its header line shows it. */
struct col {
	const char *name;
	int numeric;		/* numeric dtype: the header gets a space */
	size_t cells;		/* widest formatted cell */
};

/* Python's len() of UTF-8 text: code points. */
static size_t
u8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Bytes of the first k code points of s. */
static size_t
u8_bytes(const char *s, size_t k)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (k == 0)
				break;
			k--;
		}
	}
	return i;
}

static size_t
max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* A float of the object Series: f"{x: .5f}" with the trailing zeros
 * trimmed to one decimal (_trim_zeros_single_float); NaN as " NaN". */
static char *
table_float(double x)
{
	char *s;
	size_t len;

	if (isnan(x))
		return xstrdup(" NaN");
	s = xasprintf("% .*f", PRECISION, x);
	len = strlen(s);
	while (len > 0 && s[len - 1] == '0')
		len--;
	if (len > 0 && s[len - 1] == '.')
		s[len++] = '0';
	s[len] = '\0';
	return s;
}

/* A value of the Series before justification.  Everything but a float
 * gets the leading space pandas adds when the Series holds floats. */
static char *
table_cell(const struct stat *st)
{
	char buf[TIME_BUF];

	switch (st->kind) {
	case STAT_FLOAT:
		return table_float(st->f);
	case STAT_INT:
		return xasprintf(" %lld", (long long)st->i);
	case STAT_TIMESTAMP:
		return xasprintf(" %s", timefmt_timestamp(st->i, buf,
		    sizeof buf));
	case STAT_TIMEDELTA:
		return xasprintf(" %s", timefmt_timedelta(st->i, buf,
		    sizeof buf));
	default:
		return xasprintf(" %s", st->s != NULL ? st->s : "None");
	}
}

/* The rows of an n-row frame that pandas shows when max_rows fit: all,
 * or the first and last MIN_ROWS / 2.  rows holds MAX_SHOWN entries. */
static size_t
shown_rows(size_t n, size_t max_rows, size_t *rows)
{
	size_t k, half = MIN_ROWS / 2;

	if (n <= max_rows && n <= MAX_SHOWN) {
		for (k = 0; k < n; k++)
			rows[k] = k;
		return n;
	}
	for (k = 0; k < half; k++) {
		rows[k] = k;
		rows[half + k] = n - half + k;
	}
	return 2 * half;
}

static size_t
trailing_zeros(const char *s)
{
	size_t len = strlen(s), k = 0;

	while (k < PRECISION && k < len && s[len - 1 - k] == '0')
		k++;
	return k;
}

/* Widest cell of a float64 column under FloatArrayFormatter: "% .5f" with
 * the zeros every number ends in trimmed, or "% .5e" when some value is
 * tiny, or large while the fixed form is too long. */
static size_t
float_col_width(const double *v, size_t m)
{
	size_t k, w = 0, num = 0, trim = PRECISION;
	int big = 0, small = 0, any = 0;
	char *s;

	for (k = 0; k < m; k++) {
		if (!isnan(v[k])) {
			big |= fabs(v[k]) > 1e6;
			small |= fabs(v[k]) > 0 && fabs(v[k]) < 1e-5;
		}
		if (!isfinite(v[k])) {
			w = max_size(w, isnan(v[k]) ? 3 : 4);
			continue;
		}
		s = xasprintf("% .*f", PRECISION, v[k]);
		num = max_size(num, strlen(s));
		trim = trailing_zeros(s) < trim ? trailing_zeros(s) : trim;
		any = 1;
		free(s);
	}
	if (any)
		w = max_size(w, num - (trim == PRECISION ? trim - 1 : trim));
	if (!small && !(big && w > PRECISION + 6))
		return w;
	for (k = 0, w = 0; k < m; k++) {
		s = isnan(v[k]) ? xstrdup("NaN") :
		    xasprintf("% .*e", PRECISION, v[k]);
		w = max_size(w, strlen(s));
		free(s);
	}
	return w;
}

/* Widest cell of an int64 column: f"{x: d}". */
static size_t
int_col_width(const int64_t *v, size_t m)
{
	char buf[NUM_BUF];
	size_t k, w = 0;

	for (k = 0; k < m; k++)
		w = max_size(w, (size_t)snprintf(buf, sizeof buf, "% lld",
		    (long long)v[k]));
	return w;
}

/* Width of an integer index: f"{x: d}" less the space all share when
 * none is negative (trim_front). */
static size_t
int_index_width(const int64_t *v, size_t m)
{
	size_t k;
	int neg = 0;

	for (k = 0; k < m; k++)
		neg |= v[k] < 0;
	return int_col_width(v, m) - !neg;
}

/* Width of a DatetimeIndex: dates only, or the time with the fraction of
 * the finest resolution present. */
static size_t
dt_index_width(const int64_t *v, size_t m)
{
	int64_t sub;
	size_t k, w = 10;

	for (k = 0; k < m; k++) {
		if (v[k] % DAY == 0)
			continue;
		w = max_size(w, 19);
		sub = v[k] % SEC;
		if (sub % 1000 != 0)
			w = max_size(w, 29);
		else if (sub % 1000000 != 0)
			w = max_size(w, 26);
		else if (sub != 0)
			w = max_size(w, 23);
	}
	return w;
}

/* Appends a column header, right-justified as DataFrame.to_string does
 * (cells cut to display.max_colwidth, never the header). */
static void
head_add(char *line, size_t size, const struct col *c)
{
	size_t len = strlen(line), h = u8_len(c->name) + (c->numeric != 0);
	size_t w = max_size(c->cells, h);

	if (w > MAX_COLWIDTH)
		w = max_size(MAX_COLWIDTH, h);
	snprintf(line + len, size - len, " %*s%s%s", (int)(w - h), "",
	    c->numeric ? " " : "", c->name);
}

/* The header line of a frame: the index's blank cell, then the columns,
 * enough of them for the part the table shows. */
static void
head_line(char *line, size_t size, size_t index_width,
    const struct col *cols, size_t ncols)
{
	size_t k;

	snprintf(line, size, "%*s", (int)index_width, "");
	for (k = 0; k < ncols && u8_len(line) < MAX_COLWIDTH; k++)
		head_add(line, size, &cols[k]);
}

static void
take_doubles(const double *src, const size_t *rows, size_t m, double *dst)
{
	size_t k;

	for (k = 0; k < m; k++)
		dst[k] = src[rows[k]];
}

/* First line of str(_equity_curve) with max_rows rows allowed. */
static void
equity_head(const struct run_result *r, size_t max_rows, char *line,
    size_t size)
{
	const struct frame *d = r->data;
	size_t rows[MAX_SHOWN], m = shown_rows(d->n, max_rows, rows), k;
	double v[MAX_SHOWN] = { 0 };
	int64_t idx[MAX_SHOWN];
	struct drawdown dd;
	struct col cols[3] = {
		{ "Equity", 1, 0 }, { "DrawdownPct", 1, 0 },
		{ "DrawdownDuration", 1, 0 }
	};

	stats_drawdown(r->equity, d->n, &dd);
	take_doubles(r->equity, rows, m, v);
	cols[0].cells = float_col_width(v, m);
	take_doubles(dd.dd, rows, m, v);
	cols[1].cells = float_col_width(v, m);
	/* a timedelta64 column when there are episodes, float64 otherwise */
	cols[2].numeric = !(d->index_kind == FRAME_INDEX_DATETIME && dd.nep);
	for (k = 0; k < m; k++)
		idx[k] = d->index[rows[k]];
	head_line(line, size, d->index_kind == FRAME_INDEX_DATETIME ?
	    dt_index_width(idx, m) : int_index_width(idx, m), cols, 3);
	stats_drawdown_free(&dd);
}

static int
sizes_whole(const struct run_result *r)
{
	size_t k;

	for (k = 0; k < r->ntrades; k++)
		if (r->trades[k].size != floor(r->trades[k].size))
			return 0;
	return 1;
}

/* First line of str(_trades): a RangeIndex, then Size (int64 unless a
 * size is fractional), EntryBar and ExitBar. */
static void
trades_head(const struct run_result *r, size_t max_rows, char *line,
    size_t size)
{
	size_t rows[MAX_SHOWN], m = shown_rows(r->ntrades, max_rows, rows), k;
	int64_t iv[MAX_SHOWN], last = (int64_t)r->ntrades - 1;
	double dv[MAX_SHOWN];
	struct col cols[3] = {
		{ "Size", 1, 0 }, { "EntryBar", 1, 0 }, { "ExitBar", 1, 0 }
	};

	if (r->ntrades == 0) {
		snprintf(line, size, "Empty DataFrame");
		return;
	}
	for (k = 0; k < m; k++) {
		dv[k] = r->trades[rows[k]].size;
		iv[k] = (int64_t)dv[k];
	}
	cols[0].cells = sizes_whole(r) ? int_col_width(iv, m) :
	    float_col_width(dv, m);
	for (k = 0; k < m; k++)
		iv[k] = (int64_t)r->trades[rows[k]].entry_bar;
	cols[1].cells = int_col_width(iv, m);
	for (k = 0; k < m; k++)
		iv[k] = (int64_t)r->trades[rows[k]].exit_bar;
	cols[2].cells = int_col_width(iv, m);
	head_line(line, size, int_index_width(&last, 1), cols, 3);
}

/* The cell of a DataFrame: the text starts with its header line and goes
 * on past any column width, so the table always cuts it. */
static char *
frame_cell(const char *head)
{
	return xasprintf(" %s\n", head);
}

/* Cuts and right-justifies the values as _make_fixed_width does.
 * prefix[k] marks values whose text is only the start of a longer one. */
static size_t
fit_values(char **val, const int *prefix, size_t n)
{
	size_t k, w = 0, len, cut;
	char *s;

	for (k = 0; k < n; k++)
		w = max_size(w, prefix[k] ? MAX_COLWIDTH + 1 : u8_len(val[k]));
	w = w > MAX_COLWIDTH ? MAX_COLWIDTH : w;
	for (k = 0; k < n; k++) {
		len = u8_len(val[k]);
		if (len > w || prefix[k]) {
			cut = u8_bytes(val[k], w - 3);
			s = xasprintf("%.*s...", (int)cut, val[k]);
			free(val[k]);
			val[k] = s;
			len = w;
		}
		s = xasprintf("%*s%s", (int)(w - len), "", val[k]);
		free(val[k]);
		val[k] = s;
	}
	return w;
}

/* The values column of the table, justified; caller frees. */
static char **
table_values(const struct run_result *r, const struct stats *s, int *prefix)
{
	size_t n = s->n + NPRIVATE, k;
	char **val = xcalloc(n, sizeof *val);
	char head[HEAD_BUF];

	for (k = 0; k < s->n; k++)
		val[k] = table_cell(&s->item[k]);
	val[s->n] = xasprintf(" %s", r->strategy != NULL ? r->strategy :
	    "None");
	equity_head(r, n, head, sizeof head);
	val[s->n + 1] = frame_cell(head);
	trades_head(r, n, head, sizeof head);
	val[s->n + 2] = frame_cell(head);
	prefix[s->n + 1] = prefix[s->n + 2] = 1;
	fit_values(val, prefix, n);
	return val;
}

int
report_table(FILE *out, const struct run_result *r, const struct stats *s)
{
	static const char *private_keys[NPRIVATE] = {
		"_strategy", "_equity_curve", "_trades"
	};
	int prefix[MAX_SHOWN] = { 0 };
	char **val = table_values(r, s, prefix);
	size_t n = s->n + NPRIVATE, k, keyw = 0;
	const char *key;

	for (k = 0; k < n; k++) {
		key = k < s->n ? s->item[k].key : private_keys[k - s->n];
		keyw = max_size(keyw, u8_len(key));
	}
	for (k = 0; k < n; k++) {
		key = k < s->n ? s->item[k].key : private_keys[k - s->n];
		fprintf(out, "%s%*s%s\n", key,
		    (int)(keyw + KEY_GAP - u8_len(key)), "", val[k]);
		free(val[k]);
	}
	free(val);
	fputs("dtype: object\n", out);
	return ferror(out) ? -1 : 0;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
u8_valid(const unsigned char *p)
{
	size_t len, k;
	unsigned long cp;

	if (p[0] < 0x80)
		return 1;
	len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || p[0] > 0xF4)
		return 0;
	cp = p[0] & (0x7F >> len);
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* A JSON string as Python's json.dumps(ensure_ascii=False) writes it;
 * invalid UTF-8 becomes U+FFFD. */
static void
json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p != '\0') {
		len = u8_valid(p);
		if (len == 0) {
			fputs("\\ufffd", f);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p >= '\b' && *p <= '\r' && *p != '\v') {
			fprintf(f, "\\%c", "btn?fr"[*p++ - '\b']);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, len, f);
			p += len;
		}
	}
	fputc('"', f);
}

/* A float as Python's repr, null for NaN and the infinities. */
static void
json_number(FILE *f, double v)
{
	char buf[NUM_BUF];

	fputs(isfinite(v) ? py_repr(v, buf, sizeof buf) : "null", f);
}

static void
json_key(FILE *f, const char *key, int first)
{
	if (!first)
		fputs(", ", f);
	json_string(f, key);
	fputs(": ", f);
}

static void
json_stat(FILE *f, const struct stat *st)
{
	char buf[TIME_BUF];

	switch (st->kind) {
	case STAT_FLOAT:
		json_number(f, st->f);
		break;
	case STAT_INT:
		fprintf(f, "%lld", (long long)st->i);
		break;
	case STAT_TIMESTAMP:
		json_string(f, timefmt_iso(st->i, buf, sizeof buf));
		break;
	case STAT_TIMEDELTA:
		json_string(f, timefmt_timedelta(st->i, buf, sizeof buf));
		break;
	default:
		if (st->s != NULL)
			json_string(f, st->s);
		else
			fputs("null", f);
	}
}

/* A size: an integer while whole, as Python keeps it an int. */
static void
json_size(FILE *f, double size)
{
	if (size == floor(size) && fabs(size) < 9007199254740992.0)
		fprintf(f, "%.0f", size);
	else
		json_number(f, size);
}

/* An index value: ISO timestamp, or the integer. */
static void
json_time(FILE *f, const struct frame *d, int64_t v)
{
	char buf[TIME_BUF];

	if (d->index_kind == FRAME_INDEX_DATETIME)
		json_string(f, timefmt_iso(v, buf, sizeof buf));
	else
		fprintf(f, "%lld", (long long)v);
}

static void
json_duration(FILE *f, const struct frame *d, int64_t v)
{
	char buf[TIME_BUF];

	if (d->index_kind == FRAME_INDEX_DATETIME)
		json_string(f, timefmt_timedelta(v, buf, sizeof buf));
	else
		fprintf(f, "%lld", (long long)v);
}

static void
json_trade_indicators(FILE *f, const struct run_result *r,
    const struct trade_rec *t)
{
	char *key;
	size_t k;

	for (k = 0; k < r->nind; k++) {
		key = xasprintf("Entry_%s", r->ind[k].name);
		json_key(f, key, 0);
		json_number(f, r->ind[k].values[t->entry_bar]);
		free(key);
		key = xasprintf("Exit_%s", r->ind[k].name);
		json_key(f, key, 0);
		json_number(f, r->ind[k].values[t->exit_bar]);
		free(key);
	}
}

static void
json_trade(FILE *f, const struct run_result *r, const struct trade_rec *t)
{
	const struct frame *d = r->data;
	const char *price_keys[] = { "EntryPrice", "ExitPrice", "SL", "TP",
	    "PnL", "Commission", "ReturnPct" };
	const double prices[] = { t->entry_price, t->exit_price, t->sl, t->tp,
	    t->pnl, t->commission, t->return_pct };
	size_t k;

	fputs("{", f);
	json_key(f, "Size", 1);
	json_size(f, t->size);
	fprintf(f, ", \"EntryBar\": %zu, \"ExitBar\": %zu", t->entry_bar,
	    t->exit_bar);
	for (k = 0; k < sizeof prices / sizeof prices[0]; k++) {
		json_key(f, price_keys[k], 0);
		json_number(f, prices[k]);
	}
	json_key(f, "EntryTime", 0);
	json_time(f, d, d->index[t->entry_bar]);
	json_key(f, "ExitTime", 0);
	json_time(f, d, d->index[t->exit_bar]);
	json_key(f, "Duration", 0);
	json_duration(f, d, d->index[t->exit_bar] - d->index[t->entry_bar]);
	json_key(f, "Tag", 0);
	if (t->tag != NULL)
		json_string(f, t->tag);
	else
		fputs("null", f);
	if (t->symbol != NULL) {
		json_key(f, "Symbol", 0);
		json_string(f, t->symbol);
	}
	json_trade_indicators(f, r, t);
	fputs("}", f);
}

int
report_json(FILE *out, const struct run_result *r, const struct stats *s)
{
	size_t k;

	fputs("{\n", out);
	for (k = 0; k < s->n; k++) {
		fputs("  ", out);
		json_key(out, s->item[k].key, 1);
		json_stat(out, &s->item[k]);
		fputs(",\n", out);
	}
	fputs("  ", out);
	json_key(out, "_strategy", 1);
	if (r->strategy != NULL)
		json_string(out, r->strategy);
	else
		fputs("null", out);
	fputs(",\n  \"_trades\": [", out);
	for (k = 0; k < r->ntrades; k++) {
		fputs(k == 0 ? "\n    " : ",\n    ", out);
		json_trade(out, r, &r->trades[k]);
	}
	fputs(r->ntrades > 0 ? "\n  ]\n}\n" : "]\n}\n", out);
	return ferror(out) ? -1 : 0;
}

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
static void
csv_text(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* ",name" with name quoted as needed; prefix may be empty. */
static void
csv_name(FILE *f, const char *prefix, const char *name)
{
	char *s = xasprintf("%s%s", prefix, name);

	fputc(',', f);
	csv_text(f, s);
	free(s);
}

/* A float as Python's repr; NaN as an empty cell. */
static void
csv_number(FILE *f, double v)
{
	char buf[NUM_BUF];

	if (!isnan(v))
		fputs(py_repr(v, buf, sizeof buf), f);
}

/* An index value as pandas writes it: the date alone when the whole
 * column is dates, else the full timestamp, or the integer. */
static void
csv_time(FILE *f, const struct frame *d, int64_t v, int dates_only)
{
	char buf[TIME_BUF];

	if (d->index_kind != FRAME_INDEX_DATETIME) {
		fprintf(f, "%lld", (long long)v);
		return;
	}
	timefmt_timestamp(v, buf, sizeof buf);
	if (dates_only)
		buf[10] = '\0';
	fputs(buf, f);
}

static FILE *
open_out(const char *path, char **cause)
{
	FILE *f = fopen(path, "w");

	if (f == NULL && cause != NULL)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	errno = 0;
	return f;
}

/* Closes f; -1 with a cause naming path when any write failed. */
static int
close_out(FILE *f, const char *path, char **cause)
{
	int err = ferror(f) ? (errno != 0 ? errno : EIO) : 0;

	if (fclose(f) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	if (err == 0)
		return 0;
	if (cause != NULL)
		*cause = xasprintf("%s: %s", path, strerror(err));
	return -1;
}

/* Whether every entry (or exit) time of the trades is a whole day. */
static int
trade_dates_only(const struct run_result *r, int exit)
{
	const struct trade_rec *t;
	size_t k;

	for (k = 0; k < r->ntrades; k++) {
		t = &r->trades[k];
		if (r->data->index[exit ? t->exit_bar : t->entry_bar] % DAY)
			return 0;
	}
	return 1;
}

/* A portfolio's trades name their symbol. */
static int
has_symbols(const struct run_result *r)
{
	return r->ntrades > 0 && r->trades[0].symbol != NULL;
}

static void
trades_header(FILE *f, const struct run_result *r)
{
	size_t k;

	fputs("Size,EntryBar,ExitBar,EntryPrice,ExitPrice,SL,TP,PnL,"
	    "Commission,ReturnPct,EntryTime,ExitTime,Duration,Tag", f);
	if (has_symbols(r))
		fputs(",Symbol", f);
	for (k = 0; k < r->nind; k++) {
		csv_name(f, "Entry_", r->ind[k].name);
		csv_name(f, "Exit_", r->ind[k].name);
	}
	fputc('\n', f);
}

static void
trades_row(FILE *f, const struct run_result *r, const struct trade_rec *t,
    const int *dates_only)
{
	const struct frame *d = r->data;
	const double v[] = { t->entry_price, t->exit_price, t->sl, t->tp,
	    t->pnl, t->commission, t->return_pct };
	int64_t dur = d->index[t->exit_bar] - d->index[t->entry_bar];
	char buf[TIME_BUF];
	size_t k;

	if (t->size == floor(t->size) && fabs(t->size) < 9007199254740992.0)
		fprintf(f, "%.0f", t->size);
	else
		csv_number(f, t->size);
	fprintf(f, ",%zu,%zu", t->entry_bar, t->exit_bar);
	for (k = 0; k < sizeof v / sizeof v[0]; k++) {
		fputc(',', f);
		csv_number(f, v[k]);
	}
	fputc(',', f);
	csv_time(f, d, d->index[t->entry_bar], dates_only[0]);
	fputc(',', f);
	csv_time(f, d, d->index[t->exit_bar], dates_only[1]);
	if (d->index_kind == FRAME_INDEX_DATETIME)
		fprintf(f, ",%s,", timefmt_timedelta(dur, buf, sizeof buf));
	else
		fprintf(f, ",%lld,", (long long)dur);
	if (t->tag != NULL)
		csv_text(f, t->tag);
	if (t->symbol != NULL) {
		fputc(',', f);
		csv_text(f, t->symbol);
	}
	for (k = 0; k < r->nind; k++) {
		fputc(',', f);
		csv_number(f, r->ind[k].values[t->entry_bar]);
		fputc(',', f);
		csv_number(f, r->ind[k].values[t->exit_bar]);
	}
	fputc('\n', f);
}

int
report_trades_csv(const char *path, const struct run_result *r,
    char **cause)
{
	FILE *f = open_out(path, cause);
	int dates_only[2];
	size_t k;

	if (f == NULL)
		return -1;
	dates_only[0] = trade_dates_only(r, 0);
	dates_only[1] = trade_dates_only(r, 1);
	trades_header(f, r);
	for (k = 0; k < r->ntrades; k++)
		trades_row(f, r, &r->trades[k], dates_only);
	return close_out(f, path, cause);
}

/* The DrawdownDuration cell of each bar, as pandas writes the column:
 * Timedeltas or index differences at episode ends, or without episodes
 * the non-zero drawdowns; NULL for an empty cell. */
static char **
duration_cells(const struct run_result *r, const struct drawdown *dd)
{
	const struct frame *d = r->data;
	char **cell = xcalloc(d->n + 1, sizeof *cell);
	char buf[TIME_BUF];
	int64_t v;
	size_t k, b;

	for (k = 0; k < d->n && dd->nep == 0; k++)
		if (dd->dd[k] != 0 && !isnan(dd->dd[k]))
			cell[k] = xstrdup(py_repr(dd->dd[k], buf, sizeof buf));
	for (k = 0; k < dd->nep; k++) {
		b = dd->end[k];
		v = d->index[b] - d->index[dd->begin[k]];
		cell[b] = xstrdup(d->index_kind == FRAME_INDEX_DATETIME ?
		    timefmt_timedelta(v, buf, sizeof buf) :
		    py_repr((double)v, buf, sizeof buf));
	}
	return cell;
}

static int
index_dates_only(const struct frame *d)
{
	size_t k;

	for (k = 0; k < d->n; k++)
		if (d->index[k] % DAY != 0)
			return 0;
	return 1;
}

int
report_equity_csv(const char *path, const struct run_result *r,
    char **cause)
{
	const struct frame *d = r->data;
	FILE *f = open_out(path, cause);
	int dates_only = index_dates_only(d);
	struct drawdown dd;
	char **cell;
	size_t k;

	if (f == NULL)
		return -1;
	stats_drawdown(r->equity, d->n, &dd);
	cell = duration_cells(r, &dd);
	fputs(",Equity,DrawdownPct,DrawdownDuration\n", f);
	for (k = 0; k < d->n; k++) {
		csv_time(f, d, d->index[k], dates_only);
		fputc(',', f);
		csv_number(f, r->equity[k]);
		fputc(',', f);
		csv_number(f, dd.dd[k]);
		fprintf(f, ",%s\n", cell[k] != NULL ? cell[k] : "");
		free(cell[k]);
	}
	free(cell);
	stats_drawdown_free(&dd);
	return close_out(f, path, cause);
}
