/* The SDK ABI freeze test: the size and offset of every member of every
 * struct in sdk/tradehost.h on LP64.  If anything here fails, the ABI has
 * changed: append members only, or bump TH_ABI_MAJOR.  New members get new
 * lines here; existing lines never change. */
#include <stddef.h>

#include "suites.h"
#include "tradehost.h"

#define FREEZE(expr) ck_assert_msg(expr, \
	"SDK ABI changed: bump TH_ABI_MAJOR or append only (%s)", #expr)

START_TEST(abi_version)
{
	FREEZE(TH_ABI_MAJOR == 1);
	FREEZE(TH_IND_SMA == 1 && TH_IND_STD == 6 && TH_IND_CUSTOM == 100);
	FREEZE(TH_OK == 0 && TH_ERR_UNSUPPORTED == -4 && TH_ERR_REFUSED == -5);
	FREEZE(TH_IND_NO_WARMUP == 1 && TH_IND_BFILL == 2 && TH_IND_HIDDEN == 4);
	FREEZE(TH_PARAM_INT == 1 && TH_PARAM_BOOL == 3);
	FREEZE(TH_OPEN == 0 && TH_VOLUME == 4);
}
END_TEST

START_TEST(abi_layout)
{
	if (sizeof(void *) != 8)
		return;	/* the table below is for LP64 targets */
	FREEZE(sizeof(struct th_series) == 16);
	FREEZE(offsetof(struct th_series, v) == 0);
	FREEZE(offsetof(struct th_series, n) == 8);
	FREEZE(sizeof(struct th_index) == 24);
	FREEZE(offsetof(struct th_index, v) == 0);
	FREEZE(offsetof(struct th_index, n) == 8);
	FREEZE(offsetof(struct th_index, is_datetime) == 16);
	FREEZE(sizeof(struct th_param_def) == 48);
	FREEZE(offsetof(struct th_param_def, name) == 0);
	FREEZE(offsetof(struct th_param_def, type) == 8);
	FREEZE(offsetof(struct th_param_def, def) == 16);
	FREEZE(offsetof(struct th_param_def, min) == 24);
	FREEZE(offsetof(struct th_param_def, max) == 32);
	FREEZE(offsetof(struct th_param_def, help) == 40);
	FREEZE(sizeof(struct th_indicator_def) == 64);
	FREEZE(offsetof(struct th_indicator_def, struct_size) == 0);
	FREEZE(offsetof(struct th_indicator_def, kind) == 4);
	FREEZE(offsetof(struct th_indicator_def, source) == 8);
	FREEZE(offsetof(struct th_indicator_def, period) == 16);
	FREEZE(offsetof(struct th_indicator_def, flags) == 20);
	FREEZE(offsetof(struct th_indicator_def, name) == 24);
	FREEZE(offsetof(struct th_indicator_def, compute) == 32);
	FREEZE(offsetof(struct th_indicator_def, user) == 40);
	FREEZE(offsetof(struct th_indicator_def, inputs) == 48);
	FREEZE(offsetof(struct th_indicator_def, ninputs) == 56);
	FREEZE(sizeof(struct th_order_req) == 56);
	FREEZE(offsetof(struct th_order_req, struct_size) == 0);
	FREEZE(offsetof(struct th_order_req, size) == 8);
	FREEZE(offsetof(struct th_order_req, limit) == 16);
	FREEZE(offsetof(struct th_order_req, stop) == 24);
	FREEZE(offsetof(struct th_order_req, sl) == 32);
	FREEZE(offsetof(struct th_order_req, tp) == 40);
	FREEZE(offsetof(struct th_order_req, tag) == 48);
	FREEZE(sizeof(struct th_order_info) == 80);
	FREEZE(offsetof(struct th_order_info, struct_size) == 0);
	FREEZE(offsetof(struct th_order_info, id) == 8);
	FREEZE(offsetof(struct th_order_info, size) == 16);
	FREEZE(offsetof(struct th_order_info, limit) == 24);
	FREEZE(offsetof(struct th_order_info, stop) == 32);
	FREEZE(offsetof(struct th_order_info, sl) == 40);
	FREEZE(offsetof(struct th_order_info, tp) == 48);
	FREEZE(offsetof(struct th_order_info, parent_trade) == 56);
	FREEZE(offsetof(struct th_order_info, is_contingent) == 64);
	FREEZE(offsetof(struct th_order_info, tag) == 72);
	FREEZE(sizeof(struct th_trade_info) == 96);
	FREEZE(offsetof(struct th_trade_info, struct_size) == 0);
	FREEZE(offsetof(struct th_trade_info, id) == 8);
	FREEZE(offsetof(struct th_trade_info, size) == 16);
	FREEZE(offsetof(struct th_trade_info, entry_price) == 24);
	FREEZE(offsetof(struct th_trade_info, exit_price) == 32);
	FREEZE(offsetof(struct th_trade_info, entry_bar) == 40);
	FREEZE(offsetof(struct th_trade_info, exit_bar) == 48);
	FREEZE(offsetof(struct th_trade_info, sl) == 56);
	FREEZE(offsetof(struct th_trade_info, tp) == 64);
	FREEZE(offsetof(struct th_trade_info, pl) == 72);
	FREEZE(offsetof(struct th_trade_info, pl_pct) == 80);
	FREEZE(offsetof(struct th_trade_info, tag) == 88);
	FREEZE(sizeof(struct th_position) == 40);
	FREEZE(offsetof(struct th_position, struct_size) == 0);
	FREEZE(offsetof(struct th_position, size) == 8);
	FREEZE(offsetof(struct th_position, pl) == 16);
	FREEZE(offsetof(struct th_position, pl_pct) == 24);
	FREEZE(offsetof(struct th_position, is_long) == 32);
	FREEZE(offsetof(struct th_position, is_short) == 36);
	FREEZE(sizeof(struct th_ctx) == 8);
	FREEZE(offsetof(struct th_ctx, api) == 0);
	FREEZE(sizeof(struct th_host_api) == 240);
	FREEZE(offsetof(struct th_host_api, struct_size) == 0);
	FREEZE(offsetof(struct th_host_api, abi_major) == 4);
	FREEZE(offsetof(struct th_host_api, abi_minor) == 6);
	FREEZE(offsetof(struct th_host_api, log) == 8);
	FREEZE(offsetof(struct th_host_api, alloc) == 16);
	FREEZE(offsetof(struct th_host_api, free_mem) == 24);
	FREEZE(offsetof(struct th_host_api, get_extension) == 32);
	FREEZE(offsetof(struct th_host_api, param) == 40);
	FREEZE(offsetof(struct th_host_api, bar) == 48);
	FREEZE(offsetof(struct th_host_api, bar_count) == 56);
	FREEZE(offsetof(struct th_host_api, column) == 64);
	FREEZE(offsetof(struct th_host_api, column_by_name) == 72);
	FREEZE(offsetof(struct th_host_api, index) == 80);
	FREEZE(offsetof(struct th_host_api, indicator) == 88);
	FREEZE(offsetof(struct th_host_api, indicator_values) == 96);
	FREEZE(offsetof(struct th_host_api, order) == 104);
	FREEZE(offsetof(struct th_host_api, order_count) == 112);
	FREEZE(offsetof(struct th_host_api, order_get) == 120);
	FREEZE(offsetof(struct th_host_api, order_cancel) == 128);
	FREEZE(offsetof(struct th_host_api, trade_count) == 136);
	FREEZE(offsetof(struct th_host_api, trade_get) == 144);
	FREEZE(offsetof(struct th_host_api, trade_set_sl) == 152);
	FREEZE(offsetof(struct th_host_api, trade_set_tp) == 160);
	FREEZE(offsetof(struct th_host_api, trade_close) == 168);
	FREEZE(offsetof(struct th_host_api, position) == 176);
	FREEZE(offsetof(struct th_host_api, position_close) == 184);
	FREEZE(offsetof(struct th_host_api, equity) == 192);
	FREEZE(offsetof(struct th_host_api, cash) == 200);
	/* ABI 1.1 */
	FREEZE(offsetof(struct th_host_api, order_refusal) == 208);
	FREEZE(offsetof(struct th_host_api, symbol) == 216);
	FREEZE(offsetof(struct th_host_api, risk_units) == 224);
	/* ABI 1.2 */
	FREEZE(offsetof(struct th_host_api, run_info) == 232);
	FREEZE(offsetof(struct th_plugin, save_model) == 88);
	FREEZE(offsetof(struct th_plugin, train_status) == 96);
	FREEZE(offsetof(struct th_plugin, flags) == 104);
	FREEZE(TH_PLUGIN_STATE_POINTERS == 1);
	FREEZE(sizeof(struct th_run_info) == 24);
	FREEZE(offsetof(struct th_run_info, model_path) == 16);
	FREEZE(TH_RUN_BACKTEST == 0 && TH_RUN_VALIDATE == 2);
	/* ABI 1.3: connectors */
	FREEZE(TH_RUN_PAPER == 3 && TH_RUN_LIVE == 4);
	FREEZE(TH_PLUGIN_FEED == 2 && TH_PLUGIN_BROKER == 3);
	FREEZE(sizeof(struct th_plugin) == 120);
	FREEZE(offsetof(struct th_plugin, connector) == 112);
	FREEZE(sizeof(struct th_bar) == 72);
	FREEZE(offsetof(struct th_bar, time) == 16);
	FREEZE(offsetof(struct th_bar, volume) == 56);
	FREEZE(offsetof(struct th_bar, closed) == 64);
	FREEZE(sizeof(struct th_tick) == 40);
	FREEZE(offsetof(struct th_tick, price) == 24);
	FREEZE(offsetof(struct th_tick, size) == 32);
	FREEZE(sizeof(struct th_http) == 48);
	FREEZE(offsetof(struct th_http, purpose) == 32);
	FREEZE(offsetof(struct th_http, key) == 40);
	FREEZE(sizeof(struct th_broker_order) == 48);
	FREEZE(offsetof(struct th_broker_order, side) == 24);
	FREEZE(offsetof(struct th_broker_order, limit) == 40);
	FREEZE(sizeof(struct th_order_update) == 64);
	FREEZE(offsetof(struct th_order_update, state) == 24);
	FREEZE(offsetof(struct th_order_update, reason) == 56);
	/* ABI 1.4: positions (appended) */
	FREEZE(sizeof(struct th_conn_api) == 128);
	FREEZE(offsetof(struct th_conn_api, send_binary) == 120);
	FREEZE(offsetof(struct th_conn_api, position) == 104);
	FREEZE(offsetof(struct th_conn_api, positions_done) == 112);
	FREEZE(offsetof(struct th_connector, positions) == 144);
	FREEZE(offsetof(struct th_conn_api, log) == 8);
	FREEZE(offsetof(struct th_conn_api, setting) == 16);
	FREEZE(offsetof(struct th_conn_api, bar) == 40);
	FREEZE(offsetof(struct th_conn_api, http) == 72);
	FREEZE(offsetof(struct th_conn_api, fail) == 96);
	FREEZE(sizeof(struct th_connector) == 152);
	FREEZE(offsetof(struct th_connector, open) == 40);
	FREEZE(offsetof(struct th_connector, history) == 72);
	FREEZE(offsetof(struct th_connector, on_message) == 112);
	FREEZE(offsetof(struct th_connector, poll) == 136);
	FREEZE(offsetof(struct th_plugin, abi_major) == 0);
	FREEZE(offsetof(struct th_plugin, abi_minor) == 2);
	FREEZE(offsetof(struct th_plugin, struct_size) == 4);
	FREEZE(offsetof(struct th_plugin, kind) == 8);
	FREEZE(offsetof(struct th_plugin, name) == 16);
	FREEZE(offsetof(struct th_plugin, version) == 24);
	FREEZE(offsetof(struct th_plugin, description) == 32);
	FREEZE(offsetof(struct th_plugin, params) == 40);
	FREEZE(offsetof(struct th_plugin, nparams) == 48);
	FREEZE(offsetof(struct th_plugin, param_def_size) == 52);
	FREEZE(offsetof(struct th_plugin, state_size) == 56);
	FREEZE(offsetof(struct th_plugin, state_version) == 60);
	FREEZE(offsetof(struct th_plugin, init) == 64);
	FREEZE(offsetof(struct th_plugin, next) == 72);
	FREEZE(offsetof(struct th_plugin, fini) == 80);
}
END_TEST

Suite *
abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("freeze");

	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, abi_version);
	tcase_add_test(tc, abi_layout);
	suite_add_tcase(s, tc);
	return s;
}
