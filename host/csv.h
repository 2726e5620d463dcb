/* The CSV reader: market data in the shape backtesting.py users load with
 * pd.read_csv(path, index_col=0, parse_dates=True).
 *
 * Line 1 is the header.  The first column is the index (its name may be
 * empty); Open, High, Low and Close are required, Volume is optional (all
 * NaN when absent) and any other column is an extra numeric column kept in
 * source order.  The index is a datetime when every value parses with
 * timefmt_parse, else an integer; an integer index of which more than 80%
 * exceeds 157766400 is taken as nanoseconds since the epoch, as
 * backtesting.py does through pd.to_datetime, with a warning.  Rows whose
 * index decreases are stably sorted by index, with a warning.  Numbers are
 * the doubles strtod returns; an empty cell and pandas' NA spellings ("nan",
 * "NaN", "NA", "NULL", ...) are NaN, which Open/High/Low/Close refuse. */
#ifndef TH_CSV_H
#define TH_CSV_H

#include <stddef.h>

struct frame;

/* Hard caps: data rows, bytes of input, bytes of one quoted field. */
#define CSV_MAX_ROWS ((size_t)1000000000)
#define CSV_MAX_BYTES ((unsigned long long)1 << 36)
#define CSV_MAX_FIELD ((size_t)65536)

/* Reads the file at path.  Returns 0 and a new frame in *out (free it with
 * frame_free; its source is path), or -1 and a message in *cause that the
 * caller frees, naming file:line and the column or field, for example
 * "GOOG.csv:17: column Close: not a number: 'abc'". */
int csv_read(const char *path, struct frame **out, char **cause)
	__attribute__((warn_unused_result));

/* The same over buf[0..len), which need not be NUL-terminated and is only
 * read; name stands for the file in messages and becomes the source. */
int csv_parse(const char *buf, size_t len, const char *name,
    struct frame **out, char **cause)
	__attribute__((warn_unused_result));

#endif
