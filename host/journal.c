#include "journal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "timefmt.h"
#include "xmalloc.h"

#define JOURNAL_MAGIC "# tradehost journal 1"
#define JOURNAL_MAX_LINE 4096

static int
make_dir(const char *path, char **cause)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	*cause = xasprintf("%s: cannot create the journal directory: %s",
	    path, strerror(errno));
	return -1;
}

static FILE *
create(const char *dir, const char *name, char **cause)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wx");

	if (fp == NULL)
		*cause = xasprintf("%s: %s", path, errno == EEXIST ?
		    "a journal is already there; pick another --journal" :
		    strerror(errno));
	free(path);
	return fp;
}

int
journal_open(struct journal *j, const char *dir, const char *const *symbols,
    size_t n, char **cause)
{
	char *sub = xasprintf("%s/bars", dir), *name;
	size_t k;

	memset(j, 0, sizeof *j);
	j->dir = xstrdup(dir);
	j->bars = xcalloc(n, sizeof *j->bars);
	j->n = n;
	if (make_dir(dir, cause) < 0 || make_dir(sub, cause) < 0 ||
	    (j->orders = create(dir, "orders.csv", cause)) == NULL) {
		free(sub);
		goto fail;
	}
	free(sub);
	fputs("time,kind,symbol,side,size,price,order_id,reason\n", j->orders);
	if ((j->stale = create(dir, "stale.csv", cause)) == NULL)
		goto fail;
	fputs("time,symbol,seconds\n", j->stale);
	fflush(j->stale);
	for (k = 0; k < n; k++) {
		name = xasprintf("bars/%s.csv", symbols[k]);
		j->bars[k] = create(dir, name, cause);
		free(name);
		if (j->bars[k] == NULL)
			goto fail;
		fputs(",Open,High,Low,Close,Volume\n", j->bars[k]);
		fflush(j->bars[k]);
	}
	fflush(j->orders);
	return 0;
fail:
	journal_close(j);
	return -1;
}

int
journal_meta(struct journal *j, const char *const *symbols, size_t n,
    const size_t *history, const char *plugin, char *const *params,
    size_t nparams, const char *granularity, char **cause)
{
	FILE *fp = create(j->dir, "journal.meta", cause);
	size_t k;

	if (fp == NULL)
		return -1;
	fprintf(fp, "%s\nplugin %s\ngranularity %s\n", JOURNAL_MAGIC, plugin,
	    granularity);
	for (k = 0; k < nparams; k++)
		fprintf(fp, "param %s\n", params[k]);
	for (k = 0; k < n; k++)
		fprintf(fp, "symbol %s %zu\n", symbols[k], history[k]);
	if (fclose(fp) != 0) {
		*cause = xasprintf("%s/journal.meta: %s", j->dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
journal_bar(struct journal *j, size_t k, const struct agg_bar *b)
{
	char when[40];

	timefmt_timestamp(b->time, when, sizeof when);
	fprintf(j->bars[k], "%s,%.17g,%.17g,%.17g,%.17g,%.17g\n", when,
	    b->open, b->high, b->low, b->close, b->volume);
	fflush(j->bars[k]);
}

static const char *
number(double v, char *buf, size_t size)
{
	if (isnan(v))
		return "";
	snprintf(buf, size, "%.17g", v);
	return buf;
}

char *
journal_format_row(const struct audit_row *r)
{
	static const char *const kept[] = { "order", "fill", "cancel",
	    "refused" };
	char when[40], size[32], price[32];
	size_t k;

	for (k = 0; k < sizeof kept / sizeof kept[0]; k++)
		if (strcmp(r->kind, kept[k]) == 0)
			break;
	if (k == sizeof kept / sizeof kept[0])
		return NULL;
	timefmt_timestamp(r->time, when, sizeof when);
	return xasprintf("%s,%s,%s,%s,%s,%s,%llu,%s", when, r->kind,
	    r->symbol ? r->symbol : "", r->side > 0 ? "buy" : r->side < 0 ?
	    "sell" : "", number(r->size, size, sizeof size),
	    number(r->price, price, sizeof price),
	    (unsigned long long)r->order_id, r->reason ? r->reason : "");
}

void
journal_row(struct journal *j, const struct audit_row *r)
{
	char *line = journal_format_row(r);

	if (line == NULL)
		return;
	fprintf(j->orders, "%s\n", line);
	fflush(j->orders);
	free(line);
}

int
journal_keep_state(struct journal *j, const char *path, char **cause)
{
	FILE *in = fopen(path, "rb"), *out;
	char buf[8192];
	size_t n;
	int bad;

	if (in == NULL) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if ((out = create(j->dir, "state.resume", cause)) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0 &&
	    fwrite(buf, 1, n, out) == n)
		;
	bad = ferror(in) || ferror(out);
	if (fclose(out) != 0)
		bad = 1;
	fclose(in);
	if (bad)
		*cause = xasprintf("%s/state.resume: cannot copy %s: %s",
		    j->dir, path, strerror(errno));
	return bad ? -1 : 0;
}

void
journal_stale(struct journal *j, int64_t t, const char *symbol,
    int64_t seconds)
{
	char when[40];

	timefmt_timestamp(t, when, sizeof when);
	fprintf(j->stale, "%s,%s,%lld\n", when, symbol, (long long)seconds);
	fflush(j->stale);
}

void
journal_close(struct journal *j)
{
	size_t k;

	for (k = 0; k < j->n; k++)
		if (j->bars[k] != NULL)
			fclose(j->bars[k]);
	if (j->orders != NULL)
		fclose(j->orders);
	if (j->stale != NULL)
		fclose(j->stale);
	free(j->bars);
	free(j->dir);
	memset(j, 0, sizeof *j);
}

/*
 * Replay.
 */

static char *
chomp(char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static int
meta_line(struct journal_meta *m, char *line)
{
	char *arg = strchr(line, ' ');
	char *end;

	if (arg == NULL)
		return -1;
	*arg++ = '\0';
	if (strcmp(line, "plugin") == 0)
		replace(&m->plugin, arg);
	else if (strcmp(line, "granularity") == 0)
		replace(&m->granularity, arg);
	else if (strcmp(line, "param") == 0) {
		m->params = xreallocarray(m->params, m->nparams + 1,
		    sizeof *m->params);
		m->params[m->nparams++] = xstrdup(arg);
	} else if (strcmp(line, "symbol") == 0) {
		char *count = strrchr(arg, ' ');

		if (count == NULL)
			return -1;
		*count++ = '\0';
		m->symbols = xreallocarray(m->symbols, m->n + 1,
		    sizeof *m->symbols);
		m->history = xreallocarray(m->history, m->n + 1,
		    sizeof *m->history);
		m->symbols[m->n] = xstrdup(arg);
		m->history[m->n++] = strtoul(count, &end, 10);
		if (*end != '\0')
			return -1;
	} else
		return -1;
	return 0;
}

/* "TIME,SYMBOL,SECONDS" of stale.csv into m->stale. */
static int
stale_line(struct journal_meta *m, char *line)
{
	char *sym = strchr(line, ','), *secs, *end;
	struct risk_stale e;
	size_t k;

	if (sym == NULL || (secs = strchr(sym + 1, ',')) == NULL)
		return -1;
	*sym++ = '\0';
	*secs++ = '\0';
	if (timefmt_parse(line, strlen(line), &e.time) < 0)
		return -1;
	for (k = 0; k < m->n && strcmp(m->symbols[k], sym) != 0; k++)
		;
	e.leg = k;
	e.seconds = strtoll(secs, &end, 10);
	if (k == m->n || *end != '\0' || e.seconds <= 0 ||
	    (m->nstale > 0 && m->stale[m->nstale - 1].time > e.time))
		return -1;
	m->stale = xreallocarray(m->stale, m->nstale + 1, sizeof *m->stale);
	m->stale[m->nstale++] = e;
	return 0;
}

/* stale.csv, when the journal has one (older ones do not). */
static int
read_stale(const char *dir, struct journal_meta *m, char **cause)
{
	char *path = xasprintf("%s/stale.csv", dir);
	char line[JOURNAL_MAX_LINE];
	FILE *fp = fopen(path, "r");
	int lineno = 0, rc = 0;

	if (fp == NULL) {
		free(path);
		return 0;
	}
	while (rc == 0 && fgets(line, sizeof line, fp) != NULL)
		if (++lineno > 1 && stale_line(m, chomp(line)) < 0) {
			*cause = xasprintf("%s:%d: not a stale row (TIME,"
			    "SYMBOL,SECONDS in time order)", path, lineno);
			rc = -1;
		}
	fclose(fp);
	free(path);
	return rc;
}

int
journal_read_meta(const char *dir, struct journal_meta *m, char **cause)
{
	char *path = xasprintf("%s/journal.meta", dir);
	char line[JOURNAL_MAX_LINE];
	FILE *fp = fopen(path, "r");
	int lineno = 0, rc = -1;

	memset(m, 0, sizeof *m);
	if (fp == NULL) {
		*cause = xasprintf("%s: %s (not a journal directory?)", path,
		    strerror(errno));
		goto out;
	}
	while (fgets(line, sizeof line, fp) != NULL) {
		chomp(line);
		if (++lineno == 1 ? strcmp(line, JOURNAL_MAGIC) != 0 :
		    meta_line(m, line) < 0) {
			*cause = xasprintf("%s:%d: not a tradehost journal "
			    "line", path, lineno);
			goto out;
		}
	}
	if (m->n == 0 || m->plugin == NULL) {
		*cause = xasprintf("%s: no symbol or plugin line", path);
		goto out;
	}
	if (read_stale(dir, m, cause) < 0)
		goto out;
	free(path);
	path = xasprintf("%s/state.resume", dir);
	if (access(path, F_OK) == 0) {
		m->resume = path;
		path = NULL;
	}
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	free(path);
	return rc;
}

void
journal_meta_free(struct journal_meta *m)
{
	size_t k;

	for (k = 0; k < m->n; k++)
		free(m->symbols[k]);
	for (k = 0; k < m->nparams; k++)
		free(m->params[k]);
	free(m->symbols);
	free(m->history);
	free(m->stale);
	free(m->resume);
	free(m->params);
	free(m->plugin);
	free(m->granularity);
	memset(m, 0, sizeof *m);
}

int
journal_check_open(struct journal_check *c, const char *dir, char **cause)
{
	char *path = xasprintf("%s/orders.csv", dir);
	char line[JOURNAL_MAX_LINE];
	FILE *fp = fopen(path, "r");
	int header = 1;

	memset(c, 0, sizeof *c);
	if (fp == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (header-- > 0)
			continue;
		c->want = xreallocarray(c->want, c->nwant + 1,
		    sizeof *c->want);
		c->want[c->nwant++] = xstrdup(chomp(line));
	}
	fclose(fp);
	return 0;
}

void
journal_check_row(struct journal_check *c, const struct audit_row *r)
{
	char *line = journal_format_row(r);

	if (line == NULL)
		return;
	if (c->first_diff == NULL && (c->seen >= c->nwant ||
	    strcmp(c->want[c->seen], line) != 0))
		c->first_diff = xasprintf("row %zu: the live session had "
		    "\"%s\", the replay \"%s\"", c->seen + 1,
		    c->seen < c->nwant ? c->want[c->seen] : "(nothing)", line);
	c->seen++;
	free(line);
}

int
journal_check_finish(struct journal_check *c, char **cause)
{
	if (c->first_diff == NULL && c->seen < c->nwant)
		c->first_diff = xasprintf("row %zu: the live session had "
		    "\"%s\", the replay nothing more", c->seen + 1,
		    c->want[c->seen]);
	if (c->first_diff == NULL)
		return 0;
	*cause = xasprintf("replay differs from the live session: %s",
	    c->first_diff);
	return -1;
}

void
journal_check_free(struct journal_check *c)
{
	size_t k;

	for (k = 0; k < c->nwant; k++)
		free(c->want[k]);
	free(c->want);
	free(c->first_diff);
	memset(c, 0, sizeof *c);
}
