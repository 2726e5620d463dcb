#include "frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static const char *base_names[FRAME_NBASE] = {
	"Open", "High", "Low", "Close", "Volume"
};

struct frame *
frame_new(size_t n, enum frame_index_kind kind, const char *source)
{
	struct frame *f = xcalloc(1, sizeof *f);
	size_t c;

	f->n = n;
	f->index_kind = kind;
	f->index = xcalloc(n, sizeof *f->index);
	f->ncols = FRAME_NBASE;
	f->names = xcalloc(FRAME_NBASE, sizeof *f->names);
	f->cols = xcalloc(FRAME_NBASE, sizeof *f->cols);
	for (c = 0; c < FRAME_NBASE; c++) {
		f->names[c] = xstrdup(base_names[c]);
		f->cols[c] = xcalloc(n, sizeof(double));
	}
	f->source = xstrdup(source);
	return f;
}

void
frame_add_column(struct frame *f, const char *name, double *values)
{
	f->names = xreallocarray(f->names, f->ncols + 1, sizeof *f->names);
	f->cols = xreallocarray(f->cols, f->ncols + 1, sizeof *f->cols);
	f->names[f->ncols] = xstrdup(name);
	f->cols[f->ncols] = values;
	f->ncols++;
}

int
frame_find_column(const struct frame *f, const char *name)
{
	size_t c;

	for (c = 0; c < f->ncols; c++)
		if (strcmp(f->names[c], name) == 0)
			return (int)c;
	return -1;
}

struct frame *
frame_slice(const struct frame *f, size_t from, size_t to)
{
	struct frame *s;
	size_t n = to - from, c;
	double *v;

	if (from >= to || to > f->n)
		return NULL;
	s = frame_new(n, f->index_kind, f->source);
	memcpy(s->index, f->index + from, n * sizeof *s->index);
	for (c = 0; c < FRAME_NBASE; c++)
		memcpy(s->cols[c], f->cols[c] + from, n * sizeof(double));
	for (; c < f->ncols; c++) {
		v = xmalloc(n * sizeof *v);
		memcpy(v, f->cols[c] + from, n * sizeof *v);
		frame_add_column(s, f->names[c], v);
	}
	return s;
}

void
frame_free(struct frame *f)
{
	size_t c;

	if (f == NULL)
		return;
	for (c = 0; c < f->ncols; c++) {
		free(f->names[c]);
		free(f->cols[c]);
	}
	free(f->names);
	free(f->cols);
	free(f->index);
	free(f->source);
	free(f);
}

static void
frame_reserve(struct frame *f, size_t want)
{
	size_t cap = f->cap > f->n ? f->cap : f->n, c;

	if (want <= cap)
		return;
	cap = cap < 64 ? 64 : cap;
	while (cap < want)
		cap *= 2;
	f->index = xreallocarray(f->index, cap, sizeof *f->index);
	for (c = 0; c < f->ncols; c++)
		f->cols[c] = xreallocarray(f->cols[c], cap, sizeof(double));
	f->cap = cap;
}

void
frame_append(struct frame *f, int64_t t, double open, double high,
    double low, double close, double volume)
{
	size_t c, i = f->n;

	frame_reserve(f, i + 1);
	f->index[i] = t;
	f->cols[FRAME_OPEN][i] = open;
	f->cols[FRAME_HIGH][i] = high;
	f->cols[FRAME_LOW][i] = low;
	f->cols[FRAME_CLOSE][i] = close;
	f->cols[FRAME_VOLUME][i] = volume;
	for (c = FRAME_NBASE; c < f->ncols; c++)
		f->cols[c][i] = NAN;
	f->n = i + 1;
}
