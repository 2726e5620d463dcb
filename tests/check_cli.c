/* Command-line parsing: defaults, every option, and the usage errors. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "suites.h"

static int
parse(struct cli_options *o, char **cause, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0;

	argv[argc++] = "tradehost";
	va_start(ap, cause);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return cli_parse(argc, argv, o, cause);
}

START_TEST(defaults)
{
	struct cli_options o;
	char *cause = NULL;

	ck_assert_int_eq(parse(&o, &cause, "--plugin", "x.so", NULL), 0);
	ck_assert_str_eq(o.s.plugin, "x.so");
	ck_assert_ptr_null(o.s.data_path);
	ck_assert_double_eq(o.s.engine.broker.cash, 10000);
	ck_assert_double_eq(o.s.engine.broker.margin, 1);
	ck_assert_double_eq(o.s.engine.broker.commission_rate, 0);
	ck_assert_int_eq(o.s.engine.finalize_trades, 0);
	ck_assert_int_eq(o.s.json, 0);
	cli_free(&o);
}
END_TEST

START_TEST(every_option)
{
	struct cli_options o;
	char *cause = NULL;

	ck_assert_int_eq(parse(&o, &cause, "--plugin", "p.so", "--data",
	    "d.csv", "--param", "fast=5", "--param=slow=20", "--cash", "500",
	    "--commission", "2,0.001", "--spread", "0.0002", "--margin", "0.5",
	    "--trade-on-close", "--hedging", "--exclusive-orders",
	    "--finalize-trades", "--json", "--trades", "t.csv", "--equity",
	    "e.csv", "-v", NULL), 0);
	ck_assert_str_eq(o.s.data_path, "d.csv");
	ck_assert_uint_eq(o.s.nparams, 2);
	ck_assert_str_eq(o.s.params[1], "slow=20");
	ck_assert_double_eq(o.s.engine.broker.cash, 500);
	ck_assert_double_eq(o.s.engine.broker.commission_fixed, 2);
	ck_assert_double_eq(o.s.engine.broker.commission_rate, 0.001);
	ck_assert_double_eq(o.s.engine.broker.spread, 0.0002);
	ck_assert_double_eq(o.s.engine.broker.margin, 0.5);
	ck_assert(o.s.engine.broker.trade_on_close && o.s.engine.broker.hedging &&
	    o.s.engine.broker.exclusive_orders && o.s.engine.finalize_trades);
	ck_assert(o.s.json && o.verbose == 1);
	ck_assert_str_eq(o.s.trades_path, "t.csv");
	ck_assert_str_eq(o.s.equity_path, "e.csv");
	cli_free(&o);
}
END_TEST

START_TEST(commission_rate_only)
{
	struct cli_options o;
	char *cause = NULL;

	ck_assert_int_eq(parse(&o, &cause, "--plugin", "p", "--commission",
	    ".002", NULL), 0);
	ck_assert_double_eq(o.s.engine.broker.commission_fixed, 0);
	ck_assert_double_eq(o.s.engine.broker.commission_rate, .002);
	cli_free(&o);
}
END_TEST

/* Asserts a usage error whose message contains want. */
#define ck_usage_error(want, ...) do {					\
	struct cli_options o_;						\
	char *c_ = NULL;						\
	ck_assert_int_eq(parse(&o_, &c_, __VA_ARGS__, NULL), -1);	\
	ck_assert_msg(strstr(c_, want) != NULL, "'%s' lacks '%s'", c_,	\
	    want);							\
	free(c_);							\
	cli_free(&o_);							\
} while (0)

START_TEST(usage_errors)
{
	ck_usage_error("--plugin PATH (or strategy.plugin", "--json");
	ck_usage_error("--cash: not a number: 'lots'", "--plugin", "p",
	    "--cash", "lots");
	ck_usage_error("--commission: not a number: 'x'", "--plugin", "p",
	    "--commission", "1,x");
	ck_usage_error("--margin: not a number: ''", "--plugin", "p",
	    "--margin", "");
	ck_usage_error("--spread: not a number: 'inf'", "--plugin", "p",
	    "--spread", "inf");
	ck_usage_error("unknown option or missing value: '--bogus'",
	    "--plugin", "p", "--bogus");
	ck_usage_error("unexpected argument 'extra'", "--plugin", "p",
	    "extra");
	ck_usage_error("unknown option or missing value: '--data'",
	    "--plugin", "p", "--data");
}
END_TEST

Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, every_option);
	tcase_add_test(tc, commission_rate_only);
	tcase_add_test(tc, usage_errors);
	suite_add_tcase(s, tc);
	return s;
}
