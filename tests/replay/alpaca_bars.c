#include "replayd.h"
const struct provider_ops alpaca_bars_ops = { .name = "alpaca-bars" };
