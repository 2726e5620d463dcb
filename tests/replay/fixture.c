/* Fixture loading: JSON Lines streams for the WebSocket providers and bar
 * CSVs for the HTTP ones.  Errors name the file and line. */
#include "replayd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Reads the JSON Lines file PATH into srv.lines (blank lines skipped);
 * returns -1 with *CAUSE set on an unreadable file or invalid JSON. */
int
fixture_load_lines(const char *path, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	json_error_t err;
	json_t *j;
	int rc = -1;

	if (f == NULL) {
		*cause = xasprintf("%s: cannot open", path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if ((j = json_loads(line, 0, &err)) == NULL) {
			*cause = xasprintf("%s:%zu: %s", path, lineno, err.text);
			goto out;
		}
		srv.lines = xreallocarray(srv.lines, srv.nlines + 1,
		    sizeof *srv.lines);
		memset(&srv.lines[srv.nlines], 0, sizeof *srv.lines);
		srv.lines[srv.nlines].raw = xstrndup(line, (size_t)n);
		srv.lines[srv.nlines].len = (size_t)n;
		srv.lines[srv.nlines++].json = j;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

/* Parses one numeric CSV cell; an empty cell is NaN. */
static int
cell_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0') {
		*out = NAN;
		return 0;
	}
	*out = strtod(s, &end);
	return *end == '\0' ? 0 : -1;
}

static int
parse_bar_line(char *line, struct bar *b)
{
	char *cell[6], *p = line;
	double v;
	int i;

	for (i = 0; i < 6; i++) {
		cell[i] = p;
		p = strchr(p, ',');
		if (p == NULL && i < 5)
			return -1;
		if (p != NULL)
			*p++ = '\0';
	}
	if (p != NULL || parse_rfc3339(cell[0], &b->t) != 0)
		return -1;
	if (cell_double(cell[1], &b->o) || cell_double(cell[2], &b->h) ||
	    cell_double(cell[3], &b->l) || cell_double(cell[4], &b->c) ||
	    cell_double(cell[5], &v))
		return -1;
	b->v = isnan(v) ? -1 : (long long)v;
	return 0;
}

/* Reads the bar CSV PATH (header "time,Open,High,Low,Close,Volume", time
 * RFC-3339, empty cells null) for SYMBOL; returns -1 with *CAUSE set. */
int
fixture_load_bars(const char *symbol, const char *path, char **cause)
{
	FILE *f = fopen(path, "r");
	struct barset *s = &srv.sets[srv.nsets];
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = -1;

	if (f == NULL) {
		*cause = xasprintf("%s: cannot open", path);
		return -1;
	}
	memset(s, 0, sizeof *s);
	while ((n = getline(&line, &cap, f)) != -1) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (lineno++ == 0 || n == 0)
			continue;
		s->bars = xreallocarray(s->bars, s->n + 1, sizeof *s->bars);
		if (parse_bar_line(line, &s->bars[s->n]) != 0 ||
		    (s->n > 0 && s->bars[s->n].t <= s->bars[s->n - 1].t)) {
			*cause = xasprintf("%s:%zu: bad bar line", path, lineno);
			free(s->bars);
			goto out;
		}
		s->n++;
	}
	s->symbol = xstrdup(symbol);
	srv.nsets++;
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

struct barset *
fixture_bars(const char *symbol)
{
	int i;

	for (i = 0; i < srv.nsets; i++)
		if (strcmp(srv.sets[i].symbol, symbol) == 0)
			return &srv.sets[i];
	return NULL;
}

void
fixture_free(void)
{
	size_t i;
	int k;

	for (i = 0; i < srv.nlines; i++) {
		free(srv.lines[i].raw);
		free(srv.lines[i].stream);
		json_decref(srv.lines[i].json);
	}
	free(srv.lines);
	for (k = 0; k < srv.nsets; k++) {
		free(srv.sets[k].symbol);
		free(srv.sets[k].bars);
	}
}

/* How many of SET's bars the current request sees under --reveal N
 * --reveal-step K: N + K * (requests the provider answered before this
 * one), capped at the fixture's length; all bars without --reveal. */
size_t
fixture_visible(const struct barset *set)
{
	long served = srv.http_served - 1;
	long n;

	if (srv.opt.reveal < 0)
		return set->n;
	n = srv.opt.reveal + srv.opt.reveal_step * (served > 0 ? served : 0);
	return n < (long)set->n ? (size_t)n : set->n;
}
