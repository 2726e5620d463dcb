/* Built-in demo market data: deterministic synthetic daily bars, so that
 * tradehost runs without a CSV file.  The values depend only on nbars and
 * seed, the same bytes on every run and every IEEE-754 machine: an
 * integer-seeded splitmix64 stream feeds +, *, / and round() only. */
#ifndef TH_DEMO_H
#define TH_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct frame;

#define DEMO_BARS 2000
#define DEMO_SEED UINT64_C(20040819)
/* The business days from 2010-01-04 that pandas' Timestamp range holds
 * (the last is 2262-04-11). */
#define DEMO_MAX_BARS 65815

/* Returns a new frame (source "demo", free it with frame_free) of nbars
 * business days (Monday to Friday) from 2010-01-04 on, with a datetime
 * index and Open/High/Low/Close rounded to cents, Low <= min(Open, Close),
 * High >= max(Open, Close), Volume a positive whole number and no extra
 * columns.  Prices follow trending regimes of 15 to 90 bars, so a 10/30
 * SMA crossover trades a few dozen times over DEMO_BARS.  Returns NULL when
 * nbars is 0 or more than DEMO_MAX_BARS. */
struct frame *demo_generate(size_t nbars, uint64_t seed);
/* The next value of the splitmix64 stream in *state (the generator behind
 * the demo data, shared with bench/gen_bars). */
uint64_t demo_splitmix(uint64_t *state);

#endif
