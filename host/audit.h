/* The audit trail: an append-only CSV with one row per event (orders,
 * fills, cancellations, risk refusals, halts, flattens, reloads, session
 * start/stop/resume), written and flushed as it happens.
 *
 * Trading events carry a sequence number.  A run resumed from a state file
 * replays the bars after the snapshot and so regenerates events the file
 * may already hold: those (seq <= the file's last) are not written twice. */
#ifndef TH_AUDIT_H
#define TH_AUDIT_H

#include <stdint.h>
#include <stdio.h>

struct audit {
	FILE *f;
	char *path;
	uint64_t next_seq;	/* of the next trading event */
	uint64_t file_seq;	/* the last seq already in the file */
	int datetime;		/* times are ns (else integer index) */
};

struct audit_row {
	int64_t time;
	const char *kind;	/* order, fill, cancel, refused, halt, resume,
				 * flatten, reload, start, stop */
	const char *symbol;	/* NULL = account-wide */
	int side;		/* +1 buy, -1 sell, 0 none */
	double size;		/* units (or a fraction for an order); NaN =
				 * empty */
	double price;		/* NaN = empty */
	uint64_t order_id;	/* 0 = empty */
	const char *reason;	/* NULL = empty */
	double equity;
};

#define AUDIT_HEADER \
	"seq,time,kind,symbol,side,size,price,order_id,reason,equity"

/* Opens (creating) path for appending, writing the header into an empty
 * file and dropping a torn last line a kill left behind.  Returns 0, or
 * -1 with *cause. */
int audit_open(struct audit *a, const char *path, int datetime, char **cause)
	__attribute__((warn_unused_result));
void audit_close(struct audit *a);

/* A trading event: numbered, skipped when the file has it already. */
void audit_event(struct audit *a, const struct audit_row *row);
/* A run resumed from a snapshot taken when next_seq was the next number:
 * the events it regenerates up to the file's last are not written again. */
void audit_resume(struct audit *a, uint64_t next_seq);
/* A lifecycle row (start, resume, stop, reload): never numbered, always
 * written. */
void audit_note(struct audit *a, const struct audit_row *row);

#endif
