/* The outputs of a run: backtesting.py's printed statistics, a JSON
 * document, and the trades and equity curve as CSV files. */
#ifndef TH_REPORT_H
#define TH_REPORT_H

#include <stdio.h>

#include "result.h"
#include "stats.h"

/* Writes s as print(stats) shows it in backtesting.py: the _Stats Series
 * printed by pandas 1.5 with display.precision 5, display.max_colwidth 20
 * and every row shown, including the _strategy, _equity_curve and _trades
 * rows (the two DataFrames cut to their first characters, as pandas does)
 * and the closing "dtype: object".  Returns 0, or -1 when writing to out
 * failed. */
int report_table(FILE *out, const struct run_result *r,
    const struct stats *s);

/* Writes one JSON object: the statistics under backtesting.py's keys in
 * order (timestamps in ISO 8601, durations as pandas prints them for a
 * datetime index and as numbers otherwise, NaN and infinities as null),
 * then "_strategy" and "_trades", an array of one object per closed trade
 * with the columns of spec 5.3.  Returns 0, or -1 when writing failed. */
int report_json(FILE *out, const struct run_result *r,
    const struct stats *s);

/* Writes the _trades table as CSV to path (created or truncated): columns
 * Size, EntryBar, ExitBar, EntryPrice, ExitPrice, SL, TP, PnL, Commission,
 * ReturnPct, EntryTime, ExitTime, Duration, Tag, then Entry_<name> and
 * Exit_<name> per indicator; floats as Python's repr, NaN as an empty
 * cell.  Returns 0, or -1 with a message naming path in *cause (caller
 * frees). */
int report_trades_csv(const char *path, const struct run_result *r,
    char **cause) __attribute__((warn_unused_result));

/* Writes the _equity_curve table as CSV to path: the index, then Equity,
 * DrawdownPct and DrawdownDuration (empty where backtesting.py has NaN or
 * NaT).  Errors as report_trades_csv. */
int report_equity_csv(const char *path, const struct run_result *r,
    char **cause) __attribute__((warn_unused_result));

#endif
