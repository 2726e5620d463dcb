/* The hot-reload test strategy, built several times with RELOAD_GEN:
 *
 *   1  reload_v1.so: SMA crossover, long only (buys a golden cross,
 *      closes on a death cross); state version 1.
 *   2  reload_v2.so: the same state layout and version, reversed logic:
 *      short only (sells a death cross, closes on a golden cross).
 *   3  reload_v3.so: v2's logic with a new state layout (version 2).
 *   4  reload_bad_init.so: same name, but init() fails.
 *
 * Every build keeps the per-bar record in its state block: the number of
 * bars next() saw and the last one, logged at debug level each bar
 * ("bar N") and at fini ("fini after N bars"), and refuses a bar it has
 * seen already.  So a test can check that every bar ran exactly once and
 * whether the state was carried over.
 *
 * It also plays the operator, from the environment (not parameters: a
 * reload must not need other parameters):
 *   RELOAD_DEPLOY="BAR:SRC:DST[;BAR:SRC:DST...]"  at the end of bar BAR,
 *       installs SRC as DST (a copy then rename(2), never an overwrite);
 *       SRC "-" removes DST.
 *   RELOAD_HUP="BAR[,BAR...]" or "all"  raises SIGHUP at those bars.
 *   RELOAD_KILL=BAR  raises SIGKILL there (the restart test). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost.h>

#ifndef RELOAD_GEN
#define RELOAD_GEN 1
#endif

struct reload_state {
	int64_t last_bar;	/* the last bar next() saw */
	int64_t bars;		/* bars next() saw */
#if RELOAD_GEN == 3
	int64_t extra;		/* the new layout */
#endif
};

static const struct th_param_def params[] = {
	{ "fast", TH_PARAM_INT, 10, 1, 1000, NULL },
	{ "slow", TH_PARAM_INT, 30, 1, 1000, NULL },
};

static enum th_status
reload_init(th_ctx *ctx, void *state)
{
	struct reload_state *s = state;

	s->last_bar = -1;
	if (RELOAD_GEN == 4) {
		ctx->api->log(ctx, TH_LOG_ERROR, "this build refuses to start");
		return TH_ERR_INVALID;
	}
	return th_sma(ctx, NULL, (uint32_t)th_param(ctx, "fast")) == 0 &&
	    th_sma(ctx, NULL, (uint32_t)th_param(ctx, "slow")) == 1 ? TH_OK :
	    TH_ERR_INVALID;
}

/* Does the comma list name bar (or say "all")? */
static int
listed(const char *list, int64_t bar)
{
	char *end;

	if (list == NULL)
		return 0;
	if (strcmp(list, "all") == 0)
		return 1;
	while (*list != '\0') {
		if (strtoll(list, &end, 10) == bar)
			return 1;
		if (end == list)
			return 0;
		list = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static void
install(const char *src, const char *dst)
{
	char tmp[4096], buf[8192];
	FILE *in, *out;
	size_t n;

	if (strcmp(src, "-") == 0) {
		remove(dst);
		return;
	}
	snprintf(tmp, sizeof tmp, "%s.deploy", dst);
	if ((in = fopen(src, "rb")) == NULL)
		return;
	if ((out = fopen(tmp, "wb")) == NULL) {
		fclose(in);
		return;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) == 0)
		rename(tmp, dst);
}

/* RELOAD_DEPLOY entries for this bar. */
static void
deploy(int64_t bar)
{
	const char *env = getenv("RELOAD_DEPLOY");
	char spec[8192], *entry, *save = NULL, *src, *dst;

	if (env == NULL || strlen(env) >= sizeof spec)
		return;
	strcpy(spec, env);
	for (entry = strtok_r(spec, ";", &save); entry != NULL;
	    entry = strtok_r(NULL, ";", &save)) {
		if (strtoll(entry, &src, 10) != bar || *src != ':')
			continue;
		src++;
		if ((dst = strchr(src, ':')) == NULL)
			continue;
		*dst++ = '\0';
		install(src, dst);
	}
}

/* Generation 1 goes long on a golden cross, 2 and 3 short on a death
 * cross; each first closes what the other left open, and exits on the
 * opposite cross. */
static enum th_status
trade(th_ctx *ctx, struct th_series fast, struct th_series slow)
{
	int up = th_crossover(fast, slow), down = th_crossover(slow, fast);
	double size = th_position(ctx).size;
	enum th_status st = TH_OK;

	if (RELOAD_GEN == 1 ? up : down) {
		if (size != 0)
			(void)th_position_close(ctx, 1.0);
		st = RELOAD_GEN == 1 ? th_buy(ctx) : th_sell(ctx);
	} else if (RELOAD_GEN == 1 ? down && size > 0 : up && size < 0) {
		st = th_position_close(ctx, 1.0);
	}
	return st == TH_ERR_REFUSED ? TH_OK : st;
}

static enum th_status
reload_next(th_ctx *ctx, void *state)
{
	struct reload_state *s = state;
	int64_t bar = ctx->api->bar(ctx);
	enum th_status st;

	if (bar <= s->last_bar) {
		ctx->api->log(ctx, TH_LOG_ERROR, "bar %lld after bar %lld",
		    (long long)bar, (long long)s->last_bar);
		return TH_ERR_STATE;
	}
	s->last_bar = bar;
	s->bars++;
	ctx->api->log(ctx, TH_LOG_DEBUG, "bar %lld gen %d", (long long)bar,
	    RELOAD_GEN);
	st = trade(ctx, th_values(ctx, 0), th_values(ctx, 1));
	deploy(bar);
	if (listed(getenv("RELOAD_HUP"), bar))
		raise(SIGHUP);
	if (getenv("RELOAD_KILL") != NULL &&
	    bar == atoll(getenv("RELOAD_KILL")))
		raise(SIGKILL);
	return st;
}

static void
reload_fini(th_ctx *ctx, void *state)
{
	struct reload_state *s = state;

	ctx->api->log(ctx, TH_LOG_INFO, "gen %d fini after %lld bars (last "
	    "bar %lld)", RELOAD_GEN, (long long)s->bars,
	    (long long)s->last_bar);
}

TH_PLUGIN_ENTRY = {
	.abi_major = TH_ABI_MAJOR,
	.abi_minor = TH_ABI_MINOR,
	.struct_size = sizeof(struct th_plugin),
	.kind = TH_PLUGIN_STRATEGY,
	.name = "Reload",
	.version = RELOAD_GEN == 1 ? "1" : RELOAD_GEN == 2 ? "2" :
	    RELOAD_GEN == 3 ? "3" : "bad-init",
	.params = params,
	.nparams = sizeof params / sizeof params[0],
	.param_def_size = sizeof(struct th_param_def),
	.state_size = sizeof(struct reload_state),
	.state_version = RELOAD_GEN == 3 ? 2 : 1,
	.init = reload_init,
	.next = reload_next,
	.fini = reload_fini,
};
