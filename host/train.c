#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "stats.h"
#include "xmalloc.h"

/* Everything one training keeps across its episodes. */
struct trainer {
	const struct plugin *pl;
	const struct params *params;
	const char *symbol;
	const struct engine_options *engine;
	const struct train_options *to;
	struct frame *train, *valid;
	void *state;			/* the plugin's, through every episode */
	double best;
	unsigned best_episode;
};

static int
check_plugin(const struct plugin *pl, char **cause)
{
	const struct th_plugin *d = pl->desc;

	if (!TH_PLUGIN_HAS(d, save_model) || d->save_model == NULL) {
		*cause = xasprintf("%s: strategy %s cannot learn (it has no "
		    "save_model callback); --episodes is for learning "
		    "strategies such as dqn.so", pl->path, d->name);
		return -1;
	}
	return 0;
}

static int
split(struct trainer *t, const struct frame *data, char **cause)
{
	size_t nvalid = (size_t)floor((double)data->n * t->to->validation);
	size_t ntrain = data->n - nvalid;

	if (ntrain < 2 || nvalid < 2) {
		*cause = xasprintf("%zu bars cannot be split into training and "
		    "validation (--validation %g)", data->n, t->to->validation);
		return -1;
	}
	t->train = frame_slice(data, 0, ntrain);
	t->valid = frame_slice(data, ntrain, data->n);
	return 0;
}

/* The selected statistic of a result; NaN counts as the worst. */
static int
statistic(const struct trainer *t, const struct run_result *r, double *v,
    char **cause)
{
	struct stats st;
	const struct stat *s;

	stats_compute(r, &st);
	s = stats_find(&st, t->to->select);
	if (s == NULL || s->kind != STAT_FLOAT) {
		*cause = xasprintf("--select: '%s' is not a numeric statistic "
		    "(e.g. \"Sharpe Ratio\", \"Return [%%]\")", t->to->select);
		return -1;
	}
	*v = isnan(s->f) ? -INFINITY : s->f;
	return 0;
}

/* One run over data in a mode: *value gets the selected statistic, *ret
 * the return in percent, and status (when not NULL) the plugin's line. */
static int
episode(struct trainer *t, const struct frame *data, enum th_run_mode mode,
    unsigned ep, double *value, double *ret, char *status, size_t size,
    char **cause)
{
	struct session s;
	struct session_options so;
	struct run_result r;
	const char *sym = t->symbol;
	const struct th_plugin *d = t->pl->desc;
	int rc;

	memset(&so, 0, sizeof so);
	so.engine = *t->engine;
	/* Every episode is judged on all its trades, the open ones too. */
	so.engine.finalize_trades = 1;
	so.run.mode = mode;
	so.run.episode = ep;
	so.run.episodes = t->to->episodes;
	so.run.model_path = t->to->model_path;
	so.shared_state = t->state;
	if (session_init(&s, t->pl, t->params, &sym, &data, 1, &so, cause) < 0)
		return -1;
	rc = session_run(&s, cause);
	if (rc == 0) {
		session_leg_result(&s, 0, &r);
		rc = statistic(t, &r, value, cause);
		*ret = r.equity[data->n - 1] / t->engine->broker.cash * 100 -
		    100;
		result_free(&r);
	}
	if (status != NULL)
		status[0] = '\0';
	if (rc == 0 && status != NULL && TH_PLUGIN_HAS(d, train_status) &&
	    d->train_status != NULL)
		d->train_status(&s.legs[0].in.pub, t->state, status, size);
	if (rc == 0 && mode == TH_RUN_VALIDATE && *value > t->best) {
		if (d->save_model(&s.legs[0].in.pub, t->state,
		    t->to->model_path) != TH_OK) {
			*cause = xasprintf("%s: save_model(%s) failed",
			    d->name, t->to->model_path);
			rc = -1;
		} else {
			t->best = *value;
			t->best_episode = ep;
		}
	}
	session_free(&s);
	return rc;
}

static void
progress(const struct trainer *t, unsigned ep, double train_ret,
    const char *status, double value)
{
	char bar[21];
	unsigned k, done = ep * 20 / t->to->episodes;

	if (t->to->progress == NULL)
		return;
	for (k = 0; k < 20; k++)
		bar[k] = k < done ? '#' : '.';
	bar[20] = '\0';
	fprintf(t->to->progress, "[%s] episode %u/%u  %s  return %.2f %%  "
	    "validation %s %.4g%s\n", bar, ep, t->to->episodes, status,
	    train_ret, t->to->select, value,
	    t->best_episode == ep ? "  (best, saved)" : "");
	fflush(t->to->progress);
}

/* fini() once, at the end, on a context of its own. */
static void
finish(struct trainer *t)
{
	struct session s;
	struct session_options so;
	char *cause = NULL;

	memset(&so, 0, sizeof so);
	so.engine = *t->engine;
	if (t->pl->desc->fini != NULL && session_init(&s, t->pl, t->params,
	    &t->symbol, (const struct frame *const *)&t->train, 1, &so,
	    &cause) == 0) {
		api_instance_borrow_state(&s.legs[0].in, t->state);
		t->pl->desc->fini(&s.legs[0].in.pub, t->state);
		session_free(&s);
	}
	free(t->state);
	free(cause);
	frame_free(t->train);
	frame_free(t->valid);
}

int
train_run(const struct plugin *pl, const struct params *params,
    const struct frame *data, const char *symbol,
    const struct engine_options *engine, const struct train_options *to,
    char **cause)
{
	struct trainer t = { .pl = pl, .params = params, .symbol = symbol,
	    .engine = engine, .to = to, .best = -INFINITY };
	char status[128];
	double value, ret;
	unsigned ep;
	int rc = 0;

	if (check_plugin(pl, cause) < 0 || split(&t, data, cause) < 0)
		return -1;
	t.state = xcalloc(1, pl->desc->state_size ? pl->desc->state_size : 1);
	for (ep = 1; ep <= to->episodes && rc == 0; ep++) {
		double train_ret;

		rc = episode(&t, t.train, TH_RUN_TRAIN, ep, &value, &train_ret,
		    status, sizeof status, cause);
		if (rc == 0)
			rc = episode(&t, t.valid, TH_RUN_VALIDATE, ep, &value,
			    &ret, NULL, 0, cause);
		if (rc == 0)
			progress(&t, ep, train_ret, status, value);
	}
	finish(&t);
	if (rc == 0 && t.best_episode == 0) {
		*cause = xasprintf("no validation pass gave a finite '%s'; no "
		    "model was written", to->select);
		rc = -1;
	}
	return rc;
}
