#include "replayd.h"
const struct provider_ops alpaca_trading_ops = { .name = "alpaca-trading" };
void alpaca_trading_free(void) {}
