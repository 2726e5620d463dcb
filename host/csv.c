#define _POSIX_C_SOURCE 200809L

#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "timefmt.h"
#include "xmalloc.h"

/* Unix seconds of 1975-01-01, backtesting.py's threshold for an index that
 * looks like timestamps. */
#define EPOCH_1975 INT64_C(157766400)
#define MAX_COLUMNS 1024
#define FIRST_CAP 4096

enum index_mode { INDEX_UNKNOWN, INDEX_DATETIME, INDEX_INTEGER };

/* A field's text: points into the input, or into the scratch buffer when
 * the field was quoted (valid until the next field is read). */
struct span {
	const char *s;
	size_t len;
};

struct csv {
	const char *name;
	const char *p;			/* cursor */
	const char *end;
	size_t line;			/* line of the cursor, from 1 */
	size_t row_line;		/* line the current row starts on */
	char *scratch;			/* unquoted copy of a quoted field */
	size_t scratch_cap;
	char *cause;

	char **hdr;			/* nfields header names, owned */
	size_t nfields;			/* fields per row, the index included */
	size_t *slot;			/* slot[f]: column of field f >= 1 */
	size_t ncols;			/* columns in frame order */
	int has_volume;

	enum index_mode mode;
	int64_t *index;
	double **cols;			/* ncols arrays of cap values */
	size_t n;
	size_t cap;
};

static const char *const base_names[FRAME_NBASE] = {
	"Open", "High", "Low", "Close", "Volume"
};

/* pandas' default NA spellings (pandas._libs.parsers.STR_NA_VALUES). */
static const char *const na_words[] = {
	"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
	"1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a",
	"nan", "null"
};

/* Every power of ten a double holds exactly. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Sets c->cause to "name:line: message" (no line when line is 0) and
 * returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail(struct csv *c, size_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	free(c->cause);
	if (line == 0)
		c->cause = xasprintf("%s: %s", c->name, msg);
	else
		c->cause = xasprintf("%s:%zu: %s", c->name, line, msg);
	return -1;
}

/* Bytes of a field worth quoting in a message. */
static int
shown(const struct span *sp)
{
	return sp->len > 40 ? 40 : (int)sp->len;
}

static int
at_eol(const struct csv *c)
{
	return c->p == c->end || *c->p == '\n' || *c->p == '\r';
}

/* Consumes one line ending ("\n", "\r\n" or "\r"), if any. */
static void
skip_eol(struct csv *c)
{
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->line++;
}

static void
scratch_put(struct csv *c, size_t at, char ch)
{
	if (at == c->scratch_cap) {
		c->scratch_cap = c->scratch_cap == 0 ? 64 : c->scratch_cap * 2;
		c->scratch = xreallocarray(c->scratch, c->scratch_cap, 1);
	}
	c->scratch[at] = ch;
}

/* Reads a quoted field at the cursor (on its opening quote) into the
 * scratch buffer, undoubling "" and counting newlines inside. */
static int
field_quoted(struct csv *c, struct span *sp)
{
	size_t len = 0;

	for (c->p++;; c->p++) {
		if (c->p == c->end)
			return fail(c, c->row_line, "unterminated quoted field");
		if (*c->p == '"') {
			if (c->p + 1 == c->end || c->p[1] != '"')
				break;
			c->p++;
		} else if (*c->p == '\n')
			c->line++;
		if (len == CSV_MAX_FIELD)
			return fail(c, c->row_line, "quoted field longer than "
			    "%zu bytes", CSV_MAX_FIELD);
		scratch_put(c, len++, *c->p);
	}
	c->p++;
	if (!at_eol(c) && *c->p != ',')
		return fail(c, c->row_line, "text after a closing quote");
	sp->s = len > 0 ? c->scratch : "";
	sp->len = len;
	return 0;
}

/* Reads one field, leaving the cursor on the ',' or line end after it. */
static int
field_next(struct csv *c, struct span *sp)
{
	const char *s = c->p;

	if (s < c->end && *s == '"')
		return field_quoted(c, sp);
	while (s < c->end && *s != ',' && *s != '\n' && *s != '\r')
		s++;
	sp->s = c->p;
	sp->len = (size_t)(s - c->p);
	c->p = s;
	return 0;
}

/* Parses a plain decimal number at p when Clinger's fast path gives the
 * correctly rounded double: at most 19 significant digits, mantissa below
 * 2^53 and a decimal exponent within +-22, so that one exact product or
 * quotient of two exact doubles is the answer.  Returns the end of the
 * number, or NULL to leave the field to the slow path. */
static const char *
number_fast(const char *p, const char *end, double *v)
{
	uint64_t m = 0;
	int64_t e = 0, x = 0;
	int neg = 0, nd = 0, digits = 0, xneg = 0;
	double d;

	if (FLT_EVAL_METHOD != 0)
		return NULL;	/* Excess precision would round twice. */
	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && (unsigned)(*p - '0') < 10; p++, digits++) {
		if (nd == 19)
			return NULL;
		m = m * 10 + (uint64_t)(*p - '0');
		nd += m != 0;
	}
	if (p < end && *p == '.') {
		for (p++; p < end && (unsigned)(*p - '0') < 10; p++, digits++) {
			if (nd == 19)
				return NULL;
			m = m * 10 + (uint64_t)(*p - '0');
			nd += m != 0;
			e--;
		}
	}
	if (digits == 0)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '-' || *p == '+'))
			xneg = *p++ == '-';
		if (p == end || (unsigned)(*p - '0') >= 10)
			return NULL;
		for (; p < end && (unsigned)(*p - '0') < 10; p++)
			if (x < 100000)
				x = x * 10 + (*p - '0');
		e += xneg ? -x : x;
	}
	if (m == 0)
		e = 0;
	if (m > (UINT64_C(1) << 53) || e < -22 || e > 22)
		return NULL;
	d = (double)m;
	d = e < 0 ? d / pow10_exact[-e] : d * pow10_exact[e];
	*v = neg ? -d : d;
	return p;
}

/* Whether s is [+-]digits[.digits][(e|E)[+-]digits] with a digit in the
 * mantissa: the decimal numbers pandas reads. */
static int
decimal_syntax(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == len || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == len;
}

/* Whether s is [+-]inf or [+-]infinity in any case, as pandas accepts. */
static int
inf_word(const char *s, size_t len)
{
	static const char word[] = "infinity";
	size_t i;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		s++;
		len--;
	}
	if (len != 3 && len != 8)
		return 0;
	for (i = 0; i < len; i++)
		if ((s[i] | 0x20) != word[i])
			return 0;
	return 1;
}

static int
na_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof na_words / sizeof na_words[0]; i++)
		if (strlen(na_words[i]) == len && memcmp(na_words[i], s, len) == 0)
			return 1;
	return 0;
}

static void
trim_blanks(struct span *sp)
{
	while (sp->len > 0 && (*sp->s == ' ' || *sp->s == '\t')) {
		sp->s++;
		sp->len--;
	}
	while (sp->len > 0 && (sp->s[sp->len - 1] == ' ' ||
	    sp->s[sp->len - 1] == '\t'))
		sp->len--;
}

/* strtod over a span; the caller has checked its syntax. */
static double
span_strtod(const struct span *sp)
{
	char small[64], *tmp = small;
	double d;

	if (sp->len >= sizeof small)
		tmp = xmalloc(sp->len + 1);
	memcpy(tmp, sp->s, sp->len);
	tmp[sp->len] = '\0';
	d = strtod(tmp, NULL);
	if (tmp != small)
		free(tmp);
	return d;
}

/* Reads field f as a number the slow way: quotes, blanks around, NA words,
 * and strtod when the fast path declines. */
static int
number_slow(struct csv *c, size_t f, double *v)
{
	struct span sp;

	if (field_next(c, &sp) != 0)
		return -1;
	trim_blanks(&sp);
	if (na_word(sp.s, sp.len))
		*v = NAN;
	else if (number_fast(sp.s, sp.s + sp.len, v) == sp.s + sp.len)
		return 0;
	else if (decimal_syntax(sp.s, sp.len) || inf_word(sp.s, sp.len))
		*v = span_strtod(&sp);
	else
		return fail(c, c->row_line, "column %s: not a number: '%.*s'",
		    c->hdr[f], shown(&sp), sp.s);
	return 0;
}

/* Reads field f (cursor on its first byte) into *v. */
static int
number_field(struct csv *c, size_t f, double *v)
{
	const char *q = number_fast(c->p, c->end, v);

	if (q != NULL && (q == c->end || *q == ',' || *q == '\n' || *q == '\r'))
		c->p = q;
	else if (number_slow(c, f, v) != 0)
		return -1;
	if (isnan(*v) && c->slot[f] < FRAME_VOLUME)
		return fail(c, c->row_line, "column %s: NaN price", c->hdr[f]);
	return 0;
}

/* Parses [+-]digits into an int64; -1 on anything else or overflow. */
static int
parse_int(const char *s, size_t len, int64_t *v)
{
	uint64_t u = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	if (i == len)
		return -1;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    u > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		u = u * 10 + (uint64_t)(s[i] - '0');
	}
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* Parses the index field; the first row decides datetime or integer. */
static int
index_value(struct csv *c, const struct span *sp, int64_t *v)
{
	switch (c->mode) {
	case INDEX_DATETIME:
		if (timefmt_parse(sp->s, sp->len, v) == 0)
			return 0;
		return fail(c, c->row_line, "index: not a datetime: '%.*s'",
		    shown(sp), sp->s);
	case INDEX_INTEGER:
		if (parse_int(sp->s, sp->len, v) == 0)
			return 0;
		return fail(c, c->row_line, "index: not an integer: '%.*s'",
		    shown(sp), sp->s);
	case INDEX_UNKNOWN:
		break;
	}
	if (timefmt_parse(sp->s, sp->len, v) == 0)
		c->mode = INDEX_DATETIME;
	else if (parse_int(sp->s, sp->len, v) == 0)
		c->mode = INDEX_INTEGER;
	else
		return fail(c, c->row_line, "index: neither a datetime nor an "
		    "integer: '%.*s'", shown(sp), sp->s);
	return 0;
}

/* Reads the header fields into c->hdr, naming empty ones after their
 * position as pandas does ("Unnamed: 3"); the index's name may be empty. */
static int
header_read(struct csv *c)
{
	struct span sp;
	size_t f;

	if (c->end - c->p >= 3 && memcmp(c->p, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	if (c->p == c->end)
		return fail(c, 0, "empty file, no header line");
	c->row_line = 1;
	for (f = 0;; f++) {
		if (f == MAX_COLUMNS)
			return fail(c, 1, "more than %d columns", MAX_COLUMNS);
		if (field_next(c, &sp) != 0)
			return -1;
		c->hdr = xreallocarray(c->hdr, f + 1, sizeof *c->hdr);
		if (sp.len == 0 && f > 0)
			c->hdr[f] = xasprintf("Unnamed: %zu", f);
		else
			c->hdr[f] = xstrndup(sp.s, sp.len);
		c->nfields = f + 1;
		if (at_eol(c))
			break;
		c->p++;
	}
	skip_eol(c);
	return 0;
}

static int
base_slot(const char *name)
{
	int i;

	for (i = 0; i < FRAME_NBASE; i++)
		if (strcmp(name, base_names[i]) == 0)
			return i;
	return -1;
}

/* Maps header fields to frame columns and checks names. */
static int
header_map(struct csv *c)
{
	size_t f, g, extra = FRAME_NBASE;
	int b, seen[FRAME_NBASE] = { 0 };

	for (f = 0; f < c->nfields; f++)
		for (g = f + 1; g < c->nfields; g++)
			if (strcmp(c->hdr[f], c->hdr[g]) == 0)
				return fail(c, 1, "duplicate column name '%s'",
				    c->hdr[g]);
	c->slot = xcalloc(c->nfields, sizeof *c->slot);
	for (f = 1; f < c->nfields; f++) {
		b = base_slot(c->hdr[f]);
		c->slot[f] = b >= 0 ? (size_t)b : extra++;
		if (b >= 0)
			seen[b] = 1;
	}
	for (b = 0; b < FRAME_VOLUME; b++)
		if (!seen[b])
			return fail(c, 1, "missing required column %s",
			    base_names[b]);
	c->has_volume = seen[FRAME_VOLUME];
	c->ncols = extra;
	c->cols = xcalloc(c->ncols, sizeof *c->cols);
	return 0;
}

/* Makes room for one more row, doubling up to CSV_MAX_ROWS. */
static int
rows_reserve(struct csv *c)
{
	size_t col;

	if (c->n < c->cap)
		return 0;
	if (c->cap == CSV_MAX_ROWS)
		return fail(c, c->line, "more than %zu data rows",
		    CSV_MAX_ROWS);
	c->cap = c->cap == 0 ? FIRST_CAP : c->cap * 2;
	if (c->cap > CSV_MAX_ROWS)
		c->cap = CSV_MAX_ROWS;
	c->index = xreallocarray(c->index, c->cap, sizeof *c->index);
	for (col = 0; col < c->ncols; col++)
		if (col != FRAME_VOLUME || c->has_volume)
			c->cols[col] = xreallocarray(c->cols[col], c->cap,
			    sizeof **c->cols);
	return 0;
}

/* Counts the fields of an over-long row for the message. */
static int
row_too_long(struct csv *c)
{
	struct span sp;
	size_t got = c->nfields;

	while (c->p < c->end && *c->p == ',') {
		c->p++;
		if (field_next(c, &sp) != 0)
			return -1;
		got++;
	}
	return fail(c, c->row_line, "expected %zu fields, got %zu",
	    c->nfields, got);
}

static int
row_parse(struct csv *c)
{
	struct span sp;
	size_t f;
	double v;

	c->row_line = c->line;
	if (field_next(c, &sp) != 0 ||
	    index_value(c, &sp, &c->index[c->n]) != 0)
		return -1;
	for (f = 1; f < c->nfields; f++) {
		if (c->p == c->end || *c->p != ',')
			return fail(c, c->row_line, "expected %zu fields, got %zu",
			    c->nfields, f);
		c->p++;
		if (number_field(c, f, &v) != 0)
			return -1;
		c->cols[c->slot[f]][c->n] = v;
	}
	if (!at_eol(c))
		return row_too_long(c);
	skip_eol(c);
	c->n++;
	return 0;
}

/* Reads every data row; empty lines are skipped, as pandas does. */
static int
rows_parse(struct csv *c)
{
	while (c->p < c->end) {
		if (at_eol(c)) {
			skip_eol(c);
			continue;
		}
		if (rows_reserve(c) != 0 || row_parse(c) != 0)
			return -1;
	}
	if (c->n == 0)
		return fail(c, 0, "no data rows");
	return 0;
}

/* backtesting.py passes a numeric index of which more than 80% exceeds
 * 1975-01-01 in Unix seconds through pd.to_datetime, which reads integers
 * as nanoseconds since the epoch. */
static void
index_quirk(struct csv *c)
{
	uint64_t big = 0;
	size_t i;

	if (c->mode != INDEX_INTEGER)
		return;
	for (i = 0; i < c->n; i++)
		big += c->index[i] > EPOCH_1975;
	if (big * 5 <= (uint64_t)c->n * 4)
		return;
	c->mode = INDEX_DATETIME;
	log_warn("%s: integer index looks like timestamps; taken as "
	    "nanoseconds since the epoch, as pandas.to_datetime does",
	    c->name);
}

struct sort_key {
	int64_t key;
	size_t row;
};

static int
sort_key_cmp(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static void
column_permute(double **col, const struct sort_key *keys, size_t n)
{
	double *to = xreallocarray(NULL, n, sizeof *to);
	size_t i;

	for (i = 0; i < n; i++)
		to[i] = (*col)[keys[i].row];
	free(*col);
	*col = to;
}

/* Stably sorts the rows by index when it ever decreases. */
static void
rows_sort(struct csv *c)
{
	struct sort_key *keys;
	size_t i, col;

	for (i = 1; i < c->n; i++)
		if (c->index[i] < c->index[i - 1])
			break;
	if (i >= c->n)
		return;
	log_warn("%s: index is not monotonically increasing; rows sorted "
	    "by index", c->name);
	keys = xreallocarray(NULL, c->n, sizeof *keys);
	for (i = 0; i < c->n; i++) {
		keys[i].key = c->index[i];
		keys[i].row = i;
	}
	qsort(keys, c->n, sizeof *keys, sort_key_cmp);
	for (i = 0; i < c->n; i++)
		c->index[i] = keys[i].key;
	for (col = 0; col < c->ncols; col++)
		column_permute(&c->cols[col], keys, c->n);
	free(keys);
}

/* Trims the arrays to n rows and fills an absent Volume with NaN. */
static void
rows_finish(struct csv *c)
{
	size_t col, i;

	c->index = xreallocarray(c->index, c->n, sizeof *c->index);
	for (col = 0; col < c->ncols; col++)
		if (col != FRAME_VOLUME || c->has_volume)
			c->cols[col] = xreallocarray(c->cols[col], c->n,
			    sizeof **c->cols);
	if (!c->has_volume) {
		c->cols[FRAME_VOLUME] = xreallocarray(NULL, c->n,
		    sizeof **c->cols);
		for (i = 0; i < c->n; i++)
			c->cols[FRAME_VOLUME][i] = NAN;
	}
}

/* Hands the parsed arrays over to a new frame. */
static struct frame *
frame_build(struct csv *c)
{
	enum frame_index_kind kind = c->mode == INDEX_DATETIME ?
	    FRAME_INDEX_DATETIME : FRAME_INDEX_INTEGER;
	struct frame *fr = frame_new(0, kind, c->name);
	size_t f, col;

	fr->n = c->n;
	free(fr->index);
	fr->index = c->index;
	c->index = NULL;
	for (col = 0; col < FRAME_NBASE; col++) {
		free(fr->cols[col]);
		fr->cols[col] = c->cols[col];
		c->cols[col] = NULL;
	}
	for (f = 1; f < c->nfields; f++) {
		col = c->slot[f];
		if (col >= FRAME_NBASE) {
			frame_add_column(fr, c->hdr[f], c->cols[col]);
			c->cols[col] = NULL;
		}
	}
	return fr;
}

static void
csv_clear(struct csv *c)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		free(c->hdr[i]);
	free(c->hdr);
	free(c->slot);
	for (i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	free(c->cols);
	free(c->index);
	free(c->scratch);
	free(c->cause);
}

int
csv_parse(const char *buf, size_t len, const char *name, struct frame **out,
    char **cause)
{
	struct csv c;
	int rv = -1;

	memset(&c, 0, sizeof c);
	c.name = name;
	c.p = buf;
	c.end = buf + len;
	c.line = 1;
	if (header_read(&c) != 0 || header_map(&c) != 0 || rows_parse(&c) != 0)
		goto out;
	index_quirk(&c);
	rows_finish(&c);
	rows_sort(&c);
	*out = frame_build(&c);
	rv = 0;
out:
	if (rv != 0 && cause != NULL) {
		*cause = c.cause;
		c.cause = NULL;
	}
	csv_clear(&c);
	return rv;
}

/* Reads all of fd into a new buffer of *len bytes, at most CSV_MAX_BYTES. */
static int
slurp(int fd, size_t hint, char **buf, size_t *len)
{
	size_t cap = hint + 1, have = 0;
	char *p = xmalloc(cap);
	ssize_t got;

	for (;;) {
		if (have == cap) {
			if ((unsigned long long)cap * 2 > CSV_MAX_BYTES) {
				free(p);
				errno = EFBIG;
				return -1;
			}
			p = xreallocarray(p, cap, 2);
			cap *= 2;
		}
		got = read(fd, p + have, cap - have);
		if (got == 0)
			break;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(p);
			return -1;
		}
		have += (size_t)got;
	}
	*buf = p;
	*len = have;
	return 0;
}

int
csv_read(const char *path, struct frame **out, char **cause)
{
	struct stat st;
	size_t hint = 65536, len;
	char *buf;
	int fd, rv;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size >= CSV_MAX_BYTES) {
			errno = EFBIG;
			goto fail;
		}
		hint = (size_t)st.st_size;
	}
	if (slurp(fd, hint, &buf, &len) != 0)
		goto fail;
	close(fd);
	rv = csv_parse(buf, len, path, out, cause);
	free(buf);
	return rv;
fail:
	if (cause != NULL)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}
