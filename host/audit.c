#include "audit.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "pyfloat.h"
#include "timefmt.h"
#include "xmalloc.h"

/* How far back from the end audit_open() looks for the last numbered row. */
#define TAIL_BYTES 65536

/* Cuts a torn last line (a kill in the middle of a row) off the file. */
static int
drop_torn_tail(FILE *f, const char *path, char **cause)
{
	char buf[4096];
	long size, pos, keep = 0;
	size_t got, k;

	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0)
		goto fail;
	for (pos = size; pos > 0 && keep == 0; pos -= (long)got) {
		got = (size_t)(pos < (long)sizeof buf ? pos : (long)sizeof buf);
		if (fseek(f, pos - (long)got, SEEK_SET) != 0 ||
		    fread(buf, 1, got, f) != got)
			goto fail;
		for (k = got; k > 0; k--)
			if (buf[k - 1] == '\n') {
				keep = pos - (long)got + (long)k;
				break;
			}
	}
	if (keep == size)
		return 0;
	if (ftruncate(fileno(f), keep) != 0)
		goto fail;
	log_warn("%s: dropped a torn last line (%ld bytes)", path, size - keep);
	return 0;
fail:
	*cause = xasprintf("%s: %s", path, strerror(errno));
	return -1;
}

/* The seq of the last numbered row within the file's tail, 0 if none. */
static uint64_t
last_seq(FILE *f)
{
	char *buf = xmalloc(TAIL_BYTES + 1), *line, *end;
	long size, from;
	size_t got;
	uint64_t seq = 0;

	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0)
		goto out;
	from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
	if (fseek(f, from, SEEK_SET) != 0)
		goto out;
	got = fread(buf, 1, TAIL_BYTES, f);
	buf[got] = '\0';
	for (line = buf; line != NULL && *line != '\0';) {
		if (*line >= '0' && *line <= '9')
			seq = strtoull(line, &end, 10);
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
out:
	free(buf);
	return seq;
}

int
audit_open(struct audit *a, const char *path, int datetime, char **cause)
{
	memset(a, 0, sizeof *a);
	a->f = fopen(path, "a+");
	if (a->f == NULL) {
		*cause = xasprintf("audit: %s: %s", path, strerror(errno));
		return -1;
	}
	if (drop_torn_tail(a->f, path, cause) < 0) {
		fclose(a->f);
		a->f = NULL;
		return -1;
	}
	a->path = xstrdup(path);
	a->datetime = datetime;
	a->file_seq = last_seq(a->f);
	a->next_seq = a->file_seq + 1;	/* a new run continues the count */
	fseek(a->f, 0, SEEK_END);
	if (ftell(a->f) == 0)
		fputs(AUDIT_HEADER "\n", a->f);
	fflush(a->f);
	return 0;
}

void
audit_close(struct audit *a)
{
	if (a->f != NULL && fclose(a->f) != 0)
		log_error("audit: %s: %s", a->path, strerror(errno));
	free(a->path);
	memset(a, 0, sizeof *a);
}

/* Appends text to buf at *len, quoted as CSV needs. */
static void
put_text(char *buf, size_t size, size_t *len, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote && *len < size)
		buf[(*len)++] = '"';
	for (; *s != '\0' && *len + 2 < size; s++) {
		if (*s == '"' && quote)
			buf[(*len)++] = '"';
		buf[(*len)++] = *s;
	}
	if (quote && *len < size)
		buf[(*len)++] = '"';
}

static void
put(char *buf, size_t size, size_t *len, const char *fmt, const char *s)
{
	int n = snprintf(buf + *len, size - *len, fmt, s);

	if (n > 0)
		*len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

static void
put_number(char *buf, size_t size, size_t *len, double v)
{
	char num[40];

	put(buf, size, len, ",%s", isnan(v) ? "" : py_repr(v, num, sizeof num));
}

static void
write_row(struct audit *a, uint64_t seq, const struct audit_row *r)
{
	char buf[4096], t[64], id[24];
	size_t len = 0;

	if (seq != 0)
		len = (size_t)snprintf(buf, sizeof buf, "%llu",
		    (unsigned long long)seq);
	if (a->datetime)
		timefmt_iso(r->time, t, sizeof t);
	else
		snprintf(t, sizeof t, "%lld", (long long)r->time);
	put(buf, sizeof buf, &len, ",%s", t);
	put(buf, sizeof buf, &len, ",%s", r->kind);
	put(buf, sizeof buf, &len, ",", NULL);
	if (r->symbol != NULL)
		put_text(buf, sizeof buf, &len, r->symbol);
	put(buf, sizeof buf, &len, ",%s", r->side > 0 ? "buy" :
	    r->side < 0 ? "sell" : "");
	put_number(buf, sizeof buf, &len, r->size);
	put_number(buf, sizeof buf, &len, r->price);
	snprintf(id, sizeof id, "%llu", (unsigned long long)r->order_id);
	put(buf, sizeof buf, &len, ",%s", r->order_id != 0 ? id : "");
	put(buf, sizeof buf, &len, ",", NULL);
	if (r->reason != NULL)
		put_text(buf, sizeof buf, &len, r->reason);
	put_number(buf, sizeof buf, &len, r->equity);
	buf[len++] = '\n';
	/* One write per row, flushed now: a kill loses at most this row. */
	if (fwrite(buf, 1, len, a->f) != len || fflush(a->f) != 0)
		log_error("audit: %s: %s", a->path, strerror(errno));
}

void
audit_event(struct audit *a, const struct audit_row *row)
{
	uint64_t seq = a->next_seq++;

	if (a->f == NULL || seq <= a->file_seq)
		return;
	write_row(a, seq, row);
}

void
audit_resume(struct audit *a, uint64_t next_seq)
{
	a->next_seq = next_seq;
}

void
audit_note(struct audit *a, const struct audit_row *row)
{
	if (a->f != NULL)
		write_row(a, 0, row);
}
