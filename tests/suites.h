/* Every Check suite of the runner, one per host module. */
#ifndef TH_TEST_SUITES_H
#define TH_TEST_SUITES_H

#include <check.h>

Suite *pyfloat_suite(void);
Suite *timefmt_suite(void);
Suite *csv_suite(void);
Suite *demo_suite(void);
Suite *indicator_suite(void);
Suite *broker_suite(void);
Suite *params_suite(void);
Suite *plugin_suite(void);
Suite *engine_suite(void);
Suite *stats_suite(void);
Suite *report_suite(void);
Suite *cli_suite(void);
Suite *abi_suite(void);
Suite *conf_suite(void);
Suite *risk_suite(void);
Suite *hours_suite(void);
Suite *session_suite(void);
Suite *live_session_suite(void);
Suite *transport_suite(void);
Suite *reload_suite(void);

#endif
