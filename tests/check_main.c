/* The single Check runner: adds every module's suite and exits non-zero
 * when any test fails. */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	Suite *(*const suites[])(void) = {
		pyfloat_suite, timefmt_suite, csv_suite, demo_suite,
		indicator_suite, broker_suite, params_suite, plugin_suite,
		engine_suite, stats_suite, report_suite, cli_suite, abi_suite,
		conf_suite, risk_suite, session_suite, transport_suite,
		live_session_suite, reload_suite, hours_suite,
	};
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
