/* Diagnostics on stderr and/or a daily log file.  Library code reports errors through return values
 * and a cause string; it logs only warnings the run continues past (the
 * ones backtesting.py issues as warnings) and debug traces. */
#ifndef TH_LOG_H
#define TH_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
/* Sends every message to fn instead of stderr (NULL restores stderr); used
 * by tests to assert on warnings. */
void log_set_sink(void (*fn)(enum log_level, const char *msg, void *arg), void *arg);
/* Also (or only, with log_set_stderr(0)) appends to a file named by a
 * strftime pattern ("logs/tradehost-%Y-%m-%d.log"): a new file each day.
 * Returns 0, or -1 with *cause when the first file cannot be opened. */
int log_open_file(const char *pattern, char **cause)
	__attribute__((warn_unused_result));
void log_close_file(void);
void log_set_stderr(int on);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
