/* Market data held by the host: one instrument, n bars, the index and
 * named double columns.  Columns 0..4 are always Open, High, Low, Close,
 * Volume (Volume all-NaN when the source had none); extra columns follow in
 * source order. */
#ifndef TH_FRAME_H
#define TH_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum frame_index_kind {
	FRAME_INDEX_DATETIME,	/* index[] is nanoseconds since the epoch, UTC-naive */
	FRAME_INDEX_INTEGER	/* index[] is a plain integer (a bar number or id) */
};

enum { FRAME_OPEN, FRAME_HIGH, FRAME_LOW, FRAME_CLOSE, FRAME_VOLUME, FRAME_NBASE };

struct frame {
	size_t n;			/* number of bars, > 0 */
	enum frame_index_kind index_kind;
	int64_t *index;			/* n values */
	size_t ncols;			/* >= FRAME_NBASE */
	char **names;			/* ncols column names, owned */
	double **cols;			/* ncols arrays of n values, owned */
	char *source;			/* file path or "demo", owned */
	size_t cap;			/* room for bars in every array; 0 = n */
};

/* Allocates an empty frame with the five base columns for n bars. */
struct frame *frame_new(size_t n, enum frame_index_kind kind, const char *source);
/* Appends an extra column of n values (taken over, must come from xmalloc). */
void frame_add_column(struct frame *f, const char *name, double *values);
/* Returns the column index for name, or -1. */
int frame_find_column(const struct frame *f, const char *name);
/* A copy of bars [from, to) with every column; NULL for an empty range. */
struct frame *frame_slice(const struct frame *f, size_t from, size_t to);
void frame_free(struct frame *f);
/* Appends one bar (live data): time t and the base columns; extra columns
 * get NaN.  The arrays may move, so callers keep the frame, not them. */
void frame_append(struct frame *f, int64_t t, double open, double high,
    double low, double close, double volume);

#endif
